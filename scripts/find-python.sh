#!/usr/bin/env bash
# Prints the path of a Python 3.12 or newer (Django 6 needs it), or explains what to install.
for candidate in "${PYTHON:-}" python3.12 /root/.pyenv/versions/3.12*/bin/python3.12 \
    python3.13 /root/.pyenv/versions/3.13*/bin/python3.13 python3 \
    "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python3 /usr/local/bin/python3.12 /usr/bin/python3.12; do
  [ -n "$candidate" ] || continue
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if "$path" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
    echo "$path"
    exit 0
  fi
done
echo "SOCEX Hub needs Python 3.12 or newer with the venv module. Install it (e.g. 'pyenv install 3.12'), or set PYTHON=/path/to/python3.12." >&2
exit 1
