//! The quarterly Adult Social Care Client Level Data return (CLD release 1): one
//! row per social care event in the reporting period (request, assessment,
//! service, review), in the column order of the R1 submission view
//! (`shared/data/external/cld-reference`), only what the council holds.
//!
//! Left out, and counted: every NHS item (health sector, CHC), safeguarding
//! enquiries (CLD excludes them, RULES.md 4.3), cancelled events, and events in a
//! sensitive category. A restricted person's events are in the return (the council
//! must return them) under their identifiers, with name, postcode and GP left blank.

use chrono::NaiveDate;

use crate::domain::{Demographics, Episode, EpisodeKind, EpisodeStatus, LocalId, NhsNumber, Sector, Sex};

/// CLD release 1 submission columns, in order.
pub const CLD_R1_COLUMNS: [&str; 49] = [
    "Reporting Period Start Date",
    "Reporting Period End Date",
    "NHS Number",
    "LA Person Unique Identifier",
    "First Name",
    "Last Name",
    "GP Practice Name",
    "GP Practice Code",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Date of Death",
    "Client Type",
    "Primary Support Reason",
    "Postcode",
    "Accommodation Status",
    "Employment Status",
    "Has Unpaid Carer",
    "Autism Spectrum Disorder (ASD)",
    "Visual Impairment",
    "Hearing Impairment",
    "Dementia",
    "Client Funding Status",
    "Event Type",
    "Event Reference",
    "Event Start Date",
    "Event End Date",
    "Event Description",
    "Event Outcome",
    "Request: Route of Access",
    "Assessment Type",
    "Eligible Needs Identified",
    "Method of Assessment",
    "Total Hrs Caring per week",
    "No. of adults being cared for",
    "Adult 1 Linked Person_ID",
    "Adult 2 Linked Person_ID",
    "Adult 3 Linked Person_ID",
    "Service Type",
    "Service Component",
    "Delivery Mechanism",
    "Provider CQC Location Name",
    "Provider CQC Location ID",
    "Review Reason",
    "Review Outcomes Achieved",
    "Method of Review",
    "Unit Cost",
    "Cost Frequency (Unit Type)",
    "Planned units per week",
];

/// The column index of a CLD column name.
pub fn column(name: &str) -> usize {
    CLD_R1_COLUMNS.iter().position(|c| *c == name).unwrap_or(usize::MAX)
}

/// The coded CLD fields a social care event keeps as episode attributes:
/// (attribute key, CLD column). One list for both directions: the CLD importer
/// keeps these, and the return writes them back, so a return re-imports to the
/// same events.
pub const ATTRIBUTE_COLUMNS: [(&str, &str); 17] = [
    (
        crate::domain::episode::attr::ROUTE_OF_ACCESS,
        "Request: Route of Access",
    ),
    (crate::domain::episode::attr::SERVICE_TYPE, "Service Type"),
    ("service_component", "Service Component"),
    ("delivery_mechanism", "Delivery Mechanism"),
    ("outcome", "Event Outcome"),
    ("assessment_type", "Assessment Type"),
    ("eligible_needs_identified", "Eligible Needs Identified"),
    ("review_reason", "Review Reason"),
    ("review_outcomes_achieved", "Review Outcomes Achieved"),
    ("provider", "Provider CQC Location Name"),
    ("provider_cqc_location_id", "Provider CQC Location ID"),
    ("unit_cost", "Unit Cost"),
    ("cost_frequency", "Cost Frequency (Unit Type)"),
    ("planned_units_per_week", "Planned units per week"),
    ("primary_support_reason", "Primary Support Reason"),
    ("client_funding_status", "Client Funding Status"),
    ("client_type", "Client Type"),
];

/// A person with social care events, as the store finds them.
#[derive(Debug, Clone, PartialEq)]
pub struct CldPerson {
    pub person_id: i64,
    pub nhs_number: Option<NhsNumber>,
    /// The person's local ids; the council's becomes `LA Person Unique Identifier`.
    pub local_ids: Vec<LocalId>,
    pub demographics: Demographics,
    pub is_restricted: bool,
}

/// The return: its rows and what was left out, and why.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CldReturn {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub rows: Vec<Vec<String>>,
    /// Store person id of each row.
    pub row_people: Vec<i64>,
    /// Social care items that are not CLD events (safeguarding enquiries) and
    /// anything not of the council's sector.
    pub left_out_not_cld: usize,
    pub left_out_sensitive: usize,
    pub left_out_cancelled: usize,
    pub restricted_people: usize,
}

/// The CLD event type of an episode kind, or None for what CLD does not hold.
pub fn event_type(kind: EpisodeKind) -> Option<&'static str> {
    match kind {
        EpisodeKind::SocialCareRequest => Some("Request"),
        EpisodeKind::SocialCareAssessment | EpisodeKind::CarerAssessment => Some("Assessment"),
        EpisodeKind::SocialCareService => Some("Service"),
        EpisodeKind::SocialCareReview => Some("Review"),
        _ => None,
    }
}

/// Does the event fall in the period: started by its end, not ended before its start.
pub fn in_period(e: &Episode, from: NaiveDate, to: NaiveDate) -> bool {
    e.start.date() <= to && e.end.is_none_or(|end| end.date() >= from)
}

