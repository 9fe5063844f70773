#!/usr/bin/env bash
# Sets the suite up in an existing Vault, idempotently: run it again at any time. Mounts and auth
# methods are enabled only when missing, a secret is generated only for a key that is missing (an
# existing value is never overwritten), policies and roles are rewritten to what this folder says.
#
#   setup.sh            KV secrets, policies, Kubernetes auth and its roles   (before deploying)
#   setup.sh approle    KV secrets, policies, AppRole auth and its roles      (outside Kubernetes: the local
#                       stack's OpenBao; same role names and policies, no TokenReview API needed)
#   setup.sh database   database secrets engine: connection and roles         (once PostgreSQL runs)
#
# Needs the vault CLI (Vault 1.14+, or OpenBao 2.x's bao: set VAULT_CLI=bao) logged in with a token that may
# manage mounts, auth methods, policies and secret/suite/* (VAULT_ADDR, VAULT_TOKEN as usual), and openssl. Settings:
#   SUITE_NAMESPACE       namespace of the suite in Kubernetes                 (default: suite)
#   K8S_HOST              Kubernetes API for the auth method, e.g. https://kubernetes.default.svc;
#                         needed the first time, or to change it
#   K8S_CA_CERT_FILE      PEM file of that API's CA, when Vault runs outside the cluster
#   SUITE_DB_CREDENTIALS  dynamic (default) | static: static also stores db-username/db-password in
#                         the services' own KV paths (the fallback without the database engine)
#   PG_HOST               PostgreSQL as Vault reaches it                      (postgres.<namespace>.svc)
#   PG_PORT               its port                                             (5432)
#   PG_CA_FILE            database phase: path ON THE VAULT SERVER of PostgreSQL's CA certificate
# Secret values go to vault through stdin only: never in argv, never printed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ns=${SUITE_NAMESPACE:-suite}

# The CLI: Vault's vault, or OpenBao's bao (same commands and API; it also reads VAULT_ADDR and VAULT_TOKEN).
vault() { command "${VAULT_CLI:-vault}" "$@"; }

say() { printf '[vault-setup] %s\n' "$*"; }
die() { printf '[vault-setup] ERROR: %s\n' "$*" >&2; exit 1; }

# enable_once secrets|auth PATH TYPE [ARGS]: enables an engine or auth method unless PATH is taken.
enable_once() {
  local kind=$1 path=$2 type=$3 mounts
  shift 3
  mounts=$(vault "$kind" list -format=json)   # captured first: grep -q closing a pipe early would fail it
  if grep -q "\"$path/\"" <<<"$mounts"; then
    say "$kind $path/ is already enabled"
  else
    vault "$kind" enable -path="$path" "$@" "$type" >/dev/null
    say "enabled $kind $path/ ($type)"
  fi
}

# absent OUTPUT: whether a failed vault read said "nothing there" (anything else aborts the script,
# so a network or permission error can never be mistaken for a missing secret and overwrite it).
absent() {
  case $1 in
    *"No value found"* | *"not present in secret"* | *"not present in map"*) return 0 ;;  # Vault | OpenBao 2.x
    *) printf '%s\n' "$1" >&2; die "vault read failed (see above)" ;;
  esac
}

# exists PATH: whether `vault read PATH` finds data.
exists() {
  local out
  out=$(vault read "$1" 2>&1 >/dev/null) && return 0
  absent "$out"
  return 1
}

# kv_has PATH [KEY]: whether secret/PATH (or its KEY) exists. The value itself goes to /dev/null.
kv_has() {
  local out
  out=$(vault kv get ${2:+-field="$2"} "secret/$1" 2>&1 >/dev/null) && return 0
  absent "$out"
  return 1
}

# kv_set PATH KEY < VALUE: adds one key; creates the secret only if nobody else did meanwhile (cas=0).
kv_set() {
  if kv_has "$1"; then
    vault kv patch "secret/$1" "$2=-" >/dev/null
  else
    vault kv put -cas=0 "secret/$1" "$2=-" >/dev/null
  fi
}

