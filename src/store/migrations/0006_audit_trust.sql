-- Trust in one place: MAC'd audit events, data seals, the training marker kept.

-- Each event's MAC (HMAC-SHA256 with the key kept outside the database, over its
-- id, hash and seal); NULL for events written before this migration, which are
-- checked by the hash chain only. `seal` names the episodes the event sealed.
ALTER TABLE audit_event ADD COLUMN mac TEXT;
ALTER TABLE audit_event ADD COLUMN seal TEXT;

-- One row per sealed range of episode ids: the XOR of every row's keyed MAC.
CREATE TABLE data_seal (
    id         INTEGER PRIMARY KEY,
    from_id    INTEGER NOT NULL,
    through_id INTEGER NOT NULL,
    digest     TEXT NOT NULL
);
CREATE INDEX data_seal_through ON data_seal (through_id);

-- The program's changes to sealed columns keep the seal true; joinedup_seal_swap and
-- joinedup_seal_remove exist only on the program's own connection (they need the key),
-- so anything else must drop these triggers to change a sealed row, and is then caught.
CREATE TRIGGER episode_seal_update AFTER UPDATE OF
    source, source_ref, sector, kind, start, "end", status, organisation, title, detail, sensitivity
ON episode
BEGIN
    UPDATE data_seal SET digest = joinedup_seal_swap(digest,
        OLD.id, OLD.source, OLD.source_ref, OLD.sector, OLD.kind, OLD.start, OLD."end", OLD.status,
        OLD.organisation, OLD.title, OLD.detail, OLD.sensitivity,
        NEW.id, NEW.source, NEW.source_ref, NEW.sector, NEW.kind, NEW.start, NEW."end", NEW.status,
        NEW.organisation, NEW.title, NEW.detail, NEW.sensitivity)
    WHERE id = (SELECT id FROM data_seal WHERE through_id >= OLD.id ORDER BY through_id LIMIT 1)
      AND from_id <= OLD.id;
END;
CREATE TRIGGER episode_seal_delete AFTER DELETE ON episode
BEGIN
    UPDATE data_seal SET digest = joinedup_seal_remove(digest,
        OLD.id, OLD.source, OLD.source_ref, OLD.sector, OLD.kind, OLD.start, OLD."end", OLD.status,
        OLD.organisation, OLD.title, OLD.detail, OLD.sensitivity)
    WHERE id = (SELECT id FROM data_seal WHERE through_id >= OLD.id ORDER BY through_id LIMIT 1)
      AND from_id <= OLD.id;
END;

-- A training database takes only NHS numbers in the test range 999 000 0000 to
-- 999 999 9999, whoever imports into it and whatever they asked for.
CREATE TRIGGER person_training_range_insert BEFORE INSERT ON person
WHEN NEW.nhs_number IS NOT NULL AND substr(NEW.nhs_number, 1, 3) <> '999'
    AND EXISTS (SELECT 1 FROM meta WHERE key = 'training' AND value = 'yes')
BEGIN
    SELECT RAISE(ABORT, 'this is a training database: NHS numbers outside the test range 999 000 0000 to 999 999 9999 are refused');
END;
CREATE TRIGGER person_training_range_update BEFORE UPDATE OF nhs_number ON person
WHEN NEW.nhs_number IS NOT NULL AND substr(NEW.nhs_number, 1, 3) <> '999'
    AND EXISTS (SELECT 1 FROM meta WHERE key = 'training' AND value = 'yes')
BEGIN
    SELECT RAISE(ABORT, 'this is a training database: NHS numbers outside the test range 999 000 0000 to 999 999 9999 are refused');
END;

-- Once a training database, always: the program never takes the mark away.
CREATE TRIGGER meta_training_kept_update BEFORE UPDATE ON meta
WHEN OLD.key = 'training' AND OLD.value = 'yes' AND (NEW.key IS NOT 'training' OR NEW.value IS NOT 'yes')
BEGIN
    SELECT RAISE(ABORT, 'a training database stays a training database');
END;
CREATE TRIGGER meta_training_kept_delete BEFORE DELETE ON meta
WHEN OLD.key = 'training' AND OLD.value = 'yes'
BEGIN
    SELECT RAISE(ABORT, 'a training database stays a training database');
END;
