#!/usr/bin/env bash
# Proves the secret scan bites (make test runs it after the scan itself): in throw-away clones of this repository it
# commits a freshly generated private key, then leaves one uncommitted, and expects .ci/secret-scan.sh to fail and
# name the file each time. The keys are made here at run time, so none is ever in the repository.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fresh_clone() {
  rm -rf "$work/clone"
  git clone -q --no-local "$here" "$work/clone"
  cp "$here/.gitleaks.toml" "$work/clone/.gitleaks.toml"    # the allowlist under test, even before it is committed
}

fake_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null; }

# expect_caught WHAT FILE: the scan of the clone must fail and name FILE.
expect_caught() {
  if "$here/.ci/secret-scan.sh" "$work/clone" > "$work/out" 2>&1; then
    cat "$work/out" >&2
    echo "[secret-scan-bites] FAILED: the scan passed with $1" >&2
    exit 1
  fi
  grep -q "$2" "$work/out" || { cat "$work/out" >&2; echo "[secret-scan-bites] FAILED: no finding names $2" >&2; exit 1; }
  echo "[secret-scan-bites] caught: $1"
}

fresh_clone
fake_key > "$work/clone/auth-service/src/main/resources/planted-key.pem"
git -C "$work/clone" add auth-service/src/main/resources/planted-key.pem
git -C "$work/clone" -c user.name=planter -c user.email=planter@example.invalid commit -q -m "plant a key"
git -C "$work/clone" -c user.name=planter -c user.email=planter@example.invalid rm -q auth-service/src/main/resources/planted-key.pem
git -C "$work/clone" -c user.name=planter -c user.email=planter@example.invalid commit -q -m "and remove it again"
expect_caught "a private key committed, then deleted (it stays in the history)" planted-key.pem

fresh_clone
fake_key > "$work/clone/auth-service/src/main/resources/not-yet-committed.pem"
expect_caught "a private key in the working tree, not committed" not-yet-committed.pem
