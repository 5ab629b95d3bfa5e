//! The import's preview on a team's server (SAFETY.md H45): the loader, who imports,
//! previews as the import files people (by NHS number and by a council's own id),
//! nothing of the file is written until it is applied, and the preview's "new" count
//! is the import's. A coordinator's preview reads through their views: a person they
//! have no relationship with, named only by a council id, reads as new (the residual
//! H45 names), but their import is refused: only the loader imports. Skipped without a server (a failure under `JOINEDUP_TEST_POSTGRES=1`).

mod common;

use common::server_team::{MARGARET, MORGAN, Team, at};
use joinedup::domain::import_preview::Filing;

/// Margaret by NHS number, Harold Bennett by the council's id only (another team's
/// person), the restricted Lisa Morgan, and someone new.
const FILE: &str = r#"{"format": "joinedup-bundle", "version": 1, "people": [
  {"nhs_number": "9990000018", "source": "Westmere Council Adult Social Care", "given_name": "Margaret",
   "family_name": "Okafor", "episodes": []},
  {"local_ids": [{"source": "Westmere Council Adult Social Care", "id": "ASC-100512"}],
   "source": "Westmere Council Adult Social Care", "given_name": "Harold", "family_name": "Bennett",
   "episodes": [{"ref": "S-1", "kind": "social_care_review", "title": "Review", "start": "2026-11-20T10:00"}]},
  {"nhs_number": "9990000093", "source": "Westmere Council Adult Social Care", "given_name": "Lisa",
   "family_name": "Morgan", "episodes": []},
  {"nhs_number": "9990001014", "source": "Westmere Council Adult Social Care", "given_name": "Ada",
   "family_name": "Test", "episodes": []}]}"#;

fn people(team: &Team) -> i64 {
    team.owner_sql()
        .query_one("SELECT count(*) FROM person", &[])
        .unwrap()
        .get(0)
}

#[test]
fn the_loader_previews_as_the_import_files_and_writes_nothing_first() {
    let Some(mut team) = Team::new("import_preview_server") else {
        return;
    };
    let before = people(&team);
    let mut lou = team.service("lou");
    let parsed = joinedup::import::parse_bytes("council.json", FILE.as_bytes(), lou.import_options()).unwrap();
    assert!(parsed.rejections.is_empty(), "{:?}", parsed.rejections);
    let preview = lou.preview_import(&parsed.batch, at(9, 0)).unwrap();
    assert_eq!(people(&team), before, "the preview writes no one");
    let filing: Vec<(&str, Filing, bool)> = preview
        .people
        .iter()
        .map(|p| (p.name.as_str(), p.filing, p.is_restricted))
        .collect();
    assert_eq!(
        filing,
        [
            ("OKAFOR, Margaret", Filing::Existing { agrees: true }, false),
            ("BENNETT, Harold", Filing::Existing { agrees: true }, false),
            ("MORGAN, Lisa", Filing::Existing { agrees: true }, true),
            ("TEST, Ada", Filing::New, false),
        ]
    );
    let summary = lou.apply_batch(&parsed.batch, at(9, 1), &mut |_, _| true).unwrap();
    assert_eq!(
        summary.people_added,
        preview.new_people(),
        "the preview's new are the import's"
    );
    assert_eq!(people(&team), before + 1);

    // A coordinator previews through their views: Bennett, another team's person
    // named only by the council's id, is not found there.
    let mut anna = team.service("anna");
    let preview = anna.preview_import(&parsed.batch, at(9, 2)).unwrap();
    let bennett = &preview.people[1];
    assert_eq!(bennett.filing, Filing::New, "the residual of SAFETY.md H45");
    let by_nhs: Vec<Filing> = [MARGARET, MORGAN]
        .iter()
        .map(|n| {
            preview
                .people
                .iter()
                .find(|p| p.nhs_number.is_some_and(|x| x.digits() == *n))
                .unwrap()
                .filing
        })
        .collect();
    assert_eq!(by_nhs, [Filing::Existing { agrees: true }; 2]);
    // And no preview of theirs goes before a write: on a server only the loader imports.
    assert!(anna.apply_batch(&parsed.batch, at(9, 3), &mut |_, _| true).is_err());
    assert_eq!(people(&team), before + 1);
}
