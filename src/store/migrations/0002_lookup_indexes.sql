-- Indexes for the audit screen (events per person) and for the sources screen
-- (episodes per import run).
CREATE INDEX audit_event_person ON audit_event (person_id, at);
CREATE INDEX episode_import_run ON episode (import_run_id);
