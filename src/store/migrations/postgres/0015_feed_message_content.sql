-- A feed's message keeps the SHA-256 of its content (what follows the MSH segment,
-- with its message type), so that a control id used again for a different message
-- is told from a resend of the same one (a hostile review: a PAS restarting its
-- counter had its discharges acknowledged and dropped). NULL for messages received
-- before this column, and for watched folders' files.
ALTER TABLE feed_message ADD COLUMN content_sha256 TEXT;
