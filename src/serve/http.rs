//! The HTTP side of `serve`: files from the output folder (GET and HEAD only), `index.html` for
//! folders, the site's 404 page, the live-reload script injected into HTML, and the event
//! stream open pages listen to.

use super::problem::Problem;
use super::reload::{self, EVENTS_PATH};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::{broadcast, watch};

/// What open pages are told.
#[derive(Debug, Clone)]
pub enum Notice {
    /// A rebuild finished and its files are in place.
    Reload,
    /// A rebuild failed: the overlay HTML to show.
    Problems(String),
}

/// State shared between the rebuild thread and the request handlers.
pub struct Shared {
    /// The output folder, canonical.
    pub root: PathBuf,
    /// What the last rebuild got wrong (empty: it succeeded).
    pub problems: RwLock<Vec<Problem>>,
    pub notices: broadcast::Sender<Notice>,
    /// Becomes true on Ctrl-C: event streams end so the server can stop.
    pub shutdown: watch::Receiver<bool>,
    /// Files of the newest rebuild not yet written to disk (see [`Memory`]).
    pub memory: Memory,
    /// The pages open in a browser (each event stream names its page).
    pub viewers: Viewers,
}

/// How many open pages show each file of the site (by its path in the site, as
/// `articles/x/index.html`): the pages a rebuild renders first.
#[derive(Debug, Default)]
pub struct Viewers(Mutex<HashMap<String, usize>>);

impl Viewers {
    /// The files at least one open page shows.
    pub fn files(&self) -> BTreeSet<String> {
        let m = self.0.lock().unwrap_or_else(|e| e.into_inner());
        m.keys().cloned().collect()
    }

    fn enter(&self, file: &str) {
        let mut m = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *m.entry(file.to_string()).or_default() += 1;
    }

    fn leave(&self, file: &str) {
        let mut m = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = m.get_mut(file) {
            *n -= 1;
            if *n == 0 {
                m.remove(file);
            }
        }
    }
}

/// One open page, counted in [`Viewers`] while its event stream lasts.
struct Viewing {
    shared: Arc<Shared>,
    file: Option<String>,
}

impl Drop for Viewing {
    fn drop(&mut self) {
        if let Some(f) = &self.file {
            self.shared.viewers.leave(f);
        }
    }
}

/// The file of the site an event stream's `page=` names (a page's `location.pathname`, as
/// `/articles/x/`), as a path in the site (`articles/x/index.html`).
fn viewed_file(query: &str) -> Option<String> {
    let raw = query.split('&').find_map(|kv| kv.strip_prefix("page="))?;
    let pathname = percent_decode_str(raw).decode_utf8().ok()?;
    let segs = segments(&pathname).ok()?;
    let rel = segs.join("/");
    Some(if rel.is_empty() || pathname.ends_with('/') {
        index_of(&rel)
    } else {
        rel
    })
}

/// The `index.html` of folder `rel` (a path in the site; "" for the root).
fn index_of(rel: &str) -> String {
    if rel.is_empty() {
        "index.html".to_string()
    } else {
        format!("{rel}/index.html")
    }
}

/// The files of a rebuild that are not on disk yet, by their path in the site: the pages are
/// told to reload as soon as a rebuild has rendered (its files are in place here), and the rebuild
/// thread writes them to disk afterwards, then forgets them. A request looks here first, so it
/// always sees the newest site, never a half-written one.
///
/// A rebuild may also hand over the pages open in a browser first (see
/// [`Memory::hold_first`]): until it [settles](Memory::settle), a request for any other file
/// the rebuild may still change waits for it, so a reader who follows a link right after the
/// reload gets the new site, not a stale page.
#[derive(Debug, Default)]
pub struct Memory {
    files: RwLock<HashMap<String, Held>>,
    /// While set: the rest of the newest rebuild is still being rendered, and only these paths
    /// (the pages made first, the static files) are known to be final.
    ready: Mutex<Option<HashSet<String>>>,
    settled: Condvar,
}

/// How long a request waits for a rebuild to settle before it is answered anyway.
const SETTLE_WAIT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone)]
struct Held {
    /// The write that holds it.
    batch: u64,
    /// None: the file is gone from the site (its deletion is pending).
    bytes: Option<Arc<Vec<u8>>>,
}

