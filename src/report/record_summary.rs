//! A person's record as a printable document: who they are and their flags, the
//! cross-sector findings, a current hospital stay, the current care plans, and every
//! item in date order with where it came from. Made from the record as the service
//! disclosed it: restricted items print as placeholders (the lane and the date,
//! never the detail) unless the record was revealed with a reason; a sealed record
//! (a restricted person) prints without its findings and plans too.

use chrono::NaiveDate;

use super::document::{Cell, Document, Identity, Imprint, Style, Table};
use crate::domain::PersonRecord;
use crate::domain::care_plan_rules::current_plans;
use crate::domain::dates::{fmt_date, fmt_date_time};
use crate::domain::discharge;
use crate::domain::findings::Finding;

/// The record summary. `revealed`: the user gave a reason to see restricted items;
/// `left_out`: restricted items the disclosure policy already took out of `record`.
pub fn record_summary(
    record: &PersonRecord,
    findings: &[Finding],
    revealed: bool,
    left_out: usize,
    printed_on: NaiveDate,
    imprint: Imprint,
) -> Document {
    let p = &record.person;
    let mut doc = Document {
        title: "Care record summary".into(),
        identity: Identity::of(p),
        imprint,
        blocks: Vec::new(),
    };
    let sealed = p.is_restricted && !revealed;
    who(&mut doc, record, sealed);
    doc.heading("Cross-sector findings");
    if sealed {
        doc.paragraph(Style::Muted, "Not printed: this is a restricted record.");
    } else if findings.is_empty() {
        doc.paragraph(Style::Body, "None.");
    } else {
        let mut t = Table::new(&[("Date", 1.0), ("Finding", 2.0), ("Why", 4.0)]);
        for f in findings {
            t.row([fmt_date(f.date), f.kind.label().to_owned(), f.reason.clone()]);
        }
        doc.table(t);
    }
    hospital_stays(&mut doc, record, revealed, printed_on);
    care_plans(&mut doc, record, sealed, left_out, printed_on);
    timeline(&mut doc, record, revealed, left_out);
    if left_out > 0 {
        doc.paragraph(
            Style::Muted,
            format!("{left_out} restricted item(s) left out: a reason is needed to include them."),
        );
    }
    doc
}

