-- Up Migration
CREATE TABLE accounts (
  id            uuid PRIMARY KEY,
  email         text        NOT NULL,
  full_name     text        NOT NULL,
  role          text        NOT NULL CHECK (role IN ('admin', 'manager', 'accountant', 'worker')),
  active        boolean     NOT NULL DEFAULT true,
  password_hash text        NOT NULL,
  beak_shape    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX accounts_email_unique ON accounts (lower(email));

-- Keys the SSO signs tokens with. The newest active one signs; retired ones stay
-- published until every token they signed has expired.
CREATE TABLE signing_keys (
  kid         text PRIMARY KEY,
  private_jwk jsonb       NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  retired_at  timestamptz
);

-- What oidc-provider keeps between requests: sessions, grants, codes, refresh tokens.
CREATE TABLE oidc_models (
  kind        text NOT NULL,
  id          text NOT NULL,
  payload     jsonb NOT NULL,
  grant_id    text,
  uid         text,
  user_code   text,
  expires_at  timestamptz,
  consumed_at timestamptz,
  PRIMARY KEY (kind, id)
);
CREATE INDEX oidc_models_grant ON oidc_models (grant_id) WHERE grant_id IS NOT NULL;
CREATE INDEX oidc_models_uid ON oidc_models (uid) WHERE uid IS NOT NULL;
CREATE INDEX oidc_models_expiry ON oidc_models (expires_at);

-- Failed sign-ins, for throttling by account and by address.
CREATE TABLE sign_in_failures (
  subject   text        NOT NULL,
  failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failures_recent ON sign_in_failures (subject, failed_at);

-- Secrets generated on first start in development (cookie keys); production passes them in.
CREATE TABLE generated_secrets (
  name       text PRIMARY KEY,
  value      text        NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE generated_secrets;
DROP TABLE sign_in_failures;
DROP TABLE oidc_models;
DROP TABLE signing_keys;
DROP TABLE accounts;
