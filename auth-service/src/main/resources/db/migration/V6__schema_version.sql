-- The schema version the service checks before it reports ready (service-runtime's SchemaReadiness): a service
-- whose code expects a newer schema than the one applied stays out of its Service until the migration Job has run.
-- auth_app may not read flyway_schema_history (it belongs to the migrations, and its script names and checksums are none
-- of the service's business), so this function, owned by auth_owner, answers the one question the check needs.
-- SECURITY DEFINER runs it with the owner's rights: its search_path is fixed (pg_catalog first, pg_temp last) and
-- every name is qualified, so nothing the caller creates or sets can run under those rights; only auth_app may call it.
CREATE FUNCTION auth.schema_version() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, auth, pg_temp
AS $$
    SELECT h.version FROM auth.flyway_schema_history h
    WHERE h.success AND h.version IS NOT NULL
    ORDER BY pg_catalog.string_to_array(h.version, '.')::int[] DESC
    LIMIT 1
$$;

REVOKE ALL ON FUNCTION auth.schema_version() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth.schema_version() TO auth_app;
