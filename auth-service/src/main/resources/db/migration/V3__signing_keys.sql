-- The signing key ring, shared by every replica: private keys encrypted (AES-GCM) under a key derived from
-- the secret seed key, never stored in clear. States: next (published, not signing yet), current (signs),
-- previous (published until its tokens expired), retired (kept for audit, never published).
CREATE TABLE signing_key (
    kid           varchar(64)  PRIMARY KEY,
    private_key   bytea        NOT NULL,
    public_jwk    text         NOT NULL,
    state         varchar(10)  NOT NULL CHECK (state IN ('next', 'current', 'previous', 'retired')),
    created_at    timestamptz  NOT NULL,
    activated_at  timestamptz
);
CREATE UNIQUE INDEX signing_key_one_current ON signing_key (state) WHERE state IN ('next', 'current', 'previous');
