//! The claim engine: extract → match → judge, over a whole corpus of articles.

pub mod dates;
pub mod extract;
pub mod judge;
pub mod matcher;
pub mod prepared;
pub mod similar;
pub mod slots;

use crate::model::{Article, Claim};

/// Find the claims the articles make and judge each one.
pub fn analyse(articles: &[Article]) -> Vec<Claim> {
    let features = extract::extract_corpus(articles);
    let clusters = matcher::cluster(&features);
    judge::judge(articles, &features, clusters)
}
