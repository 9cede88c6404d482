#!/usr/bin/env bash
# `npm run localnet [-- --home DIR ...]`: one command on a fresh clone. Installs what is missing
# (npm packages, CometBFT), creates a single-validator chain with a funded faucet on first run,
# starts the app and CometBFT, prints the endpoints and writes them to <home>/endpoints.json.
# Ctrl-C stops both; running it again resumes the same chain.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/setup.sh" --no-simd
exec node "$root/bin/parazone.js" localnet "$@"
