//! A completed CHC Checklist or DST as an HTML page that prints on A4: the person,
//! the domain grid with evidence notes, the rule outcome with its reason, the MDT
//! recommendation and the ICB decision as recorded.

use chrono::NaiveDate;

use crate::domain::Person;
use crate::domain::chc::{ChcAssessment, ChcAssessmentKind, ChcDomain, checklist_outcome};
use crate::domain::chc_dst::{DstLevel, dst_outcome};
use crate::domain::dates::fmt_date;
use crate::report::{esc, page};

/// The rule outcome and its reason for any kind of assessment.
pub fn rule_outcome(a: &ChcAssessment) -> Option<String> {
    match a.kind {
        ChcAssessmentKind::Checklist if !a.domains.is_empty() => Some(checklist_outcome(&a.domains).reason),
        ChcAssessmentKind::Dst if !a.domains.is_empty() => {
            let grid: Vec<(ChcDomain, DstLevel)> = a
                .domains
                .iter()
                .filter_map(|(d, l)| DstLevel::parse(l).map(|l| (*d, l)))
                .collect();
            Some(dst_outcome(&grid).reason)
        }
        _ => None,
    }
}

pub fn title(a: &ChcAssessment) -> &'static str {
    match a.kind {
        ChcAssessmentKind::Checklist => "NHS Continuing Healthcare Checklist",
        ChcAssessmentKind::Dst => "NHS Continuing Healthcare Decision Support Tool",
        ChcAssessmentKind::FastTrack => "NHS Continuing Healthcare Fast Track",
        ChcAssessmentKind::Review => "NHS Continuing Healthcare review",
    }
}

/// The printable page. `watermark` is shown on every page (training mode).
pub fn chc_assessment_html(
    person: &Person,
    a: &ChcAssessment,
    printed_on: NaiveDate,
    watermark: Option<&str>,
) -> String {
    let d = &person.demographics;
    let mut rows = String::new();
    for (domain, level) in &a.domains {
        let level_text = match a.kind {
            ChcAssessmentKind::Checklist => level.clone(),
            _ => DstLevel::parse(level)
                .map(|l| l.label().to_owned())
                .unwrap_or_else(|| level.clone()),
        };
        let note = a
            .evidence
            .iter()
            .find(|(x, _)| x == domain)
            .map(|(_, n)| n.as_str())
            .unwrap_or("");
        rows.push_str(&format!(
            "<tr><td>{}{}</td><td class=\"level\">{}</td><td>{}</td></tr>\n",
            esc(domain.label()),
            if a.kind == ChcAssessmentKind::Checklist && domain.is_asterisked() {
                " *"
            } else {
                ""
            },
            esc(&level_text),
            esc(note)
        ));
    }
    let outcome = rule_outcome(a).unwrap_or_else(|| "no domain grid recorded".into());
    let decision = match &a.icb_decision {
        Some(dec) => format!(
            "{} on {}{}",
            if dec.is_eligible { "Eligible" } else { "Not eligible" },
            fmt_date(dec.date),
            dec.note
                .as_deref()
                .map(|n| format!(" ({})", esc(n)))
                .unwrap_or_default()
        ),
        None => "not yet made".into(),
    };
    let body = format!(
        r#"<table>
<tr><th>Name</th><td>{name}</td><th>NHS number</th><td>{nhs}</td></tr>
<tr><th>Date of birth</th><td>{dob}</td><th>Completed</th><td>{completed}</td></tr>
<tr><th>Completed by</th><td colspan="3">{by}</td></tr>
</table>
<table>
<tr><th>Domain</th><th>Level</th><th>Evidence</th></tr>
{rows}</table>
<div class="outcome"><strong>What the rules give:</strong> {outcome}<br>
<span class="note">The rules inform; they never decide. The MDT recommends and the ICB decides.</span></div>
<table>
<tr><th>MDT recommendation</th><td>{mdt}</td></tr>
<tr><th>ICB decision</th><td>{decision}</td></tr>
</table>
<p class="note">{asterisk}Printed {printed} from the Joined-Up Care Record.</p>
"#,
        name = esc(&person.display_name()),
        nhs = person
            .nhs_number
            .map(|n| n.to_string())
            .unwrap_or_else(|| "not known".into()),
        dob = d.date_of_birth.map(fmt_date).unwrap_or_else(|| "not recorded".into()),
        completed = fmt_date(a.completed_on),
        by = esc(a.completed_by.as_deref().unwrap_or("not recorded")),
        rows = rows,
        outcome = esc(&outcome),
        mdt = esc(a.mdt_recommendation.as_deref().unwrap_or("not recorded")),
        decision = decision,
        asterisk = if a.kind == ChcAssessmentKind::Checklist {
            "* asterisked domain: an A here alone requires a full assessment. "
        } else {
            ""
        },
        printed = fmt_date(printed_on),
    );
    page(title(a), &body, watermark)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_support::person;

    #[test]
    fn printable_page_has_the_grid_outcome_and_escapes_text() {
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
        let html = chc_assessment_html(&p, &a, NaiveDate::from_ymd_opt(2026, 4, 21).unwrap(), Some("TRAINING"));
        assert!(html.contains("O'NEILL &lt;TEST&gt;"), "names are escaped");
        assert!(html.contains("<td class=\"level\">Severe</td><td>Grade 3 sacral ulcer</td>"));
        assert!(html.contains("clear recommendation of eligibility expected: Severe in 2 domains: Skin, Cognition"));
        assert!(html.contains("size: A4"));
        assert!(html.contains("class=\"watermark\">TRAINING"));
    }
}
