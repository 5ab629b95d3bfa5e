//! `joinedup follow|unfollow|worklist|tasks|coordinator`: a coordinator's day from
//! the command line, rendering what the service returns (restricted events already
//! placeholders).

use std::process::ExitCode;

use serde_json::json;

use super::worklist_args::{CoordinatorArgs, FollowArgs, TasksCmd, WorklistArgs};
use super::{Output, now, today};
use crate::domain::dates::fmt_date;
use crate::domain::worklist::TaskStatus;
use crate::domain::worklist::tasks::Owner;
use crate::service::{NewTask, Service, TaskEdit, TaskLine, Worklist};

/// `follow` / `unfollow`.
pub(super) fn follow(service: &mut Service, args: FollowArgs, follow: bool) -> anyhow::Result<ExitCode> {
    let person = service.find_by_nhs_text(&args.nhs.digits(), now())?;
    let user = args.user.clone().unwrap_or_else(|| service.actor().user.clone());
    let changed = if follow {
        service.follow(person.id, args.user.as_deref(), now())?
    } else {
        service.unfollow(person.id, args.user.as_deref(), now())?
    };
    let words = match (follow, changed) {
        (true, true) => "now follows",
        (true, false) => "already followed",
        (false, true) => "no longer follows",
        (false, false) => "did not follow",
    };
    println!("{user} {words} {} ({})", person.display_name(), args.nhs);
    Ok(ExitCode::SUCCESS)
}

/// `worklist`: the list, as text or JSON; with `--mark-seen`, the events printed are
/// marked seen.
pub(super) fn worklist(service: &mut Service, args: WorklistArgs) -> anyhow::Result<ExitCode> {
    let as_of = args.as_of.unwrap_or_else(today);
    let own = args.user.as_deref().is_none_or(|u| u == service.actor().user);
    let list = if args.mark_seen {
        if !own {
            anyhow::bail!("--mark-seen marks your own worklist only (seen state is per user)");
        }
        // Audited as a view too: the list printed is the list marked.
        service.worklist(None, as_of, now())?;
        service.mark_worklist_seen(as_of, now(), None)?
    } else {
        service.worklist(args.user.as_deref(), as_of, now())?
    };
    let out = Output {
        training: service.is_training(),
    };
    if args.json {
        out.json(list.to_json())?;
    } else {
        out.begin_text();
        print_worklist(&list);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_worklist(list: &Worklist) {
    println!(
        "Worklist of {} as of {}: {} people on the caseload, {} events",
        list.user,
        fmt_date(list.as_of),
        list.caseload,
        list.items.len()
    );
    for i in &list.items {
        let task = i
            .task
            .as_ref()
            .map(|t| format!(" [task {}: {}, {}]", t.id, t.status.code(), t.owner))
            .unwrap_or_default();
        println!(
            "  {:<8} {} {:<24} {:<12} {}{}{}",
            i.urgency.code(),
            fmt_date(i.date),
            i.name,
            i.nhs_number.map(|n| n.to_string()).unwrap_or_default(),
            i.summary,
            task,
            if i.seen { " (seen)" } else { "" }
        );
    }
}

/// `coordinator`: who an account is in the sources.
pub(super) fn coordinator(service: &mut Service, args: CoordinatorArgs) -> anyhow::Result<ExitCode> {
    let who = crate::store::Coordinator {
        user_name: args.user.unwrap_or_else(|| service.actor().user.clone()),
        worker_name: args.worker.trim().to_owned(),
        team: args.team.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()),
    };
    service.set_coordinator(&who, now())?;
    println!("{} is {:?} in the sources", who.user_name, who.worker_name);
    Ok(ExitCode::SUCCESS)
}

fn owner(user: Option<String>, team: Option<String>) -> Option<Owner> {
    match (user, team) {
        (Some(u), _) => Some(Owner::User(u)),
        (None, Some(t)) => Some(Owner::Team(t)),
        (None, None) => None,
    }
}

/// `tasks add|list|update|done`.
pub(super) fn tasks(service: &mut Service, command: TasksCmd) -> anyhow::Result<ExitCode> {
    match command {
        TasksCmd::Add {
            nhs,
            title,
            owner: user,
            team,
            due,
            priority,
            notes,
        } => {
            let person = service.find_by_nhs_text(&nhs.digits(), now())?;
            let new = NewTask {
                person_id: person.id,
                title,
                owner: owner(user, team),
                due,
                priority,
                notes,
                event_key: None,
            };
            let task = service.add_task(new, today(), now())?;
            println!("task {} made for {}", task.id, task.owner.label());
        }
        TasksCmd::List { nhs, owner, all, json } => {
            let person = match nhs {
                Some(n) => Some(service.find_by_nhs_text(&n.digits(), now())?.id),
                None => None,
            };
            let lines = service.list_tasks(person, owner.as_deref(), all, today(), now())?;
            print_tasks(service, &lines, json)?;
        }
        TasksCmd::Update {
            id,
            title,
            owner: user,
            team,
            due,
            priority,
            status,
            notes,
        } => {
            let edit = TaskEdit {
                title,
                owner: owner(user, team),
                due: due.map(|d| d.0),
                priority,
                status,
                notes,
                version: None,
            };
            let task = service.update_task(id, edit, now())?;
            println!("task {} is {} (version {})", task.id, task.status.code(), task.version);
        }
        TasksCmd::Done { id } => {
            let edit = TaskEdit {
                status: Some(TaskStatus::Done),
                ..Default::default()
            };
            let task = service.update_task(id, edit, now())?;
            println!("task {} is done", task.id);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_tasks(service: &Service, lines: &[TaskLine], as_json: bool) -> anyhow::Result<()> {
    let out = Output {
        training: service.is_training(),
    };
    if as_json {
        let tasks: Vec<_> = lines
            .iter()
            .map(|l| {
                json!({
                    "id": l.task.id,
                    "nhs_number": l.nhs_number.map(|n| n.digits()),
                    "name": l.name,
                    "title": l.task.title,
                    "owner": l.task.owner.label(),
                    "due": l.task.due.map(|d| d.format("%Y-%m-%d").to_string()),
                    "priority": l.task.priority.code(),
                    "status": l.task.status.code(),
                    "notes": l.task.notes,
                    "version": l.task.version,
                })
            })
            .collect();
        return out.json(json!({ "tasks": tasks }));
    }
    out.begin_text();
    for l in lines {
        println!(
            "  {:>5} {:<11} {:<8} {:<12} {:<24} {:<12} {} ({})",
            l.task.id,
            l.task.status.code(),
            l.task.priority.code(),
            l.task.due.map(fmt_date).unwrap_or_else(|| "no date".into()),
            l.name,
            l.nhs_number.map(|n| n.to_string()).unwrap_or_default(),
            l.task.title,
            l.task.owner.label()
        );
    }
    Ok(())
}
