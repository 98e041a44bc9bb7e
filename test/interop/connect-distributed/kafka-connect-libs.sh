#!/usr/bin/env bash
# Prints the directory of Apache Kafka Connect 4.3.1's jars (test/services/kafka-connect.sh
# resolves them once from Maven Central) and makes sure a JDK is there: the distributed-mode
# conformance tests compile a small Java harness against them.
source "$(dirname "$0")/../../services/lib.sh"
source "$(dirname "$0")/../../services/kafka-connect.sh"
command -v javac >/dev/null || apt_ensure default-jdk-headless
kafka_connect_libs
