//! Person search a coordinator can rely on (issue 17 item 8, SAFETY.md H33), on
//! both engines, with hand-made people: accents, case, apostrophes and multi-word
//! family names fold away; close spellings are offered, marked, only after the
//! words as typed; results carry sex, address and the in-hospital, deceased and
//! restricted markers, and a restricted person's address never comes back; an
//! existing database's keys are recomputed once when its schema moves.
//! PostgreSQL cases skip without a server, unless `JOINEDUP_TEST_POSTGRES=1`.

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use common::places::Place;
use joinedup::domain::person::Sex;
use joinedup::service::Service;
use joinedup::store::PersonSummary;

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 22)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap()
}

const PEOPLE: &str = r#"{
  "format": "joinedup-bundle", "version": 1,
  "people": [
    {"nhs_number": "9990001006", "source": "Test PAS", "given_name": "Zoë", "family_name": "Ní Bhriain",
     "date_of_birth": "1950-03-01", "sex": "female", "address": "2 Quay Street, Westmere", "postcode": "WM1 1AA",
     "episodes": [{"ref": "SP-ZNB", "kind": "inpatient_spell", "title": "Admitted: chest infection",
                   "start": "2026-11-20T10:00", "status": "active", "organisation": "Northgate General Hospital"}]},
    {"nhs_number": "9990001014", "source": "Test PAS", "given_name": "Seán", "family_name": "O'Neill",
     "date_of_birth": "1931-07-09", "date_of_death": "2026-10-01", "sex": "male"},
    {"nhs_number": "9990001022", "source": "Test PAS", "given_name": "John", "family_name": "Smith",
     "date_of_birth": "1944-01-02", "sex": "male", "address": "9 Elm Road", "postcode": "WM2 2BB"},
    {"nhs_number": "9990001030", "source": "Test PAS", "given_name": "Jane", "family_name": "Smyth",
     "date_of_birth": "1947-05-06", "sex": "female"},
    {"nhs_number": "9990001049", "source": "Test PAS", "given_name": "Amira", "family_name": "Haddad",
     "date_of_birth": "1980-12-12", "sex": "female", "address": "1 Refuge Road", "postcode": "WM9 9ZZ",
     "gp_practice": "Riverside Surgery (W99001)", "restricted": true}
  ]
}"#;

fn with_people(place: &mut Place) -> Service {
    let mut s = place.client("ann");
    s.import_bytes("people.json", PEOPLE.as_bytes(), false, now(), &mut |_| true)
        .unwrap();
    s
}

fn search(s: &mut Service, text: &str) -> Vec<PersonSummary> {
    s.search_people(text, None, 20, now()).unwrap()
}

/// "Family, similar?" for each person found, in order.
fn found(s: &mut Service, text: &str) -> Vec<(String, bool)> {
    search(s, text)
        .into_iter()
        .map(|p| (p.family_name, p.similar_name))
        .collect()
}

on_both_engines! {
    fn folding_and_words(place) {
        let mut place = place;
        let mut s = with_people(&mut place);
        let zoe = [("Ní Bhriain".to_owned(), false)];
        let oneill = [("O'Neill".to_owned(), false)];
        for (typed, expected) in [
            ("zoe", &zoe[..]),
            ("ZOË", &zoe),
            ("ni bhriain", &zoe),
            ("Ní Bhriain", &zoe),
            ("bhriain", &zoe),
            ("bhriain zoe", &zoe),
            ("zoe ni", &zoe),
            ("o'neill", &oneill),
            ("oneill", &oneill),
            ("O\u{2019}Neill", &oneill),
            ("neill", &oneill),
            ("sean o'neill", &oneill),
            ("zoe smith", &[]),
            ("xq", &[]),
        ] {
            assert_eq!(found(&mut s, typed), expected, "{typed:?}");
        }
    }
}

on_both_engines! {
    fn close_spellings_follow_and_are_marked(place) {
        let mut place = place;
        let mut s = with_people(&mut place);
        for (typed, expected) in [
            ("smith", vec![("Smith", false), ("Smyth", true)]),
            ("smyth", vec![("Smyth", false), ("Smith", true)]),
            ("jon smith", vec![("Smith", true)]),
            ("jane smith", vec![("Smyth", true)]),
            ("onell", vec![("O'Neill", true)]),
            ("haddid", vec![("Haddad", true)]),
            ("smi", vec![("Smith", false)]),
        ] {
            let expected: Vec<(String, bool)> = expected.into_iter().map(|(f, m)| (f.to_owned(), m)).collect();
            assert_eq!(found(&mut s, typed), expected, "{typed:?}");
        }
        // A date of birth narrows close spellings too.
        let by_dob = s.search_people("smith", NaiveDate::from_ymd_opt(1947, 5, 6), 20, now()).unwrap();
        assert_eq!(by_dob.len(), 1);
        assert_eq!((by_dob[0].family_name.as_str(), by_dob[0].similar_name), ("Smyth", true));
    }
}

