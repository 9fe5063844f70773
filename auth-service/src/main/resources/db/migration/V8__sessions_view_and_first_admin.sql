-- Issue 23, items 1 and 2.
--
-- "Where you're signed in": what a person needs to recognise a session of theirs. Never the raw User-Agent or the full
-- address: the device is a label from a fixed vocabulary ("Firefox on Linux", session/DeviceNames), the network the
-- client's /24 (IPv4) or /48 (IPv6), updated at each refresh. Old rows have neither (NULL: shown as unknown).
ALTER TABLE auth_session ADD COLUMN device varchar(80);
ALTER TABLE auth_session ADD COLUMN client_network varchar(50);
-- INSERT and SELECT on auth_session are table-wide grants (V5), which take in new columns; UPDATE is per column.
GRANT UPDATE (client_network) ON auth_session TO auth_app;

-- An account whose password someone else chose (the first admin's initial password) must replace it before its
-- sessions are good for anything but that (password-change tokens: session/SessionService). Cleared by the owner's
-- own password change.
ALTER TABLE account ADD COLUMN password_change_required boolean NOT NULL DEFAULT false;
GRANT UPDATE (password_change_required) ON account TO auth_app;

-- The first admin without SQL: at start the service makes the admin its configuration names (account/FirstAdmin), once
-- for that email, whatever happens to the account afterwards (a later start never resets its password nor gives the
-- role back). One row per email ever bootstrapped; the primary key is what makes replicas starting at once agree.
CREATE TABLE admin_bootstrap (
    email       varchar(320) PRIMARY KEY,
    account_id  uuid         NOT NULL,
    outcome     varchar(10)  NOT NULL CHECK (outcome IN ('created', 'promoted')),
    done_at     timestamptz  NOT NULL DEFAULT now()
);
-- auth_app may read and write none of it, nor write roles: only this function, owned by auth_owner, does. It creates
-- the account (roles user,admin) or promotes the existing one (its password replaced by the initial one, so an account
-- somebody registered under the admin's address before does not become theirs to use as admin), marked to change its
-- password, and answers what it did: 'created', 'promoted' or, for an email bootstrapped before, 'done-before' (nothing
-- changed). What it adds to auth_app's powers: making an admin of an address never bootstrapped before, with a hash it
-- chooses; auth_app could already take any existing admin over by replacing the hash (UPDATE password_hash, V5).
-- SECURITY DEFINER under a fixed search_path with every name qualified, as schema_version() (V6).
CREATE FUNCTION auth.bootstrap_admin(admin_email text, new_id uuid, new_name text, initial_hash text,
        OUT account_id uuid, OUT outcome text)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, auth, pg_temp
AS $$
DECLARE
    existing uuid;
BEGIN
    IF admin_email IS NULL OR initial_hash IS NULL OR new_id IS NULL OR new_name IS NULL THEN
        RAISE EXCEPTION 'bootstrap_admin needs every argument';
    END IF;
    -- A replica that starts at the same moment waits here on the other's uncommitted row, then finds it.
    INSERT INTO auth.admin_bootstrap AS b (email, account_id, outcome) VALUES (admin_email, new_id, 'created')
        ON CONFLICT (email) DO NOTHING;
    IF NOT FOUND THEN
        SELECT b.account_id, 'done-before' INTO account_id, outcome FROM auth.admin_bootstrap b WHERE b.email = admin_email;
        RETURN;
    END IF;
    SELECT a.id INTO existing FROM auth.account a WHERE a.email = admin_email FOR UPDATE;
    IF existing IS NULL THEN
        INSERT INTO auth.account (id, email, display_name, password_hash, roles, password_change_required, created_at, updated_at)
            VALUES (new_id, admin_email, new_name, initial_hash, 'user,admin', true, pg_catalog.now(), pg_catalog.now());
        account_id := new_id;
        outcome := 'created';
    ELSE
        UPDATE auth.account a SET
                roles = CASE WHEN 'admin' = ANY (pg_catalog.string_to_array(a.roles, ',')) THEN a.roles ELSE a.roles || ',admin' END,
                password_hash = initial_hash, password_change_required = true, updated_at = pg_catalog.now()
            WHERE a.id = existing;
        UPDATE auth.admin_bootstrap b SET account_id = existing, outcome = 'promoted' WHERE b.email = admin_email;
        account_id := existing;
        outcome := 'promoted';
    END IF;
END
$$;

REVOKE ALL ON FUNCTION auth.bootstrap_admin(text, uuid, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth.bootstrap_admin(text, uuid, text, text) TO auth_app;
