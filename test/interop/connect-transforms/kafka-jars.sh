#!/usr/bin/env bash
# Prints the directory holding Apache Kafka's connect-transforms jar and what it needs at run
# time (connect-api, connect-json for the record encoding, kafka-clients, Jackson, slf4j),
# resolved once from Maven Central into $HUB_CACHE; also makes sure a JDK (javac) is there, as
# the conformance test compiles TransformsHarness.java against these jars.
source "$(dirname "$0")/../../services/lib.sh"
v=4.3.1 # the version of the Apache Kafka test service (test/services/kafka.sh)
command -v javac >/dev/null || apt_ensure default-jdk-headless
maven_libs "connect-transforms-$v-r1" "\
<dependency><groupId>org.apache.kafka</groupId><artifactId>connect-api</artifactId><version>$v</version></dependency>\
<dependency><groupId>org.apache.kafka</groupId><artifactId>connect-json</artifactId><version>$v</version></dependency>\
<dependency><groupId>org.apache.kafka</groupId><artifactId>connect-transforms</artifactId><version>$v</version></dependency>" \
  "connect-transforms-$v.jar"
