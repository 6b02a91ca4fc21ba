-- Up Migration
-- Access tokens issued before this instant are void everywhere (account.signed_out).
ALTER TABLE accounts ADD COLUMN signed_out_at timestamptz;

-- Down Migration
ALTER TABLE accounts DROP COLUMN signed_out_at;
