//! The commands views return, applied: requests to the database thread, screen
//! changes, files picked and saved in the background.

use super::*;

impl JoinedUpApp {
    /// Apply one command from a view.
    pub fn apply(&mut self, command: Command) {
        let ctx = self.view_context();
        match command {
            Command::Navigate(s) => {
                self.state.screen = s;
                if matches!(s, Screen::Sources | Screen::Audit) {
                    self.send(Request::Overview);
                }
                if s == Screen::Sources {
                    self.send(Request::Sources);
                }
                if s == Screen::Board {
                    self.send(Request::Board { as_of: ctx.today });
                }
                if s == Screen::Chc {
                    self.send(Request::ChcCaseload { today: ctx.today });
                }
                if s == Screen::Search {
                    self.search.focus();
                }
            }
            Command::SearchName { text, dob } => {
                self.search_seq += 1;
                self.send(Request::Search {
                    seq: self.search_seq,
                    text,
                    dob,
                });
            }
            Command::FindNhs(nhs) => {
                self.search_seq += 1;
                self.send(Request::FindNhs {
                    seq: self.search_seq,
                    nhs,
                });
            }
            Command::OpenPerson(id) => {
                self.close_other_record(id);
                self.person = Loadable::Loading;
                self.state.screen = Screen::Person;
                self.send(Request::LoadPerson {
                    id,
                    today: ctx.today,
                    now: ctx.now,
                });
            }
            Command::PickFilesToImport => self.pick_files(),
            Command::ImportFiles(paths) => {
                let options = ImportOptions {
                    shift_days: 0,
                    test_range_only: self.config.is_training,
                };
                self.import = Some(ImportState::Reading {
                    done: 0,
                    total: paths.len(),
                    file: String::new(),
                    items: 0,
                });
                self.send(Request::ParseFiles { paths, options });
            }
            Command::ApplyImport => {
                if let Some(ImportState::Review(files)) = self.import.take() {
                    self.import = Some(ImportState::Applying);
                    self.send(Request::ApplyImport { files, now: ctx.now });
                }
            }
            Command::DiscardImport => self.import = None,
            Command::SaveRejections => {
                if let Some(ImportState::Review(files)) = &self.import {
                    let rejections: Vec<_> = files
                        .iter()
                        .filter_map(|f| f.result.as_ref().ok())
                        .flat_map(|p| p.rejections.iter().cloned())
                        .collect();
                    let csv = crate::import::rejections_csv(&rejections);
                    self.save_in_background("rejected-rows.csv".into(), "CSV", "csv", csv, None);
                }
            }
            Command::CancelImport => {
                if let Some(db) = &self.db {
                    db.cancel_import();
                }
            }
            Command::FindMatches(person_id) => self.send(Request::FindMatches { person_id }),
            Command::LinkPerson { from, to } => {
                self.matches.remove(&from);
                self.send(Request::Matching {
                    action: MatchAction::Link { from, to },
                    now: ctx.now,
                });
            }
            Command::RejectMatch {
                person_id,
                candidate_id,
            } => {
                if let Some(list) = self.matches.get_mut(&person_id) {
                    list.retain(|c| c.person.id != candidate_id);
                }
                self.send(Request::Matching {
                    action: MatchAction::Reject {
                        person_id,
                        candidate_id,
                    },
                    now: ctx.now,
                });
            }
            Command::UndoLink(link_id) => self.send(Request::Matching {
                action: MatchAction::Undo { link_id },
                now: ctx.now,
            }),
            Command::OpenChc(id) => {
                self.close_other_record(id);
                self.person = Loadable::Loading;
                self.state.screen = Screen::Chc;
                self.chc_view.form = None;
                self.chc_view.fast_track = None;
                self.send(Request::LoadPerson {
                    id,
                    today: ctx.today,
                    now: ctx.now,
                });
            }
            Command::RecordChc { person_id, assessment } => {
                self.send(Request::RecordChc {
                    person_id,
                    assessment,
                    today: ctx.today,
                    now: ctx.now,
                });
                self.send(Request::ChcCaseload { today: ctx.today });
            }
            Command::PrintChc { person_id, episode_id } => self.print_chc(person_id, episode_id),
            Command::ExportRecord { person_id, format } => self.export_record(person_id, format),
            Command::PrintRecord(person_id) => self.print_record(person_id),
            Command::RefreshBoard => self.send(Request::Board { as_of: ctx.today }),
            Command::ExportBoardCsv => self.export_board_csv(),
            Command::ChangeSpell {
                person_id,
                episode_id,
                change,
            } => {
                self.send(Request::ChangeSpell {
                    person_id,
                    episode_id,
                    change,
                    today: ctx.today,
                    now: ctx.now,
                });
                if self.board.is_some() {
                    self.send(Request::Board { as_of: ctx.today });
                }
            }
            Command::LoadTrainingData => self.send(Request::SeedTraining {
                today: ctx.today,
                now: ctx.now,
            }),
            Command::RevealRecord { person_id, reason } => {
                let mut hidden = 0;
                if let Loadable::Ready(p) = &mut self.person
                    && p.record.person.id == person_id
                {
                    hidden = p.restricted;
                    p.revealed = true;
                }
                self.revealed_person = Some(person_id);
                self.send(Request::Reveal(AuditEvent {
                    id: 0,
                    at: ctx.now,
                    actor: self.actor(),
                    action: "break_glass".into(),
                    person_id: Some(person_id),
                    detail: format!("showed the record's {hidden} restricted item(s) until it is closed"),
                    reason: Some(reason),
                }));
            }
            Command::CloseRecord => {
                // Nothing of the closed record stays on screen, the search included.
                self.person = Loadable::Idle;
                self.revealed_person = None;
                self.search = SearchView::default();
                self.search.focus();
                self.search_results = None;
                self.state.screen = Screen::Search;
            }
        }
    }

