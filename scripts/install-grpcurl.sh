#!/usr/bin/env bash
# Installs the pinned grpcurl (a gRPC client from outside the project, used by the API tests and
# handy for poking at a node: `grpcurl -plaintext 127.0.0.1:9090 list`) into .tools/bin
# (git-ignored). Does nothing when that exact version is already there.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version="v1.9.3"
bin_dir="$root/.tools/bin"
binary="$bin_dir/grpcurl"

if [ -x "$binary" ] && "$binary" -version 2>&1 | grep -q "${version}\$"; then
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "install-grpcurl: Go is required to build grpcurl $version (https://go.dev/dl)." >&2
  exit 1
fi

echo "install-grpcurl: building grpcurl $version into $bin_dir (first run only)" >&2
mkdir -p "$bin_dir"
# GOBIN puts the binary in the project folder; GOFLAGS keeps module metadata read-only.
GOBIN="$bin_dir" GOFLAGS=-mod=mod go install -ldflags "-X main.version=$version" "github.com/fullstorydev/grpcurl/cmd/grpcurl@$version"
"$binary" -version >/dev/null 2>&1
echo "install-grpcurl: installed $("$binary" -version 2>&1)" >&2
