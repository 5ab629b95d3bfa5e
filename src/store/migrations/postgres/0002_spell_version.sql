-- Optimistic concurrency for a coordinator's edits of a hospital stay: the version
-- the editor saw must still be the stored one, and the last change says who and when.
ALTER TABLE hospital_spell
    ADD COLUMN version    bigint NOT NULL DEFAULT 0,
    ADD COLUMN changed_by text,
    ADD COLUMN changed_at timestamp;
