#!/usr/bin/env bash
# `npm test`: the one command that runs everything. Installs Node.js 24 and the npm
# dependencies when missing, brings up the real test services (test/services/up), then runs
# type checking, the linter and every vitest project (unit, integration, e2e).
#   npm test                 everything
#   npm test -- <vitest args> e.g. npm test -- test/unit
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/node-env.sh
hub_ensure_deps "$root"
started=$SECONDS
if [ "${HUB_TEST_CONTAINERS:-}" = 1 ]; then
  # testcontainers starts PostgreSQL, MariaDB, Redis, Elasticsearch and MongoDB (vitest
  # globalSetup); Kafka and the Python client still come from the provisioning step.
  bash test/services/up kafka clients
else
  bash test/services/up
fi
echo "test: services ready in $((SECONDS - started))s"
echo "test: type checking (tsc --noEmit)"
npx --no-install tsc --noEmit
echo "test: linting (eslint)"
npx --no-install eslint --max-warnings 0 .
echo "test: vitest"
report="$(mktemp -d)/vitest.json"
status=0
npx --no-install vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?
# One plain closing line with the totals, for readers that do not parse vitest's summary.
node -e '
  const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
  console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' "$report" || echo "vitest: no report written (exit $status)"
exit "$status"
