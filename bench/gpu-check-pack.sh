#!/usr/bin/env bash
# Packs what bench/gpu-check.sh needs on a GPU machine that has no node and no internet (such
# as the machines the `device` tool lends) into .gpucheck/ (ignored by git, < 64 MiB):
#   node.xz            this machine's node binary, compressed
#   dist/              the benchmark's bundle and the wasm binaries
#   node_modules/      webgpu (Dawn for linux-x64 only), @tensorflow/tfjs-backend-webgpu and
#                      what it needs at run time (tfjs-core's Node bundle, seedrandom, node-fetch)
#   debs/              Debian's Vulkan loader (libvulkan1), when apt-get can download it
# On the GPU machine, from the repository root: bash bench/gpu-check.sh OUT_DIR
# (it unpacks .gpucheck/ when node is missing). Run it here first to see the pack is whole.
set -euo pipefail
cd "$(dirname "$0")/.."
P=.gpucheck
grep -qx '/.gpucheck/' .git/info/exclude 2>/dev/null || echo '/.gpucheck/' >> .git/info/exclude
rm -rf "$P" && mkdir -p "$P/node_modules/@tensorflow" "$P/debs"
npm run build --silent
xz -T0 -6 -c "$(readlink -f "$(command -v node)")" > "$P/node.xz"
mkdir -p "$P/dist" && cp -r dist/bench.js dist/wasm "$P/dist/"  # the benchmark runs its cases as children of itself
cp -r node_modules/seedrandom node_modules/node-fetch node_modules/whatwg-url node_modules/tr46 node_modules/webidl-conversions "$P/node_modules/"
mkdir -p "$P/node_modules/@tensorflow/tfjs-core/dist" "$P/node_modules/@tensorflow/tfjs-backend-webgpu/dist"
cp node_modules/@tensorflow/tfjs-core/package.json "$P/node_modules/@tensorflow/tfjs-core/"
cp node_modules/@tensorflow/tfjs-core/dist/tf-core.node.js "$P/node_modules/@tensorflow/tfjs-core/dist/"
cp node_modules/@tensorflow/tfjs-backend-webgpu/package.json "$P/node_modules/@tensorflow/tfjs-backend-webgpu/"
cp node_modules/@tensorflow/tfjs-backend-webgpu/dist/tf-backend-webgpu.node.js "$P/node_modules/@tensorflow/tfjs-backend-webgpu/dist/"
mkdir -p "$P/node_modules/webgpu/dist/linux-x64"
cp node_modules/webgpu/package.json node_modules/webgpu/index.js "$P/node_modules/webgpu/"
xz -T0 -6 -c node_modules/webgpu/dist/linux-x64/dawn.node > "$P/node_modules/webgpu/dist/linux-x64/dawn.node.xz"  # unpacked by gpu-check.sh
(cd "$P/debs" && apt-get download libvulkan1 >/dev/null 2>&1) || echo "libvulkan1: not downloaded (apt-get download failed); the GPU machine must have a Vulkan loader"
du -sh "$P"
