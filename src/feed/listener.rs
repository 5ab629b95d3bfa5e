//! The MLLP server: one thread accepts connections, one thread per connection reads
//! frames and writes acknowledgements, and the calling thread owns the service
//! (and so the database connection) and stores the messages by **group commit**:
//! it takes every message waiting, from all connections, and stores them in one
//! transaction with one durable commit (`Service::receive_hl7_group`). A lone
//! message is stored at once; when more are waiting (a burst, several
//! connections), the group takes what arrives for up to `group_window` more, to
//! at most `group_max` messages. Each message keeps its own outcome.
//!
//! A connection's thread (`connection`) hands over each frame as it reads it (a sender may send
//! several before it waits for their ACKs) and goes on reading; a writer thread of
//! the connection waits for their outcomes in order and acknowledges each, so an
//! ACK always follows the commit that holds its message, and ACKs keep the order
//! of their frames.
//!
//! Stopping (SIGTERM or SIGINT in `joinedup listen`): no new frame is taken; the
//! messages in hand are finished and acknowledged; then the server returns its
//! counts. When a group's store fails (a lost connection, a full disk) none of its
//! messages is acknowledged and their connections are closed, so the senders send
//! them again. Logs carry counts and timings only, never a message's content:
//! while busy, a progress line every ten seconds (`progress`).

use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, TryRecvError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::connection::accept_loop;
use super::progress::{self, Progress};
use crate::service::{Received, Service};

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ListenerOptions {
    /// The longest frame taken, in bytes; a longer one is answered `AR`.
    pub max_frame: usize,
    /// How long a group already holding more than one message waits for more.
    pub group_window: Duration,
    /// The most messages in one group (one transaction).
    pub group_max: usize,
    /// How often a busy server logs its progress (counts and timings).
    pub log_every: Duration,
}

impl Default for ListenerOptions {
    fn default() -> Self {
        Self {
            max_frame: 1 << 20,
            group_window: Duration::from_millis(2),
            group_max: 500,
            log_every: progress::LOG_EVERY,
        }
    }
}

/// What the server did, for its report and its log.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FeedCounts {
    pub connections: u64,
    /// Stored now.
    pub stored: u64,
    /// Received before and answered as then (a resend after a lost ACK).
    pub again: u64,
    /// Acknowledged but not kept: a type the record does not hold.
    pub skipped: u64,
    /// Invalid content: `AE`, kept among the rejected messages.
    pub rejected: u64,
    /// Frames that could not be read as a message, or were too long: `AR`.
    pub unreadable: u64,
    /// Messages that could not be stored (no ACK sent; the sender sends again).
    pub failed: u64,
    /// Bytes skipped outside any frame.
    pub garbage_bytes: u64,
    /// Groups stored (transactions committed, or failed).
    pub groups: u64,
    /// The most messages in one group.
    pub largest_group: u64,
}

/// A bound MLLP server, not yet serving.
pub struct Listener {
    socket: TcpListener,
    options: ListenerOptions,
    name: String,
}

/// A message handed to the store, and where its outcome goes.
pub(super) struct Job {
    pub text: Arc<str>,
    pub outcome: Sender<Result<Received, ()>>,
}

impl Listener {
    /// Listen on `address` (`HOST:PORT`; port 0 takes a free one).
    pub fn bind(address: &str, options: ListenerOptions) -> std::io::Result<Self> {
        let socket = TcpListener::bind(address)?;
        let name = format!("mllp {}", socket.local_addr()?);
        Ok(Self { socket, options, name })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.socket.local_addr()
    }

    /// Serve until `stop` is set, storing through `service`; returns the counts.
    pub fn serve(self, mut service: Service, stop: Arc<AtomicBool>) -> std::io::Result<FeedCounts> {
        let counts = Arc::new(Mutex::new(FeedCounts::default()));
        let (jobs, queue) = channel::<Job>();
        self.socket.set_nonblocking(true)?;
        let acceptor = {
            let (stop, counts, max) = (stop.clone(), counts.clone(), self.options.max_frame);
            let socket = self.socket;
            std::thread::Builder::new()
                .name("mllp-accept".into())
                .spawn(move || accept_loop(&socket, &jobs, &stop, &counts, max))?
        };
        let store = StoreLoop {
            name: &self.name,
            options: &self.options,
            counts: &counts,
        };
        store.run(&mut service, &queue, &stop);
        let _ = acceptor.join();
        let counts = counts.lock().map(|c| c.clone()).unwrap_or_default();
        tracing::info!(?counts, "feed stopped");
        Ok(counts)
    }
}

