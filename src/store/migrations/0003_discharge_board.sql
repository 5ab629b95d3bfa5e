-- Discharge board: criteria-to-reside reviews per spell, who recorded and closed each
-- delay reason, and a log of every change a coordinator makes to a spell.

CREATE TABLE ctr_review (
    episode_id INTEGER NOT NULL REFERENCES hospital_spell (episode_id) ON DELETE CASCADE,
    date       TEXT NOT NULL,
    meets      INTEGER NOT NULL,
    code       TEXT,
    PRIMARY KEY (episode_id, date)
);

ALTER TABLE delay_reason ADD COLUMN recorded_by TEXT;
ALTER TABLE delay_reason ADD COLUMN recorded_at TEXT;
ALTER TABLE delay_reason ADD COLUMN closed_by TEXT;

CREATE TABLE spell_change (
    id         INTEGER PRIMARY KEY,
    episode_id INTEGER NOT NULL REFERENCES hospital_spell (episode_id) ON DELETE CASCADE,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    field      TEXT NOT NULL,
    old_value  TEXT,
    new_value  TEXT
);
CREATE INDEX spell_change_episode ON spell_change (episode_id, at);

-- The board asks for spells by admission and discharge date.
CREATE INDEX episode_kind_end ON episode (kind, end);
