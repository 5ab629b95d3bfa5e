//! Codes in words (RULES.md section 5): the NHS Data Dictionary codes a hospital's
//! records carry (admission method and source, discharge method and destination,
//! outpatient attendance, A&E department type), and an item's status and end as the
//! timeline's list and detail pane say them. One table per code list; a code not in
//! its table is said as a code, never guessed at.

use super::dates::fmt_date_time;
use super::episode::attr;
use super::{Episode, EpisodeKind, EpisodeStatus, HospitalSpell};

/// One national code list: what it is called and each code's words.
#[derive(Debug, PartialEq, Eq)]
pub struct CodeList {
    pub name: &'static str,
    pub codes: &'static [(&'static str, &'static str)],
}

/// ADMISSION METHOD (UK Core `UKCore-AdmissionMethodEngland`).
pub const ADMISSION_METHOD: CodeList = CodeList {
    name: "Admission method",
    codes: &[
        ("11", "elective: from the waiting list"),
        ("12", "elective: booked"),
        ("13", "elective: planned"),
        ("21", "emergency: via the emergency department"),
        ("22", "emergency: via the GP"),
        ("23", "emergency: via the bed bureau"),
        ("24", "emergency: via a consultant clinic"),
        ("25", "emergency: via a mental health crisis resolution team"),
        ("2A", "emergency: via the emergency department of another provider"),
        ("2B", "emergency: transfer from another hospital"),
        ("2C", "emergency: baby born at home as intended"),
        ("2D", "emergency: other"),
        ("28", "emergency: other means"),
        ("31", "maternity: ante-partum"),
        ("32", "maternity: post-partum"),
        ("81", "transfer from another hospital (not an emergency)"),
        ("82", "birth in this provider"),
        ("83", "birth outside this provider"),
        ("98", "not applicable"),
        ("99", "not known"),
    ],
};

/// SOURCE OF ADMISSION (UK Core `UKCore-SourceOfAdmissionEngland`).
pub const ADMISSION_SOURCE: CodeList = CodeList {
    name: "Admitted from",
    codes: &[
        ("19", "usual place of residence"),
        ("29", "temporary place of residence"),
        ("39", "penal establishment, court or police station"),
        ("49", "another NHS hospital: high security psychiatric"),
        ("50", "another NHS hospital: medium secure unit"),
        ("51", "another NHS hospital: general ward"),
        ("52", "another NHS hospital: maternity or neonatal"),
        ("53", "another NHS hospital: mental health or learning disabilities"),
        ("54", "NHS-run care home"),
        ("65", "local authority residential accommodation"),
        ("66", "local authority foster care"),
        ("79", "born in or on the way to this hospital"),
        ("85", "non-NHS care home"),
        ("87", "non-NHS hospital"),
        ("88", "non-NHS hospice"),
        ("98", "not applicable"),
        ("99", "not known"),
    ],
};

/// DISCHARGE METHOD (UK Core `UKCore-DischargeMethodEngland`).
pub const DISCHARGE_METHOD: CodeList = CodeList {
    name: "Discharge method",
    codes: &[
        ("1", "discharged on clinical advice"),
        ("2", "discharged themselves or by a relative (old code)"),
        (
            "3",
            "discharged by a mental health tribunal, the Home Secretary or a court",
        ),
        ("4", "died"),
        ("5", "stillbirth"),
        ("6", "discharged themselves"),
        ("7", "discharged by a relative or advocate"),
        ("8", "not discharged: still in hospital"),
        ("9", "not known"),
    ],
};

