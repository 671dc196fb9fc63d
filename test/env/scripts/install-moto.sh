#!/usr/bin/env bash
# Installs moto (the AWS emulator) in server mode into a cached venv, once.
# Prints the moto_server path. A lock keeps two first runs from installing at once.
set -euo pipefail
MOTO_VERSION="${MOTO_VERSION:-5.2.5}"
CACHE="${EDGE_INGRESS_CACHE:-$HOME/.cache/edge-ingress}"
VENV="$CACHE/moto-venv"
mkdir -p "$CACHE"
if command -v flock >/dev/null; then exec 9>"$CACHE/.moto-install.lock"; flock 9; fi
installed() { compgen -G "$VENV/lib/python*/site-packages/moto-$MOTO_VERSION.dist-info" >/dev/null; }
if [ -x "$VENV/bin/moto_server" ] && installed; then echo "$VENV/bin/moto_server"; exit 0; fi
command -v python3 >/dev/null || { echo "python3 is missing: install python3 with venv support (Debian: apt-get install python3-venv)" >&2; exit 1; }
echo "installing moto[server]==$MOTO_VERSION into $VENV (first time only)" >&2
if [ ! -x "$VENV/bin/pip" ]; then
  python3 -m venv "$VENV" || { echo "python3 -m venv failed: on Debian install python3-venv" >&2; exit 1; }
fi
"$VENV/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" >&2
echo "$VENV/bin/moto_server"
