-- Second factors (issue 22): TOTP and recovery codes, and how each session signed in.

-- One TOTP factor per account. The secret is stored sealed like the signing keys (token/RingSealing: AES-256-GCM under
-- a key derived from the seed, bound to this account's id), never in clear; sealed_by names the seed that sealed it, so
-- a seed replacement can re-seal it. confirmed_at is null until the owner proved the authenticator with a first code:
-- only a confirmed factor is asked for at sign-in. last_used_step is the RFC 6238 time step of the last code accepted:
-- a code of that step or an earlier one is never accepted again (no replay within its window).
CREATE TABLE totp_factor (
    account_id      uuid        PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    sealed_secret   bytea       NOT NULL,
    sealed_by       varchar(100) NOT NULL,
    created_at      timestamptz NOT NULL,
    confirmed_at    timestamptz,
    last_used_step  bigint
);

-- Recovery codes: random (80 bits), shown once, stored as their SHA-256 only; each single use (used_at).
CREATE TABLE recovery_code (
    code_hash   char(64)    PRIMARY KEY,
    account_id  uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX recovery_code_account ON recovery_code (account_id);

-- How a session signed in, for the amr and auth_time claims of every token minted from it (RFC 8176), so a refresh keeps
-- them. Old rows: NULL, read as a password sign-in at the session's start.
ALTER TABLE auth_session ADD COLUMN amr varchar(60);
ALTER TABLE auth_session ADD COLUMN auth_time timestamptz;
-- Turning a factor on in a session proves it there: that session's amr and auth_time are updated.
GRANT UPDATE (amr, auth_time) ON auth_session TO auth_app;

GRANT SELECT, INSERT, DELETE ON totp_factor TO auth_app;
GRANT UPDATE (sealed_secret, sealed_by, confirmed_at, last_used_step) ON totp_factor TO auth_app;
GRANT SELECT, INSERT, DELETE ON recovery_code TO auth_app;
GRANT UPDATE (used_at) ON recovery_code TO auth_app;
