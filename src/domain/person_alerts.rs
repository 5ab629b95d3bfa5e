//! Grading of the alerts recorded against a person, for the patient banner.
//!
//! Sources send alerts as free text ("Safeguarding: contact the allocated worker
//! before any home visit", "Lives alone"), so a grade is found from the words the
//! alert starts with, by the table below. A grade says how loudly the banner shows
//! the alert: a safeguarding alert must not look the same as "lives alone", or staff
//! learn to read past the red. An alert the table does not know is shown as a
//! warning, never hidden or quietened (SAFETY.md H32).

/// How loudly an alert is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AlertGrade {
    /// A risk to the person or to staff: red.
    Danger,
    /// Something that changes how staff act today: warm yellow.
    Warning,
    /// Background staff should know: a calm tone.
    Information,
}

impl AlertGrade {
    pub fn label(self) -> &'static str {
        match self {
            AlertGrade::Danger => "Danger",
            AlertGrade::Warning => "Warning",
            AlertGrade::Information => "Information",
        }
    }
}

/// One row of the grading table: alerts starting with `starts` (any case) take
/// `grade`. `is_confirmed` is false for gradings no clinician or safeguarding lead
/// has agreed yet; they are listed in SAFETY.md H32 for review.
#[derive(Debug, Clone, Copy)]
pub struct GradingRule {
    pub starts: &'static str,
    pub grade: AlertGrade,
    pub is_confirmed: bool,
}

const fn rule(starts: &'static str, grade: AlertGrade, is_confirmed: bool) -> GradingRule {
    GradingRule {
        starts,
        grade,
        is_confirmed,
    }
}

/// The table, first match wins. Only safeguarding is confirmed (issue 17 names it
/// as danger and "lives alone" as not); the rest await review.
pub const GRADING: &[GradingRule] = &[
    rule("safeguarding", AlertGrade::Danger, true),
    rule("violence", AlertGrade::Danger, false),
    rule("aggressive", AlertGrade::Danger, false),
    rule("risk to staff", AlertGrade::Danger, false),
    rule("lone worker", AlertGrade::Danger, false),
    rule("dnacpr", AlertGrade::Warning, false),
    rule("respect form", AlertGrade::Warning, false),
    rule("oxygen", AlertGrade::Warning, false),
    rule("allergy", AlertGrade::Warning, false),
    rule("parkinson", AlertGrade::Warning, false),
    rule("lives alone", AlertGrade::Information, false),
    rule("hard of hearing", AlertGrade::Information, false),
    rule("lasting power of attorney", AlertGrade::Information, false),
    rule("interpreter", AlertGrade::Information, false),
    rule("type 1 diabetes", AlertGrade::Information, false),
    rule("type 2 diabetes", AlertGrade::Information, false),
];

/// The grade of one alert; an alert the table does not know is a warning.
pub fn grade_alert(text: &str) -> AlertGrade {
    let text = text.trim().to_lowercase();
    GRADING
        .iter()
        .find(|r| text.starts_with(r.starts))
        .map(|r| r.grade)
        .unwrap_or(AlertGrade::Warning)
}

/// A person's alerts, loudest first (stable within a grade), with their grades.
pub fn graded_alerts(alerts: &[String]) -> Vec<(AlertGrade, &str)> {
    let mut out: Vec<(AlertGrade, &str)> = alerts.iter().map(|a| (grade_alert(a), a.as_str())).collect();
    out.sort_by_key(|(g, _)| *g);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_training_alert_has_the_expected_grade() {
        let cases = [
            (
                "Safeguarding: contact the allocated worker before any home visit",
                AlertGrade::Danger,
            ),
            ("Lives alone", AlertGrade::Information),
            ("Hard of hearing: face her when speaking", AlertGrade::Information),
            ("Oxygen in the home: no smoking", AlertGrade::Warning),
            ("DNACPR in place", AlertGrade::Warning),
            (
                "Lasting power of attorney (health and welfare): son David",
                AlertGrade::Information,
            ),
            ("Parkinson's: medication times are critical", AlertGrade::Warning),
            ("Type 1 diabetes", AlertGrade::Information),
            ("  SAFEGUARDING concern", AlertGrade::Danger),
            ("Something no rule knows", AlertGrade::Warning),
        ];
        for (text, grade) in cases {
            assert_eq!(grade_alert(text), grade, "{text}");
        }
    }

    #[test]
    fn safeguarding_is_not_graded_like_lives_alone() {
        assert_ne!(grade_alert("Safeguarding"), grade_alert("Lives alone"));
    }

    #[test]
    fn loudest_alerts_come_first() {
        let alerts = vec![
            "Lives alone".to_owned(),
            "Safeguarding: adult".to_owned(),
            "DNACPR".to_owned(),
        ];
        let grades: Vec<AlertGrade> = graded_alerts(&alerts).into_iter().map(|(g, _)| g).collect();
        assert_eq!(
            grades,
            vec![AlertGrade::Danger, AlertGrade::Warning, AlertGrade::Information]
        );
    }
}
