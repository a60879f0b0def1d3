#!/usr/bin/env bash
# Runs perpscope-watcher. With no arguments and no config it runs the demo (local devnet chains
# and the Hyperliquid replay server); pass `run --config perpscope.yaml` to watch real networks.
# Bootstraps Node 22, pnpm and dependencies first when they are missing (scripts/bootstrap.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=bootstrap.sh
source scripts/bootstrap.sh
# The bin runs the esbuild bundle when it is up to date (RSS well under tsx's); build it when it is
# missing or the sources changed (about a second; one line either way).
node apps/watcher/bin/bundle.mjs >&2 ||
  echo "[watcher] building the bundle failed (above); running the sources through tsx instead" >&2
exec node apps/watcher/bin/perpscope-watcher.mjs "$@"
