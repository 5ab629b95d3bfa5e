//! What the benchmarks share: medians, and drawing a screen headless frame by frame.

use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime};

pub fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Draw `frames` frames of a 1440x900 window without a GPU, timing each (layout, and
/// tessellation too when `tessellate`). Returns the times and the shapes of the last frame.
pub fn headless_frames(frames: usize, tessellate: bool, mut draw: impl FnMut(&mut egui::Ui)) -> (Vec<Duration>, usize) {
    let ctx = egui::Context::default();
    let mut times = Vec::with_capacity(frames);
    let mut shapes = 0;
    for i in 0..frames {
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1440.0, 900.0))),
            time: Some(i as f64 / 60.0),
            ..Default::default()
        };
        let t = Instant::now();
        let output = ctx.run_ui(input, |ui| {
            egui::CentralPanel::default().show(ui, |ui| draw(ui));
        });
        shapes = output.shapes.len();
        if tessellate {
            let meshes = ctx.tessellate(output.shapes, output.pixels_per_point);
            std::hint::black_box(meshes);
        }
        times.push(t.elapsed());
    }
    (times, shapes)
}

// What the engine benchmarks share: their sizes, dates, figures and a long history.

pub fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

pub fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).expect("date")
}

pub fn now() -> NaiveDateTime {
    as_of().and_hms_opt(9, 0, 0).expect("time")
}

pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// A person with 10,000 items, in a bundle of their own.
pub fn long_history() -> Vec<u8> {
    let mut episodes = Vec::with_capacity(10_000);
    for i in 0..10_000 {
        let day = NaiveDate::from_ymd_opt(1990, 1, 1).expect("date") + chrono::Duration::days(i);
        episodes.push(serde_json::json!({
            "ref": format!("LH-{i}"), "kind": "gp_encounter", "title": "Review",
            "start": format!("{}T09:00", day.format("%Y-%m-%d"))
        }));
    }
    serde_json::to_vec(
        &serde_json::json!({"format": "joinedup-bundle", "version": 1, "people": [{
        "nhs_number": "9990001014", "source": "Bench PAS", "given_name": "Long", "family_name": "History",
        "episodes": episodes}]}),
    )
    .expect("bundle")
}
