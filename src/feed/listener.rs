//! The MLLP server: one thread accepts connections, one thread per connection reads
//! frames and writes acknowledgements, and the calling thread owns the service
//! (and so the database connection), storing one message at a time, each in its
//! own transaction. A connection's thread waits for its message's outcome before
//! it acknowledges, so an ACK always follows the commit that holds the message.
//!
//! Stopping (SIGTERM or SIGINT in `joinedup listen`): no new frame is taken; the
//! message in hand is finished and acknowledged; then the server returns its
//! counts. A message whose store failed (a lost connection, a full disk) gets no
//! acknowledgement and its connection is closed, so the sender sends it again.
//! Logs carry counts and timings only, never a message's content.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::ack::{Code, Header, ack};
use super::mllp::{Frame, Framer, frame};
use crate::service::{Received, Service};
use crate::store::FeedOutcome;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ListenerOptions {
    /// The longest frame taken, in bytes; a longer one is answered `AR`.
    pub max_frame: usize,
}

impl Default for ListenerOptions {
    fn default() -> Self {
        Self { max_frame: 1 << 20 }
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
}

/// A bound MLLP server, not yet serving.
pub struct Listener {
    socket: TcpListener,
    options: ListenerOptions,
    name: String,
}

/// A message handed to the store, and where its outcome goes.
struct Job {
    text: String,
    outcome: Sender<Result<Received, ()>>,
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
        store_loop(&mut service, &self.name, &queue, &stop, &counts);
        let _ = acceptor.join();
        let counts = counts.lock().map(|c| c.clone()).unwrap_or_default();
        tracing::info!(?counts, "feed stopped");
        Ok(counts)
    }
}

