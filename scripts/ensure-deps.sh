#!/usr/bin/env bash
# Installs what a fresh machine lacks for Loss Lab: Debian's Fashion-MNIST, libtorch (for the
# native engine, the torch backend), a C++ compiler, the npm packages; then builds the native
# engine. With --tests also what the tests need (below), installed before any test runs: a test
# that finds something missing fails, it does not skip.
# Idempotent and quick when everything is there. apt needs root (or sudo).
#   --require-native   fail when the native engine cannot be built (CI); without it the quick
#                      start goes on with the wasm backend and says why.
#   --tests            also what only the tests need: PyTorch for Python (parity), SLURM and munge,
#                      protoc and python3-protobuf (the TensorBoard tests' event-file reader),
#                      Chromium (report figures), the current PyTorch wheels (CPU and CUDA) in venvs
#                      (scripts/install-pytorch-builds.sh: the engine is tested against each).
set -euo pipefail
cd "$(dirname "$0")/.."
require_native=0 tests=0
for arg in "$@"; do
  case "$arg" in
    --require-native) require_native=1 ;;
    --tests) tests=1 ;;
    *) echo "ensure-deps: unknown option $arg" >&2; exit 2 ;;
  esac
done

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else echo "need root for: $*" >&2; return 1; fi; }

missing=()
[ -d /usr/share/datasets/fashion-mnist ] || missing+=(dataset-fashion-mnist)
# libtorch: Debian's libtorch-dev, unless LIBTORCH or a Python with torch provides one.
if [ -z "${LIBTORCH:-}" ] && [ ! -f /usr/include/torch/csrc/api/include/torch/version.h ]; then missing+=(libtorch-dev); fi
command -v c++ >/dev/null || missing+=(g++)
if [ "$tests" = 1 ]; then
  /usr/bin/python3 -c 'import torch' 2>/dev/null || missing+=(python3-torch)
  # protoc and Python's protobuf: the independent reader of TensorBoard event files (test/system/tfevents/).
  command -v protoc >/dev/null || missing+=(protobuf-compiler)
  # Headless Chromium draws the report's figures (test/unit/report).
  command -v chromium >/dev/null || missing+=(chromium)
  /usr/bin/python3 -c 'import google.protobuf' 2>/dev/null || missing+=(python3-protobuf)
  # SLURM and munge: the SLURM executor's tests start a real one-node cluster (scripts/slurm/).
  # ip (iproute2) and nsenter (util-linux): the three-node test cluster, each node in its own network namespace.
  for pair in sbatch:slurm-client slurmctld:slurmctld slurmd:slurmd munged:munge ip:iproute2 nsenter:util-linux; do
    command -v "${pair%%:*}" >/dev/null || [ -x "/usr/sbin/${pair%%:*}" ] || missing+=("${pair##*:}")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -d node_modules/@tensorflow/tfjs-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> installing npm packages (optional GPU packages may fail offline: that is expected)"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ "$tests" = 1 ]; then
  echo "==> PyTorch builds the engine is tested against (CPU wheel, CUDA build)"
  bash scripts/install-pytorch-builds.sh >/dev/null
fi

echo "==> native engine (torch backend)"
npm run build --silent
if ! node dist/cli.js build-native; then
  if [ "$require_native" = 1 ]; then echo "ensure-deps: the native engine must build here (see above)" >&2; exit 1; fi
  echo "ensure-deps: going on without the native engine: runs use the wasm backend" >&2
fi
