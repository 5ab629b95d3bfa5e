//! The ADT events the record keeps, one handler per kind of event. Each reads its
//! message whole before anything is kept, so a rejected message changes nothing.
//!
//! | event | what it does |
//! | --- | --- |
//! | A01 admit, A04 register, A05 pre-admit | starts the visit (A05 planned); PV1-44 else the event time is the admission |
//! | A02 transfer, A12 cancel transfer, A08 update | the visit's ward (PV1-3.1), hospital (PV1-3.4) and details; A08 may have no PV1 |
//! | A03 discharge | ends the visit at PV1-45, else the event time |
//! | A06, A07 class change | A06: the visit becomes an inpatient spell (on the board); A07: an A&E (PV1-2 `E`) or outpatient attendance |
//! | A11 cancel admit, A23 delete visit | the visit is cancelled, not deleted (A23 *unconfirmed*) |
//! | A13 cancel discharge | the visit is open again |
//! | A17 swap beds | two PID/PV1 pairs: each patient's visit takes its PV1-3 |
//! | A28 add person, A31 update person | the person and their demographics |
//! | A34, A40 merge, A47 change identifier | the prior id (MRG-1) now names the PID's person; no PV1 needed |
//! | A29 delete person | skipped and noted: no one is deleted, no one created |
//! | A44 move account, A45 move visit | skipped and noted: no visit moves between people's records on a feed's word |
//! | any other | skipped, counted and noted |
//!
//! A merge never joins two records already held (the prior id stays with the record
//! that has it; `SAFETY.md` H20), and a prior NHS number in MRG-1 is never applied.

use super::identity::{self, Identity, Notes, is_labelled_nhs_number};
use super::visit::{self, VisitMessage};
use super::{Reader, Segment, component};
use crate::domain::batch::PersonKey;
use crate::domain::{Demographics, LocalId};
use crate::import::{Rejection, nhs_rule};

/// Why an A29 is noted and not applied.
pub(super) const A29_NOT_APPLIED: &str = "ADT^A29 (delete person information) is not applied: a feed deletes no one from the record, and the person is not created";

/// Why an A44 (move account information) or A45 (move visit information) is noted
/// and not applied: moving a visit from one person's record to another's on a
/// feed's word is how one patient's admission is filed on another's record
/// (`SAFETY.md` H1, H20). The records team makes such a move by hand, from the
/// note. *Unconfirmed*: whether a local PAS sends A44/A45 for corrections only.
pub(super) const MOVE_NOT_APPLIED: &str = "is not applied: a feed never moves a visit or an account from one person's record to another's; check the move in the PAS and make it by hand (no person is created, no visit changed)";

/// The events noted and not applied, each with why.
pub(super) fn not_applied(event: &str) -> Option<String> {
    match event {
        "A29" => Some(A29_NOT_APPLIED.to_owned()),
        "A44" => Some(format!("ADT^A44 (move account information) {MOVE_NOT_APPLIED}")),
        "A45" => Some(format!("ADT^A45 (move visit information) {MOVE_NOT_APPLIED}")),
        _ => None,
    }
}

const VISIT_EVENTS: [&str; 12] = [
    "A01", "A02", "A03", "A04", "A05", "A06", "A07", "A08", "A11", "A12", "A13", "A23",
];

/// The kinds of event, each with its own handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Visit,
    Person,
    Merge,
    SwapBeds,
}

impl Kind {
    pub fn of(event: &str) -> Kind {
        match event {
            "A28" | "A31" => Kind::Person,
            "A34" | "A40" | "A47" => Kind::Merge,
            "A17" => Kind::SwapBeds,
            _ => Kind::Visit,
        }
    }

    pub fn is_mapped(event: &str) -> bool {
        VISIT_EVENTS.contains(&event) || matches!(event, "A17" | "A28" | "A31" | "A34" | "A40" | "A47")
    }
}

/// What every handler needs to know about its message.
pub(super) struct Context<'m> {
    pub location: &'m str,
    pub event: &'m str,
    /// MSH-4, else `hospital`: whose local ids and visit numbers these are.
    pub facility: String,
    pub source: String,
    pub message_ref: &'m str,
}

