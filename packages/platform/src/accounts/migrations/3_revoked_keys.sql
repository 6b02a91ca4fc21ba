-- Up Migration
-- Token signing keys the SSO revoked as compromised (signing_key.revoked): a token signed
-- with one is refused, whatever its expiry.
CREATE TABLE directory_revoked_keys (
  kid        text PRIMARY KEY,
  revoked_at timestamptz NOT NULL
);

-- Down Migration
DROP TABLE directory_revoked_keys;
