//! `claims.json`: the machine-readable result (the contract in design.md). Keys are sorted.

use crate::model::{Article, Claim};
use serde::Serialize;

#[derive(Serialize)]
struct Doc<'a> {
    articles: Vec<ArticleJson<'a>>,
    claims: Vec<ClaimJson<'a>>,
}

#[derive(Serialize)]
struct ArticleJson<'a> {
    slug: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_url: Option<&'a str>,
    file: &'a str,
    url: String,
    sentences: Vec<SentenceJson<'a>>,
    removed: Vec<&'a str>,
}

#[derive(Serialize)]
struct SentenceJson<'a> {
    anchor: &'a str,
    text: &'a str,
}

#[derive(Serialize)]
struct ClaimJson<'a> {
    id: &'a str,
    text: &'a str,
    verdict: &'static str,
    rule: &'a str,
    sources: usize,
    mentions: Vec<MentionJson<'a>>,
    conflicts: Vec<ConflictJson<'a>>,
}

#[derive(Serialize)]
struct MentionJson<'a> {
    article: &'a str,
    anchor: &'a str,
    text: &'a str,
}

#[derive(Serialize)]
struct ConflictJson<'a> {
    slot: &'a str,
    /// `hard` (cannot all be true) or `soft` (reconcilable, e.g. a loose lower bound).
    strength: &'a str,
    values: Vec<ValueJson<'a>>,
}

#[derive(Serialize)]
struct ValueJson<'a> {
    value: &'a str,
    articles: &'a [String],
    /// Who says it: the outlets of those articles, sorted.
    outlets: Vec<&'a str>,
    /// Where they say it: `slug#anchor` of each mention carrying the value.
    mentions: Vec<String>,
}

/// Serialise the result. Through `serde_json::Value`, whose maps are sorted, so keys are sorted.
pub fn claims_json(articles: &[Article], claims: &[Claim]) -> Vec<u8> {
    let doc = Doc {
        articles: articles
            .iter()
            .map(|a| ArticleJson {
                slug: &a.slug,
                title: a.display_title(),
                source: a.meta.source.as_deref(),
                author: a.meta.author.as_deref(),
                date: a.meta.date.as_deref(),
                original_url: a.meta.url.as_deref(),
                file: &a.file,
                url: format!("articles/{}/", a.slug),
                sentences: a
                    .sentences
                    .iter()
                    .map(|s| SentenceJson {
                        anchor: &s.anchor,
                        text: &s.text,
                    })
                    .collect(),
                removed: a.removed.iter().map(|r| r.text.as_str()).collect(),
            })
            .collect(),
        claims: claims
            .iter()
            .map(|c| ClaimJson {
                id: &c.id,
                text: &c.text,
                verdict: c.verdict.as_str(),
                rule: &c.rule,
                sources: c.sources,
                mentions: c
                    .mentions
                    .iter()
                    .map(|m| {
                        let a = &articles[m.article];
                        let s = &a.sentences[m.sentence];
                        MentionJson {
                            article: &a.slug,
                            anchor: &s.anchor,
                            text: &s.text,
                        }
                    })
                    .collect(),
                conflicts: c
                    .conflicts
                    .iter()
                    .map(|k| ConflictJson {
                        slot: &k.slot,
                        strength: k.strength.as_str(),
                        values: k
                            .values
                            .iter()
                            .map(|v| {
                                let mut outlets: Vec<&str> = v
                                    .mentions
                                    .iter()
                                    .map(|m| articles[m.article].outlet())
                                    .collect();
                                outlets.sort();
                                outlets.dedup();
                                ValueJson {
                                    value: &v.value,
                                    articles: &v.articles,
                                    outlets,
                                    mentions: v
                                        .mentions
                                        .iter()
                                        .map(|m| {
                                            let a = &articles[m.article];
                                            format!("{}#{}", a.slug, a.sentences[m.sentence].anchor)
                                        })
                                        .collect(),
                                }
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    };
    let value = serde_json::to_value(&doc).expect("claims.json is plain data");
    let mut bytes = serde_json::to_vec_pretty(&value).expect("a Value always serialises");
    bytes.push(b'\n');
    bytes
}
