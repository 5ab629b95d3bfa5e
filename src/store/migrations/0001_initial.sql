-- joinedup schema, version 1. Append-only: never edit a released migration; add a new file.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- A source system that sends files (a hospital PAS, a council's CLD return, a bundle).
CREATE TABLE source (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

-- One file imported: provenance for every row it wrote.
CREATE TABLE import_run (
    id            INTEGER PRIMARY KEY,
    file_name     TEXT NOT NULL,
    file_sha256   TEXT NOT NULL,
    format        TEXT NOT NULL,
    imported_at   TEXT NOT NULL,
    rows_read     INTEGER NOT NULL,
    rows_added    INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL
);

CREATE TABLE person (
    id               INTEGER PRIMARY KEY,
    nhs_number       TEXT UNIQUE CHECK (nhs_number IS NULL OR length(nhs_number) = 10),
    given_name       TEXT NOT NULL DEFAULT '',
    family_name      TEXT NOT NULL DEFAULT '',
    -- lower-cased copies for indexed prefix search
    given_name_key   TEXT NOT NULL DEFAULT '',
    family_name_key  TEXT NOT NULL DEFAULT '',
    date_of_birth    TEXT,
    date_of_death    TEXT,
    sex              TEXT NOT NULL DEFAULT 'unknown',
    address          TEXT,
    postcode         TEXT,
    gp_practice      TEXT,
    allocated_worker TEXT,
    alerts           TEXT NOT NULL DEFAULT '[]',  -- JSON array of strings
    is_restricted    INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL
);
CREATE INDEX person_family_key ON person (family_name_key, given_name_key);
CREATE INDEX person_given_key ON person (given_name_key);
CREATE INDEX person_dob ON person (date_of_birth);

-- Identifiers that source systems use (LA person id, hospital number, pseudonymous id).
CREATE TABLE person_identifier (
    person_id INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    source    TEXT NOT NULL,
    local_id  TEXT NOT NULL,
    PRIMARY KEY (source, local_id)
);
CREATE INDEX person_identifier_person ON person_identifier (person_id);

-- Demographics as each source states them; conflicts are shown, never merged away.
CREATE TABLE person_demographics (
    person_id        INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    source           TEXT NOT NULL,
    given_name       TEXT NOT NULL DEFAULT '',
    family_name      TEXT NOT NULL DEFAULT '',
    date_of_birth    TEXT,
    date_of_death    TEXT,
    sex              TEXT NOT NULL DEFAULT 'unknown',
    address          TEXT,
    postcode         TEXT,
    gp_practice      TEXT,
    allocated_worker TEXT,
    PRIMARY KEY (person_id, source)
);

-- Every dated item from either sector. (source, source_ref) makes re-import idempotent.
CREATE TABLE episode (
    id            INTEGER PRIMARY KEY,
    person_id     INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    sector        TEXT NOT NULL CHECK (sector IN ('health', 'social_care')),
    kind          TEXT NOT NULL,
    title         TEXT NOT NULL,
    start         TEXT NOT NULL,            -- ISO 8601 date-time
    end           TEXT,
    status        TEXT NOT NULL,
    organisation  TEXT,
    detail        TEXT NOT NULL DEFAULT '',
    sensitivity   TEXT NOT NULL DEFAULT 'normal',
    attributes    TEXT NOT NULL DEFAULT '{}', -- JSON object of coded facts
    source        TEXT NOT NULL,
    source_ref    TEXT NOT NULL,
    import_run_id INTEGER REFERENCES import_run (id),
    file_name     TEXT NOT NULL DEFAULT '',
    file_sha256   TEXT NOT NULL DEFAULT '',
    imported_at   TEXT NOT NULL,
    UNIQUE (source, source_ref)
);
CREATE INDEX episode_person_start ON episode (person_id, start);
CREATE INDEX episode_kind ON episode (kind, start);

-- Discharge facts of an inpatient spell (the spell is an episode of kind inpatient_spell).
CREATE TABLE hospital_spell (
    episode_id               INTEGER PRIMARY KEY REFERENCES episode (id) ON DELETE CASCADE,
    hospital                 TEXT NOT NULL,
    ward                     TEXT,
    admission_method         TEXT,
    admission_source         TEXT,
    discharge_method         TEXT,
    discharge_destination    TEXT,
    meets_criteria_to_reside INTEGER,
    criteria_to_reside_code  TEXT,
    discharge_ready_date     TEXT,
    pathway                  INTEGER CHECK (pathway IS NULL OR pathway BETWEEN 0 AND 3),
    next_action              TEXT,
    next_action_owner        TEXT
);

CREATE TABLE delay_reason (
    id          INTEGER PRIMARY KEY,
    episode_id  INTEGER NOT NULL REFERENCES hospital_spell (episode_id) ON DELETE CASCADE,
    code        TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL,
    attribution TEXT NOT NULL CHECK (attribution IN ('nhs', 'social_care', 'both', 'other')),
    since       TEXT NOT NULL,
    owner       TEXT,
    closed_on   TEXT
);
CREATE INDEX delay_reason_episode ON delay_reason (episode_id);

-- CHC Checklist, DST, Fast Track or review (the assessment is also an episode).
CREATE TABLE chc_assessment (
    episode_id          INTEGER PRIMARY KEY REFERENCES episode (id) ON DELETE CASCADE,
    kind                TEXT NOT NULL CHECK (kind IN ('checklist', 'dst', 'fast_track', 'review')),
    completed_on        TEXT NOT NULL,
    completed_by        TEXT,
    recorded_positive   INTEGER,
    mdt_recommendation  TEXT,
    icb_decision_date   TEXT,
    icb_decision_eligible INTEGER,
    icb_decision_note   TEXT
);

CREATE TABLE chc_domain_level (
    episode_id INTEGER NOT NULL REFERENCES chc_assessment (episode_id) ON DELETE CASCADE,
    domain     TEXT NOT NULL,
    level      TEXT NOT NULL,
    evidence   TEXT,
    PRIMARY KEY (episode_id, domain)
);

CREATE TABLE care_plan (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    sector      TEXT NOT NULL CHECK (sector IN ('health', 'social_care')),
    title       TEXT NOT NULL,
    owner       TEXT NOT NULL,
    source      TEXT NOT NULL,
    source_ref  TEXT NOT NULL,
    UNIQUE (source, source_ref)
);
CREATE INDEX care_plan_person ON care_plan (person_id);

-- Plans have versions; a new version keeps the old one.
CREATE TABLE care_plan_version (
    id                     INTEGER PRIMARY KEY,
    care_plan_id           INTEGER NOT NULL REFERENCES care_plan (id) ON DELETE CASCADE,
    version                INTEGER NOT NULL,
    status                 TEXT NOT NULL,
    start                  TEXT NOT NULL,
    last_review            TEXT,
    next_review            TEXT,
    funding                TEXT,
    personal_budget_weekly REAL,
    file_name              TEXT NOT NULL DEFAULT '',
    file_sha256            TEXT NOT NULL DEFAULT '',
    imported_at            TEXT NOT NULL,
    UNIQUE (care_plan_id, version)
);

CREATE TABLE care_plan_goal (
    version_id INTEGER NOT NULL REFERENCES care_plan_version (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    text       TEXT NOT NULL,
    PRIMARY KEY (version_id, position)
);

CREATE TABLE care_plan_need (
    version_id  INTEGER NOT NULL REFERENCES care_plan_version (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    description TEXT NOT NULL,
    is_eligible INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (version_id, position)
);

CREATE TABLE care_plan_action (
    version_id        INTEGER NOT NULL REFERENCES care_plan_version (id) ON DELETE CASCADE,
    position          INTEGER NOT NULL,
    description       TEXT NOT NULL,
    responsible_party TEXT NOT NULL,
    responsible_name  TEXT,
    PRIMARY KEY (version_id, position)
);

-- People opened recently, for the search screen.
CREATE TABLE recent_person (
    person_id INTEGER PRIMARY KEY REFERENCES person (id) ON DELETE CASCADE,
    opened_at TEXT NOT NULL
);

-- Append-only, hash-chained audit log.
CREATE TABLE audit_event (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    person_id INTEGER,
    detail    TEXT NOT NULL DEFAULT '',
    reason    TEXT,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
