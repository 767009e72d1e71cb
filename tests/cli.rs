//! The command line as a user meets it: exit codes, reports, and errors that name the file while
//! the previous site stays in place.

mod common;

use common::*;
use std::path::Path;

fn fixture(name: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("tests/fixtures").join(name), tmp.path());
    tmp
}

fn assert_builds(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let o = briefing(dir, &["build"]);
    assert!(o.status.success(), "build failed: {}", stderr(&o));
    let report = String::from_utf8_lossy(&o.stdout);
    for word in [
        "articles",
        "sentences",
        "claims",
        "corroborated",
        "written",
        "time",
    ] {
        assert!(
            report.contains(word),
            "the report mentions {word}: {report}"
        );
    }
    snapshot(&dir.join("public"))
}

/// A failed build exits 1, names `needle` on stderr, and leaves the previous output untouched.
fn assert_fails_keeping_output(dir: &Path, before: &[(String, Vec<u8>)], needle: &str) {
    let o = briefing(dir, &["build"]);
    assert_eq!(o.status.code(), Some(1), "a build error exits 1");
    let err = stderr(&o);
    assert!(err.contains(needle), "error names {needle:?}: {err}");
    assert_eq!(
        snapshot(&dir.join("public")),
        before,
        "the previous site is untouched"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no staging folder is left behind: {leftovers:?}"
    );
}

#[test]
fn help_and_version_exit_0_and_usage_errors_exit_2() {
    let here = repo();
    let o = briefing(&here, &["--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).contains("build"));
    let o = briefing(&here, &["--version"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).contains(env!("CARGO_PKG_VERSION")));
    assert_eq!(
        briefing(&here, &["build", "--no-such-flag"]).status.code(),
        Some(2)
    );
    assert_eq!(briefing(&here, &["frobnicate"]).status.code(), Some(2));
}

#[test]
fn a_typo_in_site_toml_names_the_file_key_and_line() {
    let tmp = fixture("bare-site");
    let before = assert_builds(tmp.path());
    std::fs::write(
        tmp.path().join("site.toml"),
        "title = \"Bare\"\ncontent_dir = \"content\"\ntitel = \"typo\"\n",
    )
    .unwrap();
    assert_fails_keeping_output(tmp.path(), &before, "site.toml");
    let err = stderr(&briefing(tmp.path(), &["build"]));
    assert!(err.contains("titel") && err.contains("line 3"), "{err}");
}

#[test]
fn broken_front_matter_names_the_file_and_line() {
    let tmp = fixture("bare-site");
    let before = assert_builds(tmp.path());
    std::fs::write(
        tmp.path().join("content/three.txt"),
        "+++\ntitle = \"Three\"\nauthor = Jane\n+++\nBody text here.\n",
    )
    .unwrap();
    assert_fails_keeping_output(tmp.path(), &before, "three.txt:3");
}

#[test]
fn an_unknown_front_matter_key_is_an_error() {
    let tmp = fixture("bare-site");
    let before = assert_builds(tmp.path());
    std::fs::write(
        tmp.path().join("content/three.txt"),
        "+++\ntitle = \"T\"\nsorce = \"X\"\n+++\nBody.\n",
    )
    .unwrap();
    assert_fails_keeping_output(tmp.path(), &before, "three.txt:3");
}

#[test]
fn invalid_utf8_names_the_file_and_line() {
    let tmp = fixture("bare-site");
    let before = assert_builds(tmp.path());
    std::fs::write(
        tmp.path().join("content/three.txt"),
        b"Line one.\nLine \xff two.\n",
    )
    .unwrap();
    assert_fails_keeping_output(tmp.path(), &before, "three.txt:2");
}

#[test]
fn a_broken_template_names_the_template() {
    let tmp = fixture("bare-site");
    let before = assert_builds(tmp.path());
    std::fs::create_dir_all(tmp.path().join("templates")).unwrap();
    std::fs::write(
        tmp.path().join("templates/index.html"),
        "{% block content %}\n{{ oops(\n",
    )
    .unwrap();
    assert_fails_keeping_output(tmp.path(), &before, "index.html");
}

#[test]
fn drafts_are_skipped_and_other_files_noted() {
    let tmp = fixture("bare-site");
    std::fs::write(
        tmp.path().join("content/draft.txt"),
        "+++\ndraft = true\n+++\nNot yet.\n",
    )
    .unwrap();
    std::fs::write(tmp.path().join("content/photo.jpg"), b"\xff\xd8").unwrap();
    let o = briefing(tmp.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("draft.txt") && err.contains("photo.jpg"),
        "{err}"
    );
    assert!(!tmp.path().join("public/articles/draft").exists());
}

#[test]
fn refuses_to_write_over_the_content_folder_or_the_project() {
    let tmp = fixture("bare-site");
    for bad in ["content", ".", "/"] {
        let o = briefing(tmp.path(), &["build", "--output", bad]);
        assert_eq!(o.status.code(), Some(1), "--output {bad} is refused");
        assert!(stderr(&o).contains("refusing"), "{}", stderr(&o));
    }
    assert!(
        tmp.path().join("content/one.txt").is_file(),
        "the content is intact"
    );
    assert!(tmp.path().join("site.toml").is_file());
}

#[test]
fn output_flag_and_config_flag_are_honoured_from_another_folder() {
    let tmp = fixture("bare-site");
    let elsewhere = tempfile::tempdir().unwrap();
    let cfg = tmp.path().join("site.toml");
    let out = elsewhere.path().join("site-out");
    let o = briefing(
        elsewhere.path(),
        &[
            "build",
            "--config",
            cfg.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("index.html").is_file());
    assert!(
        !tmp.path().join("public").exists(),
        "nothing written to the default output"
    );
}

#[test]
fn init_makes_a_site_that_builds_and_whose_templates_take_effect() {
    let tmp = tempfile::tempdir().unwrap();
    let o = briefing(tmp.path(), &["init", "newsite"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let site = tmp.path().join("newsite");
    for f in [
        "site.toml",
        "content/example.md",
        "templates/index.html",
        "templates/base.html",
        "static/style.css",
    ] {
        assert!(site.join(f).is_file(), "init writes {f}");
    }
    // The copied theme is the one in use: an edit to it shows in the built page.
    let base = site.join("templates/base.html");
    let text = std::fs::read_to_string(&base).unwrap();
    std::fs::write(
        &base,
        text.replace("built with briefing", "built by our desk"),
    )
    .unwrap();
    let snap = assert_builds(&site);
    let index = snap
        .iter()
        .find(|(p, _)| p == "index.html")
        .expect("an index page");
    let index = String::from_utf8_lossy(&index.1);
    assert!(index.contains("built by our desk"), "{index}");
    assert!(index.contains("My briefing"));
}

#[test]
fn init_never_writes_into_a_folder_that_has_files() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let o = briefing(tmp.path(), &["init", "."]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not empty"), "{}", stderr(&o));
    let names: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("notes.txt")]);
}
