//! Colours used across screens, in one place.

use egui::Color32;

use crate::domain::{EpisodeStatus, Sector};

pub const HEALTH: Color32 = Color32::from_rgb(0, 94, 184); // NHS blue
pub const SOCIAL_CARE: Color32 = Color32::from_rgb(0, 128, 96);
pub const SUSPENDED: Color32 = Color32::from_rgb(214, 140, 0);
pub const WARNING: Color32 = Color32::from_rgb(200, 40, 40);
pub const INFO: Color32 = Color32::from_rgb(110, 80, 170);
pub const OK: Color32 = Color32::from_rgb(0, 130, 60);
pub const TRAINING: Color32 = Color32::from_rgb(255, 200, 0);
pub const RESTRICTED: Color32 = Color32::from_rgb(120, 120, 120);

pub fn sector(s: Sector) -> Color32 {
    match s {
        Sector::Health => HEALTH,
        Sector::SocialCare => SOCIAL_CARE,
    }
}

/// Fill for an episode on the timeline: sector colour, amber while suspended,
/// faded once it has ended.
pub fn episode_fill(s: Sector, status: EpisodeStatus) -> Color32 {
    match status {
        EpisodeStatus::Suspended => SUSPENDED,
        EpisodeStatus::Cancelled => RESTRICTED,
        EpisodeStatus::Active | EpisodeStatus::Planned => sector(s),
        _ => sector(s).gamma_multiply(0.7),
    }
}
