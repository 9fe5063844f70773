#!/bin/sh
# Starts one data server of the replicated Redis: base/redis's redis.conf and users (node.conf includes them), plus
# replication over TLS as the operator, announced under this pod's stable name (the name its certificate holds and
# the Sentinels hand to the services). It follows the primary the group knows; with none known yet, redis-0 is it.
set -eu
umask 077
me="$HOSTNAME.redis-nodes.suite.svc"
sh /etc/redis-ha/render-users.sh /etc/redis/users.acl /run/secrets/redis > /run/redis/auth.conf
primary=$(sh /etc/redis-ha/find-primary.sh "$me")
[ -n "$primary" ] || { [ "$HOSTNAME" = redis-0 ] && primary=$me || primary=redis-0.redis-nodes.suite.svc; }
{
  echo "replica-announce-ip $me"
  echo "masteruser default"
  printf 'masterauth %s\n' "$(cat /run/secrets/redis/default)"
  [ "$primary" = "$me" ] || echo "replicaof $primary 6379"
} > /run/redis/replication.conf
exec redis-server /etc/redis-ha/node.conf
