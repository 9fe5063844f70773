#!/usr/bin/env bash
# Printed by `make test` when Maven fails, after Maven's own summary: the ERROR entries the services logged while a
# system test failed (system-tests' ServiceErrorsOnFailure writes them, frames left out). CI keeps only the end of the
# output, and the test's own printout of them is far above it by then.
cd "$(dirname "$0")/.."
digest=system-tests/target/service-errors-of-failed-tests.txt
max_lines=70
if [ -s "$digest" ]; then
  echo "[failure-digest] what the services logged at ERROR while a system test failed ($digest, first $max_lines lines):"
  head -n "$max_lines" "$digest"
else
  echo "[failure-digest] no system test failed with an ERROR in a service's log (the failure is above, in Maven's summary)"
fi
