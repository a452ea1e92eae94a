#!/usr/bin/env bash
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]
#
# Runs COMMAND with CHOSEN_TEST_POSTGRES_URL pointing at a throwaway
# PostgreSQL cluster: created in a temporary folder with Debian's server
# binaries (package postgresql; `make deps` installs it, this script installs
# nothing), listening on 127.0.0.1 on a free port, and always stopped and
# removed afterwards. Exits with COMMAND's status.
#
# Tuned for tests, not for data: fsync off, no locale (C collation, so text
# sorts byte-wise as in SQLite), trust authentication on loopback only.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

# The newest installed server version (/usr/lib/postgresql/<version>/bin).
bindir=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
  [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && bindir="$d"
done
if [ -z "$bindir" ]; then
  echo "with-postgres: no PostgreSQL server found under /usr/lib/postgresql (install the postgresql package)" >&2
  exit 1
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/chosen-pg.XXXXXX")
# initdb refuses to run as root: the cluster then belongs to `postgres`.
as_owner=()
if [ "$(id -u)" = 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "with-postgres: running as root needs the 'postgres' user (created by the postgresql package)" >&2
    rm -rf "$dir"
    exit 1
  fi
  chown postgres:postgres "$dir"
  as_owner=(runuser -u postgres --)
fi
chmod 700 "$dir"

started=0
cleanup() {
  local status=$?
  if [ "$started" = 1 ]; then
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"${as_owner[@]}" "$bindir/initdb" -D "$dir/data" --username=postgres --auth=trust --encoding=UTF8 --no-locale \
  --no-sync >"$dir/initdb.log" 2>&1 || {
  cat "$dir/initdb.log" >&2
  exit 1
}

# A free port: ask the kernel via bash's /dev/tcp (a connection refused means
# nothing listens there); retry the start if another process takes it first.
port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for attempt in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 40000))
  port_is_free "$port" || continue
  if "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off \
          -c full_page_writes=off -c max_connections=300 -c shared_buffers=64MB" start >/dev/null; then
    started=1
    break
  fi
done
if [ "$started" != 1 ]; then
  echo "with-postgres: the server did not start; its log:" >&2
  cat "$dir/server.log" >&2 || true
  exit 1
fi

export CHOSEN_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/postgres?sslmode=disable"
echo "with-postgres: PostgreSQL $("$bindir/pg_ctl" --version | awk '{print $3}') on $CHOSEN_TEST_POSTGRES_URL"
set +e
"$@"
status=$?
set -e
exit "$status"
