#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL server for the tests, on loopback only.
#   scripts/postgres-test-server.sh start   -> prints the connection string on stdout
#   scripts/postgres-test-server.sh stop
# Data lives in $PASTDUEBOT_PG_DIR (default: a folder under /tmp); port $PASTDUEBOT_PG_PORT (default 25432, below
# Linux's ephemeral range, so the kernel never hands it to an outgoing connection); if that port is taken, the next
# free one of the following 20. The connection string printed names the port the server listens on.
set -euo pipefail
dir=${PASTDUEBOT_PG_DIR:-/tmp/pastduebot-pg}
port=${PASTDUEBOT_PG_PORT:-25432}
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
      started=0
      for try in $(seq 0 20); do
        candidate=$((port + try))
        # Something already listening there: another server, or another run's. Leave it alone.
        (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null && continue
        if as_pg "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
             -o "-c listen_addresses=127.0.0.1 -p $candidate -k /tmp -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
             start >/dev/null 2>&1; then
          started=1; break
        fi
        # A bind that failed (a socket of the machine held the port) is retried on the next port; anything else stops.
        tail -n 5 "$dir/server.log" | grep -q "could not create any TCP/IP sockets" || break
      done
      [ "$started" = 1 ] || { echo "postgres-test-server: could not start PostgreSQL (see $dir/server.log)" >&2; tail -n 5 "$dir/server.log" >&2; exit 1; }
    fi
    # The port the running server listens on: the fourth line of its postmaster.pid.
    port=$(sed -n 4p "$dir/postmaster.pid")
    echo "Host=127.0.0.1;Port=$port;Username=pastduebot;Database=postgres;Pooling=true;Maximum Pool Size=50"
    ;;
  stop)
    as_pg "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
    ;;
  *)
    echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
