//! Judge stage: count independent sources per claim, find disagreements, give the verdict.

use crate::claims::extract::Features;
use crate::claims::matcher::Clusters;
use crate::claims::slots;
use crate::model::{Article, Claim, Conflict, ConflictValue, Mention, Strength, Verdict};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};

/// Turn clusters (and unmatched check-worthy sentences) into judged claims.
pub fn judge(articles: &[Article], features: &[Features], clusters: Clusters) -> Vec<Claim> {
    judge_with_sources(articles, features, clusters, &independent_sources(articles))
}

/// [`judge`], with each article's independent source already known (as
/// [`independent_sources`] gives them).
pub fn judge_with_sources(
    articles: &[Article],
    features: &[Features],
    clusters: Clusters,
    sources_of: &[usize],
) -> Vec<Claim> {
    let attributes = attribute_groups(articles, features, sources_of).with_disputes(
        &clusters.disputes,
        features,
        sources_of,
    );
    judge_with_memo(
        articles,
        features,
        clusters.claims,
        attributes,
        sources_of,
        None,
    )
}

/// The groups judged on one slot alone, whatever else their sentences say: the sentences naming
/// one person with a title, and one organisation with its base (see [`judge_with_memo`]). They
/// do not depend on the clusters, so they can be found while the clustering runs; so can what
/// the judge reads of every unit (its mention, and whether it is a whole check-worthy
/// sentence), read here in one pass over the features rather than after the clustering (a
/// pass over every unit of a large corpus: about 4 ms at 10,000 articles).
pub struct Attributes {
    titles: Vec<Vec<usize>>,
    bases: Vec<Vec<usize>>,
    dates: Vec<Vec<usize>>,
    mentions: Vec<Mention>,
    whole: Vec<bool>,
}

impl Attributes {
    /// With the clustering's date disputes (see [`Clusters::disputes`]) whose two units come
    /// from independent sources and give dates that disagree as a claim's would: the disputes
    /// linked through a shared unit form one group, judged on the date alone.
    pub fn with_disputes(
        mut self,
        disputes: &[(usize, usize)],
        features: &[Features],
        sources_of: &[usize],
    ) -> Attributes {
        let source = |i: usize| sources_of[features[i].mention.article];
        let kept: Vec<(usize, usize)> = disputes
            .iter()
            .copied()
            .filter(|&(i, j)| {
                source(i) != source(j) && dates_differ(&features[i].dates, &features[j].dates)
            })
            .collect();
        // Linked disputes, by union-find over their units (numbered in first-seen order).
        let mut units: Vec<usize> = kept.iter().flat_map(|&(i, j)| [i, j]).collect();
        units.sort_unstable();
        units.dedup();
        let place = |u: usize| units.binary_search(&u).expect("a unit of a dispute");
        let mut parent: Vec<usize> = (0..units.len()).collect();
        fn root(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        for &(i, j) in &kept {
            let (a, b) = (root(&mut parent, place(i)), root(&mut parent, place(j)));
            parent[a.max(b)] = a.min(b);
        }
        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (k, &u) in units.iter().enumerate() {
            let r = root(&mut parent, k);
            groups.entry(r).or_default().push(u);
        }
        self.dates = groups.into_values().collect();
        self
    }
}

pub fn attribute_groups(
    articles: &[Article],
    features: &[Features],
    sources_of: &[usize],
) -> Attributes {
    let (mentions, whole) = units_read(features);
    Attributes {
        titles: title_groups(features, sources_of),
        bases: base_groups(articles, features, sources_of),
        dates: Vec::new(),
        mentions,
        whole,
    }
}

/// Each feature's mention, and whether it is a whole check-worthy sentence.
fn units_read(features: &[Features]) -> (Vec<Mention>, Vec<bool>) {
    features
        .iter()
        .map(|f| (f.mention, f.unit == 0 && f.check_worthy))
        .unzip()
}

/// What a judged claim was made from, as content keys: each feature's (the same key for the same
/// unit on every call) and each article's (its sentences, their anchors, its slug and outlet).
pub struct JudgeKeys<'a> {
    pub units: &'a [u64],
    pub articles: &'a [u64],
}

impl JudgeKeys<'_> {
    /// A key for judging `group`: everything `judge_one` reads of it, as words (what it is
    /// judged on, then each member's unit key, mention, article key and source), hashed at once
    /// with XXH3 (a 64-bit hash as good as the content keys', and quick on short input: most
    /// groups are one sentence).
    fn group(
        &self,
        group: &[usize],
        only: Option<&str>,
        mentions: &[Mention],
        sources_of: &[usize],
    ) -> u64 {
        use xxhash_rust::xxh3::xxh3_64;
        const WORDS: usize = 5;
        const ON_STACK: usize = 1 + 6 * WORDS;
        let n = 1 + WORDS * group.len();
        let mut stack = [0u8; 8 * ON_STACK];
        let mut heap = Vec::new();
        let bytes: &mut [u8] = if n <= ON_STACK {
            &mut stack[..8 * n]
        } else {
            heap.resize(8 * n, 0);
            &mut heap
        };
        let mut words = bytes.chunks_exact_mut(8);
        let mut put = |w: u64| {
            words
                .next()
                .expect("sized for every word")
                .copy_from_slice(&w.to_le_bytes())
        };
        // None, or the slot's name (hashed; never 0).
        put(only.map_or(0, |o| xxh3_64(o.as_bytes()) | 1));
        for &i in group {
            let m = mentions[i];
            put(self.units[i]);
            put(m.article as u64);
            put(m.sentence as u64);
            put(self.articles[m.article]);
            put(sources_of[m.article] as u64);
        }
        xxh3_64(bytes)
    }
}

/// Claims judged by an earlier call, kept by `serve` between rebuilds: a claim whose members,
/// their articles and their sources are the same is not judged again.
///
/// A call moves the claims it reuses out of the memo (no copy while the reader waits); the memo
/// gets them back from [`JudgeMemo::keep`] (a copy) or [`JudgeMemo::keep_owned`] (moved back,
/// once the caller is done with them: `serve` at the start of its next rebuild, having had the
/// memo [index](JudgeMemo::index) them once the pages reloaded). A call without either after
/// the last one judges every claim again.
///
/// The claims are kept in the order the last call returned them, which is the claims' order
/// (see `judge_with_memo`): the claims a call reuses, taken in that order, are in order already,
/// so only the claims judged again are sorted, and merged in. How many claims hold each id is
/// kept too, so that a call looks for repeated ids (`dedupe_ids`) among the claims holding one
/// only.
#[derive(Debug, Default)]
pub struct JudgeMemo {
    /// The claims of the last call (once kept), in its order, with their ids before
    /// `dedupe_ids`, the hash of each one's id ([`id_hash`]) and of its wording when that is its
    /// first mention's (see [`distinct_texts`]).
    claims: Vec<Claim>,
    ids: Vec<u64>,
    worded: Vec<u64>,
    /// Each of those claims' place in `claims`, by key.
    places: rustc_hash::FxHashMap<u64, u32>,
    /// How many of those claims hold each id.
    counts: IdCounts,
    /// What `keep` needs of the last call to take its claims back.
    given: Given,
    /// Claims judged, and claims reused, by the last call.
    pub judged: usize,
    pub reused: usize,
}

/// A call's claims as `keep` takes them back: their keys, id hashes and wordings' hashes in the
/// order the call returned them, the place and former id of each claim `dedupe_ids` renamed,
/// the counts of the ids, and each key's place once [indexed](JudgeMemo::index).
#[derive(Debug, Default)]
struct Given {
    keys: Vec<u64>,
    ids: Vec<u64>,
    worded: Vec<u64>,
    renamed: Vec<(usize, String)>,
    counts: IdCounts,
    places: Option<rustc_hash::FxHashMap<u64, u32>>,
}

/// Each key's place in `keys`.
fn places_of(keys: &[u64]) -> rustc_hash::FxHashMap<u64, u32> {
    keys.iter()
        .enumerate()
        .map(|(p, k)| (*k, p as u32))
        .collect()
}

/// How many claims hold each id (by [`id_hash`]), and the ids more than one of them holds.
#[derive(Debug, Default)]
struct IdCounts {
    counts: rustc_hash::FxHashMap<u64, u32>,
    repeated: rustc_hash::FxHashSet<u64>,
}

