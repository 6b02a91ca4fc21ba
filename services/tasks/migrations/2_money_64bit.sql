-- Up Migration
-- Money is 64-bit in every service, so no column can refuse an amount another accepted.
-- The business bounds stay where they are: in the CHECKs and in the event schemas.
ALTER TABLE tasks ALTER COLUMN assign_fee TYPE bigint, ALTER COLUMN completion_reward TYPE bigint;

-- Down Migration
ALTER TABLE tasks ALTER COLUMN assign_fee TYPE integer, ALTER COLUMN completion_reward TYPE integer;
