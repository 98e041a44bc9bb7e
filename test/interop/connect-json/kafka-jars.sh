#!/usr/bin/env bash
# Prints the directory holding Apache Kafka's JsonConverter and what it needs at run time
# (connect-json, connect-api, kafka-clients, Jackson, slf4j), plus the connect-runtime jar alone
# (for the byte-array and number converters, without the runtime's own dependencies), resolved
# once by mvn from Maven Central into $HUB_CACHE and reused after. Also makes sure a JDK (javac) is there:
# the conformance test compiles its small Java harness against these jars.
#   test/interop/connect-json/kafka-jars.sh   → /var/cache/hub/connect-json-4.3.1-r2/libs
source "$(dirname "$0")/../../services/lib.sh"

KAFKA_VERSION=4.3.1 # the version of the Apache Kafka test service (test/services/kafka.sh)
REVISION=2          # bump when the set of jars changes, so caches are rebuilt
libs="$HUB_CACHE/connect-json-$KAFKA_VERSION-r$REVISION/libs"

command -v javac >/dev/null || apt_ensure default-jdk-headless
if [ ! -f "$libs/.complete" ]; then
  command -v mvn >/dev/null || apt_ensure maven
  say "  downloading Apache Kafka $KAFKA_VERSION connect-json and its dependencies from Maven Central (one time)"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  cat >"$tmp/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>hub.test</groupId>
  <artifactId>connect-json-libs</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>connect-json</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>connect-api</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency>
      <groupId>org.apache.kafka</groupId><artifactId>connect-runtime</artifactId><version>$KAFKA_VERSION</version>
      <exclusions><exclusion><groupId>*</groupId><artifactId>*</artifactId></exclusion></exclusions>
    </dependency>
  </dependencies>
</project>
POM
  if ! (cd "$tmp" && mvn -q -B -Dstyle.color=never dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$tmp/libs" >"$tmp/mvn.log" 2>&1); then
    cat "$tmp/mvn.log" >&2
    die "could not download connect-json $KAFKA_VERSION with mvn (is Maven Central reachable?)"
  fi
  [ -f "$tmp/libs/connect-json-$KAFKA_VERSION.jar" ] || die "mvn did not produce connect-json-$KAFKA_VERSION.jar"
  touch "$tmp/libs/.complete"
  mkdir -p "$(dirname "$libs")"
  rm -rf "$libs"
  mv "$tmp/libs" "$libs"
  chmod -R a+rX "$(dirname "$libs")"
fi
printf '%s\n' "$libs"
