#!/usr/bin/env bash
# Makes sure Debian's chromium and chromium-driver are installed (the browser tests drive
# them; nothing downloads a browser of its own), with a Chinese font so that screenshots
# show characters rather than boxes. Installs them with apt-get as root, or through sudo
# when it is available; otherwise says what to run.
set -euo pipefail
packages=(chromium chromium-driver fonts-wqy-zenhei)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
[ ${#missing[@]} = 0 ] && exit 0
packages=("${missing[@]}")
if [ "$(id -u)" = 0 ]; then
  sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "The browser tests need Debian's ${packages[*]}. Install them with:" >&2
  echo "    sudo apt-get install -y ${packages[*]}" >&2
  exit 1
fi
echo "Installing ${packages[*]} (apt-get)"
"${sudo[@]}" apt-get install -y "${packages[@]}" || {
  "${sudo[@]}" apt-get update
  "${sudo[@]}" apt-get install -y "${packages[@]}"
}