/// The database's side: one message at a time, until stopped and drained.
fn store_loop(service: &mut Service, name: &str, queue: &Receiver<Job>, stop: &AtomicBool, counts: &Mutex<FeedCounts>) {
    let mut last_log = Instant::now();
    let mut slowest = Duration::ZERO;
    loop {
        let job = match queue.recv_timeout(Duration::from_millis(100)) {
            Ok(job) => job,
            Err(RecvTimeoutError::Timeout) if stop.load(Ordering::SeqCst) => return,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => return,
        };
        let started = Instant::now();
        let now = chrono::Local::now().naive_local();
        let outcome = service.receive_hl7(name, &job.text, now).map_err(|e| {
            // The kind of failure only: the message may name a person.
            tracing::warn!(failure = failure_kind(&e), "a message could not be stored; no ACK sent");
        });
        slowest = slowest.max(started.elapsed());
        if let Ok(mut c) = counts.lock() {
            match &outcome {
                Ok(Received::Stored(_)) => c.stored += 1,
                Ok(Received::Again(..)) => c.again += 1,
                Ok(Received::Skipped(_)) => c.skipped += 1,
                Ok(Received::Rejected(_)) => c.rejected += 1,
                Ok(Received::Unreadable(_)) => c.unreadable += 1,
                Err(()) => c.failed += 1,
            }
            if last_log.elapsed() > Duration::from_secs(60) {
                tracing::info!(counts = ?*c, slowest_ms = slowest.as_millis() as u64, "feed");
                last_log = Instant::now();
                slowest = Duration::ZERO;
            }
        }
        let _ = job.outcome.send(outcome);
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

fn accept_loop(
    socket: &TcpListener,
    jobs: &Sender<Job>,
    stop: &Arc<AtomicBool>,
    counts: &Arc<Mutex<FeedCounts>>,
    max: usize,
) {
    let ack_ids = Arc::new(AtomicU64::new(1));
    let mut threads = Vec::new();
    while !stop.load(Ordering::SeqCst) {
        match socket.accept() {
            Ok((stream, _)) => {
                if let Ok(mut c) = counts.lock() {
                    c.connections += 1;
                }
                let (jobs, stop, counts, ack_ids) = (jobs.clone(), stop.clone(), counts.clone(), ack_ids.clone());
                let spawned = std::thread::Builder::new()
                    .name("mllp-connection".into())
                    .spawn(move || {
                        let mut conn = Connection {
                            stream,
                            jobs,
                            stop,
                            counts,
                            ack_ids,
                            framer: Framer::new(max),
                            max,
                        };
                        conn.run();
                    });
                match spawned {
                    Ok(t) => threads.push(t),
                    Err(e) => tracing::warn!("could not start a connection's thread: {e}"),
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => {
                tracing::warn!("accepting a connection failed: {e}");
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        threads.retain(|t| !t.is_finished());
    }
    for t in threads {
        let _ = t.join();
    }
}

/// One sender's connection.
struct Connection {
    stream: TcpStream,
    jobs: Sender<Job>,
    stop: Arc<AtomicBool>,
    counts: Arc<Mutex<FeedCounts>>,
    ack_ids: Arc<AtomicU64>,
    framer: Framer,
    max: usize,
}

impl Connection {
    fn run(&mut self) {
        if self.stream.set_nonblocking(false).is_err()
            || self.stream.set_read_timeout(Some(Duration::from_millis(200))).is_err()
        {
            return;
        }
        let mut buf = vec![0u8; 64 * 1024];
        let mut garbage = 0;
        while !self.stop.load(Ordering::SeqCst) {
            let n = match self.stream.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => continue,
                Err(_) => break,
            };
            let frames = self.framer.push(&buf[..n]);
            if let Ok(mut c) = self.counts.lock() {
                c.garbage_bytes += (self.framer.skipped - garbage) as u64;
                garbage = self.framer.skipped;
            }
            for f in frames {
                // Stopping: no new message is taken (it is not acknowledged, so it is sent again).
                if self.stop.load(Ordering::SeqCst) || !self.answer(f) {
                    return;
                }
            }
        }
    }

    /// Answer one frame; false when the connection must close (the store failed).
    fn answer(&mut self, f: Frame) -> bool {
        let now = chrono::Local::now().naive_local();
        let ack_id = format!("JU{}", self.ack_ids.fetch_add(1, Ordering::SeqCst));
        let (header, code) = match f {
            Frame::TooLong { head, length } => {
                if let Ok(mut c) = self.counts.lock() {
                    c.unreadable += 1;
                }
                let header = Header::read(&text_of(&head));
                let why = format!(
                    "the message is {length} bytes, longer than this server takes ({} bytes)",
                    self.max
                );
                (header, Code::Reject(why))
            }
            Frame::Message(bytes) => {
                let text = text_of(&bytes);
                let header = Header::read(&text);
                let (tx, rx) = channel();
                if self.jobs.send(Job { text, outcome: tx }).is_err() {
                    return false;
                }
                match rx.recv() {
                    Ok(Ok(received)) => (header, code_of(received)),
                    _ => return false,
                }
            }
        };
        let reply = frame(ack(header.as_ref(), &code, &ack_id, now).as_bytes());
        self.stream.write_all(&reply).and_then(|()| self.stream.flush()).is_ok()
    }
}

/// The acknowledgement an outcome gets.
fn code_of(received: Received) -> Code {
    match received {
        Received::Stored(_) | Received::Skipped(_) => Code::Accept,
        Received::Again(FeedOutcome::Stored | FeedOutcome::Skipped, _) => Code::Accept,
        Received::Again(FeedOutcome::Rejected, why) => Code::Error(why.unwrap_or_else(|| "rejected".into())),
        Received::Rejected(why) => Code::Error(why),
        Received::Unreadable(why) => Code::Reject(why),
    }
}

/// A frame's text: UTF-8 when it is, else read as Latin-1 (HL7 v2's common
/// 8-bit default), so no byte is lost or refused for its encoding alone.
fn text_of(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => bytes.iter().map(|&b| b as char).collect(),
    }
}
