-- What users_app (and so every Vault-made member of it) may do, per table and per column: exactly what the
-- service's queries need (docs/security.md, "Privileges inside PostgreSQL"). Row-level security (V2) still limits every row.
--
-- Clusters initialised before deploy/db/init.sql stopped granting DML by default: drop those defaults and the
-- grants they made, then grant afresh. Both are no-ops on a new cluster.
ALTER DEFAULT PRIVILEGES FOR ROLE users_owner IN SCHEMA users REVOKE ALL ON TABLES FROM users_app;
ALTER DEFAULT PRIVILEGES FOR ROLE users_owner IN SCHEMA users REVOKE ALL ON SEQUENCES FROM users_app;
ALTER DEFAULT PRIVILEGES FOR ROLE users_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA users FROM users_app;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA users FROM users_app;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA users FROM PUBLIC, users_app;

-- A profile is made at the first visit with a name only (the rest takes its defaults), edited by its owner and
-- deleted with the account. Its id (the account's) and creation time are never rewritten.
GRANT SELECT, DELETE ON profile TO users_app;
GRANT INSERT (id, display_name, created_at, updated_at) ON profile TO users_app;
GRANT UPDATE (display_name, bio, locale, avatar_url, private_notes, updated_at) ON profile TO users_app;
