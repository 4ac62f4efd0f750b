#!/bin/sh
# Start a throwaway Redis server from Debian's packages on 127.0.0.1 (the job queue and the rate
# limits of several app servers share it: README, "Several machines").
#   scripts/redis-test-server.sh start DIR PORT   → prints the redis:// URL to use
#   scripts/redis-test-server.sh stop DIR
set -eu
action=$1
dir=$2
port=${3:-6380}

server=$(command -v redis-server || true)
if [ -z "$server" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >&2
    server=$(command -v redis-server)
  else
    echo "Redis is not installed: sudo apt-get install redis-server" >&2
    exit 1
  fi
fi

case "$action" in
  start)
    mkdir -p "$dir"
    # Only this machine may connect (no password on a loopback test server); nothing saved to disk.
    "$server" --bind 127.0.0.1 --port "$port" --dir "$dir" --save "" --appendonly no \
      --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >&2
    i=0
    until redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1; do
      i=$((i + 1)); [ $i -gt 100 ] && { echo "Redis did not start: see $dir/redis.log" >&2; exit 1; }
      sleep 0.1
    done
    echo "redis://127.0.0.1:$port/0"
    ;;
  stop)
    [ -s "$dir/redis.pid" ] && kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
    ;;
esac
