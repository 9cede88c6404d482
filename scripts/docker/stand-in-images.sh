#!/usr/bin/env bash
# Provides the base images the Dockerfile names (its FROM lines: golang:<v>-bookworm and
# node:<v>-bookworm-slim) on a machine that has no registry: stand-ins under the official names,
# built from a minimal Debian bookworm root (debootstrap, from Debian's package mirror) plus this
# machine's own Node.js (`which node`; Debian's package is Node 18) and Go toolchain
# (`go env GOROOT`), and this machine's CA bundle (which may hold a local proxy's CA, so the
# build reaches the npm registry and the Go module proxy as this machine does). The Dockerfile
# then builds unchanged. An image that already exists is kept,
# so only the first run pays (a few minutes). Each stand-in must hold the exact version its tag
# names: a host with another Node or Go fails here, loudly, instead of passing off one as another.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
base=parazone-stand-in/debian:bookworm
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
ca_bundle=/etc/ssl/certs/ca-certificates.crt

from_image() { # the FROM image whose name starts with $1 (e.g. "node:")
  awk -v p="$1" 'toupper($1) == "FROM" && index($2, p) == 1 { print $2; exit }' "$root/Dockerfile"
}
node_image="$(from_image node:)"
go_image="$(from_image golang:)"
[ -n "$node_image" ] && [ -n "$go_image" ] || { echo "stand-in-images: the Dockerfile names no node: or golang: image" >&2; exit 1; }
exists() { docker image inspect "$1" >/dev/null 2>&1; }
tag_version() { local tag="${1#*:}"; echo "${tag%%-*}"; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

ensure_base() {
  exists "$base" && return
  echo "stand-in-images: debootstrap a minimal bookworm root (from $mirror)" >&2
  debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
  tar -C "$work/rootfs" -c . | docker import --change 'CMD ["bash"]' - "$base" >/dev/null
  rm -rf "$work/rootfs"
}

if ! exists "$node_image"; then
  want="v$(tag_version "$node_image")"
  node_bin="$(command -v node)"
  have="$("$node_bin" --version)"
  [ "$have" = "$want" ] || { echo "stand-in-images: $node_image needs Node $want, this machine has $have; change the Dockerfile's pin" >&2; exit 1; }
  ensure_base
  echo "stand-in-images: building $node_image from $node_bin" >&2
  ctx="$work/node"
  mkdir -p "$ctx"
  cp "$node_bin" "$ctx/node"
  cp -a "$(dirname "$(readlink -f "$(command -v npm)")")/.." "$ctx/npm"
  cp "$ca_bundle" "$ctx/ca-certificates.crt"
  printf 'cafile=%s\n' "$ca_bundle" >"$ctx/npmrc"
  # As the official image: node and npm under /usr/local, a `node` user (uid 1000), CMD node.
  cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $base
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY ca-certificates.crt $ca_bundle
COPY npmrc /usr/local/etc/npmrc
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
ENV NODE_VERSION=${want#v}
CMD ["node"]
DOCKERFILE
  docker build -q -t "$node_image" "$ctx" >/dev/null
fi

if ! exists "$go_image"; then
  want="go$(tag_version "$go_image")"
  have="$(go env GOVERSION)"
  [ "$have" = "$want" ] || { echo "stand-in-images: $go_image needs $want, this machine has $have; change the Dockerfile's pin" >&2; exit 1; }
  ensure_base
  echo "stand-in-images: building $go_image from $(go env GOROOT)" >&2
  ctx="$work/go"
  mkdir -p "$ctx"
  cp -a "$(go env GOROOT)" "$ctx/go"
  cp "$ca_bundle" "$ctx/ca-certificates.crt"
  # As the official image: Go in /usr/local/go, GOPATH /go, the local toolchain only, CA
  # certificates (the module proxy is HTTPS) and git, from Debian's mirror.
  cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $base
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates git && rm -rf /var/lib/apt/lists/*
COPY ca-certificates.crt $ca_bundle
COPY go /usr/local/go
ENV GOLANG_VERSION=${want#go} GOTOOLCHAIN=local GOPATH=/go PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN mkdir -p /go/bin /go/src
WORKDIR /go
DOCKERFILE
  docker build -q --network host -t "$go_image" "$ctx" >/dev/null
fi
echo "stand-in-images: $node_image and $go_image present" >&2