impl IdCounts {
    fn add(&mut self, id: u64) {
        let n = self.counts.entry(id).or_default();
        *n += 1;
        if *n == 2 {
            self.repeated.insert(id);
        }
    }

    fn remove(&mut self, id: u64) {
        use std::collections::hash_map::Entry;
        if let Entry::Occupied(mut e) = self.counts.entry(id) {
            *e.get_mut() -= 1;
            match *e.get() {
                0 => {
                    e.remove();
                }
                1 => {
                    self.repeated.remove(&id);
                }
                _ => {}
            }
        }
    }
}

/// A hash of a claim's id (or of a wording): equal ids hash the same (two ids with one hash only
/// make `dedupe_ids` look at a few more claims).
fn id_hash(id: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    id.hash(&mut h);
    h.finish()
}

impl JudgeMemo {
    /// Keep `claims`, what the last call returned, for the next call to reuse (a copy).
    pub fn keep(&mut self, claims: &[Claim]) {
        if self.given.keys.len() == claims.len() {
            self.keep_owned(claims.to_vec());
        }
    }

    /// [`JudgeMemo::keep`], taking the claims themselves (no copy).
    pub fn keep_owned(&mut self, mut claims: Vec<Claim>) {
        let given = std::mem::take(&mut self.given);
        if given.keys.len() != claims.len() {
            return; // not the last call's claims, or kept already
        }
        self.places = given.places.unwrap_or_else(|| places_of(&given.keys));
        for (i, id) in given.renamed {
            claims[i].id = id;
        }
        self.claims = claims;
        self.ids = given.ids;
        self.worded = given.worded;
        self.counts = given.counts;
    }

    /// Index the last call's claims by key ahead of [`JudgeMemo::keep_owned`]: the part of
    /// keeping them that does not need the claims.
    pub fn index(&mut self) {
        if self.given.places.is_none() {
            self.given.places = Some(places_of(&self.given.keys));
        }
    }
}

/// [`judge_with_sources`], reusing the claims `memo` holds for groups whose inputs (as `keys`
/// tell them) are unchanged; the memo is left ready to [keep](JudgeMemo::keep) this call's
/// claims.
pub fn judge_with_memo(
    articles: &[Article],
    features: &[Features],
    clusters: Vec<Vec<usize>>,
    attributes: Attributes,
    sources_of: &[usize],
    memo: Option<(JudgeKeys, &mut JudgeMemo)>,
) -> Vec<Claim> {
    let mut laps = crate::claims::Laps::new("  judge");
    // A sentence is claimed when any of its units (the whole or a clause) is in a cluster.
    // Flags by sentence: article `a`'s sentence `s` at `first[a] + s`.
    let mut first: Vec<usize> = Vec::with_capacity(articles.len() + 1);
    first.push(0);
    for a in articles {
        first.push(first.last().copied().unwrap_or(0) + a.sentences.len());
    }
    let at = |m: Mention| first[m.article] + m.sentence;
    let mut claimed = vec![false; first.last().copied().unwrap_or(0)];
    // Each group borrows its members: a cluster's or attribute group's list, or one sentence
    // of `singles` (no list made for each of the many claims of one sentence).
    let Attributes {
        titles,
        bases,
        dates,
        mentions,
        whole,
    } = attributes;
    // Each feature's mention, and whether it is a whole check-worthy sentence, read once in
    // order (beside the clustering): the clusters' members are looked up in a compact list,
    // not in the features.
    debug_assert!(mentions.len() == features.len() && whole.len() == features.len());
    let mut groups: Vec<(&[usize], Option<&str>)> = Vec::new();
    let attributes = titles
        .iter()
        .map(|g| (g, Some("title")))
        .chain(bases.iter().map(|g| (g, Some("place"))))
        .chain(dates.iter().map(|g| (g, Some("date"))));
    // A group's sentences, sorted, into `buf`.
    let sentences = |g: &[usize], buf: &mut Vec<Mention>| {
        buf.clear();
        buf.extend(g.iter().map(|&i| mentions[i]));
        buf.sort_unstable();
        buf.dedup();
    };
    // Two clusters over the very same sentences are one claim: the groups taken, by a hash of
    // their sentences (groups whose hash another took first are listed apart; the lists are
    // compared, so a collision never joins two claims). No list is kept per group.
    let mut seen: rustc_hash::FxHashMap<u64, u32> = Default::default();
    let mut collided: Vec<(u64, u32)> = Vec::new();
    let (mut ms, mut other) = (Vec::new(), Vec::new());
    for (c, only) in clusters.iter().map(|c| (c, None)).chain(attributes) {
        sentences(c, &mut ms);
        for &m in &ms {
            claimed[at(m)] = true;
        }
        let hash = {
            let mut h = rustc_hash::FxHasher::default();
            ms.hash(&mut h);
            h.finish()
        };
        let mut same = |g: u32| {
            sentences(groups[g as usize].0, &mut other);
            other == ms
        };
        let taken = seen.get(&hash).copied();
        if taken.is_some_and(&mut same) || collided.iter().any(|&(h, g)| h == hash && same(g)) {
            continue;
        }
        if taken.is_some() {
            collided.push((hash, groups.len() as u32));
        } else {
            seen.insert(hash, groups.len() as u32);
        }
        groups.push((c, only));
    }
    let singles: Vec<usize> = (0..features.len())
        .filter(|&i| whole[i] && !claimed[at(mentions[i])])
        .collect();
    groups.extend(singles.iter().map(|i| (std::slice::from_ref(i), None)));
    laps.lap("groups");
    // Each claim judged on its own, in parallel; collected in the groups' order.
    use rayon::prelude::*;
    // No two claims have the same mentions (groups over the same sentences are one claim),
    // so the order is total and an unstable sort gives the stable sort's.
    let order = |a: &Claim, b: &Claim| {
        b.sources
            .cmp(&a.sources)
            .then(b.mentions.len().cmp(&a.mentions.len()))
            .then(a.mentions.cmp(&b.mentions))
    };
    let claims: Vec<Claim> = match memo {
        None => {
            let mut claims: Vec<Claim> = groups
                .par_iter()
                .map(|&(g, only)| judge_one(articles, features, g, sources_of, only))
                .collect();
            claims.sort_unstable_by(order);
            dedupe_ids(&mut claims);
            let mut nothing_known = vec![0; claims.len()];
            distinct_texts(articles, &mut claims, &mut nothing_known);
            claims
        }
        Some((keys, memo)) => {
            // Keyed in parallel; each key's place in the last call's claims, if it has one.
            let keyed: Vec<u64> = groups
                .par_iter()
                .map(|(g, only)| keys.group(g, *only, &mentions, sources_of))
                .collect();
            laps.lap("keyed");
            let kept = std::mem::take(&mut memo.claims);
            let kept_ids = std::mem::take(&mut memo.ids);
            let kept_worded = std::mem::take(&mut memo.worded);
            let places = std::mem::take(&mut memo.places);
            let mut counts = std::mem::take(&mut memo.counts);
            // Which group takes each kept claim (NONE: none, it is stale and dropped); the
            // groups without one are judged again.
            const NONE: u32 = u32::MAX;
            let mut taker = vec![NONE; kept.len()];
            let mut fresh: Vec<usize> = Vec::new();
            for (g, k) in keyed.iter().enumerate() {
                match places.get(k) {
                    Some(&p) if taker[p as usize] == NONE => taker[p as usize] = g as u32,
                    _ => fresh.push(g),
                }
            }
            drop(places);
            for (&g, &id) in taker.iter().zip(&kept_ids) {
                if g == NONE {
                    counts.remove(id);
                }
            }
            let mut fresh: Vec<(Claim, u64, u64)> = fresh
                .into_par_iter()
                .map(|g| {
                    let (group, only) = groups[g];
                    let c = judge_one(articles, features, group, sources_of, only);
                    let id = id_hash(&c.id);
                    (c, keyed[g], id)
                })
                .collect();
            for f in &fresh {
                counts.add(f.2);
            }
            memo.judged = fresh.len();
            memo.reused = groups.len() - fresh.len();
            laps.lap("judged");
            fresh.sort_unstable_by(|x, y| order(&x.0, &y.0));
            // The kept claims are in order, and a reused claim has the very members (so the
            // very sources and mentions) it had: those taken stay in their order, in place (the
            // stale ones leave), with their keys, id hashes and wordings' hashes beside them.
            let mut claims = kept;
            let mut taken = taker.iter().map(|&g| g != NONE);
            claims.retain(|_| taken.next() == Some(true));
            let n = groups.len();
            let (mut keys, mut ids, mut worded) = (
                Vec::with_capacity(n),
                Vec::with_capacity(n),
                Vec::with_capacity(n),
            );
            for (p, &g) in taker.iter().enumerate().filter(|&(_, &g)| g != NONE) {
                keys.push(keyed[g as usize]);
                ids.push(kept_ids[p]);
                worded.push(kept_worded[p]);
            }
            // The claims judged again are merged in from the back: a kept claim moves once, by
            // the number of them that come after it (the order is total: no two claims compare
            // equal, so each has one place).
            let at: Vec<usize> = fresh
                .iter()
                .map(|f| claims.partition_point(|c| order(c, &f.0) == Ordering::Less))
                .collect();
            let mut read = claims.len();
            claims.resize_with(n, || Claim {
                id: String::new(),
                text: String::new(),
                verdict: Verdict::SingleSource,
                sources: 0,
                mentions: Vec::new(),
                conflicts: Vec::new(),
                dates: Vec::new(),
                rule: String::new(),
            });
            keys.resize(n, 0);
            ids.resize(n, 0);
            worded.resize(n, 0);
            let mut write = n;
            for ((c, k, id), at) in fresh.into_iter().zip(at).rev() {
                while read > at {
                    read -= 1;
                    write -= 1;
                    claims.swap(read, write);
                    keys[write] = keys[read];
                    ids[write] = ids[read];
                    worded[write] = worded[read];
                }
                write -= 1;
                (claims[write], keys[write], ids[write], worded[write]) = (c, k, id, 0);
            }
            debug_assert_eq!(read, write);
            distinct_texts(articles, &mut claims, &mut worded);
            // Only claims holding an id that another holds can be renamed.
            let renamed = if counts.repeated.is_empty() {
                Vec::new()
            } else {
                let among: Vec<usize> = (0..ids.len())
                    .filter(|&i| counts.repeated.contains(&ids[i]))
                    .collect();
                dedupe_ids_among(&mut claims, among.into_iter())
            };
            memo.given = Given {
                keys,
                ids,
                worded,
                renamed,
                counts,
                places: None,
            };
            claims
        }
    };
    laps.lap("sort");
    claims
}

