//! `briefing serve`: build, serve the output over HTTP, watch the inputs, rebuild what changed,
//! and tell open pages to reload once the new files are in place.
//!
//! Threads: the watcher (notify) sends settled changes to one rebuild thread, which owns the
//! [`Incremental`] state; a writing thread ([`writer`]) writes each rebuild's changed files in
//! order; the HTTP server (axum on a small tokio runtime) only reads files. A rebuild's changed
//! files are first handed to the server's [`http::Memory`], then the reload notice is sent, then
//! the files are written to disk and forgotten, while the next rebuild may already run: a page
//! never reloads into a half-written site, and neither it nor the next edit waits for the disk.
//! A failed rebuild writes nothing and sends the error overlay.

pub mod http;
pub mod incremental;
pub mod problem;
pub mod reload;
pub mod watch;
pub mod writer;

use crate::config::Site;
use anyhow::{Context, Result};
use http::{Notice, Shared};
use incremental::{Changes, Incremental};
use problem::Problem;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use watch::{Report, Roots};

/// The `serve` command's settings.
#[derive(Debug, Clone)]
pub struct Options {
    pub config: PathBuf,
    /// Output folder (default: the config's `output_dir`).
    pub output: Option<PathBuf>,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub open: bool,
    pub poll: bool,
}

/// Run until Ctrl-C (or SIGTERM).
pub fn run(opts: Options) -> Result<()> {
    let config = std::path::absolute(&opts.config)
        .with_context(|| format!("cannot resolve {}", opts.config.display()))?;
    let site = Site::load(&config)?;
    let output = match &opts.output {
        Some(o) => std::path::absolute(o).with_context(|| format!("bad path {}", o.display()))?,
        None => site.output_dir.clone(),
    };
    crate::output::check_output_dir(&output, &site.inputs())?;
    let listener = std::net::TcpListener::bind((opts.bind, opts.port))
        .with_context(|| format!("cannot listen on {}:{}", opts.bind, opts.port))?;
    let addr = listener.local_addr()?;
    let shown = if addr.ip().is_unspecified() {
        SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), addr.port())
    } else {
        addr
    };
    if !addr.ip().is_loopback() {
        eprintln!("warning: listening on {addr}: other machines on the network can read the site");
    }
    let base_url = format!("http://{shown}/");

    let mut inc = Incremental::new(site, base_url.clone(), output.clone());
    let first = inc.rebuild(&Changes::all());
    let problems = match first {
        Ok(o) => {
            for n in &o.notes {
                eprintln!("note: {n}");
            }
            println!("{}", o.summary());
            Vec::new()
        }
        Err(ps) => {
            print_problems(&ps);
            ps
        }
    };
    std::fs::create_dir_all(&output)
        .with_context(|| format!("cannot create {}", output.display()))?;
    let root = output
        .canonicalize()
        .with_context(|| format!("cannot resolve {}", output.display()))?;

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let shared = Arc::new(Shared {
        root,
        problems: RwLock::new(problems),
        notices: tokio::sync::broadcast::channel(16).0,
        shutdown: stop_rx,
        memory: http::Memory::default(),
        viewers: http::Viewers::default(),
    });
    // From now on a rebuild's files are served from memory as soon as they are rendered; the
    // pages reload, then the files are written (see `rebuild_loop`).
    inc.defer_writes(true);

    let (tx, rx) = mpsc::channel();
    let tx = watch::Inbox::new(tx);
    let roots = Roots::of(inc.site(), inc.output());
    let guard = watch::start(&roots, opts.poll, tx.clone())?;
    let builder = {
        let shared = shared.clone();
        let tx = tx.clone();
        let poll = opts.poll;
        std::thread::spawn(move || rebuild_loop(inc, rx, tx, guard, roots, poll, shared))
    };

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let served = runtime.block_on(async {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        println!(
            "Serving {} at {base_url} (watching {}; Ctrl-C to stop)",
            output.display(),
            if opts.poll {
                "by polling"
            } else {
                "for changes"
            }
        );
        if opts.open {
            if let Err(e) = opener::open(&base_url) {
                eprintln!("warning: cannot open a browser: {e}");
            }
        }
        axum::serve(listener, http::router(shared.clone()))
            .with_graceful_shutdown(async move {
                stop_signal().await;
                let _ = stop_tx.send(true);
            })
            .await
    });
    tx.send(Report::Stop);
    // A rebuild in progress is not waited for beyond a moment: returning from main ends it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    while !builder.is_finished() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    if builder.is_finished() {
        let _ = builder.join();
    } else {
        eprintln!(
            "note: stopped during a rebuild; {} may be partly updated",
            output.display()
        );
    }
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    served.context("the HTTP server failed")?;
    println!("Stopped.");
    Ok(())
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            let ctrl_c = std::pin::pin!(tokio::signal::ctrl_c());
            let term = std::pin::pin!(term.recv());
            futures_util::future::select(ctrl_c, term).await;
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

