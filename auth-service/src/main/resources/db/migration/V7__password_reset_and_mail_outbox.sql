-- Password reset by email (issue 21) and the mail the service owes its users.

-- One live reset token per account: a newer request replaces the row, so the older link dies. Stored only as the
-- SHA-256 of the token (a random 256-bit value, so a fast hash is enough), with the digest of the password hash it may
-- replace: once the password changes any other way, the token no longer matches the account and is dead.
CREATE TABLE password_reset_token (
    account_id            uuid        PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    token_hash            char(64)    NOT NULL UNIQUE,
    password_hash_digest  char(64)    NOT NULL,
    issued_at             timestamptz NOT NULL,
    expires_at            timestamptz NOT NULL
);

-- Mail to send, written in the transaction of what caused it and sent afterwards by the outbox (retried with back-off
-- while the SMTP relay refuses or cannot be reached, given up after a bounded number of attempts). A row names what
-- to send, never its text: a reset link's token is made when the mail is sent, so no token is ever stored in clear.
-- A reset request for an address nobody has stays only until the outbox has looked the address up.
CREATE TABLE mail_outbox (
    id               uuid        PRIMARY KEY,
    kind             varchar(40) NOT NULL,
    email            varchar(320) NOT NULL,
    account_id       uuid        REFERENCES account (id) ON DELETE CASCADE,
    client_ip        varchar(45),
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    created_at       timestamptz NOT NULL
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at);

-- auth_app: a reset request writes an outbox row; the outbox issues (replaces) and sends; a confirmation reads and
-- deletes the token. Nothing rewrites what a row names, only when the outbox tries it again.
GRANT SELECT, INSERT, DELETE ON password_reset_token TO auth_app;
GRANT UPDATE (token_hash, password_hash_digest, issued_at, expires_at) ON password_reset_token TO auth_app;
GRANT SELECT, INSERT, DELETE ON mail_outbox TO auth_app;
GRANT UPDATE (attempts, next_attempt_at) ON mail_outbox TO auth_app;
