//! Who a message is about (PID, PD1): the NHS number, the sending facility's own
//! identifiers, and the demographics.
//!
//! An identifier is an NHS number only when it is labelled as one: its assigning
//! authority (CX-4) is `NHS`, `NHSNBR` or `NHSNMBR` (or the NHS number's OID
//! 2.16.840.1.113883.2.1.4.1), or its identifier type (CX-5) is `NH`, `NHSNBR` or
//! `NHSNMBR`. Ten digits that pass Modulus 11 are not enough: a hospital number (MRN)
//! in PID-2 or an unlabelled PID-3 passes the check about one time in eleven, and
//! taken as an NHS number it would file this message under a stranger. Such an id
//! is the facility's local id, and its check digit is no concern of ours (no note).
//! A labelled NHS number that fails the check is never stored, and neither is a
//! local id that cannot be an identifier (control characters, or longer than
//! [`LOCAL_ID_MAX`]): each is a warning (a note of the file's report, and the live
//! feed's warning with the message), and the person is filed under the ids that
//! remain, or not at all when none remains (never under a guessed person).

use super::timestamps;
use super::{Segment, component, non_empty};
use crate::domain::batch::PersonKey;
use crate::domain::{Demographics, LocalId, NhsNumber, Sex};
use crate::import::{ImportOptions, Rejection, nhs_rule};

/// The NHS number's OID, which some senders put in CX-4's universal id.
const NHS_NUMBER_OID: &str = "2.16.840.1.113883.2.1.4.1";

/// The longest local id (MRN) taken, in characters: CX-1 is 15 in HL7 v2.5, and
/// hospital numbers are shorter; a longer one is a sender's error, not an id.
pub(super) const LOCAL_ID_MAX: usize = 64;

/// What reading a message's person said that is not a rejection: every note, and
/// of them the warnings (a value of the person's identity left out), each as
/// `FIELD: reason`.
#[derive(Debug, Default)]
pub(super) struct Notes {
    pub all: Vec<String>,
    pub warnings: Vec<String>,
}

impl Notes {
    pub fn note(&mut self, text: String) {
        self.all.push(text);
    }

    /// A value of `field` left out: a note (at `location`) and a warning.
    pub fn warn(&mut self, location: &str, field: &str, reason: String) {
        self.all.push(format!("{location}: {field}: {reason}"));
        self.warnings.push(format!("{field}: {reason}"));
    }
}

/// Why a local id cannot be one, if it cannot.
pub(super) fn unusable_local_id(id: &str) -> Option<&'static str> {
    if id.chars().any(char::is_control) {
        Some("holds control characters")
    } else if id.chars().count() > LOCAL_ID_MAX {
        Some("is longer than 64 characters")
    } else {
        None
    }
}

/// Who a message names.
pub(super) struct Identity {
    pub nhs: Option<NhsNumber>,
    pub local_ids: Vec<LocalId>,
}

impl Identity {
    /// The key the batch files this person under: NHS number, else the first local id.
    pub fn key(&self) -> Option<PersonKey> {
        match (self.nhs, self.local_ids.first()) {
            (Some(n), _) => Some(PersonKey::Nhs(n)),
            (None, Some(l)) => Some(PersonKey::Local(l.clone())),
            (None, None) => None,
        }
    }

    /// Every key that names this person (the NHS number and each local id).
    pub fn keys(&self) -> Vec<PersonKey> {
        let nhs = self.nhs.map(PersonKey::Nhs);
        nhs.into_iter()
            .chain(self.local_ids.iter().cloned().map(PersonKey::Local))
            .collect()
    }
}

/// Does this identifier's CX-4 (assigning authority) or CX-5 (type) say NHS number?
pub(super) fn is_labelled_nhs_number(cx: &str) -> bool {
    let authority = component(cx, 4).to_uppercase();
    let mut hd = authority.split('&');
    let namespace = hd.next().unwrap_or("").trim();
    let universal_id = hd.next().unwrap_or("").trim();
    matches!(namespace, "NHS" | "NHSNBR" | "NHSNMBR")
        || universal_id == NHS_NUMBER_OID
        || matches!(component(cx, 5).to_uppercase().as_str(), "NH" | "NHSNBR" | "NHSNMBR")
}

