//! The foundation's contract: building the seeds gives a complete site whose claims.json resolves.

mod common;

use briefing::config::Site;
use common::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

fn build_seeds(out: &Path) {
    let site = Site::load(&repo().join("site.toml")).expect("the default site.toml loads");
    briefing::build(&site, out).expect("the seeds build");
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn seeds_build_into_every_page_of_the_contract() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build_seeds(&out);

    for page in [
        "index.html",
        "claims/index.html",
        "sources/index.html",
        "404.html",
        "claims.json",
    ] {
        assert!(out.join(page).is_file(), "missing {page}");
    }
    let json: Value =
        serde_json::from_str(&read(&out.join("claims.json"))).expect("claims.json parses");
    let articles = json["articles"].as_array().expect("articles is a list");
    assert_eq!(articles.len(), 5, "one entry per seed article");

    let mut slugs = BTreeSet::new();
    for a in articles {
        let slug = a["slug"].as_str().expect("slug");
        assert!(slugs.insert(slug.to_string()), "slugs are unique");
        let title = a["title"].as_str().expect("every article has a title");
        assert!(!title.is_empty());
        let page = read(&out.join(format!("articles/{slug}/index.html")));
        // The title appears in the page (escaped as HTML would escape it).
        let escaped = title
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;");
        assert!(
            page.contains(&escaped),
            "article page {slug} shows its title {title:?}"
        );
        // The article's source.txt is the input as given.
        let file = a["file"].as_str().unwrap();
        assert_eq!(
            std::fs::read(out.join(format!("articles/{slug}/source.txt"))).unwrap(),
            std::fs::read(repo().join(file)).unwrap(),
            "source.txt of {slug} is {file} byte for byte"
        );
        // Every sentence's anchor is an element id in the page.
        let sentences = a["sentences"].as_array().unwrap();
        assert!(!sentences.is_empty(), "{slug} has sentences");
        for (i, s) in sentences.iter().enumerate() {
            let anchor = s["anchor"].as_str().unwrap();
            assert_eq!(
                anchor,
                format!("s{}", i + 1),
                "anchors run s1, s2, … in reading order"
            );
            assert!(
                page.contains(&format!("id=\"{anchor}\"")),
                "{slug} has element #{anchor}"
            );
        }
    }

    let claims = json["claims"].as_array().expect("claims is a list");
    assert!(!claims.is_empty(), "the seeds share claims");
    let mut ids = BTreeSet::new();
    let mut multi_outlet = 0;
    for c in claims {
        let id = c["id"].as_str().unwrap();
        assert!(ids.insert(id.to_string()), "claim ids are unique");
        let verdict = c["verdict"].as_str().unwrap();
        assert!(
            ["corroborated", "single-source", "conflicting"].contains(&verdict),
            "{verdict}"
        );
        let claim_page = read(&out.join(format!("claims/{id}/index.html")));
        let mentions = c["mentions"].as_array().unwrap();
        assert!(!mentions.is_empty());
        let arts: BTreeSet<&str> = mentions
            .iter()
            .map(|m| m["article"].as_str().unwrap())
            .collect();
        if arts.len() > 1 {
            multi_outlet += 1;
        }
        let sources = c["sources"].as_u64().unwrap() as usize;
        assert!(sources >= 1 && sources <= arts.len());
        if verdict == "corroborated" {
            assert!(sources >= 2, "a corroborated claim has two or more sources");
        }
        for m in mentions {
            let slug = m["article"].as_str().unwrap();
            let anchor = m["anchor"].as_str().unwrap();
            assert!(slugs.contains(slug), "mention names a known article");
            let page = read(&out.join(format!("articles/{slug}/index.html")));
            assert!(
                page.contains(&format!("id=\"{anchor}\"")),
                "mention {slug}#{anchor} resolves"
            );
            // The article links back to the claim, the claim page links to the sentence.
            assert!(
                page.contains(&format!("claims/{id}/index.html")),
                "{slug}#{anchor} links to claim {id}"
            );
            assert!(
                claim_page.contains(&format!("articles/{slug}/index.html#{anchor}")),
                "claim {id} links to {slug}#{anchor}"
            );
        }
    }
    assert!(multi_outlet > 0, "some claim is shared by several articles");

    // Every claim is listed on the claims page; the briefing links to it and to every dispute.
    let index = read(&out.join("index.html"));
    let all = read(&out.join("claims/index.html"));
    assert!(
        index.contains("claims/index.html"),
        "the briefing links to all claims"
    );
    for c in claims {
        let id = c["id"].as_str().unwrap();
        let link = format!("claims/{id}/index.html");
        assert!(all.contains(&link), "claims/index.html links to claim {id}");
        if c["verdict"] == "conflicting" {
            assert!(
                index.contains(&link),
                "the briefing links to disputed claim {id}"
            );
        }
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    build_seeds(&tmp.path().join("a"));
    build_seeds(&tmp.path().join("b"));
    let a = snapshot(&tmp.path().join("a"));
    let b = snapshot(&tmp.path().join("b"));
    assert!(a.len() > 10);
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.0, y.0);
        assert!(x.1 == y.1, "{} differs between builds", x.0);
    }
}

