-- Up Migration
-- Drawing a random assignee was OFFSET floor(random() * count(*)): two scans that grow with
-- the number of popugs. The popugs who may take tasks are kept here numbered 1..N without
-- gaps, so a draw is two index lookups: N = max(slot), then the row at a random slot.
-- Who may take tasks is the domain's rule (src/domain/roles.ts: not admin, not manager);
-- the insert that writes a task checks it again against directory_accounts.
CREATE TABLE assignable_popugs (
  slot integer PRIMARY KEY CHECK (slot > 0),
  id   uuid    NOT NULL UNIQUE
);

CREATE FUNCTION ates_assignable_popugs_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  hole integer;
  last integer;
BEGIN
  -- Directory changes are rare and come from one consumer: a table lock keeps the numbering dense.
  LOCK TABLE assignable_popugs IN SHARE ROW EXCLUSIVE MODE;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM assignable_popugs WHERE id = OLD.id RETURNING slot INTO hole;
    IF hole IS NOT NULL THEN
      SELECT max(slot) INTO last FROM assignable_popugs;
      IF last IS NOT NULL AND last > hole THEN
        UPDATE assignable_popugs SET slot = hole WHERE slot = last;
      END IF;
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.active AND NEW.role NOT IN ('admin', 'manager') THEN
    INSERT INTO assignable_popugs (slot, id)
    SELECT coalesce(max(slot), 0) + 1, NEW.id FROM assignable_popugs;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER assignable_popugs_follow AFTER INSERT OR UPDATE OR DELETE ON directory_accounts
  FOR EACH ROW EXECUTE FUNCTION ates_assignable_popugs_follow();

CREATE FUNCTION ates_assignable_popugs_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE assignable_popugs;
  RETURN NULL;
END $$;

CREATE TRIGGER assignable_popugs_clear AFTER TRUNCATE ON directory_accounts
  FOR EACH STATEMENT EXECUTE FUNCTION ates_assignable_popugs_clear();

INSERT INTO assignable_popugs (slot, id)
SELECT row_number() OVER (ORDER BY id), id FROM directory_accounts
WHERE active AND role NOT IN ('admin', 'manager');

-- Down Migration
DROP TRIGGER assignable_popugs_clear ON directory_accounts;
DROP TRIGGER assignable_popugs_follow ON directory_accounts;
DROP FUNCTION ates_assignable_popugs_clear();
DROP FUNCTION ates_assignable_popugs_follow();
DROP TABLE assignable_popugs;
