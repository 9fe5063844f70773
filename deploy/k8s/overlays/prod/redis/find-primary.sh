#!/bin/sh
# Prints the host name of the Redis primary, or nothing when no one knows it yet (the group's very first start).
# Asks the Sentinels first (they decide after a failover), then the data servers themselves (a restarted Sentinel
# group must not crown a replica: the server that says it is a primary wins). Skips SELF. Logs in as the operator
# (password from the redis-auth Secret, given to redis-cli by REDISCLI_AUTH, never on its command line), TLS only.
# Usage: find-primary.sh SELF
set -u
self=$1
export REDISCLI_AUTH="$(cat /run/secrets/redis/default)"
for i in 0 1 2; do
  sentinel="redis-sentinel-$i.redis-sentinel.suite.svc"
  [ "$sentinel" = "$self" ] && continue
  host=$(timeout 3 redis-cli --tls --cacert /etc/suite-tls/ca.crt --user default -h "$sentinel" -p 26379 --raw \
    SENTINEL get-master-addr-by-name suite 2>/dev/null | head -n 1)
  case $host in redis-*) echo "$host"; exit 0 ;; esac
done
for i in 0 1 2; do
  node="redis-$i.redis-nodes.suite.svc"
  [ "$node" = "$self" ] && continue
  role=$(timeout 3 redis-cli --tls --cacert /etc/suite-tls/ca.crt --user default -h "$node" -p 6379 --raw ROLE 2>/dev/null | head -n 1)
  [ "$role" = master ] && { echo "$node"; exit 0; }
done
exit 0
