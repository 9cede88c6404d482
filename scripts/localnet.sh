#!/usr/bin/env bash
# `npm run localnet [-- --home DIR ...]`: one command on a fresh clone. Installs what is missing
# (npm packages, CometBFT), creates a single-validator chain with a funded faucet on first run,
# starts the app and CometBFT, prints the endpoints and writes them to <home>/endpoints.json.
# Ctrl-C stops both; running it again resumes the same chain. With `--peer simd` it also runs an
# ibc-go chain, so setup builds simd (cached in .tools/bin/simd); otherwise it skips simd.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
setup_flag=--no-simd
prev=""
for arg in "$@"; do
  if [ "$arg" = "--peer=simd" ] || { [ "$prev" = "--peer" ] && [ "$arg" = "simd" ]; }; then setup_flag=""; fi
  prev="$arg"
done
bash "$root/scripts/setup.sh" $setup_flag
exec node "$root/bin/parazone.js" localnet "$@"
