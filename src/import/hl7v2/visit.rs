//! Visits (PV1): the spell or contact that a visit's messages build up, in order.
//!
//! **The admission time** is the A01's (A04's, A05's): its PV1-44, else its event
//! time; with several known, the earliest. A message that does not admit (A02, A03,
//! A08, A11, A13) never moves it: its event time stands in for the start only while
//! no admission is known (a visit whose A01 came in an earlier file; the store then
//! keeps the earlier stored start, `store::apply::items`).
//!
//! **A discharge** (an A03's PV1-45, else its event time) must be readable and not
//! before the admission, or the message is rejected and changes nothing: a discharge
//! with no time would leave an ended spell with no end, on the discharge board for
//! ever. A message about a visit that this file already gave to someone else is
//! rejected too.
//!
//! **Where** the patient is: the ward is PV1-3.1 (point of care), never the room
//! (PV1-3.2) or bed; the hospital is PV1-3.4 (facility), else the sender's MSH-4.
//!
//! **Class changes**: an A06 makes the visit an inpatient spell (an A&E attendance
//! admitted: it joins the board); an A07 makes it an A&E attendance (PV1-2 `E`) or an
//! outpatient attendance, and it leaves the board. Only these two events change the
//! kind of a visit already read. *Unconfirmed*: a sender that gives the admission a
//! new visit number (MRG-5 naming the attendance) makes a second visit here.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDateTime;

use super::{Segment, non_empty, timestamps};
use crate::domain::batch::{EpisodeEntry, PersonKey};
use crate::domain::dates::fmt_date_time;
use crate::domain::episode::attr;
use crate::domain::hospital::HospitalSpell;
use crate::domain::{Episode, EpisodeKind, EpisodeStatus, Provenance, Sensitivity};

/// A field and a plain reason: why a message is rejected.
pub(super) type Refusal = (&'static str, String);

/// What one message says about its visit.
pub(super) struct VisitMessage<'a> {
    pub event: &'a str,
    pub message_ref: &'a str,
    pub visit_number: Option<String>,
    /// PV1-44.
    pub admitted: Option<NaiveDateTime>,
    /// PV1-45.
    pub discharged: Option<NaiveDateTime>,
    /// EVN-2, else MSH-7.
    pub event_time: Option<NaiveDateTime>,
    pub patient_class: &'a str,
    /// PV1-3.1, the point of care.
    pub ward: Option<String>,
    /// PV1-3.4, the facility of the location.
    pub hospital: Option<String>,
    pub admission_method: Option<String>,
    pub admission_source: Option<String>,
    pub discharge_method: Option<String>,
    pub discharge_destination: Option<String>,
}

/// Read PV1 (and the event time from EVN or MSH). An admission or discharge time
/// that is given but cannot be read rejects the message.
pub(super) fn read_visit_message<'a>(
    (event, message_ref): (&'a str, &'a str),
    msh: &Segment<'a>,
    evn: Option<&Segment<'a>>,
    pv1: &Segment<'a>,
) -> Result<VisitMessage<'a>, Refusal> {
    let admitted = timestamps::date_time(pv1.comp(44, 1)).map_err(|r| ("PV1-44", r))?;
    let discharged = timestamps::date_time(pv1.comp(45, 1)).map_err(|r| ("PV1-45", r))?;
    // The event time only stands in for a missing one, so an unreadable EVN-2 falls
    // back to the message's time.
    let evn_time = evn.and_then(|e| timestamps::date_time(e.comp(2, 1)).ok().flatten());
    let event_time = evn_time.or_else(|| timestamps::date_time(msh.comp(7, 1)).ok().flatten());
    Ok(VisitMessage {
        event,
        message_ref,
        visit_number: non_empty(pv1.comp(19, 1)),
        admitted,
        discharged,
        event_time,
        patient_class: pv1.comp(2, 1),
        ward: non_empty(pv1.comp(3, 1)),
        hospital: non_empty(pv1.comp(3, 4).split('&').next().unwrap_or("")),
        admission_method: non_empty(pv1.comp(4, 1)),
        admission_source: non_empty(pv1.comp(14, 1)),
        discharge_method: non_empty(pv1.comp(36, 1)),
        discharge_destination: non_empty(pv1.comp(37, 1)),
    })
}

