//! Who is using the record, for the audit log (RULES.md 8; DESIGN.md 5): the
//! operating-system user plus a role chosen at start.

use serde::{Deserialize, Serialize};

/// Marks every export and print from training mode (DESIGN.md 5): the first line of
/// text and CSV output, a `watermark` field in JSON, a watermark on printed pages.
pub const TRAINING_WATERMARK: &str = "TRAINING: synthetic people only, not for care decisions";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    CareCoordinator,
    Trainer,
    Tester,
    InformationGovernanceLead,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::CareCoordinator,
        Role::Trainer,
        Role::Tester,
        Role::InformationGovernanceLead,
    ];

    /// `care-coordinator`, `trainer`, `tester` or `ig-lead` (any case; `_` or `-`).
    pub fn parse(s: &str) -> Result<Role, String> {
        match s.trim().to_lowercase().replace('_', "-").as_str() {
            "care-coordinator" | "coordinator" => Ok(Role::CareCoordinator),
            "trainer" => Ok(Role::Trainer),
            "tester" => Ok(Role::Tester),
            "ig-lead" | "information-governance-lead" => Ok(Role::InformationGovernanceLead),
            _ => Err(format!(
                "{s:?} is not a role: care-coordinator, trainer, tester or ig-lead"
            )),
        }
    }

    /// The audit screen (everyone's access) is for the information governance lead;
    /// every role sees who has looked at the record it has open.
    pub fn sees_audit_screen(self) -> bool {
        self == Role::InformationGovernanceLead
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::CareCoordinator => "Care coordinator",
            Role::Trainer => "Trainer",
            Role::Tester => "Tester",
            Role::InformationGovernanceLead => "Information governance lead",
        }
    }
}

/// The actor written to every audit event: `jsmith (Care coordinator)`.
pub fn actor(user: &str, role: Role) -> String {
    format!("{user} ({})", role.label())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_actor_names_user_and_role() {
        assert_eq!(actor("jsmith", Role::CareCoordinator), "jsmith (Care coordinator)");
        assert_eq!(Role::parse("IG_lead"), Ok(Role::InformationGovernanceLead));
        assert!(Role::parse("admin").is_err());
        assert_eq!(
            actor("ig", Role::InformationGovernanceLead),
            "ig (Information governance lead)"
        );
    }
}
