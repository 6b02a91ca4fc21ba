-- Up Migration
-- This service's copy of who exists, kept from the account events of the SSO.
-- `state_at` is when the newest applied event happened: an older one changes nothing.
CREATE TABLE directory_accounts (
  id        uuid PRIMARY KEY,
  email     text        NOT NULL DEFAULT '',
  full_name text        NOT NULL DEFAULT '',
  role      text        NOT NULL,
  active    boolean     NOT NULL DEFAULT true,
  state_at  timestamptz NOT NULL
);

-- Down Migration
DROP TABLE directory_accounts;
