//! `joinedup plans --nhs NUMBER [--json]`: a person's care plans from both sectors
//! with their review status, and the who-does-what table.

use std::process::ExitCode;

use serde_json::json;

use super::{Output, find_person, now, today};
use crate::domain::care_plan::{CarePlan, funding_label, party_label};
use crate::domain::care_plan_rules::{ReviewState, current_plans, review_status, who_does_what};
use crate::domain::dates::fmt_date;

use crate::domain::PersonRecord;
use crate::service::Service;

/// What a restricted plan's title reads until a reason is given.
const HIDDEN_PLAN: &str = "restricted plan hidden: give --reason to show it";

pub(super) fn plans(service: &mut Service, person: super::args::PersonArgs, as_json: bool) -> anyhow::Result<ExitCode> {
    let Some(found) = find_person(service, &person)? else {
        return Ok(ExitCode::FAILURE);
    };
    let record = service.care_plans(found.id, now())?;
    let out = Output {
        training: service.is_training(),
    };
    if as_json {
        out.json(plans_json(&record, today()))?;
    } else {
        out.begin_text();
        print!("{}", plans_text(&record, today()));
    }
    Ok(ExitCode::SUCCESS)
}

fn plan_json(p: &CarePlan, today: chrono::NaiveDate, is_current: bool) -> serde_json::Value {
    let review = review_status(p, today);
    if p.is_placeholder {
        // Its sector, version and dates; nothing of what it says or who wrote it.
        return json!({
            "ref": null, "source": null, "kind": "restricted", "sector": p.sector.code(),
            "title": HIDDEN_PLAN, "owner": null, "status": null, "version": p.version,
            "recorded": null, "is_current": is_current, "start": p.start.to_string(),
            "last_review": p.last_review.map(|d| d.to_string()), "review_due": review.due_by.to_string(),
            "review_state": review.state, "goals": [], "needs": [], "actions": [], "funding": null,
            "personal_budget_weekly": null, "restricted": true,
        });
    }
    json!({
        "ref": p.provenance.source_ref,
        "source": p.provenance.source,
        "kind": p.kind,
        "sector": p.sector.code(),
        "title": p.title,
        "owner": p.owner,
        "status": p.status,
        "version": p.version,
        "recorded": {
            "at": p.recorded.at.map(|t| t.to_string()),
            "by": p.recorded.by,
            "organisation": p.recorded.organisation,
            "text": p.recorded.describe(),
        },
        "is_current": is_current,
        "start": p.start.to_string(),
        "last_review": p.last_review.map(|d| d.to_string()),
        "review_due": review.due_by.to_string(),
        "review_state": review.state,
        "goals": p.goals,
        "needs": p.needs,
        "actions": p.actions,
        "funding": p.funding,
        "personal_budget_weekly": p.personal_budget_weekly,
        "restricted": false,
    })
}

/// `{"person": {"nhs_number", "name"}, "plans": [...], "who_does_what": {"rows", "unmet_needs", "overlaps"}}`;
/// plans are every version, current versions first.
pub fn plans_json(record: &PersonRecord, today: chrono::NaiveDate) -> serde_json::Value {
    let current = current_plans(&record.care_plans);
    let is_current = |p: &CarePlan| current.iter().any(|c| std::ptr::eq(*c, p));
    let mut all: Vec<&CarePlan> = record.care_plans.iter().collect();
    all.sort_by_key(|p| (!is_current(p), p.id, std::cmp::Reverse(p.version)));
    json!({
        "person": {
            "nhs_number": record.person.nhs_number.map(|n| n.digits()),
            "name": record.person.display_name(),
        },
        "plans": all.iter().map(|p| plan_json(p, today, is_current(p))).collect::<Vec<_>>(),
        "who_does_what": who_does_what(&current, today),
    })
}

pub fn plans_text(record: &PersonRecord, today: chrono::NaiveDate) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let current = current_plans(&record.care_plans);
    let _ = writeln!(
        out,
        "Care plans for {} ({} current)",
        record.person.display_name(),
        current.len()
    );
    for p in &current {
        let r = review_status(p, today);
        if p.is_placeholder {
            let _ = writeln!(
                out,
                "\n{HIDDEN_PLAN} (v{}, {}): started {}; review due {}",
                p.version,
                p.sector.label(),
                fmt_date(p.start),
                fmt_date(r.due_by)
            );
            continue;
        }
        let state = match r.state {
            ReviewState::Overdue => "OVERDUE",
            ReviewState::Due => "due now",
            ReviewState::NotYetDue => "not yet due",
        };
        let _ = writeln!(
            out,
            "\n{} (v{}, {}), {}: {}",
            p.title,
            p.version,
            p.sector.label(),
            p.owner,
            p.status
        );
        let _ = writeln!(out, "  {}", p.version_line());
        let _ = writeln!(
            out,
            "  started {}; review due {} ({state})",
            fmt_date(p.start),
            fmt_date(r.due_by)
        );
        for g in &p.goals {
            let _ = writeln!(out, "  goal: \"{g}\"");
        }
        for n in &p.needs {
            let _ = writeln!(
                out,
                "  need: {}{}",
                n.description,
                if n.is_eligible { " (eligible)" } else { "" }
            );
        }
        for a in &p.actions {
            let who = match &a.responsible_name {
                Some(n) => format!("{} ({n})", party_label(a.responsible_party)),
                None => party_label(a.responsible_party).to_owned(),
            };
            let due = a.due.map(|d| format!(", due {}", fmt_date(d))).unwrap_or_default();
            let _ = writeln!(out, "  action: {} [{who}] ({}{due})", a.description, a.status.label());
        }
        if let Some(f) = p.funding {
            let budget = p
                .personal_budget_weekly
                .map(|b| format!(", personal budget £{b:.2} a week"))
                .unwrap_or_default();
            let _ = writeln!(out, "  funding: {}{budget}", funding_label(f));
        }
    }
    let w = who_does_what(&current, today);
    let _ = writeln!(out, "\nWho does what:");
    for r in &w.rows {
        let who = match &r.responsible_name {
            Some(n) => format!("{} ({n})", party_label(r.party)),
            None => party_label(r.party).to_owned(),
        };
        let meets = if r.meets.is_empty() {
            String::new()
        } else {
            format!("; meets: {}", r.meets.join("; "))
        };
        let flag = if r.overdue_since.is_some() { "!" } else { " " };
        let _ = writeln!(
            out,
            "{flag} {who:<48} {} [{}] {}; {}{meets}",
            r.action,
            r.plan_title,
            r.status.label(),
            r.due_text()
        );
    }
    for u in &w.unmet_needs {
        let _ = writeln!(
            out,
            "  ! no action is linked to the need \"{}\" ({})",
            u.need, u.plan_title
        );
    }
    for o in &w.overlaps {
        let _ = writeln!(
            out,
            "  ? possible overlap on \"{}\": {} / {}",
            o.need, o.first, o.second
        );
    }
    out
}