/// A visit's times and status after each message.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Timing {
    pub start: NaiveDateTime,
    /// The start is an admission time, not an event time standing in for one.
    pub is_admission_known: bool,
    pub end: Option<NaiveDateTime>,
    pub status: EpisodeStatus,
}

/// The visit's timing after message `m`, or why `m` is rejected: its admission
/// first, then what its event does, then the discharge checked against the start.
pub(super) fn next_timing(before: Option<Timing>, m: &VisitMessage) -> Result<Timing, Refusal> {
    let t = with_admission(before, m)?;
    checked_end(after_event(t, m)?)
}

/// The start after `m`: the earliest admission known, else an event time standing in.
fn with_admission(before: Option<Timing>, m: &VisitMessage) -> Result<Timing, Refusal> {
    let is_admitting = matches!(m.event, "A01" | "A04" | "A05");
    let admission = m.admitted.or(m.event_time.filter(|_| is_admitting));
    Ok(match (before, admission) {
        (Some(b), Some(a)) if b.is_admission_known => Timing {
            start: b.start.min(a),
            ..b
        },
        (Some(b), Some(a)) => Timing {
            start: a,
            is_admission_known: true,
            ..b
        },
        (Some(b), None) => b,
        (None, admission) => {
            let stand_in = m.event_time.or(m.discharged);
            let start = admission
                .or(stand_in)
                .ok_or(("PV1-44", "no admission date and no event time".to_owned()))?;
            let status = if m.event == "A05" {
                EpisodeStatus::Planned
            } else {
                EpisodeStatus::Active
            };
            Timing {
                start,
                is_admission_known: admission.is_some(),
                end: None,
                status,
            }
        }
    })
}

/// The status and end `m`'s event gives the visit.
fn after_event(mut t: Timing, m: &VisitMessage) -> Result<Timing, Refusal> {
    match m.event {
        "A01" | "A04" | "A08" | "A06" | "A07" => {
            if matches!(t.status, EpisodeStatus::Planned | EpisodeStatus::Cancelled) {
                t.status = EpisodeStatus::Active;
            }
            if let Some(d) = m.discharged {
                (t.end, t.status) = (Some(d), EpisodeStatus::Ended);
            }
        }
        "A03" => {
            let reason = "an A03 needs a discharge time (PV1-45), or an event time (EVN-2 or MSH-7), that can be read";
            let end = m.discharged.or(m.event_time).ok_or(("PV1-45", reason.to_owned()))?;
            (t.end, t.status) = (Some(end), EpisodeStatus::Ended);
        }
        // A23 (delete a visit) is read as a cancel: the record deletes nothing on a
        // feed's word. *Unconfirmed* against a PAS's use of A23.
        "A11" | "A23" => t.status = EpisodeStatus::Cancelled,
        "A13" => (t.end, t.status) = (None, EpisodeStatus::Active),
        _ => {}
    }
    Ok(t)
}

/// A discharge before a known admission rejects the message; a stand-in start is
/// never after the end.
fn checked_end(t: Timing) -> Result<Timing, Refusal> {
    match t.end {
        Some(end) if end < t.start && t.is_admission_known => Err((
            "PV1-45",
            format!(
                "discharged on {}, before the admission on {}",
                fmt_date_time(end),
                fmt_date_time(t.start)
            ),
        )),
        Some(end) if end < t.start => Ok(Timing { start: end, ..t }),
        _ => Ok(t),
    }
}

/// One visit: who it is for, its timing, and the entry it becomes.
struct Visit {
    /// Every key the visit's messages named its patient by.
    people: Vec<PersonKey>,
    timing: Option<Timing>,
    entry: EpisodeEntry,
}

