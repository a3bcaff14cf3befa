#!/usr/bin/env bash
# Builds the Teams app package: <out>/PastDueBot.zip with manifest.json and both icons at the zip root.
#
#   manifest/package.sh [--app-id GUID] [--out DIR] [--source DIR]
#
# The app id and bot id are the bot's MicrosoftAppId: --app-id, else the MicrosoftAppId environment variable
# (the same configuration key the bot reads), else "MicrosoftAppId" in bot/Host/appsettings.json.
# Developer name, URLs, version and bot domain come from manifest/settings.env unless set in the environment.
# Refuses to write a package that fails validation (tools/validate.mjs), and says why.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
out="$here/out"
source_dir="$here"
app_id=""

fail() { echo "package.sh: $*" >&2; exit 1; }

while (($#)); do
  (($# >= 2)) || fail "$1 needs a value"
  case "$1" in
    --app-id) app_id="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --source) source_dir="$2"; shift 2 ;;
    *) fail "unknown argument $1 (use --app-id, --out, --source)" ;;
  esac
done

command -v node >/dev/null || fail "node is not installed; run scripts/setup-test-deps.sh"
command -v zip >/dev/null || fail "zip is not installed; run scripts/setup-test-deps.sh"
[[ -d "$here/tools/node_modules" ]] || fail "manifest/tools/node_modules is missing; run scripts/setup-test-deps.sh"

# Settings: the environment wins over settings.env.
while IFS='=' read -r key value; do
  [[ -z "$key" || "$key" == \#* ]] && continue
  [[ -n "${!key:-}" ]] || export "$key=$value"
done <"$here/settings.env"

if [[ -z "$app_id" ]]; then app_id="${MicrosoftAppId:-}"; fi
if [[ -z "$app_id" && -f "$repo/bot/Host/appsettings.json" ]]; then
  app_id="$(node -e 'const s=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8").replace(/^\uFEFF/,""));process.stdout.write(String(s.MicrosoftAppId??""))' "$repo/bot/Host/appsettings.json")"
fi
[[ -n "$app_id" ]] || fail "no MicrosoftAppId configured: pass --app-id or set MicrosoftAppId to the bot's Entra app id"
[[ "$app_id" =~ ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$ ]] \
  || fail "MicrosoftAppId '$app_id' is not a GUID"
export MicrosoftAppId="$app_id"

# A stale package must not survive a failed build and be mistaken for this one.
rm -f "$out/PastDueBot.zip"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
node "$here/tools/fill.mjs" "$source_dir" "$stage/package" || fail "refusing to build an invalid package (see above)"
if ! report="$(node "$here/tools/validate.mjs" "$stage/package/manifest.json" 2>&1)"; then
  sed 's/^/  /' <<<"$report" >&2
  fail "refusing to build an invalid package (see above)"
fi

mkdir -p "$out"
# -X: no extra file attributes; -j: every file at the zip root.
(cd "$stage/package" && zip -q -X -j "$stage/PastDueBot.zip" ./*)
mv -f "$stage/PastDueBot.zip" "$out/PastDueBot.zip"
echo "$out/PastDueBot.zip"
