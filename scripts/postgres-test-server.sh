#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL server for the tests, on loopback only.
#   scripts/postgres-test-server.sh start   -> prints the connection string on stdout
#   scripts/postgres-test-server.sh stop
# Data lives in $PASTDUEBOT_PG_DIR (default: a folder under /tmp); port $PASTDUEBOT_PG_PORT (default 55432).
set -euo pipefail
dir=${PASTDUEBOT_PG_DIR:-/tmp/pastduebot-pg}
port=${PASTDUEBOT_PG_PORT:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "PostgreSQL server binaries not found; run scripts/setup-test-deps.sh" >&2; exit 1; }
# PostgreSQL refuses to run as root: run it as the 'postgres' system user the Debian package creates.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-start}" in
  start)
    if ! as_pg "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      if [ ! -f "$dir/PG_VERSION" ]; then
        mkdir -p "$dir"
        [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
        as_pg "$bin/initdb" -D "$dir" -U pastduebot --auth=trust -E UTF8 >/dev/null
      fi
      as_pg "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k /tmp -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null
    fi
    echo "Host=127.0.0.1;Port=$port;Username=pastduebot;Database=postgres;Pooling=true;Maximum Pool Size=50"
    ;;
  stop)
    as_pg "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
    ;;
  *)
    echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
