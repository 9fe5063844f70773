-- Accounts and their password hashes. Run as auth_owner; auth_app gets DML through default privileges.
CREATE TABLE account (
    id              uuid PRIMARY KEY,
    email           varchar(320) NOT NULL UNIQUE,
    display_name    varchar(100) NOT NULL,
    password_hash   varchar(512) NOT NULL,
    roles           varchar(200) NOT NULL DEFAULT 'user',
    created_at      timestamptz  NOT NULL DEFAULT now(),
    updated_at      timestamptz  NOT NULL DEFAULT now()
);
