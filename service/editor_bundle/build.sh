#!/usr/bin/env bash
# Rebuild service/static/editor.bundle.js (CodeMirror 6 for the authoring page) from the
# npm registry, with the exact versions in package-lock.json. Run it only to upgrade
# CodeMirror: the built file is committed, so neither users nor CI need npm.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/package-lock.json" "$here/editor.js" "$work/"
cd "$work"
npm ci --no-audit --no-fund
npm run build
cp editor.bundle.js "$here/../static/editor.bundle.js"
echo "wrote service/static/editor.bundle.js; update service/static/editor.bundle.LICENSES.txt if packages changed"
