//! The window's look, in one place: the NHS identity palette on a light theme by
//! default, a dark theme as an option, and text sizes. Every screen takes its
//! colours from the [`Palette`] of the theme in use ([`of`]), never from a
//! `Color32` of its own, so that each colour is chosen once for each background.
//!
//! Text colours are held to WCAG AA (4.5:1) on every background they are drawn on;
//! the tests below compute each pair (SAFETY.md H32).

use egui::{Color32, Visuals};
use serde::{Deserialize, Serialize};

use crate::domain::board_counts::DelayColourBand;
use crate::domain::person_alerts::AlertGrade;
use crate::domain::{EpisodeStatus, Sector};

mod contrast;
mod style;

pub use contrast::{contrast_ratio, over};
pub use style::{DISABLED_ALPHA, SMALL_SIZE, TEXT_SIZES, install};

/// Which theme the window uses: kept with the window's other state, or given as
/// `--theme light|dark`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ThemeChoice {
    #[default]
    Light,
    Dark,
}

impl ThemeChoice {
    pub fn parse(s: &str) -> Result<Self, String> {
        match s.trim().to_lowercase().as_str() {
            "light" => Ok(ThemeChoice::Light),
            "dark" => Ok(ThemeChoice::Dark),
            other => Err(format!("{other:?} is not a theme: light or dark")),
        }
    }

    /// The other theme, for the switch in the navigation bar.
    pub fn other(self) -> Self {
        match self {
            ThemeChoice::Light => ThemeChoice::Dark,
            ThemeChoice::Dark => ThemeChoice::Light,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ThemeChoice::Light => "Light theme",
            ThemeChoice::Dark => "Dark theme",
        }
    }

    fn egui_theme(self) -> egui::Theme {
        match self {
            ThemeChoice::Light => egui::Theme::Light,
            ThemeChoice::Dark => egui::Theme::Dark,
        }
    }
}

/// A filled flag (a banner alert, the training band): its fill and the text on it.
/// Flags carry their own fill, so they read the same on either theme.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Flag {
    pub fill: Color32,
    pub text: Color32,
}

/// The colours of one theme. Text colours are for text on `background` or `surface`.
#[derive(Debug, Clone, PartialEq)]
pub struct Palette {
    pub is_dark: bool,
    /// Body text.
    pub text: Color32,
    /// Secondary text (egui's "weak" text): still AA on every background.
    pub secondary_text: Color32,
    /// The panels' fill.
    pub background: Color32,
    /// Text boxes, windows, the timeline and table stripes.
    pub surface: Color32,
    /// Borders and separators (not text).
    pub border: Color32,
    pub accent: Color32,
    /// NHS items and NHS-blue text.
    pub health: Color32,
    pub social_care: Color32,
    /// Danger only: safeguarding, errors, long delays, overdue.
    pub danger: Color32,
    /// A caution in text: suspended, disagreeing, unsaved.
    pub caution: Color32,
    pub info: Color32,
    pub ok: Color32,
    /// Restricted and hidden items.
    pub restricted: Color32,
    /// The fill of a suspended package on the timeline.
    pub suspended_fill: Color32,
    /// Behind selected text and the selected navigation button (white text on it).
    pub selection: Color32,
    pub danger_flag: Flag,
    pub warning_flag: Flag,
    pub info_flag: Flag,
    pub restricted_flag: Flag,
    pub caution_flag: Flag,
    /// The board's delay bands (`domain::board_counts::DelayColourBand`), in order:
    /// 0 days, 1-6, 7-13, 14-20, 21+. Each is shown with its label too.
    pub delay_band_flags: [Flag; 5],
}

const NHS_BLUE: Color32 = Color32::from_rgb(0x00, 0x5E, 0xB8);
const NHS_DARK_BLUE: Color32 = Color32::from_rgb(0x00, 0x30, 0x87);
const NHS_TEXT: Color32 = Color32::from_rgb(0x21, 0x2B, 0x32);
const NHS_SECONDARY: Color32 = Color32::from_rgb(0x4C, 0x62, 0x72);
const NHS_MID_GREY: Color32 = Color32::from_rgb(0x76, 0x86, 0x92);
const NHS_PALE_GREY: Color32 = Color32::from_rgb(0xE8, 0xED, 0xEE);
const NHS_RED: Color32 = Color32::from_rgb(0xD5, 0x28, 0x1B);
const NHS_YELLOW: Color32 = Color32::from_rgb(0xFF, 0xEB, 0x3B);
const NHS_WARM_YELLOW: Color32 = Color32::from_rgb(0xFF, 0xB8, 0x1C);
const NHS_GREEN: Color32 = Color32::from_rgb(0x00, 0x7F, 0x3B);
const NHS_ORANGE: Color32 = Color32::from_rgb(0xED, 0x8B, 0x00);
const NHS_DARK_RED: Color32 = Color32::from_rgb(0x8A, 0x15, 0x38);

