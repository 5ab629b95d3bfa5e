//! The actions an audit event records: each with its stored code, a short label
//! for the audit screen and a plain-English description.

/// What an audit event records. One description each, so the audit screen, the
/// command line and the window speak of an action in the same words; the stored
/// code is stable (older events used the same codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AuditAction {
    Search,
    Open,
    BreakGlass,
    ViewPlans,
    ViewBoard,
    ViewCaseload,
    Export,
    Print,
    Import,
    ChangeSpell,
    RecordChc,
    /// The ICB's decision on a CHC assessment was recorded, or replaced with a
    /// reason (the earlier one kept in the event's detail).
    ChcDecisionRecorded,
    /// A care plan's next version was made in the window (SAFETY.md H49).
    PlanRevised,
    MatchConfirmed,
    MatchRejected,
    MatchUndone,
    /// The training records were cleared to be seeded again.
    RecordsCleared,
    /// The database's audit key was missing and a new one was started.
    AuditKeyReplaced,
    /// A live feed's message was received but not stored: a type the record does
    /// not keep, or invalid content (its text kept among the rejected messages).
    FeedMessageNotStored,
    /// A desktop database was moved onto this one (`import-db`): its records, and its
    /// audit events carried before this one as history.
    DatabaseMoved,
    /// A discharge situation report (a day, a week, or the trends) was made.
    Sitrep,
    /// The quarterly CLD return was made (and written to a file).
    CldReturn,
    /// A server's user was added, disabled or given another role (by its owner).
    UserChanged,
    /// A coordinator's worklist was viewed (the people on it named by count).
    ViewWorklist,
    /// A user began to follow a person (added to their caseload).
    Follow,
    /// A user stopped following a person.
    Unfollow,
    /// A user marked the events of their worklist seen.
    WorklistSeen,
    /// A user acknowledged one event of a person's record (kept in its history).
    WorklistAcknowledged,
    /// A task was made for a person.
    TaskCreated,
    /// A task was changed (owner, due date, priority, status, notes).
    TaskChanged,
    /// Who an account is in the sources (its allocated worker name and team) was set.
    CoordinatorSet,
    /// A care coordinator opened the record of someone outside their care team,
    /// with a reason (issue 14: "access without a recorded relationship").
    AccessWithoutRelationship,
    /// Emergency break glass: everything of a person, an objection to sharing
    /// overridden (flagged for the information governance lead).
    EmergencyAccess,
    /// A user or team was added to, or taken off, a person's care team.
    CareTeamChanged,
    /// An objection to sharing was recorded or withdrawn.
    ObjectionChanged,
    /// The deployment's rule for access without a relationship was set (by the owner).
    RelationshipRuleSet,
    /// A user added an alert rule (event kinds, which people).
    AlertRuleAdded,
    /// A user removed an alert rule.
    AlertRuleRemoved,
}

impl AuditAction {
    pub const ALL: [AuditAction; 38] = [
        AuditAction::Search,
        AuditAction::Open,
        AuditAction::BreakGlass,
        AuditAction::ViewPlans,
        AuditAction::ViewBoard,
        AuditAction::ViewCaseload,
        AuditAction::Export,
        AuditAction::Print,
        AuditAction::Import,
        AuditAction::ChangeSpell,
        AuditAction::RecordChc,
        AuditAction::ChcDecisionRecorded,
        AuditAction::PlanRevised,
        AuditAction::MatchConfirmed,
        AuditAction::MatchRejected,
        AuditAction::MatchUndone,
        AuditAction::RecordsCleared,
        AuditAction::AuditKeyReplaced,
        AuditAction::FeedMessageNotStored,
        AuditAction::DatabaseMoved,
        AuditAction::Sitrep,
        AuditAction::CldReturn,
        AuditAction::UserChanged,
        AuditAction::ViewWorklist,
        AuditAction::Follow,
        AuditAction::Unfollow,
        AuditAction::WorklistSeen,
        AuditAction::WorklistAcknowledged,
        AuditAction::TaskCreated,
        AuditAction::TaskChanged,
        AuditAction::CoordinatorSet,
        AuditAction::AccessWithoutRelationship,
        AuditAction::EmergencyAccess,
        AuditAction::CareTeamChanged,
        AuditAction::ObjectionChanged,
        AuditAction::RelationshipRuleSet,
        AuditAction::AlertRuleAdded,
        AuditAction::AlertRuleRemoved,
    ];

