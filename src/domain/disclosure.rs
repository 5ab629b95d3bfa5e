//! The one disclosure policy (DESIGN.md "Who sees what"; RULES.md 8). Every output,
//! whether the window, text, JSON, CSV, an export or a print, is made from what
//! these functions return, so a rule kept here cannot be missed elsewhere.
//!
//! What is restricted: an item in a sensitive category, and everything of a person
//! marked restricted (a sealed envelope). Treating safeguarding as a restricted
//! category is a recommendation, not a confirmed national rule (RULES.md 8, [U]).
//!
//! A restricted item becomes a placeholder that keeps its sector, dates and status,
//! so the shape of the record stays true, and never names its category: it sits in
//! a "Restricted" lane of its sector with a placeholder kind, no title, organisation,
//! detail, coded facts or source. A restricted person keeps name, NHS number, date
//! of birth and sex (the ward must find the right patient), but not address,
//! postcode, alerts or allocated worker. Cohort views (the board, the CHC caseload)
//! keep every restricted row in their counts, with the person named, and hide the
//! row's context.

use super::board::{BoardRow, ChcStatus, SocialCareContext};
use super::care_plan::CarePlan;
use super::person::DemographicConflict;
use super::returns::PersonLink;
use super::{Episode, Finding, PersonRecord, Provenance, Sensitivity};

/// Whether a list of people (search results, recent, the matching queue) may show a
/// person's postcode and GP: not a restricted person's (a refuge's postcode).
pub fn summary_contact_shown(is_restricted: bool) -> bool {
    !is_restricted
}

/// The fields of a disagreement between sources that are a person's contact
/// details, held back for a restricted person like the lists' (`summary_contact_shown`).
pub const CONTACT_FIELDS: [&str; 3] = ["address", "postcode", "GP practice"];

/// Where sources disagree, as a list of people may show it (the Sources screen's
/// "Sources disagree"): for a restricted person the field and each source are named,
/// but an address, postcode or GP value reads [`RESTRICTED`].
pub fn disclose_conflicts(mut conflicts: Vec<DemographicConflict>, is_restricted: bool) -> Vec<DemographicConflict> {
    if summary_contact_shown(is_restricted) {
        return conflicts;
    }
    for c in conflicts.iter_mut().filter(|c| CONTACT_FIELDS.contains(&c.field)) {
        for (_, value) in &mut c.values {
            *value = RESTRICTED.to_owned();
        }
    }
    conflicts
}

/// What a held-back item's title reads.
pub const PLACEHOLDER_TITLE: &str = "Restricted item";
/// What a held-back plan's title reads.
pub const PLAN_PLACEHOLDER_TITLE: &str = "Restricted plan";
/// What a held-back text field on a cohort view reads.
pub const RESTRICTED: &str = "restricted";

/// Whether an item is held back until a reason is given.
pub fn is_restricted_episode(record: &PersonRecord, e: &Episode) -> bool {
    is_restricted_item(record.person.is_restricted, e)
}

/// Whether an item of a person (restricted or not) is held back: the rule of
/// [`is_restricted_episode`] where the record is not at hand (an import's preview).
pub fn is_restricted_item(person_is_restricted: bool, e: &Episode) -> bool {
    // A safeguarding enquiry is in the safeguarding category whatever its source said.
    person_is_restricted || e.sensitivity.is_sensitive() || e.kind == super::EpisodeKind::SafeguardingEnquiry
}

/// Whether a care plan is held back: a plan of a restricted person, or a plan in a
/// sensitive category (a safeguarding protection plan).
pub fn is_restricted_plan(record: &PersonRecord, p: &CarePlan) -> bool {
    record.person.is_restricted || p.sensitivity.is_sensitive()
}

