#!/usr/bin/env bash
# Installs what the tests need, once: npm packages (npm ci) and Debian's PyTorch, the oracle
# every shape is judged by. Fast when everything is already there. Fails loudly, with what
# to do, when something is missing and cannot be installed here.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
fi

torch_ok() { /usr/bin/python3 -c 'import torch' >/dev/null 2>&1; }
if ! torch_ok; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian's python3-torch (the PyTorch oracle)"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-torch
  fi
  if ! torch_ok; then
    echo "setup: PyTorch is missing: the oracle tests need Debian's python3-torch (apt-get install python3-torch, as root)" >&2
    exit 1
  fi
fi
