-- Care team membership and objections to sharing (issue 14, SAFETY.md H25 and H26).
-- On the desktop one user owns the file, so neither limits what it shows (there is
-- no other organisation to hide from); they are kept so that a desktop record moved
-- onto a server (`import-db`) keeps them, and the window shows that an objection is
-- in force. The server enforces them (PostgreSQL migration 0012).
CREATE TABLE care_team_member (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    member_kind TEXT NOT NULL CHECK (member_kind IN ('user', 'team')),
    member      TEXT NOT NULL,
    added_by    TEXT NOT NULL,
    added_at    TEXT NOT NULL,
    UNIQUE (person_id, member_kind, member)
);

CREATE TABLE sharing_objection (
    id            INTEGER PRIMARY KEY,
    person_id     INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    objected_on   TEXT NOT NULL,
    reason        TEXT NOT NULL,
    organisations TEXT,
    recorded_by   TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    withdrawn_on  TEXT,
    withdrawn_by  TEXT
);
CREATE INDEX sharing_objection_person ON sharing_objection (person_id) WHERE withdrawn_on IS NULL;
