//! The cleaner over the five seed articles: no sentence of an article body disappears, and none of
//! the share bars, menus, promos and footers reaches the article text.

use briefing::config::Site;
use briefing::model::Article;
use briefing::text::sentences::split_str;
use std::path::Path;

fn analysed() -> Vec<Article> {
    let site = Site::load(Path::new("site.toml")).expect("site.toml loads");
    briefing::analyse(&site).expect("seeds analyse").articles
}

fn article<'a>(articles: &'a [Article], prefix: &str) -> &'a Article {
    articles
        .iter()
        .find(|a| a.file.contains(prefix))
        .unwrap_or_else(|| panic!("no article {prefix}"))
}

fn text_of(a: &Article) -> String {
    a.sentences
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The body lines of each seed (1-based line numbers in the file), read by a person.
const BODY: &[(&str, &[usize])] = &[
    ("000_", &[11, 17, 19, 21, 23, 25, 27, 29, 31]),
    ("001_", &[3, 4, 5, 6, 7, 8, 9, 10]),
    ("002_", &[2, 3, 4, 5, 6, 7, 8, 9, 10]),
    ("003_", &[5, 7, 9, 11, 13, 15, 16]),
    ("004_", &[5, 7, 9, 11, 13, 15, 17]),
];

#[test]
fn no_body_sentence_disappears() {
    let articles = analysed();
    for (prefix, lines) in BODY {
        let a = article(&articles, prefix);
        let kept = text_of(a);
        let raw: Vec<&str> = a.raw.lines().collect();
        for &no in *lines {
            for sentence in split_str(raw[no - 1].trim()) {
                assert!(
                    kept.contains(sentence),
                    "{prefix} line {no}: lost {sentence:?}"
                );
            }
        }
    }
}

#[test]
fn body_sentence_behind_a_glued_promo_survives() {
    let articles = analysed();
    let kept = text_of(article(&articles, "001_"));
    assert!(kept.contains("But BlackBerry\u{2019}s future remains far from certain"));
    assert!(!kept.contains("AI Impact Tour"));
}

#[test]
fn no_share_menu_or_footer_line_reaches_an_article() {
    let junk = [
        "Share on Facebook",
        "Share on X",
        "Follow us on",
        "View all",
        "View All",
        "Trending",
        "Learn more.",
        "All rights reserved",
        "\u{a9}",
        "Add your own content",
        "More from Blackberry",
        "Industry insights",
        "Artificial Intelligence",
        "Discover our Briefings",
        "mission is to be",
        "sponsorship",
        "Home Business",
        "2 min read",
        "By Tony Connelly",
    ];
    for a in analysed() {
        let kept = text_of(&a);
        for j in junk {
            assert!(!kept.contains(j), "{}: kept {j:?}", a.file);
        }
        // The headline is the title, not a sentence of the text.
        if let Some(title) = &a.meta.title {
            assert!(
                !kept.starts_with(title.as_str()),
                "{}: headline kept",
                a.file
            );
        }
    }
}

#[test]
fn seed_metadata_is_read_and_never_invented() {
    let articles = analysed();
    let a = article(&articles, "000_");
    assert_eq!(
        a.meta.title.as_deref(),
        Some("Blackberry to pull out of Pakistan following disagreements over government surveillance")
    );
    assert_eq!(a.meta.author.as_deref(), Some("Tony Connelly"));
    assert_eq!(a.meta.date.as_deref(), Some("2015-11-30"));
    let b = article(&articles, "001_");
    assert_eq!(
        b.meta.title.as_deref(),
        Some("BlackBerry to exit Pakistan \u{2018}for security reasons\u{2019}")
    );
    assert_eq!(b.meta.source.as_deref(), Some("VentureBeat"));
    // "as of November 30" in the text is not a publication date.
    assert_eq!(b.meta.date, None);
    assert_eq!(b.meta.author, None);
    let e = article(&articles, "004_");
    assert_eq!(
        e.meta.title.as_deref(),
        Some("BlackBerry has no choice, but to exit Pakistan entirely")
    );
    for p in ["002_", "003_", "004_"] {
        let m = &article(&articles, p).meta;
        assert_eq!(
            (&m.author, &m.date, &m.source),
            (&None, &None, &None),
            "{p}"
        );
    }
}
