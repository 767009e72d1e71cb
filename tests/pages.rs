//! What a reader and a feed reader get from the built pages, over the invented fixture (which has
//! every kind of finding) and the seeds.

#[path = "browser/fixture.rs"]
mod fixture;

use scraper::{Html, Selector};
use std::path::Path;

fn read(out: &Path, p: &str) -> String {
    std::fs::read_to_string(out.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"))
}

fn texts(html: &str, css: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse(css).unwrap();
    doc.select(&sel)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
fn the_briefing_shows_disputes_side_by_side_with_their_outlets() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    fixture::build(&out, "");
    let index = read(&out, "index.html");
    let disputes = texts(&index, "#disputed .dispute");
    assert_eq!(disputes.len(), 2, "{disputes:#?}");
    // The date dispute: both values, each with the outlets behind it.
    let values = texts(&index, "#disputed .dispute:first-child .value");
    assert_eq!(values.len(), 2, "{values:#?}");
    assert!(
        values[0].contains("2024-03-12")
            && values[0].contains("Harbour Herald, Northern Courier, The Daily Lantern"),
        "{values:#?}"
    );
    assert!(
        values[1].contains("2024-03-19") && values[1].contains("Valley Gazette"),
        "{values:#?}"
    );
    // Headline facts, then single-source grouped by outlet, then the timeline in date order.
    assert_eq!(texts(&index, "#established ol.claims > li").len(), 1);
    let single = texts(&index, "#single-source summary");
    assert_eq!(single.len(), 3, "{single:#?}");
    let dates = texts(&index, "#timeline .timeline > li > time");
    assert_eq!(dates, ["12 Mar 2024", "19 Mar 2024", "23 Apr"]);
    // Under a disputed date, only the outlets that give that date.
    let on_19 = texts(&index, "#timeline .timeline > li:nth-child(2) li");
    assert!(
        on_19[0].contains("Valley Gazette") && !on_19[0].contains("Harbour Herald"),
        "{on_19:#?}"
    );
}

#[test]
fn claim_pages_carry_a_valid_claim_review_and_word_diffs() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    fixture::build(&out, "https://example.org/brief");
    let page = read(&out, "claims/c-closure/index.html");
    let ld = texts(&page, r#"script[type="application/ld+json"]"#);
    assert_eq!(ld.len(), 1);
    let v: serde_json::Value = serde_json::from_str(&ld[0]).expect("JSON-LD is valid JSON");
    assert_eq!(v["@type"], "ClaimReview");
    assert_eq!(v["reviewRating"]["alternateName"], "Disputed");
    assert_eq!(
        v["url"],
        "https://example.org/brief/claims/c-closure/index.html"
    );
    assert_eq!(v["itemReviewed"]["appearance"].as_array().unwrap().len(), 4);
    // The Valley Gazette's "shut on 19 March" stands out against "close on 12 March".
    let ins = texts(&page, ".mention ins");
    let del = texts(&page, ".mention del");
    assert!(ins.iter().any(|t| t.contains("19")), "{ins:#?}");
    assert!(del.iter().any(|t| t.contains("12")), "{del:#?}");
    // Escaping: the fixture's "<during>" is text, never markup.
    let art = read(&out, "articles/02-the-daily-lantern/index.html");
    assert!(art.contains("&lt;during&gt;") && !art.contains("<during>"));
}

#[test]
fn feed_and_sitemap_are_deterministic_and_complete() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    fixture::build(&a, "https://example.org/brief/");
    fixture::build(&b, "https://example.org/brief/");
    for f in [
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "search-index.js",
        "claims.json",
        "index.html",
    ] {
        assert_eq!(read(&a, f), read(&b, f), "{f} differs between two builds");
    }
    let feed = read(&a, "feed.xml");
    assert_eq!(feed.matches("<entry>").count(), 5);
    assert!(
        feed.contains("<updated>2024-03-07T00:00:00Z</updated>"),
        "the newest article date"
    );
    // Newest first.
    let first = feed.find("Bridge repairs to last six weeks").unwrap();
    let last = feed.find("River bridge to close for repairs").unwrap();
    assert!(first < last);
    let sitemap = read(&a, "sitemap.xml");
    assert!(
        sitemap.contains(
            "https:&#x2F;&#x2F;example.org&#x2F;brief&#x2F;claims&#x2F;c-closure&#x2F;index.html"
        ) || sitemap.contains("https://example.org/brief/claims/c-closure/index.html"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("404.html"));
    assert!(read(&a, "robots.txt").contains("Sitemap: https://example.org/brief/sitemap.xml"));
}

#[test]
fn search_index_holds_every_claim_and_sentence() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    fixture::build_seeds(&out);
    let claims: serde_json::Value = serde_json::from_str(&read(&out, "claims.json")).unwrap();
    let js = read(&out, "search-index.js");
    let body = js
        .strip_prefix("window.BRIEFING_SEARCH = ")
        .and_then(|b| b.strip_suffix(";\n"))
        .expect("the index is JSON assigned to window.BRIEFING_SEARCH");
    let index: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(
        index["claims"].as_array().unwrap().len(),
        claims["claims"].as_array().unwrap().len()
    );
    let sentences: usize = claims["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["sentences"].as_array().unwrap().len())
        .sum();
    assert_eq!(index["sentences"].as_array().unwrap().len(), sentences);
    assert!(
        !out.join("search.json").exists(),
        "written once, as a script"
    );
}

#[test]
fn a_reconcilable_difference_is_shown_as_such_on_the_briefing_and_the_claim_page() {
    let articles: Vec<(String, String, String)> = [
        ("a.md", "Alpha News", "more than 100"),
        ("b.md", "Beta Post", "140"),
    ]
    .iter()
    .map(|(name, outlet, figure)| {
        (
            name.to_string(),
            outlet.to_string(),
            format!("Rescue crews pulled {figure} people from flooded homes on Monday."),
        )
    })
    .collect();
    let (_tmp, out) = build_site(&articles);
    let index = read(&out, "index.html");
    let notes = texts(&index, "#disputed .soft-note");
    assert_eq!(notes.len(), 1, "{index}");
    assert!(notes[0].contains("Reconcilable"), "{notes:?}");
    let values = texts(&index, "#disputed .value-text");
    assert!(values.iter().any(|v| v == "more than 100") && values.iter().any(|v| v == "140"));
    let href = Html::parse_document(&index)
        .select(&Selector::parse("#disputed .dispute-claim a").unwrap())
        .next()
        .and_then(|a| a.value().attr("href").map(str::to_string))
        .expect("a link to the claim");
    let claim = read(&out, &href);
    let captions = texts(&claim, ".conflict-table caption");
    assert_eq!(captions.len(), 1);
    assert!(captions[0].contains("reconcilable"), "{captions:?}");
}

/// Builds `articles` (file name, outlet, body) into a fresh site; returns (tempdir, output).
fn build_site(articles: &[(String, String, String)]) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    std::fs::create_dir(&content).unwrap();
    std::fs::write(
        tmp.path().join("site.toml"),
        "title = \"Big story\"\ncontent_dir = \"content\"\n",
    )
    .unwrap();
    for (name, outlet, body) in articles {
        std::fs::write(
            content.join(name),
            format!(
                "+++\ntitle = \"Report from {outlet}\"\nsource = \"{outlet}\"\n+++\n\n{body}\n"
            ),
        )
        .unwrap();
    }
    let out = tmp.path().join("public");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(["build", "--config"])
        .arg(tmp.path().join("site.toml"))
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    (tmp, out)
}