/// DISCHARGE DESTINATION: both lists (UK Core's 54, 65, 85 and the current
/// Data Dictionary's 55, 56, 40, 42, 89).
pub const DISCHARGE_DESTINATION: CodeList = CodeList {
    name: "Discharged to",
    codes: &[
        ("19", "usual place of residence"),
        ("29", "temporary place of residence"),
        ("30", "repatriation from a high security psychiatric hospital"),
        ("37", "court"),
        ("38", "penal establishment or police station"),
        ("40", "penal establishment"),
        ("42", "police station"),
        ("48", "high security psychiatric hospital, Scotland"),
        ("49", "another NHS hospital: high security psychiatric"),
        ("50", "another NHS hospital: medium secure unit"),
        ("51", "another NHS hospital: general ward"),
        ("52", "another NHS hospital: maternity or neonatal"),
        ("53", "another NHS hospital: mental health or learning disabilities"),
        ("54", "NHS-run care home"),
        ("55", "care home with nursing"),
        ("56", "care home without nursing"),
        ("65", "local authority residential accommodation"),
        ("66", "local authority foster care"),
        ("79", "died"),
        ("84", "non-NHS hospital: medium secure unit"),
        ("85", "non-NHS care home"),
        ("87", "non-NHS hospital"),
        ("88", "hospice"),
        ("89", "forced repatriation"),
        ("98", "not applicable: still in hospital"),
        ("99", "not known"),
    ],
};

/// ATTENDED OR DID NOT ATTEND, for an outpatient appointment.
pub const ATTENDANCE: CodeList = CodeList {
    name: "Attendance",
    codes: &[
        ("0", "appointment in the future"),
        ("2", "cancelled by the patient"),
        ("3", "did not attend (no warning)"),
        ("4", "cancelled or postponed by the hospital"),
        ("5", "attended on time"),
        ("6", "arrived late, seen"),
        ("7", "arrived late, not seen"),
    ],
};

/// EMERGENCY CARE DEPARTMENT TYPE, for an A&E attendance.
pub const DEPARTMENT_TYPE: CodeList = CodeList {
    name: "Department",
    codes: &[
        ("01", "type 1: consultant-led 24-hour A&E"),
        ("02", "type 2: consultant-led single-specialty A&E"),
        ("03", "type 3: other A&E, minor injury unit or urgent treatment centre"),
        ("04", "type 4: NHS walk-in centre"),
    ],
};

/// The code list an item's attribute is coded in, by its key (`fixtures/README.md`).
pub fn list_for_attribute(key: &str) -> Option<&'static CodeList> {
    match key {
        attr::ADMISSION_METHOD => Some(&ADMISSION_METHOD),
        "admission_source" => Some(&ADMISSION_SOURCE),
        attr::DISCHARGE_METHOD => Some(&DISCHARGE_METHOD),
        attr::DISCHARGE_DESTINATION => Some(&DISCHARGE_DESTINATION),
        "attendance" => Some(&ATTENDANCE),
        "department_type" => Some(&DEPARTMENT_TYPE),
        _ => None,
    }
}

impl CodeList {
    /// The words for a code, if the list has it (spaces around it and the case of a
    /// letter, as in "2a", do not matter).
    pub fn words(&self, code: &str) -> Option<&'static str> {
        let code = code.trim();
        self.codes
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(code))
            .map(|(_, w)| *w)
    }

    /// The code as a reader is told it: its words with the code after them, or the
    /// code itself when the list does not have it.
    pub fn say(&self, code: &str) -> String {
        let code = code.trim();
        match self.words(code) {
            Some(w) => format!("{w} ({code})"),
            None => format!("code {code} (not in the national list)"),
        }
    }
}

/// An attribute's name as a reader is told it: its code list's name, or the key in
/// words ("service_type" is "Service type").
pub fn attribute_name(key: &str) -> String {
    if let Some(list) = list_for_attribute(key) {
        return list.name.to_owned();
    }
    let words = key.replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => words,
    }
}

/// An attribute's value as a reader is told it: a code in words, other values as given.
pub fn attribute_value(key: &str, value: &str) -> String {
    match list_for_attribute(key) {
        Some(list) => list.say(value),
        None => value.to_owned(),
    }
}

/// A status in one word.
pub fn status_word(status: EpisodeStatus) -> &'static str {
    match status {
        EpisodeStatus::Planned => "planned",
        EpisodeStatus::Active => "active",
        EpisodeStatus::Suspended => "suspended",
        EpisodeStatus::Ended => "ended",
        EpisodeStatus::Completed => "completed",
        EpisodeStatus::Cancelled => "cancelled",
    }
}

