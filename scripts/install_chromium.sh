#!/usr/bin/env bash
# Makes sure Debian's chromium and chromium-driver are installed (the browser tests drive
# them; nothing downloads a browser of its own). Installs them with apt-get as root, or
# through sudo when it is available; otherwise says what to run.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
packages=(chromium chromium-driver)
if [ "$(id -u)" = 0 ]; then
  sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "The browser tests need Debian's chromium and chromium-driver. Install them with:" >&2
  echo "    sudo apt-get install -y ${packages[*]}" >&2
  exit 1
fi
echo "Installing ${packages[*]} (apt-get)"
"${sudo[@]}" apt-get install -y "${packages[@]}" || {
  "${sudo[@]}" apt-get update
  "${sudo[@]}" apt-get install -y "${packages[@]}"
}
