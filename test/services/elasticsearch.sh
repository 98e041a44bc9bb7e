# shellcheck shell=bash
# Elasticsearch 8 from the `integ-test-zip` distribution Elastic publishes to Maven Central
# (org.elasticsearch.distribution.integ-test-zip:elasticsearch:<version>:zip). It is the
# server without a bundled JDK and with a minimal module set (transport-netty4, x-pack-core,
# x-pack-security, apm): the core document, index, bulk, mapping and search APIs are all there;
# painless scripting, ingest pipelines, data streams, reindex/update_by_query, analysis-common
# and rest-root (GET / and HEAD /, i.e. the clients' info() and ping()) are not.
# It runs on the machine's JDK 17+ (Elasticsearch 9 needs Java 21, and the npm client is 8.x).
# Elasticsearch refuses to run as root: it runs as the service user, from a config copy in
# $HUB_RUN_DIR/elasticsearch/config.
: "${HUB_ES_VERSION:=8.19.21}"
: "${HUB_TEST_ES_TRANSPORT_PORT:=59300}"

es_home() { echo "$HUB_CACHE/elasticsearch-$HUB_ES_VERSION"; }

# Prints a Java home of version 17 or newer: ES_JAVA_HOME, JAVA_HOME or the `java` on PATH,
# installing Debian's JDK 17 runtime when there is none.
es_java_home() {
  local home="${ES_JAVA_HOME:-${JAVA_HOME:-}}" major
  if [ -z "$home" ]; then
    command -v java >/dev/null || apt_ensure openjdk-17-jre-headless
    home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  fi
  [ -x "$home/bin/java" ] || die "no java in $home (set ES_JAVA_HOME to a JDK 17+)"
  major="$("$home/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')"
  [ "${major:-0}" -ge 17 ] || die "Elasticsearch $HUB_ES_VERSION needs Java 17+, $home is Java ${major:-?}"
  echo "$home"
}

# Downloads and unpacks the distribution once into the cache.
es_install() {
  local home tmp
  home="$(es_home)"
  [ -x "$home/bin/elasticsearch" ] && return 0
  command -v mvn >/dev/null || apt_ensure maven
  command -v unzip >/dev/null || apt_ensure unzip
  say "  downloading Elasticsearch $HUB_ES_VERSION (integ-test-zip, ~105 MB) from Maven Central"
  tmp="$(mktemp -d "$HUB_CACHE/.elasticsearch.XXXXXX")"
  maven_get "org.elasticsearch.distribution.integ-test-zip:elasticsearch:$HUB_ES_VERSION:zip" "$tmp" ||
    { rm -rf "$tmp"; die "could not download Elasticsearch $HUB_ES_VERSION from Maven Central"; }
  unzip -q "$tmp/elasticsearch-$HUB_ES_VERSION.zip" -d "$tmp" ||
    { rm -rf "$tmp"; die "could not unpack Elasticsearch $HUB_ES_VERSION"; }
  chmod -R a+rX "$tmp/elasticsearch-$HUB_ES_VERSION"
  rm -rf "$home"
  mv "$tmp/elasticsearch-$HUB_ES_VERSION" "$home"
  rm -rf "$tmp"
}

# The cluster health status (green, yellow, red) or nothing when the node does not answer.
es_health() {
  curl -fsS --max-time 3 "http://127.0.0.1:$HUB_TEST_ES_PORT/_cluster/health" 2>/dev/null |
    sed -n 's/.*"status":"\([a-z]*\)".*/\1/p' || true
}

es_step() {
  local version
  # (GET / belongs to the rest-root module, which this distribution leaves out.)
  version="$(curl -fsS --max-time 3 "http://127.0.0.1:$HUB_TEST_ES_PORT/_cat/nodes?h=version" | head -1 || true)"
  step elasticsearch "http://127.0.0.1:$HUB_TEST_ES_PORT (Elasticsearch ${version:-?}, health $1)"
}

