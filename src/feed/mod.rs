//! Live feeds, a front end beside the window and the command line: an MLLP server
//! (`joinedup listen --mllp HOST:PORT`) that a hospital's patient administration
//! system or integration engine sends HL7 v2 messages to. Every message goes
//! through the service layer (`Service::receive_hl7`) and is acknowledged only
//! after the transaction that holds it has committed. And watched folders
//! (`joinedup listen --watch DIR`, `watch`): files dropped there are imported as
//! `joinedup import` imports them, then filed in `done/` or `rejected/`.

pub mod ack;
mod connection;
pub mod listener;
pub mod mllp;
mod progress;
pub mod watch;

pub use listener::{FeedCounts, Listener, ListenerOptions};
pub use watch::{WatchCounts, WatchOptions, Watcher};
