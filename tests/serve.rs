//! `briefing serve` end to end: the built binary on a free port against a small temporary site.
//!
//! HTTP is spoken over a raw socket on purpose: HTTP client crates normalise `/../` away before
//! sending, and the point is to send it.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(20);

use common::small_article as article;

/// The small site in a temporary folder, with a file beside it that must never be served.
fn site() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    common::small_site(tmp.path());
    std::fs::write(
        tmp.path().join("Cargo.toml"),
        "[package]\nname = \"secret-sentinel\"\n",
    )
    .unwrap();
    tmp
}

/// The running server; killed when dropped.
struct Server {
    child: Child,
    addr: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(root: &Path) -> Server {
        Server::start_with(root, &[])
    }

    fn start_with(root: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_briefing"))
            .arg("serve")
            .arg("--config")
            .arg(root.join("site.toml"))
            .args(["--port", "0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start briefing serve");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = mpsc::channel();
        for pipe in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let log = log.clone();
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    if let Some(url) = line.split("at http://").nth(1) {
                        let _ = tx.send(url.split('/').next().unwrap_or("").to_string());
                    }
                    log.lock().unwrap().push(line);
                }
            });
        }
        let addr = rx.recv_timeout(WAIT).unwrap_or_else(|_| {
            panic!("serve did not start: {:?}", log.lock().unwrap());
        });
        Server { child, addr, log }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    /// The terminal output once it holds `needle` (it is read on another thread, so it can
    /// lag behind the event stream); the output so far when `WAIT` runs out.
    fn log_with(&self, needle: &str) -> String {
        let start = std::time::Instant::now();
        loop {
            let log = self.log();
            if log.contains(needle) || start.elapsed() > WAIT {
                return log;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// One request over a fresh connection: (status, head, body).
    fn request(&self, method: &str, path: &str) -> (u16, String, String) {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(WAIT)).unwrap();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let raw = String::from_utf8_lossy(&raw).to_string();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (status, head.to_string(), body.to_string())
    }

    fn get(&self, path: &str) -> (u16, String) {
        let (status, _, body) = self.request("GET", path);
        (status, body)
    }

    /// Listen to the reload event stream; returns once the server says it is ready.
    fn events(&self) -> Receiver<(String, String)> {
        self.events_showing("")
    }

    /// Listen as the live-reload script of an open page does: `query` is `?page=` and the
    /// page's path, percent-encoded ("" for a stream that names no page).
    fn events_showing(&self, query: &str) -> Receiver<(String, String)> {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        write!(
            s,
            "GET /__briefing/events{query} HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            self.addr
        )
        .unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut event = String::new();
            let mut data = String::new();
            for line in BufReader::new(s).lines().map_while(Result::ok) {
                if let Some(e) = line.strip_prefix("event:") {
                    event = e.trim().to_string();
                } else if let Some(d) = line.strip_prefix("data:") {
                    data.push_str(d.trim_start());
                    data.push('\n');
                } else if line.is_empty()
                    && !event.is_empty()
                    && tx
                        .send((std::mem::take(&mut event), std::mem::take(&mut data)))
                        .is_err()
                {
                    return;
                }
            }
        });
        let (first, _) = rx.recv_timeout(WAIT).expect("event stream opens");
        assert_eq!(first, "ready");
        rx
    }
}

/// The next event named `name` (others are skipped), within the bounded wait.
fn next_event(rx: &Receiver<(String, String)>, name: &str, server: &Server) -> String {
    let deadline = Instant::now() + WAIT;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok((e, data)) if e == name => return data,
            Ok(_) => continue,
            Err(_) => break,
        }
    }
    panic!("no {name:?} event; server said:\n{}", server.log());
}

fn page(root: &Path) -> PathBuf {
    root.join("public/articles/a/index.html")
}

