-- Leaner indexes on episode, for import speed: drop two no query uses, and index
-- discharge dates for inpatient spells only (the board's only use of them).
DROP INDEX IF EXISTS episode_kind;
DROP INDEX IF EXISTS episode_import_run;
DROP INDEX IF EXISTS episode_kind_end;
CREATE INDEX episode_spell_end ON episode (end, status) WHERE kind = 'inpatient_spell';
