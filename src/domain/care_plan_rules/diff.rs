//! What changed between two versions of a plan, in words: a line reworded
//! ("4 hours a week" to "6 hours a week") is a change of that line, not one removed
//! and another added (issue 17 item 4).

use serde::Serialize;

use crate::domain::care_plan::{CarePlan, PlanAction, ResponsibleParty};
use crate::domain::dates::fmt_date;

/// One difference between two versions of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanChange {
    pub field: &'static str,
    /// "added", "removed" or "changed".
    pub change: &'static str,
    pub text: String,
}

/// What changed from `old` to `new`: goals, needs, actions (and who is responsible),
/// funding, personal budget and status.
pub fn diff_versions(old: &CarePlan, new: &CarePlan) -> Vec<PlanChange> {
    let mut out = Vec::new();
    let mut list = |field: &'static str, a: Vec<String>, b: Vec<String>| {
        let added: Vec<&String> = b.iter().filter(|x| !a.contains(x)).collect();
        let removed: Vec<&String> = a.iter().filter(|x| !b.contains(x)).collect();
        let (changed, added, removed) = pair_rewordings(&removed, &added);
        for text in changed {
            out.push(PlanChange {
                field,
                change: "changed",
                text,
            });
        }
        for x in added {
            out.push(PlanChange {
                field,
                change: "added",
                text: x.clone(),
            });
        }
        for x in removed {
            out.push(PlanChange {
                field,
                change: "removed",
                text: x.clone(),
            });
        }
    };
    list("goal", old.goals.clone(), new.goals.clone());
    list(
        "need",
        old.needs.iter().map(|n| n.description.clone()).collect(),
        new.needs.iter().map(|n| n.description.clone()).collect(),
    );
    // Actions: the same description with another responsible party is a change, not add + remove.
    let party = |p: &CarePlan, d: &str| {
        p.actions
            .iter()
            .find(|a| a.description == d)
            .map(|a| (a.responsible_party, a.responsible_name.clone()))
    };
    // An action reworded ("4 hours a week" to "6 hours a week") is a change of that
    // action, not one removed and another added.
    let gone: Vec<&PlanAction> = old
        .actions
        .iter()
        .filter(|a| party(new, &a.description).is_none())
        .collect();
    let came: Vec<&PlanAction> = new
        .actions
        .iter()
        .filter(|a| party(old, &a.description).is_none())
        .collect();
    let (gone_text, came_text): (Vec<&String>, Vec<&String>) = (
        gone.iter().map(|a| &a.description).collect(),
        came.iter().map(|a| &a.description).collect(),
    );
    let pairs = reworded_pairs(&gone_text, &came_text);
    // In the new version's order: each action reworded, added, or given to another party.
    for a in &new.actions {
        match party(old, &a.description) {
            None => {
                let j = came.iter().position(|c| std::ptr::eq(*c, a)).unwrap_or(usize::MAX);
                let Some((i, _, text)) = pairs.iter().find(|(_, pj, _)| *pj == j) else {
                    out.push(PlanChange {
                        field: "action",
                        change: "added",
                        text: action_text(a),
                    });
                    continue;
                };
                let was = gone[*i];
                let mut text = text.clone();
                if was.responsible_party != a.responsible_party || was.responsible_name != a.responsible_name {
                    text = format!(
                        "{text}; {} -> {}",
                        party_text(was.responsible_party, was.responsible_name.as_deref()),
                        party_text(a.responsible_party, a.responsible_name.as_deref())
                    );
                }
                out.push(PlanChange {
                    field: "action",
                    change: "changed",
                    text,
                });
            }
            Some((p, n)) if p != a.responsible_party || n != a.responsible_name => out.push(PlanChange {
                field: "responsible party",
                change: "changed",
                text: format!(
                    "{}: {} -> {}",
                    a.description,
                    party_text(p, n.as_deref()),
                    party_text(a.responsible_party, a.responsible_name.as_deref())
                ),
            }),
            Some(_) => {}
        }
        // Progress: the same action (or its rewording) due on another date or at another status.
        let before = old.actions.iter().find(|o| o.description == a.description).or_else(|| {
            let j = came.iter().position(|c| std::ptr::eq(*c, a))?;
            pairs.iter().find(|(_, pj, _)| *pj == j).map(|(i, _, _)| gone[*i])
        });
        if let Some(text) = before.and_then(|was| progress_text(was, a)) {
            out.push(PlanChange {
                field: "action progress",
                change: "changed",
                text,
            });
        }
    }
    for (i, a) in gone.iter().enumerate() {
        if !pairs.iter().any(|(pi, _, _)| *pi == i) {
            out.push(PlanChange {
                field: "action",
                change: "removed",
                text: action_text(a),
            });
        }
    }
    if old.funding != new.funding {
        out.push(PlanChange {
            field: "funding",
            change: "changed",
            text: format!("{} -> {}", funding_text(old), funding_text(new)),
        });
    }
    if old.personal_budget_weekly != new.personal_budget_weekly {
        let money = |v: Option<f64>| v.map(|v| format!("£{v:.2} a week")).unwrap_or_else(|| "none".into());
        out.push(PlanChange {
            field: "personal budget",
            change: "changed",
            text: format!(
                "{} -> {}",
                money(old.personal_budget_weekly),
                money(new.personal_budget_weekly)
            ),
        });
    }
    if old.status != new.status {
        out.push(PlanChange {
            field: "status",
            change: "changed",
            text: format!("{} -> {}", old.status, new.status),
        });
    }
    out
}

