//! Writing each rebuild's files to disk after its reload, on a thread of its own, so the next
//! rebuild does not wait for the disk: a writer who saves again right after looking gets the
//! next reload sooner. Batches are written in the order they were rebuilt; until a batch is on
//! disk, [`super::http::Memory`] serves its files.

use super::incremental::Outcome;
use crate::output::Delta;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::thread::JoinHandle;

/// One rebuild's files, to be written.
struct Job {
    batch: u64,
    delta: Delta,
    outcome: Outcome,
}

/// The writing thread, as the rebuild thread holds it.
pub struct Writer {
    jobs: Option<mpsc::Sender<Job>>,
    thread: Option<JoinHandle<()>>,
    /// Batches handed over and not yet written (or failed).
    pending: Arc<(Mutex<usize>, Condvar)>,
    /// A write failed since the rebuild thread last asked.
    failed: Arc<AtomicBool>,
}

impl Writer {
    /// Start the thread writing into `output`; `written` is called with each batch once it is on
    /// disk (`serve` has the served memory forget it).
    pub fn start(output: PathBuf, written: impl Fn(u64) + Send + 'static) -> Writer {
        let (tx, rx) = mpsc::channel::<Job>();
        let pending = Arc::new((Mutex::new(0usize), Condvar::new()));
        let failed = Arc::new(AtomicBool::new(false));
        let thread = {
            let (pending, failed) = (pending.clone(), failed.clone());
            std::thread::spawn(move || {
                for mut job in rx {
                    let t = std::time::Instant::now();
                    match crate::output::apply(&output, &job.delta) {
                        Ok(stats) => {
                            written(job.batch);
                            job.outcome.removed = stats.removed;
                            job.outcome
                                .timings
                                .push(("write after reload", t.elapsed()));
                            println!("{}", job.outcome.summary());
                        }
                        Err(e) => {
                            println!("{}", job.outcome.summary());
                            eprintln!(
                                "error: {e:#}\n  still serving the new site from memory; the next rebuild writes all of it again"
                            );
                            failed.store(true, Ordering::SeqCst);
                        }
                    }
                    let (count, done) = &*pending;
                    *count.lock().unwrap_or_else(|e| e.into_inner()) -= 1;
                    done.notify_all();
                }
            })
        };
        Writer {
            jobs: Some(tx),
            thread: Some(thread),
            pending,
            failed,
        }
    }

    /// Write `delta` (the rebuild `batch`'s files) after the batches handed over before it.
    pub fn write(&self, batch: u64, delta: Delta, outcome: Outcome) {
        let (count, _) = &*self.pending;
        *count.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        let job = Job {
            batch,
            delta,
            outcome,
        };
        if self.jobs.as_ref().is_none_or(|j| j.send(job).is_err()) {
            // The thread is gone (it panicked): the batch stays served from memory, and the next
            // rebuild writes the whole site.
            *count.lock().unwrap_or_else(|e| e.into_inner()) -= 1;
            eprintln!(
                "error: the writing thread stopped; batch {batch} is still served from memory"
            );
            self.failed.store(true, Ordering::SeqCst);
        }
    }

    /// Wait until every batch handed over is written (or failed).
    pub fn wait(&self) {
        let (count, done) = &*self.pending;
        let mut n = count.lock().unwrap_or_else(|e| e.into_inner());
        while *n > 0 {
            n = done.wait(n).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Whether a write failed since the last call: the caller then waits for the rest and has
    /// the next rebuild write the whole site (nothing else is writing meanwhile).
    pub fn failed(&self) -> bool {
        self.failed.swap(false, Ordering::SeqCst)
    }
}

impl Drop for Writer {
    /// Finish the batches handed over (a stop does not leave the last edit unwritten).
    fn drop(&mut self) {
        drop(self.jobs.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn delta(files: &[(&str, &str)], removed: &[&str]) -> Delta {
        Delta::of(files, removed)
    }

    #[test]
    fn batches_are_written_in_order_and_then_forgotten() {
        let out = tempfile::tempdir().unwrap();
        let released = Arc::new(Mutex::new(Vec::new()));
        let writer = {
            let released = released.clone();
            Writer::start(out.path().to_path_buf(), move |b| {
                released.lock().unwrap().push(b)
            })
        };
        writer.write(
            1,
            delta(&[("index.html", "one"), ("old/index.html", "old")], &[]),
            Outcome::default(),
        );
        writer.write(
            2,
            delta(&[("index.html", "two")], &["old/index.html"]),
            Outcome::default(),
        );
        writer.wait();
        // The later batch wins on disk, its deletion included, and both were released in order.
        let read = |p: &str| std::fs::read_to_string(out.path().join(p)).ok();
        assert_eq!(read("index.html").as_deref(), Some("two"));
        assert_eq!(read("old/index.html"), None);
        assert_eq!(*released.lock().unwrap(), vec![1, 2]);
        assert!(!writer.failed());
    }

    #[test]
    fn a_failed_write_is_reported_once_and_its_batch_stays_held() {
        let dir = tempfile::tempdir().unwrap();
        // The output "folder" is a file: nothing can be written under it.
        let out = dir.path().join("site");
        std::fs::write(&out, "not a folder").unwrap();
        let released = Arc::new(Mutex::new(Vec::new()));
        let writer = {
            let released = released.clone();
            Writer::start(out, move |b| released.lock().unwrap().push(b))
        };
        writer.write(7, delta(&[("index.html", "x")], &[]), Outcome::default());
        writer.wait();
        assert!(writer.failed());
        assert!(!writer.failed(), "reported once");
        assert!(
            released.lock().unwrap().is_empty(),
            "a batch not on disk stays served"
        );
        drop(writer);
    }
}
