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
    features: HashMap<u64, (Vec<Features>, Vec<prepared::Unit>)>,
    /// The strings of every unit prepared so far (the units' ids point into it).
    interner: prepared::Interner,
    /// Near-duplicate articles, found as articles come and go (see [`Duplicates`]).
    duplicates: Duplicates,
    /// Articles extracted by the last [`analyse_cached`] (the rest came from the cache).
    pub extracted: usize,
}

/// Which article contents are near-duplicates of which (by content key), kept up to date as
/// contents come and go: a new content is compared with the others through an index of the
/// shingles (the count of shingles it shares with each), so an edit costs one article's
/// comparisons, not the corpus's. Gives the pairs `judge::independent_sources` finds.
#[derive(Debug, Default)]
struct Duplicates {
    /// The contents indexed, with their number of shingles.
    sizes: HashMap<u64, usize>,
    /// Which indexed contents hold each shingle (contents with enough shingles only).
    postings: rustc_hash::FxHashMap<u64, Vec<u64>>,
    /// Pairs of distinct near-duplicate contents, smaller key first.
    pairs: std::collections::BTreeSet<(u64, u64)>,
}

impl Duplicates {
    /// Bring the index to the contents `shingles` holds (key → sorted shingles).
    fn update(&mut self, shingles: &HashMap<u64, Vec<u64>>, old: &HashMap<u64, Vec<u64>>) {
        let gone: Vec<u64> = self
            .sizes
            .keys()
            .copied()
            .filter(|k| !shingles.contains_key(k))
            .collect();
        for k in &gone {
            self.sizes.remove(k);
            if let Some(sh) = old.get(k).filter(|s| s.len() >= judge::NEAR_DUPLICATE_MIN) {
                for h in sh {
                    if let Some(list) = self.postings.get_mut(h) {
                        list.retain(|x| x != k);
                        if list.is_empty() {
                            self.postings.remove(h);
                        }
                    }
                }
            }
        }
        if !gone.is_empty() {
            let gone: std::collections::HashSet<u64> = gone.into_iter().collect();
            self.pairs
                .retain(|(a, b)| !gone.contains(a) && !gone.contains(b));
        }
        let mut new: Vec<u64> = shingles
            .keys()
            .copied()
            .filter(|k| !self.sizes.contains_key(k))
            .collect();
        new.sort_unstable();
        for k in new {
            let sh = &shingles[&k];
            self.sizes.insert(k, sh.len());
            if sh.len() < judge::NEAR_DUPLICATE_MIN {
                continue;
            }
            let mut shared: rustc_hash::FxHashMap<u64, usize> = Default::default();
            for h in sh {
                let list = self.postings.entry(*h).or_default();
                for &o in list.iter() {
                    *shared.entry(o).or_default() += 1;
                }
                list.push(k);
            }
            for (o, n) in shared {
                // As `judge::near_duplicates`: most of the smaller one's shingles are shared.
                let smaller = sh.len().min(self.sizes[&o]);
                if n as f64 / smaller as f64 >= 0.5 {
                    self.pairs.insert((k.min(o), k.max(o)));
                }
            }
        }
    }

