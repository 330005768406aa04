#!/usr/bin/env bash
# A throwaway MariaDB on loopback for tests and benchmarks (no Docker, no system service).
#   scripts/mariadb.sh start   [DIR] [PORT]   -> prints the DATABASE_URL to use
#   scripts/mariadb.sh stop    [DIR]
#   scripts/mariadb.sh kill    [DIR]          SIGKILL the server (a crash); its data stays in DIR
#   scripts/mariadb.sh restart [DIR]          start the server again on DIR's data (no re-initialisation),
#                                             same port and settings; prints the DATABASE_URL
#   scripts/mariadb.sh start-replica DIR PORT PRIMARY_DIR
#                                             a read replica of the instance in PRIMARY_DIR (started with
#                                             MARIADB_BINLOG=1): GTID replication from the primary's first
#                                             transaction, read_only; returns once it has caught up with
#                                             the primary; prints the replica's DATABASE_URL. stop, kill
#                                             and restart work on it as on any instance (a restarted replica
#                                             resumes replication by itself).
# `start` makes a fast, non-durable instance (data on tmpfs, redo log flushed about once a second).
# With MARIADB_DURABLE=1, `start` keeps the data on disk with MariaDB's default durable settings
# (redo log written and flushed at every commit): what a crash test needs.
# With MARIADB_BINLOG=1, `start` makes a primary that replicas can follow: binary log (row format),
# server id = its port, and a replication user 'repl'@'127.0.0.1' (password 'repl').
# Installs mariadb-server from Debian's packages when mariadbd is missing.
set -euo pipefail
cmd=${1:-start}
dir=${2:-/tmp/sales-mariadb}
port=${3:-3307}
primary_dir=${4:-}

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
  # Instances made before replication existed have no `replication` setting: no binary log.
  # In a session of its own (setsid): the server outlives whatever started it (a test that restarts a
  # replica, a job runner that ends its process group); stop and kill find it by its pid file.
  # shellcheck disable=SC2086
  $(command -v setsid || true) "$(find_mariadbd)" --no-defaults --datadir="$dir/data" --socket="$dir/mysqld.sock" --port="$port" \
    --bind-address=127.0.0.1 --pid-file="$dir/mysqld.pid" --log-error="$dir/err.log" --user="$(id -un)" \
    --skip-name-resolve --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    ${replication:---skip-log-bin} --max-connections=500 $durability >/dev/null 2>&1 &
  for _ in $(seq 1 600); do
    mariadb-admin --no-defaults --socket="$dir/mysqld.sock" -uroot ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "mariadbd did not answer within 60 s (see $dir/err.log)" >&2
  return 1
}

sql() { mariadb --no-defaults --socket="$dir/mysqld.sock" -uroot -e "$1"; }

# Makes a fresh instance in "$dir" (tmpfs unless MARIADB_DURABLE=1) with the binary-log settings in
# $replication, and starts it. Installs mariadb-server first when it is missing.
install_instance() {
  if ! find_mariadbd >/dev/null; then
    echo "installing mariadb-server..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq mariadb-server >&2
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
  printf 'port=%q\ndurability=%q\nreplication=%q\n' "$port" "$durability" "$replication" >"$dir/server.conf"
  mariadb-install-db --no-defaults --datadir="$dir/data" --user="$(id -un)" \
    --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1
  launch
}

# Waits until the replica in "$dir" has applied every transaction the primary in $1 has logged so far.
wait_caught_up() {
  local pos
  pos=$(mariadb --no-defaults --socket="$1/mysqld.sock" -uroot -NB -e 'SELECT @@gtid_binlog_pos')
  if [ "$(mariadb --no-defaults --socket="$dir/mysqld.sock" -uroot -NB -e "SELECT MASTER_GTID_WAIT('$pos', 60)")" != 0 ]; then
    echo "the replica in $dir did not catch up with the primary (position $pos) within 60 s:" >&2
    mariadb --no-defaults --socket="$dir/mysqld.sock" -uroot -e 'SHOW SLAVE STATUS\G' >&2 || true
    return 1
  fi
}

case "$cmd" in
  start)
    if running; then
      echo "mariadb://app:app@127.0.0.1:$port/app_test"
      exit 0
    fi
    if [ "${MARIADB_BINLOG:-0}" = 1 ]; then
      replication="--log-bin=binlog --binlog-format=ROW --server-id=$port"
    else
      replication="--skip-log-bin"
    fi
    install_instance
    sql "
      CREATE USER IF NOT EXISTS 'app'@'127.0.0.1' IDENTIFIED BY 'app';
      GRANT ALL ON *.* TO 'app'@'127.0.0.1';
      CREATE DATABASE IF NOT EXISTS app_test CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
    if [ "${MARIADB_BINLOG:-0}" = 1 ]; then
      sql "CREATE USER IF NOT EXISTS 'repl'@'127.0.0.1' IDENTIFIED BY 'repl'; GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1';"
    fi
    echo "mariadb://app:app@127.0.0.1:$port/app_test"
    ;;
  start-replica)
    [ -n "$primary_dir" ] && [ -f "$primary_dir/server.conf" ] || { echo "usage: $0 start-replica DIR PORT PRIMARY_DIR (a running instance)" >&2; exit 2; }
    primary_port=$( (. "$primary_dir/server.conf"; echo "$port") )
    primary_sql() { mariadb --no-defaults --socket="$primary_dir/mysqld.sock" -uroot -NB -e "$1"; }
    [ "$(primary_sql 'SELECT @@log_bin')" = 1 ] || { echo "the primary in $primary_dir has no binary log: start it with MARIADB_BINLOG=1" >&2; exit 1; }
    if running; then
      echo "mariadb://app:app@127.0.0.1:$port/app_test"
      exit 0
    fi
    # Its own server id; read-only for every user without the READ_ONLY ADMIN privilege (the app's
    # writes there fail); replication threads started again by a restart. Its own binary log, without
    # what it applies from the primary (log_slave_updates off): it holds only writes made on the replica
    # itself, so @@gtid_binlog_pos stays empty unless something wrote there directly.
    replication="--log-bin=binlog --binlog-format=ROW --log-slave-updates=0 --server-id=$port --read-only=1 --relay-log=relay-bin"
    install_instance
    # Everything comes from the primary's binary log, from its first transaction: the app user, its
    # grants and databases included (the primary's `start` wrote them after enabling the log).
    sql "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$primary_port, MASTER_USER='repl', MASTER_PASSWORD='repl',
           MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1;
         START SLAVE;"
    wait_caught_up "$primary_dir"
    # ALL PRIVILEGES includes READ_ONLY ADMIN: take it from the app here, so that read_only binds it.
    sql "SET sql_log_bin = 0; REVOKE READ_ONLY ADMIN ON *.* FROM 'app'@'127.0.0.1'" 2>/dev/null || true
    echo "mariadb://app:app@127.0.0.1:$port/app_test"
    ;;
  catch-up)
    # scripts/mariadb.sh catch-up REPLICA_DIR PRIMARY_DIR: waits until the replica has applied everything
    # the primary has committed so far (60 s at most).
    primary_dir=${3:-}
    [ -n "$primary_dir" ] || { echo "usage: $0 catch-up REPLICA_DIR PRIMARY_DIR" >&2; exit 2; }
    wait_caught_up "$primary_dir"
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
    echo "usage: $0 start|stop|kill|restart [DIR] [PORT] | start-replica DIR PORT PRIMARY_DIR | catch-up DIR PRIMARY_DIR" >&2; exit 2 ;;
esac
