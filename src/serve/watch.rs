//! Watch the site's inputs (content, templates, static files, `site.toml`) and turn file system
//! events into [`Changes`].
//!
//! notify with the full debouncer: it coalesces the bursts editors make when saving (write to a
//! temp file, rename it over the original, delete a backup) and pairs renames, so a save by
//! rename is seen as a change of the target file. `--poll` swaps in notify's polling watcher for
//! file systems that drop events (network mounts, some containers).

use super::incremental::Changes;
use crate::config::Site;
use anyhow::{Context, Result};
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer_opt, DebounceEventResult, FileIdMap, NoCache};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::time::Duration;

/// How long the debouncer waits for a burst of events to settle.
pub const DEBOUNCE: Duration = Duration::from_millis(20);
/// How often `--poll` looks at the files.
pub const POLL_INTERVAL: Duration = Duration::from_millis(300);

/// The folders and file to watch, as absolute paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roots {
    pub config: PathBuf,
    pub root: PathBuf,
    pub content: PathBuf,
    pub templates: PathBuf,
    pub statics: PathBuf,
    /// Our own output: never an input, even when it sits inside a watched folder.
    pub output: PathBuf,
}

impl Roots {
    pub fn of(site: &Site, output: &Path) -> Roots {
        Roots {
            output: output.to_path_buf(),
            config: site.config_path.clone(),
            root: site.root.clone(),
            content: site.content_dir.clone(),
            templates: site.templates_dir.clone(),
            statics: site.static_dir.clone(),
        }
    }

    /// Which input a changed path belongs to (paths outside all of them are ignored).
    pub fn classify(&self, path: &Path, changes: &mut Changes) {
        if path.starts_with(&self.output) {
            // Our own writes.
        } else if path == self.config {
            changes.config = true;
        } else if path.starts_with(&self.content) {
            changes.content.insert(path.to_path_buf());
        } else if path.starts_with(&self.templates) {
            changes.templates = true;
        } else if path.starts_with(&self.statics) {
            changes.statics = true;
        }
    }

    /// Which watched folders exist: when this changes, the watcher must be restarted.
    pub fn existing(&self) -> [bool; 3] {
        [
            self.content.is_dir(),
            self.templates.is_dir(),
            self.statics.is_dir(),
        ]
    }
}

/// What the rebuild thread receives: changes, a watcher error to print, or the order to stop.
pub enum Report {
    Changes(Changes),
    Error(String),
    Stop,
}

/// The rebuild thread's inbox: the reports, and a flag raised just *before* changes are sent,
/// which a rebuild in progress reads to stop rendering a site that is already out of date (the
/// changes are then in the channel for the next rebuild). The order to stop raises nothing: a
/// rebuild under way when the server stops still ends and is written. Nor does a report of
/// articles whose bytes are the ones last reported (a watcher may report one save twice).
#[derive(Clone)]
pub struct Inbox {
    tx: Sender<Report>,
    newer: Arc<AtomicBool>,
    /// Each reported article's bytes (hashed; None: unreadable or gone) when last reported.
    reported: Arc<std::sync::Mutex<std::collections::HashMap<PathBuf, Option<u64>>>>,
}

impl Inbox {
    pub fn new(tx: Sender<Report>) -> Inbox {
        Inbox {
            tx,
            newer: Arc::new(AtomicBool::new(false)),
            reported: Default::default(),
        }
    }

    pub fn send(&self, report: Report) {
        if let Report::Changes(c) = &report {
            let mut new = c.rescan || c.templates || c.statics || c.config;
            let mut reported = self.reported.lock().unwrap_or_else(|e| e.into_inner());
            for p in &c.content {
                let bytes = std::fs::read(p)
                    .ok()
                    .map(|b| crate::output::content_hash(&b));
                new |= reported.insert(p.clone(), bytes) != Some(bytes);
            }
            drop(reported);
            if new {
                self.newer.store(true, Ordering::SeqCst);
            }
        }
        let _ = self.tx.send(report);
    }

    /// Lower the flag: call it before taking the reports it stands for from the channel.
    pub fn lower(&self) {
        self.newer.store(false, Ordering::SeqCst);
    }

    /// Whether changes were sent since [`Inbox::lower`].
    pub fn newer(&self) -> bool {
        self.newer.load(Ordering::Relaxed)
    }
}