/// Each claim's wording (`text`) is the first of its mentions, in claim order, whose sentence no
/// earlier claim already shows as its wording (the first mention when all are taken): a
/// sentence stating two facts sits in two claims, and two claims headed by the same sentence
/// read as one fact listed twice. Made from the mentions each time, so a claim reused from the
/// judge's memo gets the wording a fresh analysis gives it.
///
/// Claims come in order of sources, then of mentions, so the claims of one mention (most of a
/// large corpus) come last; each of those is worded by its one sentence whatever came before,
/// and nothing follows them that their wording could move: the walk stops at the first.
///
/// `worded[i]`, when not 0, is what the judge's memo knows of claim `i`: the hash
/// ([`id_hash`]) of its first mention's text, which was its wording last time (its mentions and
/// their sentences are the same). Such a claim keeps that wording when no earlier claim shows
/// a text of that hash, without its mentions' sentences being read (a fresh analysis passes
/// all 0). `worded` is left as the next call needs it.
fn distinct_texts(articles: &[Article], claims: &mut [Claim], worded: &mut [u64]) {
    debug_assert!(claims
        .windows(2)
        .all(|w| w[0].mentions.len() > 1 || w[1].mentions.len() == 1));
    // The wordings shown so far, by hash: the first claim showing each, and the others whose
    // different text has a hash already shown (rare).
    let mut shown: rustc_hash::FxHashMap<u64, usize> = Default::default();
    let mut more: Vec<(u64, usize)> = Vec::new();
    let is_shown = |claims: &[Claim],
                    shown: &rustc_hash::FxHashMap<u64, usize>,
                    more: &[(u64, usize)],
                    h: u64,
                    t: &str| {
        shown.get(&h).is_some_and(|&j| claims[j].text == t)
            || more.iter().any(|&(x, j)| x == h && claims[j].text == t)
    };
    let text = |m: &Mention| articles[m.article].sentences[m.sentence].text.as_str();
    for i in 0..claims.len() {
        if claims[i].mentions.len() <= 1 {
            break;
        }
        let known = worded[i];
        if known != 0 && !shown.contains_key(&known) {
            shown.insert(known, i);
            continue;
        }
        let (k, h) = claims[i]
            .mentions
            .iter()
            .enumerate()
            .map(|(k, m)| (k, id_hash(text(m))))
            .find(|&(k, h)| !is_shown(claims, &shown, &more, h, text(&claims[i].mentions[k])))
            .unwrap_or_else(|| (0, id_hash(text(&claims[i].mentions[0]))));
        let pick = text(&claims[i].mentions[k]);
        if claims[i].text != pick {
            claims[i].text = pick.to_string();
        }
        worded[i] = if k == 0 { h } else { 0 };
        match shown.get(&h) {
            None => {
                shown.insert(h, i);
            }
            Some(&j) if claims[j].text != pick => more.push((h, i)),
            Some(_) => {}
        }
    }
}

