//! Importing on the database thread: files read and checked for the report (with
//! items read so far, and Cancel) and who they bring in previewed, then written
//! only when the user chooses "Import valid rows".

use super::*;

impl Worker {
    pub(super) fn parse_files(&mut self, paths: Vec<PathBuf>, now: NaiveDateTime) -> Response {
        let options = self.service.import_options();
        let total = paths.len();
        let mut out = Vec::new();
        for (i, path) in paths.into_iter().enumerate() {
            if self.cancel.load(Ordering::SeqCst) {
                return Response::ImportCancelled;
            }
            let file = crate::import::file_label(&path);
            self.emit(Response::ImportProgress {
                done: i,
                total,
                file: file.clone(),
                items: 0,
            });
            let result = match std::fs::read(&path) {
                Ok(bytes) => {
                    let (out, wake, cancel) = (&self.out, &self.wake, &self.cancel);
                    let mut progress = |items: usize| {
                        let _ = out.send(Response::ImportProgress {
                            done: i,
                            total,
                            file: file.clone(),
                            items,
                        });
                        wake();
                        !cancel.load(Ordering::SeqCst)
                    };
                    import::parse_bytes_reporting(&file, &bytes, options, &mut progress).map_err(|e| e.to_string())
                }
                Err(e) => Err(import::ImportError::Read { file, source: e }.to_string()),
            };
            if self.cancel.load(Ordering::SeqCst) {
                return Response::ImportCancelled;
            }
            // Who the file brings in, read from the store; a preview that cannot be
            // made leaves the file not importable.
            let result = result.and_then(|parsed| {
                self.service
                    .preview_import(&parsed.batch, now)
                    .map(|preview| Checked { parsed, preview })
                    .map_err(|e| e.to_string())
            });
            out.push(ParsedFile { path, result });
        }
        Response::ImportParsed(out)
    }

    pub(super) fn apply(&mut self, files: Vec<ParsedFile>, now: NaiveDateTime) -> Response {
        let mut results = Vec::new();
        for f in files {
            let name = crate::import::file_label(&f.path);
            let Ok(Checked { parsed, .. }) = f.result else {
                continue;
            };
            if self.cancel.load(Ordering::SeqCst) {
                results.push((name, Err("not imported: the import was cancelled".to_owned())));
                continue;
            }
            let (out, wake, cancel) = (&self.out, &self.wake, &self.cancel);
            let file = name.clone();
            let mut progress = |done: usize, total: usize| {
                let _ = out.send(Response::WriteProgress {
                    done,
                    total,
                    file: file.clone(),
                });
                wake();
                !cancel.load(Ordering::SeqCst)
            };
            let r = self
                .service
                .apply_batch(&parsed.batch, now, &mut progress)
                .map_err(|e| e.to_string());
            results.push((name, r));
        }
        Response::ImportApplied(results)
    }
}
