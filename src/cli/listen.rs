//! `joinedup listen [--mllp HOST:PORT] [--watch DIR]...`: the MLLP server and the
//! watched folders, each with its own connection to the database, both stopped by
//! the one flag SIGTERM and SIGINT set; then their counts, one JSON line each on
//! stdout (the MLLP server's first).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::feed::{Listener, ListenerOptions, WatchOptions, Watcher};

/// Where the MLLP server listens when neither it nor a folder is named.
const DEFAULT_MLLP: &str = "127.0.0.1:2575";

/// What `listen` was asked to run.
pub(super) struct Feeds {
    pub mllp: Option<String>,
    /// The MLLP server's frame limit and group commit.
    pub options: ListenerOptions,
    pub watch: Vec<PathBuf>,
    pub settle: Duration,
    /// The largest dropped file taken.
    pub max_file_bytes: u64,
}

pub(super) fn listen(settings: &super::Settings, feeds: Feeds) -> anyhow::Result<ExitCode> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(signal, stop.clone())?;
    }
    let address = feeds
        .mllp
        .or_else(|| feeds.watch.is_empty().then(|| DEFAULT_MLLP.to_owned()));
    let listener = match &address {
        Some(a) => Some(
            Listener::bind(a, feeds.options.clone()).map_err(|e| anyhow::anyhow!("could not listen on {a}: {e}"))?,
        ),
        None => None,
    };
    let watcher = if feeds.watch.is_empty() {
        None
    } else {
        let options = WatchOptions {
            settle: feeds.settle,
            max_file_bytes: feeds.max_file_bytes,
            ..WatchOptions::default()
        };
        let watcher = Watcher::new(&feeds.watch, options)?;
        for dir in &feeds.watch {
            eprintln!("joinedup: watching {} for dropped files", dir.display());
        }
        Some((watcher, settings.service()?))
    };
    let Some(listener) = listener else {
        // Folders only: watched on this thread.
        if let Some((watcher, service)) = watcher {
            let counts = watcher.run(service, stop);
            println!("{}", serde_json::to_string(&counts)?);
        }
        return Ok(ExitCode::SUCCESS);
    };
    let watching = match watcher {
        Some((watcher, service)) => {
            let stop = stop.clone();
            Some(
                std::thread::Builder::new()
                    .name("watch".into())
                    .spawn(move || watcher.run(service, stop))?,
            )
        }
        None => None,
    };
    eprintln!("joinedup: listening for HL7 v2 over MLLP on {}", listener.local_addr()?);
    let served = settings
        .service()
        .and_then(|service| listener.serve(service, stop.clone()).map_err(anyhow::Error::from));
    // However the server ended, the folders stop too (after the file in hand).
    stop.store(true, Ordering::SeqCst);
    let watched = watching.map(|t| t.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
    println!("{}", serde_json::to_string(&served?)?);
    if let Some(counts) = watched {
        println!("{}", serde_json::to_string(&counts)?);
    }
    Ok(ExitCode::SUCCESS)
}
