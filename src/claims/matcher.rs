//! Match stage: find check-worthy sentences of different articles that say the same thing.
//!
//! Candidates come from an inverted index over content terms (pairs share at least one term that
//! is not too common), scored by IDF-weighted overlap; clusters grow by average link, so a
//! sentence joins a claim only when it is close to the claim as a whole, not to one member.

use crate::claims::extract::Features;
use std::collections::{BTreeMap, HashMap};

/// Two sentences state the same claim at or above this similarity.
pub const THRESHOLD: f64 = 0.35;

/// Terms in more than this share of sentences do not generate candidates.
const MAX_DF_SHARE: f64 = 0.2;

/// Inverse document frequency of each term over the sentences.
pub fn idf(features: &[Features]) -> HashMap<&str, f64> {
    let mut df: HashMap<&str, usize> = HashMap::new();
    for f in features {
        for t in &f.terms {
            *df.entry(t.as_str()).or_default() += 1;
        }
    }
    let n = features.len().max(1) as f64;
    df.into_iter()
        .map(|(t, d)| (t, ((n + 1.0) / (d as f64 + 0.5)).ln().max(0.01)))
        .collect()
}

/// IDF-weighted Dice overlap of two term sets, in [0, 1].
pub fn similarity(a: &[String], b: &[String], idf: &HashMap<&str, f64>) -> f64 {
    let w = |t: &String| idf.get(t.as_str()).copied().unwrap_or(1.0);
    let (mut i, mut j, mut shared) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += w(&a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    let total: f64 = a.iter().map(w).sum::<f64>() + b.iter().map(w).sum::<f64>();
    if total == 0.0 {
        0.0
    } else {
        2.0 * shared / total
    }
}

/// Clusters of feature indices (each at least two mentions from different articles).
pub fn cluster(features: &[Features]) -> Vec<Vec<usize>> {
    let idf = idf(features);
    let n = features.len();
    // Inverted index over terms that are not too common.
    let max_df = ((n as f64 * MAX_DF_SHARE).ceil() as usize).max(2);
    let mut index: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, f) in features.iter().enumerate().filter(|(_, f)| f.check_worthy) {
        for t in &f.terms {
            index.entry(t.as_str()).or_default().push(i);
        }
    }
    let mut candidates: BTreeMap<(usize, usize), ()> = BTreeMap::new();
    for list in index.values().filter(|l| l.len() <= max_df) {
        for (x, &i) in list.iter().enumerate() {
            for &j in &list[x + 1..] {
                if features[i].mention.article != features[j].mention.article {
                    candidates.insert((i, j), ());
                }
            }
        }
    }
    let mut scored: Vec<(f64, usize, usize)> = candidates
        .keys()
        .map(|&(i, j)| {
            (
                similarity(&features[i].terms, &features[j].terms, &idf),
                i,
                j,
            )
        })
        .filter(|(s, _, _)| *s >= THRESHOLD)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));

    // Average-link agglomeration in order of pair strength.
    let mut cluster_of: Vec<Option<usize>> = vec![None; n];
    let mut clusters: Vec<Vec<usize>> = Vec::new();
    let sim = |i: usize, j: usize| similarity(&features[i].terms, &features[j].terms, &idf);
    for (_, i, j) in scored {
        match (cluster_of[i], cluster_of[j]) {
            (None, None) => {
                cluster_of[i] = Some(clusters.len());
                cluster_of[j] = Some(clusters.len());
                clusters.push(vec![i, j]);
            }
            (Some(c), None) | (None, Some(c)) => {
                let new = if cluster_of[i].is_none() { i } else { j };
                let members = &clusters[c];
                let same_article = members
                    .iter()
                    .any(|&m| features[m].mention.article == features[new].mention.article);
                let avg = members.iter().map(|&m| sim(m, new)).sum::<f64>() / members.len() as f64;
                if !same_article && avg >= THRESHOLD {
                    clusters[c].push(new);
                    cluster_of[new] = Some(c);
                }
            }
            (Some(a), Some(b)) if a != b => {
                let (ca, cb) = (&clusters[a], &clusters[b]);
                let overlap = ca.iter().any(|&x| {
                    cb.iter()
                        .any(|&y| features[x].mention.article == features[y].mention.article)
                });
                let total: f64 = ca
                    .iter()
                    .flat_map(|&x| cb.iter().map(move |&y| (x, y)))
                    .map(|(x, y)| sim(x, y))
                    .sum();
                let avg = total / (ca.len() * cb.len()) as f64;
                if !overlap && avg >= THRESHOLD {
                    let moved = std::mem::take(&mut clusters[b]);
                    for &m in &moved {
                        cluster_of[m] = Some(a);
                    }
                    clusters[a].extend(moved);
                }
            }
            _ => {}
        }
    }
    clusters.retain(|c| !c.is_empty());
    for c in &mut clusters {
        c.sort();
    }
    clusters.sort();
    clusters
}
