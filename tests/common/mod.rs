//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run the `briefing` binary in `dir` with `args`.
pub fn briefing(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_briefing"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the briefing binary runs")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Copy a folder tree (fixtures are small).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Every file under `dir`, as (relative path, bytes), sorted.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    out.sort();
    out
}

/// The article `a.txt` of [`small_site`], its second paragraph being `sentence`.
pub fn small_article(sentence: &str) -> String {
    format!(
        "+++\ntitle = \"Harbour closes after storm\"\nsource = \"Test Wire\"\ndate = \"2024-03-01\"\n+++\n\
         The harbour in Eastport closed on Monday after a storm damaged the pier.\n\n{sentence}\n"
    )
}

/// A two-outlet site on one event in `root` (`site.toml`, `content/a.txt` saying repairs take
/// "three weeks", `content/b.txt`), for the `serve` tests.
pub fn small_site(root: &Path) {
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(
        root.join("site.toml"),
        "title = \"Test briefing\"\ncontent_dir = \"content\"\noutput_dir = \"public\"\n",
    )
    .unwrap();
    std::fs::write(
        root.join("content/a.txt"),
        small_article("Officials said repairs would take three weeks."),
    )
    .unwrap();
    std::fs::write(
        root.join("content/b.txt"),
        "+++\ntitle = \"Pier damaged\"\nsource = \"Other News\"\n+++\n\
         A storm damaged the pier in Eastport on Monday, closing the harbour.\n",
    )
    .unwrap();
}