/// The delay bands' flags: green on the day, warm yellow under a week, orange for a
/// week, red for two and dark red for three weeks or more. The same on either theme.
const DELAY_BAND_FLAGS: [Flag; 5] = [
    Flag {
        fill: NHS_GREEN,
        text: Color32::WHITE,
    },
    Flag {
        fill: NHS_WARM_YELLOW,
        text: NHS_TEXT,
    },
    Flag {
        fill: NHS_ORANGE,
        text: NHS_TEXT,
    },
    Flag {
        fill: NHS_RED,
        text: Color32::WHITE,
    },
    Flag {
        fill: NHS_DARK_RED,
        text: Color32::WHITE,
    },
];

const DELAY_BAND_NAMES: [&str; 5] = [
    "delay 0 days flag",
    "delay 1-6 days flag",
    "delay 7-13 days flag",
    "delay 14-20 days flag",
    "delay 21+ days flag",
];

/// The palette of the theme `ui` is drawn in.
pub fn of(ui: &egui::Ui) -> &'static Palette {
    for_visuals(ui.visuals())
}

pub fn for_visuals(v: &Visuals) -> &'static Palette {
    if v.dark_mode { &DARK } else { &LIGHT }
}

const FLAGS: (Flag, Flag, Flag, Flag, Flag) = (
    Flag {
        fill: NHS_RED,
        text: Color32::WHITE,
    },
    Flag {
        fill: NHS_YELLOW,
        text: NHS_TEXT,
    },
    Flag {
        fill: NHS_PALE_GREY,
        text: NHS_DARK_BLUE,
    },
    Flag {
        fill: NHS_SECONDARY,
        text: Color32::WHITE,
    },
    Flag {
        fill: NHS_WARM_YELLOW,
        text: NHS_TEXT,
    },
);

/// The default theme: NHS identity colours on pale grey, white panels.
pub const LIGHT: Palette = Palette {
    is_dark: false,
    text: NHS_TEXT,
    // #768692 (mid grey) is 3.4:1 on the pale grey: borders only, never text.
    secondary_text: NHS_SECONDARY,
    background: Color32::from_rgb(0xF0, 0xF4, 0xF5),
    surface: Color32::WHITE,
    border: NHS_MID_GREY,
    accent: NHS_BLUE,
    health: NHS_BLUE,
    social_care: Color32::from_rgb(0x00, 0x70, 0x5A),
    danger: NHS_RED,
    caution: Color32::from_rgb(0x8A, 0x4B, 0x00),
    info: Color32::from_rgb(0x33, 0x00, 0x72),
    ok: Color32::from_rgb(0x00, 0x67, 0x47),
    restricted: NHS_SECONDARY,
    suspended_fill: NHS_WARM_YELLOW,
    selection: NHS_BLUE,
    danger_flag: FLAGS.0,
    warning_flag: FLAGS.1,
    info_flag: FLAGS.2,
    restricted_flag: FLAGS.3,
    caution_flag: FLAGS.4,
    delay_band_flags: DELAY_BAND_FLAGS,
};

/// The dark option: the same meanings, lightened for a dark background.
pub const DARK: Palette = Palette {
    is_dark: true,
    text: NHS_PALE_GREY,
    secondary_text: Color32::from_rgb(0xAE, 0xB7, 0xBD),
    background: Color32::from_rgb(0x1E, 0x24, 0x28),
    surface: Color32::from_rgb(0x14, 0x1A, 0x1E),
    border: NHS_MID_GREY,
    accent: Color32::from_rgb(0x41, 0xB6, 0xE6),
    health: Color32::from_rgb(0x41, 0xB6, 0xE6),
    social_care: Color32::from_rgb(0x4C, 0xC3, 0xA5),
    danger: Color32::from_rgb(0xFF, 0x6B, 0x5E),
    caution: NHS_WARM_YELLOW,
    info: Color32::from_rgb(0xB9, 0xA6, 0xE8),
    ok: Color32::from_rgb(0x5F, 0xD3, 0x8D),
    restricted: Color32::from_rgb(0xAE, 0xB7, 0xBD),
    suspended_fill: NHS_WARM_YELLOW,
    selection: NHS_BLUE,
    danger_flag: FLAGS.0,
    warning_flag: FLAGS.1,
    info_flag: FLAGS.2,
    restricted_flag: FLAGS.3,
    caution_flag: FLAGS.4,
    delay_band_flags: DELAY_BAND_FLAGS,
};

impl Palette {
    pub fn sector(&self, s: Sector) -> Color32 {
        match s {
            Sector::Health => self.health,
            Sector::SocialCare => self.social_care,
        }
    }

