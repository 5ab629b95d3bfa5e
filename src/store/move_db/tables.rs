//! The tables a move copies, column by column, in the order they are copied
//! (`copy.rs` copies one). Every column of every table is either listed here or
//! named in [`NOT_CARRIED`] with the reason (a test checks this against the
//! schema, so a column added later cannot be left behind unnoticed).

/// The kinds of row whose ids are remapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Ids {
    Run,
    Person,
    Episode,
    Plan,
    Version,
}

/// How a column is carried.
#[derive(Debug, Clone, Copy)]
pub(super) enum Col {
    /// As it is.
    Same,
    /// An id of the desktop database, written as the target's id of that row.
    Ref(Ids),
    /// `person.merged_into`: may name a person written later, so set once the
    /// whole table is in.
    Later(Ids),
    /// `person_link.moved`: JSON naming the episodes and plans a link moved.
    MovedJson,
}

/// What a row whose unique key is already on the target means.
#[derive(Debug, Clone, Copy)]
pub(super) enum OnConflict {
    /// An error (the key cannot already be there: the target gives new ids).
    Fail,
    /// Nothing to do (the same source system's name).
    Skip,
    /// The move is refused with this sentence: the server already holds this row
    /// for someone (merging records on the server is later work).
    Refuse(&'static str),
}

pub(super) struct Table {
    pub name: &'static str,
    /// The kind of id the table's `id` column holds, when the target gives new ones.
    pub id: Option<Ids>,
    /// For a table with an id: a unique key among its columns, by which the ids a
    /// batch of inserted rows returns are matched to the rows (empty: one row at
    /// a time).
    pub key: &'static [&'static str],
    pub columns: &'static [(&'static str, Col)],
    /// The order rows were written in (SQLite's `rowid` where there is no id).
    pub order: &'static str,
    pub on_conflict: OnConflict,
}

use Col::{Later, MovedJson, Ref, Same};

const ITEM_ON_SERVER: &str = "an item of the desktop database (the same source and reference) is already on the server for someone; nothing was moved (merging records on the server is later work)";

/// Before the audit history: the rows the carried events name (people, and the
/// plans the restriction ledger names).
pub(super) const BEFORE_HISTORY: &[Table] = &[
    Table {
        name: "source",
        id: None,
        key: &[],
        columns: &[("name", Same)],
        order: "id",
        on_conflict: OnConflict::Skip,
    },
    Table {
        name: "import_run",
        id: Some(Ids::Run),
        key: &[],
        columns: &[
            ("file_name", Same),
            ("file_sha256", Same),
            ("format", Same),
            ("imported_at", Same),
            ("rows_read", Same),
            ("rows_added", Same),
            ("rows_rejected", Same),
        ],
        order: "id",
        on_conflict: OnConflict::Fail,
    },
    Table {
        name: "person",
        id: Some(Ids::Person),
        key: &[],
        columns: &[
            ("nhs_number", Same),
            ("given_name", Same),
            ("family_name", Same),
            ("given_name_key", Same),
            ("family_name_key", Same),
            ("date_of_birth", Same),
            ("date_of_death", Same),
            ("sex", Same),
            ("address", Same),
            ("postcode", Same),
            ("gp_practice", Same),
            ("allocated_worker", Same),
            ("alerts", Same),
            ("is_restricted", Same),
            ("created_at", Same),
            ("merged_into", Later(Ids::Person)),
        ],
        order: "id",
        on_conflict: OnConflict::Refuse(
            "a person of the desktop database has an NHS number the server already holds; nothing was moved (merging records on the server is later work)",
        ),
    },
    Table {
        name: "person_identifier",
        id: None,
        key: &[],
        columns: &[("person_id", Ref(Ids::Person)), ("source", Same), ("local_id", Same)],
        order: "rowid",
        on_conflict: OnConflict::Refuse(
            "a local id of a desktop person is already held by a person on the server; nothing was moved (merging records on the server is later work)",
        ),
    },
    Table {
        name: "person_name_word",
        id: None,
        key: &[],
        columns: &[("person_id", Ref(Ids::Person)), ("word", Same)],
        order: "person_id, word",
        on_conflict: OnConflict::Fail,
    },
    Table {
        name: "person_demographics",
        id: None,
        key: &[],
        columns: &[
            ("person_id", Ref(Ids::Person)),
            ("source", Same),
            ("given_name", Same),
            ("family_name", Same),
            ("date_of_birth", Same),
            ("date_of_death", Same),
            ("sex", Same),
            ("address", Same),
            ("postcode", Same),
            ("gp_practice", Same),
            ("allocated_worker", Same),
        ],
        order: "rowid",
        on_conflict: OnConflict::Fail,
    },
    Table {
        name: "care_plan",
        id: Some(Ids::Plan),
        key: &["source", "source_ref"],
        columns: &[
            ("person_id", Ref(Ids::Person)),
            ("kind", Same),
            ("sector", Same),
            ("title", Same),
            ("owner", Same),
            ("source", Same),
            ("source_ref", Same),
            ("sensitivity", Same),
        ],
        order: "id",
        on_conflict: OnConflict::Refuse(
            "a care plan of the desktop database (the same source and reference) is already on the server; nothing was moved (merging records on the server is later work)",
        ),
    },
];

