#!/usr/bin/env bash
# Installs what the e2e tests need, offline apart from Debian and npm (../shared/notes/vscode-e2e.md):
# Debian's chromium and ripgrep, libkrb5-dev (code-server's kerberos addon builds against it),
# the Fashion-MNIST package, and code-server into a cache outside the project's node_modules.
# Idempotent: returns in well under a second when everything is there.
set -euo pipefail

CS_VERSION=4.100.3 # the last code-server for Node 20
CACHE=${LOSSLAB_E2E_CACHE:-$HOME/.cache/losslab-e2e}
CS_DIR=$CACHE/code-server

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v rg >/dev/null || missing+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
[ -e /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || missing+=(dataset-fashion-mnist)
# code-server's native modules (kerberos, node-pty, spdlog) are built with node-gyp.
for tool in g++ make python3; do command -v $tool >/dev/null || missing+=($tool); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup: missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "setup: apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

CS_PKG=$CS_DIR/node_modules/code-server
installed=$(node -p "require('$CS_PKG/package.json').version" 2>/dev/null || true)
# node_modules.asar is the last thing code-server's postinstall makes: a half-done install lacks it.
if [ "$installed" = "$CS_VERSION" ] && [ -e "$CS_PKG/lib/vscode/node_modules.asar" ]; then
  echo "setup: code-server $CS_VERSION ready in $CS_DIR"
  exit 0
fi

if [ "$(node -p 'process.versions.node.split(".")[0]')" != 20 ]; then
  echo "setup: code-server $CS_VERSION needs Node 20, this is $(node -v)" >&2
  exit 1
fi
echo "setup: installing code-server $CS_VERSION into $CS_DIR (a few minutes)"
# code-server 4.100.3 pins @vscode/ripgrep 1.15.11, whose postinstall downloads rg v13.0.0-10
# from GitHub: fill its download cache with Debian's rg instead.
RG_CACHE=${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11
mkdir -p "$RG_CACHE"
tar czf "$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg
mkdir -p "$CS_DIR"
[ -f "$CS_DIR/package.json" ] || echo '{"name":"losslab-e2e-code-server","private":true}' >"$CS_DIR/package.json"
# Local, not -g: a global install's nested npm install overwrites itself.
npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir=/usr \
  npm install --prefix "$CS_DIR" --save-exact --no-audit --no-fund --loglevel=error "code-server@$CS_VERSION"
if [ ! -e "$CS_PKG/lib/vscode/node_modules.asar" ]; then
  echo "setup: code-server's postinstall did not run (npm install scripts blocked?); see $CS_DIR" >&2
  exit 1
fi
"$CS_DIR/node_modules/.bin/code-server" --version