/// The database's side: a group of messages at a time, until stopped and drained.
struct StoreLoop<'a> {
    name: &'a str,
    options: &'a ListenerOptions,
    counts: &'a Mutex<FeedCounts>,
}

impl StoreLoop<'_> {
    fn run(&self, service: &mut Service, queue: &Receiver<Job>, stop: &AtomicBool) {
        let mut progress = Progress::new(self.options.log_every, Instant::now());
        loop {
            let first = match queue.recv_timeout(Duration::from_millis(100)) {
                Ok(job) => Some(job),
                Err(RecvTimeoutError::Timeout) if stop.load(Ordering::SeqCst) => return,
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return,
            };
            if let Some(first) = first {
                let group = self.gather(first, queue);
                let (messages, started) = (group.len(), Instant::now());
                self.store(service, group);
                progress.group(messages, started.elapsed());
            }
            let line = self.counts.lock().ok().and_then(|c| progress.due(Instant::now(), &c));
            if let Some(line) = line {
                progress::log(&line);
            }
        }
    }

    /// The group that begins with `first`: every message waiting; then, if that
    /// is more than one (a burst), what arrives within the window; at most the cap.
    fn gather(&self, first: Job, queue: &Receiver<Job>) -> Vec<Job> {
        let mut group = vec![first];
        let deadline = Instant::now() + self.options.group_window;
        while group.len() < self.options.group_max {
            match queue.try_recv() {
                Ok(job) => {
                    group.push(job);
                    continue;
                }
                Err(TryRecvError::Disconnected) => break,
                Err(TryRecvError::Empty) => {}
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if group.len() < 2 || left.is_zero() {
                break;
            }
            match queue.recv_timeout(left) {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        group
    }

    /// Store one group in one transaction, then hand each message its outcome
    /// (all of them an error when the store failed: none is acknowledged).
    fn store(&self, service: &mut Service, group: Vec<Job>) {
        let now = chrono::Local::now().naive_local();
        let texts: Vec<&str> = group.iter().map(|j| &*j.text).collect();
        let outcomes = service.receive_hl7_group(self.name, &texts, now).map_err(|e| {
            // The kind of failure only: the message may name a person.
            tracing::warn!(
                failure = failure_kind(&e),
                messages = group.len(),
                "a group could not be stored; no ACK sent"
            );
        });
        if let Ok(mut c) = self.counts.lock() {
            c.groups += 1;
            c.largest_group = c.largest_group.max(group.len() as u64);
            match &outcomes {
                Ok(outcomes) => outcomes.iter().for_each(|o| count(&mut c, o)),
                Err(()) => c.failed += group.len() as u64,
            }
        }
        match outcomes {
            Ok(outcomes) if outcomes.len() == group.len() => {
                for (job, outcome) in group.into_iter().zip(outcomes) {
                    let _ = job.outcome.send(Ok(outcome));
                }
            }
            _ => {
                for job in group {
                    let _ = job.outcome.send(Err(()));
                }
            }
        }
    }
}

fn count(c: &mut FeedCounts, received: &Received) {
    match received {
        Received::Stored(_) | Received::Warned(..) => c.stored += 1,
        Received::Again(..) => c.again += 1,
        Received::Skipped(_) => c.skipped += 1,
        Received::Rejected(_) => c.rejected += 1,
        Received::Unreadable(_) => c.unreadable += 1,
    }
}

/// A store failure in a few words (never the message, which may name a person).
pub(super) fn failure_kind(e: &crate::service::ServiceError) -> &'static str {
    use crate::import::pipeline::PipelineError as P;
    use crate::service::ServiceError as S;
    match e {
        _ if connection_lost(e) => "the database connection was lost",
        S::Store(_) | S::Pipeline(P::Store(_)) => "the database refused the change",
        S::Refused(_) => "refused",
        _ => "other",
    }
}

/// Whether the server connection was lost (and so may be made again).
pub(super) fn connection_lost(e: &crate::service::ServiceError) -> bool {
    use crate::import::pipeline::PipelineError as P;
    use crate::service::ServiceError as S;
    use crate::store::StoreError as E;
    matches!(
        e,
        S::Store(E::Disconnected(_)) | S::Pipeline(P::Store(E::Disconnected(_)))
    )
}
