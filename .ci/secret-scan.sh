#!/usr/bin/env bash
# Secret scan (make test, make secret-scan): gitleaks over the whole git history of REPO (default: this one) and
# over its working tree as git sees it (tracked files with their uncommitted changes, and untracked files that are
# not ignored: .local/, target/ and node_modules/ are ignored, so the dev secrets of .local/ are not scanned). Exits
# non-zero when anything is found; the findings are printed redacted. Allowlist: .gitleaks.toml (each entry says why).
# gitleaks is obtained once into .local/tools with `go install` (the Go module, pinned below), never committed.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
repo=$(cd "${1:-$here}" && pwd)
GITLEAKS_MODULE=github.com/zricethezav/gitleaks/v8
GITLEAKS_VERSION=v8.30.1
tools="$here/.local/tools/gitleaks-$GITLEAKS_VERSION"     # one folder per version: its presence is the check
gitleaks="$tools/gitleaks"

if [ ! -x "$gitleaks" ]; then
  go=$(command -v go || echo /usr/local/go/bin/go)
  [ -x "$go" ] || { echo "[secret-scan] Go is needed to install gitleaks (apt-get install golang-go, or see go.dev)" >&2; exit 1; }
  echo "[secret-scan] installing gitleaks $GITLEAKS_VERSION into .local/tools (go install $GITLEAKS_MODULE@$GITLEAKS_VERSION)"
  mkdir -p "$tools"
  GOBIN="$tools" GOFLAGS=-mod=mod "$go" install "$GITLEAKS_MODULE@$GITLEAKS_VERSION"
fi

config="$repo/.gitleaks.toml"
[ -f "$config" ] || config="$here/.gitleaks.toml"
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT

echo "[secret-scan] gitleaks: every commit of every branch of $repo"
"$gitleaks" git --no-banner --redact --verbose --config "$config" --log-opts="--all" "$repo"

echo "[secret-scan] gitleaks: the working tree (tracked and untracked, ignored files left out)"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' file; do
  if [ -f "$file" ] && [ ! -L "$file" ]; then cp --parents -- "$file" "$tree/"; fi    # a deleted tracked file is gone
done)
"$gitleaks" dir --no-banner --redact --verbose --config "$config" "$tree"
echo "[secret-scan] no secret found"