fn judge_one(
    articles: &[Article],
    features: &[Features],
    group: &[usize],
    sources_of: &[usize],
    only: Option<&str>,
) -> Claim {
    let mut mentions: Vec<Mention> = group.iter().map(|&i| features[i].mention).collect();
    mentions.sort();
    let independent: BTreeSet<usize> = mentions.iter().map(|m| sources_of[m.article]).collect();
    let sources = independent.len();
    let mut conflicts = conflicts(articles, features, group, sources_of);
    if let Some(slot) = only {
        conflicts.retain(|c| c.slot == slot);
    }
    let (verdict, rule) = if !conflicts.is_empty() {
        let parts: Vec<String> = conflicts
            .iter()
            .map(|c| {
                let says: Vec<String> = c
                    .values
                    .iter()
                    .map(|v| {
                        let outlets: BTreeSet<&str> = v
                            .mentions
                            .iter()
                            .map(|m| articles[m.article].outlet())
                            .collect();
                        format!(
                            "{} says {}",
                            outlets.into_iter().collect::<Vec<_>>().join(" and "),
                            v.value
                        )
                    })
                    .collect();
                match c.strength {
                    Strength::Hard => format!("the {}: {}", c.slot, says.join("; ")),
                    Strength::Soft => format!(
                        "the {}, reconcilably (a loose bound beside a figure): {}",
                        c.slot,
                        says.join("; ")
                    ),
                }
            })
            .collect();
        (
            Verdict::Conflicting,
            format!("mentions disagree on {}", parts.join(", and on ")),
        )
    } else if sources >= 2 {
        (
            Verdict::Corroborated,
            format!("{sources} independent sources state it and none disagrees"),
        )
    } else if mentions.len() >= 2 {
        (
            Verdict::SingleSource,
            "only one independent source states it (the others republish it)".to_string(),
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

/// A person's job title is a fact of its own: when independent sources give one person
/// different titles, the sentences naming the person with a title form a claim (judged on the
/// title only), even when the sentences say different things otherwise.
fn title_groups(features: &[Features], sources_of: &[usize]) -> Vec<Vec<usize>> {
    let mut by_person: BTreeMap<&str, Vec<(usize, &str)>> = BTreeMap::new();
    for (i, f) in features.iter().enumerate().filter(|(_, f)| f.unit == 0) {
        for p in &f.people {
            by_person
                .entry(p.person.as_str())
                .or_default()
                .push((i, p.title.as_str()));
        }
    }
    let mut out = Vec::new();
    for list in by_person.values() {
        let src = |i: usize| sources_of[features[i].mention.article];
        // Two mentions of different sources with titles that differ. Equal titles never
        // differ, so this compares each pair of distinct titles once, knowing of each title
        // its first source and whether it has another: a pair of them has mentions of two
        // sources unless both have the one same source. (Comparing every pair of mentions
        // was quadratic in how often a person is named.)
        let mut titles: BTreeMap<&str, (usize, bool)> = BTreeMap::new();
        for &(i, t) in list {
            let e = titles.entry(t).or_insert((src(i), false));
            e.1 |= e.0 != src(i);
        }
        let titles: Vec<(&str, (usize, bool))> = titles.into_iter().collect();
        let disagree = titles.iter().enumerate().any(|(x, &(ti, (si, mi)))| {
            titles[x + 1..]
                .iter()
                .any(|&(tj, (sj, mj))| (mi || mj || si != sj) && slots::titles_differ(ti, tj))
        });
        if disagree {
            let mut g: Vec<usize> = list.iter().map(|&(i, _)| i).collect();
            g.sort();
            g.dedup();
            out.push(g);
        }
    }
    out
}

/// Where an organisation is based is a fact of its own, like a title: sentences of independent
/// sources that put one organisation in different places form a claim judged on the place.
fn base_groups(
    articles: &[Article],
    features: &[Features],
    sources_of: &[usize],
) -> Vec<Vec<usize>> {
    let mut by_org: BTreeMap<&str, Vec<(usize, &str)>> = BTreeMap::new();
    for (i, f) in features.iter().enumerate().filter(|(_, f)| f.unit == 0) {
        let Some(org) = f.based.as_deref() else {
            continue;
        };
        for p in &f.places {
            if let Some(place) = p.strip_prefix("based in ") {
                by_org.entry(org).or_default().push((i, place));
            }
        }
    }
    let text = |i: usize| {
        let m = features[i].mention;
        articles[m.article].sentences[m.sentence]
            .text
            .to_lowercase()
    };
    let mut out = Vec::new();
    for list in by_org.values() {
        let src = |i: usize| sources_of[features[i].mention.article];
        let disagree = list.iter().enumerate().any(|(x, &(i, pi))| {
            list[x + 1..].iter().any(|&(j, pj)| {
                let (li, lj) = (pi.to_lowercase(), pj.to_lowercase());
                src(i) != src(j) && !text(j).contains(&li) && !text(i).contains(&lj)
            })
        });
        if disagree {
            let mut g: Vec<usize> = list.iter().map(|&(i, _)| i).collect();
            g.sort();
            g.dedup();
            out.push(g);
        }
    }
    out
}

/// A slot value one mention gives, for comparison with the others.
type Values = Vec<(usize, String)>;

/// A set of independent sources, kept as far as telling whether it holds a source other than a
/// given one needs: its first source, and whether it holds another.
#[derive(Clone, Copy, Default)]
struct Sources(Option<(usize, bool)>);

impl Sources {
    fn add(&mut self, source: usize) {
        match &mut self.0 {
            None => self.0 = Some((source, false)),
            Some((first, more)) => *more |= *first != source,
        }
    }

    fn extend(&mut self, other: Sources) {
        if let Some((first, more)) = other.0 {
            self.add(first);
            if let Some((_, m)) = &mut self.0 {
                *m |= more;
            }
        }
    }

    /// It holds a source other than `source`.
    fn other_than(&self, source: usize) -> bool {
        self.0.is_some_and(|(first, more)| more || first != source)
    }

    /// It holds two sources or more, so one other than any source.
    fn several(&self) -> bool {
        self.0.is_some_and(|(_, more)| more)
    }
}

/// One item a member gives in a slot: the member, the item's place in the member's list (its
/// k-th date set, figure, person, place or quote) and the member's independent source.
#[derive(Clone, Copy)]
struct Item {
    member: usize,
    at: usize,
    source: usize,
}

/// The values one slot takes in a claim, each distinct value once, with the items giving it.
///
/// Two items disagree when their values do and their members' sources differ. Whether two
/// values disagree depends on the values alone, so [`Distinct::disagreeing`] compares each pair
/// of distinct values once (and each value with itself), not each pair of members: a claim of
/// thousands of mentions gives far fewer distinct date sets, places or quotes. An item is in
/// disagreement when a value disagreeing with it is given by a source other than the item's
/// own; the sources giving each value tell that without going back to its members.
struct Distinct<K> {
    index: rustc_hash::FxHashMap<K, usize>,
    values: Vec<K>,
    items: Vec<Vec<Item>>,
}

impl<K: Clone + Eq + std::hash::Hash> Distinct<K> {
    fn new() -> Distinct<K> {
        Distinct {
            index: Default::default(),
            values: Vec::new(),
            items: Vec::new(),
        }
    }

    fn add(&mut self, value: K, item: Item) {
        let next = self.values.len();
        let v = *self.index.entry(value.clone()).or_insert(next);
        if v == next {
            self.values.push(value);
            self.items.push(Vec::new());
        }
        self.items[v].push(item);
    }

    /// The items in disagreement, as (member, place in the member's list): `differ` tells
    /// whether two values disagree, and must not depend on their order.
    fn disagreeing(&self, mut differ: impl FnMut(&K, &K) -> bool) -> Vec<(usize, usize)> {
        self.disagreeing_parts(
            |_| 1,
            |a, b, found| {
                if differ(a, b) {
                    found.push((0, 0));
                }
            },
        )
    }

    /// [`Distinct::disagreeing`] for values made of parts (a member's figures, compared
    /// together): a value has `parts(value)` of them, the items from an item's place on, and
    /// `differ(a, b, found)` pushes each pair (a part of `a`, a part of `b`) in disagreement.
    /// `differ(b, a)` must find the mirror of what `differ(a, b)` finds.
    fn disagreeing_parts(
        &self,
        parts: impl Fn(&K) -> usize,
        mut differ: impl FnMut(&K, &K, &mut Vec<(usize, usize)>),
    ) -> Vec<(usize, usize)> {
        let n = self.values.len();
        let sources: Vec<Sources> = self
            .items
            .iter()
            .map(|items| {
                let mut s = Sources::default();
                items.iter().for_each(|i| s.add(i.source));
                s
            })
            .collect();
        // The sources giving a value that disagrees with each part of each value.
        let mut against: Vec<Vec<Sources>> = self
            .values
            .iter()
            .map(|v| vec![Sources::default(); parts(v)])
            .collect();
        // Every part of a settled value has two sources against it, so whoever gives the value
        // disagrees with another source: comparing two settled values can add nothing.
        let mut settled = vec![false; n];
        let mut found = Vec::new();
        for a in 0..n {
            for b in a..n {
                if settled[a] && settled[b] {
                    continue;
                }
                found.clear();
                differ(&self.values[a], &self.values[b], &mut found);
                if found.is_empty() {
                    continue;
                }
                for &(pa, pb) in &found {
                    against[a][pa].extend(sources[b]);
                    against[b][pb].extend(sources[a]);
                }
                settled[a] = against[a].iter().all(Sources::several);
                settled[b] = against[b].iter().all(Sources::several);
            }
        }
        let mut out = Vec::new();
        for (items, against) in self.items.iter().zip(&against) {
            for item in items {
                for (part, sources) in against.iter().enumerate() {
                    if sources.other_than(item.source) {
                        out.push((item.member, item.at + part));
                    }
                }
            }
        }
        out
    }
}

/// A member's figures as a value to group by: equal when every field is, numbers bit for bit.
#[derive(Clone, Copy)]
struct Figures<'a>(&'a [slots::Quantity]);

impl Figures<'_> {
    fn fields(q: &slots::Quantity) -> (u64, u64, &str, &[String], &[String]) {
        (
            q.low.to_bits(),
            q.high.to_bits(),
            &q.text,
            &q.unit,
            &q.context,
        )
    }
}

impl PartialEq for Figures<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .zip(other.0)
                .all(|(a, b)| Figures::fields(a) == Figures::fields(b))
    }
}

impl Eq for Figures<'_> {}

impl std::hash::Hash for Figures<'_> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.0.len().hash(h);
        self.0.iter().for_each(|q| Figures::fields(q).hash(h));
    }
}

/// Two date sets, neither inside the other.
fn dates_differ(a: &[String], b: &[String]) -> bool {
    let inside = |x: &[String], y: &[String]| {
        x.iter()
            .all(|d| y.iter().any(|e| crate::claims::dates::same_day(d, e)))
    };
    !inside(a, b) && !inside(b, a)
}

