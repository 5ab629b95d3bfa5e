//! Who is using the record, for the audit log (RULES.md 8; DESIGN.md 5): the
//! operating-system user plus a role chosen at start.

mod actions;

pub use actions::AuditAction;
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

/// The shortest reason accepted for seeing restricted items: a few words, not a
/// blank, a dot or "x" (DESIGN.md "Who sees what").
pub const REASON_MIN_WORDS: usize = 2;
pub const REASON_MIN_CHARS: usize = 8;
/// A reason is a sentence, not an essay.
pub const REASON_MAX_CHARS: usize = 500;

/// Common direct-care reasons offered in the window's pick-list (the user may also
/// type their own).
pub const COMMON_REASONS: [&str; 5] = [
    "Direct care: planning this person's discharge",
    "Direct care: safeguarding concern raised today",
    "Direct care: reviewing the care and support plan",
    "Direct care: CHC assessment in progress",
    "Information governance: investigating an access request",
];

/// A reason for seeing restricted items, checked once where it is typed ("parse,
/// don't validate"): at least a few words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason(String);

impl Reason {
    pub fn parse(text: &str) -> Result<Reason, String> {
        let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if t.is_empty() {
            return Err("a reason is needed: say in a few words why you need to see the restricted items".into());
        }
        let words = t.split(' ').filter(|w| w.chars().any(char::is_alphanumeric)).count();
        if words < REASON_MIN_WORDS || t.chars().count() < REASON_MIN_CHARS {
            return Err(format!(
                "{t:?} is too short for a reason: say in a few words why you need to see the restricted items"
            ));
        }
        if t.chars().count() > REASON_MAX_CHARS {
            return Err(format!("a reason is at most {REASON_MAX_CHARS} characters"));
        }
        if t.chars().any(char::is_control) {
            return Err("a reason cannot hold control characters".into());
        }
        Ok(Reason(t))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who is acting: the operating-system account (on a desktop) and the role they
/// chose, which is claimed, not proven (DESIGN.md "Who sees what").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user: String,
    pub role: Option<Role>,
}

impl Actor {
    /// As written to the audit log: `jsmith (Care coordinator, claimed)`.
    pub fn audit_name(&self) -> String {
        match self.role {
            Some(role) => format!("{} ({}, claimed)", self.user, role.label()),
            None => format!("{} (role not chosen)", self.user),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_need_a_few_words() {
        for (text, ok) in [
            ("", false),
            ("   ", false),
            ("x", false),
            ("direct", false),
            ("a b", false),
            ("... ...", false),
            ("direct care", true),
            ("  Direct care:\tplanning discharge ", true),
        ] {
            assert_eq!(Reason::parse(text).is_ok(), ok, "{text:?}");
        }
        assert_eq!(
            Reason::parse("  Direct care:\tplanning discharge ").unwrap().as_str(),
            "Direct care: planning discharge"
        );
        for r in COMMON_REASONS {
            assert!(Reason::parse(r).is_ok(), "{r}");
        }
    }

    #[test]
    fn the_actor_names_user_and_role() {
        let actor = |user: &str, role| Actor {
            user: user.into(),
            role,
        };
        assert_eq!(
            actor("jsmith", Some(Role::CareCoordinator)).audit_name(),
            "jsmith (Care coordinator, claimed)"
        );
        assert_eq!(Role::parse("IG_lead"), Ok(Role::InformationGovernanceLead));
        assert!(Role::parse("admin").is_err());
        assert_eq!(actor("ig", None).audit_name(), "ig (role not chosen)");
    }
}
