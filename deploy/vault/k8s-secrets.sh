#!/usr/bin/env bash
# Creates or updates, from Vault, the Kubernetes Secrets of the suite. All are for the suite's own servers; the
# services themselves read everything from Vault at run time.
#   postgres-bootstrap  role passwords that PostgreSQL's first start applies (init.sql, vault_admin): the dev overlay's
#   redis-auth          Redis's ACL passwords: the operator's and each service's (which the service reads from its Vault path)
#   postgres-auth-owner, postgres-auth-app, postgres-users-owner, postgres-users-app, postgres-vault-admin
#                       the prod overlay's CloudNativePG Cluster: each login role's password (basic-auth, reloaded by the
#                       operator on change) and vault_admin's first one as SQL (overlays/prod/postgres/cluster.yaml)
# Run after setup.sh, with the vault CLI logged in as the operator and kubectl pointing at the cluster.
# Values go from vault to kubectl through files in a private temporary folder: never argv, never the
# terminal; server-side apply keeps them out of the last-applied-configuration annotation.
set -euo pipefail

ns=${SUITE_NAMESPACE:-suite}
work=$(umask 077 && mktemp -d)
trap 'rm -rf "$work"' EXIT

# put SECRET KEY VAULT_PATH VAULT_KEY: one key of a Secret, which must not be empty.
put() {
  mkdir -p "$work/$1"
  vault kv get -field="$4" "secret/$3" > "$work/$1/$2"
  [ -s "$work/$1/$2" ] || { echo "secret/$3 $4 is empty: run setup.sh first" >&2; exit 1; }
}

# apply SECRET [TYPE]: the Secret holds exactly the files put above.
apply() {
  kubectl -n "$ns" create secret generic "$1" --type="${2:-Opaque}" --from-file="$work/$1" --dry-run=client -o yaml \
    | kubectl -n "$ns" apply --server-side --field-manager=suite-vault-sync -f - >/dev/null
  echo "[k8s-secrets] $ns/$1: $(ls "$work/$1" | tr '\n' ' ')"
}

# role SECRET ROLE VAULT_PATH VAULT_KEY: a CloudNativePG managed role's password Secret (username and password),
# labelled so that the operator applies a change at once.
role() {
  put "$1" password "$3" "$4"
  printf '%s' "$2" > "$work/$1/username"
  apply "$1" kubernetes.io/basic-auth
  kubectl -n "$ns" label secret "$1" cnpg.io/reload=true --overwrite >/dev/null
}

put postgres-bootstrap superuser-password   suite/postgres           superuser-password
put postgres-bootstrap auth-owner-password  suite/migrations/auth    db-password
put postgres-bootstrap auth-app-password    suite/postgres           auth-app-password
put postgres-bootstrap users-owner-password suite/migrations/users   db-password
put postgres-bootstrap users-app-password   suite/postgres           users-app-password
put postgres-bootstrap vault-admin-password suite/postgres           vault-admin-password
apply postgres-bootstrap

# One password per Redis ACL user (deploy/k8s/base/redis/users.acl), each file named after its user.
put redis-auth default      suite/redis password
put redis-auth auth-service suite/redis auth-service-password
put redis-auth user-service suite/redis user-service-password
put redis-auth gateway      suite/redis gateway-password
apply redis-auth

# The prod overlay's CloudNativePG Cluster (unused by the dev overlay's single PostgreSQL).
role postgres-auth-owner  auth_owner  suite/migrations/auth  db-password
role postgres-users-owner users_owner suite/migrations/users db-password
role postgres-auth-app    auth_app    suite/postgres         auth-app-password
role postgres-users-app   users_app   suite/postgres         users-app-password
# vault_admin's first password, as the SQL the Cluster's bootstrap runs (Vault rotates it at once: setup.sh database).
put postgres-vault-admin set-password.sql suite/postgres vault-admin-password
sed -i "s/.*/ALTER ROLE vault_admin PASSWORD '&'/" "$work/postgres-vault-admin/set-password.sql"
apply postgres-vault-admin
