# gateway: its own KV secrets (Redis password, client secret, CSRF key). No database access at all.

path "secret/data/suite/gateway" {
  capabilities = ["read"]
}