/// After the audit history: the items, their facts, plan versions and matching
/// decisions. The move's own event, written last, seals the episodes.
pub(super) const AFTER_HISTORY: &[Table] = &[
    Table {
        name: "episode",
        id: Some(Ids::Episode),
        key: &["source", "source_ref"],
        columns: &[
            ("person_id", Ref(Ids::Person)),
            ("sector", Same),
            ("kind", Same),
            ("title", Same),
            ("start", Same),
            ("\"end\"", Same),
            ("status", Same),
            ("organisation", Same),
            ("detail", Same),
            ("sensitivity", Same),
            ("attributes", Same),
            ("source", Same),
            ("source_ref", Same),
            ("import_run_id", Ref(Ids::Run)),
            ("file_name", Same),
            ("file_sha256", Same),
            ("imported_at", Same),
        ],
        order: "id",
        on_conflict: OnConflict::Refuse(ITEM_ON_SERVER),
    },
    Table {
        name: "hospital_spell",
        id: None,
        key: &[],
        columns: &[
            ("episode_id", Ref(Ids::Episode)),
            ("hospital", Same),
            ("ward", Same),
            ("admission_method", Same),
            ("admission_source", Same),
            ("discharge_method", Same),
            ("discharge_destination", Same),
            ("meets_criteria_to_reside", Same),
            ("criteria_to_reside_code", Same),
            ("discharge_ready_date", Same),
            ("pathway", Same),
            ("next_action", Same),
            ("next_action_owner", Same),
            ("version", Same),
            ("changed_by", Same),
            ("changed_at", Same),
        ],
        order: "episode_id",
        on_conflict: OnConflict::Fail,
    },
    Table {
        name: "delay_reason",
        id: None,
        key: &[],
        columns: &[
            ("episode_id", Ref(Ids::Episode)),
            ("code", Same),
            ("description", Same),
            ("attribution", Same),
            ("since", Same),
            ("owner", Same),
            ("closed_on", Same),
            ("recorded_by", Same),
            ("recorded_at", Same),
            ("closed_by", Same),
        ],
        order: "id",
        on_conflict: OnConflict::Fail,
    },
    Table {
        name: "ctr_review",
        id: None,
        key: &[],
        columns: &[
            ("episode_id", Ref(Ids::Episode)),
            ("date", Same),
            ("meets", Same),
            ("code", Same),
        ],
        order: "episode_id, date",
        on_conflict: OnConflict::Fail,
    },
    Table {
        name: "spell_change",
        id: None,
        key: &[],
        columns: &[
            ("episode_id", Ref(Ids::Episode)),
            ("at", Same),
            ("actor", Same),
            ("field", Same),
            ("old_value", Same),
            ("new_value", Same),
        ],
        order: "id",
        on_conflict: OnConflict::Fail,
    },
    Table {
        name: "chc_assessment",
        id: None,
        key: &[],
        columns: &[
            ("episode_id", Ref(Ids::Episode)),
            ("kind", Same),
            ("completed_on", Same),
            ("completed_by", Same),
            ("recorded_positive", Same),
            ("mdt_recommendation", Same),
            ("icb_decision_date", Same),
            ("icb_decision_eligible", Same),
            ("icb_decision_note", Same),
            ("icb_decision_by", Same),
        ],
        order: "episode_id",
        on_conflict: OnConflict::Fail,
    },
    Table {
        name: "chc_domain_level",
        id: None,
        key: &[],
        columns: &[
            ("episode_id", Ref(Ids::Episode)),
            ("domain", Same),
            ("level", Same),
            ("evidence", Same),
        ],
        order: "rowid",
        on_conflict: OnConflict::Fail,
    },
    Table {
        name: "care_plan_version",
        id: Some(Ids::Version),
        key: &["care_plan_id", "version"],
        columns: &[
            ("care_plan_id", Ref(Ids::Plan)),
            ("version", Same),
            ("status", Same),
            ("start", Same),
            ("last_review", Same),
            ("next_review", Same),
            ("funding", Same),
            ("personal_budget_weekly", Same),
            ("file_name", Same),
            ("file_sha256", Same),
            ("imported_at", Same),
            ("recorded_at", Same),
            ("recorded_by", Same),
            ("recorded_organisation", Same),
        ],
        order: "id",
        on_conflict: OnConflict::Fail,
    },
    Table {
        name: "care_plan_goal",
        id: None,
        key: &[],
        columns: &[("version_id", Ref(Ids::Version)), ("position", Same), ("text", Same)],
        order: "version_id, position",
        on_conflict: OnConflict::Fail,
    },
    Table {
        name: "care_plan_need",
        id: None,
        key: &[],
        columns: &[
            ("version_id", Ref(Ids::Version)),
            ("position", Same),
            ("description", Same),
            ("is_eligible", Same),
            ("need_ref", Same),
        ],
        order: "version_id, position",
        on_conflict: OnConflict::Fail,
    },
    Table {
        name: "care_plan_action",
        id: None,
        key: &[],
        columns: &[
            ("version_id", Ref(Ids::Version)),
            ("position", Same),
            ("description", Same),
            ("responsible_party", Same),
            ("responsible_name", Same),
            ("meets", Same),
            ("due", Same),
            ("status", Same),
        ],
        order: "version_id, position",
        on_conflict: OnConflict::Fail,
    },
    Table {
        name: "person_link",
        id: None,
        key: &[],
        columns: &[
            ("from_person_id", Ref(Ids::Person)),
            ("to_person_id", Ref(Ids::Person)),
            ("linked_at", Same),
            ("linked_by", Same),
            ("moved", MovedJson),
            ("undone_at", Same),
            ("undone_by", Same),
        ],
        order: "id",
        on_conflict: OnConflict::Fail,
    },
    Table {
        name: "match_rejection",
        id: None,
        key: &[],
        columns: &[
            ("person_id", Ref(Ids::Person)),
            ("candidate_id", Ref(Ids::Person)),
            ("rejected_at", Same),
            ("rejected_by", Same),
        ],
        order: "rowid",
        on_conflict: OnConflict::Fail,
    },
    // An objection to sharing must never be left behind: on the server it hides
    // items from other organisations (SAFETY.md H26).
    Table {
        name: "sharing_objection",
        id: None,
        key: &[],
        columns: &[
            ("person_id", Ref(Ids::Person)),
            ("objected_on", Same),
            ("reason", Same),
            ("organisations", Same),
            ("recorded_by", Same),
            ("recorded_at", Same),
            ("withdrawn_on", Same),
            ("withdrawn_by", Same),
        ],
        order: "id",
        on_conflict: OnConflict::Fail,
    },
];

