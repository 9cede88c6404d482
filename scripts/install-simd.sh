#!/usr/bin/env bash
# Builds the Cosmos SDK node that bench:e2e measures our chain against (scripts/simd: ibc-go's
# simapp behind the SDK's server commands) into .tools/bin/simd (git-ignored). The pin is
# scripts/simd/go.mod with its go.sum (ibc-go, and through it the SDK and CometBFT versions), and
# only there. Does nothing when the binary was built from exactly these sources (a stamp beside it);
# otherwise Go's build and module caches (~/.cache/go-build, ~/go/pkg/mod) keep a rebuild short,
# while a cold build takes about ten minutes on two cores.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
src="$root/scripts/simd"
bin_dir="$root/.tools/bin"
binary="$bin_dir/simd"
stamp="$binary.sources-sha256"
sources="$(cd "$src" && cat go.mod go.sum ./*.go | sha256sum | cut -d' ' -f1)"

if [ -x "$binary" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sources" ]; then
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "install-simd: Go is required to build simd (https://go.dev/dl)." >&2
  exit 1
fi

echo "install-simd: building simd from scripts/simd into $bin_dir (first run only, takes about ten minutes)" >&2
mkdir -p "$bin_dir"
# -mod=readonly: the build uses go.mod and go.sum as committed and never rewrites them.
(cd "$src" && go build -mod=readonly -trimpath -o "$binary.partial" .)
mv "$binary.partial" "$binary"
echo "$sources" > "$stamp"
echo "install-simd: installed $binary" >&2
