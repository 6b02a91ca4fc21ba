-- Up Migration
-- An attempt is counted as a failure the moment it starts, before the slow password hash,
-- under a lock per subject; a success takes its rows back. Concurrent guesses therefore
-- all count: 40 at once get 5 checks, not 40.
ALTER TABLE sign_in_failures ADD COLUMN attempt uuid;
CREATE INDEX sign_in_failures_attempt ON sign_in_failures (attempt) WHERE attempt IS NOT NULL;

-- Down Migration
DROP INDEX sign_in_failures_attempt;
ALTER TABLE sign_in_failures DROP COLUMN attempt;
