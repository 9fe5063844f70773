# Migration job of the users database: the owner role's credentials (users_owner). Nothing else.

path "secret/data/suite/migrations/users" {
  capabilities = ["read"]
}
