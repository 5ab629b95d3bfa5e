//! Returns from the record (issue 18): the sitrep's figures against small cases
//! computed by hand, on both engines; the CLD return's round trip on generated data;
//! one test per CLD validation rule.

use chrono::{NaiveDate, NaiveDateTime};
use joinedup::domain::discharge::DelayBand;
use joinedup::domain::governance::{Actor, Role};
use joinedup::domain::hospital::Attribution;
use joinedup::domain::returns::ReasonCategory;
use joinedup::domain::returns::cld::{CLD_R1_COLUMNS, column};
use joinedup::domain::returns::cld_rules::{CldRule, validate};
use joinedup::domain::returns::sitrep::SiteFigures;
use joinedup::domain::returns::sitrep_export::sitrep_json;
use joinedup::service::Service;
use joinedup::store::{ScratchDatabase, Store};

/// A test on a service over a fresh store, on SQLite and on a scratch PostgreSQL
/// database (skipped when no server answers, unless `JOINEDUP_TEST_POSTGRES=1`).
macro_rules! on_both_engines {
    (fn $name:ident($s:ident) $body:block) => {
        mod $name {
            use super::*;

            fn body(mut $s: Service) $body

            #[test]
            fn sqlite() {
                body(service(Store::open_in_memory().unwrap()))
            }

            #[test]
            fn postgres() {
                if let Some(db) = ScratchDatabase::create(stringify!($name)) {
                    body(service(db.open().unwrap()))
                }
            }
        }
    };
}

fn service(store: Store) -> Service {
    let actor = Actor {
        user: "jsmith".into(),
        role: Some(Role::CareCoordinator),
    };
    Service::new(store, actor, false).unwrap()
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn now() -> NaiveDateTime {
    day().and_hms_opt(18, 0, 0).unwrap()
}

const NG: &str = "Northgate General Hospital";
const SF: &str = "Southfield Hospital";

/// Seven people around 22 Nov 2026 (see each person's comment for what they count in).
const BUNDLE: &str = r#"{"format": "joinedup-bundle", "version": 1, "people": [
 {"nhs_number": "9990005001", "source": "PAS", "given_name": "Ann", "family_name": "Able", "date_of_birth": "1940-01-01",
  "episodes": [{"ref": "S1", "kind": "inpatient_spell", "title": "Stay", "start": "2026-11-01T10:00",
   "spell": {"hospital": "Northgate General Hospital", "meets_criteria_to_reside": false,
    "discharge_ready_date": "2026-11-12", "pathway": 1, "delay_reasons": [
     {"code": "E", "description": "Awaiting care package in own home", "attribution": "social_care", "since": "2026-11-12"},
     {"code": "", "description": "Awaiting therapy review", "attribution": "nhs", "since": "2026-11-20"}]}}]},
 {"nhs_number": "9990005028", "source": "PAS", "given_name": "Bob", "family_name": "Baker", "date_of_birth": "1950-01-01",
  "episodes": [{"ref": "S2", "kind": "inpatient_spell", "title": "Stay", "start": "2026-11-18T10:00", "end": "2026-11-22T14:00",
   "spell": {"hospital": "Northgate General Hospital", "meets_criteria_to_reside": false,
    "discharge_ready_date": "2026-11-20", "pathway": 2, "delay_reasons": [
     {"code": "C", "description": "Awaiting community bed", "attribution": "nhs", "since": "2026-11-20"}]}}]},
 {"nhs_number": "9990005036", "source": "PAS", "given_name": "Cara", "family_name": "Cole", "date_of_birth": "1960-01-01",
  "episodes": [{"ref": "S3", "kind": "inpatient_spell", "title": "Stay", "start": "2026-11-10T10:00",
   "spell": {"hospital": "Northgate General Hospital"}}]},
 {"nhs_number": "9990005044", "source": "PAS", "given_name": "Dan", "family_name": "Dark", "date_of_birth": "1945-01-01",
  "restricted": true,
  "episodes": [{"ref": "S4", "kind": "inpatient_spell", "title": "Stay", "start": "2026-11-14T10:00",
   "spell": {"hospital": "Southfield Hospital", "meets_criteria_to_reside": false,
    "discharge_ready_date": "2026-11-21", "pathway": 3}}]},
 {"nhs_number": "9990005060", "source": "PAS", "given_name": "Fay", "family_name": "Child", "date_of_birth": "2015-01-01",
  "episodes": [{"ref": "S6", "kind": "inpatient_spell", "title": "Stay", "start": "2026-11-20T10:00",
   "spell": {"hospital": "Northgate General Hospital", "meets_criteria_to_reside": false, "discharge_ready_date": "2026-11-21"}}]},
 {"nhs_number": "9990005079", "source": "PAS", "given_name": "Gil", "family_name": "Gone", "date_of_birth": "1950-01-01",
  "episodes": [{"ref": "S7", "kind": "inpatient_spell", "title": "Stay", "start": "2026-11-01T10:00", "end": "2026-11-21T12:00",
   "spell": {"hospital": "Northgate General Hospital", "meets_criteria_to_reside": false,
    "discharge_ready_date": "2026-11-15", "pathway": 1}}]}
]}"#;