/// Keeps the watcher alive; dropping it stops watching.
pub struct Guard {
    _inner: Box<dyn std::any::Any + Send>,
}

/// Start watching `roots`; every settled burst of events is sent to `tx`.
pub fn start(roots: &Roots, poll: bool, tx: Inbox) -> Result<Guard> {
    let r = roots.clone();
    let handler = move |result: DebounceEventResult| {
        let report = match result {
            Ok(events) => {
                let mut changes = Changes::default();
                for e in &events {
                    if std::env::var_os("BRIEFING_WATCH_DEBUG").is_some() {
                        eprintln!("watch: {:?} {:?}", e.kind, e.paths);
                    }
                    if e.need_rescan() {
                        changes.rescan = true;
                        changes.templates = true;
                        changes.statics = true;
                    }
                    if !changes_content(&e.kind) {
                        continue; // our own reads (open, close without write, atime)
                    }
                    for p in &e.paths {
                        r.classify(p, &mut changes);
                    }
                }
                if changes.is_empty() {
                    return;
                }
                Report::Changes(changes)
            }
            Err(errors) => Report::Error(
                errors
                    .iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        };
        tx.send(report);
    };
    if poll {
        // notify's poller compares mtimes in whole seconds: two saves within one second would
        // look alike, so it hashes contents too (it reads every watched file on each poll).
        let config = notify::Config::default()
            .with_poll_interval(POLL_INTERVAL)
            .with_compare_contents(true);
        let mut d =
            new_debouncer_opt::<_, PollWatcher, NoCache>(DEBOUNCE, None, handler, NoCache, config)
                .context("cannot start the polling watcher")?;
        watch_all(roots, |p, m| d.watch(p, m))?;
        Ok(Guard {
            _inner: Box::new(d),
        })
    } else {
        let mut d = new_debouncer_opt::<_, RecommendedWatcher, FileIdMap>(
            DEBOUNCE,
            None,
            handler,
            FileIdMap::new(),
            notify::Config::default(),
        )
        .context("cannot start the file watcher")?;
        watch_all(roots, |p, m| d.watch(p, m))?;
        Ok(Guard {
            _inner: Box::new(d),
        })
    }
}

/// Whether an event can mean new bytes, a new name or a removal.
fn changes_content(kind: &EventKind) -> bool {
    use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    }
}

fn watch_all(
    roots: &Roots,
    mut watch: impl FnMut(&Path, RecursiveMode) -> notify::Result<()>,
) -> Result<()> {
    // The site root itself, not recursively: sees site.toml replaced by rename, and the
    // content/templates/static folders being created or removed.
    watch(&roots.root, RecursiveMode::NonRecursive)
        .with_context(|| format!("cannot watch {}", roots.root.display()))?;
    for dir in [&roots.content, &roots.templates, &roots.statics] {
        if dir.is_dir() {
            watch(dir, RecursiveMode::Recursive)
                .with_context(|| format!("cannot watch {}", dir.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_new_bytes_or_other_changes_raise_the_inbox_flag() {
        let tmp = tempfile::tempdir().unwrap();
        let a = tmp.path().join("a.txt");
        std::fs::write(&a, "first").unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let inbox = Inbox::new(tx);
        let of = |paths: &[&Path]| {
            Report::Changes(Changes {
                content: paths.iter().map(|p| p.to_path_buf()).collect(),
                ..Changes::default()
            })
        };
        let raised = |report: Report| {
            inbox.lower();
            inbox.send(report);
            inbox.newer()
        };
        assert!(raised(of(&[&a])), "an article first reported");
        assert!(!raised(of(&[&a])), "the same bytes reported again");
        std::fs::write(&a, "second").unwrap();
        assert!(raised(of(&[&a])), "new bytes");
        std::fs::remove_file(&a).unwrap();
        assert!(raised(of(&[&a])), "the article is gone");
        assert!(!raised(of(&[&a])), "gone again");
        let templates = Changes {
            templates: true,
            ..Changes::default()
        };
        assert!(raised(Report::Changes(templates)), "a template edit");
        assert!(!raised(Report::Stop), "the order to stop");
        assert!(!raised(Report::Error("lost events".into())));
        // Every report reaches the rebuild thread, raised or not.
        assert_eq!(rx.try_iter().count(), 8);
    }
}
