#!/bin/sh
# Install the named Debian packages that are not installed yet (apt-get update only when needed).
set -eu
missing=""
for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing="$missing $package"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "Missing system packages:$missing — install them with: sudo apt-get install$missing" >&2
    exit 1
fi
echo "Installing system packages:$missing"
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
