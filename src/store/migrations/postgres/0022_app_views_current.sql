-- The app's views made current. The feeds' receipts gain the columns added since 0011 (0015's
-- content_sha256, 0018's reused_control_id and repeats): without them the Sources
-- screen's feeds panel, which counts resends, failed for every app user. A reason
-- quotes what a field held (an NHS number one digit from a real one, an MRN): for
-- everyone but the information governance lead and the feed's own loader, each
-- quoted value reads "…", as in the audit log (SAFETY.md H35).
CREATE OR REPLACE VIEW joinedup_app.feed_message AS
    SELECT id, received_at, feed, sending_application, sending_facility, control_id, message_type, outcome,
           CASE WHEN joinedup_user_role() IN ('ig-lead', 'loader') THEN reason
                ELSE regexp_replace(reason, '"[^"]*"', '"…"', 'g') END AS reason,
           import_run_id,
           CASE WHEN joinedup_user_role() = 'ig-lead' THEN message END AS message,
           content_sha256, reused_control_id, repeats
    FROM public.feed_message;

-- The items of the event a task was made from (`e:1,2;p:3`), kept when it is made,
-- so that the task stays held back as they are once the event is no longer detected
-- (SQLite 0025). The app's view of tasks was `SELECT *` when made, which PostgreSQL
-- expands once: it is made again with the new column at the end.
ALTER TABLE task ADD COLUMN event_items TEXT;
CREATE OR REPLACE VIEW joinedup_app.task AS SELECT * FROM public.task;
