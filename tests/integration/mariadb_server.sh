#!/usr/bin/env bash
# Starts or stops a throwaway MariaDB server on loopback for the tests:
#   mariadb_server.sh start DIR PORT   (mariadb-install-db in DIR, listen on 127.0.0.1:PORT)
#   mariadb_server.sh stop DIR
# The server's root user has no password (loopback only, throwaway data).
# As root, the server runs as user mysql (mariadbd refuses to run as root
# without --user).
set -euo pipefail
cmd=$1 dir=$2
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u mysql -- "$@"; else "$@"; fi
}
stop() {
  [ -f "$dir/mariadbd.pid" ] || return 0
  local pid
  pid=$(cat "$dir/mariadbd.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 600); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "mariadb test server (pid $pid) did not stop in 60 s" >&2
      return 1
    fi
  fi
  rm -f "$dir/mariadbd.pid"
}
case "$cmd" in
  start)
    port=$3
    stop >/dev/null 2>&1 || true
    rm -rf "$dir" && mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown mysql "$dir"
    as_owner mariadb-install-db --no-defaults --datadir="$dir/data" --auth-root-authentication-method=normal \
      --skip-test-db --skip-name-resolve >"$dir/install.log" 2>&1 || { cat "$dir/install.log"; exit 1; }
    # Detached from ctest's pipes (setsid, own log files), so the test ends
    # while the server keeps running until the stop test.
    as_owner setsid mariadbd --no-defaults --datadir="$dir/data" --bind-address=127.0.0.1 --port="$port" \
      --socket="$dir/mariadbd.sock" --pid-file="$dir/mariadbd.pid" --log-error="$dir/server.log" \
      --skip-name-resolve --skip-log-bin --innodb-buffer-pool-size=64M --innodb-log-file-size=16M \
      --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --max-connections=60 \
      --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
      </dev/null >"$dir/stdout.log" 2>&1 &
    for _ in $(seq 1 600); do
      if mariadb-admin --no-defaults --protocol=tcp -h 127.0.0.1 -P "$port" -u root --connect-timeout=2 ping \
        >/dev/null 2>&1; then
        echo "mariadb test server on 127.0.0.1:$port ($dir)"
        exit 0
      fi
      if ! kill -0 $! 2>/dev/null && [ ! -f "$dir/mariadbd.pid" ]; then break; fi
      sleep 0.1
    done
    echo "mariadb test server did not start on 127.0.0.1:$port" >&2
    cat "$dir/server.log" >&2 2>/dev/null || true
    exit 1
    ;;
  stop)
    stop
    ;;
  *) echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
