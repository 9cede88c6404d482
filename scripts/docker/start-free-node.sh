#!/bin/sh
# `start-free-node.sh <network dir>`: runs `parazone start` on the first validator home of
# <network dir>/network.json that no other container runs, so that one compose service scaled to
# N replicas runs the N validators. A home is taken by holding an flock on a file in it for the
# life of the node (the lock goes when the process does, however it ends, so nothing is left to
# clean up). The chosen home is linked at $PARAZONE_HOME, where the health check looks.
set -eu
net="$1"
case "${PARAZONE_HOME:-}" in /tmp/*) ;; *) echo "start-free-node: set PARAZONE_HOME to a path under /tmp (the link to the chosen home)" >&2; exit 1 ;; esac
homes="$(node -e 'for (const n of JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).nodes) if (n.validator) console.log(n.home)' "$net/network.json")"
for home in $homes; do
  exec 9>"$home/.container.lock"
  if flock -n 9; then
    ln -sfn "$home" "$PARAZONE_HOME"
    echo "start-free-node: running $home" >&2
    exec parazone start
  fi
  exec 9>&-
done
echo "start-free-node: every validator home in $net is already running" >&2
exit 1
