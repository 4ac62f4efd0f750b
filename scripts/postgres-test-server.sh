#!/bin/sh
# Start a throwaway PostgreSQL server from Debian's packages on 127.0.0.1 for the test suite.
#   scripts/postgres-test-server.sh start DIR PORT [durable]   → prints the SQLAlchemy URL to use
#   scripts/postgres-test-server.sh stop DIR
# The test server skips disk flushes (fsync=off, synchronous_commit=off): fine for correctness,
# not for timing. "durable" keeps PostgreSQL's defaults (fsync and synchronous_commit on) for the
# benchmarks. PostgreSQL refuses to run as root, so as root the server runs as the "postgres" user.
set -eu
action=$1
dir=$2
port=${3:-5433}
flush="-c fsync=off -c synchronous_commit=off"
[ "${4:-}" = "durable" ] && flush="-c fsync=on -c synchronous_commit=on"

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  else
    echo "PostgreSQL is not installed: sudo apt-get install postgresql" >&2
    exit 1
  fi
fi

as_owner() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = "0" ] && chown postgres "$dir"
    as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir $flush -c max_connections=200" start >/dev/null
    echo "postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast stop >/dev/null
    ;;
esac
