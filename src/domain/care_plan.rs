//! Care plans from either sector (RULES.md section 7; Care Act 2014 s25).

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::{Provenance, Sector};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanKind {
    CareAndSupport,
    NhsCarePlan,
    ChcCarePlan,
    DischargePlan,
    EndOfLife,
    CarerSupport,
}

impl PlanKind {
    pub fn label(self) -> &'static str {
        match self {
            PlanKind::CareAndSupport => "Care and support plan (Care Act)",
            PlanKind::NhsCarePlan => "NHS care plan",
            PlanKind::ChcCarePlan => "CHC care plan",
            PlanKind::DischargePlan => "Discharge plan",
            PlanKind::EndOfLife => "End-of-life plan",
            PlanKind::CarerSupport => "Carer's support plan",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponsibleParty {
    NhsBody,
    LocalAuthority,
    Provider,
    Person,
    UnpaidCarer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Funding {
    Chc,
    Fnc,
    LocalAuthority,
    SelfFunded,
    Joint,
}

pub fn party_label(p: ResponsibleParty) -> &'static str {
    match p {
        ResponsibleParty::NhsBody => "NHS body",
        ResponsibleParty::LocalAuthority => "Local authority",
        ResponsibleParty::Provider => "Provider",
        ResponsibleParty::Person => "The person",
        ResponsibleParty::UnpaidCarer => "Unpaid carer",
    }
}

pub fn funding_label(f: Funding) -> &'static str {
    match f {
        Funding::Chc => "NHS Continuing Healthcare",
        Funding::Fnc => "NHS-funded nursing care",
        Funding::LocalAuthority => "Local authority",
        Funding::SelfFunded => "Self-funded",
        Funding::Joint => "Joint (health and social care)",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanNeed {
    /// The plan's own name for the need ("N1", a FHIR `Condition/…` or `Goal/…`
    /// reference), which actions name in `PlanAction::meets`. Unique within a plan
    /// version; a need no action names is a gap (`care_plan_rules::who_does_what`).
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub need_ref: Option<String>,
    pub description: String,
    #[serde(default)]
    pub is_eligible: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanAction {
    pub description: String,
    pub responsible_party: ResponsibleParty,
    /// The named body or person ("Northgate Community Nursing", "daughter Sarah").
    #[serde(default)]
    pub responsible_name: Option<String>,
    /// The needs of the same plan this action meets, by their `PlanNeed::need_ref`:
    /// the link is recorded by whoever wrote the plan, never guessed from words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meets: Vec<String>,
    /// When the action is to be done by, as the plan records it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    #[serde(default)]
    pub status: ActionStatus,
}

/// Where an action of a plan has got to. An action with no status recorded is
/// `NotStarted`, so a due date passed is flagged rather than shown as on track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    #[default]
    NotStarted,
    InProgress,
    Done,
    Cancelled,
    OnHold,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 5] = [
        ActionStatus::NotStarted,
        ActionStatus::InProgress,
        ActionStatus::OnHold,
        ActionStatus::Done,
        ActionStatus::Cancelled,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ActionStatus::NotStarted => "Not started",
            ActionStatus::InProgress => "In progress",
            ActionStatus::Done => "Done",
            ActionStatus::Cancelled => "Cancelled",
            ActionStatus::OnHold => "On hold",
        }
    }

    /// As stored and in the native bundle.
    pub fn code(self) -> &'static str {
        match self {
            ActionStatus::NotStarted => "not_started",
            ActionStatus::InProgress => "in_progress",
            ActionStatus::Done => "done",
            ActionStatus::Cancelled => "cancelled",
            ActionStatus::OnHold => "on_hold",
        }
    }

    pub fn from_code(code: &str) -> Option<ActionStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// A FHIR R4 `CarePlan.activity.detail.status` code. `None` for
    /// `entered-in-error`: the activity was never part of the plan and is left out.
    /// `scheduled` has not begun (not started); `stopped` ended before completion and
    /// will not be done (cancelled); `unknown`, or a code outside the value set, is
    /// not started, so a due date passed is flagged.
    pub fn from_fhir(code: &str) -> Option<ActionStatus> {
        match code {
            "entered-in-error" => None,
            "in-progress" => Some(ActionStatus::InProgress),
            "on-hold" => Some(ActionStatus::OnHold),
            "completed" => Some(ActionStatus::Done),
            "cancelled" | "stopped" => Some(ActionStatus::Cancelled),
            // "not-started", "scheduled", "unknown" and anything else.
            _ => Some(ActionStatus::NotStarted),
        }
    }

