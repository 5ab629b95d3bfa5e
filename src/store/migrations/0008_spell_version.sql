-- Optimistic concurrency for a coordinator's edits of a hospital stay: the version
-- the editor saw must still be the stored one, and the last change says who and when.
ALTER TABLE hospital_spell ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE hospital_spell ADD COLUMN changed_by TEXT;
ALTER TABLE hospital_spell ADD COLUMN changed_at TEXT;
