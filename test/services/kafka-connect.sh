# shellcheck shell=bash
# Apache Kafka Connect 4.3.1 as the reference the hub's Connect worker is compared with: the
# jars of connect-runtime (with Jetty, Jersey, Jackson, HK2 ...), connect-file (the FileStream
# connectors), connect-transforms and connect-json, resolved once from Maven Central into
# $HUB_CACHE/kafka-connect-$KAFKA_CONNECT_VERSION-rN/libs, plus a log4j2 config next to them.
# Nothing runs here: each test starts its own distributed worker as a child process
# (test/support/kafka-connect-process.ts) against the broker it tests. Sourced by
# test/services/up after lib.sh.

KAFKA_CONNECT_VERSION=4.3.1 # the version of the Apache Kafka test service (kafka.sh)
# The slf4j 1.7 → log4j2 binding at the log4j-core version Kafka itself depends on (as kafka.sh).
KAFKA_CONNECT_LOG4J_VERSION=2.25.4
# The -rN suffix changes when the set of jars or the generated config does, so caches rebuild.
KAFKA_CONNECT_REVISION=r1

kafka_connect_name() { printf '%s\n' "kafka-connect-$KAFKA_CONNECT_VERSION-$KAFKA_CONNECT_REVISION"; }

# Prints the libs directory, downloading it the first time. kafkaConnectHome() in
# test/support/kafka-connect-process.ts knows the same path (keep the revision in step).
kafka_connect_libs() {
  local v="$KAFKA_CONNECT_VERSION"
  maven_libs "$(kafka_connect_name)" "\
<dependency><groupId>org.apache.kafka</groupId><artifactId>connect-runtime</artifactId><version>$v</version></dependency>\
<dependency><groupId>org.apache.kafka</groupId><artifactId>connect-file</artifactId><version>$v</version></dependency>\
<dependency><groupId>org.apache.kafka</groupId><artifactId>connect-transforms</artifactId><version>$v</version></dependency>\
<dependency><groupId>org.apache.kafka</groupId><artifactId>connect-json</artifactId><version>$v</version></dependency>\
<dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>$KAFKA_CONNECT_LOG4J_VERSION</version></dependency>" \
    "connect-runtime-$v.jar"
}

# The worker logs to stdout (the test harness sends it to a file): Connect's own lifecycle at
# INFO, the chatty Kafka clients and the plugin scanner at WARN.
kafka_connect_write_log_config() {
  local file="$1"
  cat >"$file" <<'EOF'
status = error
appender.out.type = Console
appender.out.name = STDOUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.out.ref = STDOUT
logger.clients.name = org.apache.kafka.clients
logger.clients.level = warn
logger.common.name = org.apache.kafka.common
logger.common.level = warn
logger.reflections.name = org.reflections
logger.reflections.level = error
EOF
}

kafka_connect_up() {
  local libs home
  command -v java >/dev/null || apt_ensure default-jre-headless
  libs="$(kafka_connect_libs)"
  home="$(dirname "$libs")"
  if [ ! -f "$home/connect-log4j2.properties" ]; then
    kafka_connect_write_log_config "$home/connect-log4j2.properties.tmp"
    mv "$home/connect-log4j2.properties.tmp" "$home/connect-log4j2.properties"
    chmod a+r "$home/connect-log4j2.properties"
  fi
  step kafka-connect "Apache Kafka Connect $KAFKA_CONNECT_VERSION jars in $libs (workers are started by the tests)"
}

# `up` calls <name>_up; the file name has a hyphen, so this is the name it calls.
kafka-connect_up() { kafka_connect_up; }
