#!/bin/sh
# Screenshot a local HTML page (Data Docs, the run report) in headless Chromium with the network
# cut off, to check that it renders offline:
#     scripts/screenshot.sh output/validation/index.html docs-index.png
# Needs Debian's chromium (apt-get install chromium) and, to cut the network, unshare (util-linux;
# as root). Chromium's background connections are switched off so it starts quickly here.
set -eu
page=$(realpath "$1")
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
offline=""
if unshare -n true 2>/dev/null; then offline="unshare -n"; fi
$offline chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --window-size=1400,1000 --screenshot="$2" "file://$page" 2>/dev/null
echo "wrote $2${offline:+ (network cut off)}"
