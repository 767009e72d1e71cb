//! `briefing check`: analyse only, print metadata and removed lines, write nothing.

use std::fs;
use std::process::Command;

const ARTICLE: &str = "The Harbour Times\n\
News | Sport | Weather | Opinion\n\
Storm floods harbour town as river rises\n\
By Ann Lee | Staff writer\n\
Published July 8, 2024\n\
The storm brought heavy rain to the harbour town on Monday, and the river rose above its banks before dawn, officials said.\n\
Share on Facebook\n\
Rescue crews pulled dozens of people from their homes and cars as the river kept rising through the morning.\n\
\u{a9} 2024 Harbour Times Media. All rights reserved.\n";

fn site(dir: &std::path::Path, article: &str) {
    fs::create_dir_all(dir.join("content")).unwrap();
    fs::write(dir.join("content/a.txt"), article).unwrap();
    fs::write(
        dir.join("site.toml"),
        "title = \"Test\"\ncontent_dir = \"content\"\n",
    )
    .unwrap();
}

#[test]
fn check_prints_metadata_and_removed_lines_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    site(tmp.path(), ARTICLE);
    let out = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(["check", "--config"])
        .arg(tmp.path().join("site.toml"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("content/a.txt"));
    assert!(stdout.contains("title    Storm floods harbour town as river rises"));
    assert!(stdout.contains("author   Ann Lee"));
    assert!(stdout.contains("date     2024-07-08"));
    assert!(stdout.contains("source   Harbour Times Media"));
    assert!(stdout.contains("Share on Facebook"), "removed lines listed");
    assert!(stdout.contains("claims: "));
    assert!(
        !tmp.path().join("public").exists(),
        "check wrote an output folder"
    );
}

#[test]
fn check_exits_1_on_bad_input_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    site(tmp.path(), ARTICLE);
    fs::write(tmp.path().join("content/b.txt"), b"ok\n\xff bad\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(["check", "--config"])
        .arg(tmp.path().join("site.toml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("b.txt"));
}

#[test]
fn front_matter_title_and_keep_are_honoured() {
    let tmp = tempfile::tempdir().unwrap();
    let article = format!(
        "+++\ntitle = \"Storm floods harbour town as river rises\"\nkeep = [\"Share on Facebook\"]\n+++\n{ARTICLE}"
    );
    site(tmp.path(), &article);
    let site = briefing::config::Site::load(&tmp.path().join("site.toml")).unwrap();
    let a = &briefing::analyse(&site).unwrap().articles[0];
    let text: Vec<&str> = a.sentences.iter().map(|s| s.text.as_str()).collect();
    assert!(
        text.contains(&"Share on Facebook"),
        "keep forces the line back"
    );
    assert!(!text.iter().any(|s| s.contains("Storm floods harbour town")));
    assert_eq!(
        a.meta.title.as_deref(),
        Some("Storm floods harbour town as river rises")
    );
}
