//! `claims.json`: the machine-readable result (the contract in design.md). Keys are sorted.

use crate::model::{Article, Claim};
use serde::Serialize;

/// The whole document (tests compare the assembled fragments with it).
#[cfg(test)]
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

fn article_json(a: &Article) -> ArticleJson<'_> {
    ArticleJson {
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
    }
}

fn claim_json<'a>(articles: &'a [Article], c: &'a Claim) -> ClaimJson<'a> {
    ClaimJson {
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
    }
}

/// One element of the document's `articles` or `claims` list, as it appears there: pretty, keys
/// sorted (through `serde_json::Value`, whose maps are sorted), indented for its depth.
fn element(value: &impl Serialize) -> String {
    let value = serde_json::to_value(value).expect("claims.json is plain data");
    let text = serde_json::to_string_pretty(&value).expect("a Value always serialises");
    // JSON strings hold no raw line breaks: every one is the formatter's.
    text.replace('\n', "\n    ")
}

/// One article of `claims.json`, ready for [`assemble`]. Made from the article alone.
pub fn article_fragment(a: &Article) -> String {
    element(&article_json(a))
}

/// One claim of `claims.json`, ready for [`assemble`]. Made from the claim and the articles of
/// its mentions (their slugs, outlets and the mentioned sentences).
pub fn claim_fragment(articles: &[Article], c: &Claim) -> String {
    element(&claim_json(articles, c))
}

/// `claims.json` from its elements' fragments, in order: the same bytes as serialising the whole
/// document at once, so a rebuild serialises only the articles and claims that changed.
pub fn assemble<A: AsRef<str>, C: AsRef<str>>(articles: &[A], claims: &[C]) -> Vec<u8> {
    let len: usize = articles.iter().map(|a| a.as_ref().len() + 6).sum::<usize>()
        + claims.iter().map(|c| c.as_ref().len() + 6).sum::<usize>()
        + 64;
    let mut out = String::with_capacity(len);
    let list = |out: &mut String, name: &str, items: &mut dyn Iterator<Item = &str>, last: bool| {
        out.push_str("  \"");
        out.push_str(name);
        out.push_str("\": [");
        let mut any = false;
        for item in items {
            out.push_str(if any { ",\n    " } else { "\n    " });
            out.push_str(item);
            any = true;
        }
        out.push_str(if any { "\n  ]" } else { "]" });
        out.push_str(if last { "\n" } else { ",\n" });
    };
    out.push_str("{\n");
    list(
        &mut out,
        "articles",
        &mut articles.iter().map(|a| a.as_ref()),
        false,
    );
    list(
        &mut out,
        "claims",
        &mut claims.iter().map(|c| c.as_ref()),
        true,
    );
    out.push_str("}\n");
    out.into_bytes()
}

/// Serialise the result (the whole document at once; `render_changed` assembles the same bytes
/// from cached fragments).
pub fn claims_json(articles: &[Article], claims: &[Claim]) -> Vec<u8> {
    let a: Vec<String> = articles.iter().map(article_fragment).collect();
    let c: Vec<String> = claims.iter().map(|c| claim_fragment(articles, c)).collect();
    assemble(&a, &c)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The document serialised in one piece, as `claims.json` was written before fragments.
    fn whole(articles: &[Article], claims: &[Claim]) -> Vec<u8> {
        let doc = Doc {
            articles: articles.iter().map(article_json).collect(),
            claims: claims.iter().map(|c| claim_json(articles, c)).collect(),
        };
        let value = serde_json::to_value(&doc).unwrap();
        let mut bytes = serde_json::to_vec_pretty(&value).unwrap();
        bytes.push(b'\n');
        bytes
    }

    #[test]
    fn fragments_assemble_into_the_whole_document() {
        let site = crate::config::Site::load(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("site.toml"),
        )
        .unwrap();
        let a = crate::analyse(&site).unwrap();
        assert!(!a.claims.is_empty());
        assert_eq!(
            String::from_utf8(claims_json(&a.articles, &a.claims)).unwrap(),
            String::from_utf8(whole(&a.articles, &a.claims)).unwrap()
        );
        // Empty lists, and one list empty.
        assert_eq!(claims_json(&[], &[]), whole(&[], &[]));
        assert_eq!(
            claims_json(&a.articles[..1], &[]),
            whole(&a.articles[..1], &[])
        );
    }
}
