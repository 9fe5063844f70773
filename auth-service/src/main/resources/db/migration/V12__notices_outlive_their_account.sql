-- A notice owed to an account's address is still sent when the account is deleted before the outbox got to it
-- (review of issue 22: whoever signed in with a found recovery code and deleted the account at once, while the relay
-- was slow, took the owner's "a recovery code was used" with it). The row keeps its address and loses its account;
-- the outbox sends such notices within the per-address budget and drops links, which need the account.
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_account_id_fkey;
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_account_id_fkey
    FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE SET NULL;
