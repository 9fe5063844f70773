# auth-service: its own KV secrets (signing key, pepper, Redis password, client secret,
# and db-username/db-password when static DB credentials are used) and short-lived database users
# in role auth_app. Nothing else. Token renewal and lease renewal come from Vault's default policy.

path "secret/data/suite/auth-service" {
  capabilities = ["read"]
}

path "database/creds/auth-app" {
  capabilities = ["read"]
}