/// An item's status as the list says it: a stay still open is "in hospital", an
/// ended one how it ended (its discharge method in words, from the stay's facts or
/// the item's own); an outpatient appointment whether it was attended; a
/// suspended package "suspended", never "ended"; else the status word.
pub fn status_words(e: &Episode, spell: Option<&HospitalSpell>) -> String {
    if e.status == EpisodeStatus::Suspended {
        return "suspended".to_owned();
    }
    match e.kind {
        EpisodeKind::InpatientSpell => {
            if e.end.is_none() && e.status == EpisodeStatus::Active {
                return "in hospital".to_owned();
            }
            let method = spell
                .and_then(|s| s.discharge_method.as_deref())
                .or_else(|| e.attr(attr::DISCHARGE_METHOD));
            if let Some(words) = method.and_then(|m| DISCHARGE_METHOD.words(m)) {
                return words.to_owned();
            }
        }
        EpisodeKind::Outpatient => {
            if let Some(words) = e.attr("attendance").and_then(|a| ATTENDANCE.words(a)) {
                return words.to_owned();
            }
        }
        _ => {}
    }
    status_word(e.status).to_owned()
}

/// An item's end as the list says it: a suspended package "suspended from" the date
/// it stopped (it is not over: it is to restart), an open span "still open", a
/// span's end, and nothing for an item at one moment.
pub fn end_words(e: &Episode) -> String {
    match (e.status, e.end) {
        (EpisodeStatus::Suspended, Some(end)) => format!("suspended from {}", fmt_date_time(end)),
        (EpisodeStatus::Suspended, None) => "suspended".to_owned(),
        (_, Some(end)) if end > e.start => fmt_date_time(end),
        (_, None) if e.is_span() => "still open".to_owned(),
        _ => String::new(),
    }
}