/// A spell of two consultant episodes (one spell, counted once), discharged on
/// the report day, on its discharge ready date, pathway 0.
const TWO_EPISODES: &str = "nhs_number,patient_id,spell_id,episode_id,hospital,ward,admission_date,admission_method,admission_source,discharge_date,discharge_method,discharge_destination,criteria_to_reside,criteria_to_reside_code,discharge_ready_date,pathway,delay_reasons,delay_attributions,next_action
9990005052,NG-5,SP-5,EP-1,Northgate General Hospital,Acute Medical Unit,2026-11-15T10:00,21,19,,,,yes,03,,,,,
9990005052,NG-5,SP-5,EP-2,Northgate General Hospital,Birch Ward,2026-11-15T10:00,21,19,2026-11-22T11:00,1,19,no,,2026-11-22,0,,,
";

fn load(s: &mut Service) {
    for (name, text) in [("people.json", BUNDLE), ("spells.csv", TWO_EPISODES)] {
        let imported = s
            .import_bytes(name, text.as_bytes(), false, now(), &mut |_| true)
            .unwrap();
        assert!(imported.rejections.is_empty(), "{name}: {:?}", imported.rejections);
        assert!(imported.summary.is_some(), "{name} imported");
    }
}

fn names(f: &joinedup::domain::returns::Figure) -> Vec<String> {
    let mut v: Vec<String> = f.people.iter().map(|p| p.name.clone().unwrap_or_default()).collect();
    v.sort();
    v
}

fn site<'a>(sites: &'a [SiteFigures], name: &str) -> &'a SiteFigures {
    sites.iter().find(|s| s.hospital == name).unwrap()
}

