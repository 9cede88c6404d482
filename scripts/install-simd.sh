#!/usr/bin/env bash
# Builds the Cosmos SDK node that bench:e2e measures our chain against (scripts/simd: ibc-go's
# simapp behind the SDK's server commands) into .tools/bin/simd (git-ignored). The pin is
# scripts/simd/go.mod with its go.sum (ibc-go, and through it the SDK and CometBFT versions), and
# only there. Nothing to do when it was built from the current sources; a cold build takes about
# ten minutes on two cores.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/lib/go-program.sh"
install_go_program simd "$root/scripts/simd" " (first run only, takes about ten minutes)"
