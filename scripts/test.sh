#!/usr/bin/env bash
# Runs every test on a fresh Debian machine: installs what the tests need, then `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-test-deps.sh
dotnet test PastDueBot.sln -c Release --nologo "$@"
