#!/usr/bin/env bash
# kc.sh build of the Keycloak that make bench-peers measures (and system-tests' KeycloakMigrationTest imports from):
# once per unpacked distribution and JDK, for PostgreSQL with health checks. The one place of its build options; the
# stamp it leaves says which options and which JDK the distribution was built with (the bench reports it).
# Usage: keycloak-build.sh <keycloak home> <java home> <log file>
# make bench-peers runs it beside the suite's Maven build (make -j2); the bench and the test run it too, and it
# returns at once when the stamp says the distribution is built already.
set -euo pipefail
home=$1 java_home=$2 log=$3
options=(--db=postgres --health-enabled=true)
stamp="$home/.bench-build"
wanted="${options[*]} on $java_home"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  exit 0
fi
echo "[keycloak] kc.sh build ${options[*]} on $java_home (once per unpacked distribution and JDK; log: $log) ..."
started=$(date +%s)
mkdir -p "$(dirname "$log")"
rm -f "$stamp"
if ! JAVA_HOME="$java_home" bash "$home/bin/kc.sh" build "${options[@]}" > "$log" 2>&1; then
  echo "[keycloak] kc.sh build failed (see $log)" >&2
  exit 1
fi
printf '%s' "$wanted" > "$stamp"
echo "[keycloak]   built in $(( $(date +%s) - started )) s"
