#!/usr/bin/env bash
# Prints the path of np-guard's netpol-analyzer CLI (netpolicy), installing it first when missing: the Go module from
# the Go module proxy, built into .local/tools (ignored, never committed), as secret-scan.sh does for gitleaks.
# deploy/k8s NetworkPolicyAnalyzerTest runs it on the rendered overlays. `go install module@version` refuses this
# module here (the proxy will not list its versions, which go install reads for deprecation notices), so it is built
# from a throw-away module that requires the pinned version, its go.sum taken from the analyzer's own (verified by
# the checksum database when the analyzer was downloaded).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
MODULE=github.com/np-guard/netpol-analyzer
VERSION=v1.4.4
tools="$here/.local/tools/netpol-analyzer-$VERSION"     # one folder per version: its presence is the check
netpolicy="$tools/netpolicy"

if [ ! -x "$netpolicy" ]; then
  go=$(command -v go || echo /usr/local/go/bin/go)
  [ -x "$go" ] || { echo "[netpol-analyzer] Go is needed to install it (apt-get install golang-go, or see go.dev)" >&2; exit 1; }
  echo "[netpol-analyzer] building $MODULE/cmd/netpolicy@$VERSION into .local/tools" >&2
  build=$(mktemp -d)
  trap 'rm -rf "$build"' EXIT
  printf 'module suite.local/netpol-analyzer\n\ngo 1.24\n\nrequire %s %s\n' "$MODULE" "$VERSION" > "$build/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "%s/cmd/netpolicy"\n' "$MODULE" > "$build/tools.go"
  (cd "$build" && GOFLAGS=-mod=mod "$go" mod download "$MODULE@$VERSION" >&2)
  cp "$("$go" env GOMODCACHE)/$MODULE@$VERSION/go.sum" "$build/go.sum" && chmod u+w "$build/go.sum"
  mkdir -p "$tools"
  (cd "$build" && GOFLAGS=-mod=mod "$go" mod tidy >&2 && GOFLAGS=-mod=mod "$go" build -o "$netpolicy.part" "$MODULE/cmd/netpolicy" >&2)
  mv "$netpolicy.part" "$netpolicy"
fi
echo "$netpolicy"
