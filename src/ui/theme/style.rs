//! The egui styles of both themes: the palette's colours given to egui's visuals,
//! and text sizes (body text at least 14 points).

use egui::{Color32, FontId, Stroke, TextStyle, Visuals};

use super::{DARK, LIGHT, Palette, ThemeChoice};

/// Text sizes in points. Body text is at least 14.
pub const TEXT_SIZES: [(TextStyle, f32); 5] = [
    (TextStyle::Small, 13.0),
    (TextStyle::Body, 14.0),
    (TextStyle::Button, 14.0),
    (TextStyle::Monospace, 14.0),
    (TextStyle::Heading, 20.0),
];

/// How opaque a disabled widget is drawn (egui's default is 0.5, under 4.5:1 on
/// white): the text of a read-only field is still there to be read.
pub const DISABLED_ALPHA: f32 = 0.7;

/// Small text drawn by hand (timeline axis, lane names).
pub const SMALL_SIZE: f32 = 13.0;

/// Give the context both themes' styles and use `choice`.
pub fn install(ctx: &egui::Context, choice: ThemeChoice) {
    for (theme, palette) in [(egui::Theme::Light, &LIGHT), (egui::Theme::Dark, &DARK)] {
        ctx.style_mut_of(theme, |style| {
            style.visuals = visuals(palette);
            for (text_style, size) in &TEXT_SIZES {
                let family = style
                    .text_styles
                    .get(text_style)
                    .map(|f| f.family.clone())
                    .unwrap_or_default();
                style.text_styles.insert(text_style.clone(), FontId::new(*size, family));
            }
        });
    }
    ctx.set_theme(choice.egui_theme());
}

fn visuals(p: &Palette) -> Visuals {
    let mut v = if p.is_dark { Visuals::dark() } else { Visuals::light() };
    // Not override_text_color: it would also colour the text on a selected button.
    v.weak_text_color = Some(p.secondary_text);
    v.panel_fill = p.background;
    v.window_fill = p.surface;
    v.extreme_bg_color = p.surface;
    v.faint_bg_color = p.surface;
    v.code_bg_color = p.surface;
    v.hyperlink_color = p.accent;
    v.warn_fg_color = p.caution;
    v.error_fg_color = p.danger;
    v.window_stroke = Stroke::new(1.0, p.border);
    v.disabled_alpha = DISABLED_ALPHA;
    v.selection.bg_fill = p.selection;
    v.selection.stroke = Stroke::new(1.0, Color32::WHITE);
    let w = &mut v.widgets;
    w.noninteractive.bg_fill = p.background;
    w.noninteractive.weak_bg_fill = p.background;
    w.noninteractive.bg_stroke = Stroke::new(1.0, p.border);
    w.noninteractive.fg_stroke = Stroke::new(1.0, p.text);
    w.inactive.bg_fill = p.surface;
    w.inactive.weak_bg_fill = p.surface;
    w.inactive.bg_stroke = Stroke::new(1.0, p.border);
    w.inactive.fg_stroke = Stroke::new(1.0, p.text);
    w.open.fg_stroke = Stroke::new(1.0, p.text);
    w.hovered.bg_stroke = Stroke::new(1.5, p.accent);
    w.hovered.fg_stroke = Stroke::new(1.5, p.text);
    w.active.bg_stroke = Stroke::new(2.0, p.accent);
    w.active.fg_stroke = Stroke::new(2.0, p.text);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_text_is_at_least_14_points() {
        for (style, size) in &TEXT_SIZES {
            if matches!(style, TextStyle::Body | TextStyle::Button | TextStyle::Monospace) {
                assert!(*size >= 14.0, "{style:?} is {size}");
            }
        }
    }

    #[test]
    fn installed_styles_use_the_palettes_and_sizes() {
        let ctx = egui::Context::default();
        install(&ctx, ThemeChoice::Light);
        let light = ctx.style_of(egui::Theme::Light);
        assert_eq!(light.visuals.panel_fill, LIGHT.background);
        assert_eq!(light.visuals.text_color(), LIGHT.text);
        assert_eq!(light.visuals.weak_text_color(), LIGHT.secondary_text);
        assert_eq!(light.text_styles[&TextStyle::Body].size, 14.0);
        let dark = ctx.style_of(egui::Theme::Dark);
        assert!(dark.visuals.dark_mode);
        assert_eq!(dark.visuals.weak_text_color(), DARK.secondary_text);
    }
}
