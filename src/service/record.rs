//! Finding people and opening one person's record: searches, the record as it may
//! be shown, reveals with a reason, care plans, "who has looked at this record".

use chrono::{NaiveDate, NaiveDateTime};

use super::{Result, Service, ServiceError};
use crate::domain::disclosure::{disclose_findings, disclose_record, restricted_count};
use crate::domain::findings::{Finding, all_findings};
use crate::domain::governance::{AuditAction, Reason};
use crate::domain::{NhsNumber, PersonRecord};
use crate::store::{AuditEvent, ImportRun, PersonSummary, SpellChangeRecord};

/// How many people the Sources screen lists in each list (sources disagree, waiting
/// to be matched); it says so when there are more.
pub const LISTED: usize = 200;

/// How many of a person's audit events the record shows.
pub const ACCESS_SHOWN: usize = 200;

/// A person's record as it may be shown to this user now: restricted items are
/// placeholders unless `revealed` (`domain::disclosure`), findings are computed on
/// the whole record and then disclosed the same way.
#[derive(Debug, Clone)]
pub struct LoadedPerson {
    pub record: PersonRecord,
    pub findings: Vec<Finding>,
    /// Coordinators' changes to the person's hospital stays that may be shown,
    /// newest first.
    pub spell_changes: Vec<SpellChangeRecord>,
    /// Who has looked at this record, newest first.
    pub access: Vec<AuditEvent>,
    /// The user gave a reason to see the restricted items; lasts until the record
    /// is closed.
    pub revealed: bool,
    /// How many items of the timeline are restricted (restricted plans are counted
    /// on the plans screen).
    pub restricted: usize,
    /// How this user stands with the person on a server: outside the care team the
    /// server holds the whole record back until a reason is given.
    pub relationship: crate::domain::sharing::Relationship,
    /// On a server, the person's objection to sharing in force, if any: that it
    /// is, never what it hides (the server does not return those items at all).
    pub objection: Option<crate::domain::sharing::Objection>,
    /// The acting user follows this person (the banner's Follow / Unfollow).
    pub is_following: bool,
    /// The person is allocated to the acting user in the sources (on their
    /// caseload whether followed or not).
    pub is_allocated_to_me: bool,
    /// The person's tasks, every status, as they may be shown (the timeline's
    /// Tasks lane): a restricted person's task titles are held back.
    pub tasks: Vec<super::TaskLine>,
}

impl LoadedPerson {
    /// Shown only as a placeholder: lane and date, never the detail.
    pub fn is_hidden(&self, e: &crate::domain::Episode) -> bool {
        e.kind.is_placeholder()
    }

    /// How many restricted items are hidden now: none once a reason was given.
    pub fn hidden_count(&self) -> usize {
        if self.revealed { 0 } else { self.restricted }
    }

    /// The whole record is sealed (a restricted person, or on a server someone
    /// outside the user's care team) and no reason was given.
    pub fn is_sealed(&self) -> bool {
        (!self.revealed && self.record.person.is_restricted) || self.relationship.needs_reason()
    }
}

/// A person the sources disagree about: what each source says of each field
/// (`domain::disclosure::disclose_conflicts`: a restricted person's contact details
/// held back).
#[derive(Debug, Clone)]
pub struct Disagreement {
    pub person: PersonSummary,
    pub conflicts: Vec<crate::domain::person::DemographicConflict>,
}

/// What the sources and welcome screens show.
#[derive(Debug, Clone, Default)]
pub struct Overview {
    pub people: i64,
    pub runs: Vec<ImportRun>,
    /// People the sources disagree about, with the fields, as disclosed.
    pub conflicts: Vec<Disagreement>,
    pub unmatched: Vec<PersonSummary>,
    pub links: Vec<crate::store::PersonLink>,
    /// Each live feed's traffic (messages "today" since the day given).
    pub feeds: Vec<crate::store::FeedSummary>,
    /// The newest rejected feed messages: who sent them, when and why, never their
    /// text (it may name anyone; it is kept in the database for the IG lead).
    pub rejected_messages: Vec<crate::store::FeedMessage>,
    /// The newest messages stored with an identity warning (an NHS number that
    /// fails its check digit, left out), with why: the same rule of no text.
    pub warned_messages: Vec<crate::store::FeedMessage>,
}