# seed PATH KEY GENERATOR...: stores a generated value unless KEY already exists.
seed() {
  local path=$1 key=$2
  shift 2
  if kv_has "$path" "$key"; then
    say "kept    secret/$path $key"
  else
    "$@" | kv_set "$path" "$key"
    say "created secret/$path $key"
  fi
}

# copy FROM_PATH FROM_KEY TO_PATH TO_KEY: one value in two places (e.g. a service's Redis password).
copy() {
  if kv_has "$3" "$4"; then
    say "kept    secret/$3 $4"
  else
    vault kv get -field="$2" "secret/$1" | kv_set "$3" "$4"
    say "copied  secret/$1 $2 -> secret/$3 $4"
  fi
}

hex() { openssl rand -hex 32 | tr -d '\n'; }             # passwords: no character needs quoting anywhere
b64() { openssl rand -base64 32 | tr -d '\n'; }          # 256-bit keys (pepper, CSRF)
text() { printf '%s' "$1"; }
# The token signing key: EC P-256 (ES256), PKCS#8 PEM, the same kind the local stack makes.
ec_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null; }

# k8s_role ROLE SERVICE_ACCOUNT POLICY: a pod of the suite's namespace running as SERVICE_ACCOUNT, with
# a projected token whose audience is "vault", logs in as ROLE and gets POLICY (plus "default", which
# only lets a token renew itself and its leases).
k8s_role() {
  vault write "auth/kubernetes/role/$1" \
    bound_service_account_names="$2" \
    bound_service_account_namespaces="$ns" \
    audience=vault \
    token_policies="$3" \
    token_ttl=1h token_max_ttl=24h >/dev/null
  say "role    auth/kubernetes/role/$1 -> service account $ns/$2, policy $3"
}

# approle_role ROLE POLICY: a workload outside Kubernetes logs in with ROLE's role-id and a secret-id the operator
# issues (vault write -f auth/approle/role/ROLE/secret-id) and gets POLICY, like k8s_role's pods.
approle_role() {
  vault write "auth/approle/role/$1" \
    token_policies="$2" \
    token_ttl=1h token_max_ttl=24h >/dev/null
  say "role    auth/approle/role/$1 -> policy $2"
}