#[test]
fn an_edit_is_rebuilt_and_open_pages_are_told_to_reload() {
    let tmp = site();
    let server = Server::start(tmp.path());
    let (status, body) = server.get("/articles/a/");
    assert_eq!(status, 200);
    assert!(body.contains("three weeks"), "{body}");
    assert!(
        body.contains("/__briefing/events"),
        "reload script is injected"
    );
    let on_disk = std::fs::read_to_string(page(tmp.path())).unwrap();
    assert!(
        !on_disk.contains("__briefing"),
        "the built folder never gets the reload script"
    );

    let events = server.events();
    std::fs::write(
        tmp.path().join("content/a.txt"),
        article("Officials said repairs would take five weeks."),
    )
    .unwrap();
    next_event(&events, "reload", &server);
    // The reload is only sent once the new files are in place.
    let (status, body) = server.get("/articles/a/index.html");
    assert_eq!(status, 200);
    assert!(body.contains("five weeks"), "{body}");
    assert!(!body.contains("three weeks"));
    let log = server.log_with("rebuilt in");
    assert!(log.contains("rebuilt in"), "{log}");
    // Pages are answered from memory at once; the files reach the output folder right after.
    let log = server.log_with("write after reload");
    assert!(log.contains("write after reload"), "{log}");
    let on_disk = std::fs::read_to_string(page(tmp.path())).unwrap();
    assert!(on_disk.contains("five weeks"), "{on_disk}");
    assert!(!on_disk.contains("__briefing"));

    // A new article is served under its new folder as soon as the pages are told to reload.
    std::fs::write(
        tmp.path().join("content/c.txt"),
        article("Divers found the harbour wall cracked in two places."),
    )
    .unwrap();
    next_event(&events, "reload", &server);
    let (status, head, _) = server.request("GET", "/articles/c");
    assert_eq!(status, 301, "{head}");
    let (status, body) = server.get("/articles/c/");
    assert_eq!(status, 200);
    assert!(body.contains("cracked in two places"), "{body}");
}

#[test]
fn the_open_page_reloads_first_and_the_rest_of_the_site_follows() {
    let tmp = site();
    let server = Server::start(tmp.path());
    let (_, list) = server.get("/claims/");
    assert!(list.contains("three weeks"), "{list}");
    // As the script in /articles/a/ opens it.
    let events = server.events_showing("?page=%2Farticles%2Fa%2F");
    std::fs::write(
        tmp.path().join("content/a.txt"),
        article("Officials said repairs would take five weeks."),
    )
    .unwrap();
    next_event(&events, "reload", &server);
    let (status, body) = server.get("/articles/a/");
    assert_eq!(status, 200);
    assert!(
        body.contains("five weeks") && !body.contains("three weeks"),
        "{body}"
    );
    // Pages that were not open are never stale after the reload: a request for one waits
    // until the rest of the rebuild is in place.
    for path in ["/claims/", "/claims.json", "/"] {
        let (status, body) = server.get(path);
        assert_eq!(status, 200, "{path}");
        assert!(
            body.contains("five weeks") && !body.contains("three weeks"),
            "{path}: {body}"
        );
    }
    let log = server.log_with("open page first");
    assert!(log.contains("(1 open page first)"), "{log}");

    // A second page open on the briefing (a list page, made from every claim's summary and the
    // last render's fragments): both come first, and the briefing shows the edit.
    let briefing = server.events_showing("?page=%2F");
    std::fs::write(
        tmp.path().join("content/a.txt"),
        article("Officials said repairs would take six weeks."),
    )
    .unwrap();
    next_event(&briefing, "reload", &server);
    let (_, home) = server.get("/");
    assert!(
        home.contains("six weeks") && !home.contains("five weeks"),
        "{home}"
    );
    let log = server.log_with("(2 open pages first)");
    assert!(log.contains("(2 open pages first)"), "{log}");
    // The rest of the site follows as before.
    let (_, list) = server.get("/claims/");
    assert!(
        list.contains("six weeks") && !list.contains("five weeks"),
        "{list}"
    );
    drop(events);
}

#[test]
fn a_save_by_rename_is_seen() {
    let tmp = site();
    let server = Server::start(tmp.path());
    let events = server.events();
    // What many editors do: write a temporary file, then rename it over the original.
    let tmp_file = tmp.path().join("content/.a.txt.swp");
    std::fs::write(
        &tmp_file,
        article("Officials said repairs would take a year."),
    )
    .unwrap();
    std::fs::rename(&tmp_file, tmp.path().join("content/a.txt")).unwrap();
    next_event(&events, "reload", &server);
    let (_, body) = server.get("/articles/a/");
    assert!(body.contains("take a year"), "{body}");
}

