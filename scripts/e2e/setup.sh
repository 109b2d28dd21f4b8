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
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup: missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "setup: apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

installed=$(node -p "require('$CS_DIR/node_modules/code-server/package.json').version" 2>/dev/null || true)
if [ "$installed" = "$CS_VERSION" ] && [ -x "$CS_DIR/node_modules/.bin/code-server" ]; then
  echo "setup: code-server $CS_VERSION ready in $CS_DIR"
  exit 0
fi

echo "setup: installing code-server $CS_VERSION into $CS_DIR (a few minutes)"
# @vscode/ripgrep's postinstall downloads rg from GitHub; give it Debian's rg from its cache instead.
tmp=${TMPDIR:-/tmp}
for v in 1.15.9 1.15.10 1.15.11 1.15.12 1.15.13 1.15.14; do
  mkdir -p "$tmp/vscode-ripgrep-cache-$v"
  for tag in v13.0.0-10 v13.0.0-13; do
    tar czf "$tmp/vscode-ripgrep-cache-$v/ripgrep-$tag-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg
  done
done
mkdir -p "$CS_DIR"
[ -f "$CS_DIR/package.json" ] || echo '{"name":"losslab-e2e-code-server","private":true}' >"$CS_DIR/package.json"
# Local, not -g: a global install's nested npm install overwrites itself.
npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir=/usr \
  npm install --prefix "$CS_DIR" --no-audit --no-fund --loglevel=error "code-server@$CS_VERSION"
"$CS_DIR/node_modules/.bin/code-server" --version
