#!/bin/sh
# Makes PostgreSQL serve a renewed certificate (issue 18, item 6). PostgreSQL reads ssl_cert_file and ssl_key_file
# at start and on a reload (SIGHUP) only; cert-manager renews the postgres-tls Secret 30 days before expiry and the
# kubelet swaps the mounted files, but without a reload the server keeps the old certificate until it expires, and
# then every verify-full client fails. This loop, in a sidecar of the StatefulSet's pod (same user, shared process
# namespace, the data volume read-only), signals the postmaster whenever the files change. A reload also re-reads
# postgresql.conf and pg_hba.conf, which this pod's files never change underneath.
#
# usage: reload-on-renewal.sh PGDATA INTERVAL_SECONDS FILE...
# Each round touches $TMPDIR/reload-on-renewal.alive (/tmp by default), which the sidecar's liveness probe checks.
# Run as is against the local stack's PostgreSQL by deploy/local/stack's PostgresCertificateReloadTest.
set -u
pgdata=$1
interval=$2
shift 2
fingerprint() {
  cat "$@" 2>/dev/null | cksum
}
alive="${TMPDIR:-/tmp}/reload-on-renewal.alive"
last=$(fingerprint "$@")
echo "watching $* every ${interval}s"
while sleep "$interval"; do
  : > "$alive"
  now=$(fingerprint "$@")
  [ "$now" = "$last" ] && continue
  # The first line of postmaster.pid is the postmaster's process id; none while the server is down (try again).
  pid=$(head -n 1 "$pgdata/postmaster.pid" 2>/dev/null) || continue
  if [ -n "$pid" ] && kill -HUP "$pid"; then
    echo "certificate files changed: PostgreSQL (process $pid) reloaded them"
    last=$now
  fi
done
