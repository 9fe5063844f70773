-- Issue 23, items 3 and 4: what an admin may do to accounts, and the audit trail an admin can read.
--
-- The service still writes neither roles nor the new lock: each change goes through one narrow function below, owned
-- by auth_owner and run with its rights (SECURITY DEFINER under a fixed search_path with every name qualified, as
-- schema_version() in V6 and bootstrap_admin() in V8), and only auth_app may call them. What each adds to auth_app's
-- powers is said above it; AppRolePrivilegesTest holds auth_app to exactly this list.

-- A locked account cannot sign in or refresh (login/LoginService, session/SessionService); NULL is not locked. auth_app
-- reads it through its table-wide SELECT (V5) and has no UPDATE on it: a password reset or change cannot unlock.
ALTER TABLE account ADD COLUMN locked_at timestamptz;

-- Who did it, for the events an admin causes (account_id is whom it was done to). Written like the other columns.
ALTER TABLE audit_event ADD COLUMN actor_id uuid;
GRANT INSERT (actor_id) ON audit_event TO auth_app;
-- The retention job deletes by age, the admin reads by time range: both walk occurred_at.
CREATE INDEX audit_event_occurred ON audit_event (occurred_at);

-- Locks or unlocks one account; answers whether it exists. Refuses to lock the last unlocked admin, so the accounts
-- that could unlock anyone are never all locked. Adds: setting or clearing locked_at (auth_app could already end every
-- session and delete any account outright, so a lock takes nothing from an owner that auth_app could not).
CREATE FUNCTION auth.set_account_locked(target uuid, locked boolean) RETURNS boolean
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, auth, pg_temp
AS $$
DECLARE
    found_roles text;
BEGIN
    IF target IS NULL OR locked IS NULL THEN
        RAISE EXCEPTION 'set_account_locked needs every argument';
    END IF;
    -- Every admin row locked in one order: two admins locking each other at once cannot both pass the check below.
    PERFORM 1 FROM auth.account a WHERE 'admin' = ANY (pg_catalog.string_to_array(a.roles, ',')) ORDER BY a.id FOR UPDATE;
    SELECT a.roles INTO found_roles FROM auth.account a WHERE a.id = target FOR UPDATE;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    IF locked AND 'admin' = ANY (pg_catalog.string_to_array(found_roles, ',')) AND NOT EXISTS (
            SELECT 1 FROM auth.account a WHERE a.id <> target AND a.locked_at IS NULL
                AND 'admin' = ANY (pg_catalog.string_to_array(a.roles, ','))) THEN
        RAISE EXCEPTION 'the last unlocked admin cannot be locked' USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE auth.account a SET locked_at = CASE WHEN locked THEN COALESCE(a.locked_at, pg_catalog.now()) END
        WHERE a.id = target;
    RETURN true;
END
$$;

-- Grants or removes the admin role of one account (no other role, no other column); answers whether it exists.
-- Refuses to remove the role from the last unlocked admin. Adds: making any existing account an admin. That is the
-- power the admin API exists to use; before it, auth_app could already take an admin over by replacing its hash (V8).
CREATE FUNCTION auth.set_admin_role(target uuid, admin boolean) RETURNS boolean
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, auth, pg_temp
AS $$
DECLARE
    found_roles text[];
BEGIN
    IF target IS NULL OR admin IS NULL THEN
        RAISE EXCEPTION 'set_admin_role needs every argument';
    END IF;
    PERFORM 1 FROM auth.account a WHERE 'admin' = ANY (pg_catalog.string_to_array(a.roles, ',')) ORDER BY a.id FOR UPDATE;
    SELECT pg_catalog.string_to_array(a.roles, ',') INTO found_roles FROM auth.account a WHERE a.id = target FOR UPDATE;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    IF NOT admin AND 'admin' = ANY (found_roles) AND NOT EXISTS (
            SELECT 1 FROM auth.account a WHERE a.id <> target AND a.locked_at IS NULL
                AND 'admin' = ANY (pg_catalog.string_to_array(a.roles, ','))) THEN
        RAISE EXCEPTION 'the last unlocked admin keeps the admin role' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF admin AND NOT 'admin' = ANY (found_roles) THEN
        found_roles := pg_catalog.array_append(found_roles, 'admin');
    ELSIF NOT admin THEN
        found_roles := pg_catalog.array_remove(found_roles, 'admin');
    END IF;
    UPDATE auth.account a SET roles = pg_catalog.array_to_string(found_roles, ','), updated_at = pg_catalog.now()
        WHERE a.id = target;
    RETURN true;
END
$$;

-- One page of the audit trail, newest first, for the admin API: keyset paging on id (before_id: the last id of the
-- previous page), optional filters, at most 200 rows whatever the caller asks. Adds: reading the trail, a page at a
-- time; the table itself stays closed to auth_app (no SELECT beyond id, V5), so it still cannot rewrite or erase it.
CREATE FUNCTION auth.audit_page(for_account uuid, of_type text, since timestamptz, until timestamptz, before_id bigint,
        page_size integer)
    RETURNS TABLE (id bigint, occurred_at timestamptz, type text, account_id uuid, actor_id uuid, session_id uuid,
        client_ip text, detail text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, auth, pg_temp
AS $$
    SELECT e.id, e.occurred_at, e.type::text, e.account_id, e.actor_id, e.session_id, e.client_ip::text, e.detail::text
    FROM auth.audit_event e
    WHERE (for_account IS NULL OR e.account_id = for_account)
      AND (of_type IS NULL OR e.type = of_type)
      AND (since IS NULL OR e.occurred_at >= since)
      AND (until IS NULL OR e.occurred_at < until)
      AND (before_id IS NULL OR e.id < before_id)
    ORDER BY e.id DESC
    LIMIT LEAST(GREATEST(COALESCE(page_size, 50), 1), 200)
$$;

-- Retention: deletes one batch (at most 10000 rows) of events older than older_than; answers how many went. Its own
-- floor: nothing younger than 30 days by the database's clock, whatever the service's configuration says, so SQL
-- injected into the service cannot erase recent history (the attack AppRolePrivilegesTest replays).
CREATE FUNCTION auth.purge_audit_events(older_than timestamptz, batch_size integer) RETURNS integer
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, auth, pg_temp
AS $$
DECLARE
    deleted integer;
BEGIN
    IF older_than IS NULL OR older_than > pg_catalog.now() - interval '30 days' THEN
        RAISE EXCEPTION 'audit events younger than 30 days are kept' USING ERRCODE = 'insufficient_privilege';
    END IF;
    DELETE FROM auth.audit_event e WHERE e.id IN (
        SELECT o.id FROM auth.audit_event o WHERE o.occurred_at < older_than ORDER BY o.occurred_at
        LIMIT LEAST(GREATEST(COALESCE(batch_size, 1000), 1), 10000));
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
END
$$;

REVOKE ALL ON FUNCTION auth.set_account_locked(uuid, boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION auth.set_admin_role(uuid, boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION auth.audit_page(uuid, text, timestamptz, timestamptz, bigint, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION auth.purge_audit_events(timestamptz, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth.set_account_locked(uuid, boolean) TO auth_app;
GRANT EXECUTE ON FUNCTION auth.set_admin_role(uuid, boolean) TO auth_app;
GRANT EXECUTE ON FUNCTION auth.audit_page(uuid, text, timestamptz, timestamptz, bigint, integer) TO auth_app;
GRANT EXECUTE ON FUNCTION auth.purge_audit_events(timestamptz, integer) TO auth_app;
