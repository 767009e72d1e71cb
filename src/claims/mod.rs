//! The claim engine: extract → match → judge, over a whole corpus of articles.

pub mod dates;
pub mod extract;
pub mod judge;
pub mod matcher;
pub mod prepared;
pub mod similar;
pub mod slots;

use crate::claims::extract::Features;
use crate::model::{Article, Claim};
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// Find the claims the articles make and judge each one.
pub fn analyse(articles: &[Article]) -> Vec<Claim> {
    let features = extract::extract_corpus(articles);
    let clusters = matcher::cluster(&features);
    judge::judge(articles, &features, clusters)
}

/// What the claim engine derives from one article alone, kept between rebuilds (`serve`):
/// the acronyms it defines and its shingles (keyed by its sentences), and its features (keyed
/// by its sentences, its date and the corpus's acronym table). Articles are found by content,
/// so a renamed or reordered article is not extracted again.
#[derive(Debug, Default)]
pub struct Cache {
    acronyms: HashMap<u64, Vec<(String, String)>>,
    shingles: HashMap<u64, Vec<u64>>,
    features: HashMap<u64, Vec<Features>>,
    /// Articles extracted by the last [`analyse_cached`] (the rest came from the cache).
    pub extracted: usize,
}

fn text_key(a: &Article) -> u64 {
    let mut h = DefaultHasher::new();
    a.sentences.len().hash(&mut h);
    for s in &a.sentences {
        s.text.hash(&mut h);
    }
    h.finish()
}

/// [`analyse`], reusing what `cache` holds from the previous call: only the articles whose
/// sentences or date changed are extracted again (all of them when the corpus's acronym table
/// changed). Matching and judging run over the whole corpus. The claims are the ones
/// [`analyse`] gives.
pub fn analyse_cached(articles: &[Article], cache: &mut Cache) -> Vec<Claim> {
    let keys: Vec<u64> = articles.iter().map(text_key).collect();
    let mut acronyms = HashMap::with_capacity(articles.len());
    let mut shingles = HashMap::with_capacity(articles.len());
    for (a, &k) in articles.iter().zip(&keys) {
        let acr = cache
            .acronyms
            .remove(&k)
            .or_else(|| acronyms.remove(&k))
            .unwrap_or_else(|| extract::article_acronyms(a));
        acronyms.insert(k, acr);
        let sh = cache
            .shingles
            .remove(&k)
            .or_else(|| shingles.remove(&k))
            .unwrap_or_else(|| judge::shingles(a));
        shingles.insert(k, sh);
    }
    let table = extract::acronym_table(keys.iter().map(|k| acronyms[k].iter().cloned()));
    let mut th = DefaultHasher::new();
    table.hash(&mut th);
    let table_hash = th.finish();

    // Each article's features, moved out of the cache and back after judging (an article
    // whose content repeats an earlier one's gets a copy of its features).
    let mut features: Vec<Features> = Vec::new();
    let mut spans: Vec<(u64, usize)> = Vec::with_capacity(articles.len());
    let mut first: HashMap<u64, (usize, usize)> = HashMap::with_capacity(articles.len());
    cache.extracted = 0;
    for (ai, (a, &k)) in articles.iter().zip(&keys).enumerate() {
        let mut h = DefaultHasher::new();
        (k, table_hash, &a.meta.date).hash(&mut h);
        let fk = h.finish();
        let start = features.len();
        let mut fs = if let Some(&(st, len)) = first.get(&fk) {
            features[st..st + len].to_vec()
        } else if let Some(fs) = cache.features.remove(&fk) {
            fs
        } else {
            cache.extracted += 1;
            extract::extract_article(ai, a, &table)
        };
        for f in &mut fs {
            f.mention.article = ai;
        }
        first.entry(fk).or_insert((start, fs.len()));
        spans.push((fk, start));
        features.extend(fs);
    }
    cache.acronyms = acronyms;
    cache.shingles = shingles;

    let per_article: Vec<&[u64]> = keys.iter().map(|k| cache.shingles[k].as_slice()).collect();
    let sources_of = judge::independent_sources_with(articles, &per_article);
    let clusters = matcher::cluster(&features);
    let claims = judge::judge_with_sources(articles, &features, clusters, &sources_of);
    cache.features = HashMap::with_capacity(first.len());
    for &(fk, start) in spans.iter().rev() {
        let fs = features.split_off(start);
        if first[&fk].0 == start {
            cache.features.insert(fk, fs);
        }
    }
    claims
}
