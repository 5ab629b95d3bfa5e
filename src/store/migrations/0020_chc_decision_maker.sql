-- The ICB's CHC decision recorded in joinedup (issue 17 item 6, SAFETY.md H31):
-- who at the ICB made it, beside its date, outcome and note (0001). Older rows,
-- imported before this, do not say.
ALTER TABLE chc_assessment ADD COLUMN icb_decision_by TEXT;
