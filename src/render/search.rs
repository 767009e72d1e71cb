//! The search index written at build time: every claim and every article sentence, with the
//! site-relative URL of its page. `static/search.js` searches it as one types; no network.
//!
//! It is written as `search-index.js` (JSON assigned to `window.BRIEFING_SEARCH`), because a
//! page opened from `file://` may load a script but not fetch a JSON file. Other tools read
//! `claims.json`, which holds the same claims and sentences (and more); the index is not written
//! a second time as JSON, since every byte written counts when `serve` rebuilds.
//!
//! The document is `{"articles": [...], "claims": [...], "sentences": [...]}` (keys sorted, as
//! everywhere), compact, with `<`, `>` and `&` escaped as `\u003c` etc. so that it can sit in a
//! script. It is assembled from one fragment per claim and per article (the article's entry and
//! its sentences'), so a rebuild serialises only what changed.

use crate::model::Article;
use crate::render::pages::{ArticleRef, ClaimSummary};
use serde::Serialize;

/// Field names are the keys of the index: declared in sorted order, so the struct serialises as
/// a sorted map would.
#[derive(Serialize)]
pub struct ClaimEntry<'a> {
    /// Independent sources.
    pub n: usize,
    /// Canonical wording.
    pub t: &'a str,
    /// Site-relative URL of the claim page.
    pub u: &'a str,
    /// Verdict (`corroborated`, `conflicting`, `single-source`).
    pub v: &'a str,
}

#[derive(Serialize)]
pub struct SentenceEntry<'a> {
    /// Index of its article in `articles`.
    pub a: usize,
    /// The sentence.
    pub t: &'a str,
    /// Site-relative URL of the sentence in its article.
    pub u: String,
}

#[derive(Serialize)]
pub struct ArticleEntry<'a> {
    pub outlet: &'a str,
    pub title: &'a str,
}

/// Compact JSON that cannot close a `<script>` (nor open a comment in one).
fn script_safe(value: &impl Serialize) -> String {
    let s = serde_json::to_string(value).expect("the index is plain data");
    if s.contains(['<', '>', '&']) {
        s.replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026")
    } else {
        s
    }
}

/// One claim's entry.
pub fn claim_fragment(c: &ClaimSummary) -> String {
    script_safe(&ClaimEntry {
        n: c.sources,
        t: &c.text,
        u: &c.url,
        v: &c.verdict,
    })
}

/// One article's entry (in `articles`).
pub fn article_fragment(r: &ArticleRef) -> String {
    script_safe(&ArticleEntry {
        outlet: &r.outlet,
        title: &r.title,
    })
}

/// The entries of the sentences of the article at `index` (comma-separated; empty when it has
/// none).
pub fn sentences_fragment(index: usize, r: &ArticleRef, a: &Article) -> String {
    let entries: Vec<String> = a
        .sentences
        .iter()
        .map(|s| {
            script_safe(&SentenceEntry {
                a: index,
                t: &s.text,
                u: format!("{}#{}", r.url, s.anchor),
            })
        })
        .collect();
    entries.join(",")
}

/// The index from its fragments: the articles' entries, the claims' entries and, per article,
/// its sentences' entries (see [`sentences_fragment`]).
pub fn assemble<A: AsRef<str>>(articles: &[A], claims: &[A], sentences: &[A]) -> String {
    let len: usize = [articles, claims, sentences]
        .iter()
        .flat_map(|l| l.iter())
        .map(|f| f.as_ref().len() + 1)
        .sum();
    let mut out = String::with_capacity(len + 48);
    out.push('{');
    let mut list = |name: &str, items: &[A], last: bool| {
        out.push('"');
        out.push_str(name);
        out.push_str("\":[");
        let mut any = false;
        for f in items.iter().map(AsRef::as_ref).filter(|f| !f.is_empty()) {
            if any {
                out.push(',');
            }
            out.push_str(f);
            any = true;
        }
        out.push(']');
        if !last {
            out.push(',');
        }
    };
    list("articles", articles, false);
    list("claims", claims, false);
    list("sentences", sentences, true);
    out.push('}');
    out
}

/// `search-index.js`.
pub fn script(index: &str) -> Vec<u8> {
    format!("window.BRIEFING_SEARCH = {index};\n").into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(text: &str) -> ClaimSummary {
        ClaimSummary {
            id: "x".into(),
            text: text.into(),
            verdict: "corroborated".into(),
            verdict_label: "Corroborated".into(),
            rule: String::new(),
            sources: 2,
            url: "claims/x/index.html".into(),
            outlets: vec![],
            dates: vec![],
            date_labels: vec![],
            mention_count: 2,
            conflicts: vec![],
        }
    }

    #[test]
    fn the_index_is_sorted_json_that_cannot_close_its_script() {
        let claims = vec![
            claim_fragment(&claim("a </script><!-- & b")),
            claim_fragment(&claim("plain")),
        ];
        let empty: Vec<String> = vec![String::new(), String::new()];
        let index = assemble(&[], &claims, &empty);
        let s = String::from_utf8(script(&index)).unwrap();
        let body = s
            .strip_prefix("window.BRIEFING_SEARCH = ")
            .and_then(|r| r.strip_suffix(";\n"))
            .unwrap();
        assert!(!body.contains("</") && !body.contains("<!--"), "{body}");
        let a: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(a["claims"][0]["t"], "a </script><!-- & b");
        assert_eq!(a["claims"][1]["n"], 2);
        assert_eq!(a["sentences"], serde_json::json!([]));
        // Keys sorted, as serde_json's maps are: the bytes are those of the parsed value.
        assert_eq!(
            body.replace("\\u003c", "<")
                .replace("\\u003e", ">")
                .replace("\\u0026", "&"),
            serde_json::to_string(&a).unwrap()
        );
    }
}
