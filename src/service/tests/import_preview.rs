//! The import's preview (issue 17 item 10): who a file brings in, read from the
//! store without writing anything of the file; a stored person matched as the import
//! would file them, a changed name flagged, a restricted person's items counted as
//! restricted and never named.

use super::*;
use crate::domain::import_preview::Filing;

/// Margaret Okafor (stored, restricted no) under another date of birth, Lisa Morgan
/// (stored, restricted) with an item, and someone new with a sensitive item.
const FILE: &str = r#"{"format": "joinedup-bundle", "version": 1, "people": [
  {"nhs_number": "9990000018", "source": "Test PAS", "given_name": "Margaret", "family_name": "Okafor",
   "date_of_birth": "1950-01-01", "episodes": []},
  {"nhs_number": "9990000093", "source": "Test PAS", "given_name": "Lisa", "family_name": "Morgan",
   "episodes": [{"ref": "P-1", "kind": "gp_encounter", "title": "Seen at the practice", "start": "2026-11-01T09:00"}]},
  {"nhs_number": "9990001014", "source": "Test PAS", "given_name": "Ada", "family_name": "Test",
   "date_of_birth": "1961-05-04",
   "episodes": [{"ref": "P-2", "kind": "outpatient", "title": "Clinic", "start": "2026-11-02T09:00",
                 "sensitivity": "sexual_health"},
                {"ref": "P-3", "kind": "gp_encounter", "title": "Review", "start": "2026-11-03T09:00"}]}]}"#;

fn stored(s: &Service) -> [i64; 4] {
    [
        count(s, "SELECT count(*) FROM person"),
        count(s, "SELECT count(*) FROM episode"),
        count(s, "SELECT count(*) FROM import_run"),
        count(s, "SELECT count(*) FROM person_demographics"),
    ]
}

on_both_engines! {
    fn the_preview_names_who_comes_in_and_writes_nothing_of_the_file(s) {
        let parsed = crate::import::parse_bytes("preview.json", FILE.as_bytes(), s.import_options()).unwrap();
        assert!(parsed.rejections.is_empty(), "{:?}", parsed.rejections);
        let before = stored(&s);
        let searches = count(&s, "SELECT count(*) FROM audit_event WHERE action = 'search'");
        let preview = s.preview_import(&parsed.batch, now()).unwrap();
        assert_eq!(stored(&s), before, "nothing of the file is written");
        // The look-up is audited as a search; and against each stored person the
        // preview says more of (Lisa restricted, Margaret's date of birth differing).
        assert_eq!(
            count(&s, "SELECT count(*) FROM audit_event WHERE action = 'search'"),
            searches + 3,
            "the look-up is audited as a search, and against Lisa and Margaret"
        );
        assert_eq!(
            count(
                &s,
                "SELECT count(*) FROM audit_event WHERE action = 'search' AND person_id IS NOT NULL
                   AND detail LIKE 'import preview of preview.json: matched this record%'"
            ),
            2
        );

        let [margaret, lisa, ada] = &preview.people[..] else {
            panic!("three people: {:?}", preview.people)
        };
        assert_eq!(margaret.name, "OKAFOR, Margaret");
        assert_eq!(margaret.filing, Filing::Existing { agrees: false }, "another date of birth here");
        assert_eq!(lisa.filing, Filing::Existing { agrees: true });
        assert!(lisa.is_restricted, "restricted in the store though the file does not say so");
        assert_eq!((lisa.items, lisa.restricted_items), (1, 1));
        assert_eq!(ada.filing, Filing::New);
        assert_eq!(ada.nhs_number.map(|n| n.to_string()).as_deref(), Some("999 000 1014"));
        assert_eq!((ada.items, ada.restricted_items), (2, 1));
        assert!(preview.unnamed.is_empty());

        // Imported, the new person is matched the next time.
        s.apply_batch(&parsed.batch, now(), &mut |_, _| true).unwrap();
        let again = s.preview_import(&parsed.batch, now()).unwrap();
        assert_eq!(again.new_people(), 0);
        assert_eq!(again.people[2].filing, Filing::Existing { agrees: true });
    }
}
