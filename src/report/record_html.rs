//! A person's record as an HTML page that prints on A4: who they are and their
//! flags, the cross-sector findings, the current care plans, and every item in date
//! order with where it came from. Restricted items print as placeholders (the lane
//! and the date, never the detail) unless the record was revealed with a reason; a
//! sealed record (a restricted person) prints without its findings and plans too.

use chrono::NaiveDate;

use crate::domain::PersonRecord;
use crate::domain::care_plan_rules::current_plans;
use crate::domain::dates::{fmt_date, fmt_date_time};
use crate::domain::discharge;
use crate::domain::findings::Finding;
use crate::report::{esc, page};

/// The printable page. `revealed`: the user gave a reason to see restricted items.
pub fn record_html(
    record: &PersonRecord,
    findings: &[Finding],
    revealed: bool,
    printed_on: NaiveDate,
    watermark: Option<&str>,
) -> String {
    let p = &record.person;
    let d = &p.demographics;
    let sealed = p.is_restricted && !revealed;
    let mut body = String::new();
    let address = [d.address.as_deref(), d.postcode.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    let not_recorded = |v: Option<&str>| esc(v.filter(|x| !x.is_empty()).unwrap_or("not recorded"));
    body.push_str(&format!(
        "<table>\n<tr><th>NHS number</th><td>{}</td><th>Date of birth</th><td>{}</td></tr>\n\
         <tr><th>Address</th><td colspan=\"3\">{}</td></tr>\n\
         <tr><th>GP</th><td>{}</td><th>Social worker</th><td>{}</td></tr>\n</table>\n",
        p.nhs_number
            .map(|n| n.to_string())
            .unwrap_or_else(|| "not known".into()),
        d.date_of_birth.map(fmt_date).unwrap_or_else(|| "not recorded".into()),
        not_recorded(Some(&address)),
        not_recorded(d.gp_practice.as_deref()),
        not_recorded(d.allocated_worker.as_deref()),
    ));
    for alert in &p.alerts {
        body.push_str(&format!("<div class=\"flag\">Alert: {}</div>\n", esc(alert)));
    }
    if p.is_restricted {
        body.push_str("<div class=\"flag\">Restricted record</div>\n");
    }
    for c in p.conflicts() {
        let values: Vec<String> = c.values.iter().map(|(s, v)| format!("{v} ({s})")).collect();
        body.push_str(&format!(
            "<div class=\"flag\">Sources disagree on {}: {}</div>\n",
            esc(c.field),
            esc(&values.join(" vs "))
        ));
    }

    body.push_str("<h2>Cross-sector findings</h2>\n");
    if sealed {
        body.push_str("<p class=\"note\">Not printed: this is a restricted record.</p>\n");
    } else if findings.is_empty() {
        body.push_str("<p>None.</p>\n");
    } else {
        body.push_str("<table>\n<tr><th>Date</th><th>Finding</th><th>Why</th></tr>\n");
        for f in findings {
            body.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                fmt_date(f.date),
                esc(f.kind.label()),
                esc(&f.reason)
            ));
        }
        body.push_str("</table>\n");
    }

    // A current hospital stay: where, since when, and what holds the discharge.
    for spell in record.spells.iter().filter(|sp| discharge::is_current(sp, printed_on)) {
        let hidden = record
            .episodes
            .iter()
            .find(|e| e.id == spell.episode_id)
            .is_none_or(|e| !revealed && record.is_restricted_item(e));
        if hidden {
            continue;
        }
        body.push_str("<h2>In hospital now</h2>\n<table>\n");
        let ward = spell.ward.as_deref().map(|w| format!(", {w}")).unwrap_or_default();
        body.push_str(&format!(
            "<tr><th>Where</th><td>{}</td><th>Admitted</th><td>{} ({} days)</td></tr>\n",
            esc(&format!("{}{ward}", spell.hospital)),
            spell
                .admitted
                .map(fmt_date_time)
                .unwrap_or_else(|| "not recorded".into()),
            discharge::length_of_stay(spell, printed_on).unwrap_or(0)
        ));
        let ready = match (
            discharge::discharge_ready_date(spell, printed_on),
            discharge::days_delayed(spell, printed_on),
        ) {
            (Some(drd), Some(d)) if d > 0 => format!("{} ({d} days delayed)", fmt_date(drd)),
            (Some(drd), _) => fmt_date(drd),
            (None, _) => "still meets the criteria to reside".into(),
        };
        body.push_str(&format!(
            "<tr><th>Discharge ready</th><td>{ready}</td><th>Pathway</th><td>{}</td></tr>\n",
            spell.pathway.map(|p| p.to_string()).unwrap_or_else(|| "not set".into())
        ));
        for r in discharge::current_reasons(&spell.delay_reasons, printed_on) {
            body.push_str(&format!(
                "<tr><th>Delay ({})</th><td colspan=\"3\">{} since {}</td></tr>\n",
                esc(r.attribution.label()),
                esc(&r.description),
                fmt_date(r.since)
            ));
        }
        if let Some(next) = &spell.next_action {
            body.push_str(&format!(
                "<tr><th>Next action</th><td colspan=\"3\">{}{}</td></tr>\n",
                esc(next),
                spell
                    .next_action_owner
                    .as_deref()
                    .map(|o| format!(" ({})", esc(o)))
                    .unwrap_or_default()
            ));
        }
        body.push_str("</table>\n");
    }

    body.push_str("<h2>Current care plans</h2>\n");
    let plans = current_plans(&record.care_plans);
    if sealed && !plans.is_empty() {
        body.push_str("<p class=\"note\">Not printed: this is a restricted record.</p>\n");
    } else if plans.is_empty() {
        body.push_str("<p>None from either sector.</p>\n");
    } else {
        body.push_str("<table>\n<tr><th>Plan</th><th>Owner</th><th>Version</th><th>Next review</th></tr>\n");
        for plan in plans {
            body.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{} ({})</td><td>{}</td></tr>\n",
                esc(&plan.title),
                esc(&plan.owner),
                esc(&plan.version_line()),
                esc(&plan.status),
                match plan.next_review {
                    Some(d) if d < printed_on => format!("{} (overdue)", fmt_date(d)),
                    Some(d) => fmt_date(d),
                    None => "not set".into(),
                }
            ));
        }
        body.push_str("</table>\n");
    }

    body.push_str(&format!("<h2>Timeline ({} items)</h2>\n", record.episodes.len()));
    body.push_str(
        "<table>\n<tr><th>When</th><th>Lane</th><th>Item</th><th>Status</th><th>Organisation</th><th>Source</th></tr>\n",
    );
    let mut hidden = 0;
    for e in &record.episodes {
        let when = match e.end.filter(|end| *end > e.start) {
            Some(end) => format!("{} to {}", fmt_date_time(e.start), fmt_date_time(end)),
            None => fmt_date_time(e.start),
        };
        if !revealed && record.is_restricted_item(e) {
            hidden += 1;
            body.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td class=\"restricted\" colspan=\"4\">Restricted item</td></tr>\n",
                fmt_date(e.start.date()),
                esc(e.kind.lane().label())
            ));
            continue;
        }
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            when,
            esc(e.kind.lane().label()),
            esc(&e.title),
            esc(e.status.code()),
            esc(e.organisation.as_deref().unwrap_or("")),
            esc(&e.provenance.source)
        ));
    }
    body.push_str("</table>\n");
    let held_back = if hidden > 0 {
        format!("{hidden} restricted item(s) shown only by lane and date; a reason is needed to see them. ")
    } else if revealed && record.restricted_count() > 0 {
        "Restricted items are included: a reason was given and is in the audit log. ".to_owned()
    } else {
        String::new()
    };
    body.push_str(&format!(
        "<p class=\"note\">{held_back}Printed {} from the Joined-Up Care Record.</p>\n",
        fmt_date(printed_on)
    ));
    page(&format!("Care record: {}", p.display_name()), &body, watermark)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_support::{episode, person};
    use crate::domain::{EpisodeKind, Sensitivity};

    fn record(restricted: bool) -> PersonRecord {
        let mut p = person();
        p.demographics.family_name = "O'Neill <b>".into();
        p.demographics.given_name = "Ann".into();
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

    #[test]
    fn restricted_items_print_as_placeholders_unless_revealed() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let html = record_html(&record(false), &[], false, today, Some("TRAINING"));
        assert!(html.contains("<h1>Care record: O'NEILL &lt;B&gt;, Ann</h1>"), "{html}");
        assert!(html.contains("Review of falls"));
        assert!(!html.contains("Sexual health"), "neither title nor organisation");
        assert!(html.contains("Restricted item"));
        assert!(html.contains("1 restricted item(s) shown only by lane and date"));
        assert!(html.contains("class=\"watermark\">TRAINING"));

        // A current stay prints where, since when and what holds the discharge.
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
        let stay_html = record_html(&with_stay, &[], false, today, None);
        assert!(stay_html.contains("<h2>In hospital now</h2>"), "{stay_html}");
        assert!(stay_html.contains("Northgate General Hospital, Elm Ward"));
        assert!(stay_html.contains("12-Nov-2026 (10 days delayed)"), "{stay_html}");

        let shown = record_html(&record(false), &[], true, today, None);
        assert!(shown.contains("Sexual health clinic"));
        assert!(shown.contains("a reason was given"));
        assert!(!shown.contains("watermark\">"));

        let sealed = record_html(&record(true), &[], false, today, None);
        assert!(!sealed.contains("Review of falls"));
        assert!(sealed.contains("2 restricted item(s)"));
        assert!(sealed.contains("Not printed: this is a restricted record."));
    }
}
