//! What the benchmarks share: medians, and drawing a screen headless frame by frame.

use std::time::{Duration, Instant};

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
