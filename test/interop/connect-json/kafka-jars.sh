#!/usr/bin/env bash
# Prints the directory holding Apache Kafka's JsonConverter and what it needs at run time
# (connect-json, connect-api, kafka-clients, Jackson, slf4j), plus the connect-runtime jar alone
# (for the byte-array and number converters, without the runtime's own dependencies), resolved
# once from Maven Central into $HUB_CACHE. Also makes sure a JDK (javac) is there: the
# conformance test compiles its small Java harness against these jars.
source "$(dirname "$0")/../../services/lib.sh"
v=4.3.1 # the version of the Apache Kafka test service (test/services/kafka.sh)
command -v javac >/dev/null || apt_ensure default-jdk-headless
# The -rN suffix changes when the set of jars does, so caches are rebuilt.
maven_libs "connect-json-$v-r2" "\
<dependency><groupId>org.apache.kafka</groupId><artifactId>connect-json</artifactId><version>$v</version></dependency>\
<dependency><groupId>org.apache.kafka</groupId><artifactId>connect-api</artifactId><version>$v</version></dependency>\
<dependency><groupId>org.apache.kafka</groupId><artifactId>connect-runtime</artifactId><version>$v</version>\
<exclusions><exclusion><groupId>*</groupId><artifactId>*</artifactId></exclusion></exclusions></dependency>" \
  "connect-json-$v.jar"
