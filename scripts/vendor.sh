#!/usr/bin/env bash
# Refresh the vendored front-end files from the npm registry (no CDN at run time).
# Versions are pinned here; the files are committed under src/jixiao/web/static/vendor/.
set -euo pipefail
ECHARTS=5.6.0
HTMX=2.0.11
dest="$(dirname "$0")/../src/jixiao/web/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "echarts@$ECHARTS" "htmx.org@$HTMX" >/dev/null
tar xzf "echarts-$ECHARTS.tgz" && cp package/dist/echarts.min.js package/LICENSE "$dest/echarts/" && rm -rf package
tar xzf "htmx.org-$HTMX.tgz" && cp package/dist/htmx.min.js package/LICENSE "$dest/htmx/" && rm -rf package
echo "echarts $ECHARTS, htmx $HTMX → $dest"