/// The NHS number and the local ids of PID-2 and every repetition of PID-3; the
/// labelled numbers go through the one rule (`nhs_rule`), which refuses a message
/// naming two different ones, or one a training database refuses.
pub(super) fn identity(
    pid: &Segment,
    facility: &str,
    options: ImportOptions,
    (file, location): (&str, &str),
    notes: &mut Notes,
) -> Result<Identity, Rejection> {
    let mut local_ids = Vec::new();
    let mut labelled = Vec::new();
    let fields = [("PID-2", pid.field(2)), ("PID-3", pid.field(3))];
    let reps = fields
        .iter()
        .flat_map(|(name, f)| f.split('~').map(move |rep| (*name, rep)));
    for (field, rep) in reps {
        let id = component(rep, 1);
        if id.is_empty() {
            continue;
        }
        if is_labelled_nhs_number(rep) {
            labelled.push((field, id));
            continue;
        }
        if let Some(reason) = nhs_rule::refuse_local_in_training(id, options) {
            return Err(Rejection::new(file, location, field, reason));
        }
        if let Some(why) = unusable_local_id(id) {
            let reason = format!("the patient id {id:?} {why}, so it is not used as an identifier");
            notes.warn(location, field, reason);
            continue;
        }
        let local = LocalId {
            source: format!("HL7 patient id ({facility})"),
            id: id.to_owned(),
        };
        if !local_ids.contains(&local) {
            local_ids.push(local);
        }
    }
    let found = nhs_rule::accept_each(labelled, options)
        .map_err(|(field, reason)| Rejection::new(file, location, field, reason))?;
    for (field, id, e) in &found.not_valid {
        notes.warn(
            location,
            field,
            format!("NHS number {id:?} is not valid ({e}), so it is not used"),
        );
    }
    Ok(Identity {
        nhs: found.number,
        local_ids,
    })
}

/// The demographics of PID (and PD1's GP practice).
pub(super) fn demographics(pid: &Segment, pd1: Option<&Segment>, location: &str, notes: &mut Notes) -> Demographics {
    let mut date = |n: usize, what: &str| match timestamps::date(pid.comp(n, 1)) {
        Ok(d) => d,
        Err(reason) => {
            notes.warn(location, &format!("PID-{n}"), format!("{what} {reason}; left out"));
            None
        }
    };
    let date_of_birth = date(7, "date of birth");
    let date_of_death = date(29, "date of death");
    let address: Vec<String> = [pid.comp(11, 1), pid.comp(11, 2), pid.comp(11, 3)]
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| title_case(p))
        .collect();
    Demographics {
        given_name: title_case(pid.comp(5, 2)),
        family_name: title_case(pid.comp(5, 1)),
        date_of_birth,
        date_of_death,
        sex: match pid.comp(8, 1) {
            "F" | "2" => Sex::Female,
            "M" | "1" => Sex::Male,
            "O" | "9" => Sex::Other,
            _ => Sex::Unknown,
        },
        address: non_empty(&address.join(", ")),
        postcode: non_empty(pid.comp(11, 5)),
        gp_practice: pd1.and_then(gp_practice),
        allocated_worker: None,
    }
}

/// PD1-3: the practice's name, with its code when given.
fn gp_practice(pd1: &Segment) -> Option<String> {
    match (non_empty(pd1.comp(3, 1)), non_empty(pd1.comp(3, 3))) {
        (Some(n), Some(c)) => Some(format!("{} ({c})", title_case(&n))),
        (Some(n), None) => Some(title_case(&n)),
        (None, c) => c,
    }
}

/// A later message's demographics replace the earlier ones field by field, where it
/// says something (an A03 with only a name does not erase the address).
pub(super) fn merge_demographics(old: &mut Demographics, new: Demographics) {
    if !new.given_name.is_empty() {
        old.given_name = new.given_name;
    }
    if !new.family_name.is_empty() {
        old.family_name = new.family_name;
    }
    if new.sex != Sex::Unknown {
        old.sex = new.sex;
    }
    old.date_of_birth = new.date_of_birth.or(old.date_of_birth);
    old.date_of_death = new.date_of_death.or(old.date_of_death);
    old.address = new.address.or(old.address.take());
    old.postcode = new.postcode.or(old.postcode.take());
    old.gp_practice = new.gp_practice.or(old.gp_practice.take());
}