#[test]
fn polling_mode_sees_edits_too() {
    let tmp = site();
    let server = Server::start_with(tmp.path(), &["--poll"]);
    let events = server.events();
    std::fs::write(
        tmp.path().join("content/a.txt"),
        article("Officials said repairs would take two days."),
    )
    .unwrap();
    next_event(&events, "reload", &server);
    let (_, body) = server.get("/articles/a/");
    assert!(body.contains("two days"), "{body}");
}

#[test]
fn broken_front_matter_shows_an_overlay_and_keeps_the_last_good_site() {
    let tmp = site();
    let server = Server::start(tmp.path());
    let events = server.events();
    std::fs::write(
        tmp.path().join("content/a.txt"),
        "+++\ntitle = \"Harbour\"\ndat = \"2024-03-01\"\n+++\nThe repairs would take a month.\n",
    )
    .unwrap();
    let overlay = next_event(&events, "problems", &server);
    assert!(overlay.contains("content/a.txt, line 3"), "{overlay}");
    assert!(overlay.contains("dat"), "{overlay}");

    let (status, body) = server.get("/articles/a/");
    assert_eq!(status, 200, "the last good page is still served");
    assert!(body.contains("three weeks"), "{body}");
    assert!(
        body.contains("id=\"briefing-overlay\""),
        "the page carries the overlay"
    );
    assert!(body.contains("content/a.txt, line 3"));
    let log = server.log_with("content/a.txt:3:");
    assert!(log.contains("content/a.txt:3:"), "{log}");

    std::fs::write(
        tmp.path().join("content/a.txt"),
        article("Officials said repairs would take a month."),
    )
    .unwrap();
    next_event(&events, "reload", &server);
    let (_, body) = server.get("/articles/a/");
    assert!(body.contains("take a month"), "{body}");
    assert!(
        !body.contains("id=\"briefing-overlay\""),
        "the next good save clears it: {}",
        server.log()
    );
}

#[test]
fn a_broken_template_shows_an_overlay_naming_the_template() {
    let tmp = site();
    let server = Server::start(tmp.path());
    let events = server.events();
    std::fs::create_dir_all(tmp.path().join("templates")).unwrap();
    std::fs::write(
        tmp.path().join("templates/404.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ oops </p>\n{% endblock content %}\n",
    )
    .unwrap();
    let overlay = next_event(&events, "problems", &server);
    assert!(overlay.contains("templates/404.html, line 3"), "{overlay}");
    let (status, _) = server.get("/index.html");
    assert_eq!(status, 200);
}

#[test]
fn only_files_inside_the_output_folder_are_served() {
    let tmp = site();
    let server = Server::start(tmp.path());
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E/%2e%2e/Cargo.toml",
        "/articles/..%2f..%2fCargo.toml",
        "/..\\Cargo.toml",
    ] {
        let (status, body) = server.get(path);
        assert!(status == 403 || status == 404, "{path}: status {status}");
        assert!(!body.contains("secret-sentinel"), "{path} leaked the file");
    }

    let (status, body) = server.get("/no/such/page.html");
    assert_eq!(status, 404);
    assert!(
        body.contains("Page not found"),
        "the site's own 404 page: {body}"
    );

    let (status, head, _) = server.request("GET", "/style.css");
    assert_eq!(status, 200);
    assert!(
        head.to_lowercase().contains("content-type: text/css"),
        "{head}"
    );

    let (status, head, _) = server.request("GET", "/articles/a");
    assert_eq!(status, 301);
    assert!(head.contains("location: /articles/a/"), "{head}");

    let (status, head, body) = server.request("HEAD", "/index.html");
    assert_eq!(status, 200);
    assert!(head.to_lowercase().contains("text/html"), "{head}");
    assert!(body.is_empty());

    let (status, _, _) = server.request("POST", "/index.html");
    assert_eq!(status, 405);
}
