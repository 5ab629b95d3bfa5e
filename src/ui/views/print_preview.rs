//! The print preview: the PDF's pages as they were laid out (`report::layout`),
//! page by page with the same line breaks, each page's header (the person's name,
//! NHS number and date of birth) and footer (who printed it, when, "Page N of M").
//! Only its two buttons close it. "Save PDF…" asks where to save; the PDF is made
//! again then, audited, and written.

use egui::{Color32, FontId, Rect, RichText, Stroke, Vec2};

use crate::report::layout::{Colour, Item, PAGE_HEIGHT, PAGE_WIDTH, Page, WATERMARK, WATERMARK_ANGLE, WATERMARK_SIZE};
use crate::service::PrintPreview;
use crate::ui::Command;

pub const HEADING: &str = "Print preview";
pub const SAVE: &str = "Save PDF…";
pub const CANCEL: &str = "Cancel";

/// Points of the page to the window's points.
const SCALE: f32 = 1.0;
const GAP: f32 = 12.0;

fn colour(c: Colour) -> Color32 {
    Color32::from_rgb(c.0, c.1, c.2)
}

/// The preview as a modal; `SavePrint` or `CancelPrint` when a button is pressed.
#[must_use]
pub fn print_preview_ui(ctx: &egui::Context, preview: &PrintPreview) -> Vec<Command> {
    let mut commands = Vec::new();
    let height = (ctx.content_rect().height() - 180.0).max(200.0);
    egui::Modal::new(egui::Id::unique("print-preview")).show(ctx, |ui| {
        ui.set_width(PAGE_WIDTH * SCALE + 24.0);
        ui.heading(HEADING);
        let pages = preview.laid.pages.len();
        let mut about = format!("{}: {pages} A4 page(s), as the PDF prints them.", preview.file_name);
        if preview.restricted_left_out > 0 {
            about.push_str(&format!(
                " {} restricted item(s) left out: give a reason on the record first to include them.",
                preview.restricted_left_out
            ));
        }
        ui.label(about);
        ui.add_space(4.0);
        egui::ScrollArea::vertical()
            .max_height(height)
            .auto_shrink([false, false])
            .show_viewport(ui, |ui, viewport| {
                let size = Vec2::new(PAGE_WIDTH, PAGE_HEIGHT) * SCALE;
                let (all, _) =
                    ui.allocate_exact_size(Vec2::new(size.x, pages as f32 * (size.y + GAP)), egui::Sense::hover());
                for (n, page) in preview.laid.pages.iter().enumerate() {
                    let top = n as f32 * (size.y + GAP);
                    // Only the pages in view are drawn.
                    if top > viewport.max.y || top + size.y < viewport.min.y {
                        continue;
                    }
                    let rect = Rect::from_min_size(all.min + Vec2::new(0.0, top), size);
                    draw_page(ui, rect, page);
                }
            });
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.button(RichText::new(SAVE).strong()).clicked() {
                commands.push(Command::SavePrint);
            }
            if ui.button(CANCEL).clicked() {
                commands.push(Command::CancelPrint);
            }
        });
    });
    commands
}

/// One page: white paper, then its items in order. Text is a label (so it can be
/// read out and found), placed at the laid-out position.
fn draw_page(ui: &mut egui::Ui, rect: Rect, page: &Page) {
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, Color32::WHITE);
    painter.rect_stroke(
        rect,
        0.0,
        Stroke::new(1.0, Color32::from_gray(150)),
        egui::StrokeKind::Inside,
    );
    let at = |x: f32, y: f32| rect.min + Vec2::new(x, y) * SCALE;
    for item in &page.items {
        match item {
            Item::Text {
                x,
                y,
                size,
                weight,
                colour: c,
                text,
            } => {
                let size = size * SCALE;
                let top = at(*x, *y) - Vec2::new(0.0, size * 0.9);
                let mut rich = RichText::new(text).size(size).color(colour(*c));
                if *weight == crate::report::helvetica::Weight::Bold {
                    rich = rich.strong().color(colour(*c));
                }
                let area = Rect::from_min_size(top, Vec2::new(rect.max.x - top.x, size * 1.4));
                let at_left = egui::UiBuilder::new()
                    .max_rect(area)
                    .layout(egui::Layout::left_to_right(egui::Align::Min));
                ui.scope_builder(at_left, |ui| ui.add(egui::Label::new(rich).extend().selectable(false)));
            }
            Item::Line { from, to, colour: c } => {
                painter.line_segment([at(from.0, from.1), at(to.0, to.1)], Stroke::new(0.5, colour(*c)));
            }
            Item::Fill { x, y, w, h, colour: c } => {
                painter.rect_filled(
                    Rect::from_min_size(at(*x, *y), Vec2::new(*w, *h) * SCALE),
                    0.0,
                    colour(*c),
                );
            }
            Item::Watermark(text) => watermark(&painter, rect, text),
        }
    }
}

/// The training watermark across the page's middle, at the PDF's angle.
fn watermark(painter: &egui::Painter, rect: Rect, text: &str) {
    let galley = painter.layout_no_wrap(
        text.to_owned(),
        FontId::proportional(WATERMARK_SIZE * SCALE),
        colour(WATERMARK),
    );
    // Screen y runs down: the PDF's anticlockwise angle is negative here.
    // Turned about its centre, which is put on the page's centre.
    let pos = rect.center() - galley.rect.center().to_vec2();
    let shape = egui::epaint::TextShape::new(pos, galley, colour(WATERMARK))
        .with_angle_and_anchor(-WATERMARK_ANGLE.to_radians(), egui::Align2::CENTER_CENTER);
    painter.add(shape);
}
