-- Creation statements of Vault's database role "auth-app": a short-lived login that is a member of
-- auth_app (deploy/db/init.sql), so it has exactly auth_app's rights on database auth and no others.
-- Run by vault_admin; {{name}}, {{password}} and {{expiration}} are filled in by Vault.
CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'
  IN ROLE auth_app INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
-- init.sql sets this for auth_app itself; role settings are not inherited by members.
ALTER ROLE "{{name}}" IN DATABASE auth SET search_path = auth;