    /// The code stored in the audit log.
    pub fn code(self) -> &'static str {
        match self {
            AuditAction::Search => "search",
            AuditAction::Open => "open",
            AuditAction::BreakGlass => "break_glass",
            AuditAction::ViewPlans => "plans",
            AuditAction::ViewBoard => "board",
            AuditAction::ViewCaseload => "caseload",
            AuditAction::Export => "export",
            AuditAction::Print => "print",
            AuditAction::Import => "import",
            AuditAction::ChangeSpell => "change_spell",
            AuditAction::RecordChc => "record_chc",
            AuditAction::ChcDecisionRecorded => "chc_decision_recorded",
            AuditAction::PlanRevised => "plan_revised",
            AuditAction::MatchConfirmed => "match_confirmed",
            AuditAction::MatchRejected => "match_rejected",
            AuditAction::MatchUndone => "match_undone",
            AuditAction::RecordsCleared => "records_cleared",
            AuditAction::AuditKeyReplaced => "audit_key_replaced",
            AuditAction::FeedMessageNotStored => "feed_not_stored",
            AuditAction::DatabaseMoved => "database_moved",
            AuditAction::Sitrep => "sitrep",
            AuditAction::CldReturn => "cld_return",
            AuditAction::UserChanged => "user_changed",
            AuditAction::ViewWorklist => "worklist",
            AuditAction::Follow => "follow",
            AuditAction::Unfollow => "unfollow",
            AuditAction::WorklistSeen => "worklist_seen",
            AuditAction::WorklistAcknowledged => "worklist_acknowledged",
            AuditAction::TaskCreated => "task_created",
            AuditAction::TaskChanged => "task_changed",
            AuditAction::CoordinatorSet => "coordinator_set",
            AuditAction::AccessWithoutRelationship => "access_without_relationship",
            AuditAction::EmergencyAccess => "emergency_access",
            AuditAction::CareTeamChanged => "care_team_changed",
            AuditAction::ObjectionChanged => "objection_changed",
            AuditAction::RelationshipRuleSet => "relationship_rule_set",
            AuditAction::AlertRuleAdded => "alert_rule_added",
            AuditAction::AlertRuleRemoved => "alert_rule_removed",
        }
    }

    /// What this action's change touched, for the windows that show it live:
    /// `None` for an action that changes no one's data (a view, a search, an
    /// export); `Some(true)` when only the event's own person; `Some(false)` when
    /// anyone may have changed (an import, a link that moves items between records).
    pub fn changes(self) -> Option<bool> {
        match self {
            AuditAction::ChangeSpell
            | AuditAction::RecordChc
            | AuditAction::ChcDecisionRecorded
            | AuditAction::PlanRevised => Some(true),
            AuditAction::Import
            | AuditAction::MatchConfirmed
            | AuditAction::MatchRejected
            | AuditAction::MatchUndone
            | AuditAction::RecordsCleared
            | AuditAction::DatabaseMoved => Some(false),
            AuditAction::Search
            | AuditAction::Open
            | AuditAction::BreakGlass
            | AuditAction::ViewPlans
            | AuditAction::ViewBoard
            | AuditAction::ViewCaseload
            | AuditAction::Export
            | AuditAction::Print
            | AuditAction::AuditKeyReplaced
            | AuditAction::FeedMessageNotStored
            | AuditAction::Sitrep
            | AuditAction::CldReturn
            | AuditAction::UserChanged
            | AuditAction::ViewWorklist
            | AuditAction::WorklistSeen
            | AuditAction::CoordinatorSet
            | AuditAction::AccessWithoutRelationship
            | AuditAction::EmergencyAccess => None,
            // Who may see a person changes what others' windows show of them.
            AuditAction::CareTeamChanged | AuditAction::ObjectionChanged => Some(true),
            AuditAction::RelationshipRuleSet => Some(false),
            AuditAction::AlertRuleAdded | AuditAction::AlertRuleRemoved => None,
            // A follow, an acknowledgement or a task shows on others' windows of
            // that person (the team shares tasks and acknowledgements).
            AuditAction::Follow
            | AuditAction::Unfollow
            | AuditAction::WorklistAcknowledged
            | AuditAction::TaskCreated
            | AuditAction::TaskChanged => Some(true),
        }
    }

    pub fn from_code(code: &str) -> Option<AuditAction> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    /// The action's name in a few words, for the audit screen's Action column and
    /// filter and the audit CSV (the longer [`AuditAction::description`] on hover).
    pub fn label(self) -> &'static str {
        match self {
            AuditAction::Search => "Search",
            AuditAction::Open => "Opened record",
            AuditAction::BreakGlass => "Break glass",
            AuditAction::ViewPlans => "Viewed care plans",
            AuditAction::ViewBoard => "Viewed discharge board",
            AuditAction::ViewCaseload => "Viewed CHC caseload",
            AuditAction::Export => "Export",
            AuditAction::Print => "Print",
            AuditAction::Import => "Import",
            AuditAction::ChangeSpell => "Changed hospital stay",
            AuditAction::RecordChc => "Recorded CHC assessment",
            AuditAction::ChcDecisionRecorded => "Recorded ICB decision",
            AuditAction::PlanRevised => "Revised care plan",
            AuditAction::MatchConfirmed => "Linked records",
            AuditAction::MatchRejected => "Rejected match",
            AuditAction::MatchUndone => "Undid link",
            AuditAction::RecordsCleared => "Training records cleared",
            AuditAction::AuditKeyReplaced => "New audit key",
            AuditAction::FeedMessageNotStored => "Feed message not stored",
            AuditAction::DatabaseMoved => "Database moved",
            AuditAction::Sitrep => "Situation report",
            AuditAction::CldReturn => "CLD return",
            AuditAction::UserChanged => "User changed",
            AuditAction::ViewWorklist => "Viewed worklist",
            AuditAction::Follow => "Followed person",
            AuditAction::Unfollow => "Stopped following",
            AuditAction::WorklistSeen => "Marked seen",
            AuditAction::WorklistAcknowledged => "Acknowledged event",
            AuditAction::TaskCreated => "Task made",
            AuditAction::TaskChanged => "Task changed",
            AuditAction::CoordinatorSet => "Coordinator set",
            AuditAction::AccessWithoutRelationship => "Access without relationship",
            AuditAction::EmergencyAccess => "Emergency access",
            AuditAction::CareTeamChanged => "Care team changed",
            AuditAction::ObjectionChanged => "Objection changed",
            AuditAction::RelationshipRuleSet => "Access rule set",
            AuditAction::AlertRuleAdded => "Alert rule added",
            AuditAction::AlertRuleRemoved => "Alert rule removed",
        }
    }

    /// The action in plain English, for the audit screen.
    pub fn description(self) -> &'static str {
        match self {
            AuditAction::Search => "Searched for a person",
            AuditAction::Open => "Opened a record",
            AuditAction::BreakGlass => "Showed restricted items (break-glass, with a reason)",
            AuditAction::ViewPlans => "Viewed care plans",
            AuditAction::ViewBoard => "Viewed the discharge board",
            AuditAction::ViewCaseload => "Viewed the CHC caseload",
            AuditAction::Export => "Exported data from the record",
            AuditAction::Print => "Printed a summary (PDF)",
            AuditAction::Import => "Imported a file",
            AuditAction::ChangeSpell => "Changed a hospital stay's discharge facts",
            AuditAction::RecordChc => "Recorded a CHC assessment",
            AuditAction::ChcDecisionRecorded => "Recorded the ICB's CHC decision (or replaced one, with a reason)",
            AuditAction::PlanRevised => "Made a care plan's next version in joinedup (the changes in words)",
            AuditAction::MatchConfirmed => "Linked a record to a person",
            AuditAction::MatchRejected => "Marked a suggested match as not the same person",
            AuditAction::MatchUndone => "Undid a link between records",
            AuditAction::RecordsCleared => "Cleared the training records to seed them again",
            AuditAction::AuditKeyReplaced => "Started a new audit key (the old one was missing)",
            AuditAction::FeedMessageNotStored => "A feed's message was not stored (a type not kept, or invalid)",
            AuditAction::DatabaseMoved => "Moved a desktop database onto this one, with its audit history",
            AuditAction::Sitrep => "Made a discharge situation report (daily, weekly or trends)",
            AuditAction::CldReturn => "Made the Adult Social Care CLD return",
            AuditAction::UserChanged => "Added a server's user, disabled one, or changed their role",
            AuditAction::ViewWorklist => "Viewed a coordinator's worklist",
            AuditAction::Follow => "Followed a person (added to a caseload)",
            AuditAction::Unfollow => "Stopped following a person",
            AuditAction::WorklistSeen => "Marked the worklist's events seen",
            AuditAction::WorklistAcknowledged => "Acknowledged an event on the worklist",
            AuditAction::TaskCreated => "Made a task",
            AuditAction::TaskChanged => "Changed a task",
            AuditAction::CoordinatorSet => "Set who an account is in the sources (allocated worker, team)",
            AuditAction::AccessWithoutRelationship => {
                "Opened a record without a recorded relationship (outside the care team, with a reason)"
            }
            AuditAction::EmergencyAccess => {
                "Emergency access: overrode an objection to sharing (flagged for the information governance lead)"
            }
            AuditAction::CareTeamChanged => "Added a user or team to a person's care team, or took one off",
            AuditAction::ObjectionChanged => "Recorded or withdrew a person's objection to sharing",
            AuditAction::RelationshipRuleSet => "Set the deployment's rule for access without a relationship",
            AuditAction::AlertRuleAdded => "Added an alert rule (event kinds, which people)",
            AuditAction::AlertRuleRemoved => "Removed an alert rule",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_actions_have_one_code_and_description_each() {
        let mut codes: Vec<_> = AuditAction::ALL.iter().map(|a| a.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), AuditAction::ALL.len());
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::from_code(a.code()), Some(a));
            assert!(!a.description().is_empty());
        }
        assert_eq!(AuditAction::from_code("break_glass"), Some(AuditAction::BreakGlass));
    }

    /// The audit screen's short names: a table of the ones staff meet most, and for
    /// every action one name, unique, in words (no stored code shows through).
    #[test]
    fn audit_actions_have_short_readable_labels() {
        for (action, label) in [
            (AuditAction::Search, "Search"),
            (AuditAction::Open, "Opened record"),
            (AuditAction::BreakGlass, "Break glass"),
            (AuditAction::Export, "Export"),
            (AuditAction::Print, "Print"),
            (AuditAction::Import, "Import"),
            (AuditAction::ChangeSpell, "Changed hospital stay"),
            (AuditAction::ChcDecisionRecorded, "Recorded ICB decision"),
            (AuditAction::MatchConfirmed, "Linked records"),
            (AuditAction::RecordsCleared, "Training records cleared"),
            (AuditAction::AccessWithoutRelationship, "Access without relationship"),
            (AuditAction::EmergencyAccess, "Emergency access"),
        ] {
            assert_eq!(action.label(), label, "{action:?}");
        }
        let mut labels: Vec<_> = AuditAction::ALL.iter().map(|a| a.label()).collect();
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(labels.len(), AuditAction::ALL.len(), "one label each");
        for a in AuditAction::ALL {
            let l = a.label();
            assert!(l.chars().next().is_some_and(char::is_uppercase), "{l}");
            assert!(!l.contains('_') && l.len() <= 30, "{l}");
            assert_ne!(l, a.code(), "{a:?} shows its code");
        }
    }
}