    /// Opening another person closes the open record: a reveal does not carry over.
    fn close_other_record(&mut self, id: i64) {
        if self.revealed_person.is_some_and(|r| r != id) {
            self.revealed_person = None;
        }
    }

    /// Save the board as CSV.
    fn export_board_csv(&mut self) {
        let Some(board) = &self.board else { return };
        let rows: Vec<_> = self.board_view.shown_rows(board).cloned().collect();
        let mut csv = crate::domain::board_export::board_csv(&rows);
        if self.config.is_training {
            csv = format!("{}\n{csv}", crate::domain::governance::TRAINING_WATERMARK);
        }
        let name = format!("discharge-board-{}.csv", board.as_of);
        let detail = format!("exported the discharge board ({} rows) as CSV", rows.len());
        self.save_in_background(name, "CSV", "csv", csv, audited(None, detail));
    }

    /// Save a printable summary of a CHC Checklist or DST (HTML that prints on A4).
    fn print_chc(&mut self, person_id: i64, episode_id: i64) {
        let Some(p) = self.person().filter(|p| p.record.person.id == person_id) else {
            return;
        };
        let Some(a) = p.record.chc.iter().find(|a| a.episode_id == episode_id) else {
            return;
        };
        let ctx = self.view_context();
        let html = crate::report::chc_html::chc_assessment_html(&p.record.person, a, ctx.today, self.print_watermark());
        let name = format!("chc-{}-{}.html", crate::store::enum_code(&a.kind), a.completed_on);
        let detail = format!("saved a printable CHC summary #{episode_id}");
        self.save_printable(name, html, person_id, detail);
    }

