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
-- (SQLite 0024). The app's view of tasks (0012: held back with the person) gains the
-- column at its end, and its writer keeps it.
ALTER TABLE task ADD COLUMN event_items TEXT;
CREATE OR REPLACE VIEW joinedup_app.task WITH (security_barrier) AS
    SELECT t.id, t.person_id,
           CASE WHEN v.shown THEN t.title ELSE 'Restricted task' END AS title,
           t.owner_user, t.owner_team, t.due, t.priority, t.status,
           CASE WHEN v.shown THEN t.notes ELSE '' END AS notes,
           t.event_key, t.created_by, t.created_at, t.updated_by, t.updated_at, t.version, t.event_items
    FROM public.task t
    JOIN public.joinedup_person_access v ON v.person_id = t.person_id;

CREATE OR REPLACE FUNCTION joinedup_app_task_write() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM joinedup_check_may_change();
    IF NOT joinedup_person_shown(NEW.person_id) OR (TG_OP = 'UPDATE' AND NOT joinedup_person_shown(OLD.person_id)) THEN
        RAISE EXCEPTION 'this person''s record is held back from you: give a reason before changing their tasks'
            USING ERRCODE = '42501';
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO public.task (person_id, title, owner_user, owner_team, due, priority, status, notes, event_key,
                                 created_by, created_at, updated_by, updated_at, version, event_items)
        VALUES (NEW.person_id, NEW.title, NEW.owner_user, NEW.owner_team, NEW.due, NEW.priority, NEW.status,
                COALESCE(NEW.notes, ''), NEW.event_key, NEW.created_by, NEW.created_at, NEW.updated_by,
                NEW.updated_at, COALESCE(NEW.version, 1), NEW.event_items)
        RETURNING id INTO NEW.id;
    ELSE
        UPDATE public.task SET title = NEW.title, owner_user = NEW.owner_user, owner_team = NEW.owner_team,
            due = NEW.due, priority = NEW.priority, status = NEW.status, notes = NEW.notes,
            updated_by = NEW.updated_by, updated_at = NEW.updated_at, version = NEW.version
        WHERE id = OLD.id;
    END IF;
    RETURN NEW;
END $$;
