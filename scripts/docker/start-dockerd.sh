#!/usr/bin/env bash
# Makes a Docker engine and docker-compose available, for test/docker: does nothing when `docker
# info` already answers; otherwise (root only) installs Debian's docker.io, docker-compose and
# debootstrap when missing and starts dockerd in the background.
#
# The engine started here makes no network of its own (no bridge, no iptables rules): the
# project's containers use host networking on loopback ports, and image builds that fetch
# packages run with `--network host`.
#
# Compose: Debian bookworm packages only docker-compose v1 (1.29, Python); the `docker compose` v2
# plugin (docker-compose-plugin / docker-compose-v2) is not in bookworm. The compose file is
# written in the format both read, so either one runs it.
set -euo pipefail

if docker info >/dev/null 2>&1 && command -v docker-compose >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "start-dockerd: no Docker engine answers and this is not root; start one yourself (see README, Containers)" >&2
  exit 1
fi

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  echo "start-dockerd: installing ${missing[*]} with apt-get" >&2
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi

if ! docker info >/dev/null 2>&1; then
  log=/var/log/parazone-dockerd.log
  echo "start-dockerd: starting dockerd (log in $log)" >&2
  # setsid: the engine outlives the shell that started it, as a service would.
  setsid dockerd --bridge=none --iptables=false --ip6tables=false --ip-masq=false >>"$log" 2>&1 < /dev/null &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  docker info >/dev/null 2>&1 || { echo "start-dockerd: dockerd did not answer within 30 s; see $log" >&2; tail -20 "$log" >&2; exit 1; }
fi
echo "start-dockerd: $(docker version --format 'engine {{.Server.Version}}'), $(docker-compose version --short 2>/dev/null | sed 's/^/docker-compose /')" >&2