# Writes a fresh config directory from the distribution's, with our settings.
es_write_config() {
  local dir="$1" conf="$1/config"
  rm -rf "$conf"
  cp -R "$(es_home)/config" "$conf"
  cat >"$conf/elasticsearch.yml" <<YAML
# Written by test/services/elasticsearch.sh: a single test node on loopback.
cluster.name: hub-test
node.name: hub-test
path.data: $dir/data
path.logs: $dir/logs
network.host: 127.0.0.1
http.port: $HUB_TEST_ES_PORT
transport.port: $HUB_TEST_ES_TRANSPORT_PORT
discovery.type: single-node
xpack.security.enabled: false
# Test data only: never refuse writes or shard allocation because the disk is filling up.
cluster.routing.allocation.disk.threshold_enabled: false
# Let tests clean up with wildcard index deletes.
action.destructive_requires_name: false
YAML
}

elasticsearch_up() {
  if [ -n "${HUB_TEST_ES_URL:-}" ]; then step elasticsearch "$HUB_TEST_ES_URL (from HUB_TEST_ES_URL)"; return; fi
  command -v curl >/dev/null || apt_ensure curl
  local dir="$HUB_RUN_DIR/elasticsearch" port="$HUB_TEST_ES_PORT" pidfile status java_home i pid=""
  pidfile="$dir/elasticsearch.pid"
  status="$(es_health)"
  if [ "$status" = green ] || [ "$status" = yellow ]; then es_step "$status"; return; fi

  [ -f "$pidfile" ] && pid="$(cat "$pidfile")"
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
    port_open "$port" && die "127.0.0.1:$port is taken by something that is not a healthy Elasticsearch"
    es_install
    java_home="$(es_java_home)"
    ensure_service_user
    mkdir -p "$dir"
    # Data from another Elasticsearch version may not open: it is test data, start afresh.
    if [ "$(cat "$dir/version" 2>/dev/null)" != "$HUB_ES_VERSION" ]; then
      rm -rf "$dir/data"
      echo "$HUB_ES_VERSION" >"$dir/version"
    fi
    mkdir -p "$dir/data" "$dir/logs" "$dir/tmp"
    rm -f "$pidfile"
    es_write_config "$dir"
    chown -R "$HUB_SERVICE_USER" "$dir"
    say "  starting Elasticsearch $HUB_ES_VERSION (Java $("$java_home/bin/java" -version 2>&1 | sed -n '1s/.*"\(.*\)".*/\1/p'))"
    # -d: the launcher returns once the node has started (or failed); the node's pid goes to
    # the pid file. Startup errors land in startup.log, the node's own log in logs/hub-test.log
    # (the node's working directory is the logs directory, so GC logs and JVM error files go
    # there too). No heap pre-touch: the node then holds only the memory it uses.
    (cd "$dir" && as_service_user env ES_JAVA_HOME="$java_home" ES_PATH_CONF="$dir/config" \
      ES_TMPDIR="$dir/tmp" ES_JAVA_OPTS="-Xms512m -Xmx512m -XX:-AlwaysPreTouch" \
      "$(es_home)/bin/elasticsearch" -d -p "$pidfile" >"$dir/logs/startup.log" 2>&1) ||
      { tail -n 40 "$dir/logs/startup.log" "$dir/logs/hub-test.log" 2>/dev/null >&2; die "Elasticsearch did not start"; }
  fi

  for ((i = 0; i < 180; i++)); do
    status="$(es_health)"
    if [ "$status" = green ] || [ "$status" = yellow ]; then es_step "$status"; return; fi
    if [ -f "$pidfile" ] && ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then break; fi
    sleep 0.5
  done
  tail -n 40 "$dir/logs/startup.log" "$dir/logs/hub-test.log" 2>/dev/null >&2
  die "Elasticsearch on 127.0.0.1:$port did not become healthy (health: ${status:-no answer}; logs: $dir/logs)"
}

elasticsearch_down() { stop_pidfile "$HUB_RUN_DIR/elasticsearch/elasticsearch.pid" elasticsearch; }
