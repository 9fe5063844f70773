-- The role Vault's database secrets engine logs in as (deploy/vault/setup.sh rotates its password at once, so
-- afterwards only Vault knows it). Run after init.sql: by PostgreSQL's first start in Kubernetes
-- (deploy/k8s/base/postgres/10-suite-init.sh) and by the local stack (LocalPostgres). It may create and drop the
-- short-lived members of auth_app and users_app (deploy/vault/database/*.sql) and nothing else:
-- it holds none of their privileges (INHERIT FALSE, SET FALSE), is no superuser, owns nothing.
CREATE ROLE vault_admin LOGIN CREATEROLE NOSUPERUSER NOCREATEDB NOREPLICATION NOBYPASSRLS PASSWORD :'vault_admin_password';
GRANT auth_app  TO vault_admin WITH ADMIN OPTION, INHERIT FALSE, SET FALSE;
GRANT users_app TO vault_admin WITH ADMIN OPTION, INHERIT FALSE, SET FALSE;
GRANT CONNECT ON DATABASE postgres TO vault_admin;
