-- Roles, databases and grants of the suite: one source for the local stack and for Kubernetes.
-- Run once, as a superuser, on an empty cluster:
--   psql -v auth_owner_password=... -v auth_app_password=... \
--        -v users_owner_password=... -v users_app_password=... -f init.sql
-- The local stack renders the same file (the :'name' variables and \connect lines) itself.
--
-- *_owner roles own a schema and are used only by migrations; *_app roles are what the services
-- run as: data access on their own schema only, no DDL anywhere, no CONNECT to the other database.
-- No default privileges: an app role can touch a table, column, sequence or function only where the
-- migration that made it grants it (per table, per column where it matters), so a new table is closed
-- until someone decides what the service needs of it. Functions an owner creates are not even
-- executable by PUBLIC.

CREATE ROLE auth_owner  LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'auth_owner_password';
CREATE ROLE auth_app    LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'auth_app_password';
CREATE ROLE users_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'users_owner_password';
CREATE ROLE users_app   LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'users_app_password';

CREATE DATABASE auth  OWNER postgres ENCODING 'UTF8' TEMPLATE template0;
CREATE DATABASE users OWNER postgres ENCODING 'UTF8' TEMPLATE template0;

-- Nobody connects to anything unless granted here.
REVOKE ALL ON DATABASE postgres  FROM PUBLIC;
REVOKE ALL ON DATABASE template1 FROM PUBLIC;
REVOKE ALL ON DATABASE auth      FROM PUBLIC;
REVOKE ALL ON DATABASE users     FROM PUBLIC;
GRANT CONNECT ON DATABASE auth  TO auth_owner, auth_app;
GRANT CONNECT ON DATABASE users TO users_owner, users_app;

\connect auth
REVOKE ALL ON SCHEMA public FROM PUBLIC;
CREATE SCHEMA auth AUTHORIZATION auth_owner;
GRANT USAGE ON SCHEMA auth TO auth_app;
ALTER DEFAULT PRIVILEGES FOR ROLE auth_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER ROLE auth_owner IN DATABASE auth SET search_path = auth;
ALTER ROLE auth_app   IN DATABASE auth SET search_path = auth;

\connect users
REVOKE ALL ON SCHEMA public FROM PUBLIC;
CREATE SCHEMA users AUTHORIZATION users_owner;
GRANT USAGE ON SCHEMA users TO users_app;
ALTER DEFAULT PRIVILEGES FOR ROLE users_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER ROLE users_owner IN DATABASE users SET search_path = users;
ALTER ROLE users_app   IN DATABASE users SET search_path = users;
