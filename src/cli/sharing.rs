//! `joinedup care-team|objection|access-rule`: care teams, objections to sharing and
//! the deployment's rule for access without a relationship, rendering what the
//! service returns (each change audited there).

use std::process::ExitCode;

use serde_json::json;

use super::sharing_args::{CareTeamCmd, MemberArgs, ObjectionCmd};
use super::{now, today};
use crate::domain::dates::{fmt_date, fmt_date_time};
use crate::domain::sharing::{ObjectionScope, RelationshipRule};
use crate::service::{MemberKind, Service};

fn member(args: &MemberArgs) -> (MemberKind, &str) {
    match (&args.user, &args.team) {
        (Some(u), _) => (MemberKind::User, u.as_str()),
        (None, Some(t)) => (MemberKind::Team, t.as_str()),
        // clap's group makes one of them required.
        (None, None) => (MemberKind::Team, ""),
    }
}

/// `care-team add|remove|list`.
pub(super) fn care_team(service: &mut Service, command: CareTeamCmd) -> anyhow::Result<ExitCode> {
    match command {
        CareTeamCmd::Add { nhs, member: m } => {
            let person = service.find_by_nhs_text(&nhs.digits(), now())?;
            let (kind, name) = member(&m);
            let added = service.add_to_care_team(person.id, kind, name, now())?;
            let words = if added { "added to" } else { "already in" };
            println!(
                "the {} {name} is {words} the care team of {} ({nhs})",
                kind.code(),
                person.display_name()
            );
        }
        CareTeamCmd::Remove { nhs, member: m } => {
            let person = service.find_by_nhs_text(&nhs.digits(), now())?;
            let (kind, name) = member(&m);
            let removed = service.remove_from_care_team(person.id, kind, name, now())?;
            let words = if removed { "taken off" } else { "not in" };
            println!(
                "the {} {name} is {words} the care team of {} ({nhs})",
                kind.code(),
                person.display_name()
            );
        }
        CareTeamCmd::List { nhs, json } => {
            let person = service.find_by_nhs_text(&nhs.digits(), now())?;
            let team = service.care_team(person.id)?;
            let stands = service.relationship(person.id)?;
            if json {
                let members: Vec<_> = team
                    .iter()
                    .map(
                        |m| json!({"kind": m.kind, "member": m.member, "added_by": m.added_by, "added_at": m.added_at}),
                    )
                    .collect();
                let out = json!({"nhs_number": nhs.digits(), "members": members, "you": stands.notice()});
                println!("{}", serde_json::to_string_pretty(&out)?);
            } else {
                if let Some(n) = stands.notice() {
                    println!("{n}");
                }
                if team.is_empty() {
                    println!(
                        "no one was added to this care team (the sources' allocated worker, ward and CHC team still count)"
                    );
                }
                for m in &team {
                    println!("{}\t{}\tadded by {} at {}", m.kind, m.member, m.added_by, m.added_at);
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `objection record|withdraw|list`.
pub(super) fn objection(service: &mut Service, command: ObjectionCmd) -> anyhow::Result<ExitCode> {
    match command {
        ObjectionCmd::Record {
            nhs,
            date,
            reason,
            organisations,
        } => {
            let scope = ObjectionScope::parse(organisations.as_deref()).map_err(anyhow::Error::msg)?;
            let person = service.find_by_nhs_text(&nhs.digits(), now())?;
            service.record_objection(person.id, date, &reason, &scope, now())?;
            println!(
                "recorded {}'s objection to sharing ({}), made on {}",
                person.display_name(),
                scope.describe(),
                fmt_date(date)
            );
        }
        ObjectionCmd::Withdraw { nhs, date } => {
            let person = service.find_by_nhs_text(&nhs.digits(), now())?;
            let on = date.unwrap_or_else(today);
            if service.withdraw_objection(person.id, on, now())? {
                println!(
                    "withdrew {}'s objection to sharing from {}",
                    person.display_name(),
                    fmt_date(on)
                );
            } else {
                println!("{} has no objection to sharing in force", person.display_name());
            }
        }
        ObjectionCmd::List { nhs: Some(nhs), json } => {
            let person = service.find_by_nhs_text(&nhs.digits(), now())?;
            let objections = service.objections(person.id)?;
            if json {
                let list: Vec<_> = objections
                    .iter()
                    .map(|o| {
                        json!({"objected_on": o.objected_on.to_string(), "scope": o.scope.describe(),
                               "reason": o.reason, "recorded_by": o.recorded_by, "in_force": o.in_force(),
                               "withdrawn_on": o.withdrawn_on.map(|d| d.to_string())})
                    })
                    .collect();
                println!(
                    "{}",
                    serde_json::to_string_pretty(&json!({"nhs_number": nhs.digits(), "objections": list}))?
                );
            } else if objections.is_empty() {
                println!("{} has no objection to sharing on record", person.display_name());
            } else {
                for o in &objections {
                    let state = match o.withdrawn_on {
                        Some(w) => format!("withdrawn {}", fmt_date(w)),
                        None => "in force".into(),
                    };
                    println!(
                        "{}\t{}\t{state}\t{}",
                        fmt_date(o.objected_on),
                        o.scope.describe(),
                        o.reason
                    );
                }
            }
        }
        ObjectionCmd::List { nhs: None, json } => {
            let people = service.people_with_objections()?;
            let overrides = service.emergency_accesses(200)?;
            if json {
                let p: Vec<_> = people
                    .iter()
                    .map(|h| json!({"nhs_number": h.nhs_number, "name": h.name, "since": h.since.to_string()}))
                    .collect();
                let e: Vec<_> = overrides
                    .iter()
                    .map(|e| json!({"at": e.at.to_string(), "actor": e.actor, "person_id": e.person_id, "reason": e.reason, "detail": e.detail}))
                    .collect();
                println!(
                    "{}",
                    serde_json::to_string_pretty(&json!({"objections": p, "emergency_access": e}))?
                );
            } else {
                println!("{} person(s) with an objection to sharing in force", people.len());
                for h in &people {
                    let nhs = h.nhs_number.as_deref().unwrap_or("no NHS number");
                    println!("  {}\t{nhs}\tsince {}", h.name, fmt_date(h.since));
                }
                println!("{} emergency access(es) to look into", overrides.len());
                for e in &overrides {
                    println!(
                        "  {}\t{}\tperson {}\t{}",
                        fmt_date_time(e.at),
                        e.actor,
                        e.person_id.map(|p| p.to_string()).unwrap_or_default(),
                        e.reason.as_deref().unwrap_or("")
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `access-rule [reason|block|off]`.
pub(super) fn access_rule(service: &mut Service, rule: Option<&str>) -> anyhow::Result<ExitCode> {
    match rule {
        None => {
            let rule = service.relationship_rule()?;
            println!("{}: {}", rule.code(), rule.describe());
        }
        Some(text) => {
            let rule = RelationshipRule::parse(text).map_err(anyhow::Error::msg)?;
            service.set_relationship_rule(rule, now())?;
            println!("set to {}: {}", rule.code(), rule.describe());
        }
    }
    Ok(ExitCode::SUCCESS)
}