fn sex_word(sex: Sex) -> &'static str {
    match sex {
        Sex::Female => "Female",
        Sex::Male => "Male",
        Sex::Other => "Other",
        Sex::Unknown => "",
    }
}

/// "Name (CODE)" as the importer stores a GP practice, split back into its columns.
fn gp_parts(gp: Option<&str>) -> (String, String) {
    let Some(gp) = gp.map(str::trim).filter(|g| !g.is_empty()) else {
        return (String::new(), String::new());
    };
    match gp.strip_suffix(')').and_then(|g| g.rsplit_once(" (")) {
        Some((name, code)) => (name.to_owned(), code.to_owned()),
        None => (gp.to_owned(), String::new()),
    }
}

impl CldPerson {
    /// The council's id for the person under the event's source; else an id of a
    /// source that names itself a council or local authority. None: the row fails
    /// validation (`LA Person Unique Identifier` is mandatory).
    pub fn la_person_id(&self, event_source: &str) -> Option<&str> {
        let council = |s: &str| {
            let s = s.to_lowercase();
            s.contains("council") || s.contains("local authority") || s.contains("cld")
        };
        self.local_ids
            .iter()
            .find(|l| l.source == event_source)
            .or_else(|| self.local_ids.iter().find(|l| council(&l.source)))
            .map(|l| l.id.as_str())
    }
}

/// The row for one event.
fn row(p: &CldPerson, e: &Episode, event_type: &str, from: NaiveDate, to: NaiveDate) -> Vec<String> {
    let mut r = vec![String::new(); CLD_R1_COLUMNS.len()];
    let mut set = |name: &str, v: String| r[column(name)] = v;
    set("Reporting Period Start Date", from.to_string());
    set("Reporting Period End Date", to.to_string());
    set("NHS Number", p.nhs_number.map(|n| n.digits()).unwrap_or_default());
    set(
        "LA Person Unique Identifier",
        p.la_person_id(&e.provenance.source).unwrap_or_default().to_owned(),
    );
    let d = &p.demographics;
    if !p.is_restricted {
        set("First Name", d.given_name.clone());
        set("Last Name", d.family_name.clone());
        let (name, code) = gp_parts(d.gp_practice.as_deref());
        set("GP Practice Name", name);
        set("GP Practice Code", code);
        set("Postcode", d.postcode.clone().unwrap_or_default());
    }
    set("Gender", sex_word(d.sex).into());
    set(
        "Date of Birth",
        d.date_of_birth.map(|x| x.to_string()).unwrap_or_default(),
    );
    set(
        "Date of Death",
        d.date_of_death.map(|x| x.to_string()).unwrap_or_default(),
    );
    set("Event Type", event_type.into());
    set("Event Reference", e.provenance.source_ref.clone());
    set("Event Start Date", e.start.date().to_string());
    set(
        "Event End Date",
        e.end.map(|t| t.date().to_string()).unwrap_or_default(),
    );
    set("Event Description", e.detail.clone());
    for (key, col) in ATTRIBUTE_COLUMNS {
        if let Some(v) = e.attr(key) {
            set(col, v.to_owned());
        }
    }
    if r[column("Client Type")].is_empty() {
        let client = if e.kind == EpisodeKind::CarerAssessment {
            "Carer"
        } else {
            "Service User"
        };
        r[column("Client Type")] = client.into();
    }
    if e.kind == EpisodeKind::CarerAssessment && !r[column("Assessment Type")].to_lowercase().contains("carer") {
        r[column("Assessment Type")] = "Carer Assessment".into();
    }
    r
}

/// Build the return for `from` to `to` from people and their episodes (person
/// store id, episode). Rows are ordered as the events are given.
pub fn build(people: &[CldPerson], events: &[(i64, Episode)], from: NaiveDate, to: NaiveDate) -> CldReturn {
    let by_id: std::collections::HashMap<i64, &CldPerson> = people.iter().map(|p| (p.person_id, p)).collect();
    let mut out = CldReturn {
        from: Some(from),
        to: Some(to),
        ..Default::default()
    };
    let mut restricted = std::collections::HashSet::new();
    for (person_id, e) in events.iter().filter(|(_, e)| in_period(e, from, to)) {
        let (Some(kind), Some(p), Sector::SocialCare) = (event_type(e.kind), by_id.get(person_id), e.sector()) else {
            out.left_out_not_cld += 1;
            continue;
        };
        if e.status == EpisodeStatus::Cancelled {
            out.left_out_cancelled += 1;
            continue;
        }
        if e.sensitivity.is_sensitive() {
            out.left_out_sensitive += 1;
            continue;
        }
        if p.is_restricted {
            restricted.insert(p.person_id);
        }
        out.rows.push(row(p, e, kind, from, to));
        out.row_people.push(*person_id);
    }
    out.restricted_people = restricted.len();
    out
}

/// The return as CSV: the R1 header, then a row per event.
pub fn cld_csv(r: &CldReturn) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(CLD_R1_COLUMNS);
    for row in &r.rows {
        let _ = w.write_record(row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