/// An item's time as a sentence part: "16-Sep-2024 to 02-May-2026", "from
/// 20-Nov-2026 14:30, still open", "16-Sep-2024, suspended from 02-May-2026", or
/// the moment of an item without a span.
pub fn period_words(e: &Episode) -> String {
    let start = fmt_date_time(e.start);
    match (e.status, e.end) {
        (EpisodeStatus::Suspended, _) => format!("{start}, {}", end_words(e)),
        (_, Some(end)) if end > e.start => format!("{start} to {}", fmt_date_time(end)),
        (_, None) if e.is_span() => format!("from {start}, still open"),
        _ => start,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_support::episode;

    /// Every code list, a code each way it may arrive, and the words it reads as.
    #[test]
    fn codes_read_as_words() {
        for (list, code, words) in [
            (&DISCHARGE_METHOD, "1", Some("discharged on clinical advice")),
            (&DISCHARGE_METHOD, " 4 ", Some("died")),
            (&DISCHARGE_METHOD, "6", Some("discharged themselves")),
            (&DISCHARGE_METHOD, "8", Some("not discharged: still in hospital")),
            (&DISCHARGE_METHOD, "0", None),
            (&DISCHARGE_DESTINATION, "19", Some("usual place of residence")),
            (&DISCHARGE_DESTINATION, "54", Some("NHS-run care home")),
            (&DISCHARGE_DESTINATION, "55", Some("care home with nursing")),
            (&DISCHARGE_DESTINATION, "56", Some("care home without nursing")),
            (&DISCHARGE_DESTINATION, "79", Some("died")),
            (&DISCHARGE_DESTINATION, "77", None),
            (&ADMISSION_METHOD, "21", Some("emergency: via the emergency department")),
            (
                &ADMISSION_METHOD,
                "2a",
                Some("emergency: via the emergency department of another provider"),
            ),
            (&ADMISSION_METHOD, "11", Some("elective: from the waiting list")),
            (&ADMISSION_METHOD, "", None),
            (&ADMISSION_SOURCE, "19", Some("usual place of residence")),
            (&ATTENDANCE, "3", Some("did not attend (no warning)")),
            (&ATTENDANCE, "5", Some("attended on time")),
            (&DEPARTMENT_TYPE, "01", Some("type 1: consultant-led 24-hour A&E")),
            (&DEPARTMENT_TYPE, "1", None),
        ] {
            assert_eq!(list.words(code), words, "{} {code:?}", list.name);
        }
    }

    #[test]
    fn every_list_has_each_code_once() {
        for list in [
            &ADMISSION_METHOD,
            &ADMISSION_SOURCE,
            &DISCHARGE_METHOD,
            &DISCHARGE_DESTINATION,
            &ATTENDANCE,
            &DEPARTMENT_TYPE,
        ] {
            let mut codes: Vec<_> = list.codes.iter().map(|(c, _)| c.to_ascii_uppercase()).collect();
            codes.sort();
            codes.dedup();
            assert_eq!(codes.len(), list.codes.len(), "{}", list.name);
        }
    }

    #[test]
    fn attributes_are_said_in_words_and_unknown_codes_as_codes() {
        for (key, value, name, said) in [
            (
                "discharge_method",
                "1",
                "Discharge method",
                "discharged on clinical advice (1)",
            ),
            (
                "discharge_destination",
                "19",
                "Discharged to",
                "usual place of residence (19)",
            ),
            (
                "admission_method",
                "2X",
                "Admission method",
                "code 2X (not in the national list)",
            ),
            ("attendance", "3", "Attendance", "did not attend (no warning) (3)"),
            (
                "service_type",
                "Long Term Support: Community",
                "Service type",
                "Long Term Support: Community",
            ),
        ] {
            assert_eq!(attribute_name(key), name, "{key}");
            assert_eq!(attribute_value(key, value), said, "{key} {value}");
        }
    }

    #[test]
    fn status_and_end_in_words() {
        let mut stay = episode(EpisodeKind::InpatientSpell, "2026-05-02", Some("2026-05-16"));
        let mut spell = HospitalSpell {
            discharge_method: Some("1".into()),
            ..Default::default()
        };
        assert_eq!(status_words(&stay, Some(&spell)), "discharged on clinical advice");
        spell.discharge_method = Some("4".into());
        assert_eq!(status_words(&stay, Some(&spell)), "died");
        // The item's own attribute when there are no stay facts; the status word without either.
        stay.attributes.insert(attr::DISCHARGE_METHOD.into(), "6".into());
        assert_eq!(status_words(&stay, None), "discharged themselves");
        stay.attributes.clear();
        assert_eq!(status_words(&stay, None), "ended");
        assert_eq!(end_words(&stay), "16-May-2026");

        let open = episode(EpisodeKind::InpatientSpell, "2026-11-20 14:30", None);
        assert_eq!(status_words(&open, None), "in hospital");
        assert_eq!(end_words(&open), "still open");

        // A package suspended on admission is not over.
        let mut package = episode(EpisodeKind::SocialCareService, "2024-09-16", Some("2026-05-02"));
        package.status = EpisodeStatus::Suspended;
        assert_eq!(status_words(&package, None), "suspended");
        assert_eq!(end_words(&package), "suspended from 02-May-2026");
        assert_eq!(period_words(&package), "16-Sep-2024, suspended from 02-May-2026");
        package.end = None;
        assert_eq!(end_words(&package), "suspended");
        assert_eq!(period_words(&stay), "02-May-2026 to 16-May-2026");
        assert_eq!(period_words(&open), "from 20-Nov-2026 14:30, still open");

        let mut appointment = episode(EpisodeKind::Outpatient, "2026-03-01 10:00", None);
        appointment.status = EpisodeStatus::Completed;
        assert_eq!(status_words(&appointment, None), "completed");
        appointment.attributes.insert("attendance".into(), "3".into());
        assert_eq!(status_words(&appointment, None), "did not attend (no warning)");
        assert_eq!(end_words(&appointment), "", "a moment has no end");
    }
}
