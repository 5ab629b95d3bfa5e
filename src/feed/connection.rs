//! One MLLP connection of the server (`listener`): the accept thread starts a thread
//! per connection, which reads frames and hands each to the store loop as it reads
//! it, and a writer thread of the connection that acknowledges each frame in order
//! once its outcome is known (so an ACK always follows the commit that holds its
//! message). A frame ended by FS alone is taken when the peer pauses (a read that
//! timed out) or closes (`Framer::pause`).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::ack::{AckIds, Code, Header, Problem, ack};
use super::listener::{FeedCounts, Job};
use super::mllp::{Frame, Framer, frame};
use crate::service::Received;
use crate::store::FeedOutcome;

pub(super) fn accept_loop(
    socket: &TcpListener,
    jobs: &Sender<Job>,
    stop: &Arc<AtomicBool>,
    counts: &Arc<Mutex<FeedCounts>>,
    max: usize,
) {
    let ack_ids = Arc::new(AckIds::new());
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
    ack_ids: Arc<AckIds>,
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
        // The ACKs are written by a thread of their own, in the order of the frames,
        // so that this one goes on reading (and handing over) while a group commits:
        // a sender that sends several before it waits fills the next group.
        let Ok(stream) = self.stream.try_clone() else {
            return;
        };
        let (acks, waiting) = channel::<Pending>();
        let ack_ids = self.ack_ids.clone();
        let writer = std::thread::Builder::new()
            .name("mllp-acks".into())
            .spawn(move || write_acks(stream, &waiting, &ack_ids));
        let Ok(writer) = writer else {
            return;
        };
        self.read_frames(&acks, &writer);
        drop(acks);
        let _ = writer.join();
    }

    /// Read frames and hand them over until the sender closes, the store fails
    /// (the writer has gone) or the server stops. Stopping: no new message is
    /// taken (it is not acknowledged, so it is sent again); those handed over are
    /// finished and acknowledged.
    fn read_frames(&mut self, acks: &Sender<Pending>, writer: &std::thread::JoinHandle<()>) {
        let mut buf = vec![0u8; 64 * 1024];
        let mut garbage = 0;
        while !self.stop.load(Ordering::SeqCst) && !writer.is_finished() {
            let (frames, closed) = match self.stream.read(&mut buf) {
                Ok(0) => (self.framer.pause().into_iter().collect(), true),
                Ok(n) => (self.framer.push(&buf[..n]), false),
                // The peer paused: a frame it ended with FS alone is complete.
                Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                    (self.framer.pause().into_iter().collect(), false)
                }
                Err(_) => break,
            };
            if let Ok(mut c) = self.counts.lock() {
                c.garbage_bytes += (self.framer.skipped - garbage) as u64;
                garbage = self.framer.skipped;
            }
            for f in frames {
                if self.stop.load(Ordering::SeqCst) || acks.send(self.hand_over(f)).is_err() {
                    return;
                }
            }
            if closed {
                break;
            }
        }
    }

    /// Give one frame to the store, or answer it at once (too long to read).
    fn hand_over(&mut self, f: Frame) -> Pending {
        match f {
            Frame::TooLong { head, length } => {
                if let Ok(mut c) = self.counts.lock() {
                    c.unreadable += 1;
                }
                let header = Header::read(&text_of(&head));
                let why = format!(
                    "the message is {length} bytes, longer than this server takes ({} bytes)",
                    self.max
                );
                Pending::Answered(header, Code::Reject(why))
            }
            Frame::Message(bytes) => {
                let text: Arc<str> = text_of(&bytes).into();
                let header = Header::read(&text);
                let (tx, rx) = channel();
                let job = Job {
                    text: text.clone(),
                    outcome: tx,
                };
                match self.jobs.send(job) {
                    Ok(()) => Pending::Storing(header, text, rx),
                    Err(_) => Pending::Failed,
                }
            }
        }
    }
}

/// Acknowledge each frame in order, once its outcome is known. When a store
/// failed (or the ACK cannot be written) it stops and shuts the connection, so
/// that message and the ones after it get no ACK and are sent again.
fn write_acks(mut stream: TcpStream, waiting: &Receiver<Pending>, ack_ids: &AckIds) {
    for p in waiting {
        let (header, code) = match p {
            Pending::Answered(header, code) => (header, code),
            Pending::Storing(header, text, rx) => match rx.recv() {
                Ok(Ok(received)) => (header, code_of(received, &text)),
                _ => break,
            },
            Pending::Failed => break,
        };
        let now = chrono::Local::now().naive_local();
        let ack_id = ack_ids.next();
        let reply = frame(ack(header.as_ref(), &code, &ack_id, now).as_bytes());
        if stream.write_all(&reply).and_then(|()| stream.flush()).is_err() {
            break;
        }
    }
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

/// A frame handed over, waiting for its acknowledgement.
enum Pending {
    /// Answered without the store (a frame too long to read).
    Answered(Option<Header>, Code),
    /// In the store's queue (its text, for the ERR segment); its outcome comes on the channel.
    Storing(Option<Header>, Arc<str>, Receiver<Result<Received, ()>>),
    /// The store has stopped: no outcome will come.
    Failed,
}

/// The acknowledgement the outcome of the message `text` gets.
fn code_of(received: Received, text: &str) -> Code {
    match received {
        Received::Stored(_) | Received::Skipped(_) => Code::Accept,
        Received::Again(FeedOutcome::Stored, None) | Received::Again(FeedOutcome::Skipped, _) => Code::Accept,
        Received::Warned(_, why) | Received::Again(FeedOutcome::Stored, Some(why)) => {
            Code::Warn(Problem::of(text, why))
        }
        Received::Again(FeedOutcome::Rejected, why) => {
            Code::Error(Problem::of(text, why.unwrap_or_else(|| "rejected".into())))
        }
        Received::Rejected(why) => Code::Error(Problem::of(text, why)),
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
