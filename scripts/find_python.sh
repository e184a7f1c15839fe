#!/usr/bin/env bash
# Prints the path of a working Python 3.10 (Rasa 3.6 supports 3.8-3.10 only), or says how
# to get one and exits 1. $PYTHON, if set, is tried first.
set -euo pipefail

works() { "$1" -c 'import sys, venv; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; }

candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
# pyenv's `python3.10` shim may exist without the version behind it: try the real ones too.
if command -v pyenv >/dev/null 2>&1; then
  candidates+=("$(pyenv root)"/versions/3.10*/bin/python)
fi
candidates+=("$HOME"/.pyenv/versions/3.10*/bin/python python3.10 /usr/bin/python3.10
             /usr/local/bin/python3.10 python3 python)

for candidate in "${candidates[@]}"; do
  if works "$candidate"; then
    command -v "$candidate" 2>/dev/null || echo "$candidate"
    exit 0
  fi
done

cat >&2 <<'MSG'
No Python 3.10 found. Rasa 3.6 runs on Python 3.8-3.10 only; this project uses 3.10.
Install one, then run the make command again:
  - with pyenv:   pyenv install 3.10.13
  - on Debian/Ubuntu: apt-get install python3.10 python3.10-venv
  - or point to one you have:  make run PYTHON=/path/to/python3.10
MSG
exit 1