secrets_and_policies() {
  command -v openssl >/dev/null || die "openssl is needed to generate the secrets"

  enable_once secrets secret kv -version=2
  local tune
  tune=$(vault read -format=json sys/mounts/secret/tune)
  grep -q '"version": "2"' <<<"$tune" || die "secret/ is mounted but is not KV version 2"

  # Secrets read only by the operator (k8s-secrets.sh), never by a workload's policy.
  seed suite/postgres superuser-password hex
  seed suite/postgres vault-admin-password hex
  seed suite/postgres auth-app-password hex
  seed suite/postgres users-app-password hex
  seed suite/redis password hex                 # the operator's (Redis user "default")
  for service in auth-service user-service gateway; do
    seed suite/redis "$service-password" hex    # each service's own ACL user (deploy/k8s/base/redis/users.acl)
  done
  # Owner roles, read only by the migration jobs.
  seed suite/migrations/auth db-username text auth_owner
  seed suite/migrations/auth db-password hex
  seed suite/migrations/users db-username text users_owner
  seed suite/migrations/users db-password hex
  # Each service's own path.
  seed suite/auth-service jwt-signing-key ec_key
  seed suite/auth-service pepper b64
  seed suite/auth-service client-secret hex
  # The first admin's initial password (auth-service FirstAdmin, with AUTH_FIRST_ADMIN_EMAIL), replaced at its first sign-in.
  seed suite/auth-service initial-admin-password hex
  seed suite/user-service client-secret hex
  seed suite/gateway client-secret hex
  seed suite/gateway csrf-key b64
  for service in auth-service user-service gateway; do
    copy suite/redis "$service-password" "suite/$service" redis-password
  done
  # The auth service checks the user service's secret (client credentials) and reads only its own path.
  copy suite/user-service client-secret suite/auth-service user-service-client-secret
  case ${SUITE_DB_CREDENTIALS:-dynamic} in
    dynamic) ;;
    static)
      seed suite/auth-service db-username text auth_app
      copy suite/postgres auth-app-password suite/auth-service db-password
      seed suite/user-service db-username text users_app
      copy suite/postgres users-app-password suite/user-service db-password
      ;;
    *) die "SUITE_DB_CREDENTIALS must be dynamic or static" ;;
  esac

  local policy
  for policy in "$here"/policies/*.hcl; do
    vault policy write "$(basename "$policy" .hcl)" "$policy" >/dev/null
    say "policy  $(basename "$policy" .hcl)"
  done
}

base() {
  secrets_and_policies
  enable_once auth kubernetes kubernetes
  if [ -n "${K8S_HOST:-}" ]; then
    local config=(kubernetes_host="$K8S_HOST")
    if [ -n "${K8S_CA_CERT_FILE:-}" ]; then config+=(kubernetes_ca_cert=@"$K8S_CA_CERT_FILE"); fi
    vault write auth/kubernetes/config "${config[@]}" >/dev/null
    say "configured auth/kubernetes for $K8S_HOST"
  elif exists auth/kubernetes/config; then
    say "kept    auth/kubernetes/config"
  else
    die "set K8S_HOST (e.g. https://kubernetes.default.svc) to configure the Kubernetes auth method"
  fi
  #        Vault role         service account    policy (policies/<name>.hcl)
  k8s_role auth-service       auth-service       auth-service
  k8s_role user-service       user-service       user-service
  k8s_role gateway            gateway            gateway
  k8s_role auth-migrations    auth-migrations    auth-migrations
  k8s_role users-migrations   users-migrations   users-migrations
}

approle() {
  secrets_and_policies
  enable_once auth approle approle
  #            Vault role         policy (policies/<name>.hcl)
  approle_role auth-service       auth-service
  approle_role user-service       user-service
  approle_role gateway            gateway
  approle_role auth-migrations    auth-migrations
  approle_role users-migrations   users-migrations
}

database() {
  local pg_host=${PG_HOST:-postgres.$ns.svc}
  enable_once secrets database database
  if exists database/config/suite-postgres; then
    # Its password was rotated when it was created: only Vault knows it now. Never reconfigure blindly.
    say "kept    database/config/suite-postgres"
  else
    : "${PG_CA_FILE:?set PG_CA_FILE to the path, on the Vault server, of the PostgreSQL CA certificate}"
    vault kv get -field=vault-admin-password secret/suite/postgres \
      | vault write database/config/suite-postgres \
          plugin_name=postgresql-database-plugin \
          allowed_roles=auth-app,users-app \
          connection_url="postgresql://{{username}}:{{password}}@$pg_host:${PG_PORT:-5432}/postgres?sslmode=verify-full&sslrootcert=$PG_CA_FILE" \
          username=vault_admin \
          password=- \
          max_open_connections=4 \
          password_authentication=scram-sha-256 >/dev/null
    vault write -f database/rotate-root/suite-postgres >/dev/null
    say "created database/config/suite-postgres (vault_admin's password rotated: only Vault knows it)"
  fi
  #        Vault role   creation statements (database/*.sql)
  db_role auth-app      auth-app.sql
  db_role users-app     users-app.sql
}

# db_role ROLE SQL: short-lived PostgreSQL users, renewable up to a day.
db_role() {
  vault write "database/roles/$1" \
    db_name=suite-postgres \
    creation_statements=@"$here/database/$2" \
    revocation_statements=@"$here/database/revoke-app-user.sql" \
    default_ttl=1h max_ttl=24h >/dev/null
  say "role    database/roles/$1"
}

case ${1:-base} in
  base) base ;;
  approle) approle ;;
  database) database ;;
  *) die "usage: setup.sh [approle|database]" ;;
esac
say "done"