/// The placeholder that stands for a restricted item.
pub fn placeholder_episode(e: &Episode) -> Episode {
    Episode {
        id: e.id,
        kind: super::EpisodeKind::placeholder(e.sector()),
        title: PLACEHOLDER_TITLE.to_owned(),
        start: e.start,
        end: e.end,
        status: e.status,
        organisation: None,
        detail: String::new(),
        sensitivity: Sensitivity::Normal,
        attributes: Default::default(),
        provenance: Provenance::default(),
    }
}

/// The placeholder that stands for a restricted plan: its sector, version and
/// dates, nothing of its title, owner, goals, needs, actions (so no due date or
/// action status), funding, or who recorded the version and when.
pub fn placeholder_plan(p: &CarePlan) -> CarePlan {
    CarePlan {
        title: PLAN_PLACEHOLDER_TITLE.to_owned(),
        owner: String::new(),
        recorded: Default::default(),
        status: String::new(),
        goals: Vec::new(),
        needs: Vec::new(),
        actions: Vec::new(),
        funding: None,
        personal_budget_weekly: None,
        sensitivity: Sensitivity::Normal,
        is_placeholder: true,
        provenance: Provenance::default(),
        ..p.clone()
    }
}

/// A person's record as it may be shown: the whole record when `revealed` (a reason
/// was given and audited), else with every restricted item a placeholder, their
/// hospital-stay and CHC facts left out, restricted plans as placeholders, and a
/// restricted person's address, alerts and worker held back.
pub fn disclose_record(record: &PersonRecord, revealed: bool) -> PersonRecord {
    if revealed {
        return record.clone();
    }
    let hidden: std::collections::HashSet<i64> = record
        .episodes
        .iter()
        .filter(|e| is_restricted_episode(record, e))
        .map(|e| e.id)
        .collect();
    let mut out = record.clone();
    for e in &mut out.episodes {
        if hidden.contains(&e.id) {
            *e = placeholder_episode(e);
        }
    }
    out.spells.retain(|s| !hidden.contains(&s.episode_id));
    out.chc.retain(|c| !hidden.contains(&c.episode_id));
    for p in &mut out.care_plans {
        if is_restricted_plan(record, p) {
            *p = placeholder_plan(p);
        }
    }
    // A source whose own name names a sensitive service (a sexual health clinic's
    // system, a refuge's) is held back from an open person's identifiers and
    // "sources disagree" too: the name alone discloses.
    let named_sensitive = |source: &str| super::sensitive_terms::sensitivity_of_text(source).is_sensitive();
    out.person.by_source.retain(|(source, _)| !named_sensitive(source));
    out.person.local_ids.retain(|l| !named_sensitive(&l.source));
    if record.person.is_restricted {
        let p = &mut out.person;
        p.alerts.clear();
        p.demographics.address = None;
        p.demographics.postcode = None;
        p.demographics.allocated_worker = None;
        p.demographics.gp_practice = None;
        p.by_source.clear();
        p.local_ids.clear();
    }
    out
}

/// The record with its restricted items left out altogether, and how many were: what
/// an export or a print carries without a reason. A restricted person leaves as
/// demographics only (as `disclose_record` shows them).
pub fn without_restricted(record: &PersonRecord) -> (PersonRecord, usize) {
    let count = restricted_count(record);
    let mut out = disclose_record(record, false);
    out.episodes.retain(|e| !e.kind.is_placeholder());
    out.care_plans.retain(|p| !p.is_placeholder);
    (out, count)
}

/// How many items and plans are held back until a reason is given.
pub fn restricted_count(record: &PersonRecord) -> usize {
    let episodes = record
        .episodes
        .iter()
        .filter(|e| is_restricted_episode(record, e))
        .count();
    let plans = record
        .care_plans
        .iter()
        .filter(|p| is_restricted_plan(record, p))
        .count();
    episodes + plans
}

