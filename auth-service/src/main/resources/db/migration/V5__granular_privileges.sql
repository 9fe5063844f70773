-- What auth_app (and so every Vault-made member of it) may do, per table and, where it guards something, per
-- column: exactly what the service's queries need (docs/security.md, "Privileges inside PostgreSQL", lists the
-- paths behind each grant). Anything not granted here is refused by the server, whatever SQL reaches it.
--
-- Clusters initialised before deploy/db/init.sql stopped granting DML by default: drop those defaults and the
-- grants they made, then grant afresh. Both are no-ops on a new cluster.
ALTER DEFAULT PRIVILEGES FOR ROLE auth_owner IN SCHEMA auth REVOKE ALL ON TABLES FROM auth_app;
ALTER DEFAULT PRIVILEGES FOR ROLE auth_owner IN SCHEMA auth REVOKE ALL ON SEQUENCES FROM auth_app;
ALTER DEFAULT PRIVILEGES FOR ROLE auth_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA auth FROM auth_app;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA auth FROM auth_app;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA auth FROM PUBLIC, auth_app;

-- Accounts: registration inserts (roles takes its default 'user': the service cannot create an admin), login and
-- password change replace the hash, deletion deletes. Nothing the service runs changes an email, a name or roles.
GRANT SELECT, DELETE ON account TO auth_app;
GRANT INSERT (id, email, display_name, password_hash, created_at, updated_at) ON account TO auth_app;
GRANT UPDATE (password_hash, updated_at) ON account TO auth_app;

-- Sessions and refresh tokens: opened, used, revoked; their rows go only with their account (ON DELETE CASCADE
-- runs as the table's owner), so no DELETE.
GRANT SELECT, INSERT ON auth_session TO auth_app;
GRANT UPDATE (last_used_at, revoked_at, revoke_reason) ON auth_session TO auth_app;
GRANT SELECT, INSERT ON refresh_token TO auth_app;
GRANT UPDATE (used_at, successor_hash) ON refresh_token TO auth_app;

-- The audit trail is append-only for the service: it cannot read, rewrite or erase history. SELECT on id alone
-- is what INSERT ... RETURNING id needs to hand the new row's key back.
GRANT INSERT (occurred_at, type, account_id, session_id, client_ip, detail) ON audit_event TO auth_app;
GRANT SELECT (id) ON audit_event TO auth_app;
GRANT USAGE ON SEQUENCE audit_event_id_seq TO auth_app;

-- The key ring: rotation inserts keys and moves them through their states, withdrawal marks one, re-sealing
-- replaces a private key's envelope. A key's kid, public half and birth date are never rewritten, and no key is
-- ever deleted (withdrawn and retired keys stay for audit).
GRANT SELECT ON signing_key TO auth_app;
GRANT INSERT (kid, private_key, sealed_by, public_jwk, state, created_at, activated_at) ON signing_key TO auth_app;
GRANT UPDATE (state, activated_at, withdrawn_at, private_key, sealed_by) ON signing_key TO auth_app;
