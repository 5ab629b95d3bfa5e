//! The daily discharge situation report: per hospital site, on one day, the
//! figures NHS England's acute discharge sitrep asks for, each with its people.
//! Definitions (and which are unconfirmed) in `docs/returns.md`.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::{Figure, ReasonCategory, SpellFacts};
use crate::domain::discharge::{DelayBand, days_delayed, length_of_stay};
use crate::domain::hospital::Attribution;

/// The length-of-stay thresholds the sitrep reports (days).
pub const LOS_THRESHOLDS: [i64; 3] = [7, 14, 21];

/// One site's figures on the day (or the total over every site).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SiteFigures {
    pub hospital: String,
    /// Adults in hospital at some time on the day.
    pub in_hospital: Figure,
    /// Of them, those who no longer met the criteria to reside on the day (a
    /// discharge ready date on or before it, not meeting the criteria since).
    pub no_longer_meet_criteria: Figure,
    /// Of those, discharged on the day.
    pub discharged_today: Figure,
    /// Of those, still in hospital at the end of the day.
    pub remaining_no_longer_meet: Figure,
    /// Every adult discharged on the day, by Discharge to Assess pathway 0 to 3.
    pub discharges_by_pathway: [Figure; 4],
    /// Adults discharged on the day with no pathway recorded (not a sitrep field;
    /// shown so the pathway counts add up).
    pub discharges_pathway_not_set: Figure,
    /// Adults in hospital on the day with a stay of at least 7, 14 and 21 days.
    pub los_plus: [Figure; 3],
    /// Those who no longer meet the criteria, by days since the discharge ready date.
    pub delay_bands: BTreeMap<DelayBand, Figure>,
    /// Those who no longer meet the criteria, by the category and attribution of
    /// each delay reason in force on the day (a person with two reasons is in two cells).
    pub delay_reasons: BTreeMap<(ReasonCategory, Attribution), Figure>,
}

impl SiteFigures {
    fn new(hospital: &str) -> Self {
        SiteFigures {
            hospital: hospital.to_owned(),
            delay_bands: DelayBand::ALL.into_iter().map(|b| (b, Figure::default())).collect(),
            ..Default::default()
        }
    }

    /// Count one spell on `day`.
    fn count(&mut self, f: &SpellFacts, day: NaiveDate) {
        let link = f.link();
        self.in_hospital.add(link.clone());
        let discharged = f.discharged_on(day);
        if discharged {
            match f.spell.pathway {
                Some(p @ 0..=3) => self.discharges_by_pathway[p as usize].add(link.clone()),
                _ => self.discharges_pathway_not_set.add(link.clone()),
            }
        }
        let los = length_of_stay(&f.spell, day).unwrap_or(0);
        for (i, t) in LOS_THRESHOLDS.iter().enumerate() {
            if los >= *t {
                self.los_plus[i].add(link.clone());
            }
        }
        let Some(delayed) = days_delayed(&f.spell, day) else {
            return;
        };
        self.no_longer_meet_criteria.add(link.clone());
        if discharged {
            self.discharged_today.add(link.clone());
        } else {
            self.remaining_no_longer_meet.add(link.clone());
        }
        self.delay_bands
            .entry(DelayBand::of(delayed))
            .or_default()
            .add(link.clone());
        for r in f.reasons_on(day) {
            let key = (ReasonCategory::of(r), r.attribution);
            self.delay_reasons.entry(key).or_default().add(link.clone());
        }
    }

    /// Add another site's figures (for the total).
    fn merge(&mut self, other: &SiteFigures) {
        self.in_hospital.merge(&other.in_hospital);
        self.no_longer_meet_criteria.merge(&other.no_longer_meet_criteria);
        self.discharged_today.merge(&other.discharged_today);
        self.remaining_no_longer_meet.merge(&other.remaining_no_longer_meet);
        for i in 0..4 {
            self.discharges_by_pathway[i].merge(&other.discharges_by_pathway[i]);
        }
        self.discharges_pathway_not_set.merge(&other.discharges_pathway_not_set);
        for i in 0..3 {
            self.los_plus[i].merge(&other.los_plus[i]);
        }
        for (k, f) in &other.delay_bands {
            self.delay_bands.entry(*k).or_default().merge(f);
        }
        for (k, f) in &other.delay_reasons {
            self.delay_reasons.entry(*k).or_default().merge(f);
        }
    }

