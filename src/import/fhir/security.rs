//! Restriction travels with the data: a restricted person's Patient, and every
//! resource in a sensitive category, carry FHIR security labels (`meta.security`):
//! the HL7 confidentiality code `R` (restricted), and the category in joined-up's
//! own code system so another joinedup reads back exactly what was hidden. A label
//! from another system's confidentiality codes `R` or `V` without a category is
//! honoured as [`Sensitivity::Confidential`].

use serde_json::{Value, json};

use super::{arr, s};
use crate::domain::Sensitivity;

pub const CONFIDENTIALITY_SYSTEM: &str = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";
/// The same code system as older systems name it (FHIR STU3, and its OID).
const CONFIDENTIALITY_ALIASES: [&str; 3] = [
    CONFIDENTIALITY_SYSTEM,
    "http://hl7.org/fhir/v3/Confidentiality",
    "urn:oid:2.16.840.1.113883.5.25",
];
pub const SENSITIVITY_SYSTEM: &str = "urn:joinedup:sensitivity";

/// The labels of a resource: none for an open one.
pub fn labels(sensitivity: Sensitivity, restricted: bool) -> Option<Value> {
    if !restricted && !sensitivity.is_sensitive() {
        return None;
    }
    let mut out = vec![json!({"system": CONFIDENTIALITY_SYSTEM, "code": "R", "display": "restricted"})];
    if sensitivity.is_sensitive() {
        out.push(json!({"system": SENSITIVITY_SYSTEM, "code": sensitivity.code()}));
    }
    Some(Value::Array(out))
}

/// Put `labels` on a resource's `meta` (keeping what `meta` already holds).
pub fn label(resource: &mut Value, sensitivity: Sensitivity, restricted: bool) {
    if let Some(l) = labels(sensitivity, restricted) {
        if !resource["meta"].is_object() {
            resource["meta"] = json!({});
        }
        resource["meta"]["security"] = l;
    }
}

/// What a resource's labels say: restricted at all, and its category if named.
pub fn read(r: &Value) -> (bool, Option<Sensitivity>) {
    let labels = r.get("meta").map(|m| arr(m, "security")).unwrap_or_default();
    let restricted = labels.iter().any(|l| {
        s(l, &["system"]).is_some_and(|sys| CONFIDENTIALITY_ALIASES.contains(&sys))
            && matches!(s(l, &["code"]), Some("R" | "V"))
    });
    let category = labels
        .iter()
        .filter(|l| s(l, &["system"]) == Some(SENSITIVITY_SYSTEM))
        .find_map(|l| s(l, &["code"]).and_then(Sensitivity::from_code))
        .filter(|c| c.is_sensitive());
    (restricted || category.is_some(), category)
}

/// The sensitivity a labelled item takes: its named category, else what the mapper
/// found in its text, else "confidential" when it is labelled restricted.
pub fn sensitivity_of(r: &Value, found: Sensitivity) -> Sensitivity {
    match read(r) {
        (_, Some(category)) => category,
        (true, None) if !found.is_sensitive() => Sensitivity::Confidential,
        _ => found,
    }
}
