//! Judge stage: count independent sources per claim, find disagreements, give the verdict.

use crate::claims::extract::Features;
use crate::model::{Article, Claim, Conflict, ConflictValue, Mention, Verdict};
use std::collections::{BTreeMap, BTreeSet};

/// Turn clusters (and unmatched check-worthy sentences) into judged claims.
pub fn judge(articles: &[Article], features: &[Features], clusters: Vec<Vec<usize>>) -> Vec<Claim> {
    let mut in_cluster = vec![false; features.len()];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for c in clusters {
        for &i in &c {
            in_cluster[i] = true;
        }
        groups.push(c);
    }
    for (i, f) in features.iter().enumerate() {
        if !in_cluster[i] && f.check_worthy {
            groups.push(vec![i]);
        }
    }
    let mut claims: Vec<Claim> = groups
        .into_iter()
        .map(|g| judge_one(articles, features, &g))
        .collect();
    claims.sort_by(|a, b| {
        b.sources
            .cmp(&a.sources)
            .then(b.mentions.len().cmp(&a.mentions.len()))
            .then(a.mentions.cmp(&b.mentions))
    });
    dedupe_ids(&mut claims);
    claims
}

fn judge_one(articles: &[Article], features: &[Features], group: &[usize]) -> Claim {
    let mut mentions: Vec<Mention> = group.iter().map(|&i| features[i].mention).collect();
    mentions.sort();
    let outlets: BTreeSet<&str> = mentions
        .iter()
        .map(|m| articles[m.article].outlet())
        .collect();
    let sources = outlets.len();
    let mut conflicts = Vec::new();
    for (slot, get) in [
        (
            "date",
            (|f: &Features| &f.dates) as fn(&Features) -> &Vec<String>,
        ),
        ("number", |f: &Features| &f.numbers),
    ] {
        if let Some(c) = slot_conflict(articles, features, group, slot, get) {
            conflicts.push(c);
        }
    }
    let (verdict, rule) = if !conflicts.is_empty() {
        let slots: Vec<&str> = conflicts.iter().map(|c| c.slot.as_str()).collect();
        (
            Verdict::Conflicting,
            format!("mentions disagree on the {}", slots.join(" and ")),
        )
    } else if sources >= 2 {
        (
            Verdict::Corroborated,
            format!("{sources} independent sources state it and none disagrees"),
        )
    } else {
        (
            Verdict::SingleSource,
            "only one source states it".to_string(),
        )
    };
    let dates: BTreeSet<String> = group
        .iter()
        .flat_map(|&i| features[i].dates.iter().cloned())
        .collect();
    let first = mentions[0];
    let text = articles[first.article].sentences[first.sentence]
        .text
        .clone();
    Claim {
        id: claim_id(articles, &mentions),
        text,
        verdict,
        sources,
        mentions,
        conflicts,
        dates: dates.into_iter().collect(),
        rule,
    }
}

/// Mentions that name values of a slot, each with a value set no other mention shares.
fn slot_conflict(
    articles: &[Article],
    features: &[Features],
    group: &[usize],
    slot: &str,
    get: fn(&Features) -> &Vec<String>,
) -> Option<Conflict> {
    let with: Vec<usize> = group
        .iter()
        .copied()
        .filter(|&i| !get(&features[i]).is_empty())
        .collect();
    if with.len() < 2 {
        return None;
    }
    // Disagreement: two mentions whose value sets share nothing.
    let disjoint = with.iter().enumerate().any(|(x, &i)| {
        with[x + 1..].iter().any(|&j| {
            get(&features[i])
                .iter()
                .all(|v| !get(&features[j]).contains(v))
        })
    });
    if !disjoint {
        return None;
    }
    let mut by_value: BTreeMap<String, Vec<Mention>> = BTreeMap::new();
    for &i in &with {
        for v in get(&features[i]) {
            by_value
                .entry(v.clone())
                .or_default()
                .push(features[i].mention);
        }
    }
    let values = by_value
        .into_iter()
        .map(|(value, mentions)| {
            let articles: BTreeSet<String> = mentions
                .iter()
                .map(|m| articles[m.article].slug.clone())
                .collect();
            ConflictValue {
                value,
                articles: articles.into_iter().collect(),
                mentions,
            }
        })
        .collect();
    Some(Conflict {
        slot: slot.to_string(),
        values,
    })
}

/// A stable id from the mentions' article slugs and anchors.
fn claim_id(articles: &[Article], mentions: &[Mention]) -> String {
    let key: Vec<String> = mentions
        .iter()
        .map(|m| {
            format!(
                "{}#{}",
                articles[m.article].slug, articles[m.article].sentences[m.sentence].anchor
            )
        })
        .collect();
    let hex = sha1_smol::Sha1::from(key.join("\n")).digest().to_string();
    format!("c{}", &hex[..8])
}

fn dedupe_ids(claims: &mut [Claim]) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for c in claims.iter_mut() {
        let n = seen.entry(c.id.clone()).or_default();
        *n += 1;
        if *n > 1 {
            c.id = format!("{}-{}", c.id, n);
        }
    }
}
