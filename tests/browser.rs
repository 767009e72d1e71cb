//! End-to-end tests in a real browser: the seeds, an invented five-outlet fixture and an invented
//! 50-outlet one are built
//! into a temporary folder, served on 127.0.0.1 and checked in headless Debian Chromium by
//! `tests/browser/run.mjs` (playwright-core, axe-core, vnu-jar on Java): index → disputed claim →
//! sentence in its article → search → result; no console errors or failed requests; no serious
//! or critical axe violation; 0 vnu errors on every page. Then `briefing serve` on a small site:
//! the open article page reloads by itself into an edit, a link followed after the reload shows
//! the edited claims list, and a broken front matter shows the overlay until the next good save.
//!
//! Without chromium, node, java or `node_modules` (run `npm ci`) the test prints a loud SKIP and
//! passes, unless the environment variable `CI` is set: then it fails.
//! `BRIEFING_SHOTS=DIR` saves screenshots (1280 and 390 px wide) into DIR; `BRIEFING_SITES=DIR`
//! builds the sites into DIR (kept) instead of a temporary folder.

mod common;
#[path = "browser/fixture.rs"]
mod fixture;

use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> PathBuf {
    std::env::var_os("BRIEFING_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

fn runs(cmd: &str, arg: &str) -> bool {
    Command::new(cmd)
        .arg(arg)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// What is missing to run the browser tests, if anything.
fn missing(root: &Path) -> Vec<String> {
    let mut m = Vec::new();
    if !chromium().is_file() {
        m.push(format!(
            "chromium at {} (apt-get install chromium)",
            chromium().display()
        ));
    }
    if !runs("node", "--version") {
        m.push("node".into());
    }
    if !runs("java", "-version") {
        m.push("java (for vnu-jar)".into());
    }
    for pkg in ["playwright-core", "axe-core", "vnu-jar"] {
        if !root.join("node_modules").join(pkg).is_dir() {
            m.push(format!("node_modules/{pkg} (npm ci)"));
        }
    }
    m
}

#[test]
fn pages_work_in_a_real_browser() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let missing = missing(root);
    if !missing.is_empty() {
        let msg = format!(
            "\n\n==================== SKIP: browser tests ====================\n\
             missing: {}\n\
             =============================================================\n",
            missing.join(", ")
        );
        if std::env::var_os("CI").is_some() {
            panic!("{msg}CI is set, so the browser tests may not be skipped");
        }
        // Straight to the file descriptor: libtest captures eprintln!, so this shows in every run.
        use std::io::Write;
        let _ = std::io::stderr().write_all(msg.as_bytes());
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    // BRIEFING_SITES=DIR keeps the built sites there, to look at afterwards.
    let tmp_path = std::env::var_os("BRIEFING_SITES")
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.path().to_path_buf());
    let tmp = &tmp_path;
    let seeds = tmp.join("seeds");
    let invented = tmp.join("fixture");
    fixture::build_seeds(&seeds);
    fixture::build(&invented, "");
    let wide = tmp.join("wide");
    fixture::build_wide(&wide, 50);
    // A small site for `briefing serve`: two outlets on one event.
    let live = tmp.join("live");
    common::small_site(&live);
    let mut cmd = Command::new("node");
    cmd.arg(root.join("tests/browser/run.mjs"))
        .arg("--serve")
        .arg(env!("CARGO_BIN_EXE_briefing"))
        .arg(&live)
        .arg("--site")
        .arg(&seeds)
        .arg("--site")
        .arg(&invented)
        .arg("--site")
        .arg(&wide)
        .current_dir(root);
    if let Some(dir) = std::env::var_os("BRIEFING_SHOTS") {
        cmd.arg("--shots").arg(dir);
    }
    let out = cmd.output().expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    eprintln!("{stderr}");
    assert!(
        out.status.success(),
        "browser checks failed:\n{}",
        stdout
            .lines()
            .filter(|l| l.starts_with("FAIL"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The run must have done its checks, not merely exited 0.
    for step in [
        "claim page",
        "-> sentence",
        "search",
        "vnu: 0 errors",
        "sources page",
        "reloaded by itself with the edit",
        "rendered the open page first",
        "shows the edited claims list",
        "clears the overlay",
    ] {
        assert!(stdout.contains(step), "no {step:?} check in:\n{stdout}");
    }
}
