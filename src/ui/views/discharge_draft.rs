//! The discharge panel's drafts, apart from drawing: what the coordinator has
//! changed since pressing "Edit", and the spell changes that "Save" sends for
//! exactly that. No egui here, so the rule "send only what the user changed" is
//! tested on its own.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::domain::hospital::{Attribution, DelayReason, HospitalSpell};
use crate::store::SpellChange;

/// The editable facts of a spell, as stored or as drafted.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SpellDraft {
    pub pathway: Option<u8>,
    /// Each current delay reason's attribution, by reason id.
    pub attributions: BTreeMap<i64, Attribution>,
    /// Reasons the coordinator closed (as of the day of saving).
    pub closed: BTreeSet<i64>,
    /// Reasons added, not stored yet (id 0).
    pub added: Vec<DelayReason>,
    pub next_action: String,
    pub next_owner: String,
}

impl SpellDraft {
    /// The spell as stored: the base a draft starts from.
    pub fn of(spell: &HospitalSpell) -> Self {
        Self {
            pathway: spell.pathway,
            attributions: spell.delay_reasons.iter().map(|r| (r.id, r.attribution)).collect(),
            closed: BTreeSet::new(),
            added: Vec::new(),
            next_action: spell.next_action.clone().unwrap_or_default(),
            next_owner: spell.next_action_owner.clone().unwrap_or_default(),
        }
    }

    /// The changes that turn `base` (the spell when "Edit" was pressed) into this
    /// draft, in the order they are applied: pathway, attributions, closed reasons,
    /// added reasons, next action. Only what the user changed is sent, so a change
    /// someone else made meanwhile to another field is not undone.
    pub fn changes_from(&self, base: &SpellDraft, spell: &HospitalSpell, today: NaiveDate) -> Vec<SpellChange> {
        let mut out = Vec::new();
        if self.pathway != base.pathway {
            out.push(SpellChange::SetPathway(self.pathway));
        }
        for r in &spell.delay_reasons {
            if self.closed.contains(&r.id) {
                continue;
            }
            let (Some(now), Some(before)) = (self.attributions.get(&r.id), base.attributions.get(&r.id)) else {
                continue;
            };
            if now != before {
                out.push(SpellChange::UpdateDelayReason(DelayReason {
                    attribution: *now,
                    ..r.clone()
                }));
            }
        }
        for id in &self.closed {
            if spell.delay_reasons.iter().any(|r| r.id == *id) {
                out.push(SpellChange::CloseDelayReason { id: *id, on: today });
            }
        }
        for r in &self.added {
            out.push(SpellChange::AddDelayReason(DelayReason {
                since: today,
                ..r.clone()
            }));
        }
        if self.next_action.trim() != base.next_action.trim() || self.next_owner.trim() != base.next_owner.trim() {
            out.push(SpellChange::SetNextAction {
                action: non_empty(&self.next_action),
                owner: non_empty(&self.next_owner),
            });
        }
        out
    }
}

pub fn non_empty(s: &str) -> Option<String> {
    (!s.trim().is_empty()).then(|| s.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).expect("date")
    }

    fn reason(id: i64, attribution: Attribution) -> DelayReason {
        DelayReason {
            id,
            code: "E".into(),
            description: "Awaiting home care package".into(),
            attribution,
            since: NaiveDate::from_ymd_opt(2026, 11, 12).expect("date"),
            owner: None,
        }
    }

    fn spell() -> HospitalSpell {
        HospitalSpell {
            episode_id: 7,
            pathway: Some(1),
            delay_reasons: vec![reason(1, Attribution::SocialCare), reason(2, Attribution::Nhs)],
            next_action: Some("Chase the package".into()),
            next_action_owner: Some("Ward 4".into()),
            ..Default::default()
        }
    }

    #[test]
    fn an_untouched_draft_sends_nothing() {
        let s = spell();
        let base = SpellDraft::of(&s);
        assert!(base.clone().changes_from(&base, &s, today()).is_empty());
    }

    #[test]
    fn only_what_changed_is_sent_in_order() {
        let s = spell();
        let base = SpellDraft::of(&s);
        let mut d = base.clone();
        d.pathway = Some(2);
        d.attributions.insert(1, Attribution::Both);
        d.attributions.insert(2, Attribution::Both);
        d.closed.insert(2);
        d.added.push(DelayReason {
            id: 0,
            ..reason(0, Attribution::Nhs)
        });
        d.next_owner = " Ward 5 ".into();
        let changes = d.changes_from(&base, &s, today());
        assert_eq!(
            changes,
            vec![
                SpellChange::SetPathway(Some(2)),
                SpellChange::UpdateDelayReason(reason(1, Attribution::Both)),
                SpellChange::CloseDelayReason { id: 2, on: today() },
                SpellChange::AddDelayReason(DelayReason {
                    id: 0,
                    since: today(),
                    ..reason(0, Attribution::Nhs)
                }),
                SpellChange::SetNextAction {
                    action: Some("Chase the package".into()),
                    owner: Some("Ward 5".into()),
                },
            ]
        );
    }

    #[test]
    fn a_change_made_elsewhere_meanwhile_is_not_undone() {
        let s = spell();
        let base = SpellDraft::of(&s);
        let mut d = base.clone();
        d.next_action = "Book transport".into();
        // Someone else set pathway 3 while this draft was open.
        let mut moved = s.clone();
        moved.pathway = Some(3);
        let changes = d.changes_from(&base, &moved, today());
        assert_eq!(
            changes,
            vec![SpellChange::SetNextAction {
                action: Some("Book transport".into()),
                owner: Some("Ward 4".into()),
            }]
        );
    }

    #[test]
    fn a_reason_closed_elsewhere_is_not_closed_again() {
        let s = spell();
        let base = SpellDraft::of(&s);
        let mut d = base.clone();
        d.closed.insert(1);
        let mut moved = s.clone();
        moved.delay_reasons.retain(|r| r.id != 1);
        assert!(d.changes_from(&base, &moved, today()).is_empty());
    }
}