/// What [`Memory`] says of a request path.
#[derive(Debug, PartialEq, Eq)]
enum Found {
    File(String, Arc<Vec<u8>>),
    Gone,
    Redirect(String),
}

impl Memory {
    /// Hold `delta`'s files (and deletions) as the newest version of the site, under `batch`.
    pub fn hold(&self, batch: u64, delta: &crate::output::Delta) {
        let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
        for (path, bytes) in &delta.files {
            let bytes = Some(bytes.clone());
            files.insert(path.clone(), Held { batch, bytes });
        }
        for path in &delta.removed {
            files.insert(path.clone(), Held { batch, bytes: None });
        }
    }

    /// Hold the pages rendered first by the rebuild numbered `batch`, before the rest of it:
    /// until [`Memory::settle`], requests for other paths than these and `ready` wait.
    pub fn hold_first(
        &self,
        batch: u64,
        pages: Vec<crate::render::OutputFile>,
        ready: HashSet<String>,
    ) {
        let mut ready = ready;
        {
            let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
            for f in pages {
                ready.insert(f.path.clone());
                let bytes = Some(Arc::new(f.bytes));
                files.insert(f.path, Held { batch, bytes });
            }
        }
        *self.ready.lock().unwrap_or_else(|e| e.into_inner()) = Some(ready);
    }

    /// The rebuild is complete (its other files are held, or it failed): let waiting requests
    /// through.
    pub fn settle(&self) {
        *self.ready.lock().unwrap_or_else(|e| e.into_inner()) = None;
        self.settled.notify_all();
    }

    /// Wait while a rebuild is unsettled and none of `candidates` is known to be final.
    fn wait_until_final(&self, candidates: &[&str]) {
        let deadline = Instant::now() + SETTLE_WAIT;
        let mut ready = self.ready.lock().unwrap_or_else(|e| e.into_inner());
        while let Some(r) = &*ready {
            if candidates.iter().any(|c| r.contains(*c)) {
                return;
            }
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                return;
            };
            ready = self
                .settled
                .wait_timeout(ready, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// `batch` is on disk: forget what it holds (not what a later batch replaced).
    pub fn release(&self, batch: u64) {
        let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
        files.retain(|_, h| h.batch != batch);
    }

    /// The whole site is on disk (written through the staging folder): forget everything.
    pub fn clear(&self) {
        self.files
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    fn get(&self, path: &str) -> Option<Option<Arc<Vec<u8>>>> {
        let files = self.files.read().unwrap_or_else(|e| e.into_inner());
        files.get(path).map(|h| h.bytes.clone())
    }

    /// Look up a request path already split into safe segments; `slash`: it ended with `/`.
    fn find(&self, segments: &[&str], slash: bool, raw: &str) -> Option<Found> {
        let rel = segments.join("/");
        let index = index_of(&rel);
        self.wait_until_final(&[&rel, &index]);
        if slash || rel.is_empty() {
            return self.get(&index).map(|b| match b {
                Some(b) => Found::File(index, b),
                None => Found::Gone,
            });
        }
        match self.get(&rel) {
            Some(Some(b)) => Some(Found::File(rel, b)),
            // A folder's page held here: the folder is new (or changed) and needs the slash.
            Some(None) | None if matches!(self.get(&index), Some(Some(_))) => {
                Some(Found::Redirect(format!("{raw}/")))
            }
            Some(None) => Some(Found::Gone),
            None => None,
        }
    }
}

impl Shared {
    fn overlay(&self) -> Option<String> {
        let problems = self.problems.read().unwrap_or_else(|e| e.into_inner());
        (!problems.is_empty()).then(|| reload::overlay(&problems))
    }
}

/// Where a request path leads inside the output folder.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    File(PathBuf),
    /// A folder asked for without its trailing slash: relative links need it.
    Redirect(String),
    Forbidden,
    NotFound,
}

/// A request path (still percent-encoded) as path segments inside the output folder. Refuses
/// `..` (plain or encoded), backslashes, NUL and absolute segments.
fn segments(raw: &str) -> Result<Vec<String>, Resolved> {
    let Ok(decoded) = percent_decode_str(raw).decode_utf8() else {
        return Err(Resolved::NotFound);
    };
    if decoded.contains(['\0', '\\']) {
        return Err(Resolved::Forbidden);
    }
    let mut out = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return Err(Resolved::Forbidden),
            s => {
                let p = Path::new(s);
                if p.is_absolute() || p.components().count() != 1 {
                    return Err(Resolved::Forbidden);
                }
                out.push(s.to_string());
            }
        }
    }
    Ok(out)
}