fn print_problems(problems: &[Problem]) {
    eprintln!("error: the site could not be rebuilt; still serving the last good version");
    for p in problems {
        eprintln!("  {p}");
    }
}

/// How long after the last whole rebuild a newer change may still stop a rebuild's render (see
/// `rebuild_loop`).
const SUPERSEDE_FOR: std::time::Duration = std::time::Duration::from_secs(2);

/// Take settled changes from the watcher, rebuild, tell the pages.
fn rebuild_loop(
    mut inc: Incremental,
    rx: mpsc::Receiver<Report>,
    tx: watch::Inbox,
    mut guard: watch::Guard,
    mut roots: Roots,
    poll: bool,
    shared: Arc<Shared>,
) {
    let mut existing = roots.existing();
    // Each rebuild's files go to disk on this thread, after the reload, while the next rebuild
    // may already run (dropped on return: what was handed over is written first).
    let writer = {
        let shared = shared.clone();
        writer::Writer::start(inc.output().to_path_buf(), move |batch| {
            shared.memory.release(batch)
        })
    };
    // Numbers the deferred writes (see `http::Memory`).
    let mut batch = 0u64;
    // Rebuilds whose render a newer change cut short (see below): their pages held first are
    // forgotten once the rebuild after them is held.
    let mut superseded: Vec<u64> = Vec::new();
    // When the last rebuild that was not superseded ended.
    let mut settled_at = std::time::Instant::now();
    // Whether the last superseded rebuild told the pages to reload (its pages held first).
    let mut shown_first = false;
    let newer = || tx.newer();
    loop {
        // After a superseded rebuild the next one runs at once (what superseded it may already
        // have been taken with it); otherwise wait for changes.
        let report = if superseded.is_empty() {
            match rx.recv() {
                Ok(r) => Some(r),
                Err(_) => return,
            }
        } else {
            None
        };
        tx.lower();
        let mut changes = Changes::default();
        let handle = |r: Report, changes: &mut Changes| match r {
            Report::Changes(c) => {
                changes.merge(c);
                true
            }
            Report::Error(e) => {
                eprintln!("warning: file watcher: {e}");
                true
            }
            Report::Stop => false,
        };
        if let Some(report) = report {
            if !handle(report, &mut changes) {
                return;
            }
        }
        while let Ok(r) = rx.try_recv() {
            if !handle(r, &mut changes) {
                return;
            }
        }
        if changes.is_empty() && superseded.is_empty() {
            continue;
        }
        // A write failed: this rebuild writes the whole site, through the staging folder, once
        // the batches before it are on disk (nothing else writes meanwhile).
        if writer.failed() {
            inc.forget_written();
        }
        if inc.writes_everything() {
            writer.wait();
        }
        batch += 1;
        // The pages open in a browser may come first: held, and the pages told to reload, while
        // the rest of the site renders; a request for another file waits for the rest.
        let mut reloaded = false;
        let open = shared.viewers.files();
        // A newer change stops the render of the rest of the site (its pages are shown
        // already): the next rebuild renders both edits at once. Only for a while after the
        // last whole rebuild, so a writer who keeps saving still gets the whole site rendered
        // and written every few seconds (and a link followed meanwhile does not wait long).
        let cancel: &crate::render::pages::Cancel<'_> = if settled_at.elapsed() < SUPERSEDE_FOR {
            &newer
        } else {
            crate::render::pages::NEVER
        };
        let result = inc.rebuild_showing(
            &changes,
            &open,
            &mut |first| {
                shared.memory.hold_first(batch, first.pages, first.statics);
                shared
                    .problems
                    .write()
                    .unwrap_or_else(|e| e.into_inner())
                    .clear();
                let _ = shared.notices.send(Notice::Reload);
                reloaded = true;
            },
            cancel,
        );
        if let Ok(o) = &result {
            if o.superseded {
                // Requests for the files it did not render keep waiting for the next rebuild.
                println!("{}", o.summary());
                superseded.push(batch);
                shown_first = reloaded;
                inc.finish();
                continue;
            }
        }
        let mut problems = shared.problems.write().unwrap_or_else(|e| e.into_inner());
        let mut to_write = None;
        let notice = match result {
            Ok(o) if o.unchanged => None,
            Ok(mut o) => {
                let had_problems = !problems.is_empty();
                let analysed = o.analysed;
                problems.clear();
                match o.delta.take() {
                    // The files are in place for requests before the pages are told.
                    Some(delta) => {
                        shared.memory.hold(batch, &delta);
                        to_write = Some((delta, o));
                    }
                    // Written already, through the staging folder: the whole site is on disk.
                    None => {
                        shared.memory.clear();
                        println!("{}", o.summary());
                    }
                }
                let changed = to_write.as_ref().is_some_and(|(d, _)| !d.is_empty());
                // After a superseded rebuild that showed its pages, a rebuild that found no new
                // content and no new template, static file or setting (the watcher reported
                // the same save twice) renders the rest of what the pages already show: every
                // open page was made first then, so none needs to reload again.
                let new_inputs = analysed || changes.templates || changes.statics || changes.config;
                let shown = !superseded.is_empty() && shown_first && !new_inputs;
                (!reloaded && !shown && (changed || had_problems)).then_some(Notice::Reload)
            }
            Err(ps) => {
                // Pages held first belong to a site that did not build: the last good one stays.
                shared.memory.release(batch);
                print_problems(&ps);
                let n = Notice::Problems(reload::overlay(&ps));
                *problems = ps;
                Some(n)
            }
        };
        settled_at = std::time::Instant::now();
        // The pages a superseded rebuild held first: this rebuild's files replaced the ones it
        // has again (they are among its files to write); the rest are no page of the site now,
        // or of no site that built.
        for b in superseded.drain(..) {
            shared.memory.release(b);
        }
        shared.memory.settle();
        drop(problems);
        if let Some(n) = notice {
            let _ = shared.notices.send(n);
        }
        // Then to disk, on the writing thread. Requests are answered from memory until the files
        // are written.
        if let Some((delta, o)) = to_write {
            writer.write(batch, delta, o);
        }
        // The pages have reloaded: what was left for after.
        inc.finish();
        // A watched folder appeared or vanished, or site.toml moved one: watch again, and look
        // again at what the old watcher could not see.
        let now = Roots::of(inc.site(), inc.output());
        if now != roots || now.existing() != existing {
            drop(guard);
            match watch::start(&now, poll, tx.clone()) {
                Ok(g) => guard = g,
                Err(e) => {
                    eprintln!("error: {e:#}");
                    return;
                }
            }
            roots = now;
            existing = roots.existing();
            tx.send(Report::Changes(Changes::all()));
        }
    }
}
