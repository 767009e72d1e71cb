//! Machine-readable companions of the pages: the Atom feed's data and each claim page's
//! schema.org `ClaimReview` (JSON-LD). Deterministic: dates come from the articles, never the
//! clock.

use crate::model::Article;
use crate::render::pages::{ClaimView, SiteView, Views};
use serde::Serialize;
use serde_json::json;

/// One `<entry>` of `feed.xml`: one article.
#[derive(Serialize, Hash)]
pub struct FeedEntry {
    pub title: String,
    /// Absolute when `base_url` is set, else relative to the site root (resolved against the
    /// feed's own address).
    pub link: String,
    pub id: String,
    /// RFC 3339, from the article's date (the feed's date when the article has none).
    pub updated: String,
    pub author: String,
    pub summary: String,
}

#[derive(Serialize, Hash)]
pub struct FeedView {
    pub id: String,
    /// The latest article date, RFC 3339 (`1970-01-01T00:00:00Z` when no article has a date).
    pub updated: String,
    /// The feed's own address, when `base_url` is set.
    pub self_url: Option<String>,
    /// Newest first; undated articles last, in input order.
    pub entries: Vec<FeedEntry>,
}

fn rfc3339(date: &str) -> Option<String> {
    let ok = date.len() == 10
        && date.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    ok.then(|| format!("{date}T00:00:00Z"))
}

/// A stable `urn:uuid:` from a name (SHA-1 based, like a version 5 UUID).
fn urn(name: &str) -> String {
    let h = sha1_smol::Sha1::from(name).digest().bytes();
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let x: String = b.iter().map(|v| format!("{v:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &x[0..8],
        &x[8..12],
        &x[12..16],
        &x[16..20],
        &x[20..32]
    )
}

/// The first sentences of an article, up to about 300 characters.
fn summary(a: &Article) -> String {
    let mut s = String::new();
    for sent in &a.sentences {
        if !s.is_empty() && s.len() + sent.text.len() > 300 {
            break;
        }
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&sent.text);
    }
    s
}

pub fn feed(views: &Views, articles: &[Article]) -> FeedView {
    let abs = &views.site.abs_url;
    let updated = articles
        .iter()
        .filter_map(|a| a.meta.date.as_deref().and_then(rfc3339))
        .max()
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let mut order: Vec<usize> = (0..articles.len()).collect();
    order.sort_by(|&x, &y| {
        let dx = articles[x].meta.date.as_deref().and_then(rfc3339);
        let dy = articles[y].meta.date.as_deref().and_then(rfc3339);
        match (dx, dy) {
            (Some(a), Some(b)) => b.cmp(&a),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then(x.cmp(&y))
    });
    let entries = order
        .into_iter()
        .map(|i| {
            let a = &articles[i];
            let r = &views.articles[i];
            FeedEntry {
                title: r.title.clone(),
                link: format!("{abs}{}", r.url),
                id: if abs.is_empty() {
                    urn(&format!("{}\n{}", views.site.title, r.url))
                } else {
                    format!("{abs}{}", r.url)
                },
                updated: a
                    .meta
                    .date
                    .as_deref()
                    .and_then(rfc3339)
                    .unwrap_or_else(|| updated.clone()),
                author: r.author.clone().unwrap_or_else(|| r.outlet.clone()),
                summary: summary(a),
            }
        })
        .collect();
    FeedView {
        id: if abs.is_empty() {
            urn(&views.site.title)
        } else {
            abs.clone()
        },
        updated,
        self_url: (!abs.is_empty()).then(|| format!("{abs}feed.xml")),
        entries,
    }
}

/// Serialise JSON for a `<script>` element: `<`, `>` and `&` become `\u003c` etc., so no
/// `</script>` or `<!--` can appear inside. (They can only occur inside JSON strings, where the
/// escapes mean the same characters.)
pub fn script_json(value: &serde_json::Value) -> String {
    serde_json::to_string(value)
        .expect("a Value always serialises")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The schema.org `ClaimReview` of one claim, ready to sit in a `<script type="application/ld+json">`.
pub fn claim_review_json_ld(site: &SiteView, c: &ClaimView) -> String {
    let rating = match c.verdict.as_str() {
        "corroborated" => 3,
        "conflicting" => 1,
        _ => 2,
    };
    let appearances: Vec<serde_json::Value> = c
        .mentions
        .iter()
        .map(|m| {
            let mut v = json!({
                "@type": "CreativeWork",
                "headline": m.article.title,
                "author": {"@type": "Organization", "name": m.article.outlet},
            });
            let url = m.article.original_url.clone().or_else(|| {
                (!site.abs_url.is_empty()).then(|| format!("{}{}", site.abs_url, m.url))
            });
            if let Some(u) = url {
                v["url"] = json!(u);
            }
            if let Some(d) = &m.article.date {
                v["datePublished"] = json!(d);
            }
            v
        })
        .collect();
    let mut doc = json!({
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": c.text,
        "author": {"@type": "Organization", "name": site.title},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": rating,
            "bestRating": 3,
            "worstRating": 1,
            "alternateName": c.verdict_label,
            "ratingExplanation": c.rule,
        },
        "itemReviewed": {
            "@type": "Claim",
            "appearance": appearances,
        },
    });
    if !site.abs_url.is_empty() {
        doc["url"] = json!(format!("{}{}", site.abs_url, c.url));
    }
    script_json(&doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script() {
        let v = json!({"t": "a </script><!-- & b"});
        let s = script_json(&v);
        assert!(!s.contains("</"), "{s}");
        assert!(!s.contains("<!--"), "{s}");
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn urns_are_stable_uuids() {
        let u = urn("x");
        assert_eq!(u, urn("x"));
        assert_ne!(u, urn("y"));
        assert_eq!(u.len(), "urn:uuid:".len() + 36);
        assert_eq!(&u[23..24], "5");
    }

    #[test]
    fn only_plain_dates_become_timestamps() {
        assert_eq!(rfc3339("2015-11-30").unwrap(), "2015-11-30T00:00:00Z");
        assert!(rfc3339("11-30").is_none());
        assert!(rfc3339("2015-1-30").is_none());
    }
}
