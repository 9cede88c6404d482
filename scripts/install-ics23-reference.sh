#!/usr/bin/env bash
# Builds our ICS-23 reference checker (scripts/ics23-reference: a small Go program over
# github.com/cosmos/ics23/go at the version its go.mod pins) into .tools/bin (git-ignored).
# Does nothing when the binary was built from exactly the current sources: a stamp next to it
# holds their hash.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
src="$root/scripts/ics23-reference"
bin_dir="$root/.tools/bin"
binary="$bin_dir/ics23-reference"
stamp="$binary.sources-sha256"

sources_hash="$(cd "$src" && sha256sum go.mod go.sum *.go | sha256sum | cut -d' ' -f1)"
if [ -x "$binary" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sources_hash" ]; then
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "install-ics23-reference: Go is required to build scripts/ics23-reference (https://go.dev/dl)." >&2
  exit 1
fi

echo "install-ics23-reference: building scripts/ics23-reference into $bin_dir" >&2
mkdir -p "$bin_dir"
rm -f "$stamp"
# -mod=readonly: go.sum pins every module and a build never rewrites it; no VCS stamp, the
# sources hash is the version.
(cd "$src" && go build -mod=readonly -buildvcs=false -o "$binary" .)
echo '[]' | "$binary" >/dev/null
echo "$sources_hash" > "$stamp"
