//! The sitrep as JSON (the shape the README documents for testers), CSV (one row
//! per site and the total) and text. Made from a disclosed [`Sitrep`] only.

use serde_json::{Map, Value, json};

use super::Figure;
use super::sitrep::{LOS_THRESHOLDS, SiteFigures, Sitrep};
use crate::domain::dates::fmt_date;

fn people(f: &Figure) -> Value {
    serde_json::to_value(&f.people).unwrap_or(Value::Null)
}

/// One site (or the total) as JSON: counts as the issue gives them, and under
/// `people` the people behind each count.
fn site_json(s: &SiteFigures, with_name: bool) -> Value {
    let mut o = Map::new();
    if with_name {
        o.insert("hospital".into(), s.hospital.clone().into());
    }
    o.insert("in_hospital".into(), s.in_hospital.count().into());
    o.insert(
        "no_longer_meet_criteria".into(),
        s.no_longer_meet_criteria.count().into(),
    );
    o.insert("discharged_today".into(), s.discharged_today.count().into());
    o.insert(
        "remaining_no_longer_meet".into(),
        s.remaining_no_longer_meet.count().into(),
    );
    let pathways: Map<String, Value> = (0..4)
        .map(|p| (p.to_string(), s.discharges_by_pathway[p].count().into()))
        .collect();
    o.insert("discharges_by_pathway".into(), pathways.into());
    for (t, f) in LOS_THRESHOLDS.iter().zip(&s.los_plus) {
        o.insert(format!("los_{t}_plus"), f.count().into());
    }
    let bands: Map<String, Value> = s
        .delay_bands
        .iter()
        .map(|(b, f)| (b.label().to_owned(), f.count().into()))
        .collect();
    o.insert("delay_bands".into(), bands.into());
    let reasons: Vec<Value> = s
        .delay_reasons
        .iter()
        .map(|((c, a), f)| {
            json!({"category": c.label(), "attribution": a.code(), "count": f.count(), "people": people(f)})
        })
        .collect();
    o.insert("delay_reasons".into(), reasons.into());
    let mut links = Map::new();
    for (name, f) in s.named_figures() {
        links.insert(name, people(f));
    }
    links.insert(
        "discharges_pathway_not_set".into(),
        people(&s.discharges_pathway_not_set),
    );
    o.insert("people".into(), links.into());
    o.into()
}

/// `{"date", "sites": [...], "total": {...}}`.
pub fn sitrep_json(r: &Sitrep) -> Value {
    json!({
        "date": r.date.to_string(),
        "sites": r.sites.iter().map(|s| site_json(s, true)).collect::<Vec<_>>(),
        "total": site_json(&r.total, false),
    })
}

/// The CSV header: the date, the site, then every count.
fn csv_header(r: &Sitrep) -> Vec<String> {
    let mut h = vec!["date".to_owned(), "hospital".to_owned()];
    h.extend(r.total.named_figures().into_iter().map(|(n, _)| n));
    h
}

/// One row per site, then the total; counts only (the people are in the JSON and
/// the window).
pub fn sitrep_csv(r: &Sitrep) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(csv_header(r));
    for s in r.sites.iter().chain(std::iter::once(&r.total)) {
        let mut row = vec![r.date.to_string(), s.hospital.clone()];
        row.extend(s.named_figures().into_iter().map(|(_, f)| f.count().to_string()));
        let _ = w.write_record(row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The sitrep as plain text, one block per site.
pub fn sitrep_text(r: &Sitrep) -> String {
    let mut out = format!("Discharge situation report for {}\n", fmt_date(r.date));
    for s in r.sites.iter().chain(std::iter::once(&r.total)) {
        out.push_str(&format!("\n{}\n", s.hospital));
        for (name, f) in s.named_figures() {
            out.push_str(&format!("  {:<28} {}\n", name, f.count()));
        }
        for ((c, a), f) in &s.delay_reasons {
            out.push_str(&format!(
                "  delay reason: {} ({}): {}\n",
                c.label(),
                a.label(),
                f.count()
            ));
        }
    }
    out
}
