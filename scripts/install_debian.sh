#!/usr/bin/env bash
# Usage: scripts/install_debian.sh COMMAND PACKAGE [WHY]
# Makes sure a Debian package that tests start themselves is installed (redis-server,
# postgresql, nginx): when COMMAND is missing, installs PACKAGE with apt-get as root or
# through sudo; otherwise says what to run. The package's own service is not wanted
# (RUNLEVEL=1 keeps it from starting): the tests start throwaway servers on 127.0.0.1.
set -euo pipefail
command=$1 package=$2 why=${3:-the tests}
command -v "$command" >/dev/null && exit 0
[ -x "$command" ] && exit 0
if [ "$(id -u)" = 0 ]; then
  sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "$why need Debian's $package. Install it with:" >&2
  echo "    sudo apt-get install -y $package" >&2
  exit 1
fi
echo "Installing $package (apt-get)"
"${sudo[@]}" env RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$package" || {
  "${sudo[@]}" apt-get update
  "${sudo[@]}" env RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$package"
}
