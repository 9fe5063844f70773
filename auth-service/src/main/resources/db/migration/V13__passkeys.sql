-- Passkeys (issue 22): WebAuthn credentials, each a second factor after the password and a password-less first factor.
-- The credential id is kept as the browser names it (base64url). A public key is no secret (it opens nothing), so nothing here is sealed. attested_credential_data is the credential as
-- the authenticator made it (AAGUID, credential id, COSE public key; webauthn4j's AttestedCredentialDataConverter).
-- sign_count is the authenticator's signature counter as last seen: one that goes backwards betrays a cloned key
-- (WebAuthn 6.1.1), and the row is locked while an assertion is judged, so two sign-ins with one counter value are
-- judged one after the other.
CREATE TABLE passkey (
    credential_id             varchar(1400) PRIMARY KEY,
    account_id                uuid         NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    name                      varchar(64)  NOT NULL,
    attested_credential_data  bytea        NOT NULL,
    sign_count                bigint       NOT NULL,
    user_verified             boolean      NOT NULL,
    backup_eligible           boolean      NOT NULL,
    backup_state              boolean      NOT NULL,
    -- Whether the passkey signs in by itself. A password reset turns it off for every passkey of the account (an
    -- intruder's key must not outlive the owner's reset); a second step after the new password turns it on again.
    passwordless              boolean      NOT NULL DEFAULT true,
    transports                varchar(100),
    created_at                timestamptz  NOT NULL,
    last_used_at              timestamptz,
    -- base64url without padding, as the browser names the credential: 16 to 1023 bytes (WebAuthn's bounds)
    CONSTRAINT passkey_id_form CHECK (credential_id ~ '^[A-Za-z0-9_-]+$' AND length(credential_id) BETWEEN 22 AND 1364)
);
CREATE INDEX passkey_account ON passkey (account_id);

GRANT SELECT, INSERT, DELETE ON passkey TO auth_app;
GRANT UPDATE (sign_count, backup_state, last_used_at, passwordless) ON passkey TO auth_app;
