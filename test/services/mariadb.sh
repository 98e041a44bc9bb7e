# shellcheck shell=bash
# MariaDB from Debian's packages, with the binary log on in row format (for MySQL CDC).
mariadb_up() {
  if [ -n "${HUB_TEST_MYSQL_URL:-}" ]; then step mariadb "$HUB_TEST_MYSQL_URL (from HUB_TEST_MYSQL_URL)"; return; fi
  apt_ensure mariadb-server
  local dir="$HUB_RUN_DIR/mariadb" port="$HUB_TEST_MYSQL_PORT" user
  user="$(id -un)"
  if ! port_open "$port"; then
    mkdir -p "$dir"
    if [ ! -d "$dir/data/mysql" ]; then
      say "  initialising a MariaDB data directory in $dir/data"
      mariadb-install-db --no-defaults --user="$user" --datadir="$dir/data" \
        --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1 ||
        { cat "$dir/install.log" >&2; die "mariadb-install-db failed"; }
    fi
    daemonize "$dir/mariadb.log" "$dir/launcher.pid" mariadbd --no-defaults --user="$user" \
      --datadir="$dir/data" --bind-address=127.0.0.1 --port="$port" --socket="$dir/mariadb.sock" \
      --pid-file="$dir/mariadb.pid" --log-bin="$dir/data/binlog" --binlog-format=ROW \
      --binlog-row-image=FULL --server-id=1 --innodb-flush-log-at-trx-commit=0 --skip-name-resolve
    wait_port "$port" 60 mariadb "$dir/mariadb.log"
    # The daemon may accept TCP before the socket is ready for the admin client.
    local i; for ((i = 0; i < 50; i++)); do mariadb --no-defaults -S "$dir/mariadb.sock" -uroot -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.2; done
  fi
  mariadb --no-defaults -S "$dir/mariadb.sock" -uroot >/dev/null <<'SQL'
CREATE DATABASE IF NOT EXISTS hub;
CREATE USER IF NOT EXISTS 'hub'@'%' IDENTIFIED BY 'hub';
CREATE USER IF NOT EXISTS 'hub'@'localhost' IDENTIFIED BY 'hub';
GRANT ALL PRIVILEGES ON *.* TO 'hub'@'%' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'hub'@'localhost' WITH GRANT OPTION;
SQL
  step mariadb "mysql://hub:hub@127.0.0.1:$port/hub ($(mariadb --no-defaults -S "$dir/mariadb.sock" -uroot -N -e 'SELECT CONCAT("MariaDB ", VERSION(), ", binlog_format=", @@binlog_format)'))"
}

mariadb_down() { stop_pidfile "$HUB_RUN_DIR/mariadb/mariadb.pid" mariadb; rm -f "$HUB_RUN_DIR/mariadb/launcher.pid"; }
