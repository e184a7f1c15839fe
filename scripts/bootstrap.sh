#!/usr/bin/env bash
# Creates .venv with Python 3.10 if it is missing and installs requirements.lock into it in
# one resolver run, then checks that the installed set is consistent (`pip check`).
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then
  python=$(scripts/find_python.sh)
  echo "Creating $venv with $python"
  rm -rf "$venv"
  "$python" -m venv "$venv"
fi
# pip itself first, at the locked version, so the resolver below behaves the same everywhere.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$(grep '^pip==' requirements.lock)"
echo "Installing requirements.lock into $venv (a few minutes the first time)"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.lock
"$venv/bin/python" -m pip check
