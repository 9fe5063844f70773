-- After a point-in-time restore of the auth database (docs/runbooks/postgres-restore.md), before the auth service
-- starts on it: ends every session the restored database holds, as auth_owner in database auth:
--   psql "host=... dbname=auth user=auth_owner sslmode=verify-full sslrootcert=..." -v ON_ERROR_STOP=1 -f after-restore.sql
--
-- Why: the database is back at the restore point, but the world moved on after it. A refresh token rotated after that
-- point is unspent again (whoever copied it could use it, and reuse detection would not notice), and a session ended
-- after it (logout, an admin's revocation, a detected theft) is live again. Which sessions those are cannot be told from
-- the restored data, so all of them end: every user signs in again. Access tokens are not touched here: revocations
-- live in Redis, which a database restore does not roll back, and the others expire within their lifetime.
BEGIN;
UPDATE auth.auth_session SET revoked_at = now(), revoke_reason = 'database-restore' WHERE revoked_at IS NULL;
INSERT INTO auth.audit_event (occurred_at, type, detail) VALUES (now(), 'SESSION_REVOKED', 'every session ended after a database restore');
COMMIT;
