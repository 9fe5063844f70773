-- Profiles and private data, one row per account (id = the account's id in the auth service).
-- Run as users_owner; users_app gets DML through default privileges.
CREATE TABLE profile (
    id              uuid PRIMARY KEY,
    display_name    varchar(100)  NOT NULL,
    bio             varchar(2000) NOT NULL DEFAULT '',
    locale          varchar(35)   NOT NULL DEFAULT 'en',
    avatar_url      varchar(2048),
    private_notes   text          NOT NULL DEFAULT '',
    created_at      timestamptz   NOT NULL DEFAULT now(),
    updated_at      timestamptz   NOT NULL DEFAULT now()
);
