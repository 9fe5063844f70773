#!/usr/bin/env bash
# make test's Maven part. Everything is built and installed first (tests compiled, none run), then the tests run in two
# lanes side by side: the black-box system tests, and every other module's tests (unit, Quarkus and packaged ITs). One
# after the other they took 50-53 min on the 2-core machine with a fifth of its CPU idle; the lanes share the machine.
# The lanes never build: the system tests run the jars the first step packaged while the modules' tests run.
#
# Each lane's whole Maven output goes to target/test-lanes/<lane>.log; the console gets a line per finished test class.
# When a lane fails, its log's last lines (Maven's summary of the failures) and the services' ERROR entries of failed
# system tests (.ci/failure-digest.sh) are printed last, where CI's kept output ends.
set -uo pipefail
cd "$(dirname "$0")/.."

mvn_cmd=${MVN:-mvn}
read -r -a flags <<< "${MVN_FLAGS:--B -ntp}"
logs=target/test-lanes
mkdir -p "$logs"
rm -f "$logs"/*.log system-tests/target/service-errors-of-failed-tests.txt

# The build leaves a third of the two cores idle (one module at a time mostly waits for one thread): two modules at a
# time (-T 2), and beside them Keycloak's kc.sh build on the tests' JDK, which KeycloakMigrationTest would otherwise run
# inside the busy system-tests lane (bench/keycloak-build.sh returns at once when its stamp says it is built already).
echo "[test] building and installing every module (tests compiled, not run)"
keycloak_pid=
if [ -n "${KEYCLOAK_HOME:-}" ] && [ -f "$KEYCLOAK_HOME/bin/kc.sh" ]; then
  tests_java_home=$("$mvn_cmd" -v 2>/dev/null | sed -n 's/.*, runtime: //p')
  if [ -n "$tests_java_home" ]; then
    bench/keycloak-build.sh "$KEYCLOAK_HOME" "$tests_java_home" "$logs/keycloak-build.log" &
    keycloak_pid=$!
  fi
fi
"$mvn_cmd" "${flags[@]}" -T 2 install -DskipTests > "$logs/build.log" 2>&1 || {
  tail -n 80 "$logs/build.log"
  echo "[test] the build failed (whole output: $logs/build.log)"
  exit 1
}
if [ -n "$keycloak_pid" ] && ! wait "$keycloak_pid"; then
  echo "[test] Keycloak's build failed ($logs/keycloak-build.log); KeycloakMigrationTest will try again and say why"
fi

# Run after the lanes, alone: its first sign-ins check Keycloak's argon2 and PBKDF2 hashes in a cold auth service, which
# took longer than the gateway's 5 s in each of three rehearsals beside the other lane (with the services on C1 and on
# C2 alike), and it ran green alone in every serial run before. Its services run on the JVM's default compilers there,
# as they did then.
alone=KeycloakMigrationTest

# Goals, not phases: a phase would package (and rewrite) the jars the other lane is running.
lane() {
  local name=$1
  shift
  "$mvn_cmd" "${flags[@]}" "$@" > "$logs/$name.log" 2>&1
}
lane system-tests surefire:test -pl system-tests "-Dtest=!$alone" &
system_pid=$!
lane modules surefire:test failsafe:integration-test failsafe:verify -pl '!system-tests' &
modules_pid=$!
started=$(date +%s)
echo "[test] two lanes started: system-tests ($logs/system-tests.log) and modules ($logs/modules.log)"

# Progress: each finished test class, with its lane.
# (A shell loop, not awk: mawk reads a pipe in blocks and would hold the lines back.)
tail -n +1 -F "$logs/system-tests.log" "$logs/modules.log" "$logs/alone.log" 2>/dev/null | while IFS= read -r line; do
  case $line in
    "==> "*system-tests.log*) lane=system-tests ;;
    "==> "*modules.log*) lane=modules ;;
    "==> "*alone.log*) lane=alone ;;
    *"Tests run: "*" in "*) echo "[$lane] ${line#\[*\] }" ;;
  esac
done &
progress_pid=$!

wait "$system_pid"; system_status=$?
wait "$modules_pid"; modules_status=$?
echo "[test] the lanes are done; $alone alone"
lane alone surefire:test -pl system-tests "-Dtest=$alone" "-Dtest.jvm.options=-XX:+UseSerialGC"
alone_status=$?
sleep 2 # tail -F looks once a second: let it print the last classes' lines
kill "$progress_pid" 2>/dev/null
pkill -f "tail -n \+1 -F $logs/system-tests.log" 2>/dev/null # never left behind, holding the console open
wait "$progress_pid" 2>/dev/null

minutes=$(( ($(date +%s) - started + 59) / 60 ))
status=0
for name in modules system-tests alone; do
  case $name in
    modules) lane_status=$modules_status ;;
    system-tests) lane_status=$system_status ;;
    *) lane_status=$alone_status ;;
  esac
  summary=$(grep -E "^\[(INFO|ERROR|WARNING)\] Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$" "$logs/$name.log" \
    | awk -F'[ ,]+' '{run+=$4; failed+=$6; errors+=$8; skipped+=$10} END {printf "%d tests, %d failed, %d errors, %d skipped", run, failed, errors, skipped}')
  if [ "$lane_status" -eq 0 ]; then
    echo "[test] $name: passed ($summary)"
  else
    status=1
    echo "[test] $name: FAILED ($summary); the end of $logs/$name.log:"
    grep -E "^\[ERROR\]" "$logs/$name.log" | grep -vE "^\[ERROR\] *(-> \[Help|Re-run|To see|For more|After correcting|See |\[Help|$)" | tail -n 60
  fi
done
echo "[test] the lanes and $alone took $minutes min"
if [ "$status" -ne 0 ]; then
  .ci/failure-digest.sh
fi
exit "$status"
