#!/usr/bin/env bash
# Quick start: installs what is missing, builds, and runs the quick Fashion-MNIST example
# (simple-cnn, all four losses, 3 epochs on 6,000 images) with the results table at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
npm run build --silent
node dist/cli.js run examples/quick-fashion-mnist.losslab.json --parallel "${LOSSLAB_PARALLEL:-2}" "$@"
echo
echo "Results: .losslab/runs/quick-fashion-mnist (open them in VS Code with 'Loss Lab: Open Results', or 'npx losslab table .losslab/runs/quick-fashion-mnist --format md')"