#[test]
fn claims_json_keys_are_sorted() {
    let tmp = tempfile::tempdir().unwrap();
    build_seeds(&tmp.path().join("p"));
    let text = read(&tmp.path().join("p/claims.json"));
    // Re-serialising through a sorted map gives the same text.
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(serde_json::to_string_pretty(&v).unwrap() + "\n", text);
}

#[test]
fn a_sites_own_template_wins_and_markdown_is_rendered_safely() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("tests/fixtures/override-site"), tmp.path());
    let site = Site::load(&tmp.path().join("site.toml")).unwrap();
    let report = briefing::build(&site, &tmp.path().join("public")).unwrap();
    assert_eq!(report.articles, 2);
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("notes.csv") && n.contains("ignored")),
        "{:?}",
        report.notes
    );
    let index = read(&tmp.path().join("public/index.html"));
    assert!(
        index.contains("id=\"custom-index\""),
        "the site's index.html template is used"
    );
    assert!(index.contains("Custom index for Override fixture"));
    // Other templates fall back to the built-in defaults.
    let alpha = read(&tmp.path().join("public/articles/alpha/index.html"));
    assert!(
        alpha.contains("<strong>six weeks</strong>"),
        "Markdown emphasis is rendered"
    );
    assert!(
        !alpha.contains("<script>alert(1)</script>"),
        "raw HTML is escaped"
    );
    assert!(alpha.contains("&lt;script&gt;"));
    assert!(
        alpha.contains("Jane Roe")
            && alpha.contains("2024-05-02")
            && alpha.contains("https://example.org/bridge")
    );
    // The two outlets state the same closure: a corroborated claim.
    let json: Value = serde_json::from_str(&read(&tmp.path().join("public/claims.json"))).unwrap();
    let corroborated: Vec<&Value> = json["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["verdict"] != "single-source")
        .collect();
    assert_eq!(corroborated.len(), 1, "{json:#}");
    assert_eq!(corroborated[0]["sources"], 2);
}

#[test]
fn a_site_with_no_templates_or_static_folder_builds_with_the_defaults() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("tests/fixtures/bare-site"), tmp.path());
    assert!(!tmp.path().join("templates").exists());
    let site = Site::load(&tmp.path().join("site.toml")).unwrap();
    briefing::build(&site, &tmp.path().join("public")).unwrap();
    let index = read(&tmp.path().join("public/index.html"));
    assert!(index.contains("Bare fixture: no templates or static folder"));
    assert!(
        tmp.path().join("public/style.css").is_file(),
        "the default stylesheet is written"
    );
    let one = read(&tmp.path().join("public/articles/one/index.html"));
    assert!(one.contains("Storm closes the coastal road"));
}
