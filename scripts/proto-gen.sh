#!/usr/bin/env bash
# Regenerates generated/ from proto/ (and example modules' protos) with buf + the local ts-proto
# plugin. With --check, fails when the committed generated code differs from a fresh generation.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
buf="$root/node_modules/.bin/buf"

generate_into() {
  local out="$1"
  rm -rf "$out"
  "$buf" generate --template buf.gen.yaml -o "$out" .
}

if [ "${1:-}" = "--check" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  generate_into "$tmp"
  if ! diff -r "$tmp/generated" generated >/dev/null 2>&1; then
    diff -r "$tmp/generated" generated | head -40 >&2 || true
    echo "proto-gen: generated/ is stale; run 'npm run proto:gen' and commit the result" >&2
    exit 1
  fi
  echo "proto-gen: generated/ is up to date"
else
  "$buf" lint
  rm -rf generated
  "$buf" generate --template buf.gen.yaml .
  echo "proto-gen: wrote generated/"
fi
