-- Up Migration
-- Access tokens issued before this instant are void: the account signed out everywhere,
-- changed its password or was disabled (account.signed_out).
ALTER TABLE directory_accounts ADD COLUMN signed_out_at timestamptz;

-- Down Migration
ALTER TABLE directory_accounts DROP COLUMN signed_out_at;
