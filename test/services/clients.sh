# shellcheck shell=bash
# Other real Kafka clients for the compatibility tests: Python's confluent-kafka (librdkafka
# inside its wheel) in a virtual environment under the project's ignored .venv/. kcat comes
# with the kafka service; the JavaScript clients are npm dev dependencies.
HUB_CONFLUENT_KAFKA_VERSION="${HUB_CONFLUENT_KAFKA_VERSION:-2.16.1}"

clients_up() {
  local venv="$HUB_ROOT/.venv"
  if ! "$venv/bin/python" -c "import confluent_kafka, sys; sys.exit(confluent_kafka.version() != '$HUB_CONFLUENT_KAFKA_VERSION')" 2>/dev/null; then
    say "  creating $venv with confluent-kafka $HUB_CONFLUENT_KAFKA_VERSION"
    python3 -m venv "$venv" || die "python3 -m venv failed (apt-get install python3-venv)"
    "$venv/bin/pip" install -q --disable-pip-version-check "confluent-kafka==$HUB_CONFLUENT_KAFKA_VERSION" >&2 ||
      die "pip install confluent-kafka failed"
  fi
  step clients "python confluent-kafka $("$venv/bin/python" -c 'import confluent_kafka as c; print(c.version(), "with librdkafka", c.libversion()[0])') in $venv"
}

clients_down() { :; }
