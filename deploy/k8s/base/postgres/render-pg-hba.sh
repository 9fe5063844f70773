#!/bin/sh
# Renders deploy/db/pg_hba.conf for Kubernetes, as the local stack does for loopback: every line
# holding {{name}} is repeated once per network listed in the file CLIENTS_DIR/name (a key of the
# overlay's postgres-clients ConfigMap). A placeholder with no networks, or a value that is not an
# address/CIDR, stops the pod: never a silently widened or dropped rule.
# Usage: render-pg-hba.sh TEMPLATE CLIENTS_DIR > pg_hba.conf
set -eu
set -f   # no globbing of the network lists
template=$1
clients=$2
while IFS= read -r line || [ -n "$line" ]; do
  case $line in
    *'{{'*'}}'*) ;;
    *) printf '%s\n' "$line"; continue ;;
  esac
  # The first placeholder of the line names it (a comment may mention several), as in the local stack.
  rest=${line#*"{{"}
  name=${rest%%"}}"*}
  networks=$(cat "$clients/$name" 2>/dev/null || true)
  found=0
  for network in $networks; do
    case $network in
      */*[!0-9]* | *[!0-9a-fA-F:./]* | */) echo "render-pg-hba: bad network '$network' for {{$name}}" >&2; exit 1 ;;
      */*) ;;
      *) echo "render-pg-hba: '$network' for {{$name}} has no prefix length" >&2; exit 1 ;;
    esac
    printf '%s\n' "$line" | sed "s|{{$name}}|$network|"
    found=1
  done
  [ "$found" = 1 ] || { echo "render-pg-hba: no networks given for {{$name}}" >&2; exit 1; }
done < "$template"
