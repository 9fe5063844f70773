#!/bin/sh
# Prints the user lines of an ACL file (users.acl's syntax) with each user's password appended as a ">password" rule,
# read from the file named after the user in PASSWORDS_DIR (the redis-auth Secret): the base Deployment's rendering,
# for the data servers' users.acl and the Sentinels' sentinel-users.acl. A missing or empty password stops the start.
# Usage: render-users.sh USERS_FILE PASSWORDS_DIR > fragment.conf
set -eu
grep -v '^#' "$1" | grep . | while read -r directive user rules; do
  pw=$(cat "$2/$user") && [ -n "$pw" ] || { echo "no password for Redis user $user" >&2; exit 1; }
  printf '%s %s %s >%s\n' "$directive" "$user" "$rules" "$pw"
done
