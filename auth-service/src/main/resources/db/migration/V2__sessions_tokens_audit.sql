-- A session is one login: the family of refresh tokens that rotate from it. Its id is the tokens' "sid".
CREATE TABLE auth_session (
    id                   uuid PRIMARY KEY,
    account_id           uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at           timestamptz NOT NULL,
    last_used_at         timestamptz NOT NULL,
    absolute_expires_at  timestamptz NOT NULL,
    revoked_at           timestamptz,
    revoke_reason        varchar(40)
);
CREATE INDEX auth_session_account ON auth_session (account_id) WHERE revoked_at IS NULL;

-- Refresh tokens are stored only as SHA-256 hashes. A used token points at the token that replaced it.
CREATE TABLE refresh_token (
    token_hash      char(64)    PRIMARY KEY,
    session_id      uuid        NOT NULL REFERENCES auth_session (id) ON DELETE CASCADE,
    issued_at       timestamptz NOT NULL,
    used_at         timestamptz,
    successor_hash  char(64)
);
CREATE INDEX refresh_token_session ON refresh_token (session_id);

-- Security events. Never a password, a token or a hash in here.
CREATE TABLE audit_event (
    id           bigserial   PRIMARY KEY,
    occurred_at  timestamptz NOT NULL DEFAULT now(),
    type         varchar(40) NOT NULL,
    account_id   uuid,
    session_id   uuid,
    client_ip    varchar(45),
    detail       varchar(200)
);
CREATE INDEX audit_event_account ON audit_event (account_id, occurred_at);
