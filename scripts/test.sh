#!/usr/bin/env bash
# Runs every test of the repo and exits non-zero on any failure:
#   format + lint (Biome), typecheck, build, unit + integration tests (vitest; real anvil, real SQLite,
#   real PostgreSQL servers started per test file),
#   end-to-end tests (Playwright in Debian Chromium, headless).
# Bootstraps Node 22, pnpm, dependencies, Chromium and PostgreSQL first when they are missing
# (scripts/bootstrap.sh).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PERPSCOPE_NEED_CHROMIUM=1
export PERPSCOPE_NEED_POSTGRES=1
# shellcheck source=bootstrap.sh
source scripts/bootstrap.sh || exit 1
set +e

rm -rf apps/*/test-results/*.json packages/*/test-results/*.json
status=0
step() {
  printf '\n\033[1m== %s\033[0m\n' "$1"
  shift
  "$@" || { status=1; printf '\033[1;31m== failed: %s\033[0m\n' "$*"; }
}

step 'format + lint' pnpm -s check
step 'typecheck + build' pnpm -s turbo run typecheck build --output-logs=errors-only
# --continue: every package's tests run even when one fails; the summary below tells which.
step 'unit + integration tests' pnpm -s turbo run test --continue --log-order=grouped --concurrency=2 \
  -- --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
step 'end-to-end tests (Chromium)' pnpm -s turbo run e2e --continue --log-order=grouped --concurrency=1

node scripts/test-summary.mjs || status=1
exit "$status"