/// Map a request path (still percent-encoded) to a file under `root` (canonical). Refuses `..`
/// (plain or encoded), backslashes, NUL, and anything that resolves outside `root` (symlinks).
pub fn resolve(root: &Path, raw: &str) -> Resolved {
    match segments(raw) {
        Ok(segs) => resolve_segments(root, &segs, raw),
        Err(r) => r,
    }
}

/// [`resolve`] for a path already split by [`segments`].
fn resolve_segments(root: &Path, segs: &[String], raw: &str) -> Resolved {
    let mut path = root.to_path_buf();
    for s in segs {
        path.push(s);
    }
    let Ok(canon) = path.canonicalize() else {
        return Resolved::NotFound;
    };
    if !canon.starts_with(root) {
        return Resolved::Forbidden;
    }
    if canon.is_dir() {
        if !raw.ends_with('/') {
            return Resolved::Redirect(format!("{raw}/"));
        }
        return match canon.join("index.html").canonicalize() {
            Ok(index) if !index.starts_with(root) => Resolved::Forbidden,
            Ok(index) if index.is_file() => Resolved::File(index),
            _ => Resolved::NotFound,
        };
    }
    Resolved::File(canon)
}

pub fn router(shared: Arc<Shared>) -> axum::Router {
    axum::Router::new().fallback(handle).with_state(shared)
}

async fn handle(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "405 Method Not Allowed: this server only reads files\n",
        )
            .into_response();
    }
    if uri.path() == EVENTS_PATH {
        let file = uri.query().and_then(viewed_file);
        return events(&shared, file).into_response();
    }
    let s = shared.clone();
    let path = uri.path().to_string();
    let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
    let response = tokio::task::spawn_blocking(move || file_response(&s, &path, &query))
        .await
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response());
    if method == Method::HEAD {
        let (parts, _) = response.into_parts();
        return Response::from_parts(parts, Body::empty());
    }
    response
}

fn file_response(shared: &Shared, path: &str, query: &str) -> Response {
    let redirect = |to: String| {
        (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, format!("{to}{query}"))],
        )
            .into_response()
    };
    // The path is checked once; the newest rebuild's files first (they may not be on disk
    // yet), then the disk.
    let resolved = match segments(path) {
        Err(r) => r,
        Ok(segs) => {
            let names: Vec<&str> = segs.iter().map(String::as_str).collect();
            match shared.memory.find(&names, path.ends_with('/'), path) {
                Some(Found::File(rel, bytes)) => {
                    return content(shared, StatusCode::OK, Path::new(&rel), bytes.to_vec())
                }
                Some(Found::Gone) => return not_found(shared),
                Some(Found::Redirect(to)) => return redirect(to),
                None => resolve_segments(&shared.root, &segs, path),
            }
        }
    };
    match resolved {
        Resolved::File(f) => match std::fs::read(&f) {
            Ok(bytes) => content(shared, StatusCode::OK, &f, bytes),
            Err(_) => not_found(shared),
        },
        Resolved::Redirect(to) => redirect(to),
        Resolved::Forbidden => (StatusCode::FORBIDDEN, "403 Forbidden\n").into_response(),
        Resolved::NotFound => not_found(shared),
    }
}

/// The site's own 404 page when it has one.
fn not_found(shared: &Shared) -> Response {
    let page = shared.root.join("404.html");
    let held = shared.memory.get("404.html");
    let bytes = match held {
        Some(Some(b)) => Some(b.to_vec()),
        Some(None) => None,
        None => std::fs::read(&page).ok(),
    };
    match bytes {
        Some(bytes) => content(shared, StatusCode::NOT_FOUND, &page, bytes),
        // No site yet (the first build failed): a bare page that still shows the overlay and
        // reloads when a build succeeds.
        None => content(
            shared,
            StatusCode::NOT_FOUND,
            &page,
            b"<!DOCTYPE html><title>Not found</title><body><p>404 Not Found</p></body>".to_vec(),
        ),
    }
}