on_both_engines! {
    fn results_carry_sex_address_and_markers(place) {
        let mut place = place;
        let mut s = with_people(&mut place);
        let one = |s: &mut Service, text: &str| {
            let mut r = search(s, text);
            assert_eq!(r.len(), 1, "{text:?}");
            r.remove(0)
        };
        let zoe = one(&mut s, "zoe");
        assert_eq!(zoe.sex, Sex::Female);
        assert_eq!(zoe.address.as_deref(), Some("2 Quay Street, Westmere"));
        assert_eq!(zoe.postcode.as_deref(), Some("WM1 1AA"));
        assert!(zoe.in_hospital && zoe.date_of_death.is_none() && !zoe.is_restricted);

        let sean = one(&mut s, "o'neill");
        assert_eq!(sean.sex, Sex::Male);
        assert!(!sean.in_hospital && sean.date_of_death.is_some());

        let john = one(&mut s, "john");
        assert!(!john.in_hospital && john.date_of_death.is_none() && !john.is_restricted);

        // A restricted person is found (the ward must find the right patient), with
        // name, NHS number, date of birth and sex, and no address, postcode or GP.
        let amira = one(&mut s, "haddad");
        assert!(amira.is_restricted);
        assert_eq!(amira.sex, Sex::Female);
        assert_eq!((amira.address, amira.postcode, amira.gp_practice), (None, None, None));
        let by_nhs = s
            .find_by_nhs(joinedup::domain::NhsNumber::parse("9990001049").unwrap(), now())
            .unwrap()
            .unwrap();
        assert_eq!((by_nhs.address, by_nhs.postcode), (None, None));
    }
}

on_both_engines! {
    fn keys_recomputed_once_when_the_schema_moves(place) {
        let mut place = place;
        let s = with_people(&mut place);
        // As a database migrated from before the folding: lower-cased keys, no
        // words, and the mark the migration sets.
        let conn = s.store().connection();
        conn.execute("UPDATE person SET family_name_key = lower(family_name), given_name_key = lower(given_name)", [])
            .unwrap();
        conn.execute("DELETE FROM person_name_word", []).unwrap();
        conn.execute("INSERT INTO meta (key, value) VALUES ('name_keys_pending', 'yes')", []).unwrap();
        drop(s);
        let mut again = place.client("ann");
        assert_eq!(found(&mut again, "ni bhriain"), [("Ní Bhriain".to_owned(), false)]);
        let conn = again.store().connection();
        let key: String = conn
            .query_row("SELECT family_name_key FROM person WHERE nhs_number = '9990001014'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(key, "oneill");
        let pending: i64 = conn
            .query_row("SELECT count(*) FROM meta WHERE key = 'name_keys_pending'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(pending, 0);
    }
}

/// A signed-in coordinator on the server searches through `joinedup_app`: the
/// words come through its view (for the people its person view has), the table
/// itself is not theirs to read, and a restricted person's address stays masked.
#[test]
fn signed_in_coordinator_searches_through_the_views() {
    let Some(mut team) = common::server_team::Team::new("search_views") else {
        return;
    };
    let mut anna = team.service("anna");
    let okafor = search(&mut anna, "okafro");
    assert!(
        okafor.iter().any(|p| p.family_name == "Okafor" && p.similar_name),
        "{okafor:?}"
    );
    let margaret = search(&mut anna, "margaret okafor");
    assert_eq!(
        (margaret[0].family_name.as_str(), margaret[0].similar_name),
        ("Okafor", false)
    );
    assert!(margaret[0].in_hospital && margaret[0].address.is_some());
    for p in search(&mut anna, "morgan").into_iter().filter(|p| p.is_restricted) {
        assert_eq!((p.address, p.postcode, p.gp_practice), (None, None, None));
    }
    let mut sql = team.sql("anna");
    let words: i64 = sql
        .query_one("SELECT count(*) FROM joinedup_app.person_name_word", &[])
        .unwrap()
        .get(0);
    assert!(words > 0);
    let refused = common::server_team::refused(sql.query_one("SELECT count(*) FROM public.person_name_word", &[]));
    assert!(refused.contains("permission denied"), "{refused}");
}