    /// Fill for an episode on the timeline: sector colour, warm yellow while
    /// suspended, faded once it has ended.
    pub fn episode_fill(&self, s: Sector, status: EpisodeStatus) -> Color32 {
        match status {
            EpisodeStatus::Suspended => self.suspended_fill,
            EpisodeStatus::Cancelled => self.restricted,
            EpisodeStatus::Active | EpisodeStatus::Planned => self.sector(s),
            _ => self.sector(s).gamma_multiply(0.7),
        }
    }

    /// Text and marks drawn on a timeline fill (a span's label, the open-ended
    /// arrow): white or black, whichever stands out more from the fill as seen on
    /// the canvas (a faded fill is part canvas). One of the two always reaches
    /// 4.5:1, which neither white nor the text colour does on every faded fill.
    pub fn on_fill(&self, fill: Color32) -> Color32 {
        let seen = contrast::flatten(fill, self.surface);
        if contrast_ratio(Color32::WHITE, seen) >= contrast_ratio(Color32::BLACK, seen) {
            Color32::WHITE
        } else {
            Color32::BLACK
        }
    }

    /// The banner flag for an alert of this grade.
    pub fn alert_flag(&self, grade: AlertGrade) -> Flag {
        match grade {
            AlertGrade::Danger => self.danger_flag,
            AlertGrade::Warning => self.warning_flag,
            AlertGrade::Information => self.info_flag,
        }
    }

    /// The flag of a delay band on the board.
    pub fn delay_band(&self, band: DelayColourBand) -> Flag {
        self.delay_band_flags[band.index()]
    }

    /// Every text colour the palette draws, each with each background it is drawn on.
    pub fn text_pairs(&self) -> Vec<(&'static str, Color32, Color32)> {
        let texts = [
            ("text", self.text),
            ("secondary text", self.secondary_text),
            ("accent", self.accent),
            ("health", self.health),
            ("social care", self.social_care),
            ("danger", self.danger),
            ("caution", self.caution),
            ("info", self.info),
            ("ok", self.ok),
            ("restricted", self.restricted),
        ];
        let mut pairs = Vec::new();
        for (name, colour) in texts {
            pairs.push((name, colour, self.background));
            pairs.push((name, colour, self.surface));
        }
        // A disabled widget's text (a read-only stay's next action) is still read.
        for bg in [self.background, self.surface] {
            pairs.push(("disabled text", over(self.text, DISABLED_ALPHA, bg), bg));
        }
        for (name, flag) in [
            ("danger flag", self.danger_flag),
            ("warning flag", self.warning_flag),
            ("info flag", self.info_flag),
            ("restricted flag", self.restricted_flag),
            ("caution flag", self.caution_flag),
        ] {
            pairs.push((name, flag.text, flag.fill));
        }
        for (band, flag) in self.delay_band_flags.iter().enumerate() {
            pairs.push((DELAY_BAND_NAMES[band], flag.text, flag.fill));
        }
        pairs.push(("selected text", Color32::WHITE, self.selection));
        pairs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_safeguarding_alert_is_not_the_colour_of_lives_alone() {
        use crate::domain::person_alerts::grade_alert;
        let safeguarding = LIGHT.alert_flag(grade_alert("Safeguarding: adult"));
        let lives_alone = LIGHT.alert_flag(grade_alert("Lives alone"));
        assert_eq!(safeguarding.fill, NHS_RED);
        assert_ne!(safeguarding.fill, lives_alone.fill);
    }

    #[test]
    fn marks_on_a_fill_stand_out() {
        assert_eq!(LIGHT.on_fill(NHS_BLUE), Color32::WHITE);
        assert_eq!(LIGHT.on_fill(NHS_WARM_YELLOW), Color32::BLACK);
    }

    #[test]
    fn a_label_on_every_timeline_fill_meets_wcag_aa() {
        for palette in [&LIGHT, &DARK] {
            let mut fills = vec![("restricted", palette.restricted)];
            for sector in Sector::ALL {
                for status in EpisodeStatus::ALL {
                    fills.push((status.code(), palette.episode_fill(sector, status)));
                }
            }
            for (name, fill) in fills {
                let seen = contrast::flatten(fill, palette.surface);
                let ratio = contrast_ratio(palette.on_fill(fill), seen);
                assert!(
                    ratio >= 4.5,
                    "dark {}: {name} {seen:?} at {ratio:.2}:1",
                    palette.is_dark
                );
            }
        }
    }

    #[test]
    fn the_theme_flag_parses() {
        assert_eq!(ThemeChoice::parse("Dark"), Ok(ThemeChoice::Dark));
        assert_eq!(ThemeChoice::parse("light"), Ok(ThemeChoice::Light));
        assert!(ThemeChoice::parse("blue").is_err());
    }
}
