-- Up Migration
-- Journal lines must name accounts that exist. The foreign keys checked that line by
-- line (an index probe and a row lock per account per line: 4.9 ms of the 20 ms a batch
-- of 500 postings spends in its INSERT), though the ledger always creates and locks the
-- accounts before it writes their lines. One check per statement keeps the rule for a
-- fraction of that, and the accounts are kept while lines name them, as the keys did.
ALTER TABLE ledger_transfers
  DROP CONSTRAINT ledger_transfers_from_account_fkey,
  DROP CONSTRAINT ledger_transfers_to_account_fkey;

CREATE FUNCTION ledger_lines_name_accounts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  missing text;
BEGIN
  SELECT n.account INTO missing
  FROM (SELECT from_account AS account FROM new_lines UNION SELECT to_account FROM new_lines) AS n
  WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.id = n.account)
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'journal line names ledger account %, which does not exist', missing
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER ledger_lines_name_accounts_on_insert AFTER INSERT ON ledger_transfers
  REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION ledger_lines_name_accounts();
CREATE TRIGGER ledger_lines_name_accounts_on_update AFTER UPDATE ON ledger_transfers
  REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION ledger_lines_name_accounts();

-- Accounts are kept while lines name them (the company and payouts accounts always).
-- Writers lock an account's row before they write its lines, so a removal waits for
-- them and then sees their lines. Renaming an account counts as removing it.
CREATE FUNCTION ledger_refuse_removing_named(gone_ids text[], gone_kinds text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  named text;
BEGIN
  SELECT g.id INTO named FROM unnest(gone_ids, gone_kinds) AS g(id, kind)
  WHERE g.kind <> 'employee' OR EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.employee_id = g.id::uuid)
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'ledger account % cannot be removed: journal lines name it, or it is the company''s', named USING ERRCODE = 'foreign_key_violation';
  END IF;
END;
$$;

CREATE FUNCTION ledger_accounts_kept_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ledger_refuse_removing_named(array_agg(id), array_agg(kind)) FROM old_accounts;
  RETURN NULL;
END;
$$;
CREATE TRIGGER ledger_accounts_kept_on_delete AFTER DELETE ON ledger_accounts
  REFERENCING OLD TABLE AS old_accounts FOR EACH STATEMENT EXECUTE FUNCTION ledger_accounts_kept_on_delete();

CREATE FUNCTION ledger_accounts_kept_on_rename() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id IS DISTINCT FROM OLD.id THEN
    PERFORM ledger_refuse_removing_named(ARRAY[OLD.id], ARRAY[OLD.kind]);
  END IF;
  RETURN NEW;
END;
$$;
-- Only statements that set the id fire it: balance updates do not pay for this.
CREATE TRIGGER ledger_accounts_kept_on_rename BEFORE UPDATE OF id ON ledger_accounts
  FOR EACH ROW EXECUTE FUNCTION ledger_accounts_kept_on_rename();

CREATE FUNCTION ledger_accounts_kept_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM ledger_transfers) THEN
    RAISE EXCEPTION 'ledger accounts cannot be emptied while the journal names them'
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER ledger_accounts_kept_on_truncate BEFORE TRUNCATE ON ledger_accounts
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_accounts_kept_on_truncate();

-- Down Migration
DROP TRIGGER ledger_accounts_kept_on_truncate ON ledger_accounts;
DROP FUNCTION ledger_accounts_kept_on_truncate();
DROP TRIGGER ledger_accounts_kept_on_rename ON ledger_accounts;
DROP FUNCTION ledger_accounts_kept_on_rename();
DROP TRIGGER ledger_accounts_kept_on_delete ON ledger_accounts;
DROP FUNCTION ledger_accounts_kept_on_delete();
DROP FUNCTION ledger_refuse_removing_named(text[], text[]);
DROP TRIGGER ledger_lines_name_accounts_on_update ON ledger_transfers;
DROP TRIGGER ledger_lines_name_accounts_on_insert ON ledger_transfers;
DROP FUNCTION ledger_lines_name_accounts();
ALTER TABLE ledger_transfers
  ADD CONSTRAINT ledger_transfers_from_account_fkey FOREIGN KEY (from_account) REFERENCES ledger_accounts (id),
  ADD CONSTRAINT ledger_transfers_to_account_fkey FOREIGN KEY (to_account) REFERENCES ledger_accounts (id);