/// The file's visits, keyed by facility and visit number, in order of first message.
#[derive(Default)]
pub(super) struct Visits {
    visits: HashMap<String, Visit>,
    order: Vec<String>,
}

impl Visits {
    /// Apply one message to its visit. A rejected message changes nothing.
    /// `key` is the patient's key in the batch; `people` every key the message names
    /// them by.
    pub fn apply(
        &mut self,
        (key, people): (&PersonKey, &[PersonKey]),
        facility: &str,
        source: &str,
        m: &VisitMessage,
    ) -> Result<(), Refusal> {
        let (visit_key, timing) = self.check(people, facility, m)?;
        let visit = match self.visits.entry(visit_key) {
            Entry::Occupied(o) => o.into_mut(),
            Entry::Vacant(slot) => {
                self.order.push(slot.key().clone());
                let entry = new_entry(slot.key(), key, (facility, source), m, timing.start);
                slot.insert(Visit {
                    people: Vec::new(),
                    timing: None,
                    entry,
                })
            }
        };
        for p in people {
            if !visit.people.contains(p) {
                visit.people.push(p.clone());
            }
        }
        visit.timing = Some(timing);
        update(&mut visit.entry, m, timing, facility);
        Ok(())
    }

    /// Would message `m` apply? Its visit's key and the timing it would give, or why
    /// it is rejected; nothing changes (A17 checks both its patients before either).
    pub fn check(&self, people: &[PersonKey], facility: &str, m: &VisitMessage) -> Result<(String, Timing), Refusal> {
        let visit_key = match &m.visit_number {
            Some(v) => format!("{facility}|{v}"),
            None => format!("{facility}|message {}", m.message_ref),
        };
        let before = self.visits.get(&visit_key);
        if let Some(v) = before
            && !v.people.iter().any(|p| people.contains(p))
        {
            let n = m.visit_number.as_deref().unwrap_or("");
            return Err(("PV1-19", format!("visit {n} is another patient's in this file")));
        }
        let timing = next_timing(before.and_then(|v| v.timing), m)?;
        Ok((visit_key, timing))
    }

    /// The visits' entries, in order of their first message.
    pub fn into_entries(mut self) -> Vec<EpisodeEntry> {
        let order = std::mem::take(&mut self.order);
        order
            .iter()
            .filter_map(|k| self.visits.remove(k))
            .map(|v| v.entry)
            .collect()
    }
}

fn new_entry(
    visit_key: &str,
    person: &PersonKey,
    (facility, source): (&str, &str),
    m: &VisitMessage,
    start: NaiveDateTime,
) -> EpisodeEntry {
    let kind = kind_of(m);
    let hospital = m.hospital.as_deref().unwrap_or(facility);
    let episode = Episode {
        id: 0,
        kind,
        title: String::new(),
        start,
        end: None,
        status: EpisodeStatus::Active,
        organisation: Some(hospital.to_owned()),
        detail: String::new(),
        sensitivity: Sensitivity::Normal,
        attributes: BTreeMap::new(),
        provenance: Provenance {
            source: source.to_owned(),
            source_ref: visit_key.to_owned(),
            ..Default::default()
        },
    };
    let spell = (kind == EpisodeKind::InpatientSpell).then(|| HospitalSpell {
        hospital: hospital.to_owned(),
        ..Default::default()
    });
    EpisodeEntry {
        person: person.clone(),
        episode,
        spell,
        chc: None,
        replaces_existing: true,
    }
}

/// The kind of visit a message makes: A06 an inpatient spell, A07 an A&E or
/// outpatient attendance; otherwise by patient class (PV1-2) and event.
fn kind_of(m: &VisitMessage) -> EpisodeKind {
    match (m.event, m.patient_class) {
        ("A06", _) => EpisodeKind::InpatientSpell,
        (_, "E") => EpisodeKind::AeAttendance,
        ("A04" | "A07", _) | (_, "O") => EpisodeKind::Outpatient,
        _ => EpisodeKind::InpatientSpell,
    }
}

