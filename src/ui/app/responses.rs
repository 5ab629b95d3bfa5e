//! What the database thread answers, applied to the app's cached state.

use super::*;

impl JoinedUpApp {
    /// Drain responses from the database thread, within a small time budget.
    pub(super) fn receive(&mut self) {
        let Some(db) = &self.db else { return };
        let started = std::time::Instant::now();
        let mut responses = Vec::new();
        while started.elapsed() < std::time::Duration::from_millis(4) {
            match db.try_recv() {
                Some(r) => responses.push(r),
                None => break,
            }
        }
        for r in responses {
            self.on_response(r);
        }
    }

    fn on_response(&mut self, response: Response) {
        match response {
            Response::SearchResults { seq, results } if seq == self.search_seq => self.search_results = Some(results),
            Response::NhsResult { seq, person, nhs } if seq == self.search_seq => {
                self.search_results = Some(person.clone().into_iter().collect());
                match person {
                    Some(p) => self.apply(Command::OpenPerson(p.id)),
                    None => self.message = Some(format!("No one with NHS number {nhs} is in this database.")),
                }
            }
            Response::SearchResults { .. } | Response::NhsResult { .. } => {}
            Response::Person(p) => {
                let id = p.record.person.id;
                self.person = Loadable::Ready(p);
                self.send(Request::Recent);
                self.arrived_at(id);
            }
            // Only onto the same record still open: the view keeps its place.
            Response::PersonRefreshed(p) => {
                if let Loadable::Ready(open) = &self.person
                    && open.record.person.id == p.record.person.id
                {
                    self.person_view
                        .record_refreshed(&open.record.episodes, &p.record.episodes);
                    self.person = Loadable::Ready(p);
                }
            }
            Response::Changed(changed) => self.on_changed(&changed),
            Response::Connection(state) => self.on_connection(state),
            // Only for the record still open: a preview never outlives its record.
            Response::PrintPreview(preview) => {
                let person_id = match &preview.0 {
                    OutputKind::PrintRecord { person_id } | OutputKind::PrintChc { person_id, .. } => *person_id,
                    _ => return,
                };
                if self.person().is_some_and(|p| p.record.person.id == person_id) {
                    self.print_preview = Some(preview);
                }
            }
            Response::Saved(result) => {
                self.message = Some(match result {
                    Ok((path, None)) => format!("Saved {path}."),
                    Ok((path, Some(note))) => format!("Saved {path}. {note}"),
                    Err(e) => format!("The file could not be saved: {e}"),
                });
                // An export of the log is in the log.
                if self.state.screen == Screen::Audit {
                    self.open_audit();
                }
            }
            Response::Recent(r) => self.recent = r,
            Response::Session(s) => self.session = Some(*s),
            Response::SignInRefused(why) => self.signed_out(&why),
            Response::Overview(o) => self.overview = Some(*o),
            Response::Sources(s) => self.source_summary = Some(s),
            Response::ImportProgress {
                done,
                total,
                file,
                items,
            } => {
                self.import = Some(ImportState::Reading {
                    done,
                    total,
                    file,
                    items,
                })
            }
            Response::ImportParsed(files) => self.import = Some(ImportState::Review(files)),
            Response::WriteProgress { done, total, file } => {
                self.import = Some(ImportState::Writing { done, total, file })
            }
            Response::ImportCancelled => {
                self.import = None;
                self.message = Some("Import cancelled: nothing was written.".into());
            }
            Response::ImportApplied(results) => {
                let lines = results
                    .into_iter()
                    .map(|(name, r)| match r {
                        Ok(s) => format!(
                            "{name}: {} people and {} items added; {} items were already here.",
                            s.people_added, s.episodes_added, s.episodes_already_present
                        ),
                        Err(e) => format!("{name}: nothing written: {e}"),
                    })
                    .collect();
                self.import = Some(ImportState::Done(lines));
                self.refresh_overview();
            }
            Response::TrainingSeeded => {
                // The database is a training database now: banner and watermarks.
                self.config.is_training = true;
                self.refresh_overview();
                if self.board.is_some() {
                    self.apply(Command::RefreshBoard);
                }
            }
            Response::ChcCaseload(rows) => self.chc_caseload = Some(rows),
            Response::AuditLog(log) => self.audit.log = Some(*log),
            Response::AuditVerified(v) => self.audit.verified = Some(*v),
            Response::TrainingStories(s) => self.training.stories = Some(s),
            Response::TrainingReset => self.on_training_reset(),
            Response::Matches { person_id, candidates } => {
                self.matches.insert(person_id, candidates);
            }
            Response::Board(b) => {
                self.board = Some(*b);
                self.board_view.invalidate();
            }
            Response::Sitrep(r) => self.sitrep = Some(*r),
            Response::Worklist(w) => self.worklist.data = Some(*w),
            Response::Alerts(check) => self.on_alerts(check),
            Response::Error(e) => {
                if matches!(self.person, Loadable::Loading) {
                    self.person = Loadable::Failed(e.clone());
                }
                self.message = Some(e);
            }
        }
    }

