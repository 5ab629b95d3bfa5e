//! Printable documents made from domain values (no I/O here: callers write them).

pub mod chc_html;
pub mod record_html;

/// Text made safe to put in HTML.
pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An A4 page in the house style: `title`, then `body` (HTML), with `watermark` on
/// every printed page (training mode).
pub(crate) fn page(title: &str, body: &str, watermark: Option<&str>) -> String {
    let mark = watermark
        .map(|w| format!("<div class=\"watermark\">{}</div>", esc(w)))
        .unwrap_or_default();
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
@page {{ size: A4; margin: 18mm; }}
body {{ font-family: Arial, Helvetica, sans-serif; font-size: 11pt; color: #212b32; }}
h1 {{ font-size: 16pt; color: #005eb8; margin: 0 0 4mm 0; }}
h2 {{ font-size: 13pt; color: #005eb8; margin: 5mm 0 2mm 0; }}
table {{ border-collapse: collapse; width: 100%; margin: 3mm 0; }}
th, td {{ border: 1px solid #aeb7bd; padding: 1.5mm 2mm; text-align: left; vertical-align: top; }}
th {{ background: #e8edee; }}
td.level {{ font-weight: bold; width: 22mm; }}
td.restricted {{ color: #768692; font-style: italic; }}
.outcome {{ border: 2px solid #005eb8; padding: 3mm; margin: 4mm 0; }}
.flag {{ border: 1px solid #d5281b; color: #d5281b; padding: 1mm 2mm; margin: 1mm 0; }}
.note {{ font-size: 9pt; color: #4c6272; }}
.watermark {{ position: fixed; top: 40%; left: 10%; font-size: 48pt; color: rgba(200,0,0,0.15); transform: rotate(-30deg); }}
tr {{ page-break-inside: avoid; }}
</style></head><body>
{mark}
<h1>{title}</h1>
{body}</body></html>
"#,
        title = esc(title),
    )
}