/// Two members' figures that cannot both be true, as pairs of places (in `xs`, in `ys`): they
/// count the same thing, their ranges do not meet, and neither has a match on the other side.
/// (`comparable` and `compatible` do not depend on their order, a quantity's context being a
/// set, so neither does what this finds.)
fn figures_differ(xs: &[slots::Quantity], ys: &[slots::Quantity], found: &mut Vec<(usize, usize)>) {
    for (kx, x) in xs.iter().enumerate() {
        let same: Vec<_> = ys
            .iter()
            .enumerate()
            .filter(|(_, y)| x.comparable(y))
            .collect();
        if same.is_empty() || same.iter().any(|(_, y)| x.compatible(y)) {
            continue;
        }
        // And the other side's figure has no match here either.
        for (ky, y) in same {
            let back: Vec<_> = xs.iter().filter(|z| z.comparable(y)).collect();
            if !back.iter().any(|z| z.compatible(y)) {
                found.push((kx, ky));
            }
        }
    }
}

/// `bound` is a lower bound ("more than 100") and `exact` an exact figure of the same thing
/// well above it (140).
fn loose_bound(bound: &slots::Quantity, exact: &slots::Quantity) -> bool {
    let is_exact = exact.low == exact.high && exact.low.is_finite();
    bound.high.is_infinite()
        && is_exact
        && bound.comparable(exact)
        && bound.low > 0.0
        && exact.low >= LOOSE_BOUND * bound.low
}

/// Two full names of one person (same surname, another first name).
fn names_differ(a: &str, b: &str) -> bool {
    a.split(' ').count() >= 2 && b.split(' ').count() >= 2 && a != b
}

/// A place as compared: whether it is a base ("based in …"), the place and the sentence naming
/// it, both in lower case.
type Place<'a> = (bool, &'a str, &'a str);

/// Each side names a place the other neither names nor contains (a company's base is compared
/// with a base, a scene with a scene), nor spells out ("US" and "United States").
fn places_differ((bx, lx, tx): Place, (by, ly, ty): Place) -> bool {
    bx == by
        && !lx.contains(ly)
        && !ly.contains(lx)
        && !tx.contains(ly)
        && !ty.contains(lx)
        && !initials_of(lx, ly)
        && !initials_of(ly, lx)
}

/// `short` is the initials of `long`'s words, dots left out: "us" or "u.s." of "united states".
fn initials_of(short: &str, long: &str) -> bool {
    let short: String = short.chars().filter(|c| *c != '.').collect();
    let initials: String = long
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .collect();
    initials.chars().count() >= 2 && short == initials
}

/// Every way the mentions of one claim disagree; only mentions from different independent
/// sources are compared (a republished copy may differ in spelling, not in fact). Each slot's
/// distinct values are compared, not each pair of mentions (see [`Distinct`]).
fn conflicts(
    articles: &[Article],
    features: &[Features],
    group: &[usize],
    sources_of: &[usize],
) -> Vec<Conflict> {
    let source = |i: usize| sources_of[features[i].mention.article];
    // Members of one source (a claim of one sentence, most often) have nobody to disagree with.
    if group.windows(2).all(|w| source(w[0]) == source(w[1])) {
        return Vec::new();
    }
    let item = |member: usize, at: usize| Item {
        member,
        at,
        source: source(member),
    };
    // Each member's sentence in lower case, made once (places are looked for in it).
    let lower: HashMap<usize, String> = group
        .iter()
        .filter(|&&i| !features[i].places.is_empty())
        .map(|&i| {
            let m = features[i].mention;
            (
                i,
                articles[m.article].sentences[m.sentence]
                    .text
                    .to_lowercase(),
            )
        })
        .collect();
    // Each member's places, made once: whether it is a base ("based in …"), and the place in
    // lower case.
    let places: HashMap<usize, Vec<(bool, String)>> = group
        .iter()
        .filter(|&&i| !features[i].places.is_empty())
        .map(|&i| {
            let ps = features[i]
                .places
                .iter()
                .map(|p| match p.strip_prefix("based in ") {
                    Some(b) => (true, b.to_lowercase()),
                    None => (false, p.to_lowercase()),
                });
            (i, ps.collect())
        })
        .collect();
    let mut out: Vec<(String, Values)> = Vec::new();

    // Dates: two mentions whose date sets are not one inside the other.
    let mut d = Distinct::new();
    for &i in group.iter().filter(|&&i| !features[i].dates.is_empty()) {
        d.add(features[i].dates.as_slice(), item(i, 0));
    }
    let v = d.disagreeing(|a, b| dates_differ(a, b));
    let v = v
        .into_iter()
        .map(|(i, _)| (i, features[i].dates.join(" to ")));
    out.push(("date".into(), v.collect()));

    // Numbers: the same unit, ranges that cannot both be true (a member's figures are compared
    // together, each with the other side's).
    let mut d = Distinct::new();
    for &i in group
        .iter()
        .filter(|&&i| !features[i].quantities.is_empty())
    {
        d.add(Figures(&features[i].quantities), item(i, 0));
    }
    let v = d.disagreeing_parts(|f| f.0.len(), |a, b, found| figures_differ(a.0, b.0, found));
    let text = |(i, k): (usize, usize)| (i, features[i].quantities[k].text.clone());
    out.push(("number".into(), v.into_iter().map(text).collect()));

    // A lower bound ("more than 100") beside an exact figure well above it (140): both can
    // hold, but the reader should see how far apart they are. Only when no hard number
    // conflict is found for the claim.
    let mut soft = Values::new();
    if out.last().is_some_and(|(_, v)| v.is_empty()) {
        let mut d = Distinct::new();
        for &i in group {
            for (k, q) in features[i].quantities.iter().enumerate() {
                d.add(Figures(std::slice::from_ref(q)), item(i, k));
            }
        }
        let v =
            d.disagreeing(|a, b| loose_bound(&a.0[0], &b.0[0]) || loose_bound(&b.0[0], &a.0[0]));
        soft = v.into_iter().map(text).collect();
    }

    // A person's title, and a person's name (same surname, another first name): each person's
    // titles and names compared among themselves.
    let mut people: BTreeMap<&str, (Distinct<&str>, Distinct<&str>)> = BTreeMap::new();
    for &i in group {
        for (k, p) in features[i].people.iter().enumerate() {
            let (titles, names) = people
                .entry(p.person.as_str())
                .or_insert_with(|| (Distinct::new(), Distinct::new()));
            titles.add(p.title.as_str(), item(i, k));
            names.add(p.name.as_str(), item(i, k));
        }
    }
    let (mut titles, mut names) = (Values::new(), Values::new());
    for (t, n) in people.values() {
        for (i, k) in t.disagreeing(|a, b| slots::titles_differ(a, b)) {
            let p = &features[i].people[k];
            titles.push((i, format!("{} ({})", p.title, p.name)));
        }
        for (i, k) in n.disagreeing(|a, b| names_differ(a, b)) {
            names.push((i, features[i].people[k].name.clone()));
        }
    }
    out.push(("title".into(), titles));
    out.push(("name".into(), names));

    // Places: each side names a place the other neither names nor contains.
    let mut d: Distinct<Place> = Distinct::new();
    for &i in group {
        for (k, (base, place)) in places.get(&i).into_iter().flatten().enumerate() {
            d.add((*base, place, &lower[&i]), item(i, k));
        }
    }
    let v = d.disagreeing(|&a, &b| places_differ(a, b));
    let v = v
        .into_iter()
        .map(|(i, k)| (i, features[i].places[k].clone()));
    out.push(("place".into(), v.collect()));

    // Quotes: the same words reported with a different wording (each quote's words taken
    // once per wording; quotes of the same words are one value).
    let mut words: rustc_hash::FxHashMap<&str, QuoteWords> = Default::default();
    for &i in group {
        for q in &features[i].quotes {
            words
                .entry(q.norm.as_str())
                .or_insert_with(|| QuoteWords::new(&q.norm));
        }
    }
    let mut d = Distinct::new();
    for &i in group {
        for (k, q) in features[i].quotes.iter().enumerate() {
            d.add(&words[q.norm.as_str()], item(i, k));
        }
    }
    let v = d.disagreeing(|a, b| a.wording_differs(b) == Some(true));
    let quote = |(i, k): (usize, usize)| {
        let q = &features[i].quotes[k];
        (i, format!("\u{201c}{}\u{201d}", q.text))
    };
    out.push(("quote".into(), v.into_iter().map(quote).collect()));

    // Stance: one outlet says the fact was confirmed, another that it was denied.
    let mut d = Distinct::new();
    for &i in group {
        if let Some(s) = features[i].stance {
            d.add(s, item(i, 0));
        }
    }
    let v = d.disagreeing(|a, b| a != b);
    let v = v
        .into_iter()
        .map(|(i, _)| (i, features[i].stance.unwrap_or_default().to_string()));
    out.push(("stance".into(), v.collect()));

    gathered(articles, features, out, soft)
}

