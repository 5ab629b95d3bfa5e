//! A completed CHC Checklist or DST as a printable document: the person, the
//! domain grid with evidence notes, the rule outcome with its reason, the MDT
//! recommendation and the ICB decision as recorded.

use super::document::{Cell, Document, Identity, Imprint, Style, Table};
use crate::domain::Person;
use crate::domain::chc::{ChcAssessment, ChcAssessmentKind};
use crate::domain::chc_dst::DstLevel;
use crate::domain::chc_outcome::{rule_outcome, title};
use crate::domain::dates::fmt_date;

/// The CHC summary of `a`, one of `person`'s assessments as disclosed.
pub fn chc_summary(person: &Person, a: &ChcAssessment, imprint: Imprint) -> Document {
    let mut doc = Document {
        title: title(a).into(),
        identity: Identity::of(person),
        imprint,
        blocks: Vec::new(),
    };
    let mut who = Table::fields(&[1.0, 2.0, 1.0, 2.0]);
    who.rows.push(vec![
        Cell::label("Completed"),
        Cell::body(fmt_date(a.completed_on)),
        Cell::label("Completed by"),
        Cell::body(a.completed_by.as_deref().unwrap_or("not recorded")),
    ]);
    doc.table(who);

    doc.heading("Domains");
    let mut grid = Table::new(&[("Domain", 2.0), ("Level", 1.2), ("Evidence", 4.0)]);
    for (domain, level) in &a.domains {
        let level_text = match a.kind {
            ChcAssessmentKind::Checklist => level.clone(),
            _ => DstLevel::parse(level).map_or_else(|| level.clone(), |l| l.label().to_owned()),
        };
        let note = a
            .evidence
            .iter()
            .find(|(x, _)| x == domain)
            .map_or("", |(_, n)| n.as_str());
        let star = if a.kind == ChcAssessmentKind::Checklist && domain.is_asterisked() {
            " *"
        } else {
            ""
        };
        grid.rows.push(vec![
            Cell::body(format!("{}{star}", domain.label())),
            Cell::label(level_text),
            Cell::body(note),
        ]);
    }
    doc.table(grid);
    if a.kind == ChcAssessmentKind::Checklist {
        doc.paragraph(
            Style::Muted,
            "* asterisked domain: an A here alone requires a full assessment.",
        );
    }

    doc.heading("Outcome");
    let outcome = rule_outcome(a).unwrap_or_else(|| "no domain grid recorded".into());
    doc.paragraph(Style::Strong, format!("What the rules give: {outcome}"));
    doc.paragraph(
        Style::Muted,
        "The rules inform; they never decide. The MDT recommends and the ICB decides.",
    );
    let decision = match &a.icb_decision {
        Some(dec) => format!(
            "{} on {}{}",
            if dec.is_eligible { "Eligible" } else { "Not eligible" },
            fmt_date(dec.date),
            dec.note.as_deref().map(|n| format!(" ({n})")).unwrap_or_default()
        ),
        None => "not yet made".into(),
    };
    let mut decided = Table::fields(&[1.0, 3.0]);
    decided.rows.push(vec![
        Cell::label("MDT recommendation"),
        Cell::body(a.mdt_recommendation.as_deref().unwrap_or("not recorded")),
    ]);
    decided
        .rows
        .push(vec![Cell::label("ICB decision"), Cell::body(decision)]);
    doc.table(decided);
    doc
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::chc::ChcDomain;
    use crate::domain::test_support::person;
    use crate::report::layout::lay_out;

    #[test]
    fn the_summary_has_the_grid_and_the_outcome() {
        let mut p = person();
        p.demographics.family_name = "O'Neill <test>".into();
        let a = ChcAssessment {
            episode_id: 1,
            kind: ChcAssessmentKind::Dst,
            completed_on: NaiveDate::from_ymd_opt(2026, 4, 20).unwrap(),
            completed_by: Some("MDT".into()),
            domains: vec![(ChcDomain::Skin, "S".into()), (ChcDomain::Cognition, "S".into())],
            mdt_recommendation: Some("Eligible".into()),
            icb_decision: None,
            recorded_positive: None,
            evidence: vec![(ChcDomain::Skin, "Grade 3 sacral ulcer".into())],
        };
        let imprint = Imprint {
            printed_by: "anna".into(),
            printed_at: NaiveDate::from_ymd_opt(2026, 4, 21)
                .unwrap()
                .and_hms_opt(9, 5, 0)
                .unwrap(),
            watermark: Some("TRAINING".into()),
        };
        let laid = lay_out(&chc_summary(&p, &a, imprint));
        let text: Vec<&str> = laid.pages.iter().flat_map(|p| p.texts()).collect();
        assert!(text.iter().any(|t| t.starts_with("O'NEILL <TEST>")), "{text:?}");
        assert!(text.contains(&"NHS Continuing Healthcare Decision Support Tool"));
        assert!(
            text.contains(&"Severe") && text.contains(&"Grade 3 sacral ulcer"),
            "{text:?}"
        );
        let joined = text.join(" ");
        assert!(
            joined.contains("clear recommendation of eligibility expected"),
            "{joined}"
        );
        assert!(text.contains(&"TRAINING"));
    }
}
