#!/usr/bin/env bash
# Installs what a fresh machine lacks for Loss Lab: npm packages and Debian's Fashion-MNIST.
# Idempotent and quick when everything is there. apt needs root (or sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else echo "need root for: $*" >&2; return 1; fi; }

if [ ! -d /usr/share/datasets/fashion-mnist ]; then
  echo "==> installing Debian's dataset-fashion-mnist"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist >/dev/null
fi

if [ ! -d node_modules/@tensorflow/tfjs-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> installing npm packages (optional GPU packages may fail offline: that is expected)"
  npm ci --no-audit --no-fund --loglevel=error
fi
