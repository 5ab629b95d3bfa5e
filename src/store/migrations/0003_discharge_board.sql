-- Discharge board: criteria-to-reside reviews per spell, who recorded and closed each
-- delay reason, and a log of every change a coordinator makes to a spell.

CREATE TABLE ctr_review (
    episode_id INTEGER NOT NULL REFERENCES hospital_spell (episode_id) ON DELETE CASCADE,
    date       TEXT NOT NULL,
    meets      INTEGER NOT NULL,
    code       TEXT,
    PRIMARY KEY (episode_id, date)
) WITHOUT ROWID;

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

-- The board asks for spells by discharge date (status included so the index covers it).
CREATE INDEX episode_kind_end ON episode (kind, end, status);

-- The board reads the social care records of the people in hospital.
CREATE INDEX episode_social_care_person ON episode (person_id) WHERE sector = 'social_care';

-- Open spells (no discharge yet), for finding everyone in hospital without scanning
-- every spell ever recorded.
CREATE INDEX episode_open_spell ON episode (start) WHERE kind = 'inpatient_spell' AND end IS NULL;