impl Service {
    /// The person with this NHS number, audited as a search against the person found
    /// (so "who has looked at this record" shows who looked them up).
    pub fn find_by_nhs(&mut self, nhs: NhsNumber, now: NaiveDateTime) -> Result<Option<PersonSummary>> {
        let found = self.store.find_by_nhs_number(nhs)?;
        let detail = match &found {
            Some(_) => "NHS number search: found".to_owned(),
            None => "NHS number search: no one with that number".to_owned(),
        };
        self.audit(AuditAction::Search, found.as_ref().map(|p| p.id), detail, None, now)?;
        Ok(found)
    }

    /// The person with this NHS number as typed, or why not.
    pub fn find_by_nhs_text(&mut self, nhs: &str, now: NaiveDateTime) -> Result<PersonSummary> {
        let number = NhsNumber::parse(nhs)
            .map_err(|e| ServiceError::Refused(format!("{nhs:?} is not a valid NHS number: {e}")))?;
        self.find_by_nhs(number, now)?.ok_or(ServiceError::NotFound)
    }

    /// People by name (and date of birth), audited without the words searched for.
    pub fn search_people(
        &mut self,
        text: &str,
        dob: Option<NaiveDate>,
        limit: usize,
        now: NaiveDateTime,
    ) -> Result<Vec<PersonSummary>> {
        let detail = format!(
            "name search, {} characters{}",
            text.chars().count(),
            if dob.is_some() { ", with date of birth" } else { "" }
        );
        self.audit(AuditAction::Search, None, detail, None, now)?;
        Ok(self.store.search_people(text, dob, limit)?)
    }

    /// The people this user opened most recently.
    pub fn recent_people(&self, limit: usize) -> Result<Vec<PersonSummary>> {
        Ok(self.store.recent_people(&self.actor.user, limit)?)
    }

    /// Open a person's record (audited; added to this user's recent list).
    pub fn open_record(&mut self, person_id: i64, today: NaiveDate, now: NaiveDateTime) -> Result<LoadedPerson> {
        self.audit(
            AuditAction::Open,
            Some(person_id),
            "opened the record".into(),
            None,
            now,
        )?;
        self.store.mark_opened(&self.actor.user, person_id, now)?;
        self.opened.insert(person_id);
        self.record_view(person_id, today)
    }

    /// The record as this user may see it now, without an audit event of its own:
    /// for a reload after an audited change or reveal.
    pub(super) fn record_view(&self, person_id: i64, today: NaiveDate) -> Result<LoadedPerson> {
        let full = self.store.person_record(person_id)?;
        let revealed = self.revealed.contains(&person_id);
        let findings = disclose_findings(&full, all_findings(&full, today), revealed);
        let record = disclose_record(&full, revealed);
        let shown_spells: std::collections::HashSet<i64> = record.spells.iter().map(|s| s.episode_id).collect();
        let spell_changes = self
            .store
            .spell_changes_for_person(person_id)?
            .into_iter()
            .filter(|c| shown_spells.contains(&c.episode_id))
            .collect();
        let access = self.store.audit_for_person(person_id, ACCESS_SHOWN)?;
        let relationship = self.store.relationship(person_id)?;
        // Only a server enforces an objection (on the desktop one user owns the file
        // and nothing is hidden from them): the notice says what the server does.
        let objection = match self.store.signed_in() {
            Some(_) => crate::domain::sharing::objection_in_force(&self.store.objections(person_id)?).cloned(),
            None => None,
        };
        let is_following = self.store.is_following(&self.actor.user, person_id)?;
        let is_allocated_to_me = self
            .store
            .caseload(&self.actor.user)?
            .iter()
            .any(|c| c.person_id == person_id && c.is_allocated);
        let tasks = self.task_lines(Some(person_id), None, true, today)?;
        Ok(LoadedPerson {
            relationship,
            objection,
            is_following,
            is_allocated_to_me,
            tasks,
            restricted: full
                .episodes
                .iter()
                .filter(|e| crate::domain::disclosure::is_restricted_episode(&full, e))
                .count(),
            record,
            findings,
            spell_changes,
            access,
            revealed,
        })
    }

