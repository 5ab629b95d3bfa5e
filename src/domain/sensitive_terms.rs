//! Recognising the sensitive categories of RULES.md section 8 from clinical text,
//! for sources that do not label them (a FHIR Condition or questionnaire).
//!
//! The national exclusion lists are SNOMED CT code sets (the RCGP sensitive dataset)
//! that we do not hold; this matches plain words in the code's display text and is a
//! default-hide safety net, not the national list. It errs towards hiding: a false
//! match costs a reason typed, a miss shows what should have been hidden.
//! Safeguarding as a restricted category is a recommendation, not a confirmed
//! national rule (RULES.md 8, marked [U]).

use super::Sensitivity;

const SEXUAL_HEALTH: &[&str] = &[
    "sexually transmitted",
    "sexual health",
    "genitourinary medicine",
    "chlamydia",
    "gonorrhoea",
    "gonorrhea",
    "syphilis",
    "genital herpes",
    "genital warts",
    "trichomon",
];
const ASSISTED_CONCEPTION: &[&str] = &[
    "in vitro fertili",
    "ivf",
    "assisted conception",
    "assisted fertili",
    "intracytoplasmic sperm",
    "embryo transfer",
    "donor insemination",
];
const TERMINATION: &[&str] = &[
    "termination of pregnancy",
    "induced abortion",
    "medical abortion",
    "surgical abortion",
];
const GENDER: &[&str] = &[
    "gender reassignment",
    "gender dysphoria",
    "gender identity clinic",
    "transsexual",
];
const SAFEGUARDING: &[&str] = &[
    "safeguarding",
    "child protection",
    "section 42",
    "domestic abuse",
    "domestic violence",
];

/// The sensitive category clinical text falls in, or `Normal`.
pub fn sensitivity_of_text(text: &str) -> Sensitivity {
    let t = text.to_lowercase();
    let words_match = |list: &[&str]| {
        list.iter().any(|w| {
            // Short words must stand alone ("ivf", not "ivfx"); longer phrases may start words.
            if w.len() <= 4 {
                t.split(|c: char| !c.is_alphanumeric()).any(|x| x == *w)
            } else {
                t.contains(w)
            }
        })
    };
    if words_match(SEXUAL_HEALTH) {
        Sensitivity::SexualHealth
    } else if words_match(ASSISTED_CONCEPTION) {
        Sensitivity::AssistedConception
    } else if words_match(TERMINATION) {
        Sensitivity::TerminationOfPregnancy
    } else if words_match(GENDER) {
        Sensitivity::GenderReassignment
    } else if words_match(SAFEGUARDING) {
        Sensitivity::Safeguarding
    } else {
        Sensitivity::Normal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_from_display_text() {
        assert_eq!(
            sensitivity_of_text("Chlamydia trachomatis infection"),
            Sensitivity::SexualHealth
        );
        assert_eq!(
            sensitivity_of_text("Referral to IVF clinic"),
            Sensitivity::AssistedConception
        );
        assert_eq!(
            sensitivity_of_text("Termination of pregnancy (procedure)"),
            Sensitivity::TerminationOfPregnancy
        );
        assert_eq!(sensitivity_of_text("Gender dysphoria"), Sensitivity::GenderReassignment);
        assert_eq!(
            sensitivity_of_text("Adult safeguarding concern"),
            Sensitivity::Safeguarding
        );
        assert_eq!(sensitivity_of_text("Hypertension monitoring"), Sensitivity::Normal);
        assert_eq!(sensitivity_of_text("Bleeding from ear"), Sensitivity::Normal);
        // "ivf" only as a word.
        assert_eq!(sensitivity_of_text("Passivfoo"), Sensitivity::Normal);
    }
}
