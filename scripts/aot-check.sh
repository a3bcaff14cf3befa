#!/usr/bin/env bash
# Publishes the bot as Native AOT (README "Deploying") and drives complete settle flows through that build with
# authentication on and the Microsoft Graph directory (Azure.Identity's token from a loopback Entra ID, the Graph SDK
# against a loopback Graph): the check that the AOT build still works end to end, not only that it compiles. A type
# kept in state without a generated contract, or a reflection path the trimmer removed, fails a turn and exits non-zero.
#   bash scripts/aot-check.sh [output-dir]      # default bot/Host/bin/aot-publish; needs clang (scripts/setup-test-deps.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bot/Host/bin/aot-publish}
rid=$(dotnet --info | awk -F': *' '/^ *RID:/ {print $2; exit}')

started=$SECONDS
dotnet publish bot/Host -c Release -r "$rid" -p:PublishAot=true -o "$out" --nologo -v quiet
echo "aot-check: published $out/PastDueBot ($(du -m "$out/PastDueBot" | cut -f1) MB) in $((SECONDS - started)) s"
# Quiet when it builds; when it does not, built again to show why.
dotnet build -c Release --nologo -v quiet tests/PastDueBot.LoadTest >/dev/null || dotnet build -c Release --nologo tests/PastDueBot.LoadTest
dotnet tests/PastDueBot.LoadTest/bin/Release/net10.0/PastDueBot.LoadTest.dll --bot "$out/PastDueBot" --auth on --directory graph \
  --conversations 100 --warmup 50 --inflight 200 > "$out/aot-check.txt" 2>&1 && status=0 || status=$?
grep -E "^(phase|warm-up|measured|in-flight) |errors|could not run|^directory:" "$out/aot-check.txt" || true
if [ "$status" != 0 ]; then
  echo "aot-check: the Native AOT build failed the settle flows (exit $status); the load test's report: $out/aot-check.txt" >&2
  exit "$status"
fi
echo "aot-check: Native AOT build passed: every settle flow completed, no errors"
