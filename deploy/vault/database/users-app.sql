-- Creation statements of Vault's database role "users-app": a short-lived login that is a member of
-- users_app (deploy/db/init.sql), so it has exactly users_app's rights on database users and no others.
-- Run by vault_admin, with the name, password and expiration filled in by Vault. Vault's PostgreSQL plugin splits
-- this file at every semicolon, comments included, and fills its placeholders in comments too: no semicolon and no
-- placeholder may appear in a comment here (OpenBao refused the first version with a syntax error).
CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'
  IN ROLE users_app INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
-- init.sql sets this for users_app itself, and role settings are not inherited by members.
ALTER ROLE "{{name}}" IN DATABASE users SET search_path = users;
