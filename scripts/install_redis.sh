#!/usr/bin/env bash
# Makes sure Debian's redis-server is installed: the WeChat channel's tests start their own
# throwaway Redis on 127.0.0.1 (the multi-process dedupe and token store). Installs it
# with apt-get as root, or through sudo when it is available; otherwise says what to run.
set -euo pipefail
command -v redis-server >/dev/null && exit 0
if [ "$(id -u)" = 0 ]; then
  sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "The WeChat tests need Debian's redis-server. Install it with:" >&2
  echo "    sudo apt-get install -y redis-server" >&2
  exit 1
fi
echo "Installing redis-server (apt-get)"
# The package's own service is not wanted: the tests start Redis themselves.
"${sudo[@]}" env RUNLEVEL=1 apt-get install -y --no-install-recommends redis-server || {
  "${sudo[@]}" apt-get update
  "${sudo[@]}" env RUNLEVEL=1 apt-get install -y --no-install-recommends redis-server
}
