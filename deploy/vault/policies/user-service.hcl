# user-service: its own KV secrets and short-lived database users in role users_app. Nothing else.

path "secret/data/suite/user-service" {
  capabilities = ["read"]
}

path "database/creds/users-app" {
  capabilities = ["read"]
}
