#!/usr/bin/env bash
# Installs the pinned CometBFT into .tools/bin (git-ignored). Does nothing when that exact
# version is already there. The pin lives in scripts/cometbft-version, and only there.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version="$(tr -d '[:space:]' < "$root/scripts/cometbft-version")"
bin_dir="$root/.tools/bin"
binary="$bin_dir/cometbft"

if [ -x "$binary" ] && "$binary" version 2>/dev/null | grep -qx "${version#v}"; then
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "install-cometbft: Go is required to build CometBFT $version (https://go.dev/dl)." >&2
  exit 1
fi

echo "install-cometbft: building CometBFT $version into $bin_dir (first run only, takes a few minutes)" >&2
mkdir -p "$bin_dir"
# GOBIN puts the binary in the project folder; GOFLAGS keeps module metadata read-only.
GOBIN="$bin_dir" GOFLAGS=-mod=mod go install "github.com/cometbft/cometbft/cmd/cometbft@$version"
"$binary" version >/dev/null
echo "install-cometbft: installed $("$binary" version)" >&2