    /// The FHIR code written for this status (read back as the same status).
    pub fn fhir_code(self) -> &'static str {
        match self {
            ActionStatus::NotStarted => "not-started",
            ActionStatus::InProgress => "in-progress",
            ActionStatus::Done => "completed",
            ActionStatus::Cancelled => "cancelled",
            ActionStatus::OnHold => "on-hold",
        }
    }

    /// Done or cancelled: nothing more is expected, so a due date passed is not overdue.
    pub fn is_closed(self) -> bool {
        matches!(self, ActionStatus::Done | ActionStatus::Cancelled)
    }
}

impl PlanAction {
    /// The due date when it has passed as of `today` and the action is neither done
    /// nor cancelled (on hold still counts: the date was not met). Due today is not
    /// yet overdue.
    pub fn overdue_since(&self, today: NaiveDate) -> Option<NaiveDate> {
        self.due.filter(|d| *d < today && !self.status.is_closed())
    }

    /// True when this action names `need` as one it meets.
    pub fn meets_need(&self, need: &PlanNeed) -> bool {
        need.need_ref.as_ref().is_some_and(|r| self.meets.contains(r))
    }
}

impl CarePlan {
    /// The actions of this plan that meet `need`.
    pub fn actions_meeting<'a>(&'a self, need: &'a PlanNeed) -> impl Iterator<Item = &'a PlanAction> + 'a {
        self.actions.iter().filter(move |a| a.meets_need(need))
    }
}

/// When a plan version was recorded and by whom: as its source gives it for an
/// imported version, the signed-in user and the time for one made in joinedup.
/// Each part is `None` when not given; nothing is guessed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VersionRecorded {
    pub at: Option<NaiveDateTime>,
    /// The person (or body) who recorded it ("Amina Shah").
    pub by: Option<String>,
    /// Their organisation ("Northgate Council").
    pub organisation: Option<String>,
}

impl VersionRecorded {
    /// "recorded 12-Mar-2026 by Amina Shah (Northgate Council)", saying in words
    /// which part the source did not give.
    pub fn describe(&self) -> String {
        let who = match (&self.by, &self.organisation) {
            (Some(b), Some(o)) => Some(format!("{b} ({o})")),
            (Some(x), None) | (None, Some(x)) => Some(x.clone()),
            (None, None) => None,
        };
        let on = self.at.map(|t| super::dates::fmt_date(t.date()));
        match (on, who) {
            (Some(on), Some(who)) => format!("recorded {on} by {who}"),
            (Some(on), None) => format!("recorded {on}, author not given"),
            (None, Some(who)) => format!("recorded by {who}, date not given"),
            (None, None) => "date and author not given".to_owned(),
        }
    }
}

/// One version of a care plan.
#[derive(Debug, Clone, PartialEq)]
pub struct CarePlan {
    pub id: i64,
    pub kind: PlanKind,
    pub sector: Sector,
    pub title: String,
    pub owner: String,
    pub status: String,
    pub version: u32,
    /// When this version was recorded and by whom.
    pub recorded: VersionRecorded,
    pub start: NaiveDate,
    pub last_review: Option<NaiveDate>,
    pub next_review: Option<NaiveDate>,
    /// Goals in the person's own words.
    pub goals: Vec<String>,
    pub needs: Vec<PlanNeed>,
    pub actions: Vec<PlanAction>,
    pub funding: Option<Funding>,
    pub personal_budget_weekly: Option<f64>,
    /// A plan in a sensitive category (a safeguarding protection plan) is held back
    /// like a sensitive item (`domain::disclosure`).
    pub sensitivity: super::Sensitivity,
    /// True for the placeholder `disclosure` shows in place of a restricted plan.
    pub is_placeholder: bool,
    pub provenance: Provenance,
}

impl CarePlan {
    /// "Version 3, recorded 12-Mar-2026 by Amina Shah (Northgate Council)".
    pub fn version_line(&self) -> String {
        format!("Version {}, {}", self.version, self.recorded.describe())
    }

    /// A review date that has passed as of `today`.
    pub fn is_review_overdue(&self, today: NaiveDate) -> bool {
        self.next_review.is_some_and(|d| d < today)
    }
}

/// Problems with a plan's links: a need reference used twice, or an action naming a
/// need the plan does not have. Each is one plain sentence.
pub fn link_problems(needs: &[PlanNeed], actions: &[PlanAction]) -> Vec<String> {
    let mut out = Vec::new();
    let refs: Vec<&str> = needs.iter().filter_map(|n| n.need_ref.as_deref()).collect();
    for (i, r) in refs.iter().enumerate() {
        if refs[..i].contains(r) {
            out.push(format!("two needs have the reference {r:?}"));
        }
    }
    for a in actions {
        for m in a.meets.iter().filter(|m| !refs.contains(&m.as_str())) {
            out.push(format!(
                "the action {:?} meets {m:?}, which is not a need of this plan",
                a.description
            ));
        }
    }
    out
}
