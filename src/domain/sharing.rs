//! Who may see a person's record on a shared server beyond the disclosure policy:
//! the legitimate relationship (a care team) and objections to sharing (issue 14,
//! SAFETY.md H25 and H26). The server enforces both (PostgreSQL migration 0012);
//! these are the values the program shows and the rules it checks before asking.
//!
//! The care team and the objection scope are this project's reading of the
//! Information Governance Alliance's guidance on shared care records (direct care
//! under implied consent, access with a legitimate relationship, a person's
//! right to object under the National Data Opt-out's direct-care exclusion and
//! the GDPR's Article 21): unconfirmed against a local data sharing agreement,
//! which sets the expiry and whether access without a relationship is allowed.

use chrono::NaiveDate;

/// Each deployment's rule for a care coordinator opening the record of someone
/// outside their care team (the meta key `relationship_rule`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationshipRule {
    /// Open with a recorded reason, audited as "access without a recorded
    /// relationship" (the default: the direct-care frameworks allow it).
    Reason,
    /// Never: the user must be added to the care team first.
    Block,
    /// No relationship is checked (a single-team deployment).
    Off,
}

impl RelationshipRule {
    pub fn code(self) -> &'static str {
        match self {
            RelationshipRule::Reason => "reason",
            RelationshipRule::Block => "block",
            RelationshipRule::Off => "off",
        }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        match text.trim().to_lowercase().as_str() {
            "reason" => Ok(RelationshipRule::Reason),
            "block" => Ok(RelationshipRule::Block),
            "off" => Ok(RelationshipRule::Off),
            _ => Err(format!("{text:?} is not a relationship rule: reason, block or off")),
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            RelationshipRule::Reason => {
                "a coordinator outside a person's care team opens the record after giving a reason (audited)"
            }
            RelationshipRule::Block => "a coordinator outside a person's care team cannot open the record",
            RelationshipRule::Off => "no care team is checked",
        }
    }
}

/// The signed-in user's relationship with a person, as the server reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Relationship {
    /// Not a server, or a role the server does not check: nothing to show.
    NotChecked,
    /// In the care team: why ("allocated to your team", "on your ward", ...).
    Recorded(String),
    /// Outside the care team, and a reason was given (a grant held).
    ReasonGiven,
    /// Outside the care team: the record is held back until a reason is given.
    None,
}

impl Relationship {
    /// From what the server's `joinedup_relationship` and `joinedup_related` say.
    pub fn from_server(basis: Option<String>, related: bool) -> Self {
        match basis {
            Some(b) if b.starts_with("not checked") => Relationship::NotChecked,
            Some(b) => Relationship::Recorded(b),
            None if related => Relationship::ReasonGiven,
            None => Relationship::None,
        }
    }

    /// The record is held back until the user gives a reason.
    pub fn needs_reason(&self) -> bool {
        matches!(self, Relationship::None)
    }

    /// One line for the banner and `show`, or nothing.
    pub fn notice(&self) -> Option<String> {
        match self {
            Relationship::NotChecked => None,
            Relationship::Recorded(basis) => Some(format!("In your care team: {basis}")),
            Relationship::ReasonGiven => Some(
                "Opened without a recorded relationship, with a reason (audited)".into(),
            ),
            Relationship::None => Some(
                "You have no recorded relationship with this person: the record is held back until you give a reason (audited)".into(),
            ),
        }
    }
}

/// Who a person objected to sharing their record with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectionScope {
    /// Every organisation but the one an item came from.
    All,
    /// Only these organisations.
    Organisations(Vec<String>),
}

impl ObjectionScope {
    /// From `--organisations A,B` (none: every organisation).
    pub fn parse(list: Option<&str>) -> Result<Self, String> {
        let Some(list) = list else {
            return Ok(ObjectionScope::All);
        };
        let names: Vec<String> = list
            .split(',')
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|s| !s.is_empty())
            .collect();
        if names.is_empty() {
            return Err("name at least one organisation, or leave --organisations out for all of them".into());
        }
        Ok(ObjectionScope::Organisations(names))
    }

    /// As stored: a JSON array of names, or NULL for all.
    pub fn to_stored(&self) -> Option<String> {
        match self {
            ObjectionScope::All => None,
            ObjectionScope::Organisations(names) => Some(serde_json::to_string(names).unwrap_or_default()),
        }
    }

    pub fn from_stored(stored: Option<&str>) -> Self {
        match stored.and_then(|s| serde_json::from_str::<Vec<String>>(s).ok()) {
            Some(names) if !names.is_empty() => ObjectionScope::Organisations(names),
            _ => ObjectionScope::All,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            ObjectionScope::All => "every other organisation".into(),
            ObjectionScope::Organisations(names) => names.join(", "),
        }
    }
}

