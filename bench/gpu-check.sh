#!/usr/bin/env bash
# GPU check: on a machine with an NVIDIA GPU (and perhaps no internet), which of Loss Lab's GPU
# backends load, and their training throughput on the quick benchmark next to wasm's; with a CUDA
# PyTorch installed, the torch engine built against it, against PyTorch on the same GPU.
# A few minutes at most. Needs a built dist/ (npm run build) and node >= 20; the optional GPU
# packages are used when present in node_modules:
#   @tensorflow/tfjs-node-gpu   (CUDA 11.2 / cuDNN 8.1; its install downloads libtensorflow)
#   webgpu + @tensorflow/tfjs-backend-webgpu   (Dawn over Vulkan; prebuilt in the npm package)
# Usage: bash bench/gpu-check.sh [OUT_DIR]     (writes gpu-check.txt and gpu-bench.json there)
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-${OUT:-gpu-check-out}}
mkdir -p "$OUT"
exec > >(tee "$OUT/gpu-check.txt") 2>&1

echo "== machine"
date -u +%FT%TZ
uname -srm
nproc
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || echo "nvidia-smi: not found"
nvidia-smi 2>/dev/null | grep -o 'CUDA Version: [0-9.]*' || true
ls /usr/lib/x86_64-linux-gnu/libvulkan.so.1 /usr/share/vulkan/icd.d/ 2>/dev/null || echo "no Vulkan loader/ICDs found (WebGPU needs libvulkan1 and the NVIDIA ICD)"
ldconfig -p 2>/dev/null | grep -E 'libcudart|libcudnn' | head -4 || true

# The pack made by bench/gpu-check-pack.sh, for machines without node (and without internet).
ROOT=.
if [ -d .gpucheck ] && { ! command -v node >/dev/null || [ ! -d node_modules ]; }; then
  echo "using .gpucheck/ (bench/gpu-check-pack.sh)"
  ROOT=.gpucheck
  if ! command -v node >/dev/null; then
    xz -dc .gpucheck/node.xz > /tmp/gpucheck-node && chmod +x /tmp/gpucheck-node
    mkdir -p /tmp/gpucheck-bin && ln -sf /tmp/gpucheck-node /tmp/gpucheck-bin/node && export PATH=/tmp/gpucheck-bin:$PATH
  fi
  dawn=.gpucheck/node_modules/webgpu/dist/linux-x64/dawn.node
  [ -f "$dawn.xz" ] && [ ! -f "$dawn" ] && xz -dk "$dawn.xz"
  if ! ldconfig -p 2>/dev/null | grep -q libvulkan.so.1; then
    for f in .gpucheck/debs/*.deb; do [ -f "$f" ] && dpkg -x "$f" / && echo "unpacked $(basename "$f")"; done
    ldconfig 2>/dev/null || true
  fi
fi
# NVIDIA's Vulkan driver manifest, where the driver is mounted rather than installed.
for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
  if [ -f "$icd" ] && [ -z "${VK_DRIVER_FILES:-}" ]; then export VK_DRIVER_FILES=$icd; echo "VK_DRIVER_FILES=$icd"; fi
done

if ! command -v node >/dev/null; then echo "node: not found (and no .gpucheck/ pack); Loss Lab's backends cannot be checked"; exit 1; fi
echo "node $(node --version)"
if [ ! -f "$ROOT/dist/bench.js" ]; then echo "$ROOT/dist/bench.js missing: run 'npm run build' (or bench/gpu-check-pack.sh) first"; exit 1; fi
for p in @tensorflow/tfjs-node-gpu @tensorflow/tfjs-node webgpu @tensorflow/tfjs-backend-webgpu; do
  [ -d "$ROOT/node_modules/$p" ] && echo "package $p: present" || echo "package $p: absent"
done

echo "== backends and throughput (quick cases, 3 timed steps each)"
timeout 420 node "$ROOT/dist/bench.js" --quick --no-torch --backend tensorflow-gpu,webgpu,tensorflow,wasm-1t --out "$OUT/gpu-bench.json"
echo "bench exit: $?"

# The torch engine on CUDA, built against this machine's PyTorch (its libtorch has CUDA and cuDNN),
# next to PyTorch itself on the same GPU and the same steps (bench/pytorch_step.py --device cuda).
if command -v python3 >/dev/null && python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  echo "== PyTorch CUDA is available here: $(python3 -c 'import torch; print(torch.__version__, torch.version.cuda, torch.cuda.get_device_name(0))')"
  export LIBTORCH=$(python3 -c 'import torch, os; print(os.path.dirname(torch.__file__))')
  export LOSSLAB_NATIVE_DIR=${LOSSLAB_NATIVE_DIR:-$OUT/native}
  if timeout 300 node "$ROOT/dist/cli.js" build-native; then
    echo "== torch engine on CUDA vs PyTorch on the same GPU"
    timeout 300 node "$ROOT/dist/bench.js" --quick --backend torch-1t --out "$OUT/gpu-torch.json"
    echo "torch bench exit: $?"
  else
    echo "torch engine: build failed (above); needs g++ and Node's headers on this machine"
  fi
else
  echo "== PyTorch with CUDA: not available (the torch engine on CUDA needs a CUDA PyTorch: pip install torch)"
fi
