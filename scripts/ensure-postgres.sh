#!/usr/bin/env bash
# Print a PostgreSQL URL for the tests: the server on 127.0.0.1:5432 if it answers, else a throwaway
# cluster started under var/pg (trust auth, port 55432) that later runs reuse.
set -euo pipefail
if [ -n "${KAKEHASHI_TEST_PG_URL:-}" ]; then echo "$KAKEHASHI_TEST_PG_URL"; exit 0; fi
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && psql -h 127.0.0.1 -U postgres -d postgres -qAtc "select 1" >/dev/null 2>&1; then
  echo "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"; exit 0
fi
bindir=$(dirname "$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb | tail -1)")
dir="$(pwd)/var/pg"; port=55432
run() { if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
if ! pg_isready -q -h 127.0.0.1 -p $port 2>/dev/null; then
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
  [ -f "$dir/PG_VERSION" ] || run "$bindir/initdb -D '$dir' -U postgres --auth=trust -E UTF8 >/dev/null"
  run "$bindir/pg_ctl -D '$dir' -o '-p $port -k /tmp -c listen_addresses=127.0.0.1' -l '$dir/log' -w start >/dev/null"
fi
echo "postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
