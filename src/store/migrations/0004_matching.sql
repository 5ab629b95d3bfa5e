-- Matching records without a valid NHS number to people who have one.

-- A person whose records were moved to another by a confirmed match.
ALTER TABLE person ADD COLUMN merged_into INTEGER REFERENCES person (id);
CREATE INDEX person_postcode ON person (postcode);

-- A confirmed match: what was moved, so it can be undone exactly.
CREATE TABLE person_link (
    id             INTEGER PRIMARY KEY,
    from_person_id INTEGER NOT NULL REFERENCES person (id),
    to_person_id   INTEGER NOT NULL REFERENCES person (id),
    linked_at      TEXT NOT NULL,
    linked_by      TEXT NOT NULL,
    moved          TEXT NOT NULL, -- JSON: episode ids, care plan ids, identifiers, demographic sources
    undone_at      TEXT,
    undone_by      TEXT
);

-- "Not the same person": never suggest this pair again.
CREATE TABLE match_rejection (
    person_id    INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    candidate_id INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    rejected_at  TEXT NOT NULL,
    rejected_by  TEXT NOT NULL,
    PRIMARY KEY (person_id, candidate_id)
);
