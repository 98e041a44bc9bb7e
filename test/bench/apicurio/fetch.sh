#!/usr/bin/env bash
# Builds Apicurio Registry 2.4.2.Final (the registry test/bench/registry.ts compares the hub's
# with) from Maven Central artifacts, once, into $HUB_CACHE/apicurio-registry-2.4.2.Final-rN,
# and prints that directory. test/bench/registry.ts runs it when the directory is missing.
#
#   bash test/bench/apicurio/fetch.sh        # ~230 MB of downloads the first time, ~1-2 min
#
# Why this way, and why 2.4.2.Final (tried here, November 2026; the package registry this
# machine reaches serves only part of Maven Central):
#   - Apicurio ships no runnable distribution on Maven Central: its application module,
#     io.apicurio:apicurio-registry-app, is a plain jar, and the Quarkus build step that makes
#     it runnable runs in Apicurio's own build. runner/pom.xml depends on that jar and runs the
#     same step (quarkus-maven-plugin build) to get a runner jar + lib/.
#   - 3.3.3 (the newest, Java 21+; Java 25 is on the machine): apicurio-registry-app resolves,
#     but most of the modules it needs (apicurio-registry-schema-util-provider, -contracts-rules,
#     -config-index, -utils-import-export, ...) and Quarkus 3.33.3.1 itself are not served.
#   - 2.6.13.Final and 2.5.11.Final: apicurio-registry-utils-kafka is not served at either.
#   - 2.4.2.Final (Quarkus 2.16.4, Java 11+): everything resolves but two artifacts:
#     com.github.everit-org.json-schema:org.everit.json.schema (published on JitPack only,
#     replaced by the same library from Maven Central, see runner/pom.xml) and
#     io.apicurio:apicurio-common-app-components-config-index-deployment:0.1.18.Final (the
#     build-time half of a small Quarkus extension, not served: config-index-deployment/ is a
#     stand-in, installed only into this build's own Maven repository, never into ~/.m2).
#     Its Kafka-backed storage (kafkasql, a module of its own in 2.x) was not found at 2.4.2.Final.
# Storage: two builds of the same registry, whose datasource kind Quarkus fixes at build time:
#   apicurio-registry-runner.jar             Apicurio 2.4's default: SQL on an in-memory H2
#                                            database (its "in-memory" storage)
#   apicurio-registry-runner-postgresql.jar  the same SQL storage code on PostgreSQL (the app
#                                            carries its PostgreSQL statements and DDL), pointed
#                                            at a database by REGISTRY_DATASOURCE_URL etc.
# Both use the same lib/ (the PostgreSQL driver is in both builds; the H2 one leaves it unused).
#
# Every repository the Apicurio poms name (JitPack, Confluent's, Eclipse's) is redirected to
# Maven Central by a settings.xml of this build's own, so nothing else is asked for.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../../services/lib.sh
source "$HERE/../../services/lib.sh"

APICURIO_VERSION=2.4.2.Final
# Changes when the build (poms, stand-in, properties) does, so that caches rebuild.
APICURIO_REVISION=r2
HOME_DIR="$HUB_CACHE/apicurio-registry-$APICURIO_VERSION-$APICURIO_REVISION"

if [ -f "$HOME_DIR/.complete" ]; then
  printf '%s\n' "$HOME_DIR"
  exit 0
fi

command -v mvn >/dev/null || apt_ensure maven
command -v java >/dev/null || apt_ensure default-jre-headless
command -v unzip >/dev/null || apt_ensure unzip

say "apicurio: building Apicurio Registry $APICURIO_VERSION from Maven Central into $HOME_DIR (one time)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
m2="$work/m2"
cat >"$work/settings.xml" <<'EOF'
<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">
  <mirrors>
    <mirror><id>central-only</id><mirrorOf>*</mirrorOf><url>https://repo.maven.apache.org/maven2</url></mirror>
  </mirrors>
</settings>
EOF

