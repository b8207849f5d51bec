#!/usr/bin/env bash
# A private PostgreSQL cluster for the test suite: its own data folder, port and socket folder,
# listening on 127.0.0.1 only, trusting local connections. It never touches a system cluster.
#
#   scripts/pg-test-cluster.sh start   # creates the cluster if needed, starts it if stopped,
#                                      # and prints the server's URL (for TEST_POSTGRES_URL)
#   scripts/pg-test-cluster.sh stop    # stops it (the data folder stays for the next start)
#   scripts/pg-test-cluster.sh url     # prints the URL without starting anything
#
# Both are idempotent. Settings: PG_TEST_PORT (default 55432), PG_TEST_DIR (default
# ${TMPDIR:-/tmp}/labq-pg-test-$PG_TEST_PORT), PG_BIN (default: the newest Debian
# /usr/lib/postgresql/*/bin). As root the cluster runs as the `postgres` user (initdb refuses
# root); as anyone else it runs as that user.
set -euo pipefail

port="${PG_TEST_PORT:-55432}"
dir="${PG_TEST_DIR:-${TMPDIR:-/tmp}/labq-pg-test-$port}"
data="$dir/data"
sockets="$dir/sockets"
url="postgresql://postgres@127.0.0.1:$port/postgres"

find_bin() {
  if [ -n "${PG_BIN:-}" ]; then
    echo "$PG_BIN"
    return
  fi
  local newest=""
  for candidate in /usr/lib/postgresql/*/bin; do
    [ -x "$candidate/initdb" ] && newest="$candidate"
  done
  if [ -z "$newest" ]; then
    echo "No PostgreSQL server binaries found (Debian: apt-get install -y postgresql, or set PG_BIN)." >&2
    exit 1
  fi
  echo "$newest"
}

# Runs a PostgreSQL binary as the cluster's owner, from the cluster's folder: the postgres user
# may not be allowed into the folder this was started from (a checkout under /root), and the
# binaries refuse to run where they cannot read their working folder.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd "$dir" && runuser -u postgres -- "$@")
  else
    (cd "$dir" && "$@")
  fi
}

start() {
  local bin
  bin="$(find_bin)"
  if [ ! -f "$data/PG_VERSION" ]; then
    mkdir -p "$dir"
    chmod 755 "$dir"
    # A half-made folder from an interrupted initdb would make the next one refuse.
    rm -rf "$data" "$sockets"
    mkdir -p "$data" "$sockets"
    # The server writes its data, socket and log here.
    if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$dir"; fi
    as_owner "$bin/initdb" -D "$data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null 2>"$dir/initdb.log" || {
      cat "$dir/initdb.log" >&2
      exit 1
    }
  fi
  if ! as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    # fsync off: a test cluster never needs to survive a power cut, and it halves test time.
    as_owner "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $sockets -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null || {
      tail -n 20 "$dir/server.log" >&2
      exit 1
    }
  fi
  echo "$url"
}

stop() {
  [ -f "$data/PG_VERSION" ] || return 0
  local bin
  bin="$(find_bin)"
  if as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "$url" ;;
  *)
    echo "Usage: $0 start|stop|url" >&2
    exit 64
    ;;
esac
