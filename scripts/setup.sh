#!/usr/bin/env bash
# Brings a fresh clone to a runnable state: npm packages (with their prebuilt native modules),
# the pinned CometBFT, the ICS-23 reference checker the tests compare against, simd (the Cosmos
# SDK node bench:e2e compares with) and the compiled CLI. Each step is skipped when already done,
# so running it again is cheap.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

stamp="node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "setup: installing npm packages from package-lock.json" >&2
  # Not `npm ci`: the registry reachable here serves only this platform's prebuilt optional
  # packages (esbuild, swc, buf, lmdb…), so the lock cannot list the other platforms' and `npm ci`
  # refuses it as out of sync. `npm install --no-save` installs the locked versions and leaves the
  # lock file untouched.
  npm install --no-save --no-audit --no-fund >&2
fi

# lmdb and secp256k1 ship prebuilt binaries; fail here, loudly, if they do not load.
node -e "require('lmdb'); const s = require('secp256k1/bindings.js'); if (!s.ecdsaVerify) process.exit(1)" \
  || { echo "setup: native modules (lmdb, secp256k1) failed to load" >&2; exit 1; }

bash scripts/install-cometbft.sh
bash scripts/install-ics23-reference.sh
bash scripts/install-grpcurl.sh

# The CLI runs compiled (dist/); recompile only when the sources changed since the last build.
node scripts/build.js --if-stale
# simd serves bench:e2e, the ibc-go tests and `localnet --peer simd`; any other `npm run localnet` passes --no-simd.
[ "${1:-}" = "--no-simd" ] || bash scripts/install-simd.sh

# test/docker needs a Docker engine and the Dockerfile's base images. Only root may start an
# engine and debootstrap the stand-in images; elsewhere bring your own engine (README, Containers).
# PARAZONE_DOCKER=0 leaves the machine's Docker alone; `npm run localnet` (--no-simd) needs none.
if [ "${1:-}" != "--no-simd" ] && [ "$(id -u)" = 0 ] && [ "${PARAZONE_DOCKER:-1}" != 0 ]; then
  bash scripts/docker/start-dockerd.sh
  bash scripts/docker/stand-in-images.sh
fi

# The web page's browser tests drive Debian's Chromium (never a browser download).
command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium) >&2
# The node serves the page from dist/web: rebuild it when it is missing or older than its sources.
if [ ! -f dist/web/index.html ] || [ -n "$(find app/web generated modules/drugregistry package-lock.json -newer dist/web/index.html -print -quit)" ]; then
  echo "setup: building the web page (npm run build:web)" >&2
  npm run --silent build:web >&2
fi