# mvn_step TITLE DIR ARGS...: runs Maven in DIR with this build's settings and repository,
# printing a progress line every 100 downloaded files; its whole output goes to a log, shown
# (its end) only when it fails.
mvn_step() {
  local title="$1" dir="$2" log="$work/mvn-$RANDOM.log"
  shift 2
  say "  $title"
  # Success is read from the log below, not from the pipeline's status.
  (cd "$dir" && mvn -B -s "$work/settings.xml" -Dmaven.repo.local="$m2" -Dstyle.color=never "$@" 2>&1) |
    tee "$log" |
    awk '/^\[INFO\] Downloaded from/ { n++; if (n % 100 == 0) { printf "    %d files downloaded\n", n > "/dev/stderr"; fflush("/dev/stderr") } }
         END { if (n % 100) printf "    %d files downloaded\n", n > "/dev/stderr" }' || true
  if ! grep -q '^\[INFO\] BUILD SUCCESS' "$log"; then
    grep -E '^\[(ERROR|WARNING)\]' "$log" | head -40 >&2
    die "apicurio: $title failed (is Maven Central reachable?)"
  fi
}

cp -r "$HERE/config-index-deployment" "$work/config-index-deployment"
mvn_step "the config-index stand-in (config-index-deployment/)" "$work/config-index-deployment" install -DskipTests

mkdir -p "$work/runner/src/main/resources"
cp "$HERE/runner/pom.xml" "$work/runner/pom.xml"
mvn_step "apicurio-registry-app $APICURIO_VERSION" "$work" dependency:copy \
  -Dartifact="io.apicurio:apicurio-registry-app:$APICURIO_VERSION" -DoutputDirectory="$work/app"
# Apicurio's build-time configuration (package type, storage, profiles) is the app's own
# application.properties; Quarkus reads it from the application being built, so it is copied in.
unzip -q -o -j "$work/app/apicurio-registry-app-$APICURIO_VERSION.jar" application.properties -d "$work/runner/src/main/resources"
cat >>"$work/runner/src/main/resources/application.properties" <<'EOF'

# Added by test/bench/apicurio/fetch.sh: the app is a dependency here, not the module being
# built, and its jar carries no Jandex index, so Quarkus finds its beans only if told to index it.
quarkus.index-dependency.apicurio-app.group-id=io.apicurio
quarkus.index-dependency.apicurio-app.artifact-id=apicurio-registry-app
EOF
cp -r "$work/runner" "$work/runner-postgresql"
mvn_step "the Quarkus build of the registry (H2)" "$work/runner" package -DskipTests
mvn_step "the Quarkus build of the registry (PostgreSQL)" "$work/runner-postgresql" package -DskipTests -Dquarkus.datasource.db-kind=postgresql

runner="$(ls "$work"/runner/target/apicurio-registry-runner-*-runner.jar)"
runner_pg="$(ls "$work"/runner-postgresql/target/apicurio-registry-runner-*-runner.jar)"
[ -f "$runner" ] && [ -f "$runner_pg" ] && [ -d "$work/runner/target/lib" ] || die "apicurio: the builds made no runner jars and lib/"
# The two runner jars name the same jars in lib/ (their manifests' Class-Path): one lib/ serves both.
[ "$(ls "$work/runner/target/lib")" = "$(ls "$work/runner-postgresql/target/lib")" ] || die "apicurio: the H2 and PostgreSQL builds need different lib/ jars"
rm -rf "$HOME_DIR.tmp"
mkdir -p "$HOME_DIR.tmp"
mv "$runner" "$HOME_DIR.tmp/apicurio-registry-runner.jar"
mv "$runner_pg" "$HOME_DIR.tmp/apicurio-registry-runner-postgresql.jar"
mv "$work/runner/target/lib" "$HOME_DIR.tmp/lib"
touch "$HOME_DIR.tmp/.complete"
rm -rf "$HOME_DIR"
mv "$HOME_DIR.tmp" "$HOME_DIR"
chmod -R a+rX "$HOME_DIR"
say "apicurio: ready in $HOME_DIR"
printf '%s\n' "$HOME_DIR"
