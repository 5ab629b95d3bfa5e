//! The MLLP server's success log: while messages arrive, one line every
//! [`LOG_EVERY`] with what was done since the last line (counts) and how long it
//! took (timings), and the totals so far. Counts and timings only: never a
//! message's content, a name, an NHS number or a control id. Nothing is logged
//! while the feed is idle. `joinedup listen` logs at level info for its feed
//! modules unless `JOINEDUP_LOG` says otherwise.

use std::time::{Duration, Instant};

use super::FeedCounts;

/// How often a busy feed logs its progress.
pub const LOG_EVERY: Duration = Duration::from_secs(10);

/// What the store loop has done since its last progress line.
#[derive(Debug)]
pub(super) struct Progress {
    every: Duration,
    since: Instant,
    /// The counts at the last line.
    before: FeedCounts,
    groups: u64,
    messages: u64,
    storing: Duration,
    slowest: Duration,
}

/// One progress line's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Line {
    /// Since the last line.
    pub seconds: u64,
    pub messages: u64,
    pub stored: u64,
    pub again: u64,
    pub skipped: u64,
    pub rejected: u64,
    pub unreadable: u64,
    pub failed: u64,
    pub groups: u64,
    pub mean_group_ms: u64,
    pub slowest_group_ms: u64,
    pub per_second: u64,
    /// Since the server started.
    pub total_stored: u64,
}

impl Progress {
    pub fn new(every: Duration, now: Instant) -> Self {
        Self {
            every,
            since: now,
            before: FeedCounts::default(),
            groups: 0,
            messages: 0,
            storing: Duration::ZERO,
            slowest: Duration::ZERO,
        }
    }

    /// A group of `messages` was stored (or failed) in `took`.
    pub fn group(&mut self, messages: usize, took: Duration) {
        self.groups += 1;
        self.messages += messages as u64;
        self.storing += took;
        self.slowest = self.slowest.max(took);
    }

    /// The line to log at `now`, if one is due (the interval has passed and
    /// something was done in it); `counts` are the server's counts now.
    pub fn due(&mut self, now: Instant, counts: &FeedCounts) -> Option<Line> {
        let elapsed = now.saturating_duration_since(self.since);
        if elapsed < self.every || self.groups == 0 {
            return None;
        }
        let (c, b) = (counts, &self.before);
        let ms = |d: Duration| d.as_millis() as u64;
        let line = Line {
            seconds: elapsed.as_secs(),
            messages: self.messages,
            stored: c.stored - b.stored,
            again: c.again - b.again,
            skipped: c.skipped - b.skipped,
            rejected: c.rejected - b.rejected,
            unreadable: c.unreadable - b.unreadable,
            failed: c.failed - b.failed,
            groups: self.groups,
            mean_group_ms: ms(self.storing) / self.groups,
            slowest_group_ms: ms(self.slowest),
            per_second: (self.messages as f64 / elapsed.as_secs_f64().max(0.001)) as u64,
            total_stored: c.stored,
        };
        *self = Self {
            before: counts.clone(),
            ..Self::new(self.every, now)
        };
        Some(line)
    }
}

/// Log a progress line (counts and timings only).
pub(super) fn log(line: &Line) {
    tracing::info!(
        seconds = line.seconds,
        messages = line.messages,
        stored = line.stored,
        again = line.again,
        skipped = line.skipped,
        rejected = line.rejected,
        unreadable = line.unreadable,
        failed = line.failed,
        groups = line.groups,
        mean_group_ms = line.mean_group_ms,
        slowest_group_ms = line.slowest_group_ms,
        per_second = line.per_second,
        total_stored = line.total_stored,
        "feed progress"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_feed_logs_counts_and_timings_once_an_interval_and_an_idle_one_nothing() {
        let start = Instant::now();
        let mut p = Progress::new(Duration::from_secs(10), start);
        let idle = FeedCounts::default();
        assert_eq!(p.due(start + Duration::from_secs(60), &idle), None, "idle: nothing");
        p.group(3, Duration::from_millis(4));
        p.group(1, Duration::from_millis(8));
        let mut counts = FeedCounts {
            stored: 3,
            rejected: 1,
            ..Default::default()
        };
        assert_eq!(p.due(start + Duration::from_secs(5), &counts), None, "not yet");
        let line = p.due(start + Duration::from_secs(61), &counts).expect("a line");
        assert_eq!((line.messages, line.stored, line.rejected, line.groups), (4, 3, 1, 2));
        assert_eq!((line.mean_group_ms, line.slowest_group_ms, line.seconds), (6, 8, 61));
        // The next line counts from this one.
        p.group(2, Duration::from_millis(2));
        counts.stored += 2;
        let at = start + Duration::from_secs(61);
        assert_eq!(p.due(at + Duration::from_secs(9), &counts), None);
        let line = p.due(at + Duration::from_secs(10), &counts).expect("a line");
        assert_eq!(
            (line.messages, line.stored, line.rejected, line.total_stored),
            (2, 2, 0, 5)
        );
        assert_eq!(line.per_second, 0, "2 in 10 s");
        assert_eq!(p.due(at + Duration::from_secs(100), &counts), None, "idle again");
    }
}
