#!/usr/bin/env bash
# A throwaway MariaDB on loopback for tests and benchmarks (no Docker, no system service).
#   scripts/mariadb.sh start [DIR] [PORT]   -> prints the DATABASE_URL to use
#   scripts/mariadb.sh stop  [DIR]
# Installs mariadb-server from Debian's packages when mariadbd is missing.
set -euo pipefail
cmd=${1:-start}
dir=${2:-/tmp/sales-mariadb}
port=${3:-3307}

find_mariadbd() {
  for b in mariadbd /usr/sbin/mariadbd /usr/sbin/mysqld; do
    if command -v "$b" >/dev/null 2>&1; then command -v "$b"; return 0; fi
  done
  return 1
}

case "$cmd" in
  start)
    if ! find_mariadbd >/dev/null; then
      echo "installing mariadb-server..." >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2
      apt-get install -y -qq mariadb-server >&2
    fi
    mariadbd=$(find_mariadbd)
    if [ -f "$dir/mysqld.pid" ] && kill -0 "$(cat "$dir/mysqld.pid")" 2>/dev/null; then
      echo "mariadb://app:app@127.0.0.1:$port/app_test"
      exit 0
    fi
    rm -rf "$dir"; mkdir -p "$dir/data"
    # tmpfs when available: the tests need no durability. One tmpfs folder per instance folder.
    if [ -d /dev/shm ] && [ -w /dev/shm ]; then
      shm="/dev/shm/sales-mariadb-$(printf '%s' "$dir" | md5sum | cut -c1-12)"
      rm -rf "$shm"; mkdir -p "$shm"
      rmdir "$dir/data"; ln -s "$shm" "$dir/data"
    fi
    mariadb-install-db --no-defaults --datadir="$dir/data" --user="$(id -un)" \
      --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1
    "$mariadbd" --no-defaults --datadir="$dir/data" --socket="$dir/mysqld.sock" --port="$port" \
      --bind-address=127.0.0.1 --pid-file="$dir/mysqld.pid" --log-error="$dir/err.log" --user="$(id -un)" \
      --skip-name-resolve --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
      --innodb-flush-log-at-trx-commit=0 --skip-log-bin --max-connections=500 >/dev/null 2>&1 &
    for _ in $(seq 1 300); do
      mariadb-admin --no-defaults --socket="$dir/mysqld.sock" -uroot ping >/dev/null 2>&1 && break
      sleep 0.1
    done
    mariadb --no-defaults --socket="$dir/mysqld.sock" -uroot -e "
      CREATE USER IF NOT EXISTS 'app'@'127.0.0.1' IDENTIFIED BY 'app';
      GRANT ALL ON *.* TO 'app'@'127.0.0.1';
      CREATE DATABASE IF NOT EXISTS app_test CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
    echo "mariadb://app:app@127.0.0.1:$port/app_test"
    ;;
  stop)
    if [ -f "$dir/mysqld.pid" ]; then
      pid=$(cat "$dir/mysqld.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    if [ -L "$dir/data" ]; then rm -rf "$(readlink "$dir/data")"; fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop [DIR] [PORT]" >&2; exit 2 ;;
esac
