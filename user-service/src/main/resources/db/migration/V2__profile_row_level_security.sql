-- Defence in depth under the service's own owner check: users_app sees and writes only the row whose id
-- the current transaction named with set_config('app.owner_id', <uuid>, true). Without it: nothing.
ALTER TABLE profile ENABLE ROW LEVEL SECURITY;
CREATE POLICY profile_owner_only ON profile
    USING (id = nullif(current_setting('app.owner_id', true), '')::uuid)
    WITH CHECK (id = nullif(current_setting('app.owner_id', true), '')::uuid);