/// The findings that may be shown: none for a restricted person (they are about
/// hidden items), and none about a restricted item.
pub fn disclose_findings(record: &PersonRecord, findings: Vec<Finding>, revealed: bool) -> Vec<Finding> {
    if revealed {
        return findings;
    }
    if record.person.is_restricted {
        return Vec::new();
    }
    findings
        .into_iter()
        .filter(|f| {
            f.episode_ids.iter().all(|id| {
                record
                    .episodes
                    .iter()
                    .find(|e| e.id == *id)
                    .is_none_or(|e| !is_restricted_episode(record, e))
            })
        })
        .collect()
}

/// A board row as the board may show it: a restricted person, or a stay in a
/// sensitive category, stays on the board (the figures stay true) with name and NHS
/// number so the ward can find the patient, but hospital, ward, delay reason texts,
/// next action and owner, and the social care and CHC context read "restricted".
/// The coded facts that make the counts (dates, pathway, days delayed, band,
/// attribution) stay.
pub fn disclose_board_row(mut row: BoardRow) -> BoardRow {
    if !row.is_restricted {
        return row;
    }
    row.hospital = RESTRICTED.to_owned();
    row.ward = Some(RESTRICTED.to_owned());
    row.criterion_code = None;
    for d in &mut row.delay_reasons {
        d.description = RESTRICTED.to_owned();
        d.owner = None;
    }
    row.next_action = row.next_action.map(|_| RESTRICTED.to_owned());
    row.next_action_owner = row.next_action_owner.map(|_| RESTRICTED.to_owned());
    row.social_care = SocialCareContext::default();
    row.chc = ChcStatus::default();
    row.person.allocated_worker = None;
    row
}

/// What a masked person reads on a return's people list.
pub const RESTRICTED_PERSON: &str = "Restricted person";

/// A person behind a return's figure as a return may show them: a restricted
/// person (or a stay in a sensitive category) is counted, and their link keeps only
/// the store id, which opens their record under this same policy; no name or NHS
/// number leaves in the return.
pub fn disclose_person_link(mut link: PersonLink) -> PersonLink {
    if link.is_restricted {
        link.name = Some(RESTRICTED_PERSON.to_owned());
        link.nhs_number = None;
    }
    link
}

/// What a held-back worklist event reads.
pub const RESTRICTED_EVENT: &str = "Restricted event: give a reason to see it";

/// A person's worklist events as they may be shown: an event about a restricted
/// item or plan, and every event of a restricted person, reads [`RESTRICTED_EVENT`]
/// with its date, until a reason is given. Its kind becomes `Restricted` (whose
/// urgency is the same for all), and its key is made from the person, the date and
/// `tag` of the real key (a keyed hash the service gives, the same for the same
/// event), so neither names what it stands for; it still opens the record at the
/// item, where the placeholder stands. The events keep their order.
pub fn disclose_worklist_events(
    record: &PersonRecord,
    events: Vec<super::worklist::WorklistEvent>,
    revealed: bool,
    tag: &dyn Fn(&str) -> String,
) -> Vec<super::worklist::WorklistEvent> {
    if revealed {
        return events;
    }
    let hidden = |e: &super::worklist::WorklistEvent| {
        record.person.is_restricted
            || e.episode_ids.iter().any(|id| restricted_item(record, *id))
            || e.plan_ids.iter().any(|id| restricted_plan(record, *id))
    };
    // The masked key carries `tag` of the real key (the service's keyed hash): the
    // same event keeps its key whatever else arrives, and the key says nothing of it
    // (hostile review: an ordinal among the person's hidden events shifted when one
    // arrived earlier, so an acknowledgement could land on another event).
    let mut events = events;
    for e in events.iter_mut().filter(|e| hidden(e)) {
        e.kind = super::worklist::EventKind::Restricted;
        e.summary = RESTRICTED_EVENT.to_owned();
        e.key = format!("restricted:{}:{}:{}", e.person_id, e.date, tag(&e.key));
    }
    events
}

