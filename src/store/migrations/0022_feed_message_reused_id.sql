-- A message refused because its control id (MSH-10) was used before by its sender
-- for a different message is kept without that id (it names the first message).
-- The id it came under is kept here, so that a resend of the same refused message
-- (same sender, control id and content) is known and answered as the first time,
-- with one audit event, not one per resend (a hostile review: a sender resending
-- it every few seconds flooded the audit log). `repeats` counts those resends.
ALTER TABLE feed_message ADD COLUMN reused_control_id TEXT;
ALTER TABLE feed_message ADD COLUMN repeats INTEGER NOT NULL DEFAULT 0;
CREATE INDEX feed_message_reused ON feed_message (sending_application, sending_facility, reused_control_id)
    WHERE reused_control_id IS NOT NULL;
