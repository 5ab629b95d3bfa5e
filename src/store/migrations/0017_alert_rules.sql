-- Alerts (issue 16): each user's rules, which event kinds (a comma-separated list
-- of the names in `domain::worklist::alerts::KIND_NAMES`) for which people (their
-- caseload, their team's, everyone). Added and removed with an audit event in the
-- same transaction.
CREATE TABLE alert_rule (
    id         INTEGER PRIMARY KEY,
    user_name  TEXT NOT NULL,
    kinds      TEXT NOT NULL CHECK (length(kinds) BETWEEN 1 AND 1000),
    people     TEXT NOT NULL CHECK (people IN ('caseload', 'team', 'all')),
    created_at TEXT NOT NULL
);
CREATE INDEX alert_rule_user ON alert_rule (user_name);
