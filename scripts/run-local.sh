#!/usr/bin/env bash
# Chat with PastDueBot locally, no Azure account needed: builds and starts the bot on its embedded defaults
# (SQLite under bot/Host/data, demo billing, demo directory, anonymous mode) and the Microsoft 365 Agents
# Playground (a Teams-like web client), prints the URL to open, and stops both on Ctrl+C.
#
#   scripts/run-local.sh                      # bot on 127.0.0.1:3978, playground on 56150 (or a free port)
#   BOT_PORT=3999 PLAYGROUND_PORT=56160 scripts/run-local.sh
#
# Needs: .NET SDK (global.json), node + npm. The playground comes from npm into scripts/playground (pinned by
# its lockfile) the first time. It runs offline: telemetry and the browser launch are turned off.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

BOT_PORT=${BOT_PORT:-3978}
PLAYGROUND_PORT=${PLAYGROUND_PORT:-56150}
bot_url="http://127.0.0.1:${BOT_PORT}"
# Logs sit beside the SQLite file the bot uses (bot/Host/data, ignored by git) and survive the run.
work=bot/Host/data/run-local
mkdir -p "$work"
bot_pid="" playground_pid=""

say() { printf 'run-local: %s\n' "$*"; }

# GET a URL; prints the body, fails unless 2xx (node is needed anyway, curl may not be installed).
get() { node -e 'fetch(process.argv[1]).then(async r => { process.stdout.write(await r.text()); process.exit(r.ok ? 0 : 1); }, () => process.exit(1))' "$1"; }

stop() {
  trap - INT TERM EXIT
  local pid
  for pid in "$playground_pid" "$bot_pid"; do
    [[ -n $pid ]] && kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "$playground_pid" "$bot_pid"; do
    [[ -n $pid ]] && wait "$pid" 2>/dev/null || true
  done
  say "stopped (logs in $work)"
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

command -v dotnet >/dev/null || { say "dotnet is not on PATH (install the SDK named in global.json)"; exit 1; }
command -v node >/dev/null && command -v npm >/dev/null || { say "node and npm are needed for the playground"; exit 1; }
if (exec 3<>"/dev/tcp/127.0.0.1/${BOT_PORT}") 2>/dev/null; then
  say "port ${BOT_PORT} is taken; stop what runs there or set BOT_PORT"; exit 1
fi

# --- the playground, from the committed lockfile ------------------------------------------------
playground_dir=scripts/playground
stamp="$playground_dir/node_modules/.lockfile.sha256"
want=$(sha256sum "$playground_dir/package-lock.json" | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  say "installing the Microsoft 365 Agents Playground (npm ci in $playground_dir)"
  (cd "$playground_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  echo "$want" >"$stamp"
fi

# --- the bot -----------------------------------------------------------------------------------
say "building the bot"
dotnet build bot/Host -c Debug --nologo -v q -clp:ErrorsOnly >/dev/null
say "starting the bot on ${bot_url} (log: ${work}/bot.log)"
# Anonymous mode: the playground sends no token, so no app id may be configured for this run.
# Alerts scan every 10 s here (default 15 min), so a channel alert follows the first "settle" quickly.
MicrosoftAppId= MicrosoftAppPassword= MicrosoftAppTenantId= Alerts__ScanInterval=${Alerts__ScanInterval:-00:00:10} \
  dotnet bot/Host/bin/Debug/net10.0/PastDueBot.dll --urls "$bot_url" --contentRoot "$root/bot/Host" \
  >"$work/bot.log" 2>&1 &
bot_pid=$!

for _ in $(seq 1 240); do
  get "${bot_url}/healthz" >/dev/null 2>&1 && break
  kill -0 "$bot_pid" 2>/dev/null || { say "the bot stopped during start-up:"; tail -n 30 "$work/bot.log"; exit 1; }
  sleep 0.25
done
get "${bot_url}/healthz" >/dev/null 2>&1 || { say "the bot did not answer /healthz within 60 s"; tail -n 30 "$work/bot.log"; exit 1; }

# --- the playground ----------------------------------------------------------------------------
# Started in the log folder: it writes devTools/m365agentsplayground.log into its working directory.
(cd "$work" && TEAMSAPPTESTER_BROWSER=none APPLICATION_INSIGHTS_NO_STATSBEAT=true exec \
  "$root/$playground_dir/node_modules/.bin/agentsplayground" start --disable-telemetry \
  -e "${bot_url}/api/messages" -c msteams -p "$PLAYGROUND_PORT" >playground.log 2>&1) &
playground_pid=$!

# It silently takes another port when the asked one is busy, and says which: "Listening on <port>".
port=""
for _ in $(seq 1 240); do
  port=$(sed -n 's/.*Listening on \([0-9][0-9]*\).*/\1/p' "$work/playground.log" | head -n 1)
  [[ -n $port ]] && break
  kill -0 "$playground_pid" 2>/dev/null || { say "the playground stopped during start-up:"; cat "$work/playground.log"; exit 1; }
  sleep 0.25
done
[[ -n $port ]] || { say "the playground did not start within 60 s"; cat "$work/playground.log"; exit 1; }
[[ $(get "http://127.0.0.1:${port}/_debug/ping" 2>/dev/null) == pong ]] || { say "the playground on port ${port} does not answer"; exit 1; }

cat <<EOF

  PastDueBot is running.  Open http://localhost:${port}

  Personal Chat:  type "settle" (or click "Settle a balance"); "taal nl" / "language en" switches language
  Teams Channel:  @mention the bot ("@Test Bot help"); settling itself happens in the personal chat
  Demo cards:     4242 4242 4242 4242 pays, 4000 0000 0000 0002 is declined (any future expiry, any 3-digit code)

  Bot log: ${work}/bot.log     Press Ctrl+C to stop both.

EOF

# Whichever ends first ends the session; the trap stops the other.
wait -n "$bot_pid" "$playground_pid" || true
say "one of the processes ended; stopping"
