//! `joinedup alerts add|list|remove`: the acting user's alert rules (which event
//! kinds, for which people). The window shows a notification and a badge when a
//! change brings a matching worklist event; nothing is sent anywhere.

use std::process::ExitCode;

use clap::Subcommand;
use serde_json::json;

use super::{Output, now};
use crate::domain::worklist::alerts::{AlertPeople, KIND_NAMES, parse_kinds};
use crate::service::Service;

fn people(s: &str) -> Result<AlertPeople, String> {
    AlertPeople::parse(s)
}

/// Event kinds, checked where typed.
#[derive(Debug, Clone)]
pub struct Kinds(pub Vec<String>);

fn kinds(s: &str) -> Result<Kinds, String> {
    parse_kinds(s).map(Kinds)
}

#[derive(Subcommand, Debug)]
pub enum AlertsCmd {
    /// Add a rule: be alerted in the window to new events of these kinds for these people.
    Add {
        /// Event kinds, comma-separated: admitted, discharged, ae_attendance, discharge_ready,
        /// delay (or delay_7_days, delay_14_days, delay_21_days), social_care_delay_reason,
        /// package_not_restarted, chc_checklist (or chc_checklist_day_21, _28), review_due,
        /// review_overdue, safeguarding_enquiry, death_recorded, sources_disagree, task_due,
        /// task_overdue, restricted (an event held back), all.
        #[arg(long, value_name = "KIND,KIND", value_parser = kinds)]
        kinds: Kinds,
        /// Whose people: caseload (yours), team (your team's) or all.
        #[arg(long, value_name = "caseload|team|all", value_parser = people, default_value = "caseload")]
        people: AlertPeople,
    },
    /// Your rules.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Remove one of your rules.
    Remove {
        /// The rule's number, as `alerts list` prints it.
        id: i64,
    },
}

pub(super) fn alerts(service: &mut Service, command: AlertsCmd) -> anyhow::Result<ExitCode> {
    match command {
        AlertsCmd::Add { kinds, people } => {
            let rule = service.add_alert_rule(kinds.0, people, now())?;
            println!("alert {} added: {}", rule.id, rule.describe());
        }
        AlertsCmd::List { json } => {
            let rules = service.alert_rules()?;
            let out = Output {
                training: service.is_training(),
            };
            if json {
                let rules: Vec<_> = rules
                    .iter()
                    .map(|r| json!({ "id": r.id, "kinds": r.kinds, "people": r.people.code() }))
                    .collect();
                return out
                    .json(json!({ "user": service.actor().user, "alerts": rules }))
                    .map(|_| ExitCode::SUCCESS);
            }
            out.begin_text();
            if rules.is_empty() {
                println!(
                    "no alerts: add one with `joinedup alerts add --kinds {} --people caseload`",
                    KIND_NAMES[0]
                );
            }
            for r in rules {
                println!("  {:>4}  {}", r.id, r.describe());
            }
        }
        AlertsCmd::Remove { id } => {
            service.remove_alert_rule(id, now())?;
            println!("alert {id} removed");
        }
    }
    Ok(ExitCode::SUCCESS)
}
