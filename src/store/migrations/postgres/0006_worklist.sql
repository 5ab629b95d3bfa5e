-- A coordinator's worklist (issue 16): who each account is in the sources (the
-- allocated worker's name as the sources write it) and their team; the people each
-- user follows; each user's seen and acknowledged events and their looks.
CREATE TABLE coordinator (
    user_name   text PRIMARY KEY,
    worker_name text NOT NULL,
    team        text
);
CREATE INDEX coordinator_team ON coordinator (team);
CREATE INDEX coordinator_worker ON coordinator (lower(worker_name));
CREATE INDEX person_allocated_worker ON person (lower(allocated_worker)) WHERE allocated_worker IS NOT NULL;
CREATE TABLE follow (
    user_name   text NOT NULL,
    person_id   bigint NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    followed_at timestamptz NOT NULL,
    PRIMARY KEY (user_name, person_id)
);
CREATE INDEX follow_person ON follow (person_id);
CREATE TABLE worklist_seen (
    user_name       text NOT NULL,
    person_id       bigint NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    event_key       text NOT NULL,
    batch           bigint NOT NULL,
    seen_at         timestamptz NOT NULL,
    acknowledged_at timestamptz,
    PRIMARY KEY (user_name, person_id, event_key)
);
CREATE INDEX worklist_seen_person ON worklist_seen (person_id) WHERE acknowledged_at IS NOT NULL;
CREATE TABLE worklist_look (
    user_name text PRIMARY KEY,
    looked_on date NOT NULL,
    batch     bigint NOT NULL
);
