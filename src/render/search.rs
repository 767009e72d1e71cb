//! The search index written at build time: every claim and every article sentence, with the
//! site-relative URL of its page. `static/search.js` searches it as one types; no network.
//!
//! It is written twice: `search.json` for other tools, and `search-index.js` (the same JSON
//! assigned to `window.BRIEFING_SEARCH`) for the search page, because a page opened from
//! `file://` may load a script but not fetch a JSON file.

use crate::model::Article;
use crate::render::feeds::script_json;
use crate::render::pages::Views;
use serde::Serialize;

#[derive(Serialize, Hash)]
pub struct ClaimEntry {
    /// Canonical wording.
    pub t: String,
    /// Site-relative URL of the claim page.
    pub u: String,
    /// Verdict (`corroborated`, `conflicting`, `single-source`).
    pub v: String,
    /// Independent sources.
    pub n: usize,
}

#[derive(Serialize, Hash)]
pub struct SentenceEntry {
    /// The sentence.
    pub t: String,
    /// Site-relative URL of the sentence in its article.
    pub u: String,
    /// Index of its article in `articles`.
    pub a: usize,
}

#[derive(Serialize, Hash)]
pub struct ArticleEntry {
    pub title: String,
    pub outlet: String,
}

#[derive(Serialize, Hash)]
pub struct Index {
    pub claims: Vec<ClaimEntry>,
    pub articles: Vec<ArticleEntry>,
    pub sentences: Vec<SentenceEntry>,
}

pub fn index(views: &Views, articles: &[Article]) -> Index {
    let mut sentences = Vec::new();
    for (i, a) in articles.iter().enumerate() {
        for s in &a.sentences {
            sentences.push(SentenceEntry {
                t: s.text.clone(),
                u: format!("{}#{}", views.articles[i].url, s.anchor),
                a: i,
            });
        }
    }
    Index {
        claims: views
            .claims
            .iter()
            .map(|c| ClaimEntry {
                t: c.text.clone(),
                u: c.url.clone(),
                v: c.verdict.clone(),
                n: c.sources,
            })
            .collect(),
        articles: views
            .articles
            .iter()
            .map(|a| ArticleEntry {
                title: a.title.clone(),
                outlet: a.outlet.clone(),
            })
            .collect(),
        sentences,
    }
}

pub fn json(index: &Index) -> Vec<u8> {
    let mut b = serde_json::to_vec(index).expect("the index is plain data");
    b.push(b'\n');
    b
}

pub fn script(index: &Index) -> Vec<u8> {
    let v = serde_json::to_value(index).expect("the index is plain data");
    format!("window.BRIEFING_SEARCH = {};\n", script_json(&v)).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_is_the_json_behind_an_assignment() {
        let idx = Index {
            claims: vec![ClaimEntry {
                t: "a </script> b".into(),
                u: "claims/x/index.html".into(),
                v: "corroborated".into(),
                n: 2,
            }],
            articles: vec![],
            sentences: vec![],
        };
        let s = String::from_utf8(script(&idx)).unwrap();
        let body = s
            .strip_prefix("window.BRIEFING_SEARCH = ")
            .and_then(|r| r.strip_suffix(";\n"))
            .unwrap();
        assert!(!body.contains("</"));
        let a: serde_json::Value = serde_json::from_str(body).unwrap();
        let b: serde_json::Value = serde_json::from_slice(&json(&idx)).unwrap();
        assert_eq!(a, b);
    }
}
