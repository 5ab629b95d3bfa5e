//! Every control on every screen has a name for assistive technology (issue 17
//! item 13): a button, checkbox, link, text box or combo box whose AccessKit label
//! is empty is announced as nothing. The screens are visited as a care coordinator
//! and as the information governance lead, on the training people, with a record open.

mod common;

use common::{open_by_nhs, settle, wait_for_training};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use joinedup::domain::governance::Role as UserRole;
use joinedup::store::Store;
use joinedup::ui::{Command, JoinedUpApp, Screen};

const CONTROLS: [Role; 7] = [
    Role::Button,
    Role::CheckBox,
    Role::Link,
    Role::TextInput,
    Role::ComboBox,
    Role::RadioButton,
    Role::Slider,
];

/// The controls of the screen in front of the harness that have no name, and how
/// many controls there are.
fn unnamed(h: &Harness<'_, JoinedUpApp>) -> (Vec<String>, usize) {
    let mut out = Vec::new();
    let mut controls = 0;
    for role in CONTROLS {
        for node in h.query_all_by_role(role) {
            controls += 1;
            let n = node.accesskit_node();
            let named = n.label().is_some_and(|l| !l.trim().is_empty())
                || n.value().is_some_and(|v| !v.trim().is_empty())
                || n.description().is_some_and(|d| !d.trim().is_empty());
            if !named {
                out.push(format!("{role:?} at {:?}", node.rect()));
            }
        }
    }
    (out, controls)
}

fn visit_all(role: UserRole, screens: &[Screen]) {
    let mut h = common::harness_with(Store::open_in_memory().expect("store"), common::config(true, role));
    wait_for_training(&mut h);
    open_by_nhs(&mut h, "9990000018");
    settle(&mut h);
    let mut missing = Vec::new();
    for screen in screens {
        h.state_mut().apply(Command::Navigate(*screen));
        settle(&mut h);
        settle(&mut h);
        let (unnamed, controls) = unnamed(&h);
        // Not a check that cannot fail: each screen has its navigation bar at least.
        assert!(controls >= 8, "{screen:?}: only {controls} controls found");
        for m in unnamed {
            missing.push(format!("{screen:?}: {m}"));
        }
    }
    assert!(missing.is_empty(), "controls without a name:\n{}", missing.join("\n"));
}

#[test]
fn every_control_a_coordinator_meets_has_a_name() {
    visit_all(
        UserRole::CareCoordinator,
        &[
            Screen::Worklist,
            Screen::Search,
            Screen::Person,
            Screen::Plans,
            Screen::Board,
            Screen::Chc,
            Screen::Sources,
            Screen::Training,
        ],
    );
}

#[test]
fn every_control_the_ig_lead_meets_has_a_name() {
    visit_all(UserRole::InformationGovernanceLead, &[Screen::Audit, Screen::Sources]);
}
