-- Messages received from a live feed (HL7 v2 over MLLP): what became of each, so a
-- message sent again after a lost acknowledgement is answered the same and never
-- applied twice, and the rejected ones are kept for the Sources screen.
CREATE TABLE feed_message (
    id                  INTEGER PRIMARY KEY,
    received_at         TEXT NOT NULL,
    feed                TEXT NOT NULL,
    sending_application TEXT NOT NULL,
    sending_facility    TEXT NOT NULL,
    control_id          TEXT NOT NULL,
    message_type        TEXT NOT NULL,
    outcome             TEXT NOT NULL CHECK (outcome IN ('stored', 'skipped', 'rejected')),
    reason              TEXT,
    import_run_id       INTEGER REFERENCES import_run (id),
    message             TEXT
);
CREATE UNIQUE INDEX feed_message_once ON feed_message (sending_application, sending_facility, control_id)
    WHERE control_id <> '';
CREATE INDEX feed_message_outcome ON feed_message (outcome, received_at);
