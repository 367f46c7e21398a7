#!/usr/bin/env bash
# Installs what the node-driven ITs (NodeSocksClientIT, MixedProtocolsIT) need: node/npm from apt when
# missing, then the npm `socks` client at the version package-lock.json pins, into
# inprocess-proxy/src/test/node/node_modules (ignored by git). Safe to run again.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "[ci] apt-get install nodejs npm"
  apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends nodejs npm >/dev/null
fi
cd "$root/inprocess-proxy/src/test/node"
echo "[ci] node $(node --version), npm $(npm --version): npm ci in $(pwd)"
npm ci --no-audit --no-fund