on_both_engines! {
    fn sitrep_figures_match_the_hand_computed_case(s) {
        load(&mut s);
        let r = s.sitrep(day(), None, now()).unwrap();
        assert_eq!(r.sites.len(), 2);
        let ng = site(&r.sites, NG);
        // Ann (in), Bob (discharged today), Cara (no DRD), Eve's two-episode spell
        // counted once; Fay is a child, Gil left yesterday.
        let shown = names(&ng.in_hospital);
        for n in ["ABLE, Ann", "BAKER, Bob", "COLE, Cara"] {
            assert!(shown.iter().any(|s| s == n), "{n} in {shown:?}");
        }
        assert_eq!(ng.in_hospital.count(), 4);
        assert_eq!(ng.no_longer_meet_criteria.count(), 3, "Ann, Bob, the two-episode spell; not Cara (no DRD)");
        assert_eq!(ng.discharged_today.count(), 2, "Bob and the two-episode spell");
        assert_eq!(names(&ng.remaining_no_longer_meet), ["ABLE, Ann"]);
        let pathways: Vec<usize> = ng.discharges_by_pathway.iter().map(|f| f.count()).collect();
        assert_eq!(pathways, [1, 0, 1, 0], "the two-episode spell on P0, Bob on P2");
        let los: Vec<usize> = ng.los_plus.iter().map(|f| f.count()).collect();
        assert_eq!(los, [3, 1, 1], "7+: Ann 21, Cara 12, two-episode 7; 14+ and 21+: Ann");
        let band = |b| ng.delay_bands[&b].count();
        assert_eq!((band(DelayBand::D0), band(DelayBand::D2To3), band(DelayBand::D7To13)), (1, 1, 1));
        assert_eq!(band(DelayBand::D1) + band(DelayBand::D4To6) + band(DelayBand::D14To20) + band(DelayBand::D21Plus), 0);
        let reason = |c, a| ng.delay_reasons.get(&(c, a)).map(names).unwrap_or_default();
        assert_eq!(reason(ReasonCategory::Capacity, Attribution::SocialCare), ["ABLE, Ann"]);
        assert_eq!(reason(ReasonCategory::HospitalProcess, Attribution::Nhs), ["ABLE, Ann"]);
        assert_eq!(reason(ReasonCategory::Capacity, Attribution::Nhs), ["BAKER, Bob"]);
        assert_eq!(ng.delay_reasons.len(), 3);
        let sf = site(&r.sites, SF);
        assert_eq!(sf.in_hospital.count(), 1);
        assert_eq!(sf.remaining_no_longer_meet.count(), 1);
        assert_eq!(sf.delay_bands[&DelayBand::D1].count(), 1, "ready 21 Nov, one day on");
        assert_eq!(sf.los_plus[0].count(), 1, "8 days");
        assert_eq!(r.total.in_hospital.count(), 5);
        assert_eq!(r.total.no_longer_meet_criteria.count(), 4);
        assert_eq!(r.total.discharged_today.count(), 2);
        assert_eq!(r.total.remaining_no_longer_meet.count(), 2);
    }
}

