# Migration job of the auth database: the owner role's credentials (auth_owner). Nothing else,
# in particular none of auth-service's secrets.

path "secret/data/suite/migrations/auth" {
  capabilities = ["read"]
}
