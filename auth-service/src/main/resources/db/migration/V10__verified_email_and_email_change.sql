-- Issue 21, items 2 and 4: verified addresses and a change of address confirmed by link, with an undo for the old one.

-- Whether the owner proved the address by a link mailed to it. Accounts of before (and imported ones) are unverified
-- until their owner asks for a link; an unverified account still signs in unless auth.email.require-verified is set.
ALTER TABLE account ADD COLUMN email_verified boolean NOT NULL DEFAULT false;
-- auth_app may mark an address verified and change the address (only through the confirmed flows of EmailService).
GRANT UPDATE (email, email_verified) ON account TO auth_app;

-- The links of the address flows, each kept only as the SHA-256 of its token (256 random bits, made when its mail
-- is sent, so never stored in clear). A row is single use (deleted when used) and works until expires_at, for:
--   verify: proving `email`; dead as soon as the account's address is no longer `email`.
--   change: moving the account to `email` (the new address, where the link went); dead as soon as the account's
--           address is no longer `bound_email` (the one it had when the change was asked for).
--   undo:   giving the account back `email` (its old address, where the notice went) and ending every session; not
--           bound to the current address: a thief who changes the address again must not kill the owner's undo.
-- A newer verify or change link replaces the older one of its account; undo links never replace each other.
CREATE TABLE email_token (
    token_hash   char(64)     PRIMARY KEY,
    purpose      varchar(10)  NOT NULL CHECK (purpose IN ('verify', 'change', 'undo')),
    account_id   uuid         NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    email        varchar(320) NOT NULL,
    bound_email  varchar(320),
    issued_at    timestamptz  NOT NULL,
    expires_at   timestamptz  NOT NULL
);
CREATE INDEX email_token_account ON email_token (account_id, purpose);

GRANT SELECT, INSERT, DELETE ON email_token TO auth_app;
