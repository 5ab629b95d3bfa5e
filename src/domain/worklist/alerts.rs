//! Alerts (issue 16 item 4): each user's rules, which event kinds for which people
//! (my caseload, my team's, everyone), and which new worklist events they match.
//!
//! Rules match the event as it may be shown (after `disclosure`): a restricted
//! event is of kind `Restricted` whatever it stands for, so a rule for
//! "safeguarding_enquiry" is never told of a held-back enquiry, and an alert can
//! never say more than the worklist would. Nothing here leaves the machine: the
//! window shows a notification and a badge.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate};

use super::{EventKind, WorklistEvent, since::FIRST_LOOK_DAYS};

/// Which people a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AlertPeople {
    /// The user's own caseload (allocated to them, or followed).
    Caseload,
    /// Their team's caseload (theirs included).
    Team,
    /// Everyone in the database.
    All,
}

impl AlertPeople {
    pub const ALL: [AlertPeople; 3] = [AlertPeople::Caseload, AlertPeople::Team, AlertPeople::All];

    pub fn code(self) -> &'static str {
        match self {
            AlertPeople::Caseload => "caseload",
            AlertPeople::Team => "team",
            AlertPeople::All => "all",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AlertPeople::Caseload => "my caseload",
            AlertPeople::Team => "my team's caseload",
            AlertPeople::All => "everyone",
        }
    }

    /// `caseload`, `team` or `all`.
    pub fn parse(s: &str) -> Result<AlertPeople, String> {
        Self::ALL
            .into_iter()
            .find(|p| p.code() == s.trim().to_lowercase())
            .ok_or_else(|| format!("{s:?} is not a set of people: caseload, team or all"))
    }

    /// Whether a person who stands in `reach` is among these people.
    pub fn includes(self, reach: Reach) -> bool {
        match self {
            AlertPeople::Caseload => reach.caseload,
            AlertPeople::Team => reach.caseload || reach.team,
            AlertPeople::All => true,
        }
    }
}

/// Where a person stands for a user.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reach {
    /// On the user's own caseload.
    pub caseload: bool,
    /// On their team's caseload.
    pub team: bool,
}

/// The kind names a rule may hold: every event kind's code, the families `delay`
/// (7, 14 or 21 days) and `chc_checklist` (day 21 or 28), `restricted` (an event
/// held back), and `all`.
pub const KIND_NAMES: &[&str] = &[
    "admitted",
    "discharged",
    "ae_attendance",
    "discharge_ready",
    "delay",
    "delay_7_days",
    "delay_14_days",
    "delay_21_days",
    "social_care_delay_reason",
    "package_not_restarted",
    "chc_checklist",
    "chc_checklist_day_21",
    "chc_checklist_day_28",
    "review_due",
    "review_overdue",
    "safeguarding_enquiry",
    "death_recorded",
    "sources_disagree",
    "task_due",
    "task_overdue",
    "restricted",
    "all",
];

/// A comma-separated list of kind names (`admitted,discharged`), checked, without
/// repeats, in the order given.
pub fn parse_kinds(s: &str) -> Result<Vec<String>, String> {
    let mut kinds: Vec<String> = Vec::new();
    for k in s.split(',').map(|k| k.trim().to_lowercase().replace('-', "_")) {
        if k.is_empty() {
            continue;
        }
        if !KIND_NAMES.contains(&k.as_str()) {
            return Err(format!("{k:?} is not an event kind: one of {}", KIND_NAMES.join(", ")));
        }
        if !kinds.contains(&k) {
            kinds.push(k);
        }
    }
    if kinds.is_empty() {
        return Err("an alert needs at least one event kind".into());
    }
    Ok(kinds)
}

/// Whether a kind name covers an event kind.
pub fn kind_matches(name: &str, kind: EventKind) -> bool {
    let family = match kind {
        EventKind::Delay(_) => Some("delay"),
        EventKind::ChcClock(_) => Some("chc_checklist"),
        _ => None,
    };
    name == "all" || name == kind.code() || family == Some(name)
}

/// One user's rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertRule {
    pub id: i64,
    pub user: String,
    /// Kind names (`KIND_NAMES`), checked by `parse_kinds`.
    pub kinds: Vec<String>,
    pub people: AlertPeople,
}