on_both_engines! {
    fn a_restricted_person_is_counted_and_masked(s) {
        load(&mut s);
        let r = s.sitrep(day(), Some("southfield hospital"), now()).unwrap();
        assert_eq!(r.sites.len(), 1, "one site asked for");
        let p = &r.sites[0].in_hospital.people[0];
        assert!(p.is_restricted);
        assert_eq!(p.name.as_deref(), Some("Restricted person"));
        assert_eq!(p.nhs_number, None);
        let json = sitrep_json(&r).to_string();
        assert!(!json.contains("Dark") && !json.contains("9990005044"), "{json}");
        assert_eq!(json_count(&json, "in_hospital"), 1);
        let audited: i64 = s
            .store()
            .connection()
            .query_row("SELECT count(*) FROM audit_event WHERE action = 'sitrep'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(audited, 1);
    }
}

fn json_count(json: &str, key: &str) -> u64 {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["total"][key].as_u64().unwrap()
}

on_both_engines! {
    fn trends_and_the_week_count_bed_days_by_attribution(s) {
        load(&mut s);
        let days = s.sitrep_trends(day(), 30, now()).unwrap();
        assert_eq!(days.len(), 30);
        let last = days.last().unwrap();
        assert_eq!(last.date, day());
        // Ann (10 days after DRD; latest reason NHS), Dan (1 day; no reason) delayed;
        // Bob discharged 2 days after his DRD (NHS); the two-episode spell on its DRD.
        assert_eq!(last.people_delayed.count(), 2);
        assert_eq!(last.bed_days_lost["nhs"].count(), 2, "Ann and Bob");
        assert_eq!(last.bed_days_lost["not_recorded"].count(), 1, "Dan");
        assert_eq!(last.discharged_with_drd.count(), 2);
        assert_eq!(last.on_drd_share(), Some(0.5));
        let week = s.sitrep_weekly(day(), None, now()).unwrap();
        assert_eq!(week.days.len(), 7);
        assert_eq!(week.discharges_by_pathway.iter().map(|f| f.count()).collect::<Vec<_>>(), [1, 1, 1, 0], "Gil P1 on 21 Nov");
    }
}

/// A valid CLD row: a closed request in the period.
fn valid_row() -> Vec<String> {
    let mut r = vec![String::new(); CLD_R1_COLUMNS.len()];
    for (c, v) in [
        ("Reporting Period Start Date", "2026-07-01"),
        ("Reporting Period End Date", "2026-09-30"),
        ("NHS Number", "9990005001"),
        ("LA Person Unique Identifier", "LA-1"),
        ("Event Type", "Request"),
        ("Event Reference", "R-1"),
        ("Event Start Date", "2026-07-02"),
        ("Event End Date", "2026-07-03"),
        ("Request: Route of Access", "Discharge from Hospital"),
        ("Event Outcome", "Progress to Assessment"),
    ] {
        r[column(c)] = v.into();
    }
    r
}

fn broken(field: &str, value: &str) -> Vec<(CldRule, String)> {
    let mut r = valid_row();
    r[column(field)] = value.into();
    validate(&[r]).into_iter().map(|p| (p.rule, p.field)).collect()
}

#[test]
fn a_valid_row_passes() {
    assert!(validate(&[valid_row()]).is_empty());
}

#[test]
fn rule_mandatory_fields() {
    assert_eq!(
        broken("LA Person Unique Identifier", ""),
        [(CldRule::Mandatory, "LA Person Unique Identifier".into())]
    );
    assert_eq!(
        broken("Request: Route of Access", ""),
        [(CldRule::Mandatory, "Request: Route of Access".into())]
    );
}

#[test]
fn rule_code_lists() {
    assert_eq!(
        broken("Request: Route of Access", "By carrier pigeon"),
        [(CldRule::CodeList, "Request: Route of Access".into())]
    );
    assert!(
        broken("Event Outcome", "NFA - Other").is_empty(),
        "punctuation normalised: NFA- Other"
    );
    assert_eq!(
        broken("NHS Number", "9990005002"),
        [(CldRule::CodeList, "NHS Number".into())]
    );
}

#[test]
fn rule_date_order() {
    assert_eq!(
        broken("Event End Date", "2026-07-01"),
        [(CldRule::DateOrder, "Event End Date".into())]
    );
    assert_eq!(
        broken("Event Start Date", "2026-10-01").first().map(|p| p.0),
        Some(CldRule::DateOrder)
    );
    assert_eq!(
        broken("Event End Date", ""),
        [(CldRule::DateOrder, "Event End Date".into())],
        "only a service may be open"
    );
}

/// The CLD return of a generated population re-imports into a fresh database as
/// the same social care events.
#[test]
fn cld_round_trip_on_generated_data() {
    let (from, to) = (
        NaiveDate::from_ymd_opt(2026, 7, 1).unwrap(),
        NaiveDate::from_ymd_opt(2026, 9, 30).unwrap(),
    );
    let mut first = service(Store::open_in_memory().unwrap());
    let numbers = joinedup::generate::nhs_numbers(7, 400).unwrap();
    let batch = joinedup::generate::chunk(7, day(), 0, &numbers);
    first.apply_batch(&batch, now(), &mut |_, _| true).unwrap();
    let (text, outcome) = first.cld_return(from, to, now()).unwrap();
    assert!(outcome.rows > 50, "{} rows", outcome.rows);
    let types: std::collections::BTreeSet<String> = csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap()[column("Event Type")].to_owned())
        .collect();
    assert!(
        types
            .iter()
            .all(|t| ["Request", "Assessment", "Service", "Review"].contains(&t.as_str())),
        "no NHS items: {types:?}"
    );
    let mut second = service(Store::open_in_memory().unwrap());
    let imported = second
        .import_bytes("cld.csv", text.as_bytes(), false, now(), &mut |_| true)
        .unwrap();
    assert!(
        imported.rejections.is_empty(),
        "{:?}",
        &imported.rejections[..imported.rejections.len().min(5)]
    );
    let (again, _) = second.cld_return(from, to, now()).unwrap();
    let events = |t: &str| {
        let mut rows: Vec<Vec<String>> = csv::Reader::from_reader(t.as_bytes())
            .records()
            .map(|r| {
                let r = r.unwrap();
                let mut v = vec![r[column("NHS Number")].to_owned()];
                v.extend(r.iter().skip(column("Event Type")).map(str::to_owned));
                v
            })
            .collect();
        rows.sort();
        rows
    };
    assert_eq!(events(&again), events(&text));
}
