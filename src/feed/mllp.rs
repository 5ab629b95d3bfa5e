//! MLLP framing (HL7 v2's Minimal Lower Layer Protocol): each message is sent as
//! `<VT> message <FS><CR>` (0x0B … 0x1C 0x0D). A [`Framer`] takes the bytes as they
//! arrive, in any split, and gives back whole frames. Bytes outside a frame are
//! skipped (and counted); a frame longer than the limit is thrown away whole,
//! without holding it in memory, and reported so the sender can be told.
//!
//! Some senders end a frame with FS alone and then wait for the ACK. An FS that
//! ends what has arrived is taken as the frame's end when the next frame's VT
//! follows it, or when the peer pauses (the connection calls [`Framer::pause`]
//! after a read timed out, or when the peer closed); an FS followed by any other
//! byte is data, as before.

/// Start of a frame.
pub const START: u8 = 0x0b;
/// End of a frame: FS then CR.
pub const END: [u8; 2] = [0x1c, 0x0d];

/// What a framer found in the bytes given to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// A whole message, without its framing bytes.
    Message(Vec<u8>),
    /// A frame longer than the limit: thrown away (its first bytes are kept, to
    /// read the header from for the refusal).
    TooLong { head: Vec<u8>, length: usize },
}

/// Splits a byte stream into frames.
#[derive(Debug)]
pub struct Framer {
    limit: usize,
    state: State,
    /// Bytes skipped outside any frame.
    pub skipped: usize,
}

#[derive(Debug)]
enum State {
    /// Between frames: waiting for a start byte.
    Outside,
    /// Inside a frame, its bytes so far (the FS, if last, may be the end's first half).
    Inside(Vec<u8>),
    /// Inside a frame past the limit: its first bytes and how long it is so far.
    Discarding {
        head: Vec<u8>,
        length: usize,
        last_fs: bool,
    },
}

/// How much of an over-long frame is kept to read its MSH segment from.
const HEAD: usize = 1024;

impl Framer {
    pub fn new(limit: usize) -> Self {
        Self {
            limit,
            state: State::Outside,
            skipped: 0,
        }
    }

    /// Take the bytes that arrived; return the frames they completed.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<Frame> {
        let mut out = Vec::new();
        for &b in bytes {
            self.byte(b, &mut out);
        }
        out
    }

    /// Whether a frame has begun and not ended (a connection closed now cut it).
    pub fn in_frame(&self) -> bool {
        !matches!(self.state, State::Outside)
    }

    /// The peer paused (a read timed out) or closed: a frame whose last byte is
    /// FS ends there, its CR never sent. Anything else in hand waits.
    pub fn pause(&mut self) -> Option<Frame> {
        let frame = self.ended_by_fs()?;
        self.state = State::Outside;
        Some(frame)
    }

    /// The frame in hand, if its last byte is an FS (which then ends it).
    fn ended_by_fs(&mut self) -> Option<Frame> {
        match &mut self.state {
            State::Inside(buf) if buf.last() == Some(&END[0]) => {
                buf.pop();
                Some(Frame::Message(std::mem::take(buf)))
            }
            State::Discarding {
                head,
                length,
                last_fs: true,
            } => Some(Frame::TooLong {
                head: std::mem::take(head),
                length: *length - 1,
            }),
            _ => None,
        }
    }

    fn byte(&mut self, b: u8, out: &mut Vec<Frame>) {
        if b == START
            && let Some(frame) = self.ended_by_fs()
        {
            // FS then the next frame's VT: the CR was left out.
            out.push(frame);
            self.state = State::Inside(Vec::new());
            return;
        }
        match &mut self.state {
            State::Outside => {
                if b == START {
                    self.state = State::Inside(Vec::new());
                } else {
                    self.skipped += 1;
                }
            }
            State::Inside(buf) => {
                if b == END[1] && buf.last() == Some(&END[0]) {
                    buf.pop();
                    out.push(Frame::Message(std::mem::take(buf)));
                    self.state = State::Outside;
                } else if b == START {
                    // A new frame began before this one ended: the partial one is garbage.
                    self.skipped += buf.len() + 1;
                    buf.clear();
                } else if buf.len() > self.limit {
                    let head = buf[..HEAD.min(buf.len())].to_vec();
                    let length = buf.len() + 1;
                    self.state = State::Discarding {
                        head,
                        length,
                        last_fs: b == END[0],
                    };
                } else {
                    buf.push(b);
                }
            }
            State::Discarding { head, length, last_fs } => {
                if b == END[1] && *last_fs {
                    out.push(Frame::TooLong {
                        head: std::mem::take(head),
                        length: *length - 1,
                    });
                    self.state = State::Outside;
                } else {
                    *length += 1;
                    *last_fs = b == END[0];
                }
            }
        }
    }
}