fn content(shared: &Shared, status: StatusCode, file: &Path, bytes: Vec<u8>) -> Response {
    let mime = mime_guess::from_path(file).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let kind = if mime.type_() == mime_guess::mime::TEXT
        || mime.essence_str() == "application/json"
        || mime.essence_str() == "application/javascript"
    {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    let body = if is_html {
        reload::inject(&bytes, shared.overlay().as_deref())
    } else {
        bytes
    };
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&kind) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The event stream: `ready` at once, then `reload` / `problems` as rebuilds finish.
fn events(
    shared: &Arc<Shared>,
    file: Option<String>,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    if let Some(f) = &file {
        shared.viewers.enter(f);
    }
    let viewing = Viewing {
        shared: shared.clone(),
        file,
    };
    let rx = shared.notices.subscribe();
    let mut first = vec![Event::default().event("ready").data("ready")];
    if let Some(o) = shared.overlay() {
        first.push(Event::default().event("problems").data(o));
    }
    let state = (rx, shared.shutdown.clone(), first, viewing);
    let stream =
        futures_util::stream::unfold(state, |(mut rx, mut stop, mut first, viewing)| async move {
            if !first.is_empty() {
                let e = first.remove(0);
                return Some((Ok(e), (rx, stop, first, viewing)));
            }
            if *stop.borrow() {
                return None;
            }
            let next = {
                let recv = std::pin::pin!(rx.recv());
                let stopped = std::pin::pin!(stop.changed());
                match futures_util::future::select(recv, stopped).await {
                    futures_util::future::Either::Left((r, _)) => Some(r),
                    futures_util::future::Either::Right(_) => None,
                }
            };
            let event = match next {
                None => return None,
                Some(Ok(Notice::Reload)) => Event::default().event("reload").data("reload"),
                Some(Ok(Notice::Problems(html))) => Event::default().event("problems").data(html),
                Some(Err(broadcast::error::RecvError::Lagged(_))) => {
                    Event::default().event("reload").data("reload")
                }
                Some(Err(broadcast::error::RecvError::Closed)) => return None,
            };
            Some((Ok(event), (rx, stop, first, viewing)))
        });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Delta;

    fn delta(files: &[(&str, &str)], removed: &[&str]) -> Delta {
        Delta::of(files, removed)
    }

    fn found(m: &Memory, raw: &str) -> Option<Found> {
        let segs = segments(raw).unwrap();
        let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
        m.find(&segs, raw.ends_with('/'), raw)
    }

    fn file(path: &str, text: &str) -> Option<Found> {
        Some(Found::File(path.into(), Arc::new(text.as_bytes().to_vec())))
    }

    #[test]
    fn memory_serves_the_newest_rebuild_until_it_is_on_disk() {
        let m = Memory::default();
        m.hold(
            1,
            &delta(
                &[("index.html", "home 1"), ("articles/new/index.html", "new")],
                &["articles/old/index.html"],
            ),
        );
        assert_eq!(found(&m, "/"), file("index.html", "home 1"));
        assert_eq!(found(&m, "/index.html"), file("index.html", "home 1"));
        assert_eq!(
            found(&m, "/articles/new/"),
            file("articles/new/index.html", "new")
        );
        // A folder that exists only in memory still gets its slash.
        assert_eq!(
            found(&m, "/articles/new"),
            Some(Found::Redirect("/articles/new/".into()))
        );
        // Removed from the site, though still on disk until the write.
        assert_eq!(found(&m, "/articles/old/"), Some(Found::Gone));
        assert_eq!(found(&m, "/articles/old/index.html"), Some(Found::Gone));
        // Not held: the disk answers.
        assert_eq!(found(&m, "/style.css"), None);

        // A second rebuild before the first is written: its files win, and writing the first
        // batch forgets only what the second did not replace.
        m.hold(
            2,
            &delta(&[("index.html", "home 2")], &["articles/new/index.html"]),
        );
        m.release(1);
        assert_eq!(found(&m, "/"), file("index.html", "home 2"));
        assert_eq!(found(&m, "/articles/new/"), Some(Found::Gone));
        assert_eq!(found(&m, "/articles/old/"), None);
        m.release(2);
        assert!(m.files.read().unwrap().is_empty());
    }

    #[test]
    fn pages_held_first_are_served_at_once_and_other_files_wait_for_the_rest() {
        use std::sync::atomic::{AtomicBool, Ordering};
        let m = Arc::new(Memory::default());
        m.hold(1, &delta(&[("claims/index.html", "old list")], &[]));
        m.release(1);
        let page = crate::render::OutputFile {
            path: "articles/a/index.html".into(),
            bytes: b"a, edited".to_vec(),
        };
        m.hold_first(2, vec![page], HashSet::from(["style.css".to_string()]));
        // The open page and the static files answer at once.
        assert_eq!(
            found(&m, "/articles/a/"),
            file("articles/a/index.html", "a, edited")
        );
        assert_eq!(found(&m, "/style.css"), None);
        // The claims list waits until the rest of the rebuild is held, then gets its new bytes.
        let settled = Arc::new(AtomicBool::new(false));
        let waiter = {
            let (m, settled) = (m.clone(), settled.clone());
            std::thread::spawn(move || {
                let got = found(&m, "/claims/");
                (settled.load(Ordering::SeqCst), got)
            })
        };
        std::thread::sleep(Duration::from_millis(200));
        m.hold(2, &delta(&[("claims/index.html", "new list")], &[]));
        settled.store(true, Ordering::SeqCst);
        m.settle();
        let (after_settle, got) = waiter.join().unwrap();
        assert!(
            after_settle,
            "the request was answered before the rebuild settled"
        );
        assert_eq!(got, file("claims/index.html", "new list"));
        // Settled: nothing waits.
        assert_eq!(found(&m, "/feed.xml"), None);
    }

    #[test]
    fn an_event_stream_names_the_file_its_page_shows() {
        assert_eq!(
            viewed_file("page=%2Farticles%2Fa%2F").as_deref(),
            Some("articles/a/index.html")
        );
        assert_eq!(viewed_file("x=1&page=%2F").as_deref(), Some("index.html"));
        assert_eq!(
            viewed_file("page=%2Fclaims%2Findex.html").as_deref(),
            Some("claims/index.html")
        );
        // Percent-encoded twice (encodeURIComponent of a pathname the browser encoded).
        assert_eq!(
            viewed_file("page=%2Farticles%2Fcaf%25C3%25A9%2F").as_deref(),
            Some("articles/café/index.html")
        );
        assert_eq!(viewed_file("page=%2F..%2Fx"), None);
        assert_eq!(viewed_file("other=1"), None);
    }

    #[test]
    fn resolve_refuses_paths_that_leave_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("public");
        std::fs::create_dir_all(root.join("articles/a")).unwrap();
        std::fs::write(root.join("articles/a/index.html"), "a").unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "s").unwrap();
        let root = root.canonicalize().unwrap();
        assert_eq!(resolve(&root, "/../secret.txt"), Resolved::Forbidden);
        assert_eq!(resolve(&root, "/%2e%2e/secret.txt"), Resolved::Forbidden);
        assert_eq!(
            resolve(&root, "/articles/%2E%2E/%2e%2e/secret.txt"),
            Resolved::Forbidden
        );
        assert_eq!(resolve(&root, "/..%2fsecret.txt"), Resolved::Forbidden);
        assert_eq!(resolve(&root, "/a\\..\\secret.txt"), Resolved::Forbidden);
        assert_eq!(
            resolve(&root, "/articles/a"),
            Resolved::Redirect("/articles/a/".into())
        );
        assert_eq!(
            resolve(&root, "/articles/a/"),
            Resolved::File(root.join("articles/a/index.html"))
        );
        assert_eq!(resolve(&root, "/nope.html"), Resolved::NotFound);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(tmp.path().join("secret.txt"), root.join("link.txt"))
                .unwrap();
            assert_eq!(resolve(&root, "/link.txt"), Resolved::Forbidden);
        }
    }
}