    /// Printed pages in training mode carry this watermark.
    fn print_watermark(&self) -> Option<&'static str> {
        self.config.is_training.then_some("TRAINING")
    }

    /// Save a printable page about a person (audited once written).
    fn save_printable(&mut self, name: String, html: String, person_id: i64, detail: String) {
        self.save_in_background(
            name,
            "Web page (prints on A4)",
            "html",
            html,
            audited(Some(person_id), detail),
        );
    }

    /// A file name for the open record's exports: its NHS number, else its id.
    fn record_file_name(p: &LoadedPerson, what: &str, ext: &str) -> String {
        match p.record.person.nhs_number {
            Some(n) => format!("{what}-{}.{ext}", n.digits()),
            None => format!("{what}-person-{}.{ext}", p.record.person.id),
        }
    }

    /// What an export of the open record says about its restricted items, for the audit log.
    fn restricted_note(p: &LoadedPerson) -> String {
        match (p.revealed, p.restricted) {
            (_, 0) => String::new(),
            (true, n) => format!(" including {n} restricted item(s), shown with a reason"),
            (false, n) => format!(" with {n} restricted item(s) left out"),
        }
    }

    /// Save the open record as a joined-up bundle that `import` reads back. Restricted
    /// items are left out unless the record was revealed with a reason.
    fn export_record(&mut self, person_id: i64, format: crate::import::export::ExportFormat) {
        let Some(p) = self.person().filter(|p| p.record.person.id == person_id) else {
            return;
        };
        let ctx = self.view_context();
        let record = if p.revealed {
            p.record.clone()
        } else {
            p.record.without_restricted().0
        };
        let fhir = format == crate::import::export::ExportFormat::Fhir;
        let name = Self::record_file_name(p, if fhir { "record-fhir" } else { "record" }, "json");
        let what = if fhir { "FHIR bundle" } else { "bundle" };
        let detail = format!("exported the record as a {what}{}", Self::restricted_note(p));
        match crate::import::export::export_record(&record, format, ctx.today, self.config.is_training) {
            Ok((text, not_carried)) => {
                if not_carried > 0 {
                    self.message = Some(format!(
                        "{not_carried} item(s) have no FHIR form here (social care reviews, safeguarding, CHC) and are not in the FHIR file."
                    ));
                }
                let filter = if fhir { "FHIR bundle" } else { "Joined-up bundle" };
                self.save_in_background(name, filter, "json", text + "\n", audited(Some(person_id), detail));
            }
            Err(e) => self.message = Some(format!("The record could not be written: {e}")),
        }
    }

    /// Save a printable summary of the open record (HTML that prints on A4).
    fn print_record(&mut self, person_id: i64) {
        let Some(p) = self.person().filter(|p| p.record.person.id == person_id) else {
            return;
        };
        let ctx = self.view_context();
        let html = crate::report::record_html::record_html(
            &p.record,
            &p.findings,
            p.revealed,
            ctx.today,
            self.print_watermark(),
        );
        let name = Self::record_file_name(p, "record-summary", "html");
        let detail = format!("saved a printable summary of the record{}", Self::restricted_note(p));
        self.save_printable(name, html, person_id, detail);
    }

    pub(super) fn audit_export(&self, person_id: Option<i64>, detail: String) {
        let ctx = self.view_context();
        self.send(Request::Audit(AuditEvent {
            id: 0,
            at: ctx.now,
            actor: self.actor(),
            action: "export".into(),
            person_id,
            detail,
            reason: None,
        }));
    }

    /// Ask where to save and write the file, on a thread of its own so no frame waits.
    /// `audit`: the export event to write once the file is saved.
    fn save_in_background(
        &mut self,
        name: String,
        filter: &'static str,
        ext: &'static str,
        contents: String,
        audit: Option<PendingAudit>,
    ) {
        let (tx, rx) = channel();
        let spawned = std::thread::Builder::new().name("save-dialog".into()).spawn(move || {
            let Some(path) = rfd::FileDialog::new()
                .set_file_name(&name)
                .add_filter(filter, &[ext])
                .save_file()
            else {
                return;
            };
            let result = std::fs::write(&path, contents)
                .map(|_| path.display().to_string())
                .map_err(|e| e.to_string());
            let _ = tx.send(result);
        });
        match spawned {
            Ok(_) => self.saver = Some((rx, audit)),
            Err(e) => self.message = Some(format!("The save dialog could not open: {e}")),
        }
    }

    /// The native file dialog runs on its own thread so no frame waits for it.
    fn pick_files(&mut self) {
        let (tx, rx) = channel();
        let spawned = std::thread::Builder::new().name("file-dialog".into()).spawn(move || {
            let files = rfd::FileDialog::new()
                .set_title("Import files")
                .add_filter("Supported files", &["json", "csv", "txt", "hl7"])
                .add_filter("All files", &["*"])
                .pick_files()
                .unwrap_or_default();
            let _ = tx.send(files);
        });
        match spawned {
            Ok(_) => self.picker = Some(rx),
            Err(e) => self.message = Some(format!("The file dialog could not open: {e}")),
        }
    }
}

fn audited(person_id: Option<i64>, detail: String) -> Option<PendingAudit> {
    Some(PendingAudit { person_id, detail })
}