/// A person's objection to sharing, as the information governance lead recorded
/// it. The reason and who recorded it reach the IG lead only (empty otherwise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Objection {
    pub id: i64,
    pub person_id: i64,
    pub objected_on: NaiveDate,
    pub reason: String,
    pub scope: ObjectionScope,
    pub recorded_by: String,
    pub withdrawn_on: Option<NaiveDate>,
}

impl Objection {
    /// In force until withdrawn (as the server holds it: from when it is recorded,
    /// whatever date the person objected on).
    pub fn in_force(&self) -> bool {
        self.withdrawn_on.is_none()
    }

    /// What the window and `show` say while it is in force: that there is one,
    /// never what it hides.
    pub fn notice(&self) -> String {
        let since = crate::domain::dates::fmt_date(self.objected_on);
        match &self.scope {
            ObjectionScope::All => format!(
                "Objection to sharing in force since {since}: each item is shown only within the organisation it came from"
            ),
            ObjectionScope::Organisations(names) => format!(
                "Objection to sharing in force since {since}: items from other organisations are not shown to {}",
                names.join(", ")
            ),
        }
    }
}

/// The objection in force, if any (the earliest, when there are several).
pub fn objection_in_force(objections: &[Objection]) -> Option<&Objection> {
    objections.iter().filter(|o| o.in_force()).min_by_key(|o| o.objected_on)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_server_says_how_a_user_stands() {
        let cases = [
            (Some("not checked for this role"), false, Relationship::NotChecked),
            (
                Some("allocated to your team"),
                false,
                Relationship::Recorded("allocated to your team".into()),
            ),
            (None, true, Relationship::ReasonGiven),
            (None, false, Relationship::None),
        ];
        for (basis, related, want) in cases {
            let got = Relationship::from_server(basis.map(str::to_owned), related);
            assert_eq!(got, want, "{basis:?} {related}");
            assert_eq!(got.needs_reason(), want == Relationship::None);
        }
        assert!(Relationship::NotChecked.notice().is_none());
        assert!(Relationship::None.notice().unwrap().contains("give a reason"));
    }

    #[test]
    fn rules_and_scopes_parse_and_round_trip() {
        for rule in [RelationshipRule::Reason, RelationshipRule::Block, RelationshipRule::Off] {
            assert_eq!(RelationshipRule::parse(rule.code()), Ok(rule));
        }
        assert!(RelationshipRule::parse("maybe").is_err());
        assert_eq!(ObjectionScope::parse(None), Ok(ObjectionScope::All));
        let named = ObjectionScope::parse(Some(" Westmere  Council , Northgate General Hospital,")).unwrap();
        assert_eq!(
            named,
            ObjectionScope::Organisations(vec!["Westmere Council".into(), "Northgate General Hospital".into()])
        );
        assert_eq!(ObjectionScope::from_stored(named.to_stored().as_deref()), named);
        assert_eq!(ObjectionScope::from_stored(None), ObjectionScope::All);
        assert!(ObjectionScope::parse(Some(" , ")).is_err());
    }

    #[test]
    fn an_objection_is_in_force_until_withdrawn() {
        let o = Objection {
            id: 1,
            person_id: 7,
            objected_on: d(2026, 11, 1),
            reason: String::new(),
            scope: ObjectionScope::All,
            recorded_by: String::new(),
            withdrawn_on: Some(d(2026, 12, 1)),
        };
        assert!(!o.in_force());
        let open = Objection {
            withdrawn_on: None,
            objected_on: d(2026, 11, 2),
            ..o.clone()
        };
        let older = Objection {
            withdrawn_on: None,
            ..o.clone()
        };
        assert!(open.in_force());
        assert_eq!(objection_in_force(&[o.clone(), open.clone()]), Some(&open));
        assert_eq!(objection_in_force(&[open.clone(), older.clone()]), Some(&older));
        assert_eq!(objection_in_force(&[o]), None);
        assert!(open.notice().contains("02-Nov-2026"), "{}", open.notice());
        assert!(!open.notice().contains("reason"));
    }
}