impl AlertRule {
    /// Whether this rule is told of an event of `kind` (as shown) about a person
    /// who stands in `reach`.
    pub fn matches(&self, kind: EventKind, reach: Reach) -> bool {
        self.people.includes(reach) && self.kinds.iter().any(|k| kind_matches(k, kind))
    }

    /// The rule in words: "admitted, discharged for my caseload".
    pub fn describe(&self) -> String {
        format!("{} for {}", self.kinds.join(", "), self.people.label())
    }
}

/// What the user has been told of (or had on screen) in this session: per person,
/// the keys of the events already known. A person not in it has no baseline yet.
pub type Known = HashMap<i64, HashSet<String>>;

/// The events of `events` (as shown, for the people checked) that are new and match
/// one of `rules`, in the order given. An event is new when its person has a
/// baseline in `known` and its key is not in it; for a person without one, when it
/// happened since yesterday (overnight, as a first look). An event the user has
/// seen (`seen`: person and shown key) is never new. `known` then holds every
/// event checked, so each is told once.
pub fn new_alerts(
    rules: &[AlertRule],
    events: &[WorklistEvent],
    reach_of: impl Fn(i64) -> Reach,
    seen: &HashSet<(i64, String)>,
    known: &mut Known,
    today: NaiveDate,
) -> Vec<WorklistEvent> {
    let since = today - Duration::days(FIRST_LOOK_DAYS);
    let mut out = Vec::new();
    let had_baseline: HashSet<i64> = events
        .iter()
        .map(|e| e.person_id)
        .filter(|p| known.contains_key(p))
        .collect();
    for e in events {
        let is_new = if had_baseline.contains(&e.person_id) {
            !known.get(&e.person_id).is_some_and(|k| k.contains(&e.key))
        } else {
            e.date >= since
        };
        let is_seen = seen.contains(&(e.person_id, e.key.clone()));
        if is_new && !is_seen && rules.iter().any(|r| r.matches(e.kind, reach_of(e.person_id))) {
            out.push(e.clone());
        }
    }
    for e in events {
        known.entry(e.person_id).or_default().insert(e.key.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::worklist::Target;

    fn day(s: &str) -> NaiveDate {
        crate::domain::dates::parse_date(s).expect("test date")
    }

    fn event(person_id: i64, kind: EventKind, date: &str, key: &str) -> WorklistEvent {
        WorklistEvent {
            person_id,
            kind,
            date: day(date),
            summary: format!("{} on {date}", kind.code()),
            key: key.into(),
            is_open: false,
            target: Target::Record,
            episode_ids: Vec::new(),
            plan_ids: Vec::new(),
        }
    }

    fn rule(kinds: &str, people: AlertPeople) -> AlertRule {
        AlertRule {
            id: 1,
            user: "sian.roberts".into(),
            kinds: parse_kinds(kinds).expect("kinds"),
            people,
        }
    }

    const MINE: Reach = Reach {
        caseload: true,
        team: true,
    };
    const TEAMS: Reach = Reach {
        caseload: false,
        team: true,
    };
    const OTHER: Reach = Reach {
        caseload: false,
        team: false,
    };

    #[test]
    fn rules_match_kinds_and_people() {
        use AlertPeople::*;
        use EventKind::*;
        // (kinds, people, event kind, person's reach, matches, why)
        let cases: &[(&str, AlertPeople, EventKind, Reach, bool, &str)] = &[
            ("admitted", Caseload, Admitted, MINE, true, "the kind, on my caseload"),
            ("admitted", Caseload, Discharged, MINE, false, "another kind"),
            (
                "admitted",
                Caseload,
                Admitted,
                TEAMS,
                false,
                "a team member's person, rule for mine",
            ),
            (
                "admitted",
                Team,
                Admitted,
                TEAMS,
                true,
                "a team member's person, rule for the team",
            ),
            ("admitted", Team, Admitted, MINE, true, "my own people are in my team's"),
            ("admitted", Team, Admitted, OTHER, false, "nobody's of ours"),
            ("admitted", All, Admitted, OTHER, true, "everyone"),
            (
                "admitted,discharged",
                Caseload,
                Discharged,
                MINE,
                true,
                "one of two kinds",
            ),
            ("delay", Caseload, Delay(14), MINE, true, "the delay family"),
            (
                "delay_21_days",
                Caseload,
                Delay(14),
                MINE,
                false,
                "another step of the delay",
            ),
            ("delay_21_days", Caseload, Delay(21), MINE, true, "that step"),
            (
                "chc_checklist",
                Caseload,
                ChcClock(28),
                MINE,
                true,
                "the CHC clock family",
            ),
            ("all", Caseload, SourcesDisagree, MINE, true, "every kind"),
            // A held-back enquiry is shown as Restricted: a rule for the real kind
            // is not told of it, so no alert says what the worklist hides.
            (
                "safeguarding_enquiry",
                Caseload,
                Restricted,
                MINE,
                false,
                "the real kind is hidden",
            ),
            (
                "restricted",
                Caseload,
                Restricted,
                MINE,
                true,
                "asked for restricted events",
            ),
        ];
        for (kinds, people, kind, reach, expected, why) in cases {
            let r = rule(kinds, *people);
            assert_eq!(
                r.matches(*kind, *reach),
                *expected,
                "{kinds} / {people:?} / {kind:?}: {why}"
            );
        }
    }

    #[test]
    fn kinds_are_checked_where_typed() {
        // (typed, outcome)
        let cases: &[(&str, Result<Vec<&str>, &str>)] = &[
            ("admitted,discharged", Ok(vec!["admitted", "discharged"])),
            (" Admitted , admitted ", Ok(vec!["admitted"])),
            ("ae-attendance", Ok(vec!["ae_attendance"])),
            ("admited", Err("\"admited\" is not an event kind")),
            (",", Err("an alert needs at least one event kind")),
        ];
        for (typed, expected) in cases {
            match (parse_kinds(typed), expected) {
                (Ok(got), Ok(want)) => assert_eq!(&got, want, "{typed}"),
                (Err(got), Err(want)) => assert!(got.starts_with(want), "{typed}: {got}"),
                (got, want) => panic!("{typed}: got {got:?}, expected {want:?}"),
            }
        }
        assert_eq!(AlertPeople::parse("Team"), Ok(AlertPeople::Team));
        assert!(AlertPeople::parse("ward").is_err());
    }

    #[test]
    fn only_new_unseen_matching_events_are_told_once() {
        let today = day("2026-11-22");
        let rules = [rule("admitted,discharged", AlertPeople::Caseload)];
        let reach = |p: i64| if p == 3 { OTHER } else { MINE };
        let seen: HashSet<(i64, String)> = [(1, "admitted:seen".to_owned())].into();
        let mut known = Known::new();
        known.insert(1, ["admitted:old".to_owned()].into());
        // (event, told, why)
        let cases = [
            (
                event(1, EventKind::Admitted, "2026-11-01", "admitted:old"),
                false,
                "in the baseline",
            ),
            (
                event(1, EventKind::Admitted, "2026-11-01", "admitted:new"),
                true,
                "new for a person with a baseline, however old",
            ),
            (
                event(1, EventKind::Admitted, "2026-11-22", "admitted:seen"),
                false,
                "seen already",
            ),
            (
                event(1, EventKind::ReviewDue, "2026-11-22", "review:new"),
                false,
                "no rule for the kind",
            ),
            (
                event(2, EventKind::Discharged, "2026-11-21", "discharged:2"),
                true,
                "no baseline: since yesterday",
            ),
            (
                event(2, EventKind::Admitted, "2026-11-10", "admitted:2"),
                false,
                "no baseline: older than yesterday",
            ),
            (
                event(3, EventKind::Admitted, "2026-11-22", "admitted:3"),
                false,
                "not on my caseload",
            ),
        ];
        let events: Vec<WorklistEvent> = cases.iter().map(|(e, _, _)| e.clone()).collect();
        let told = new_alerts(&rules, &events, reach, &seen, &mut known, today);
        for (e, expected, why) in &cases {
            assert_eq!(told.iter().any(|t| t.key == e.key), *expected, "{}: {why}", e.key);
        }
        // Told once: the same events again are known now.
        let again = new_alerts(&rules, &events, reach, &seen, &mut known, today);
        assert!(again.is_empty(), "{again:?}");
    }
}