/// A06 and A07 change the visit's kind; an inpatient spell has its hospital facts,
/// other kinds none.
fn change_class(entry: &mut EpisodeEntry, m: &VisitMessage, hospital: &str) {
    entry.episode.kind = kind_of(m);
    match (entry.episode.kind, &entry.spell) {
        (EpisodeKind::InpatientSpell, None) => {
            entry.spell = Some(HospitalSpell {
                hospital: hospital.to_owned(),
                ..Default::default()
            });
        }
        (EpisodeKind::InpatientSpell, Some(_)) => {}
        _ => entry.spell = None,
    }
}

/// Bring the entry up to date with message `m`, whose timing is `t`.
fn update(entry: &mut EpisodeEntry, m: &VisitMessage, t: Timing, facility: &str) {
    let hospital = place(entry, m, facility);
    let e = &mut entry.episode;
    (e.start, e.end, e.status) = (t.start, t.end, t.status);
    keep_attributes(&mut e.attributes, m);
    e.title = title(e.kind, e.status, &hospital);
    if let Some(spell) = &mut entry.spell {
        let a = &e.attributes;
        spell.admitted = Some(e.start);
        spell.discharged = e.end;
        spell.ward = a.get("ward").cloned();
        spell.admission_method = a.get(attr::ADMISSION_METHOD).cloned();
        spell.admission_source = m.admission_source.clone().or(spell.admission_source.take());
        spell.discharge_method = a.get(attr::DISCHARGE_METHOD).cloned();
        spell.discharge_destination = a.get(attr::DISCHARGE_DESTINATION).cloned();
    }
}

/// The hospital (PV1-3.4, else what the visit had, else the sender), and the kind
/// an A06 or A07 gives the visit; returns the hospital.
fn place(entry: &mut EpisodeEntry, m: &VisitMessage, facility: &str) -> String {
    if let Some(h) = &m.hospital {
        entry.episode.organisation = Some(h.clone());
        if let Some(spell) = &mut entry.spell {
            spell.hospital = h.clone();
        }
    }
    let hospital = entry
        .episode
        .organisation
        .clone()
        .unwrap_or_else(|| facility.to_owned());
    if matches!(m.event, "A06" | "A07") {
        change_class(entry, m, &hospital);
    }
    hospital
}

/// The message's own attributes: the last message, admission method and ward; an
/// A03's discharge method and destination, which an A13 takes away again.
fn keep_attributes(a: &mut BTreeMap<String, String>, m: &VisitMessage) {
    a.insert("last_message".into(), format!("ADT^{} {}", m.event, m.message_ref));
    let keep = |a: &mut BTreeMap<String, String>, name: &str, value: &Option<String>| {
        if let Some(v) = value {
            a.insert(name.into(), v.clone());
        }
    };
    keep(a, attr::ADMISSION_METHOD, &m.admission_method);
    keep(a, "ward", &m.ward);
    match m.event {
        "A03" => {
            keep(a, attr::DISCHARGE_METHOD, &m.discharge_method);
            keep(a, attr::DISCHARGE_DESTINATION, &m.discharge_destination);
        }
        "A13" => {
            a.remove(attr::DISCHARGE_METHOD);
            a.remove(attr::DISCHARGE_DESTINATION);
        }
        _ => {}
    }
}

fn title(kind: EpisodeKind, status: EpisodeStatus, hospital: &str) -> String {
    match (kind, status) {
        (EpisodeKind::InpatientSpell, EpisodeStatus::Cancelled) => format!("Admission to {hospital} (cancelled)"),
        (EpisodeKind::InpatientSpell, EpisodeStatus::Planned) => format!("Planned admission to {hospital}"),
        (EpisodeKind::InpatientSpell, _) => format!("Admission to {hospital}"),
        (EpisodeKind::AeAttendance, _) => format!("A&E attendance at {hospital}"),
        _ => format!("Outpatient attendance at {hospital}"),
    }
}
