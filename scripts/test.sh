#!/usr/bin/env bash
# Runs every test on a fresh Debian machine: installs and starts what the tests need, then runs them.
#   bash scripts/test.sh                 # every test but the benchmarks (Category=Benchmark: scripts/bench.sh runs them)
#   bash scripts/test.sh --filter X      # extra arguments go to `dotnet test` (a filter of your own replaces the default
#                                        # and skips the Native AOT check, scripts/aot-check.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-test-deps.sh

# PostgreSQL for the scale-out tests: a throwaway server on loopback, stopped on exit.
# (Assigned, then exported: `export X="$(…)"` would hide the script's failure behind export's own success.)
PASTDUEBOT_TEST_POSTGRES="$(bash scripts/postgres-test-server.sh start)"
export PASTDUEBOT_TEST_POSTGRES
trap 'bash scripts/postgres-test-server.sh stop' EXIT

# Benchmarks print figures measured on this machine; they are not pass/fail material for a shared CI runner.
args=("$@")
[[ " ${args[*]} " == *" --filter "* ]] || args+=(--filter "Category!=Benchmark")

log=$(mktemp)
status=0
dotnet test PastDueBot.sln -c Release --nologo "${args[@]}" 2>&1 | tee "$log" || status=$?

# One plain closing line over every test assembly ("Failed: 0, Passed: 12, Skipped: 0, ...").
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "tests: $passed passed, $failed failed, $skipped skipped"

# The Native AOT build, end to end (a few minutes, most of it the native compile); not with a filter of your own.
if [[ " $* " != *" --filter "* ]]; then
  aot=0
  bash scripts/aot-check.sh || aot=$?
  [ "$aot" = 0 ] || status=$aot
fi
exit "$status"