/// `SMITH` -> `Smith`, `MALTON GP PRACTICE` -> `Malton Gp Practice`.
pub(super) fn title_case(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + &c.as_str().to_lowercase(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn training_refuses_an_unlabelled_id_that_is_a_real_number() {
        let pid = "PID|1||NG1^^^NGH^MR~9434765919^^^NGH^PI~9990000018^^^NHS^NH||SHAW^EDITH";
        let segment = Segment::parse(pid);
        let training = ImportOptions {
            shift_days: 0,
            test_range_only: true,
        };
        let found = identity(&segment, "NGH", training, ("f", "message 1"), &mut Notes::default());
        let Err(refused) = found else {
            panic!("a real number under another label, in training, is refused");
        };
        assert!(refused.reason.contains("outside the test range"), "{}", refused.reason);
        // Outside training the same id is a local id, never the NHS number.
        let (found, _) = read(pid);
        let found = found.unwrap();
        assert_eq!(found.nhs, NhsNumber::parse("9990000018").ok());
        assert_eq!(found.local_ids.len(), 2);
    }

    fn read(pid: &str) -> (Result<Identity, Rejection>, Vec<String>) {
        let (found, notes) = read_notes(pid);
        (found, notes.all)
    }

    fn read_notes(pid: &str) -> (Result<Identity, Rejection>, Notes) {
        let segment = Segment::parse(pid);
        let mut notes = Notes::default();
        let found = identity(
            &segment,
            "NGH",
            ImportOptions::default(),
            ("f", "message 1"),
            &mut notes,
        );
        (found, notes)
    }

    #[test]
    fn only_a_labelled_identifier_is_an_nhs_number() {
        for (pid, nhs, locals) in [
            ("PID|1||9990000026^^^NHS^NH", Some("9990000026"), 0),
            ("PID|1||9990000026^^^NHSNBR^NHSNMBR", Some("9990000026"), 0),
            ("PID|1||9990000026^^^NHS", Some("9990000026"), 0),
            ("PID|1||9990000026^^^^NH", Some("9990000026"), 0),
            (
                "PID|1||9990000026^^^NHS&2.16.840.1.113883.2.1.4.1&ISO^NH",
                Some("9990000026"),
                0,
            ),
            (
                "PID|1||9990000026^^^&2.16.840.1.113883.2.1.4.1&ISO",
                Some("9990000026"),
                0,
            ),
            ("PID|1|9990000026^^^NHS^NH", Some("9990000026"), 0),
            // Unlabelled, or labelled as something else: a local id, check digit or not.
            ("PID|1|9990000026", None, 1),
            ("PID|1||9990000026", None, 1),
            (
                "PID|1|9990000026^^^SIMULATOR MRN^MRN|9990000026^^^SIMULATOR MRN^MRN",
                None,
                1,
            ),
            ("PID|1||9990000026^^^NHS TRUST^MR", None, 1),
            ("PID|1||NG1^^^NGH^MR~9990000034^^^NHS^NH", Some("9990000034"), 1),
        ] {
            let (found, notes) = read(pid);
            let found = found.unwrap();
            assert_eq!(found.nhs.map(|n| n.digits()).as_deref(), nhs, "{pid}");
            assert_eq!(found.local_ids.len(), locals, "{pid}");
            assert_eq!(notes, Vec::<String>::new(), "{pid}");
        }
    }

    #[test]
    fn a_labelled_number_that_fails_the_check_is_a_note_and_two_numbers_are_refused() {
        let (found, notes) = read("PID|1||1234567890^^^NHS^NH~NG1^^^NGH^MR");
        assert_eq!(found.unwrap().nhs, None);
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("\"1234567890\" is not valid"), "{notes:?}");
        let (found, _) = read("PID|1|9990000026^^^NHS^NH|9990000034^^^NHS^NH");
        let rejection = found.err().unwrap();
        assert_eq!(rejection.field, "PID-3");
        assert!(rejection.reason.contains("two different NHS numbers"));
    }

    #[test]
    fn an_id_that_cannot_be_one_is_a_warning_and_the_ids_left_name_the_person() {
        // An NHS number failing its check digit: left out, a warning at its field;
        // the hospital number still names the person.
        let (found, notes) = read_notes("PID|1||1234567890^^^NHS^NH~NG1^^^NGH^MR");
        let found = found.unwrap();
        assert_eq!((found.nhs, found.local_ids.len()), (None, 1));
        assert_eq!(notes.warnings.len(), 1);
        assert!(
            notes.warnings[0].starts_with("PID-3: NHS number \"1234567890\" is not valid"),
            "{notes:?}"
        );
        // A hospital number with a control character, or far too long: left out.
        let long = "N".repeat(LOCAL_ID_MAX + 1);
        for pid in [
            "PID|1||NG\u{7}1^^^NGH^MR~9990000026^^^NHS^NH".to_owned(),
            format!("PID|1|{long}|9990000026^^^NHS^NH"),
        ] {
            let (found, notes) = read_notes(&pid);
            let found = found.unwrap();
            assert_eq!(found.nhs.map(|n| n.digits()).as_deref(), Some("9990000026"), "{pid}");
            assert!(found.local_ids.is_empty(), "{pid}");
            assert_eq!(notes.warnings.len(), 1, "{pid}");
            assert!(notes.warnings[0].contains("is not used as an identifier"), "{notes:?}");
        }
        // At the limit, an id is an id.
        let (found, notes) = read_notes(&format!("PID|1||{}^^^NGH^MR", "N".repeat(LOCAL_ID_MAX)));
        assert_eq!((found.unwrap().local_ids.len(), notes.warnings.len()), (1, 0));
    }
}
