-- Up Migration
-- A popug's mailbox shows the mails aTES sent for their account (matched by Message-ID
-- to the payout), not whatever reached their address: an address can pass to a new account.
CREATE INDEX outgoing_emails_by_account ON outgoing_emails (account_id);
CREATE INDEX mailbox_by_message_id ON mailbox (message_id);

-- Down Migration
DROP INDEX mailbox_by_message_id;
DROP INDEX outgoing_emails_by_account;
