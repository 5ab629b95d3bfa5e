//! One database that several clients share, on either engine: a desktop file
//! (SQLite) or a scratch database on the local PostgreSQL (as its owner), and
//! `on_both_engines!`, which runs a test body on each. The PostgreSQL case
//! skips without a server, unless `JOINEDUP_TEST_POSTGRES=1`.

use joinedup::domain::governance::{Actor, Role};
use joinedup::service::Service;
use joinedup::store::{ScratchDatabase, Store};

pub enum Place {
    File(tempfile::TempDir),
    Server(ScratchDatabase, Vec<tempfile::TempDir>),
}

impl Place {
    /// A care coordinator named `user` on this database.
    pub fn client(&mut self, user: &str) -> Service {
        self.client_as(user, Role::CareCoordinator)
    }

    /// `user` in `role` on this database, with a connection of their own.
    pub fn client_as(&mut self, user: &str, role: Role) -> Service {
        let store = match self {
            Place::File(dir) => Store::open(&dir.path().join("shared.db")).unwrap(),
            Place::Server(db, keys) => {
                let dir = tempfile::tempdir().unwrap();
                let store = Store::open_server(db.url(), dir.path()).unwrap();
                keys.push(dir);
                store
            }
        };
        let actor = Actor {
            user: user.into(),
            role: Some(role),
        };
        Service::new(store, actor, false).unwrap()
    }
}

/// `on_both_engines! { fn name(place) { ... } }`: a module `name` with the tests
/// `sqlite` and `postgres`, each running the body on a fresh [`Place`].
#[macro_export]
macro_rules! on_both_engines {
    (fn $name:ident($place:ident) $body:block) => {
        mod $name {
            use super::*;

            fn body($place: $crate::common::places::Place) $body

            #[test]
            fn sqlite() {
                body($crate::common::places::Place::File(tempfile::tempdir().unwrap()))
            }

            #[test]
            fn postgres() {
                if let Some(db) = joinedup::store::ScratchDatabase::create(stringify!($name)) {
                    body($crate::common::places::Place::Server(db, Vec::new()))
                }
            }
        }
    };
}
