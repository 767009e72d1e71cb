//! Link checker over built sites: every internal `href`/`src` in every HTML page resolves to a
//! file of the output, and every `#anchor` to an element id in its target page. Run over the
//! seeds (served at a domain root) and over the invented fixture published under a sub-path.

#[path = "browser/fixture.rs"]
mod fixture;

use percent_encoding::percent_decode_str;
use scraper::{Html, Selector};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

/// Every id (and `<a name>`) of every HTML page, by path relative to the site root.
fn ids(root: &Path) -> BTreeMap<PathBuf, BTreeSet<String>> {
    let sel = Selector::parse("[id], a[name]").unwrap();
    let mut out = BTreeMap::new();
    for f in html_files(root) {
        let doc = Html::parse_document(&std::fs::read_to_string(root.join(&f)).unwrap());
        let set = doc
            .select(&sel)
            .filter_map(|e| e.value().attr("id").or_else(|| e.value().attr("name")))
            .map(str::to_string)
            .collect();
        out.insert(f, set);
    }
    out
}

fn html_files(root: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "html") {
                v.push(p.strip_prefix(root).unwrap().to_path_buf());
            }
        }
    }
    v.sort();
    v
}

/// Join and normalise; `None` when the path climbs out of the site.
fn normalise(p: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir if !out.pop() => return None,
            Component::ParentDir => {}
            Component::Normal(x) => out.push(x),
            _ => {}
        }
    }
    Some(out)
}

/// Broken internal links of the site in `root`, published under `base_path` (e.g. `/` or
/// `/brief/`), as "page: href (why)".
fn broken_links(root: &Path, base_path: &str) -> Vec<String> {
    let ids = ids(root);
    let sel = Selector::parse("a[href], link[href], script[src], img[src]").unwrap();
    let mut broken = Vec::new();
    for page in html_files(root) {
        let doc = Html::parse_document(&std::fs::read_to_string(root.join(&page)).unwrap());
        for e in doc.select(&sel) {
            let href = e
                .value()
                .attr("href")
                .or_else(|| e.value().attr("src"))
                .unwrap();
            if href.contains("://") || href.starts_with("//") || href.starts_with("mailto:") {
                continue;
            }
            let (path, frag) = href.split_once('#').unwrap_or((href, ""));
            let path = path.split('?').next().unwrap();
            let path = percent_decode_str(path).decode_utf8_lossy().to_string();
            let target = if path.is_empty() {
                Some(page.clone())
            } else if let Some(abs) = path.strip_prefix('/') {
                match ("/".to_string() + abs).strip_prefix(base_path) {
                    Some(rel) => normalise(Path::new(rel)),
                    None => None,
                }
            } else {
                normalise(&page.parent().unwrap().join(&path))
            };
            let Some(mut target) = target else {
                broken.push(format!("{}: {href} (leaves the site)", page.display()));
                continue;
            };
            if path.ends_with('/') || target.as_os_str().is_empty() {
                target.push("index.html");
            }
            if !root.join(&target).is_file() {
                broken.push(format!(
                    "{}: {href} (no file {})",
                    page.display(),
                    target.display()
                ));
                continue;
            }
            if !frag.is_empty() {
                let frag = percent_decode_str(frag).decode_utf8_lossy().to_string();
                match ids.get(&target) {
                    Some(set) if set.contains(&frag) => {}
                    Some(_) => broken.push(format!("{}: {href} (no id {frag:?})", page.display())),
                    None => broken.push(format!(
                        "{}: {href} (anchor into a non-HTML file)",
                        page.display()
                    )),
                }
            }
        }
    }
    broken
}

#[test]
fn seeds_site_has_no_broken_links() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    fixture::build_seeds(&out);
    let pages = html_files(&out);
    assert!(pages.len() > 5, "only {} pages", pages.len());
    let broken = broken_links(&out, "/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn fixture_under_a_sub_path_has_no_broken_links() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    fixture::build(&out, "https://example.org/brief/");
    let broken = broken_links(&out, "/brief/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    // The 404 page is served at any depth, so its links are absolute under the sub-path.
    let p404 = std::fs::read_to_string(out.join("404.html")).unwrap();
    assert!(
        p404.contains("href=\"&#x2F;brief&#x2F;index.html\"")
            || p404.contains("href=\"/brief/index.html\""),
        "{p404}"
    );
}

#[test]
fn the_checker_finds_broken_links_and_anchors() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join("a")).unwrap();
    std::fs::write(
        root.join("index.html"),
        r##"<a href="a/index.html#s1">ok</a> <a href="a/index.html#s9">bad anchor</a>
            <a href="b/index.html">missing</a> <a href="../x.html">outside</a>
            <a href="https://example.org/">external</a> <a href="#top">self</a><p id="top"></p>"##,
    )
    .unwrap();
    std::fs::write(root.join("a/index.html"), r#"<span id="s1">x</span>"#).unwrap();
    let broken = broken_links(root, "/");
    assert_eq!(broken.len(), 3, "{broken:#?}");
    assert!(broken[0].contains("#s9"));
    assert!(broken[1].contains("b/index.html"));
    assert!(broken[2].contains("leaves the site"));
}
