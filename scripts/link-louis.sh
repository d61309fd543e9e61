#!/bin/sh
# Give a venv liblouis's Python binding: Debian's python3-louis, ctypes over liblouis.so.20 with no
# compiled part of its own, so it works from any Python 3. Only that one package is linked in, not
# the rest of Debian's dist-packages. Usage: sh scripts/link-louis.sh .venv/bin/python
set -eu
python="$1"
binding=/usr/lib/python3/dist-packages/louis
if [ ! -f "$binding/__init__.py" ]; then
    echo "liblouis's Python binding is missing ($binding) — install it with: apt-get install python3-louis" >&2
    exit 1
fi
site=$("$python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')
ln -sfn "$binding" "$site/louis"
"$python" -c 'import louis; louis.version()'