    /// Every figure with its people masked as the disclosure policy says.
    pub fn disclosed(self) -> SiteFigures {
        SiteFigures {
            hospital: self.hospital,
            in_hospital: self.in_hospital.disclosed(),
            no_longer_meet_criteria: self.no_longer_meet_criteria.disclosed(),
            discharged_today: self.discharged_today.disclosed(),
            remaining_no_longer_meet: self.remaining_no_longer_meet.disclosed(),
            discharges_by_pathway: self.discharges_by_pathway.map(Figure::disclosed),
            discharges_pathway_not_set: self.discharges_pathway_not_set.disclosed(),
            los_plus: self.los_plus.map(Figure::disclosed),
            delay_bands: self.delay_bands.into_iter().map(|(k, f)| (k, f.disclosed())).collect(),
            delay_reasons: self
                .delay_reasons
                .into_iter()
                .map(|(k, f)| (k, f.disclosed()))
                .collect(),
        }
    }

    /// The figures by name with their counts, in the order of the JSON and CSV.
    pub fn named_figures(&self) -> Vec<(String, &Figure)> {
        let mut out: Vec<(String, &Figure)> = vec![
            ("in_hospital".into(), &self.in_hospital),
            ("no_longer_meet_criteria".into(), &self.no_longer_meet_criteria),
            ("discharged_today".into(), &self.discharged_today),
            ("remaining_no_longer_meet".into(), &self.remaining_no_longer_meet),
        ];
        for (p, f) in self.discharges_by_pathway.iter().enumerate() {
            out.push((format!("discharges_pathway_{p}"), f));
        }
        for (t, f) in LOS_THRESHOLDS.iter().zip(&self.los_plus) {
            out.push((format!("los_{t}_plus"), f));
        }
        for (b, f) in &self.delay_bands {
            out.push((format!("delay_band_{}", b.label()), f));
        }
        out
    }
}

/// The situation report for one day.
#[derive(Debug, Clone, PartialEq)]
pub struct Sitrep {
    pub date: NaiveDate,
    /// One per hospital site with anyone in hospital on the day, by name.
    pub sites: Vec<SiteFigures>,
    /// Every site together (`hospital` reads "total").
    pub total: SiteFigures,
}

impl Sitrep {
    pub fn disclosed(self) -> Sitrep {
        Sitrep {
            date: self.date,
            sites: self.sites.into_iter().map(SiteFigures::disclosed).collect(),
            total: self.total.disclosed(),
        }
    }
}

/// Build the sitrep for `day` from spell facts (any spells; those not in hospital
/// on the day, and children, are left out). `hospital`: only the site whose name is
/// this (compared without case).
pub fn build(facts: &[SpellFacts], day: NaiveDate, hospital: Option<&str>) -> Sitrep {
    let mut sites: BTreeMap<String, SiteFigures> = BTreeMap::new();
    for f in facts {
        if !f.in_hospital_on(day) || !f.is_adult_on(day) {
            continue;
        }
        if hospital.is_some_and(|h| !h.trim().eq_ignore_ascii_case(f.spell.hospital.trim())) {
            continue;
        }
        sites
            .entry(f.spell.hospital.clone())
            .or_insert_with(|| SiteFigures::new(&f.spell.hospital))
            .count(f, day);
    }
    let mut total = SiteFigures::new("total");
    for s in sites.values() {
        total.merge(s);
    }
    Sitrep {
        date: day,
        sites: sites.into_values().collect(),
        total,
    }
}