/// The conflicts of a claim from the values found in disagreement: each slot's, then the
/// loose bound beside a figure.
fn gathered(
    articles: &[Article],
    features: &[Features],
    hard: Vec<(String, Values)>,
    soft: Values,
) -> Vec<Conflict> {
    let mut found: Vec<Conflict> = hard
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(slot, v)| conflict(articles, features, slot, v, Strength::Hard))
        .collect();
    if !soft.is_empty() {
        found.push(conflict(
            articles,
            features,
            "number".into(),
            soft,
            Strength::Soft,
        ));
    }
    found
}

/// An exact figure this many times a lower bound makes the bound a loose one ("more than 40"
/// beside 47 is; "more than 40" beside 42 is not worth a flag).
const LOOSE_BOUND: f64 = 1.15;

/// Words of a quote, lower-case, punctuation dropped.
fn quote_words(q: &str) -> Vec<String> {
    crate::text::tokens::words(q)
}

/// The reference for [`QuoteWords::wording_differs`].
/// `Some(true)` when two quotes report the same words differently: they share a good part of
/// their content words (stop words left out: two different quotes share "the" and "we") but
/// neither is a part of the other.
#[cfg(test)]
fn quote_wording_differs(a: &str, b: &str) -> Option<bool> {
    let (wa, wb) = (quote_words(a), quote_words(b));
    let (ja, jb) = (wa.join(" "), wb.join(" "));
    if ja.contains(&jb) || jb.contains(&ja) {
        return Some(false);
    }
    let content = |w: &[String]| -> BTreeSet<String> {
        w.iter()
            .filter(|w| !crate::text::tokens::is_stop_word(w))
            .cloned()
            .collect()
    };
    let (mut sa, mut sb) = (content(&wa), content(&wb));
    if sa.len().min(sb.len()) < QUOTE_CONTENT_MIN {
        sa = wa.iter().cloned().collect();
        sb = wb.iter().cloned().collect();
    }
    let shared = sa.intersection(&sb).count() as f64;
    let smaller = sa.len().min(sb.len()).max(1) as f64;
    (shared > 0.0 && shared / smaller >= QUOTE_SHARED).then_some(true)
}

/// Two quotes are one quote reworded when they share this part of the smaller one's content
/// words (of all its words when either has fewer than [`QUOTE_CONTENT_MIN`] content words:
/// "we are doing everything we can" is mostly stop words).
const QUOTE_SHARED: f64 = 0.4;
const QUOTE_CONTENT_MIN: usize = 3;

/// A quote's words joined, and its content words as a set: what [`quote_wording_differs`]
/// compares.
#[derive(Clone, PartialEq, Eq, Hash)]
struct QuoteWords {
    joined: String,
    set: Vec<String>,
    content: Vec<String>,
}

impl QuoteWords {
    fn new(q: &str) -> QuoteWords {
        let words = quote_words(q);
        let joined = words.join(" ");
        let mut set = words;
        set.sort();
        set.dedup();
        let content = set
            .iter()
            .filter(|w| !crate::text::tokens::is_stop_word(w))
            .cloned()
            .collect();
        QuoteWords {
            joined,
            set,
            content,
        }
    }

    /// [`quote_wording_differs`] of the two quotes.
    fn wording_differs(&self, other: &QuoteWords) -> Option<bool> {
        let (ja, jb) = (&self.joined, &other.joined);
        if ja.contains(jb.as_str()) || jb.contains(ja.as_str()) {
            return Some(false);
        }
        let (mut sa, mut sb) = (&self.content, &other.content);
        if sa.len().min(sb.len()) < QUOTE_CONTENT_MIN {
            (sa, sb) = (&self.set, &other.set);
        }
        let shared = crate::claims::prepared::intersection(sa, sb) as f64;
        let smaller = sa.len().min(sb.len()).max(1) as f64;
        (shared > 0.0 && shared / smaller >= QUOTE_SHARED).then_some(true)
    }
}

fn conflict(
    articles: &[Article],
    features: &[Features],
    slot: String,
    v: Values,
    strength: Strength,
) -> Conflict {
    let mut by_value: BTreeMap<String, BTreeSet<Mention>> = BTreeMap::new();
    for (i, value) in v {
        by_value
            .entry(value)
            .or_default()
            .insert(features[i].mention);
    }
    let values = by_value
        .into_iter()
        .map(|(value, mentions)| {
            let slugs: BTreeSet<String> = mentions
                .iter()
                .map(|m| articles[m.article].slug.clone())
                .collect();
            ConflictValue {
                value,
                articles: slugs.into_iter().collect(),
                mentions: mentions.into_iter().collect(),
            }
        })
        .collect();
    Conflict {
        slot,
        values,
        strength,
    }
}

/// Independent sources: articles from one outlet, and near-duplicate articles (one republishing
/// the other), share a source number.
pub fn independent_sources(articles: &[Article]) -> Vec<usize> {
    let shingles: Vec<Vec<u64>> = articles.iter().map(shingles).collect();
    independent_sources_with(articles, &shingles)
}

/// [`independent_sources`] from each article's shingles (as [`shingles`] gives them), so a
/// caller that keeps them between rebuilds computes only the edited article's.
pub fn independent_sources_with<S: AsRef<[u64]>>(
    articles: &[Article],
    shingles: &[S],
) -> Vec<usize> {
    sources_from_pairs(articles, &near_duplicate_pairs(shingles))
}

/// Independent sources from the sorted pairs (i < j) of near-duplicate articles.
pub fn sources_from_pairs(articles: &[Article], near_duplicates: &[(usize, usize)]) -> Vec<usize> {
    let n = articles.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], x: usize) -> usize {
        let mut r = x;
        while p[r] != r {
            r = p[r];
        }
        let mut y = x;
        while p[y] != r {
            let next = p[y];
            p[y] = r;
            y = next;
        }
        r
    }
    let mut by_outlet: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, a) in articles.iter().enumerate() {
        if let Some(s) = a.meta.source.as_deref() {
            if let Some(&j) = by_outlet.get(s) {
                let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
                parent[ri] = rj;
            } else {
                by_outlet.insert(s, i);
            }
        }
    }
    // Joined in the order of the pairs (i, j), as a loop over all pairs would.
    for &(i, j) in near_duplicates {
        let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
        parent[ri] = rj;
    }
    (0..n).map(|i| find(&mut parent, i)).collect()
}

/// Every pair (i < j) of near-duplicate articles, sorted, without comparing all pairs: two
/// articles whose smaller shingle set A shares at least half of itself with B share one of A's
/// first |A| − ⌈|A|/2⌉ + 1 shingles, taken rarest first (prefix filtering). Those candidates
/// are then checked with [`near_duplicates_sorted`].
pub(crate) fn near_duplicate_pairs<S: AsRef<[u64]>>(shingles: &[S]) -> Vec<(usize, usize)> {
    use rustc_hash::FxHashMap;
    let shingles: Vec<&[u64]> = shingles.iter().map(AsRef::as_ref).collect();
    let mut index: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
    for (i, &s) in shingles.iter().enumerate() {
        if s.len() < NEAR_DUPLICATE_MIN {
            continue;
        }
        for &h in s {
            index.entry(h).or_default().push(i);
        }
    }
    let mut candidates: Vec<(usize, usize)> = Vec::new();
    let mut prefix: Vec<(usize, u64)> = Vec::new();
    for (i, &s) in shingles.iter().enumerate() {
        if s.len() < NEAR_DUPLICATE_MIN {
            continue;
        }
        prefix.clear();
        prefix.extend(s.iter().map(|h| (index[h].len(), *h)));
        prefix.sort_unstable();
        let need = s.len().div_ceil(2);
        for &(_, h) in &prefix[..s.len() - need + 1] {
            for &j in &index[&h] {
                // The pair is found from its smaller side (both sides, when equal).
                if j != i && shingles[j].len() >= s.len() {
                    candidates.push((i.min(j), i.max(j)));
                }
            }
        }
    }
    candidates.sort_unstable();
    candidates.dedup();
    candidates.retain(|&(i, j)| near_duplicates_sorted(shingles[i], shingles[j]));
    candidates
}

