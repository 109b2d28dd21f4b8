#!/usr/bin/env bash
# The whole test suite, as CI runs it: build, type check, layer check, ESLint, knip, Prettier, unit tests,
# system tests (real worker processes on real Fashion-MNIST), then VS Code tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --require-native --tests
npm run build --silent
echo "==> type check (Node, webview, browser-driving tests)"; npx tsc -b
echo "==> layer check"; node scripts/check-layers.mjs
echo "==> lint (ESLint)"; npx eslint .
echo "==> unused code (knip)"; npx knip
echo "==> format (Prettier)"; npx prettier --check .
echo "==> unit tests"; node scripts/run-tests.mjs
echo "==> system tests"; node scripts/run-tests.mjs --dir test/system
if [ -f scripts/e2e/run.sh ] && [ "${LOSSLAB_SKIP_E2E:-}" != 1 ]; then
  echo "==> VS Code tests (code-server + Chromium)"; bash scripts/e2e/run.sh
fi
