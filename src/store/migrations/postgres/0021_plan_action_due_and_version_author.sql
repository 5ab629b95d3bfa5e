-- Care plans (issue 17 item 4, SAFETY.md H46): each action's due date and status,
-- and who recorded each plan version and when, as its source gives them (SQLite
-- 0023). A version stored before this has no author or date (NULL: "not given"),
-- and its actions no due date and the status not started.
ALTER TABLE care_plan_action ADD COLUMN due date;
ALTER TABLE care_plan_action ADD COLUMN status text NOT NULL DEFAULT 'not_started'
    CHECK (status IN ('not_started', 'in_progress', 'done', 'cancelled', 'on_hold'));
ALTER TABLE care_plan_version ADD COLUMN recorded_at timestamptz;
ALTER TABLE care_plan_version ADD COLUMN recorded_by text;
ALTER TABLE care_plan_version ADD COLUMN recorded_organisation text;

-- The app roles' views (0012) gain the new columns at the end. A plan held back
-- from this user shows no author and no date of its version (its placeholder names
-- no one); its actions are not shown at all, so neither are their due dates or
-- statuses (the action view's rows are of shown plans only, as before).
CREATE OR REPLACE VIEW joinedup_app.care_plan_version WITH (security_barrier) AS
    SELECT c.id, c.care_plan_id, c.version,
           CASE WHEN v.shown THEN c.status ELSE '' END AS status,
           c.start, c.last_review, c.next_review,
           CASE WHEN v.shown THEN c.funding END AS funding,
           CASE WHEN v.shown THEN c.personal_budget_weekly END AS personal_budget_weekly,
           CASE WHEN v.shown THEN c.file_name ELSE '' END AS file_name,
           CASE WHEN v.shown THEN c.file_sha256 ELSE '' END AS file_sha256,
           c.imported_at,
           CASE WHEN v.shown THEN c.recorded_at END AS recorded_at,
           CASE WHEN v.shown THEN c.recorded_by END AS recorded_by,
           CASE WHEN v.shown THEN c.recorded_organisation END AS recorded_organisation
    FROM public.care_plan_version c
    JOIN public.joinedup_plan_access v ON v.plan_id = c.care_plan_id
    WHERE NOT v.hidden;
CREATE OR REPLACE VIEW joinedup_app.care_plan_action WITH (security_barrier) AS
    SELECT a.* FROM public.care_plan_action a JOIN public.care_plan_version c ON c.id = a.version_id
    JOIN public.joinedup_plan_access v ON v.plan_id = c.care_plan_id
    WHERE v.shown AND NOT v.hidden;
