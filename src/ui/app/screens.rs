//! The navigation bar and the current screen.

use super::*;

impl JoinedUpApp {
    /// The screens a user can go to (the audit screen for the governance role only),
    /// and Import.
    pub(super) fn navigation_ui(&mut self, ui: &mut egui::Ui) -> Vec<Command> {
        let mut commands = Vec::new();
        egui::Panel::top("navigation").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new("Joined-Up Care Record").strong());
                ui.separator();
                for s in Screen::NAV {
                    if (s == Screen::Audit && !self.sees_audit_screen())
                        || (s == Screen::Training && !self.sees_training_panel())
                    {
                        continue;
                    }
                    let enabled =
                        !matches!(s, Screen::Person | Screen::Plans) || !matches!(self.person, Loadable::Idle);
                    let label = if s == Screen::Worklist {
                        self.worklist_label()
                    } else {
                        s.label().to_owned()
                    };
                    if ui
                        .add_enabled(enabled, egui::Button::selectable(self.state.screen == s, label))
                        .clicked()
                    {
                        commands.push(Command::Navigate(s));
                    }
                }
                ui.separator();
                if ui.button("Import…").clicked() {
                    commands.push(Command::PickFilesToImport);
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let other = self.state.theme.other();
                    if ui
                        .button(other.label())
                        .on_hover_text("Switch the window's colours; the choice is kept")
                        .clicked()
                    {
                        commands.push(Command::SetTheme(other));
                    }
                });
            });
        });
        commands
    }

    /// The current screen, drawn from the cached results.
    pub(super) fn screen_ui(&mut self, ui: &mut egui::Ui, ctx: &ViewContext) -> Vec<Command> {
        let mut commands = Vec::new();
        let is_empty = self.overview.as_ref().is_some_and(|o| o.people == 0);
        match self.state.screen {
            Screen::Person => match &self.person {
                Loadable::Ready(p) => commands.extend(self.person_view.ui(ui, ctx, p)),
                Loadable::Loading => {
                    egui::CentralPanel::default().show(ui, |ui| {
                        ui.spinner();
                    });
                }
                Loadable::Failed(e) => {
                    egui::CentralPanel::default().show(ui, |ui| {
                        ui.label(RichText::new(e).color(theme::of(ui).danger));
                    });
                }
                Loadable::Idle => commands.push(Command::Navigate(Screen::Search)),
            },
            Screen::Worklist => commands.extend(self.worklist_screen_ui(ui, ctx)),
            Screen::Search if is_empty => {
                egui::CentralPanel::default().show(ui, |ui| commands.extend(welcome::welcome_ui(ui, ctx)));
            }
            Screen::Search => {
                let results = self.search_results.as_deref();
                let recent = &self.recent;
                let search = &mut self.search;
                egui::CentralPanel::default().show(ui, |ui| commands.extend(search.ui(ui, ctx, results, recent)));
            }
            Screen::Board => {
                let tab = self.board_tab;
                let (board, sitrep) = (self.board.as_ref(), self.sitrep.as_ref());
                let (board_view, sitrep_view) = (&mut self.board_view, &mut self.sitrep_view);
                egui::CentralPanel::default().show(ui, |ui| {
                    commands.extend(crate::ui::views::board::tabs_ui(ui, tab));
                    match tab {
                        BoardTab::Board => commands.extend(board_view.ui(ui, board)),
                        BoardTab::Sitrep => commands.extend(sitrep_view.ui(ui, sitrep)),
                    }
                });
            }
            Screen::Chc => {
                let caseload = self.chc_caseload.as_deref();
                let person = match &self.person {
                    Loadable::Ready(p) => Some(&**p),
                    _ => None,
                };
                commands.extend(self.chc_view.ui(ui, ctx, caseload, person));
            }
            Screen::Plans => {
                let person = match &self.person {
                    Loadable::Ready(p) => Some(&**p),
                    _ => None,
                };
                if let Some(p) = person {
                    crate::ui::views::banner::banner_panel_ui(ui, ctx, p, |_| {});
                }
                let view = &mut self.plans_view;
                egui::CentralPanel::default().show(ui, |ui| commands.extend(view.ui(ui, ctx, person)));
            }
            Screen::Sources => {
                let empty = Overview::default();
                let overview = self.overview.as_ref().unwrap_or(&empty);
                let matches = &self.matches;
                let by_source = self.source_summary.as_deref();
                egui::CentralPanel::default().show(ui, |ui| {
                    commands.extend(sources::sources_ui(ui, overview, by_source, matches, ctx.now))
                });
            }
            Screen::Audit => commands.extend(self.audit_screen_ui(ui)),
            Screen::Training => commands.extend(self.training_screen_ui(ui)),
        }
        commands
    }
}
