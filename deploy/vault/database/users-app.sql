-- Creation statements of Vault's database role "users-app": a short-lived login that is a member of
-- users_app (deploy/db/init.sql), so it has exactly users_app's rights on database users and no others.
-- Run by vault_admin; {{name}}, {{password}} and {{expiration}} are filled in by Vault.
CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'
  IN ROLE users_app INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
-- init.sql sets this for users_app itself; role settings are not inherited by members.
ALTER ROLE "{{name}}" IN DATABASE users SET search_path = users;
