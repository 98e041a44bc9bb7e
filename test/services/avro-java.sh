# shellcheck shell=bash
# Apache Avro's own Java implementation, which the registry's Avro format is checked against
# (test/integration/registry/avro-compatibility-java.test.ts compiles a small program against it
# at test time): Debian's libavro-java (Avro 1.8.2) with the jars it needs at run time, and Avro
# $AVRO_JAVA_VERSION from Maven Central into $HUB_CACHE/avro-java-$AVRO_JAVA_VERSION/libs. The
# second is the Avro line Confluent's Schema Registry runs; Debian's is older and says only
# whether two schemas are compatible, not which incompatibilities it found nor where.
# Nothing runs here. Sourced by test/services/up after lib.sh.

AVRO_JAVA_VERSION=1.11.4 # keep in step with AVRO_JAVA_VERSION in test/services/index.ts

avro_java_up() {
  command -v javac >/dev/null || apt_ensure default-jdk-headless
  # libavro-java's runtime needs: Jackson 1 (codehaus) for parsing, SLF4J (with its no-op binding).
  apt_ensure libavro-java libjackson-json-java libslf4j-java
  local libs
  libs="$(maven_libs "avro-java-$AVRO_JAVA_VERSION" \
    "<dependency><groupId>org.apache.avro</groupId><artifactId>avro</artifactId><version>$AVRO_JAVA_VERSION</version></dependency>" \
    "avro-$AVRO_JAVA_VERSION.jar")"
  step avro-java "Debian libavro-java $(dpkg-query -W -f='${Version}' libavro-java) in /usr/share/java; Avro $AVRO_JAVA_VERSION in $libs"
}

avro_java_down() { :; }

# `up` calls <name>_up; the file name has a hyphen, so this is the name it calls.
avro-java_up() { avro_java_up; }
