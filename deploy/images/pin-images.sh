#!/usr/bin/env bash
# make pin-images: pins every third-party image the suite builds from or runs (the Dockerfiles' FROM lines, the
# PostgreSQL and Redis images of deploy/k8s/base) to the digest its tag points to now, written as tag@sha256:...
# An already pinned reference is resolved again from its tag, so this is also how a digest is renewed.
#
# It asks the registries with crane, the only part that needs the network:
#   go install github.com/google/go-containerregistry/cmd/crane@v0.20.2
# `crane digest REF` answers the digest of what the tag names: for a multi-architecture image the index (every
# platform), not one platform's manifest. CRANE=path overrides the command (the tests use a stand-in).
# ImagePinningTest (deploy/k8s) then refuses any reference without a digest.
set -euo pipefail
cd "$(dirname "$0")/../.."
crane=${CRANE:-crane}
command -v "$crane" > /dev/null || { echo "[pin-images] $crane not found: go install github.com/google/go-containerregistry/cmd/crane@v0.20.2" >&2; exit 1; }

files=(auth-service/src/main/docker/Dockerfile.native user-service/src/main/docker/Dockerfile.native
  gateway/src/main/docker/Dockerfile.native deploy/k8s/base/postgres/statefulset.yaml deploy/k8s/base/redis/deployment.yaml)

for file in "${files[@]}"; do
  # FROM <ref> [AS name] and image: <ref>; the suite's own images (suite/...) are tagged by make images, not pinned here.
  refs=$(sed -nE 's/^FROM[[:space:]]+([^[:space:]]+).*/\1/p; s/^[[:space:]]*image:[[:space:]]+([^[:space:]#]+).*/\1/p' "$file" \
    | grep -v -E '(^|/)suite/' | sort -u || true)
  for ref in $refs; do
    tagged=${ref%@*}
    case $tagged in
      *:*) ;;
      *) echo "[pin-images] $file: $ref names no tag; give it one (the tag says what the digest is)" >&2; exit 1 ;;
    esac
    digest=$("$crane" digest "$tagged")
    [[ $digest =~ ^sha256:[0-9a-f]{64}$ ]] || { echo "[pin-images] $crane digest $tagged answered '$digest'" >&2; exit 1; }
    pinned="$tagged@$digest"
    if [[ $pinned != "$ref" ]]; then
      # Only whole references: the next character is the end of the line, a space or a quote.
      REF=$ref PINNED=$pinned perl -0pi -e 's/(?<![^\s"=])\Q$ENV{REF}\E(?=$|[\s"])/$ENV{PINNED}/mg' "$file"
      echo "[pin-images] $file: $pinned"
    fi
  done
done