/// Hashed five-word shingles of an article's sentences, sorted and de-duplicated.
pub fn shingles(a: &Article) -> Vec<u64> {
    let words: Vec<String> = a
        .sentences
        .iter()
        .flat_map(|s| crate::text::tokens::words(&s.text))
        .collect();
    let mut out: Vec<u64> = words
        .windows(5)
        .map(|w| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            w.hash(&mut h);
            h.finish()
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Articles with fewer shingles than this are never near-duplicates.
pub const NEAR_DUPLICATE_MIN: usize = 20;

/// One article republishes the other: most of the shorter one's shingles are in the longer one.
pub fn near_duplicates(a: &BTreeSet<u64>, b: &BTreeSet<u64>) -> bool {
    let smaller = a.len().min(b.len());
    if smaller < NEAR_DUPLICATE_MIN {
        return false;
    }
    let shared = a.intersection(b).count();
    shared as f64 / smaller as f64 >= 0.5
}

/// [`near_duplicates`] over sorted, de-duplicated slices.
pub fn near_duplicates_sorted(a: &[u64], b: &[u64]) -> bool {
    let smaller = a.len().min(b.len());
    if smaller < NEAR_DUPLICATE_MIN {
        return false;
    }
    let shared = crate::claims::prepared::intersection(a, b);
    shared as f64 / smaller as f64 >= 0.5
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

/// Give a repeated id a `-2`, `-3`… suffix; returns each renamed claim's place and old id.
fn dedupe_ids(claims: &mut [Claim]) -> Vec<(usize, String)> {
    dedupe_ids_among(claims, 0..claims.len())
}

/// [`dedupe_ids`] over the claims at `among` (in order), which must hold every claim whose id
/// another claim holds.
fn dedupe_ids_among(
    claims: &mut [Claim],
    among: impl ExactSizeIterator<Item = usize>,
) -> Vec<(usize, String)> {
    // Which claims repeat an earlier id, and how many times it has been seen by then (ids are
    // looked at in place, not copied).
    let mut seen: rustc_hash::FxHashMap<&str, usize> =
        rustc_hash::FxHashMap::with_capacity_and_hasher(among.len(), Default::default());
    let repeats: Vec<(usize, usize)> = among
        .filter_map(|i| {
            let n = seen.entry(claims[i].id.as_str()).or_default();
            *n += 1;
            (*n > 1).then_some((i, *n))
        })
        .collect();
    drop(seen);
    repeats
        .into_iter()
        .map(|(i, n)| {
            let new = format!("{}-{}", claims[i].id, n);
            (i, std::mem::replace(&mut claims[i].id, new))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Disputes become groups judged on the date: only between independent sources, only when
    /// the dates disagree as a claim's would, linked disputes as one group.
    #[test]
    fn date_disputes_between_independent_sources_form_groups() {
        let f = crate::claims::matcher::tests::feats(&[
            "The plant will close on November 30, 2025.",
            "The plant will close on December 30, 2025.",
            "The plant will close on January 30, 2026.",
            "The depot will close on March 1, 2026.",
            "The depot will close on April 1, 2026.",
            "The plant will close on November 30 or December 30, 2025.",
        ]);
        // Articles 3 and 4 are one source (say, a republished wire story).
        let sources_of = [0, 1, 2, 3, 3, 5];
        let (mentions, whole) = units_read(&f);
        let none = Attributes {
            titles: Vec::new(),
            bases: Vec::new(),
            dates: Vec::new(),
            mentions,
            whole,
        };
        let got = none.with_disputes(&[(0, 1), (0, 5), (1, 2), (3, 4)], &f, &sources_of);
        // (0, 5): November 30 is one of the dates 5 gives, so they do not disagree.
        assert_eq!(got.dates, vec![vec![0, 1, 2]]);
    }

    #[test]
    fn repeated_ids_are_numbered_in_order_and_reported() {
        let claim = |id: &str| Claim {
            id: id.to_string(),
            text: String::new(),
            verdict: Verdict::SingleSource,
            sources: 1,
            mentions: Vec::new(),
            conflicts: Vec::new(),
            dates: Vec::new(),
            rule: String::new(),
        };
        let mut claims: Vec<Claim> = ["ca", "cb", "ca", "cc", "ca", "cb"]
            .into_iter()
            .map(claim)
            .collect();
        let renamed = dedupe_ids(&mut claims);
        let ids: Vec<&str> = claims.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["ca", "cb", "ca-2", "cc", "ca-3", "cb-2"]);
        assert_eq!(
            renamed,
            [
                (2, "ca".to_string()),
                (4, "ca".to_string()),
                (5, "cb".to_string())
            ]
        );
        let mut unique = vec![claim("cx"), claim("cy")];
        assert!(dedupe_ids(&mut unique).is_empty());
    }

    /// Every pair compared, as the engine did before prefix filtering.
    fn all_pairs(shingles: &[Vec<u64>]) -> Vec<(usize, usize)> {
        let sets: Vec<BTreeSet<u64>> = shingles
            .iter()
            .map(|s| s.iter().copied().collect())
            .collect();
        let mut out = Vec::new();
        for i in 0..sets.len() {
            for j in i + 1..sets.len() {
                if near_duplicates(&sets[i], &sets[j]) {
                    out.push((i, j));
                }
            }
        }
        out
    }

    proptest! {
        /// Prefix filtering finds exactly the near-duplicate pairs a comparison of all pairs
        /// finds (small universes, so sets overlap around the one-half line).
        #[test]
        fn prefix_filter_finds_every_near_duplicate(
            sets in prop::collection::vec(prop::collection::btree_set(0u64..60, 0..50), 0..12)
        ) {
            let shingles: Vec<Vec<u64>> = sets.into_iter().map(|s| s.into_iter().collect()).collect();
            prop_assert_eq!(near_duplicate_pairs(&shingles), all_pairs(&shingles));
        }
    }

    #[test]
    fn one_quote_reworded_differs_but_two_quotes_sharing_stop_words_do_not() {
        let differs = |a: &str, b: &str| QuoteWords::new(a).wording_differs(&QuoteWords::new(b));
        // The same statement, quoted in two wordings: a finding.
        assert_eq!(
            differs(
                "Nothing is more important to us than the health of the riders who use our buses",
                "The health of the riders who board our buses comes first"
            ),
            Some(true)
        );
        assert_eq!(
            differs("we are doing everything we can", "we're doing all we can"),
            Some(true)
        );
        // Two different things one speaker said share "the" and one word: not one quote.
        assert_eq!(
            differs(
                "close the depot by the spring",
                "The council wanted the right to inspect every ledger we keep in the depot"
            ),
            None
        );
        // A quote inside a longer one is the same wording.
        assert_eq!(
            differs("will not sign", "The union will not sign that agreement"),
            Some(false)
        );
    }

    #[test]
    fn quote_words_compare_as_the_reference() {
        let quotes = [
            "we are doing everything we can",
            "we're doing all we can",
            "doing everything we can",
            "the recall covers every model sold since 2019",
            "every model sold since 2019 is covered",
            "no comment",
            "",
        ];
        let mut differ = 0;
        for a in quotes {
            for b in quotes {
                let want = quote_wording_differs(a, b);
                assert_eq!(
                    QuoteWords::new(a).wording_differs(&QuoteWords::new(b)),
                    want
                );
                differ += usize::from(want == Some(true));
            }
        }
        assert!(differ > 0);
    }

    /// Every pair of members of different sources compared, item by item, as `conflicts` did
    /// before it compared distinct values.
    fn conflicts_pairwise(
        articles: &[Article],
        features: &[Features],
        group: &[usize],
        sources_of: &[usize],
    ) -> Vec<Conflict> {
        let src = |i: usize| sources_of[features[i].mention.article];
        let lower = |i: usize| {
            let m = features[i].mention;
            articles[m.article].sentences[m.sentence]
                .text
                .to_lowercase()
        };
        let place = |p: &str| match p.strip_prefix("based in ") {
            Some(b) => (true, b.to_lowercase()),
            None => (false, p.to_lowercase()),
        };
        let mut flagged: HashMap<&str, Values> = HashMap::new();
        let mut flag = |slot, i, value| flagged.entry(slot).or_default().push((i, value));
        for (x, &i) in group.iter().enumerate() {
            for &j in group[x + 1..].iter().filter(|&&j| src(j) != src(i)) {
                let (fi, fj) = (&features[i], &features[j]);
                if !fi.dates.is_empty()
                    && !fj.dates.is_empty()
                    && dates_differ(&fi.dates, &fj.dates)
                {
                    flag("date", i, fi.dates.join(" to "));
                    flag("date", j, fj.dates.join(" to "));
                }
                let mut found = Vec::new();
                figures_differ(&fi.quantities, &fj.quantities, &mut found);
                for (kx, ky) in found {
                    flag("number", i, fi.quantities[kx].text.clone());
                    flag("number", j, fj.quantities[ky].text.clone());
                }
                for (a, b) in [(i, j), (j, i)] {
                    for x in &features[a].quantities {
                        for y in features[b].quantities.iter().filter(|y| loose_bound(x, y)) {
                            flag("soft", a, x.text.clone());
                            flag("soft", b, y.text.clone());
                        }
                    }
                }
                for x in &fi.people {
                    for y in fj.people.iter().filter(|y| y.person == x.person) {
                        if slots::titles_differ(&x.title, &y.title) {
                            flag("title", i, format!("{} ({})", x.title, x.name));
                            flag("title", j, format!("{} ({})", y.title, y.name));
                        }
                        if names_differ(&x.name, &y.name) {
                            flag("name", i, x.name.clone());
                            flag("name", j, y.name.clone());
                        }
                    }
                }
                for x in &fi.places {
                    for y in &fj.places {
                        let ((bx, lx), (by, ly)) = (place(x), place(y));
                        if places_differ((bx, &lx, &lower(i)), (by, &ly, &lower(j))) {
                            flag("place", i, x.clone());
                            flag("place", j, y.clone());
                        }
                    }
                }
                for x in &fi.quotes {
                    for y in &fj.quotes {
                        if quote_wording_differs(&x.norm, &y.norm) == Some(true) {
                            flag("quote", i, format!("\u{201c}{}\u{201d}", x.text));
                            flag("quote", j, format!("\u{201c}{}\u{201d}", y.text));
                        }
                    }
                }
                if let (Some(x), Some(y)) = (fi.stance, fj.stance) {
                    if x != y {
                        flag("stance", i, x.to_string());
                        flag("stance", j, y.to_string());
                    }
                }
            }
        }
        let mut take = |slot| flagged.remove(slot).unwrap_or_default();
        let hard = [
            "date", "number", "title", "name", "place", "quote", "stance",
        ];
        let hard: Vec<(String, Values)> =
            hard.into_iter().map(|s| (s.to_string(), take(s))).collect();
        let soft = match hard[1].1.is_empty() {
            true => take("soft"),
            false => Values::new(),
        };
        gathered(articles, features, hard, soft)
    }

    /// Each article one sentence, its outlet as given: the articles, each one's features and
    /// their independent sources.
    fn corpus(said: &[(String, &str)]) -> (Vec<Article>, Vec<Features>, Vec<usize>) {
        let articles: Vec<Article> = said
            .iter()
            .enumerate()
            .map(|(a, (outlet, text))| Article {
                slug: format!("a{a}"),
                file: format!("a{a}.txt"),
                kind: crate::model::SourceKind::Txt,
                meta: crate::model::Meta {
                    source: Some(outlet.clone()),
                    ..Default::default()
                },
                blocks: Vec::new(),
                sentences: vec![crate::model::Sentence {
                    anchor: "s1".into(),
                    text: text.to_string(),
                    html: text.to_string(),
                    line: 1,
                }],
                removed: Vec::new(),
                raw: String::new(),
            })
            .collect();
        let features = articles
            .iter()
            .enumerate()
            .map(|(a, x)| {
                let m = Mention {
                    article: a,
                    sentence: 0,
                };
                crate::claims::extract::extract_sentence(m, &x.sentences[0].text)
            })
            .collect();
        let sources = independent_sources(&articles);
        (articles, features, sources)
    }

    /// Sentences that disagree with one another on every slot: dates, figures (and a loose
    /// bound beside a figure), titles, names, places, bases, quotes and stances.
    const SAID: [&str; 10] = [
        "Mayor Ana Ruiz said 40 people were moved in Columbus on March 3.",
        "Town Manager Ana Ruiz said 60 people were moved in Dayton on March 4.",
        "Mayor Maria Ruiz said more than 30 people were moved in Columbus.",
        "Mayor Ana Ruiz said 45 people were moved on March 3, 2024.",
        "Officials confirmed that \"we are doing everything we can\" for the families.",
        "Officials denied that \"we're doing all we can\" for the families.",
        "Corvane, based in Cleveland, said more than 100 jobs would go.",
        "Akron-based Corvane said 140 jobs would go.",
        "Ruiz said \"the recall covers every model sold since 2019\" in Columbus.",
        "Ruiz said \"every model sold since 2019 is covered\" in Toledo.",
    ];

    #[test]
    fn many_mentions_of_two_values_conflict_as_pairs_of_mentions_do() {
        // 40 mentions of two wordings, from 20 outlets, each outlet saying one of them (the
        // first five outlets write twice).
        let said: Vec<(String, &str)> = (0..40)
            .map(|k| (format!("Outlet {}", k % 20), SAID[k % 20 % 2]))
            .collect();
        let (articles, features, sources) = corpus(&said);
        let group: Vec<usize> = (0..features.len()).collect();
        let found = conflicts(&articles, &features, &group, &sources);
        assert_eq!(
            found,
            conflicts_pairwise(&articles, &features, &group, &sources)
        );
        let slots: Vec<&str> = found.iter().map(|c| c.slot.as_str()).collect();
        assert_eq!(slots, ["date", "number", "title", "place"]);
        // Who says what: the even outlets one date, the odd ones the other.
        let says: Vec<(&str, usize)> = found[0]
            .values
            .iter()
            .map(|v| (v.value.as_str(), v.mentions.len()))
            .collect();
        assert_eq!(says, [("03-03", 20), ("03-04", 20)]);
        assert!(found[0].values[0]
            .mentions
            .iter()
            .all(|m| m.article % 20 % 2 == 0));
        // The claim's verdict names the outlets behind each value.
        let claim = judge_one(&articles, &features, &group, &sources, None);
        assert_eq!(claim.verdict, Verdict::Conflicting);
        assert!(claim.rule.contains("Outlet 0 and Outlet 10 and Outlet 12"));
        // One source saying both is no disagreement; one source saying one of them is.
        for (wire, disagree) in [(40, false), (3, true)] {
            let said: Vec<(String, &str)> = (0..40)
                .map(|k| match k < wire {
                    true => ("Wire".to_string(), SAID[k % 2]),
                    false => (format!("Outlet {k}"), SAID[0]),
                })
                .collect();
            let (articles, features, sources) = corpus(&said);
            let found = conflicts(&articles, &features, &group, &sources);
            assert_eq!(
                found,
                conflicts_pairwise(&articles, &features, &group, &sources)
            );
            assert_eq!(!found.is_empty(), disagree);
        }
    }

    proptest! {
        /// Comparing distinct values finds what comparing every pair of mentions finds, on
        /// claims of a few outlets (so that values are given by one source or several).
        #[test]
        fn distinct_values_conflict_as_pairs_of_mentions_do(
            said in prop::collection::vec((0usize..4, 0..SAID.len()), 0..24)
        ) {
            let said: Vec<(String, &str)> =
                said.into_iter().map(|(o, s)| (format!("Outlet {o}"), SAID[s])).collect();
            let (articles, features, sources) = corpus(&said);
            let group: Vec<usize> = (0..features.len()).collect();
            prop_assert_eq!(
                conflicts(&articles, &features, &group, &sources),
                conflicts_pairwise(&articles, &features, &group, &sources)
            );
        }
    }

    #[test]
    fn a_republished_article_is_one_source_with_its_original() {
        let long: Vec<u64> = (0..40).collect();
        let copy: Vec<u64> = (10..45).collect(); // 30 of its 35 shingles are in `long`
        let other: Vec<u64> = (100..140).collect();
        let pairs = near_duplicate_pairs(&[long, other, copy]);
        assert_eq!(pairs, vec![(0, 2)]);
    }
}
