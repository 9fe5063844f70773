-- A compromised key is withdrawn: never published or used again, whatever its state was. Each private key records
-- which seed sealed it (the seed's thumbprint, not secret), so the ring can be re-sealed under a new seed while
-- replicas with either seed keep running; NULL means sealed by the seed in use before this column existed.
ALTER TABLE signing_key DROP CONSTRAINT signing_key_state_check;
ALTER TABLE signing_key ADD CONSTRAINT signing_key_state_check
    CHECK (state IN ('next', 'current', 'previous', 'retired', 'withdrawn'));
ALTER TABLE signing_key ADD COLUMN sealed_by varchar(64);
ALTER TABLE signing_key ADD COLUMN withdrawn_at timestamptz;