#[test]
fn the_briefing_stays_short_when_one_outlet_alone_reports_many_claims() {
    // Twenty unrelated single-source facts from one outlet, one shared fact with another.
    let places = [
        "Arden", "Bexley", "Corran", "Dunmore", "Elstow", "Fenwick", "Garrow", "Hollins", "Ilford",
        "Jarrow", "Kelso", "Lanark", "Morven", "Nairn", "Oxley", "Penrith", "Quarry", "Rydal",
        "Selby", "Tarbet",
    ];
    let mut body: Vec<String> = places
        .iter()
        .enumerate()
        .map(|(i, p)| {
            format!(
                "The council in {p} approved {} new street lamps for its market square.",
                10 + i
            )
        })
        .collect();
    body.push("The regional assembly voted 41 to 12 to fund the new tram line on Tuesday.".into());
    let articles = vec![
        (
            "a.md".to_string(),
            "Alpha News".to_string(),
            body.join("\n\n"),
        ),
        (
            "b.md".to_string(),
            "Beta Post".to_string(),
            "The regional assembly voted 41 to 12 on Tuesday to fund the new tram line."
                .to_string(),
        ),
    ];
    let (_tmp, out) = build_site(&articles);
    let index = read(&out, "index.html");
    let alpha = texts(&index, "#single-source details.only");
    let alpha = alpha
        .iter()
        .find(|t| t.contains("Alpha News"))
        .expect("Alpha's group");
    assert!(alpha.contains("reports 20 claims"), "{alpha}");
    assert!(alpha.contains("5 more on the sources page"), "{alpha}");
    let listed = texts(&index, "#single-source details.only li");
    assert_eq!(listed.len(), 15, "{listed:#?}");
    // The full list is still one click away.
    let all = read(&out, "claims/index.html");
    assert!(texts(&all, "li.claim").len() >= 21);
}
