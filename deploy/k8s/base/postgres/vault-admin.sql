-- Kubernetes only: the role Vault's database secrets engine logs in as (deploy/vault/setup.sh
-- rotates its password at once, so afterwards only Vault knows it). It may create and drop the
-- short-lived members of auth_app and users_app (deploy/vault/database/*.sql) and nothing else:
-- it holds none of their privileges (INHERIT FALSE, SET FALSE), is no superuser, owns nothing.
CREATE ROLE vault_admin LOGIN CREATEROLE NOSUPERUSER NOCREATEDB NOREPLICATION NOBYPASSRLS PASSWORD :'vault_admin_password';
GRANT auth_app  TO vault_admin WITH ADMIN OPTION, INHERIT FALSE, SET FALSE;
GRANT users_app TO vault_admin WITH ADMIN OPTION, INHERIT FALSE, SET FALSE;
GRANT CONNECT ON DATABASE postgres TO vault_admin;
