#!/usr/bin/env bash
# Measures the bot: publishes it as deployed (Release, ReadyToRun), then runs the end-to-end load test with authentication off and on.
#   bash scripts/bench.sh                      # load test, auth off then on (on: three measured phases, judged on their
#                                              # medians, then 10,000 conversations in flight),
#                                              # then the plumbing floor (what any bot pays here before its own work)
#   bash scripts/bench.sh --micro              # also the BenchmarkDotNet micro-benchmarks (a few more minutes)
#   bash scripts/bench.sh --micro-only         # only the micro-benchmarks
#   bash scripts/bench.sh -- --admins 8 ...    # anything after -- goes to both load-test runs
#   bash scripts/bench.sh --postgres           # also auth on over PostgreSQL (a throwaway server on loopback)
#   bash scripts/bench.sh --alerts             # also the alert fan-out: delivered rate against Teams' permitted rate
#   bash scripts/bench.sh --aot                # also auth on against the Native AOT build (README "Deploying"; needs clang)
# Everything runs on 127.0.0.1; each run stops by itself (see --limit) and kills the bot it started.
set -euo pipefail
cd "$(dirname "$0")/.."

micro=0 load=1 postgres=0 alerts=0 aot=0 extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --micro) micro=1 ;;
    --micro-only) micro=1 load=0 ;;
    --postgres) postgres=1 ;;
    --alerts) alerts=1 ;;
    --aot) aot=1 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
  shift
done

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo); load average $(cut -d' ' -f1-3 /proc/loadavg)"

status=0
if [ "$load" = 1 ]; then
  # The bot as it is deployed (README "Deploying"): published Release, ReadyToRun.
  published=bot/Host/bin/bench-publish
  rid=$(dotnet --info | awk -F': *' '/^ *RID:/ {print $2; exit}')
  dotnet publish bot/Host -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true -o "$published" --nologo -v quiet
  dotnet build -c Release --nologo -v quiet tests/PastDueBot.LoadTest
  loadtest=(dotnet tests/PastDueBot.LoadTest/bin/Release/net10.0/PastDueBot.LoadTest.dll --bot "$published/PastDueBot.dll")
  echo; echo "== authentication off"
  "${loadtest[@]}" --auth off "${extra[@]}" || status=$?
  echo; echo "== authentication on"
  "${loadtest[@]}" --auth on --repeat 3 --inflight 10000 "${extra[@]}" || status=$?
  if [ "$aot" = 1 ]; then
    aot_published=bot/Host/bin/bench-publish-aot
    dotnet publish bot/Host -c Release -r "$rid" -p:PublishAot=true -o "$aot_published" --nologo -v quiet
    echo; echo "== authentication on, Native AOT build"
    dotnet tests/PastDueBot.LoadTest/bin/Release/net10.0/PastDueBot.LoadTest.dll --bot "$aot_published/PastDueBot" \
      --auth on --repeat 3 --inflight 10000 "${extra[@]}" || status=$?
  fi
  echo; echo "== plumbing floor: the same driver against a server that only parses each activity and posts one reply"
  "${loadtest[@]}" --floor "${extra[@]}" || status=$?
  if [ "$postgres" = 1 ]; then
    # Its own throwaway server (directory and port), so a test server someone else is using is left alone.
    export PASTDUEBOT_PG_DIR=${PASTDUEBOT_BENCH_PG_DIR:-/tmp/pastduebot-bench-pg} PASTDUEBOT_PG_PORT=${PASTDUEBOT_BENCH_PG_PORT:-25532}
    pg="$(bash scripts/postgres-test-server.sh start)"
    trap 'bash scripts/postgres-test-server.sh stop' EXIT
    echo; echo "== authentication on, PostgreSQL"
    "${loadtest[@]}" --auth on --storage postgres --pg "$pg" "${extra[@]}" || status=$?
  fi
fi

if [ "$alerts" = 1 ]; then
  echo; echo "== alert fan-out: 1,000 channels x 2 past-due subscriptions, Teams-like limits, 20% of sends failing"
  dotnet build -c Release --nologo -v quiet tests/PastDueBot.Tests
  dotnet test tests/PastDueBot.Tests -c Release --no-build --nologo --filter "Category=Benchmark" --logger "console;verbosity=detailed" \
    | grep -E "Alerts benchmark|Passed!|Failed!" | sed 's/^ *//' | awk '!seen[$0]++' || status=$?
fi

if [ "$micro" = 1 ]; then
  echo; echo "== micro-benchmarks, process CPU time per operation (holds on a busy machine)"
  dotnet run -c Release --project tests/PastDueBot.Benchmarks -- --cpu-time || status=$?
  echo; echo "== micro-benchmarks, BenchmarkDotNet (wall clock: needs a quiet machine)"
  dotnet run -c Release --project tests/PastDueBot.Benchmarks -- --filter '*' || status=$?
fi
exit "$status"
