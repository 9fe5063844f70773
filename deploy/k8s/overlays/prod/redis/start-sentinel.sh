#!/bin/sh
# Starts one Sentinel of the group "suite": TLS only with the same certificate and CA as the data servers, announced
# under this pod's stable name, watching the primary the group knows (redis-0 on the very first start). A Sentinel
# rewrites its own configuration, so it is written to a memory volume at each start, never to the ConfigMap.
set -eu
umask 077
me="$HOSTNAME.redis-sentinel.suite.svc"
pw=$(cat /run/secrets/redis/default)
primary=$(sh /etc/redis-ha/find-primary.sh "$me")
[ -n "$primary" ] || primary=redis-0.redis-nodes.suite.svc
{
  cat /etc/redis-ha/sentinel.conf
  echo "sentinel announce-ip $me"
  echo "sentinel monitor suite $primary 6379 2"
  echo "sentinel auth-user suite default"
  printf 'sentinel auth-pass suite %s\n' "$pw"
  echo "sentinel sentinel-user default"
  printf 'sentinel sentinel-pass %s\n' "$pw"
  echo "sentinel down-after-milliseconds suite 5000"
  echo "sentinel failover-timeout suite 60000"
  echo "sentinel parallel-syncs suite 1"
  sh /etc/redis-ha/render-users.sh /etc/redis-ha/sentinel-users.acl /run/secrets/redis
} > /run/sentinel/sentinel.conf
exec redis-server /run/sentinel/sentinel.conf --sentinel
