# shellcheck shell=bash
# PostgreSQL from Debian's packages, with logical decoding on (wal_level=logical) for CDC.
# Runs as the unprivileged service user (initdb and postgres refuse root).
pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && { echo "$d"; return; }; done
  return 1
}

postgres_up() {
  if [ -n "${HUB_TEST_PG_URL:-}" ]; then step postgres "$HUB_TEST_PG_URL (from HUB_TEST_PG_URL)"; return; fi
  apt_ensure postgresql
  ensure_service_user
  local bin dir="$HUB_RUN_DIR/postgres" port="$HUB_TEST_PG_PORT"
  bin="$(pg_bin)" || die "PostgreSQL binaries not found under /usr/lib/postgresql"
  if ! port_open "$port"; then
    mkdir -p "$dir"
    chown "$HUB_SERVICE_USER" "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      say "  initialising a PostgreSQL cluster in $dir/data"
      as_service_user "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    fi
    mkdir -p "$dir/socket"; chown "$HUB_SERVICE_USER" "$dir/socket"
    as_service_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start -o \
      "-c listen_addresses=127.0.0.1 -p $port -k $dir/socket -c wal_level=logical \
       -c max_replication_slots=40 -c max_wal_senders=40 -c max_connections=200 \
       -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null ||
      { tail -n 30 "$dir/postgres.log" >&2; die "PostgreSQL did not start"; }
  fi
  # The role and database the tests use (REPLICATION for logical replication slots).
  psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qAt -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
SELECT 'CREATE ROLE hub LOGIN SUPERUSER REPLICATION PASSWORD ''hub'''
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hub') \gexec
SELECT 'CREATE DATABASE hub OWNER hub' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'hub') \gexec
SQL
  step postgres "postgres://hub:hub@127.0.0.1:$port/hub (PostgreSQL $(psql -h 127.0.0.1 -p "$port" -U hub -d hub -qAt -c 'SHOW server_version' | cut -d' ' -f1), wal_level=logical)"
}

postgres_down() {
  local bin dir="$HUB_RUN_DIR/postgres"
  [ -f "$dir/data/postmaster.pid" ] || return 0
  bin="$(pg_bin)" || return 0
  as_service_user "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null && say "  stopped postgres"
}
