//! Several episodes of one hospital stay become one inpatient spell: admitted at the
//! first episode's admission, discharged at the last one's discharge, with the last
//! known discharge facts.

use super::*;
use crate::domain::code_words::ADMISSION_METHOD;

/// Rows grouped into spells (same spell id, or same person, admission date and
/// provider), in the file's order of first appearance. A row that names a spell id
/// another person's row already has is rejected: one spell is one person's.
pub(super) fn group_spells(rows: Vec<RowFacts>, rejections: &mut Rejections) -> Vec<(String, Vec<RowFacts>)> {
    let mut order: Vec<String> = Vec::new();
    let mut groups: BTreeMap<String, Vec<RowFacts>> = BTreeMap::new();
    for r in rows {
        match groups.get_mut(&r.group) {
            Some(rows) if rows[0].key != r.key => {
                let id = r.group.split_once('|').map_or(r.group.as_str(), |(_, id)| id);
                let reason = format!("spell {id} is another person's (line {}) in this file", rows[0].line);
                rejections.reject(&format!("line {}", r.line), "spell_id", reason);
            }
            Some(rows) => rows.push(r),
            None => {
                order.push(r.group.clone());
                groups.insert(r.group.clone(), vec![r]);
            }
        }
    }
    order
        .into_iter()
        .filter_map(|g| groups.remove(&g).map(|rows| (g, rows)))
        .collect()
}

/// One inpatient spell from its episodes (file order): admission facts from the
/// first, discharge facts from the last that has a discharge.
pub(super) fn spell_of(group: &str, episodes: &[RowFacts]) -> EpisodeEntry {
    let first = &episodes[0];
    let last_discharged = episodes
        .iter()
        .filter(|e| e.discharged.is_some())
        .max_by_key(|e| e.discharged);
    let discharged = last_discharged.and_then(|e| e.discharged);
    let field = |k: &str, from: &RowFacts| from.fields.get(k).cloned();
    let discharge_from = last_discharged.unwrap_or(first);
    let latest = episodes.last().unwrap_or(first);
    let method = field(attr::ADMISSION_METHOD, first);
    let mut attributes = BTreeMap::new();
    for (k, v) in [
        (attr::ADMISSION_METHOD, method.clone()),
        (attr::DISCHARGE_METHOD, field(attr::DISCHARGE_METHOD, discharge_from)),
        (
            attr::DISCHARGE_DESTINATION,
            field(attr::DISCHARGE_DESTINATION, discharge_from),
        ),
    ] {
        if let Some(v) = v {
            attributes.insert(k.to_owned(), v);
        }
    }
    let episode_refs: Vec<&str> = episodes.iter().filter_map(|e| e.episode_ref.as_deref()).collect();
    if !episode_refs.is_empty() {
        attributes.insert("episode_refs".into(), episode_refs.join(" "));
    }
    attributes.insert(
        "source_lines".into(),
        episodes
            .iter()
            .map(|e| e.line.to_string())
            .collect::<Vec<_>>()
            .join(" "),
    );
    let kind_text = match method.as_deref() {
        Some(m) if is_emergency_admission(m) => "Emergency admission",
        Some(m) if is_elective_admission(m) => "Elective admission",
        _ => "Admission",
    };
    let detail = method
        .as_deref()
        .map(|m| format!("Admission method: {}", ADMISSION_METHOD.say(m)))
        .unwrap_or_default();
    let spell = HospitalSpell {
        episode_id: 0,
        hospital: first.provider.clone(),
        ward: field("ward", latest),
        admitted: Some(first.admitted),
        discharged,
        admission_method: method,
        admission_source: field("admission_source", first),
        discharge_method: field(attr::DISCHARGE_METHOD, discharge_from),
        discharge_destination: field(attr::DISCHARGE_DESTINATION, discharge_from),
        meets_criteria_to_reside: episodes.iter().rev().find_map(|e| e.meets),
        criteria_to_reside_code: field("criteria_to_reside_code", latest),
        discharge_ready_date: episodes.iter().rev().find_map(|e| e.drd),
        pathway: episodes.iter().rev().find_map(|e| e.pathway),
        delay_reasons: latest.delays.clone(),
        ctr_reviews: vec![],
        next_action: field("next_action", latest),
        next_action_owner: None,
        revision: Default::default(),
    };
    EpisodeEntry {
        person: first.key.clone(),
        episode: Episode {
            id: 0,
            kind: EpisodeKind::InpatientSpell,
            title: format!("{kind_text} to {}", first.provider),
            start: first.admitted,
            end: discharged,
            status: if discharged.is_some() {
                EpisodeStatus::Ended
            } else {
                EpisodeStatus::Active
            },
            organisation: Some(first.provider.clone()),
            detail,
            sensitivity: Sensitivity::Normal,
            attributes,
            provenance: Provenance {
                source: format!("Hospital spells ({})", first.provider),
                source_ref: group.to_owned(),
                ..Default::default()
            },
        },
        spell: Some(spell),
        chc: None,
        replaces_existing: false,
    }
}
