//! Where command output goes: standard output, watermarked in training mode (a first
//! line on text and CSV, a `watermark` field on JSON objects), or a private file.

use std::path::Path;

use crate::domain::governance::TRAINING_WATERMARK;

#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub training: bool,
}

impl Output {
    /// The watermark line, printed before text or CSV output in training mode.
    pub fn begin_text(self) {
        if self.training {
            println!("{TRAINING_WATERMARK}");
        }
    }

    /// A JSON document, watermarked in training mode.
    pub fn json(self, mut v: serde_json::Value) -> anyhow::Result<()> {
        if self.training
            && let Some(o) = v.as_object_mut()
        {
            o.insert("watermark".into(), TRAINING_WATERMARK.into());
        }
        println!("{}", serde_json::to_string_pretty(&v)?);
        Ok(())
    }

    /// Text already audited and watermarked by the service: to `file` (private,
    /// never through a symbolic link, not over an existing file without `force`),
    /// or to standard output.
    pub fn deliver(self, file: Option<&Path>, force: bool, text: &str) -> anyhow::Result<()> {
        match file {
            Some(path) => {
                crate::service::write_private(path, text, force).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
            }
            None => {
                print!("{text}");
                Ok(())
            }
        }
    }
}