    /// Other users changed the record: read again what is on screen, nothing else.
    pub(super) fn on_changed(&mut self, changed: &crate::store::Changed) {
        let today = self.view_context().today;
        if let Loadable::Ready(p) = &self.person
            && changed.touches(p.record.person.id)
        {
            self.send(Request::RefreshPerson {
                id: p.record.person.id,
                today,
            });
        }
        if let Some(board) = &self.board {
            self.send(Request::RefreshBoard { as_of: board.as_of });
        }
        if self.chc_caseload.is_some() {
            self.send(Request::RefreshCaseload { today });
        }
        if changed.anyone {
            self.refresh_overview();
        }
        self.worklist_changed(changed);
    }

    /// The server connection was lost, or is back: say so; once back, read again
    /// what is on screen (others may have changed it meanwhile).
    fn on_connection(&mut self, state: ConnectionState) {
        match state {
            ConnectionState::Reconnecting { attempt, why } => {
                self.connection = Some(format!(
                    "Reconnecting to the database server (attempt {attempt}): {why}. Nothing you see changes until it is back."
                ));
            }
            ConnectionState::Reconnected => {
                self.connection = None;
                self.message = Some("Connected to the database server again.".into());
                self.on_changed(&crate::store::Changed {
                    anyone: true,
                    ..Default::default()
                });
            }
        }
    }

    /// After the data changed: the overview, and the source counts if they are on screen
    /// (otherwise they are counted again when the Sources screen opens).
    fn refresh_overview(&mut self) {
        self.send(Request::Overview);
        if self.state.screen == Screen::Sources {
            self.send(Request::Sources);
        } else {
            self.source_summary = None;
        }
    }

    /// Files picked or saved on their own threads, and files dropped on the window.
    pub(super) fn poll_background(&mut self, ui: &egui::Ui) -> Vec<Command> {
        let mut commands = Vec::new();
        if let Some(rx) = &self.picker
            && let Ok(pick) = rx.try_recv()
        {
            commands.extend(self.native_pick(pick));
        }
        let answer = self.saver.as_ref().map(|(rx, _)| rx.try_recv());
        // A dialog cancelled says nothing: its thread ends, and the dialog is done.
        if let Some(Err(std::sync::mpsc::TryRecvError::Disconnected)) = answer {
            self.saver = None;
        }
        if let Some(Ok(outcome)) = answer {
            let output = self.saver.take().and_then(|(_, o)| o);
            match (outcome, output) {
                // Made and audited on the database thread, then written there.
                (DialogOutcome::Chosen(path), Some(what)) => {
                    let ctx = self.view_context();
                    self.send(Request::Save {
                        what,
                        path,
                        today: ctx.today,
                        now: ctx.now,
                    });
                }
                (DialogOutcome::Chosen(_), None) => {}
                (DialogOutcome::NotShown { text, name, ext }, output) => self.save_not_shown(text, output, &name, ext),
                (DialogOutcome::Written(result), _) => {
                    self.message = Some(match result {
                        Ok(path) => format!("Saved {path}."),
                        Err(e) => format!("The file could not be saved: {e}"),
                    });
                }
            }
        }
        let dropped: Vec<PathBuf> = ui.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !dropped.is_empty() {
            commands.push(Command::ImportFiles(dropped));
        }
        commands
    }
}