/// Whether the item with this id is held back. An item the record does not hold is
/// taken as restricted: a detector (or a task) pointing at an item that was not read
/// must hide what names it, never show it.
fn restricted_item(record: &PersonRecord, id: i64) -> bool {
    record
        .episodes
        .iter()
        .find(|e| e.id == id)
        .is_none_or(|e| is_restricted_episode(record, e))
}

fn restricted_plan(record: &PersonRecord, id: i64) -> bool {
    record
        .care_plans
        .iter()
        .find(|p| p.id == id)
        .is_some_and(|p| is_restricted_plan(record, p))
}

/// What a held-back task reads.
pub const RESTRICTED_TASK: &str = "Restricted task";

/// A person's tasks as they may be shown, each with whether it was held back: a
/// task of a restricted person, or one made from an event that `shown` masks (the
/// same events as `real`, disclosed by [`disclose_worklist_events`], in the same
/// order), reads [`RESTRICTED_TASK`] with no notes until a reason is given. So does
/// one whose event is no longer detected (a review done, a delay ended) when an
/// item it kept from that event is held back, or when it kept none (made before
/// they were kept: whether it was about a restricted item cannot be known). Its
/// owner, due date, priority and status stay: they say who must act, not about what.
pub fn disclose_tasks(
    record: &PersonRecord,
    tasks: Vec<super::worklist::Task>,
    real: &[super::worklist::WorklistEvent],
    shown: &[super::worklist::WorklistEvent],
    revealed: bool,
) -> Vec<(super::worklist::Task, bool)> {
    let masked_event = |task: &super::worklist::Task, key: &str| match real.iter().position(|e| e.key == key) {
        Some(i) => shown
            .get(i)
            .is_none_or(|s| s.kind == super::worklist::EventKind::Restricted),
        None => task.event_items.as_ref().is_none_or(|kept| {
            kept.episode_ids.iter().any(|id| restricted_item(record, *id))
                || kept.plan_ids.iter().any(|id| restricted_plan(record, *id))
        }),
    };
    tasks
        .into_iter()
        .map(|mut task| {
            let about_restricted =
                record.person.is_restricted || task.event_key.as_deref().is_some_and(|k| masked_event(&task, k));
            let hidden = about_restricted && !revealed;
            if hidden {
                task.title = RESTRICTED_TASK.to_owned();
                task.notes = String::new();
            }
            (task, hidden)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_support::{episode, person};
    use crate::domain::{EpisodeKind, Lane};

    /// A restricted person's address, postcode and GP never appear where sources
    /// disagree; the field, the sources and the other fields' values do.
    #[test]
    fn a_restricted_persons_contact_details_stay_out_of_disagreements() {
        let two = |field: &'static str, a: &str, b: &str| DemographicConflict {
            field,
            values: vec![("Hospital PAS".into(), a.into()), ("Council".into(), b.into())],
        };
        let conflicts = vec![
            two("date of birth", "08-Nov-1943", "11-Aug-1943"),
            two("address", "1 Refuge Road", "2 Old Street"),
            two("postcode", "WM1 1AA", "WM9 9ZZ"),
            two("GP practice", "Refuge Surgery", "Old Surgery"),
        ];
        assert_eq!(disclose_conflicts(conflicts.clone(), false), conflicts);
        let shown = disclose_conflicts(conflicts.clone(), true);
        assert_eq!(shown[0], conflicts[0], "a date of birth is shown, as on every list");
        for c in &shown[1..] {
            assert!(CONTACT_FIELDS.contains(&c.field));
            let sources: Vec<&str> = c.values.iter().map(|(s, _)| s.as_str()).collect();
            assert_eq!(sources, ["Hospital PAS", "Council"]);
            assert!(c.values.iter().all(|(_, v)| v == RESTRICTED), "{c:?}");
        }
        let text = format!("{shown:?}");
        for secret in ["Refuge", "Old Street", "WM1", "WM9", "Surgery"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }

    fn record(restricted: bool) -> PersonRecord {
        let mut p = person();
        p.is_restricted = restricted;
        p.alerts = vec!["Lives at a refuge: do not disclose the address".into()];
        p.demographics.address = Some("1 Refuge Road".into());
        let mut r = PersonRecord::new(p);
        let mut gp = episode(EpisodeKind::GpEncounter, "2026-01-05T09:00", None);
        gp.id = 1;
        let mut enquiry = episode(EpisodeKind::SafeguardingEnquiry, "2026-02-05T09:00", None);
        enquiry.id = 2;
        enquiry.title = "Section 42 enquiry: financial abuse".into();
        enquiry.organisation = Some("Westmere Council".into());
        enquiry.sensitivity = Sensitivity::Safeguarding;
        r.episodes = vec![gp, enquiry];
        r
    }

    #[test]
    fn a_placeholder_never_names_its_category() {
        let shown = disclose_record(&record(false), false);
        let hidden = &shown.episodes[1];
        assert_eq!(hidden.kind, EpisodeKind::RestrictedSocialCare);
        assert_eq!(hidden.kind.lane(), Lane::RestrictedSocialCare);
        assert_ne!(hidden.kind.lane(), Lane::Safeguarding);
        assert_eq!(hidden.title, PLACEHOLDER_TITLE);
        assert_eq!(hidden.sensitivity, Sensitivity::Normal);
        assert!(hidden.organisation.is_none() && hidden.provenance.source.is_empty());
        let text = format!("{hidden:?}").to_lowercase();
        assert!(!text.contains("safeguard") && !text.contains("westmere"), "{text}");
        assert_eq!(
            shown.episodes[0].title,
            record(false).episodes[0].title,
            "open items stay"
        );
        assert_eq!(
            disclose_record(&record(false), true),
            record(false),
            "a reason shows all"
        );
    }

    #[test]
    fn a_restricted_person_keeps_identity_but_not_address_or_alerts() {
        let shown = disclose_record(&record(true), false);
        assert!(shown.episodes.iter().all(|e| e.kind.is_placeholder()));
        assert!(shown.person.alerts.is_empty());
        assert!(shown.person.demographics.address.is_none());
        assert_eq!(
            shown.person.demographics.family_name,
            record(true).person.demographics.family_name
        );
        let (kept, left_out) = without_restricted(&record(true));
        assert!(kept.episodes.is_empty());
        assert_eq!(left_out, 2);
    }

    #[test]
    fn a_source_that_names_a_sensitive_service_is_held_back() {
        let mut r = record(false);
        r.person.local_ids = vec![
            crate::domain::LocalId {
                source: "Westmere Sexual Health Service".into(),
                id: "GUM-12345".into(),
            },
            crate::domain::LocalId {
                source: "Westmere Council".into(),
                id: "ASC-1".into(),
            },
        ];
        r.person.by_source = vec![
            ("Westmere Sexual Health Service".into(), r.person.demographics.clone()),
            ("Northgate PAS".into(), r.person.demographics.clone()),
        ];
        let shown = disclose_record(&r, false);
        assert_eq!(shown.person.local_ids.len(), 1);
        assert_eq!(shown.person.by_source.len(), 1);
        assert!(!format!("{:?}", shown.person).contains("Sexual Health"));
        assert_eq!(
            disclose_record(&r, true).person.local_ids.len(),
            2,
            "shown with a reason"
        );
    }

    #[test]
    fn findings_about_hidden_items_are_hidden() {
        let f = |ids: Vec<i64>| Finding {
            kind: crate::domain::FindingKind::PackageNotRestarted,
            date: chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            reason: "x".into(),
            episode_ids: ids,
        };
        let open = record(false);
        assert_eq!(disclose_findings(&open, vec![f(vec![1]), f(vec![2])], false).len(), 1);
        assert_eq!(disclose_findings(&open, vec![f(vec![1]), f(vec![2])], true).len(), 2);
        assert!(disclose_findings(&record(true), vec![f(vec![1])], false).is_empty());
    }
}