/// `message` framed for sending.
pub fn frame(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + 3);
    out.push(START);
    out.extend_from_slice(message);
    out.extend_from_slice(&END);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(frames: Vec<Frame>) -> Vec<String> {
        frames
            .into_iter()
            .map(|f| match f {
                Frame::Message(m) => String::from_utf8(m).unwrap(),
                Frame::TooLong { length, .. } => format!("too long: {length}"),
            })
            .collect()
    }

    #[test]
    fn frames_split_anywhere_come_out_whole() {
        let bytes = [frame(b"MSH|one"), frame(b"MSH|two")].concat();
        for cut in 0..bytes.len() {
            let mut f = Framer::new(1000);
            let mut got = messages(f.push(&bytes[..cut]));
            got.extend(messages(f.push(&bytes[cut..])));
            assert_eq!(got, vec!["MSH|one", "MSH|two"], "cut at {cut}");
            assert!(!f.in_frame());
        }
    }

    #[test]
    fn several_frames_in_one_read_and_byte_by_byte() {
        let bytes = [frame(b"a"), frame(b"b"), frame(b"c")].concat();
        assert_eq!(messages(Framer::new(10).push(&bytes)), vec!["a", "b", "c"]);
        let mut f = Framer::new(10);
        let got: Vec<String> = bytes.iter().flat_map(|b| messages(f.push(&[*b]))).collect();
        assert_eq!(got, vec!["a", "b", "c"]);
    }

    #[test]
    fn garbage_between_frames_is_skipped_and_counted() {
        let bytes = [
            b"noise\r\n".to_vec(),
            frame(b"MSH|x"),
            b"\x1c\rmore".to_vec(),
            frame(b"MSH|y"),
        ]
        .concat();
        let mut f = Framer::new(100);
        assert_eq!(messages(f.push(&bytes)), vec!["MSH|x", "MSH|y"]);
        assert_eq!(f.skipped, 7 + 2 + 4);
    }

    #[test]
    fn a_frame_cut_by_a_new_start_is_dropped() {
        let bytes = [b"\x0bMSH|half".to_vec(), frame(b"MSH|whole")].concat();
        let mut f = Framer::new(100);
        assert_eq!(messages(f.push(&bytes)), vec!["MSH|whole"]);
        assert_eq!(f.skipped, 9);
    }

    #[test]
    fn an_oversized_frame_is_reported_and_the_next_read() {
        let big = vec![b'x'; 50];
        let bytes = [frame(&big), frame(b"MSH|next")].concat();
        let mut f = Framer::new(20);
        assert_eq!(messages(f.push(&bytes)), vec!["too long: 50", "MSH|next"]);
        // Exactly at the limit is accepted.
        assert_eq!(messages(Framer::new(50).push(&frame(&big))).len(), 1);
        assert_eq!(messages(Framer::new(50).push(&frame(&big)))[0].len(), 50);
    }

    #[test]
    fn an_fs_inside_a_message_is_data_unless_a_cr_follows() {
        let mut f = Framer::new(100);
        assert_eq!(messages(f.push(&frame(b"a\x1cb"))), vec!["a\u{1c}b"]);
        assert_eq!(f.pause(), None, "nothing in hand");
    }

    #[test]
    fn a_frame_ended_by_fs_alone_is_taken_when_the_next_begins_or_the_peer_pauses() {
        let mut f = Framer::new(100);
        // No CR, then the next frame: the first ends at its FS.
        let got = messages(f.push(b"junk\x0bMSH|one\x1c\x0bMSH|two\x1c"));
        assert_eq!(got, vec!["MSH|one"]);
        assert!(f.in_frame(), "the second waits for its CR or a pause");
        // The sender waits: the pause ends it.
        assert_eq!(f.pause().map(|m| messages(vec![m])), Some(vec!["MSH|two".to_owned()]));
        assert!(!f.in_frame());
        // Garbage after it is still skipped, and a pause mid-frame keeps the frame.
        assert_eq!(messages(f.push(b"\r\nxx\x0bMSH|thr")), Vec::<String>::new());
        assert_eq!(f.skipped, 4 + 4);
        assert_eq!(f.pause(), None);
        assert_eq!(messages(f.push(b"ee\x1c\r")), vec!["MSH|three"]);
        // An over-long frame ended by FS alone is still reported.
        let mut f = Framer::new(5);
        assert_eq!(messages(f.push(b"\x0b0123456789\x1c")), Vec::<String>::new());
        assert_eq!(
            f.pause().map(|m| messages(vec![m])),
            Some(vec!["too long: 10".to_owned()])
        );
    }
}
