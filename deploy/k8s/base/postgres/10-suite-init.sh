# Sourced (not executed) by the postgres image's entrypoint on the very first start only, while its
# bootstrap server listens on the Unix socket alone (peer authentication for "postgres").
# Applies deploy/db/init.sql unchanged, then the Vault admin role. psql takes the passwords from the
# postgres-bootstrap Secret's files (bootstrap-vars.psql): never from argv or the environment.
docker_process_sql \
  -f /etc/suite-db/k8s/bootstrap-vars.psql \
  -f /etc/suite-db/files/init.sql \
  -f /etc/suite-db/files/vault-admin.sql
