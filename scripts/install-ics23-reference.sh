#!/usr/bin/env bash
# Builds our ICS-23 reference checker (scripts/ics23-reference: a small Go program over
# github.com/cosmos/ics23/go at the version its go.mod pins) into .tools/bin (git-ignored);
# nothing to do when it was built from the current sources.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/lib/go-program.sh"
install_go_program ics23-reference "$root/scripts/ics23-reference" ""
# It answers an empty request list: a binary that cannot run fails here, not in the tests.
echo '[]' | "$root/.tools/bin/ics23-reference" >/dev/null
