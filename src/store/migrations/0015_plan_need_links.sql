-- Needs and actions linked explicitly (issue 17): a need's reference within its plan
-- version, and the references of the needs each action meets (a JSON array of
-- strings, NULL for none). The unmet-need warning reads these, never the words.
ALTER TABLE care_plan_need ADD COLUMN need_ref TEXT;
ALTER TABLE care_plan_action ADD COLUMN meets TEXT;
