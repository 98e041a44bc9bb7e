#!/usr/bin/env bash
# Prints the directory holding Apache Kafka's connect-transforms jar and what it needs at run time
# (connect-api, connect-json for the record encoding, kafka-clients, Jackson, slf4j), resolved
# once by mvn from Maven Central into $HUB_CACHE and reused after; also makes sure a JDK (javac)
# is there, as the conformance test compiles TransformsHarness.java against these jars.
#   test/interop/connect-transforms/kafka-jars.sh   → /var/cache/hub/connect-transforms-4.3.1-r1/libs
source "$(dirname "$0")/../../services/lib.sh"

KAFKA_VERSION=4.3.1 # the version of the Apache Kafka test service (test/services/kafka.sh)
REVISION=1          # bump when the set of jars changes, so caches are rebuilt
libs="$HUB_CACHE/connect-transforms-$KAFKA_VERSION-r$REVISION/libs"

command -v javac >/dev/null || apt_ensure default-jdk-headless
if [ ! -f "$libs/.complete" ]; then
  command -v mvn >/dev/null || apt_ensure maven
  say "  downloading Apache Kafka $KAFKA_VERSION connect-transforms and its dependencies from Maven Central (one time)"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  cat >"$tmp/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>hub.test</groupId>
  <artifactId>connect-transforms-libs</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>connect-transforms</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>connect-json</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>connect-api</artifactId><version>$KAFKA_VERSION</version></dependency>
  </dependencies>
</project>
POM
  if ! (cd "$tmp" && mvn -q -B -Dstyle.color=never dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$tmp/libs" >"$tmp/mvn.log" 2>&1); then
    cat "$tmp/mvn.log" >&2
    die "could not download connect-transforms $KAFKA_VERSION with mvn (is Maven Central reachable?)"
  fi
  [ -f "$tmp/libs/connect-transforms-$KAFKA_VERSION.jar" ] || die "mvn did not produce connect-transforms-$KAFKA_VERSION.jar"
  touch "$tmp/libs/.complete"
  mkdir -p "$(dirname "$libs")"
  rm -rf "$libs"
  mv "$tmp/libs" "$libs"
  chmod -R a+rX "$(dirname "$libs")"
fi
printf '%s\n' "$libs"
