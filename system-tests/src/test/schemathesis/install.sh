#!/usr/bin/env bash
# Installs the pinned Schemathesis into its own virtual environment under .local/tools (ignored, never committed)
# and prints the path of its CLI. Idempotent: a complete environment is reused as it is.
set -euo pipefail
VERSION=4.32.5
root="$(cd "$(dirname "$0")/../../../.." && pwd)"
venv="$root/.local/tools/schemathesis-$VERSION"
if [ ! -x "$venv/bin/schemathesis" ] || ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$VERSION"; then
  rm -rf "$venv"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$VERSION" >&2
fi
echo "$venv/bin/schemathesis"
