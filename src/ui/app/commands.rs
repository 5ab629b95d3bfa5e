//! The commands views return, applied: requests to the database thread, screen
//! changes, files picked and saved in the background.

use super::*;

impl JoinedUpApp {
    /// Apply one command from a view.
    pub fn apply(&mut self, command: Command) {
        let ctx = self.view_context();
        match command {
            // Only the roles that read the whole audit log go to its screen.
            Command::Navigate(Screen::Audit) if !self.sees_audit_screen() => {}
            // The trainers' panel is training mode's only.
            Command::Navigate(Screen::Training) if !self.sees_training_panel() => {}
            Command::Navigate(s) => {
                self.state.screen = s;
                if s == Screen::Sources {
                    self.send(Request::Overview);
                }
                if s == Screen::Audit {
                    self.open_audit();
                }
                if s == Screen::Training {
                    self.open_training();
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
                if s == Screen::Worklist {
                    self.open_worklist();
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
            Command::BrowseToImport => self.browse_to_import(),
            Command::ImportFiles(paths) => {
                self.import = Some(ImportState::Reading {
                    done: 0,
                    total: paths.len(),
                    file: String::new(),
                    items: 0,
                });
                self.send(Request::ParseFiles { paths, now: ctx.now });
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
                        .flat_map(|c| c.parsed.rejections.iter().cloned())
                        .collect();
                    let csv = crate::import::rejections_csv(&rejections);
                    self.save_in_background("rejected-rows.csv".into(), "CSV", "csv", SaveWhat::Text(csv));
                }
            }
            Command::CancelImport => {
                if let Some(db) = &self.db {
                    db.cancel_import();
                }
            }
            Command::FindMatches(person_id) => self.send(Request::FindMatches { person_id }),
            Command::LinkPerson { from, to } => self.pending_link = Some((from, to)),
            Command::CancelLink => self.pending_link = None,
            Command::ConfirmLink { from, to } => {
                self.pending_link = None;
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
                self.chc_view.decision = None;
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
            Command::RevisePlan {
                person_id,
                plan_id,
                based_on,
                draft,
            } => self.send(Request::RevisePlan {
                person_id,
                plan_id,
                based_on,
                draft,
                now: ctx.now,
            }),
            Command::RecordChcDecision {
                person_id,
                episode_id,
                decision,
            } => {
                self.send(Request::RecordChcDecision {
                    person_id,
                    episode_id,
                    decision,
                    today: ctx.today,
                    now: ctx.now,
                });
                self.send(Request::ChcCaseload { today: ctx.today });
            }
            Command::PrintChc { person_id, episode_id } => self.print_chc(person_id, episode_id),
            Command::ExportRecord { person_id, format } => self.export_record(person_id, format),
            Command::PrintRecord(person_id) => self.print_record(person_id),
            Command::SavePrint => self.save_print(),
            Command::CancelPrint => self.print_preview = None,
            Command::RefreshBoard => self.send(Request::Board { as_of: ctx.today }),
            Command::RefreshSitrep { trend_days } => self.send(Request::Sitrep {
                date: ctx.today,
                trend_days,
            }),
            Command::BoardTab(tab) => {
                self.board_tab = tab;
                if tab == BoardTab::Sitrep && self.sitrep.is_none() {
                    self.send(Request::Sitrep {
                        date: ctx.today,
                        trend_days: self.sitrep_view.trend_days,
                    });
                }
            }
            Command::ExportBoardCsv => self.export_board_csv(),
            Command::ChangeSpell {
                person_id,
                episode_id,
                revision,
                changes,
            } => {
                self.send(Request::ChangeSpell {
                    person_id,
                    episode_id,
                    revision,
                    changes,
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
            Command::RevealRecord {
                person_id,
                reason,
                kind,
            } => match crate::domain::governance::Reason::parse(&reason) {
                Ok(reason) => self.send(Request::Reveal {
                    person_id,
                    reason,
                    kind,
                    today: ctx.today,
                    now: ctx.now,
                }),
                Err(e) => self.message = Some(e),
            },
            Command::Worklist(action) => self.apply_worklist(action),
            Command::OpenAt { person_id, target } => self.open_at(person_id, target),
            Command::Follow { person_id, follow } => self.follow(person_id, follow),
            Command::DismissAlerts => self.dismiss_alerts(),
            Command::Audit(c) => self.apply_audit(c),
            Command::ResetTraining => self.reset_training(),
            // ui_root gives the context the new theme on the next frame.
            Command::SetTheme(choice) => self.state.theme = choice,
            Command::CloseRecord => {
                // Nothing of the closed record stays on screen, the search included.
                if let Some(p) = self.person() {
                    let person_id = p.record.person.id;
                    self.send(Request::CloseRecord { person_id });
                }
                self.person = Loadable::Idle;
                self.print_preview = None;
                // Unsaved drafts and a half-typed reason go with the record.
                let mut fresh = PersonView::default();
                fresh.filter = self.person_view.filter.clone();
                fresh.list_follows_axis = self.person_view.list_follows_axis;
                fresh.list.oldest_first = self.person_view.list.oldest_first;
                fresh.hide_empty_lanes = self.person_view.hide_empty_lanes;
                self.person_view = fresh;
                self.search = SearchView::default();
                self.search.focus();
                self.search_results = None;
                self.state.screen = Screen::Search;
            }
        }
    }

    /// Opening another person closes the open record: a reveal does not carry over.
    fn close_other_record(&mut self, id: i64) {
        if let Some(open) = self.person().map(|p| p.record.person.id)
            && open != id
        {
            self.send(Request::CloseRecord { person_id: open });
            self.print_preview = None;
        }
    }

    /// Save the board's shown rows (after filters) as CSV.
    fn export_board_csv(&mut self) {
        let Some(board) = &self.board else { return };
        let rows: Vec<_> = self.board_view.shown_rows(board).cloned().collect();
        let name = format!("discharge-board-{}.csv", board.as_of);
        let what = OutputKind::BoardCsv {
            as_of: board.as_of,
            rows,
        };
        self.save_in_background(name, "CSV", "csv", SaveWhat::Output(Box::new(what)));
    }

    /// Preview a CHC Checklist's or DST's summary; it is saved from the preview.
    fn print_chc(&mut self, person_id: i64, episode_id: i64) {
        self.preview_print(OutputKind::PrintChc { person_id, episode_id });
    }

    /// Ask the database thread for a print's pages, to preview before saving.
    fn preview_print(&mut self, what: OutputKind) {
        let ctx = self.view_context();
        self.send(Request::PrintPreview {
            what: Box::new(what),
            today: ctx.today,
            now: ctx.now,
        });
    }

    /// "Save PDF…" in the preview: the PDF is made again, audited and written once
    /// a file is chosen (the preview's pages are never what is written).
    fn save_print(&mut self) {
        if let Some(preview) = self.print_preview.take() {
            let (what, pages) = *preview;
            self.save_in_background(pages.file_name, "PDF document", "pdf", SaveWhat::Output(Box::new(what)));
        }
    }

    /// A file name for the open record's exports: its NHS number, else its id.
    fn record_file_name(p: &LoadedPerson, what: &str, ext: &str) -> String {
        match p.record.person.nhs_number {
            Some(n) => format!("{what}-{}.{ext}", n.digits()),
            None => format!("{what}-person-{}.{ext}", p.record.person.id),
        }
    }

    /// Save the open record as a joined-up or FHIR bundle: the database thread makes
    /// it (restricted items only if revealed), audits it, then writes it.
    fn export_record(&mut self, person_id: i64, format: crate::import::export::ExportFormat) {
        let Some(p) = self.person().filter(|p| p.record.person.id == person_id) else {
            return;
        };
        let fhir = format == crate::import::export::ExportFormat::Fhir;
        let name = Self::record_file_name(p, if fhir { "record-fhir" } else { "record" }, "json");
        let filter = if fhir { "FHIR bundle" } else { "Joined-up bundle" };
        let what = OutputKind::Record { person_id, format };
        self.save_in_background(name, filter, "json", SaveWhat::Output(Box::new(what)));
    }

    /// Preview the open record's summary; it is saved from the preview.
    fn print_record(&mut self, person_id: i64) {
        if self.person().is_some_and(|p| p.record.person.id == person_id) {
            self.preview_print(OutputKind::PrintRecord { person_id });
        }
    }
}
