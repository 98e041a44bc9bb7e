# shellcheck shell=bash
# Other real Kafka clients for the compatibility tests: Python's confluent-kafka (librdkafka
# inside its wheel) in a virtual environment under the project's ignored .venv/, and
# @confluentinc/kafka-javascript (Node bindings to librdkafka) built once into the cache.
# kcat comes with the kafka service; the pure-JavaScript clients are npm dev dependencies.
HUB_CONFLUENT_KAFKA_VERSION="${HUB_CONFLUENT_KAFKA_VERSION:-2.16.1}"
HUB_CONFLUENT_KAFKA_JS_VERSION="${HUB_CONFLUENT_KAFKA_JS_VERSION:-1.10.1}"
HUB_SCHEMA_REGISTRY_PY_DEPS=(certifi==2026.10.18 httpx==0.28.1 attrs==26.1.0 cachetools==8.0.1 authlib==1.9.9
  fastavro==1.13.1 jsonschema==4.26.0 referencing==0.37.0 protobuf==7.36.2 googleapis-common-protos==1.76.0)
HUB_SCHEMA_REGISTRY_PY_CHECK="
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroSerializer
from confluent_kafka.schema_registry.json_schema import JSONSerializer
from confluent_kafka.schema_registry.protobuf import ProtobufSerializer"

clients_up() {
  local venv="$HUB_ROOT/.venv"
  if ! "$venv/bin/python" -c "import confluent_kafka, sys; sys.exit(confluent_kafka.version() != '$HUB_CONFLUENT_KAFKA_VERSION')" 2>/dev/null; then
    say "  creating $venv with confluent-kafka $HUB_CONFLUENT_KAFKA_VERSION"
    python3 -m venv "$venv" || die "python3 -m venv failed (apt-get install python3-venv)"
    "$venv/bin/pip" install -q --disable-pip-version-check "confluent-kafka==$HUB_CONFLUENT_KAFKA_VERSION" >&2 ||
      die "pip install confluent-kafka failed"
  fi
  # The Schema Registry client's dependencies, pinned: confluent-kafka's [schemaregistry] extra
  # asks for a certifi newer than the package registry here serves, so they go in one by one.
  if ! "$venv/bin/python" -c "$HUB_SCHEMA_REGISTRY_PY_CHECK" 2>/dev/null; then
    say "  adding the Schema Registry client's dependencies to $venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "${HUB_SCHEMA_REGISTRY_PY_DEPS[@]}" >&2 ||
      die "pip install of the Schema Registry client's dependencies failed"
  fi
  step clients "python confluent-kafka $("$venv/bin/python" -c 'import confluent_kafka as c; print(c.version(), "with librdkafka", c.libversion()[0])') in $venv"
  clients_confluent_js_up
}

# Prints "<package version> with librdkafka <version>" when the package loads from the
# directory given (an npm prefix whose node_modules holds it) in this Node, else fails.
clients_confluent_js_version() {
  (cd "$1" 2>/dev/null && node -e '
    const m = require("@confluentinc/kafka-javascript");
    console.log(require("@confluentinc/kafka-javascript/package.json").version, "with librdkafka", m.librdkafkaVersion);' 2>/dev/null)
}

# @confluentinc/kafka-javascript's install script downloads a prebuilt addon from GitHub or,
# failing that, builds librdkafka with dependencies it downloads too; neither works offline.
# With CKJS_LINKING=dynamic it builds its bundled librdkafka against the Debian libraries
# instead, which takes minutes, so this happens once per version, outside npm ci.
# HUB_TEST_CONFLUENT_KAFKA_JS_DIR names an existing install instead (see test/services/index.ts).
clients_confluent_js_up() {
  local dir="${HUB_TEST_CONFLUENT_KAFKA_JS_DIR:-$HUB_CACHE/confluent-kafka-javascript-$HUB_CONFLUENT_KAFKA_JS_VERSION}"
  local version log="$HUB_RUN_DIR/confluent-kafka-javascript-build.log"
  if ! version="$(clients_confluent_js_version "$dir")"; then
    [ -z "${HUB_TEST_CONFLUENT_KAFKA_JS_DIR:-}" ] ||
      die "HUB_TEST_CONFLUENT_KAFKA_JS_DIR=$dir has no loadable @confluentinc/kafka-javascript"
    apt_ensure g++ make python3 pkg-config \
      libssl-dev libsasl2-dev libzstd-dev liblz4-dev zlib1g-dev libcurl4-openssl-dev
    say "  building @confluentinc/kafka-javascript $HUB_CONFLUENT_KAFKA_JS_VERSION and its librdkafka into $dir" \
      "(one time, 2-4 minutes; log: $log)"
    rm -rf "$dir" "$dir.partial"
    mkdir -p "$dir.partial"
    # build_from_source skips the download attempt; nodedir gives node-gyp the headers of
    # the Node 24 that will load the addon (scripts/node-env.sh sets it for the cached Node;
    # a system Node >= 24 usually has them under its prefix), instead of fetching them.
    local nodedir="${npm_config_nodedir:-$(dirname "$(dirname "$(command -v node)")")}"
    [ -f "$nodedir/include/node/common.gypi" ] || nodedir=""
    if ! (cd "$dir.partial" && { [ -z "$nodedir" ] || export npm_config_nodedir="$nodedir"; } &&
      CKJS_LINKING=dynamic npm_config_build_from_source=true nice \
      npm install --prefix "$dir.partial" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "@confluentinc/kafka-javascript@$HUB_CONFLUENT_KAFKA_JS_VERSION") >"$log" 2>&1; then
      tail -n 30 "$log" >&2
      die "building @confluentinc/kafka-javascript failed (log: $log)"
    fi
    # The addon loads build/deps/librdkafka.so; the objects and archives of the build are
    # ~250 MB that nothing reads.
    local pkg="$dir.partial/node_modules/@confluentinc/kafka-javascript"
    find "$pkg/deps/librdkafka" \( -name '*.o' -o -name '*.d' -o -name '*.a' -o -name '*.so*' \) -delete
    find "$pkg/build/deps" -name '*.a' -delete
    # The addon finds its librdkafka.so through a relative rpath, so the tree can move.
    mv "$dir.partial" "$dir"
    version="$(clients_confluent_js_version "$dir")" ||
      die "@confluentinc/kafka-javascript was built in $dir but does not load (log: $log)"
  fi
  step clients "@confluentinc/kafka-javascript $version in $dir"
}

clients_down() { :; }
