#!/usr/bin/env bash
# Bundles the widget (webchat/widget.js) with the pinned socket.io client from npm
# (node_modules, installed by `npm ci` from package-lock.json) into one file,
# webchat/dist/widget.js, which the Rasa server serves at /webchat/widget.js.
# The client's UMD wrapper is handed a local `module`, so it defines no global `io`
# (and does not register with an AMD loader the clinic's page may have).
set -euo pipefail
cd "$(dirname "$0")/.."
client=node_modules/socket.io-client/dist/socket.io.min.js
version=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' node_modules/socket.io-client/package.json)
out=webchat/dist/widget.js
mkdir -p "$(dirname "$out")"
{
  echo "/*! Body & Soul chat widget: built by \`make webchat\` from webchat/widget.js and"
  echo " *  socket.io-client $version (MIT, (c) Guillermo Rauch). Do not edit: edit the source. */"
  echo "(function () {"
  echo "var module = { exports: {} }, exports = module.exports, define;"
  grep -v '^//# sourceMappingURL=' "$client"
  echo ";"
  echo "var io = module.exports;"
  cat webchat/widget.js
  echo "})();"
} > "$out.tmp"
mv "$out.tmp" "$out"
echo "$out: $(wc -c < "$out") bytes (socket.io-client $version)"