    /// Show a person's restricted items until the record is closed: the reason is
    /// written to the audit log first. Returns the record as now shown.
    pub fn reveal(
        &mut self,
        person_id: i64,
        reason: &Reason,
        today: NaiveDate,
        now: NaiveDateTime,
    ) -> Result<LoadedPerson> {
        if self.store.relationship(person_id)?.needs_reason() {
            return Err(ServiceError::Refused(
                "this person is outside your care team: open the record with a reason first (--access-reason)".into(),
            ));
        }
        let full = self.store.person_record(person_id)?;
        let detail = format!(
            "showed the record's {} restricted item(s) until it is closed",
            restricted_count(&full)
        );
        let event = self.event(AuditAction::BreakGlass, Some(person_id), detail, Some(reason), now);
        self.store.break_glass(&event)?;
        self.revealed.insert(person_id);
        self.record_view(person_id, today)
    }

    /// Close a record: its restricted items are hidden again when next opened, and
    /// it is no longer refreshed live.
    pub fn close_record(&mut self, person_id: i64) {
        self.revealed.remove(&person_id);
        self.opened.remove(&person_id);
    }

    /// Whether this user gave a reason to see this person's restricted items.
    pub fn is_revealed(&self, person_id: i64) -> bool {
        self.revealed.contains(&person_id)
    }

    /// A person's care plans as they may be shown (restricted plans as
    /// placeholders), audited against the person.
    pub fn care_plans(&mut self, person_id: i64, now: NaiveDateTime) -> Result<PersonRecord> {
        let full = self.store.person_record(person_id)?;
        let revealed = self.revealed.contains(&person_id);
        let shown = disclose_record(&full, revealed);
        let hidden = shown.care_plans.iter().filter(|p| p.is_placeholder).count();
        let detail = match hidden {
            0 => format!("viewed {} care plan version(s)", shown.care_plans.len()),
            n => format!(
                "viewed {} care plan version(s), {n} restricted shown as placeholders",
                shown.care_plans.len()
            ),
        };
        self.audit(AuditAction::ViewPlans, Some(person_id), detail, None, now)?;
        Ok(shown)
    }

    /// What the welcome and sources screens show, with the feeds' counts of
    /// messages since the start of `today` (the audit screen's log is `audit_log`).
    pub fn overview(&self, today: NaiveDate) -> Result<Overview> {
        Ok(Overview {
            people: self.store.count_people()?,
            runs: self.store.import_runs()?,
            conflicts: self.disagreements()?,
            unmatched: self.store.unmatched_people(LISTED)?,
            links: self.store.person_links(50)?,
            feeds: self.store.feed_summaries(today.and_time(chrono::NaiveTime::MIN))?,
            rejected_messages: self.as_listed(self.store.rejected_feed_messages(LISTED)?),
            warned_messages: self.as_listed(self.store.warned_feed_messages(LISTED)?),
        })
    }

    /// The people the sources disagree about (the first `LISTED` by name), each
    /// field as the disclosure policy lets a list show it.
    fn disagreements(&self) -> Result<Vec<Disagreement>> {
        let people = self.store.people_with_conflicts(LISTED)?;
        let mut out = Vec::with_capacity(people.len());
        for person in people {
            let conflicts = self.store.person(person.id)?.conflicts();
            let conflicts = crate::domain::disclosure::disclose_conflicts(conflicts, person.is_restricted);
            out.push(Disagreement { person, conflicts });
        }
        Ok(out)
    }

    /// Items and last import per source.
    pub fn sources(&self) -> Result<Vec<crate::store::SourceSummary>> {
        Ok(self.store.sources()?)
    }

    /// The suggested matches for a record without an NHS number.
    pub fn match_candidates(&self, person_id: i64, limit: usize) -> Result<Vec<crate::store::MatchCandidate>> {
        Ok(self.store.match_candidates(person_id, limit)?)
    }
}

impl Service {
    /// Received messages as a screen lists them: never their text, which may name
    /// anyone; and, for everyone but the information governance lead, each value a
    /// reason quotes (an NHS number one digit from a real person's, an MRN) as
    /// "…", as the audit log keeps it (the server's view does the same).
    fn as_listed(&self, messages: Vec<crate::store::FeedMessage>) -> Vec<crate::store::FeedMessage> {
        let whole = self.actor.role == Some(crate::domain::governance::Role::InformationGovernanceLead);
        messages
            .into_iter()
            .map(|m| crate::store::FeedMessage {
                text: None,
                reason: match m.reason {
                    Some(r) if !whole => Some(super::feed::without_quoted_values(&r)),
                    r => r,
                },
                ..m
            })
            .collect()
    }
}
