#!/usr/bin/env bash
# Runs perpscope-watcher. With no arguments and no config it runs the demo (local devnet chains
# and the Hyperliquid replay server); pass `run --config perpscope.yaml` to watch real networks.
# Bootstraps Node 22, pnpm and dependencies first when they are missing (scripts/bootstrap.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=bootstrap.sh
source scripts/bootstrap.sh
exec node apps/watcher/bin/perpscope-watcher.mjs "$@"