/// Tables and columns deliberately not copied, and why.
// Read by the column test; the list is also the record of what is left behind.
#[cfg_attr(not(test), allow(dead_code))]
pub(super) const NOT_CARRIED: &[(&str, &str)] = &[
    (
        "meta",
        "the desktop's settings: its training mark (refused), its audit key's id (the target has its own); its identity is recorded on the target instead",
    ),
    (
        "recent_person",
        "per-user state of the desktop's window (recently opened), not a record",
    ),
    (
        "audit_event",
        "carried as history through the target's own audit append (new ids, chained and MAC'd with the target's key)",
    ),
    (
        "data_seal",
        "the desktop's seals are under its key; the move's event seals the copied items under the target's",
    ),
    (
        "feed_message",
        "a desktop feed's receipts (resend bookkeeping, rejected messages' text) stay with that desktop's listener; the messages it stored are carried as items",
    ),
    (
        "coordinator",
        "who each desktop account is in the sources: set again for the server's logins (they differ from desktop accounts)",
    ),
    (
        "follow",
        "per-user worklist state of the desktop's accounts, not a record",
    ),
    (
        "worklist_seen",
        "per-user worklist state of the desktop's accounts, not a record",
    ),
    (
        "worklist_look",
        "per-user worklist state of the desktop's accounts, not a record",
    ),
    (
        "task",
        "a desktop's tasks name desktop accounts as owners; carrying them with their owners mapped to server logins is later work",
    ),
    (
        "care_team_member",
        "names desktop accounts and teams; the server's care teams are set for its own logins (the sources' allocated worker, ward and CHC team still count)",
    ),
    (
        "alert_rule",
        "per-user alert rules of the desktop's accounts (set again for the server's logins), not a record",
    ),
    (
        "id",
        "every table's own id: the target gives new ones, mapped old to new",
    ),
];
