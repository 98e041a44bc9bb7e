# shellcheck shell=bash
# A MongoDB-wire-protocol server for the MongoDB connector tests.
#
# The planned server, FerretDB v1 (SQLite backend, built with Go), cannot be had here: the Go
# module proxy refuses github.com/FerretDB/FerretDB (403, "This module version is not
# available", for v1.24.1 and for the version list), and FerretDB v2 needs PostgreSQL's
# DocumentDB extension, which Debian does not ship. The next best real server from the reachable
# registries is NX-27017 (PyPI `nx-27017`): a MongoDB wire protocol server over SQLite that
# reports wire versions 17-25, so the current `mongodb` driver (v7, needs >= 9) talks to it.
# (mongo-java-server on Maven Central stops at wire version 8.) Known gap: no change streams.
HUB_NX27017_VERSION="${HUB_NX27017_VERSION:-0.8.1}"

mongo_up() {
  if [ -n "${HUB_TEST_MONGO_URL:-}" ]; then step mongo "$HUB_TEST_MONGO_URL (from HUB_TEST_MONGO_URL)"; return; fi
  local venv="$HUB_CACHE/nx-27017-$HUB_NX27017_VERSION" dir="$HUB_RUN_DIR/mongo" port="$HUB_TEST_MONGO_PORT"
  if [ ! -x "$venv/bin/nx-27017" ]; then
    say "  installing NX-27017 $HUB_NX27017_VERSION (MongoDB wire protocol over SQLite) into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv" || die "python3 -m venv failed (apt-get install python3-venv)"
    "$venv/bin/pip" install -q --disable-pip-version-check "nx-27017==$HUB_NX27017_VERSION" >&2 ||
      { rm -rf "$venv"; die "pip install nx-27017 failed"; }
  fi
  if ! port_open "$port"; then
    mkdir -p "$dir/data"
    daemonize "$dir/nx-27017.out" "$dir/nx-27017.pid" "$venv/bin/nx-27017" --host 127.0.0.1 --port "$port" \
      --data-dir "$dir/data" --log-file "$dir/nx-27017.log" --pid-file "$dir/nx-27017.inner.pid"
    wait_port "$port" 30 mongo "$dir/nx-27017.log"
  fi
  step mongo "mongodb://127.0.0.1:$port/ (NX-27017 $HUB_NX27017_VERSION, MongoDB wire protocol over SQLite)"
}

mongo_down() { stop_pidfile "$HUB_RUN_DIR/mongo/nx-27017.pid" mongo; }