fn funding_text(p: &CarePlan) -> String {
    p.funding
        .map(|f| crate::domain::care_plan::funding_label(f).to_owned())
        .unwrap_or_else(|| "not recorded".into())
}

pub fn party_text(p: ResponsibleParty, name: Option<&str>) -> String {
    match name {
        Some(n) => format!("{} ({n})", crate::domain::care_plan::party_label(p)),
        None => crate::domain::care_plan::party_label(p).to_owned(),
    }
}

/// Removed and added texts paired where one is the other reworded: the pairs in
/// words, then the added and the removed left over.
fn pair_rewordings<'t>(
    removed: &[&'t String],
    added: &[&'t String],
) -> (Vec<String>, Vec<&'t String>, Vec<&'t String>) {
    let pairs = reworded_pairs(removed, added);
    let changed = pairs.iter().map(|(_, _, t)| t.clone()).collect();
    let added_left = (0..added.len())
        .filter(|j| !pairs.iter().any(|(_, pj, _)| pj == j))
        .map(|j| added[j])
        .collect();
    let removed_left = (0..removed.len())
        .filter(|i| !pairs.iter().any(|(pi, _, _)| pi == i))
        .map(|i| removed[i])
        .collect();
    (changed, added_left, removed_left)
}

/// Each removed text paired with the first unpaired added text that rewords it
/// ([`reworded`]), as (removed index, added index, the change in words).
fn reworded_pairs(removed: &[&String], added: &[&String]) -> Vec<(usize, usize, String)> {
    let mut pairs: Vec<(usize, usize, String)> = Vec::new();
    for (i, old) in removed.iter().enumerate() {
        let found = added
            .iter()
            .enumerate()
            .filter(|(j, _)| !pairs.iter().any(|(_, pj, _)| pj == j))
            .find_map(|(j, new)| reworded(old, new).map(|t| (j, t)));
        if let Some((j, text)) = found {
            pairs.push((i, j, text));
        }
    }
    pairs
}

/// `new` as `old` reworded, in words: the words they share at the start and the end
/// cover at least half of the longer one, and the words between differ. The change
/// is shown with the next shared word on both sides: "Home care 4 hours -> 6 hours
/// a week" for "Home care 4 hours a week" to "Home care 6 hours a week".
pub fn reworded(old: &str, new: &str) -> Option<String> {
    let (a, b): (Vec<&str>, Vec<&str>) = (old.split_whitespace().collect(), new.split_whitespace().collect());
    if a == b {
        return None;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let most = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(most)
        .take_while(|(x, y)| x == y)
        .count();
    if 2 * (prefix + suffix) < a.len().max(b.len()) {
        return None;
    }
    let (old_mid, new_mid) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let after = if suffix > 0 { b[b.len() - suffix] } else { "" };
    let rest = if suffix > 1 {
        b[b.len() - suffix + 1..].join(" ")
    } else {
        String::new()
    };
    let side = |mid: &[&str]| {
        let mut words: Vec<&str> = mid.to_vec();
        if !after.is_empty() {
            words.push(after);
        }
        if words.is_empty() {
            "(nothing)".to_owned()
        } else {
            words.join(" ")
        }
    };
    let parts = [
        b[..prefix].join(" "),
        format!("{} -> {}", side(old_mid), side(new_mid)),
        rest,
    ];
    Some(
        parts
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// "Review care package: due 01-Dec-2026 -> 15-Dec-2026; In progress -> Done", or
/// `None` when neither the due date nor the status changed.
fn progress_text(was: &PlanAction, now: &PlanAction) -> Option<String> {
    let date = |d: Option<chrono::NaiveDate>| d.map(fmt_date).unwrap_or_else(|| "no due date".into());
    let mut parts = Vec::new();
    if was.due != now.due {
        parts.push(format!("due {} -> {}", date(was.due), date(now.due)));
    }
    if was.status != now.status {
        parts.push(format!("{} -> {}", was.status.label(), now.status.label()));
    }
    (!parts.is_empty()).then(|| format!("{}: {}", now.description, parts.join("; ")))
}

pub(super) fn action_text(a: &PlanAction) -> String {
    format!(
        "{} [{}]",
        a.description,
        party_text(a.responsible_party, a.responsible_name.as_deref())
    )
}
