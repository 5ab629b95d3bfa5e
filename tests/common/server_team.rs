//! A team on a scratch PostgreSQL database, for the server's security tests: a
//! training record, users of each role as login roles of the server, and plain SQL
//! sessions as each (as `psql` would have them).

use chrono::{NaiveDate, NaiveDateTime};
use joinedup::domain::governance::{Actor, Role};
use joinedup::service::Service;
use joinedup::store::access::{NewUser, ServerRole};
use joinedup::store::{ScratchDatabase, Store};

/// A restricted person (every item hidden) and a person with one safeguarding item.
pub const MORGAN: &str = "9990000093";
pub const MARGARET: &str = "9990000018";
/// Allocated to Tom Asante, who is not in the Discharge team: another team's person.
pub const BENNETT: &str = "9990000026";

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

pub fn at(hh: u32, mm: u32) -> NaiveDateTime {
    today().and_hms_opt(hh, mm, 0).unwrap()
}

/// A training database with a coordinator, a second coordinator, an IG lead, a
/// trainer and a loader, each a login role of the server.
pub struct Team {
    pub db: ScratchDatabase,
    keys: Vec<tempfile::TempDir>,
}

impl Team {
    pub fn new(label: &str) -> Option<Self> {
        let db = ScratchDatabase::create(label)?;
        let mut owner = Service::new(db.open().unwrap(), claimed("owner", None), false).unwrap();
        owner.seed_training(today(), at(8, 0)).unwrap();
        let team = Team { db, keys: Vec::new() };
        for (short, role) in [
            ("anna", ServerRole::App(Role::CareCoordinator)),
            ("bob", ServerRole::App(Role::CareCoordinator)),
            ("ian", ServerRole::App(Role::InformationGovernanceLead)),
            ("tess", ServerRole::App(Role::Trainer)),
            ("lou", ServerRole::Loader),
        ] {
            let name = team.db.user_name(short);
            let user = NewUser {
                name: &name,
                role,
                team: Some("Discharge team"),
                organisation: Some("Westmere Council"),
                password: Some("a long enough password"),
            };
            owner.add_user(&user, at(8, 1)).unwrap();
        }
        // Anna is Sian Roberts in the sources, so her team (Bob too) has a recorded
        // relationship with Sian's people (Margaret among them); Morgan's care team
        // takes the Discharge team explicitly. Tom Asante's people (Bennett) are
        // another team's.
        owner
            .set_coordinator(
                &joinedup::store::Coordinator {
                    user_name: team.db.user_name("anna"),
                    worker_name: "Sian Roberts (Westmere Council)".into(),
                    team: Some("Discharge team".into()),
                },
                at(8, 2),
            )
            .unwrap();
        let morgan = owner.find_by_nhs_text(MORGAN, at(8, 2)).unwrap().id;
        owner
            .add_to_care_team(morgan, joinedup::service::MemberKind::Team, "Discharge team", at(8, 2))
            .unwrap();
        Some(team)
    }

    pub fn user(&self, short: &str) -> String {
        self.db.user_name(short)
    }

    /// A plain SQL session as `short`, as `psql` would have it (the search path its
    /// role was given).
    pub fn sql(&self, short: &str) -> postgres::Client {
        postgres::Client::connect(&self.db.url_as(&self.user(short)), postgres::NoTls).unwrap()
    }

    /// The program, signed in as `short`.
    pub fn store(&mut self, short: &str) -> joinedup::store::Result<Store> {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_server(&self.db.url_as(&self.user(short)), dir.path());
        self.keys.push(dir);
        store
    }

    pub fn service(&mut self, short: &str) -> Service {
        Service::new(self.store(short).unwrap(), claimed("ignored", None), false).unwrap()
    }

    /// The owner's plain SQL session.
    pub fn owner_sql(&self) -> postgres::Client {
        postgres::Client::connect(self.db.url(), postgres::NoTls).unwrap()
    }
}

pub fn claimed(user: &str, role: Option<Role>) -> Actor {
    Actor {
        user: user.into(),
        role,
    }
}

pub fn person_id(sql: &mut postgres::Client, nhs: &str) -> i64 {
    sql.query_one("SELECT id FROM person WHERE nhs_number = $1", &[&nhs])
        .unwrap()
        .get(0)
}

/// The server's refusal, as one string (panics if the statement was accepted).
pub fn refused(result: Result<impl std::fmt::Debug, postgres::Error>) -> String {
    match result {
        Ok(v) => panic!("the server accepted what it should refuse: {v:?}"),
        Err(e) => e
            .as_db_error()
            .map(|d| d.message().to_owned())
            .unwrap_or_else(|| e.to_string()),
    }
}

#[macro_export]
macro_rules! team_or_skip {
    ($label:expr) => {
        match $crate::common::server_team::Team::new($label) {
            Some(t) => t,
            None => return,
        }
    };
}
