#!/usr/bin/env bash
# The VS Code tests: installs what they need when missing (scripts/e2e/setup.sh), builds and
# packages the .vsix, runs the in-host suite in code-server (trusted, then Restricted Mode)
# and the UI steps in headless Chromium against the installed .vsix. Arguments go to e2e.ts
# (--only integration|ui|cli, --skip-build, --vsix FILE); --only ui also runs the CLI unpacked
# from the .vsix.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/e2e/setup.sh
exec npx tsx scripts/e2e/e2e.ts --skip-setup "$@"