    /// The sorted pairs (i < j) of near-duplicate articles, given each article's content key.
    fn article_pairs(&self, keys: &[u64]) -> Vec<(usize, usize)> {
        let mut by_key: HashMap<u64, Vec<usize>> = HashMap::new();
        for (i, k) in keys.iter().enumerate() {
            by_key.entry(*k).or_default().push(i);
        }
        let mut out = Vec::new();
        for (a, b) in &self.pairs {
            if let (Some(xs), Some(ys)) = (by_key.get(a), by_key.get(b)) {
                for &x in xs {
                    for &y in ys {
                        out.push((x.min(y), x.max(y)));
                    }
                }
            }
        }
        // Articles with the very same content are near-duplicates when long enough.
        for (k, xs) in &by_key {
            if xs.len() >= 2 && self.sizes.get(k).copied().unwrap_or(0) >= judge::NEAR_DUPLICATE_MIN
            {
                for (p, &x) in xs.iter().enumerate() {
                    for &y in &xs[p + 1..] {
                        out.push((x, y));
                    }
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
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

    // Each article's features and prepared units, moved out of the cache and back after
    // judging (an article whose content repeats an earlier one's gets a copy).
    let mut features: Vec<Features> = Vec::new();
    let mut units: Vec<prepared::Unit> = Vec::new();
    let mut spans: Vec<(u64, usize)> = Vec::with_capacity(articles.len());
    let mut first: HashMap<u64, (usize, usize)> = HashMap::with_capacity(articles.len());
    let fkeys: Vec<u64> = articles
        .iter()
        .zip(&keys)
        .map(|(a, &k)| {
            let mut h = DefaultHasher::new();
            (k, table_hash, &a.meta.date).hash(&mut h);
            h.finish()
        })
        .collect();
    // The articles not in the cache are extracted in parallel (the first of each content).
    let mut wanted: Vec<usize> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (ai, fk) in fkeys.iter().enumerate() {
        if !cache.features.contains_key(fk) && seen.insert(*fk) {
            wanted.push(ai);
        }
    }
    let fresh: Vec<Vec<Features>> = {
        use rayon::prelude::*;
        wanted
            .par_iter()
            .map(|&ai| extract::extract_article(ai, &articles[ai], &table))
            .collect()
    };
    let mut fresh: HashMap<u64, Vec<Features>> =
        wanted.iter().map(|&ai| fkeys[ai]).zip(fresh).collect();
    cache.extracted = fresh.len();
    for (ai, &fk) in fkeys.iter().enumerate() {
        let start = features.len();
        let (mut fs, us) = if let Some(&(st, len)) = first.get(&fk) {
            (
                features[st..st + len].to_vec(),
                units[st..st + len].to_vec(),
            )
        } else if let Some(cached) = cache.features.remove(&fk) {
            cached
        } else {
            let fs = fresh.remove(&fk).expect("extracted above");
            cache.interner.add(&fs);
            let us = cache.interner.units(&fs);
            (fs, us)
        };
        for f in &mut fs {
            f.mention.article = ai;
        }
        first.entry(fk).or_insert((start, fs.len()));
        spans.push((fk, start));
        features.extend(fs);
        units.extend(us);
    }
    cache.acronyms = acronyms;
    cache.duplicates.update(&shingles, &cache.shingles);
    cache.shingles = shingles;
    let sources_of = judge::sources_from_pairs(articles, &cache.duplicates.article_pairs(&keys));
    let clusters = matcher::cluster_units(&features, &cache.interner, &units);
    let claims = judge::judge_with_sources(articles, &features, clusters, &sources_of);
    cache.features = HashMap::with_capacity(first.len());
    for &(fk, start) in spans.iter().rev() {
        let fs = features.split_off(start);
        let us = units.split_off(start);
        if first[&fk].0 == start {
            cache.features.insert(fk, (fs, us));
        }
    }
    claims
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Kept up to date over corpora that gain, lose and repeat contents, the index gives
        /// the near-duplicate pairs a fresh comparison of the corpus gives.
        #[test]
        fn duplicates_follow_the_corpus(
            steps in prop::collection::vec(
                prop::collection::vec(prop::collection::btree_set(0u64..60, 0..45), 1..8),
                1..5,
            )
        ) {
            let mut dups = Duplicates::default();
            let mut old: HashMap<u64, Vec<u64>> = HashMap::new();
            for mut corpus in steps {
                // A content twice (a copy filed under two names).
                corpus.push(corpus[0].clone());
                let sets: Vec<Vec<u64>> =
                    corpus.into_iter().map(|s| s.into_iter().collect()).collect();
                let keys: Vec<u64> = sets
                    .iter()
                    .map(|s| {
                        let mut h = DefaultHasher::new();
                        s.hash(&mut h);
                        h.finish()
                    })
                    .collect();
                let now: HashMap<u64, Vec<u64>> =
                    keys.iter().copied().zip(sets.iter().cloned()).collect();
                dups.update(&now, &old);
                old = now;
                prop_assert_eq!(dups.article_pairs(&keys), judge::near_duplicate_pairs(&sets));
            }
        }
    }
}
