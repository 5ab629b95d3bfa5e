-- Care plans (issue 17 item 4, SAFETY.md H46): each action's due date and status,
-- and who recorded each plan version and when, as its source gives them. A version
-- stored before this has no author or date (NULL: "not given"), and its actions no
-- due date and the status not started, so nothing is shown as done that was not
-- recorded so.
ALTER TABLE care_plan_action ADD COLUMN due TEXT;
ALTER TABLE care_plan_action ADD COLUMN status TEXT NOT NULL DEFAULT 'not_started'
    CHECK (status IN ('not_started', 'in_progress', 'done', 'cancelled', 'on_hold'));
ALTER TABLE care_plan_version ADD COLUMN recorded_at TEXT;
ALTER TABLE care_plan_version ADD COLUMN recorded_by TEXT;
ALTER TABLE care_plan_version ADD COLUMN recorded_organisation TEXT;
