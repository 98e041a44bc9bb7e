# shellcheck shell=bash
# Shared helpers for the provisioning scripts in test/services/. Sourced, never run.
#
# Layout (both overridable):
#   HUB_CACHE    downloads and builds, kept across clones: Node 24, Kafka jars, the
#                Elasticsearch distribution, the FerretDB binary.
#   HUB_RUN_DIR  data directories, logs and pid files of the running test services.
# As root both live outside /root, because PostgreSQL and Elasticsearch refuse to run as
# root and run as the unprivileged user $HUB_SERVICE_USER, which must be able to read them.
set -euo pipefail

HUB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../../scripts/node-env.sh
source "$HUB_ROOT/scripts/node-env.sh"
if [ "$(id -u)" = 0 ]; then
  HUB_RUN_DIR="${HUB_RUN_DIR:-/var/lib/hub-test}"
  HUB_SERVICE_USER="${HUB_SERVICE_USER:-hubtest}"
else
  HUB_RUN_DIR="${HUB_RUN_DIR:-$HUB_CACHE/run}"
  HUB_SERVICE_USER="$(id -un)"
fi
export HUB_RUN_DIR HUB_SERVICE_USER
mkdir -p "$HUB_CACHE" "$HUB_RUN_DIR"
chmod 755 "$HUB_CACHE" "$HUB_RUN_DIR"

# Fixed loopback ports, away from the defaults so that a hub or a real server the user
# runs on 9092/5432/... is never touched by the tests.
: "${HUB_TEST_PG_PORT:=55432}"
: "${HUB_TEST_MYSQL_PORT:=53306}"
: "${HUB_TEST_REDIS_PORT:=56379}"
: "${HUB_TEST_ES_PORT:=59200}"
: "${HUB_TEST_MONGO_PORT:=57017}"
: "${HUB_TEST_KAFKA_PORT:=59092}"
: "${HUB_TEST_KAFKA_CONTROLLER_PORT:=59093}"

say() { printf '%s\n' "$*" >&2; }
step() { printf '  %-14s %s\n' "$1:" "$2" >&2; }
die() { printf 'test/services: %s\n' "$*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_port PORT SECONDS NAME [LOGFILE]: polls until something accepts on the port.
wait_port() {
  local port="$1" secs="$2" name="$3" log="${4:-}" i
  for ((i = 0; i < secs * 5; i++)); do
    port_open "$port" && return 0
    sleep 0.2
  done
  [ -n "$log" ] && [ -f "$log" ] && tail -n 30 "$log" >&2
  die "$name did not start listening on 127.0.0.1:$port within ${secs}s${log:+ (log: $log)}"
}

# Runs a command as the unprivileged service user (a no-op wrapper when not root).
as_service_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u "$HUB_SERVICE_USER" -- "$@"; else "$@"; fi
}

ensure_service_user() {
  [ "$(id -u)" = 0 ] || return 0
  id -u "$HUB_SERVICE_USER" >/dev/null 2>&1 ||
    useradd --system --no-create-home --shell /usr/sbin/nologin "$HUB_SERVICE_USER"
}

# Installs Debian packages that are missing (only possible as root; otherwise names them).
apt_ensure() {
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || die "missing Debian packages: ${missing[*]} (sudo apt-get install ${missing[*]})"
  say "  installing Debian packages: ${missing[*]}"
  if [ -z "$(find /var/lib/apt/lists -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
    apt-get update -qq >>"$HUB_RUN_DIR/apt.log" 2>&1 || die "apt-get update failed (log: $HUB_RUN_DIR/apt.log)"
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >>"$HUB_RUN_DIR/apt.log" 2>&1 || { tail -n 20 "$HUB_RUN_DIR/apt.log" >&2; die "apt-get install ${missing[*]} failed"; }
}

# Starts a long-running server detached from this shell, logging to a file.
# daemonize LOGFILE PIDFILE CMD... (the command runs as the current user)
daemonize() {
  local log="$1" pid="$2"; shift 2
  nohup setsid "$@" >>"$log" 2>&1 </dev/null &
  echo $! >"$pid"
}

# Downloads one Maven Central artifact into the cache (mvn keeps ~/.m2 as its own cache).
# maven_get GROUP:ARTIFACT:VERSION[:PACKAGING[:CLASSIFIER]] DEST_DIR
maven_get() {
  local out
  # Maven prints colour codes and progress even in batch mode; show its output only on failure.
  out="$(mvn -q -B -Dstyle.color=never dependency:copy -Dartifact="$1" -DoutputDirectory="$2" -Dmdep.useBaseVersion=true 2>&1)" ||
    { printf '%s\n' "$out" >&2; return 1; }
}

# stop_pidfile PIDFILE NAME: SIGTERM, wait up to 30 s, then SIGKILL.
stop_pidfile() {
  local pidfile="$1" name="$2" pid i
  [ -f "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for ((i = 0; i < 150; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    say "  stopped $name"
  fi
  rm -f "$pidfile"
}

# maven_libs NAME DEPENDENCIES_XML CHECK_JAR: resolves the runtime closure of the given pom
# <dependency> elements once into $HUB_CACHE/NAME/libs (marked complete only when whole) and
# prints that directory. For test harnesses that run Apache Kafka's own Java code.
maven_libs() {
  local name="$1" deps="$2" check="$3" libs="$HUB_CACHE/$1/libs" tmp
  if [ ! -f "$libs/.complete" ]; then
    command -v mvn >/dev/null || apt_ensure maven
    say "  downloading $name from Maven Central (one time)"
    tmp="$(mktemp -d)"
    printf '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion><groupId>hub.test</groupId><artifactId>%s</artifactId><version>1</version><packaging>pom</packaging><dependencies>%s</dependencies></project>\n' "$name" "$deps" >"$tmp/pom.xml"
    if ! (cd "$tmp" && mvn -q -B -Dstyle.color=never dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory="$tmp/libs" >"$tmp/mvn.log" 2>&1); then
      cat "$tmp/mvn.log" >&2
      rm -rf "$tmp"
      die "could not download $name with mvn (is Maven Central reachable?)"
    fi
    [ -f "$tmp/libs/$check" ] || { rm -rf "$tmp"; die "mvn did not produce $check"; }
    touch "$tmp/libs/.complete"
    mkdir -p "$(dirname "$libs")"
    rm -rf "$libs"
    mv "$tmp/libs" "$libs"
    rm -rf "$tmp"
    chmod -R a+rX "$(dirname "$libs")"
  fi
  printf '%s\n' "$libs"
}
