-- Up Migration
-- A key revoked as compromised is no longer published, and every service refuses the
-- tokens it signed at once (signing_key.revoked), instead of when they expire.
ALTER TABLE signing_keys ADD COLUMN revoked_at timestamptz;

-- Down Migration
ALTER TABLE signing_keys DROP COLUMN revoked_at;
