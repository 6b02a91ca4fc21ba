-- Up Migration
-- The balance the payout left (payout_made v2), so the email can say it truthfully;
-- NULL for payouts announced before the ledger said (v1).
ALTER TABLE outgoing_emails ADD COLUMN balance_after bigint;

-- Down Migration
ALTER TABLE outgoing_emails DROP COLUMN balance_after;
