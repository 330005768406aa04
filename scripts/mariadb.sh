#!/usr/bin/env bash
# A throwaway MariaDB on loopback for tests and benchmarks (no Docker, no system service).
#   scripts/mariadb.sh start   [DIR] [PORT]   -> prints the DATABASE_URL to use
#   scripts/mariadb.sh stop    [DIR]
#   scripts/mariadb.sh kill    [DIR]          SIGKILL the server (a crash); its data stays in DIR
#   scripts/mariadb.sh restart [DIR]          start the server again on DIR's data (no re-initialisation),
#                                             same port and settings; prints the DATABASE_URL
# `start` makes a fast, non-durable instance (data on tmpfs, redo log flushed about once a second).
# With MARIADB_DURABLE=1, `start` keeps the data on disk with MariaDB's default durable settings
# (redo log written and flushed at every commit): what a crash test needs.
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

running() {
  [ -f "$dir/mysqld.pid" ] && kill -0 "$(cat "$dir/mysqld.pid")" 2>/dev/null
}

# Starts mariadbd on "$dir/data" with the settings saved in "$dir/server.conf" and waits until it
# answers (crash recovery included). Fails when it does not come up within 60 s.
launch() {
  # shellcheck disable=SC1091
  . "$dir/server.conf"
  "$(find_mariadbd)" --no-defaults --datadir="$dir/data" --socket="$dir/mysqld.sock" --port="$port" \
    --bind-address=127.0.0.1 --pid-file="$dir/mysqld.pid" --log-error="$dir/err.log" --user="$(id -un)" \
    --skip-name-resolve --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --skip-log-bin --max-connections=500 $durability >/dev/null 2>&1 &
  for _ in $(seq 1 600); do
    mariadb-admin --no-defaults --socket="$dir/mysqld.sock" -uroot ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "mariadbd did not answer within 60 s (see $dir/err.log)" >&2
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
    if running; then
      echo "mariadb://app:app@127.0.0.1:$port/app_test"
      exit 0
    fi
    if [ -L "$dir/data" ]; then rm -rf "$(readlink "$dir/data")"; fi
    rm -rf "$dir"; mkdir -p "$dir/data"
    if [ "${MARIADB_DURABLE:-0}" = 1 ]; then
      # Disk and MariaDB's defaults: every acknowledged commit survives a crash of the server.
      durability=""
    else
      durability="--innodb-flush-log-at-trx-commit=0"
      # tmpfs when available: the tests need no durability. One tmpfs folder per instance folder.
      if [ -d /dev/shm ] && [ -w /dev/shm ]; then
        shm="/dev/shm/sales-mariadb-$(printf '%s' "$dir" | md5sum | cut -c1-12)"
        rm -rf "$shm"; mkdir -p "$shm"
        rmdir "$dir/data"; ln -s "$shm" "$dir/data"
      fi
    fi
    printf 'port=%q\ndurability=%q\n' "$port" "$durability" >"$dir/server.conf"
    mariadb-install-db --no-defaults --datadir="$dir/data" --user="$(id -un)" \
      --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1
    launch
    mariadb --no-defaults --socket="$dir/mysqld.sock" -uroot -e "
      CREATE USER IF NOT EXISTS 'app'@'127.0.0.1' IDENTIFIED BY 'app';
      GRANT ALL ON *.* TO 'app'@'127.0.0.1';
      CREATE DATABASE IF NOT EXISTS app_test CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
    echo "mariadb://app:app@127.0.0.1:$port/app_test"
    ;;
  restart)
    [ -f "$dir/server.conf" ] || { echo "no instance in $dir: use start" >&2; exit 1; }
    # shellcheck disable=SC1091
    . "$dir/server.conf"
    running || launch
    echo "mariadb://app:app@127.0.0.1:$port/app_test"
    ;;
  kill)
    if running; then
      pid=$(cat "$dir/mysqld.pid")
      kill -KILL "$pid"
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    fi
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
    echo "usage: $0 start|stop|kill|restart [DIR] [PORT]" >&2; exit 2 ;;
esac
