-- Tasks (issue 16): a title, a person, an owner (a user or a team), a due date, a
-- priority, a status and notes; a version for edits made on what another changed.
-- Every change is audited by the store in the change's transaction.
CREATE TABLE task (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    title      TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    owner_user TEXT,
    owner_team TEXT,
    due        TEXT,
    priority   TEXT NOT NULL CHECK (priority IN ('high', 'normal', 'low')),
    status     TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'done', 'cancelled')),
    notes      TEXT NOT NULL DEFAULT '',
    event_key  TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    CHECK ((owner_user IS NULL) <> (owner_team IS NULL))
);
CREATE INDEX task_person ON task (person_id);
CREATE INDEX task_owner_user ON task (owner_user, status);
CREATE INDEX task_owner_team ON task (owner_team, status);
