#!/usr/bin/env bash
# Installs what the tests use besides .NET: filled in as the test suites arrive.
set -euo pipefail
cd "$(dirname "$0")/.."
