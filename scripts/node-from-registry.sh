#!/usr/bin/env bash
# Prints the folder of a Node.js binary of the given version, taken from the npm registry: the
# `node` package's install brings the platform's binary (package node-<os>-<arch>). Kept in a
# cache between runs, so only the first run on a machine downloads it (about 30 MB, ~25 s).
# Usage: PATH="$(bash scripts/node-from-registry.sh 24.21.0):$PATH" npm test
set -euo pipefail
version=${1:?usage: node-from-registry.sh <exact version, e.g. 24.21.0>}
cache=${CREWGRAPH_NODE_CACHE:-${TMPDIR:-/tmp}/crewgraph-node}
bin="$cache/$version/node_modules/node/bin"

if [ "$("$bin/node" --version 2>/dev/null)" != "v$version" ]; then
  mkdir -p "$cache"
  fresh=$(mktemp -d "$cache/.install.XXXXXX")
  npm install --prefix "$fresh" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
    "node@$version" >&2
  got=$("$fresh/node_modules/node/bin/node" --version)
  if [ "$got" != "v$version" ]; then
    echo "node@$version from the registry runs as $got" >&2
    exit 1
  fi
  rm -rf "$cache/$version"
  mv "$fresh" "$cache/$version"
fi
echo "$bin"
