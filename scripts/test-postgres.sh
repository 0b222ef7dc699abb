#!/usr/bin/env bash
# Runs the test suite against a throwaway local PostgreSQL cluster.
#
#   scripts/test-postgres.sh [test command...]
#
# The test command defaults to `.venv/bin/python -m pytest -q -n 2`; `make test` passes the
# same command it used for the SQLite run. The script finds initdb/pg_ctl on the PATH or in
# Debian's install folder (/usr/lib/postgresql/<version>/bin, highest version first), creates
# a cluster in a temporary folder, starts it on a free port on 127.0.0.1, runs the command with
# DATABASE_URL pointing at it, and always stops the cluster and deletes the folder afterwards.
# Its exit code is the test command's.
#
# PostgreSQL refuses to run as root, so when this runs as root (as CI does) the cluster runs as
# the unprivileged `nobody` user, which owns the temporary folder.
#
# When no PostgreSQL server is installed it says so and exits 0, unless REQUIRE_POSTGRES=1
# (set by .ci/run), which makes that a failure so CI can never skip the PostgreSQL run quietly.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$#" -eq 0 ]; then
  set -- .venv/bin/python -m pytest -q -n 2
fi

say() { echo "test-postgres: $*"; }

find_pg_bin() {
  local initdb_path pg_ctl_path dir
  initdb_path=$(command -v initdb 2>/dev/null || true)
  pg_ctl_path=$(command -v pg_ctl 2>/dev/null || true)
  if [ -n "$initdb_path" ] && [ -n "$pg_ctl_path" ]; then
    # Resolve symlinks so pg_isready and createdb come from the same install.
    dirname "$(readlink -f "$pg_ctl_path")"
    return 0
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

if ! PG_BIN=$(find_pg_bin); then
  if [ "${REQUIRE_POSTGRES:-0}" = "1" ]; then
    say "PostgreSQL is not installed, but REQUIRE_POSTGRES=1: install it (Debian: apt-get install postgresql)." >&2
    exit 1
  fi
  echo "PostgreSQL is not installed: the PostgreSQL run was not done" \
    "(install it, e.g. apt-get install postgresql, to run the suite on PostgreSQL too)."
  exit 0
fi

free_port() {
  "${PYTHON:-.venv/bin/python}" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# Run PostgreSQL's programs as an unprivileged user when we are root.
if [ "$(id -u)" = "0" ]; then
  PG_USER=nobody
  as_pg() { runuser -u "$PG_USER" -- "$@"; }
else
  PG_USER=$(id -un)
  as_pg() { "$@"; }
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/socex-pg.XXXXXX")
chmod 700 "$WORK"
DATA="$WORK/data"
SOCKETS="$WORK/sockets"
LOG="$WORK/postgres.log"
mkdir -p "$SOCKETS"
[ "$(id -u)" = "0" ] && chown -R "$PG_USER" "$WORK"
STARTED=0

cleanup() {
  local status=$?
  if [ "$STARTED" = "1" ]; then
    (cd "$WORK" && as_pg "$PG_BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1) \
      || say "could not stop the cluster cleanly (see above)" >&2
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PORT=$(free_port)
DB_USER=socex
DB_NAME=socex
LOCALE_ARGS=(--no-locale)
if locale -a 2>/dev/null | grep -qix 'c\.utf-\?8'; then
  LOCALE_ARGS=(--locale=C.UTF-8)
fi

say "PostgreSQL $("$PG_BIN/pg_ctl" --version | awk '{print $3}') from $PG_BIN; cluster in $WORK (user $PG_USER), port $PORT"
# cd into the work folder: the unprivileged user may not be able to read the current one.
cd "$WORK"
as_pg "$PG_BIN/initdb" -D "$DATA" -U "$DB_USER" --auth=trust --encoding=UTF8 "${LOCALE_ARGS[@]}" >"$WORK/initdb.log" 2>&1 \
  || { cat "$WORK/initdb.log" >&2; say "initdb failed" >&2; exit 1; }

# Durability off: this cluster is thrown away, and the suite runs faster without fsync.
as_pg "$PG_BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
  -o "-p $PORT -k $SOCKETS -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null \
  || { cat "$LOG" >&2; say "the cluster did not start" >&2; exit 1; }
STARTED=1

for _ in $(seq 1 60); do
  if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -U "$DB_USER"; then
    break
  fi
  sleep 0.5
done
"$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -U "$DB_USER" || { cat "$LOG" >&2; say "the cluster is not ready" >&2; exit 1; }
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PORT" -U "$DB_USER" "$DB_NAME"
cd - >/dev/null

say "running: $*"
set +e
DATABASE_URL="postgres://$DB_USER@127.0.0.1:$PORT/$DB_NAME" "$@"
status=$?
set -e
if [ "$status" -eq 0 ]; then
  say "the suite passed on PostgreSQL"
else
  say "the suite FAILED on PostgreSQL (exit $status)" >&2
fi
exit "$status"