/// One patient of a message: a PID and the segments after it, up to the next PID.
struct Patient<'s, 'a> {
    pid: &'s Segment<'a>,
    pd1: Option<&'s Segment<'a>>,
    pv1: Option<&'s Segment<'a>>,
    mrg: Option<&'s Segment<'a>>,
}

fn patients<'s, 'a>(segments: &'s [Segment<'a>]) -> Vec<Patient<'s, 'a>> {
    let mut out: Vec<Patient> = Vec::new();
    for s in segments {
        match (s.name, out.last_mut()) {
            ("PID", _) => out.push(Patient {
                pid: s,
                pd1: None,
                pv1: None,
                mrg: None,
            }),
            ("PD1", Some(p)) => p.pd1 = p.pd1.or(Some(s)),
            ("PV1", Some(p)) => p.pv1 = p.pv1.or(Some(s)),
            ("MRG", Some(p)) => p.mrg = p.mrg.or(Some(s)),
            _ => {}
        }
    }
    out
}

/// A person as one PID names them, read but not yet kept.
struct Person {
    identity: Identity,
    key: PersonKey,
    demographics: Demographics,
    notes: Notes,
}

impl Reader<'_> {
    fn refused(&self, cx: &Context, field: &str, reason: String) -> Rejection {
        Rejection::new(self.file, cx.location, field, reason)
    }

    fn read_person(&self, cx: &Context, pid: &Segment, pd1: Option<&Segment>) -> Result<Person, Rejection> {
        let mut notes = Notes::default();
        let whence = (self.file, cx.location);
        let identity = identity::identity(pid, &cx.facility, self.options, whence, &mut notes)?;
        // Filed under no one when no usable id is left (never under a guess).
        let no_id = || match notes.warnings.first() {
            Some(w) => self.refused(cx, "PID-3", format!("no usable patient identifier ({w}); not filed")),
            None => self.refused(cx, "PID-3", "no NHS number and no other patient identifier".into()),
        };
        let key = identity.key().ok_or_else(no_id)?;
        let demographics = identity::demographics(pid, pd1, cx.location, &mut notes);
        Ok(Person {
            identity,
            key,
            demographics,
            notes,
        })
    }

    fn keep(&mut self, cx: &Context, mut p: Person) {
        self.batch.notes.append(&mut p.notes.all);
        self.batch.warnings.append(&mut p.notes.warnings);
        self.add_person(&p.key, p.identity, &cx.source, p.demographics);
    }

    /// The message's first PID, or the rejection for a message without one.
    fn first_person(&self, cx: &Context, segments: &[Segment]) -> Result<Person, Rejection> {
        let find = |name: &str| segments.iter().find(|s| s.name == name);
        let no_pid = || self.refused(cx, "PID", format!("an ADT^{} message needs a PID segment", cx.event));
        self.read_person(cx, find("PID").ok_or_else(no_pid)?, find("PD1"))
    }

    fn visit_message<'a>(
        &self,
        cx: &Context<'a>,
        segments: &[Segment<'a>],
        pv1: &Segment<'a>,
    ) -> Result<VisitMessage<'a>, Rejection> {
        let find = |name: &str| segments.iter().find(|s| s.name == name);
        let Some(msh) = find("MSH") else {
            return Err(self.refused(cx, "MSH", "the message has no MSH header".into()));
        };
        visit::read_visit_message((cx.event, cx.message_ref), msh, find("EVN"), pv1)
            .map_err(|(field, reason)| self.refused(cx, field, reason))
    }

    /// A01 to A08, A11 to A13, A23: the message's patient and their visit.
    pub(super) fn visit_event(&mut self, cx: &Context, segments: &[Segment]) -> Result<(), Rejection> {
        let person = self.first_person(cx, segments)?;
        match segments.iter().find(|s| s.name == "PV1") {
            None if cx.event == "A08" => {}
            None => {
                let reason = format!("an ADT^{} message needs a PV1 segment", cx.event);
                return Err(self.refused(cx, "PV1", reason));
            }
            Some(pv1) => {
                let m = self.visit_message(cx, segments, pv1)?;
                let people = person.identity.keys();
                let applied = self.visits.apply((&person.key, &people), &cx.facility, &cx.source, &m);
                applied.map_err(|(field, reason)| self.refused(cx, field, reason))?;
            }
        }
        self.keep(cx, person);
        Ok(())
    }

    /// A28, A31: the person alone.
    pub(super) fn person_event(&mut self, cx: &Context, segments: &[Segment]) -> Result<(), Rejection> {
        let person = self.first_person(cx, segments)?;
        self.keep(cx, person);
        Ok(())
    }

    /// A17: two patients swap beds; both are checked before either is applied.
    pub(super) fn swap_beds(&mut self, cx: &Context, segments: &[Segment]) -> Result<(), Rejection> {
        let groups = patients(segments);
        let (Some(a), Some(b), 2) = (groups.first(), groups.get(1), groups.len()) else {
            let reason = "an ADT^A17 names two patients, each with a PID and a PV1".to_owned();
            return Err(self.refused(cx, "PID", reason));
        };
        let mut read = Vec::new();
        for p in [a, b] {
            let Some(pv1) = p.pv1 else {
                let reason = "an ADT^A17 names two patients, each with a PID and a PV1".to_owned();
                return Err(self.refused(cx, "PV1", reason));
            };
            let person = self.read_person(cx, p.pid, p.pd1)?;
            let m = self.visit_message(cx, segments, pv1)?;
            let people = person.identity.keys();
            let checked = self.visits.check(&people, &cx.facility, &m);
            checked.map_err(|(field, reason)| self.refused(cx, field, reason))?;
            read.push((person, people, m));
        }
        for (person, people, m) in read {
            let applied = self.visits.apply((&person.key, &people), &cx.facility, &cx.source, &m);
            applied.map_err(|(field, reason)| self.refused(cx, field, reason))?;
            self.keep(cx, person);
        }
        Ok(())
    }

    /// A34, A40 (merge) and A47 (change identifier): each PID's person is also named
    /// by its MRG-1's prior ids from now on. No PV1 is needed.
    pub(super) fn merge_event(&mut self, cx: &Context, segments: &[Segment]) -> Result<(), Rejection> {
        let groups = patients(segments);
        if groups.is_empty() {
            return Err(self.refused(cx, "PID", format!("an ADT^{} message needs a PID segment", cx.event)));
        }
        let mut read = Vec::new();
        for g in &groups {
            let mut person = self.read_person(cx, g.pid, g.pd1)?;
            let prior = g.mrg.map(|m| m.field(1)).unwrap_or("");
            if prior.split('~').all(|rep| component(rep, 1).is_empty()) {
                let reason = format!("an ADT^{} message needs the prior identifier (MRG-1)", cx.event);
                return Err(self.refused(cx, "MRG-1", reason));
            }
            self.prior_ids(cx, prior, &mut person)?;
            read.push(person);
        }
        for person in read {
            self.keep(cx, person);
        }
        Ok(())
    }

    /// MRG-1's ids join the person's local ids (after theirs, so the key stays
    /// theirs). A prior NHS number is noted and not applied; an id that cannot be one
    /// is left out with a warning, as in PID-3; in training, an id that is a real
    /// person's NHS number refuses the message (`nhs_rule::refuse_local_in_training`).
    fn prior_ids(&self, cx: &Context, mrg_1: &str, person: &mut Person) -> Result<(), Rejection> {
        let what = if cx.event == "A47" {
            "identifier change"
        } else {
            "merge"
        };
        for rep in mrg_1.split('~') {
            let id = component(rep, 1);
            if id.is_empty() {
                continue;
            }
            if is_labelled_nhs_number(rep) {
                person.notes.note(format!(
                    "{}: {what}: the prior NHS number in MRG-1 is not applied (an NHS number is never changed or merged on a feed's word)",
                    cx.location
                ));
                continue;
            }
            if let Some(reason) = nhs_rule::refuse_local_in_training(id, self.options) {
                return Err(self.refused(cx, "MRG-1", reason));
            }
            if let Some(why) = identity::unusable_local_id(id) {
                let reason = format!("the prior patient id {id:?} {why}, so it is not used as an identifier");
                person.notes.warn(cx.location, "MRG-1", reason);
                continue;
            }
            let prior = LocalId {
                source: format!("HL7 patient id ({})", cx.facility),
                id: id.to_owned(),
            };
            if !person.identity.local_ids.contains(&prior) {
                person.identity.local_ids.push(prior);
            }
            person.notes.note(format!(
                "{}: {what}: identifier {id} now belongs to this person (a record already held under it is not merged into this one)",
                cx.location
            ));
        }
        Ok(())
    }
}
