-- A coordinator's worklist (issue 16): who each account is in the sources (the
-- allocated worker's name as the sources write it) and their team; the people each
-- user follows; each user's seen and acknowledged events and their looks.
CREATE TABLE coordinator (
    user_name   TEXT PRIMARY KEY,
    worker_name TEXT NOT NULL,
    team        TEXT
);
CREATE INDEX coordinator_team ON coordinator (team);
CREATE INDEX coordinator_worker ON coordinator (lower(worker_name));
CREATE INDEX person_allocated_worker ON person (lower(allocated_worker)) WHERE allocated_worker IS NOT NULL;
CREATE TABLE follow (
    user_name   TEXT NOT NULL,
    person_id   INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    followed_at TEXT NOT NULL,
    PRIMARY KEY (user_name, person_id)
);
CREATE INDEX follow_person ON follow (person_id);
CREATE TABLE worklist_seen (
    user_name       TEXT NOT NULL,
    person_id       INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    event_key       TEXT NOT NULL,
    batch           INTEGER NOT NULL,
    seen_at         TEXT NOT NULL,
    acknowledged_at TEXT,
    PRIMARY KEY (user_name, person_id, event_key)
);
CREATE INDEX worklist_seen_person ON worklist_seen (person_id) WHERE acknowledged_at IS NOT NULL;
CREATE TABLE worklist_look (
    user_name TEXT PRIMARY KEY,
    looked_on TEXT NOT NULL,
    batch     INTEGER NOT NULL
);