/// Identity, address, GP and worker, alerts and disagreements. A sealed record's
/// contact details were held back: they print as such, not as "not recorded".
fn who(doc: &mut Document, record: &PersonRecord, sealed: bool) {
    let p = &record.person;
    let d = &p.demographics;
    let missing = if sealed {
        "not shown (restricted record)"
    } else {
        "not recorded"
    };
    let or_not = |v: Option<&str>| v.filter(|x| !x.is_empty()).unwrap_or(missing).to_owned();
    let address = [d.address.as_deref(), d.postcode.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    let mut t = Table::fields(&[1.0, 2.0, 1.0, 2.0]);
    t.rows.push(vec![
        Cell::label("Name"),
        Cell::body(p.display_name()),
        Cell::label("NHS number"),
        Cell::body(p.nhs_number.map_or_else(|| "not known".into(), |n| n.to_string())),
    ]);
    t.rows.push(vec![
        Cell::label("Date of birth"),
        Cell::body(d.date_of_birth.map_or_else(|| "not recorded".into(), fmt_date)),
        Cell::label("Address"),
        Cell::body(or_not(Some(&address))),
    ]);
    t.rows.push(vec![
        Cell::label("GP"),
        Cell::body(or_not(d.gp_practice.as_deref())),
        Cell::label("Social worker"),
        Cell::body(or_not(d.allocated_worker.as_deref())),
    ]);
    doc.table(t);
    for alert in &p.alerts {
        doc.paragraph(Style::Alert, format!("Alert: {alert}"));
    }
    if p.is_restricted {
        doc.paragraph(Style::Alert, "Restricted record");
    }
    for c in p.conflicts() {
        let values: Vec<String> = c.values.iter().map(|(s, v)| format!("{v} ({s})")).collect();
        doc.paragraph(
            Style::Alert,
            format!("Sources disagree on {}: {}", c.field, values.join(" vs ")),
        );
    }
}

/// A current hospital stay: where, since when, and what holds the discharge.
fn hospital_stays(doc: &mut Document, record: &PersonRecord, revealed: bool, printed_on: NaiveDate) {
    for spell in record.spells.iter().filter(|sp| discharge::is_current(sp, printed_on)) {
        let hidden = record
            .episodes
            .iter()
            .find(|e| e.id == spell.episode_id)
            .is_none_or(|e| !revealed && record.is_restricted_item(e));
        if hidden {
            continue;
        }
        doc.heading("In hospital now");
        let mut t = Table::fields(&[1.2, 2.0, 1.0, 1.8]);
        let ward = spell.ward.as_deref().map(|w| format!(", {w}")).unwrap_or_default();
        let admitted = spell.admitted.map_or_else(|| "not recorded".into(), fmt_date_time);
        let days = discharge::length_of_stay(spell, printed_on).unwrap_or(0);
        t.rows.push(vec![
            Cell::label("Where"),
            Cell::body(format!("{}{ward}", spell.hospital)),
            Cell::label("Admitted"),
            Cell::body(format!("{admitted} ({days} days)")),
        ]);
        let ready = match (
            discharge::discharge_ready_date(spell, printed_on),
            discharge::days_delayed(spell, printed_on),
        ) {
            (Some(drd), Some(d)) if d > 0 => format!("{} ({d} days delayed)", fmt_date(drd)),
            (Some(drd), _) => fmt_date(drd),
            (None, _) => "still meets the criteria to reside".into(),
        };
        t.rows.push(vec![
            Cell::label("Discharge ready"),
            Cell::body(ready),
            Cell::label("Pathway"),
            Cell::body(spell.pathway.map_or_else(|| "not set".into(), |p| p.to_string())),
        ]);
        for r in discharge::current_reasons(&spell.delay_reasons, printed_on) {
            t.rows.push(vec![
                Cell::label(format!("Delay ({})", r.attribution.label())),
                Cell::body(format!("{} since {}", r.description, fmt_date(r.since))).spanning(3),
            ]);
        }
        if let Some(next) = &spell.next_action {
            let owner = spell
                .next_action_owner
                .as_deref()
                .map(|o| format!(" ({o})"))
                .unwrap_or_default();
            t.rows.push(vec![
                Cell::label("Next action"),
                Cell::body(format!("{next}{owner}")).spanning(3),
            ]);
        }
        doc.table(t);
    }
}

/// A restricted record's plans are not printed; where restricted items or plans were
/// left out, "none" is never said plainly (hostile review: a restricted person's
/// print read "None from either sector").
fn care_plans(doc: &mut Document, record: &PersonRecord, sealed: bool, left_out: usize, printed_on: NaiveDate) {
    doc.heading("Current care plans");
    let plans = current_plans(&record.care_plans);
    if sealed {
        doc.paragraph(Style::Muted, "Not printed: this is a restricted record.");
    } else if plans.is_empty() && left_out > 0 {
        doc.paragraph(
            Style::Muted,
            format!("None shown: {left_out} restricted item(s) or plan(s) are left out (a reason is needed)."),
        );
    } else if plans.is_empty() {
        doc.paragraph(Style::Body, "None from either sector.");
    } else {
        let mut t = Table::new(&[("Plan", 2.6), ("Owner", 1.6), ("Version", 2.6), ("Next review", 1.3)]);
        for plan in plans {
            let review = match plan.next_review {
                Some(d) if d < printed_on => format!("{} (overdue)", fmt_date(d)),
                Some(d) => fmt_date(d),
                None => "not set".into(),
            };
            t.row([
                plan.title.clone(),
                plan.owner.clone(),
                // Which version, when and by whom it was recorded, as the source says.
                format!("{} ({})", plan.version_line(), plan.status),
                review,
            ]);
        }
        doc.table(t);
    }
}

/// Every item in date order; a restricted one, unless revealed, by lane and date.
fn timeline(doc: &mut Document, record: &PersonRecord, revealed: bool, left_out: usize) {
    doc.heading(match left_out {
        0 => format!("Timeline ({} items)", record.episodes.len()),
        n => format!(
            "Timeline ({} items shown; {n} restricted left out)",
            record.episodes.len()
        ),
    });
    let mut t = Table::new(&[
        ("When", 1.6),
        ("Lane", 1.2),
        ("Item", 2.6),
        ("Status", 1.0),
        ("Organisation", 1.6),
        ("Source", 1.2),
    ]);
    let mut hidden = 0;
    for e in &record.episodes {
        if !revealed && record.is_restricted_item(e) {
            hidden += 1;
            t.rows.push(vec![
                Cell::body(fmt_date(e.start.date())),
                Cell::body(e.kind.lane().label()),
                Cell::new(Style::Muted, "Restricted item").spanning(4),
            ]);
            continue;
        }
        let when = match e.end.filter(|end| *end > e.start) {
            Some(end) => format!("{} to {}", fmt_date_time(e.start), fmt_date_time(end)),
            None => fmt_date_time(e.start),
        };
        t.row([
            when,
            e.kind.lane().label().to_owned(),
            e.title.clone(),
            e.status.code().to_owned(),
            e.organisation.clone().unwrap_or_default(),
            e.provenance.source.clone(),
        ]);
    }
    doc.table(t);
    if hidden > 0 {
        doc.paragraph(
            Style::Muted,
            format!("{hidden} restricted item(s) shown only by lane and date; a reason is needed to see them."),
        );
    } else if revealed && record.restricted_count() > 0 {
        doc.paragraph(
            Style::Muted,
            "Restricted items are included: a reason was given and is in the audit log.",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_support::{episode, person};
    use crate::domain::{EpisodeKind, Sensitivity};
    use crate::report::layout::lay_out;

    fn record(restricted: bool) -> PersonRecord {
        let mut p = person();
        p.demographics.family_name = "Ní Bhriain".into();
        p.demographics.given_name = "Zoë".into();
        p.is_restricted = restricted;
        let mut r = PersonRecord::new(p);
        let mut gp = episode(EpisodeKind::GpEncounter, "2026-01-05T09:00", None);
        gp.title = "Review of falls".into();
        let mut clinic = episode(EpisodeKind::Outpatient, "2026-02-05T09:00", None);
        clinic.title = "Sexual health clinic".into();
        clinic.organisation = Some("Westmere Sexual Health Service".into());
        clinic.sensitivity = Sensitivity::SexualHealth;
        r.episodes = vec![gp, clinic];
        r
    }

    fn imprint(watermark: Option<&str>) -> Imprint {
        Imprint {
            printed_by: "anna".into(),
            printed_at: crate::domain::dates::parse_date_time("2026-11-22T14:30").unwrap(),
            watermark: watermark.map(str::to_owned),
        }
    }

    fn text(doc: &Document) -> String {
        lay_out(doc)
            .pages
            .iter()
            .flat_map(|p| p.texts().map(str::to_owned).collect::<Vec<_>>())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn restricted_items_print_as_placeholders_unless_revealed() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let shown = text(&record_summary(
            &record(false),
            &[],
            false,
            0,
            today,
            imprint(Some("TRAINING")),
        ));
        assert!(shown.contains("NÍ BHRIAIN, Zoë"), "{shown}");
        assert!(shown.contains("Review of falls"));
        assert!(!shown.contains("Sexual health"), "neither title nor organisation");
        assert!(shown.contains("Restricted item"));
        assert!(shown.contains("1 restricted item(s) shown only by lane and date"));
        assert!(shown.contains("TRAINING"));
        assert!(shown.contains("Printed by anna on 22-Nov-2026 14:30"));

        let revealed = text(&record_summary(&record(false), &[], true, 0, today, imprint(None)));
        assert!(revealed.contains("Sexual health clinic"));
        assert!(revealed.contains("a reason was given"));
        assert!(!revealed.contains("TRAINING"));

        let sealed = text(&record_summary(&record(true), &[], false, 0, today, imprint(None)));
        let (kept, left_out) = crate::domain::disclosure::without_restricted(&record(false));
        let kept = text(&record_summary(&kept, &[], false, left_out, today, imprint(None)));
        assert!(!kept.contains("Sexual health"));
        assert!(kept.contains("1 restricted item(s) left out"), "{kept}");
        // Never a plain "0 items" or "none" where restricted items were left out.
        assert!(kept.contains("items shown; 1 restricted left out)"), "{kept}");
        assert!(!sealed.contains("Review of falls"));
        assert!(sealed.contains("2 restricted item(s)"));
        assert!(sealed.contains("Not printed: this is a restricted record."));
        let (held, left_out) = crate::domain::disclosure::without_restricted(&record(true));
        let held = text(&record_summary(&held, &[], false, left_out, today, imprint(None)));
        assert!(!held.contains("None from either sector"), "{held}");
        assert!(!held.contains("(0 items)"), "{held}");
        assert_eq!(
            held.matches("not shown (restricted record)").count(),
            3,
            "address, GP, worker: {held}"
        );
    }

    #[test]
    fn a_current_stay_prints_where_since_when_and_the_delay() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let mut with_stay = record(false);
        let mut stay = episode(EpisodeKind::InpatientSpell, "2026-11-01T10:00", None);
        stay.id = 7;
        with_stay.episodes.push(stay);
        with_stay.spells.push(crate::domain::HospitalSpell {
            episode_id: 7,
            hospital: "Northgate General Hospital".into(),
            ward: Some("Elm Ward".into()),
            admitted: crate::domain::dates::parse_date_time("2026-11-01T10:00"),
            meets_criteria_to_reside: Some(false),
            discharge_ready_date: NaiveDate::from_ymd_opt(2026, 11, 12),
            pathway: Some(1),
            ..Default::default()
        });
        let shown = text(&record_summary(&with_stay, &[], false, 0, today, imprint(None)));
        assert!(shown.contains("In hospital now"), "{shown}");
        assert!(shown.contains("Northgate General Hospital, Elm Ward"));
        assert!(shown.contains("12-Nov-2026 (10 days delayed)"), "{shown}");
    }
}
