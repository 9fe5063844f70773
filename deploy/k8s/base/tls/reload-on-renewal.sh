#!/bin/sh
# Makes a server that reads its certificate at start and on a reload only serve a renewed one (issue 18, item 6):
# PostgreSQL (ssl_cert_file, ssl_key_file). cert-manager renews a Secret 30 days before expiry and the kubelet swaps
# the mounted files, but without a reload the server keeps the old certificate until it expires, and then every
# client that checks it fails. This loop runs in a sidecar of the server's pod and runs RELOAD_COMMAND whenever the
# files differ from those last reloaded (PostgreSQL: pg_reload_conf() over its unix socket as the postgres user, by
# peer authentication). The first round reloads too, so a renewal made while this container was down is not missed;
# a failed reload is tried again next round.
#
# usage: reload-on-renewal.sh INTERVAL_SECONDS CERT_FILE KEY_FILE RELOAD_COMMAND...
# Each round touches $TMPDIR/reload-on-renewal.alive (/tmp by default), which the sidecar's liveness probe checks.
# Run as is against the local stack's PostgreSQL by deploy/local/stack's PostgresCertificateReloadTest.
set -u
interval=$1
cert=$2
key=$3
shift 3
alive="${TMPDIR:-/tmp}/reload-on-renewal.alive"
last=""
echo "watching $cert and $key every ${interval}s"
while :; do
  : > "$alive"
  now=$(cat "$cert" "$key" 2>/dev/null | cksum)
  if [ "$now" != "$last" ]; then
    if "$@" > /dev/null; then
      echo "certificate files changed: the server reloaded them"
      last=$now
    else
      echo "reload failed (exit $?); trying again in ${interval}s" >&2
    fi
  fi
  sleep "$interval"
done
