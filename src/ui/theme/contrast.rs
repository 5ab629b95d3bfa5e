//! WCAG 2 contrast, to hold every text colour of the palettes to AA (4.5:1).

use egui::Color32;

/// The WCAG 2 contrast ratio of two opaque colours, 1 to 21.
pub fn contrast_ratio(a: Color32, b: Color32) -> f32 {
    let (la, lb) = (relative_luminance(a), relative_luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// `fg` drawn at `alpha` over an opaque `bg`, blended per channel as egui's
/// `gamma_multiply` and the renderer do (in sRGB).
pub fn over(fg: Color32, alpha: f32, bg: Color32) -> Color32 {
    let mix = |f: u8, b: u8| (f32::from(f) * alpha + f32::from(b) * (1.0 - alpha)).round() as u8;
    Color32::from_rgb(mix(fg.r(), bg.r()), mix(fg.g(), bg.g()), mix(fg.b(), bg.b()))
}

/// A fill as egui keeps it (premultiplied alpha, as `gamma_multiply` leaves it)
/// drawn over an opaque `bg`: the opaque colour the eye sees.
pub fn flatten(fill: Color32, bg: Color32) -> Color32 {
    let rest = 1.0 - f32::from(fill.a()) / 255.0;
    let mix = |f: u8, b: u8| (f32::from(f) + f32::from(b) * rest).round().min(255.0) as u8;
    Color32::from_rgb(mix(fill.r(), bg.r()), mix(fill.g(), bg.g()), mix(fill.b(), bg.b()))
}

/// WCAG 2 relative luminance of an sRGB colour.
fn relative_luminance(c: Color32) -> f32 {
    let channel = |v: u8| {
        let v = f32::from(v) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
}

#[cfg(test)]
mod tests {
    use super::super::{DARK, LIGHT, NHS_BLUE, NHS_MID_GREY};
    use super::*;

    #[test]
    fn every_text_colour_meets_wcag_aa_on_its_background() {
        for palette in [&LIGHT, &DARK] {
            for (name, text, background) in palette.text_pairs() {
                let ratio = contrast_ratio(text, background);
                assert!(
                    ratio >= 4.5,
                    "{} theme: {name} {text:?} on {background:?} is {ratio:.2}:1, under 4.5:1",
                    if palette.is_dark { "dark" } else { "light" }
                );
            }
        }
    }

    #[test]
    fn the_contrast_ratio_matches_known_values() {
        assert!((contrast_ratio(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 0.01);
        assert!((contrast_ratio(Color32::WHITE, Color32::WHITE) - 1.0).abs() < 0.01);
        // NHS blue on white, as the NHS service manual gives it.
        assert!((contrast_ratio(NHS_BLUE, Color32::WHITE) - 6.38).abs() < 0.05);
        // Mid grey fails as text, which is why secondary text is darker.
        assert!(contrast_ratio(NHS_MID_GREY, LIGHT.background) < 4.5);
    }
}
