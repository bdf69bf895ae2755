#!/usr/bin/env bash
# The add-on image's build steps, in one place: the Dockerfile's build stage runs this, and so does CI
# (no Docker engine there), so what ships is what CI built and started.
# Usage: scripts/build-addon.sh OUT_DIR   (run from the project root, after `npm ci`)
# OUT_DIR receives package.json, the built server and panel, production node_modules only
# (better-sqlite3 compiled for this machine's Node), and the companion integration the panel installs
# (companion/mcp_server_addon; server/src/admin/companion-files.ts finds it there).
set -euo pipefail
out=${1:?usage: scripts/build-addon.sh OUT_DIR}
step() { printf '[build-addon] %s\n' "$*" >&2; }

step "building the server and the panel"
npm run build --silent

step "assembling $out"
rm -rf "$out"
mkdir -p "$out/server" "$out/ui"
cp package.json package-lock.json "$out/"
cp -r server/dist "$out/server/dist"
cp -r ui/dist "$out/ui/dist"
cp -r node_modules "$out/node_modules"
mkdir -p "$out/companion"
cp -r custom_components/mcp_server_addon "$out/companion/mcp_server_addon"
find "$out/companion" \( -name __pycache__ -o -name '.*' \) -prune -exec rm -rf {} +

step "pruning development dependencies"
(cd "$out" && npm prune --omit=dev --no-audit --no-fund --silent)

step "checking the native module loads"
(cd "$out" && node -e "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()")
step "done: $(du -sh "$out" | cut -f1) in $out"
