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
bash test/services/up
echo "test: services ready in $((SECONDS - started))s"
echo "test: type checking (tsc --noEmit)"
npx --no-install tsc --noEmit
echo "test: linting (eslint)"
npx --no-install eslint --max-warnings 0 .
echo "test: vitest"
npx --no-install vitest run "$@"
