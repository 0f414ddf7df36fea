#!/usr/bin/env bash
# Installs what the tests need, once: npm packages (npm ci) and Debian's PyTorch and ONNX,
# the oracles the PyTorch and ONNX shapes are judged by. Fast when everything is already there. Fails loudly, with what
# to do, when something is missing and cannot be installed here.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
fi

oracles_ok() { /usr/bin/python3 -c 'import torch, onnx' >/dev/null 2>&1; }
if ! oracles_ok; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian's python3-torch and python3-onnx (the PyTorch and ONNX oracles)"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-torch python3-onnx
  fi
  if ! oracles_ok; then
    echo "setup: the oracle tests need Debian's python3-torch and python3-onnx (apt-get install python3-torch python3-onnx, as root)" >&2
    exit 1
  fi
fi
