#!/usr/bin/env bash
# Regenerates TypeScript codecs with buf + the local ts-proto plugin, for our protos
# (proto/ → generated/) and for each example module's own workspace (examples/X/proto →
# examples/X/generated), plus each workspace's generated/descriptors.binpb: the message schemas the
# tx decoder's unknown-field check walks (scripts/proto-descriptors.ts; the root's also holds the
# upstream messages a tx can carry, read from their Go modules, and the root also gets
# api-descriptors.binpb, the services the gRPC server and REST gateway serve). With --check, fails when
# committed generated code is stale.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
buf="$root/node_modules/.bin/buf"

workspaces=("$root")
for dir in "$root"/examples/*/; do
  [ -f "$dir/buf.gen.yaml" ] && workspaces+=("${dir%/}")
done

# Writes <dir>/descriptors.binpb for the workspace in the current directory.
descriptors() {
  local image scope=()
  image="$(mktemp)"
  "$buf" build --exclude-source-info -o "$image#format=binpb" .
  [ "$PWD" = "$root" ] || scope=(--local-only)
  (cd "$root" && node --import tsx scripts/proto-descriptors.ts "$image" "$1/descriptors.binpb" "${scope[@]}")
  rm -f "$image"
}

# Writes into <dir> the codecs of the few upstream (ibc-go) protos cosmjs-types lacks a field of,
# with their imports (scripts/proto-upstream.ts); files our own protos generate already are kept.
upstream() {
  local image out
  image="$(mktemp)"
  out="$(mktemp -d)"
  (cd "$root" && node --import tsx scripts/proto-upstream.ts "$image")
  "$buf" generate --template "$root/buf.gen.yaml" --include-imports -o "$out" "$image#format=binpb"
  cp -rn "$out/generated/." "$1/"
  rm -rf "$image" "$out"
}

stale=0
for ws in "${workspaces[@]}"; do
  cd "$ws"
  if [ "${1:-}" = "--check" ]; then
    tmp="$(mktemp -d)"
    "$buf" generate --template buf.gen.yaml -o "$tmp" .
    [ "$ws" = "$root" ] && upstream "$tmp/generated"
    descriptors "$tmp/generated"
    if ! diff -r "$tmp/generated" generated >/dev/null 2>&1; then
      diff -r "$tmp/generated" generated | head -20 >&2 || true
      echo "proto-gen: ${ws#$root/}/generated is stale; run 'npm run proto:gen' and commit the result" >&2
      stale=1
    fi
    rm -rf "$tmp"
  else
    "$buf" lint
    rm -rf generated
    "$buf" generate --template buf.gen.yaml .
    [ "$ws" = "$root" ] && upstream "$ws/generated"
    descriptors "$ws/generated"
    echo "proto-gen: wrote ${ws#$root/}/generated" >&2
  fi
done
[ "$stale" = 0 ] || exit 1
[ "${1:-}" = "--check" ] && echo "proto-gen: generated code is up to date" >&2
exit 0
