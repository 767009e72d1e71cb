//! The matcher's pair score, fast: everything [`matcher::score`] derives from one sentence alone
//! (its term, word, bigram, character 4-gram and entity sets, its joined text, its quotes' word
//! sets, the terms' IDF weights) is computed once per unit, as sorted integer vectors, so scoring
//! a pair is a few merges of sorted slices and allocates next to nothing.
//!
//! The value is bit for bit the one [`matcher::score`] gives (same measurements, the same f64
//! operations in the same order: a unit's terms are kept in string order and merged through a
//! rank per string, so the shared terms are summed in the order the `BTreeSet`s there visit
//! them). `score` stays the reference (and explains pairs for `briefing similar`); a test checks
//! that both agree on every pair.
//!
//! Units hold ids of an [`Interner`] whose ids never change while it lives, so `serve` keeps
//! each article's units between rebuilds; only the weights (which move with the IDF) are
//! computed again, once per string.

use crate::claims::extract::Features;
use crate::claims::matcher::{self, squash, Idf, Parts};
use crate::claims::{lexicon, wording};
use rustc_hash::FxHashMap;
use std::cmp::Ordering;

/// Strings by id, ids given in the order strings are first seen (stable while it lives, so
/// prepared units can be kept between rebuilds).
#[derive(Debug, Clone, Default)]
pub struct Interner {
    ids: FxHashMap<String, u32>,
    strings: Vec<String>,
    /// Per id: whether the string is a number (weighed as a slot, not as a word).
    number: Vec<bool>,
    /// The ids in string order and each id's place in it, for the first `order.len()` ids
    /// (brought up to date by [`Interner::order_strings`]).
    order: Vec<u32>,
    rank: Vec<u32>,
}

impl Interner {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.strings.len() as u32;
        self.ids.insert(s.to_string(), id);
        self.strings.push(s.to_string());
        self.number.push(matcher::is_number(s));
        id
    }

    /// Intern every string of the units' features.
    pub fn add(&mut self, features: &[Features]) {
        for f in features {
            for s in f.terms.iter().chain(&f.words).chain(&f.entities) {
                self.intern(s);
            }
            for q in &f.quotes {
                for w in crate::text::tokens::words(&q.text) {
                    self.intern(&w);
                }
            }
        }
    }

    /// Bring the string order up to date (needed before [`Prepared::new`], after the last
    /// [`Interner::add`]): the new strings are sorted and merged in (one pass over the old
    /// order, not a sort of every string).
    pub fn order_strings(&mut self) {
        if self.order.len() == self.strings.len() {
            return;
        }
        let strings = &self.strings;
        let mut new: Vec<u32> = (self.order.len() as u32..strings.len() as u32).collect();
        new.sort_unstable_by(|&x, &y| strings[x as usize].cmp(&strings[y as usize]));
        let old = std::mem::take(&mut self.order);
        let mut merged = Vec::with_capacity(strings.len());
        let (mut x, mut y) = (0, 0);
        while x < old.len() || y < new.len() {
            let take_old = match (old.get(x), new.get(y)) {
                (Some(&a), Some(&b)) => strings[a as usize] <= strings[b as usize],
                (Some(_), None) => true,
                _ => false,
            };
            if take_old {
                merged.push(old[x]);
                x += 1;
            } else {
                merged.push(new[y]);
                y += 1;
            }
        }
        self.rank = vec![0; strings.len()];
        for (r, &id) in merged.iter().enumerate() {
            self.rank[id as usize] = r as u32;
        }
        self.order = merged;
    }

    fn id(&self, s: &str) -> u32 {
        self.ids[s]
    }

    /// The number of strings (ids run from 0 to this).
    pub fn len(&self) -> usize {
        self.strings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }

    /// Units for features whose strings are all interned ([`Interner::add`]), in parallel.
    pub fn units(&self, features: &[Features]) -> Vec<Unit> {
        use rayon::prelude::*;
        features.par_iter().map(|f| Unit::new(f, self)).collect()
    }
}

/// One unit, prepared: what scoring needs of it, as ids of an [`Interner`].
#[derive(Debug, Clone, Default)]
pub struct Unit {
    /// Term ids in string order, de-duplicated.
    terms: Vec<u32>,
    /// The terms that are numbers (ids sorted).
    numbers: Vec<u32>,
    /// Word ids in order, and their set (ids sorted, de-duplicated).
    seq: Vec<u32>,
    words: Vec<u32>,
    /// For each of `words`: what kind of word it is (`wording::STOP`, `wording::NUMBER`).
    kinds: Vec<u8>,
    /// For each of `words`, the positions in `seq` where it stands, as bits (when `seq` has
    /// at most 128 words): the longest common subsequence is then bit-parallel.
    masks: Vec<u128>,
    /// Word bigrams (pairs of ids), sorted and de-duplicated.
    bigrams: Vec<u64>,
    /// Character 4-grams of the joined words, sorted and de-duplicated: four chars packed in
    /// 64 bits when all four are in the Basic Multilingual Plane, else in `wide_grams`.
    grams: Vec<u64>,
    wide_grams: Vec<u128>,
    /// Entity ids, sorted and de-duplicated.
    entities: Vec<u32>,
    /// The words joined by spaces.
    joined: String,
    /// Each quote's word set (ids, sorted and de-duplicated).
    quotes: Vec<Vec<u32>>,
    /// The terms that name the sentence's source (`Features::source`; ids, a handful).
    source: Vec<u32>,
    /// The terms then the entities, as listed (what candidate pairs are found by).
    keys: Vec<u32>,
    /// The words' tokens as the lexicon reads them.
    lex: lexicon::Tokens,
}

impl Unit {
    /// The unit's words as the wording measurements read them.
    fn wording(&self) -> wording::Words<'_> {
        wording::Words {
            seq: &self.seq,
            set: &self.words,
            kinds: &self.kinds,
            chars: self.joined.len(),
        }
    }
}

fn sorted(mut v: Vec<u32>) -> Vec<u32> {
    v.sort_unstable();
    v.dedup();
    v
}

impl Unit {
    pub fn new(f: &Features, interner: &Interner) -> Unit {
        let id = |s: &str| interner.id(s);
        let strings = &interner.strings;
        let mut terms: Vec<u32> = f.terms.iter().map(|t| id(t)).collect();
        terms.sort_unstable_by(|&x, &y| strings[x as usize].cmp(&strings[y as usize]));
        terms.dedup();
        let numbers = sorted(
            terms
                .iter()
                .copied()
                .filter(|&t| interner.number[t as usize])
                .collect(),
        );
        let seq: Vec<u32> = f.words.iter().map(|w| id(w)).collect();
        let words = sorted(seq.clone());
        let kinds = words
            .iter()
            .map(|&w| wording::kind(&strings[w as usize]))
            .collect();
        let masks = if seq.len() <= 128 {
            let mut m = vec![0u128; words.len()];
            for (p, w) in seq.iter().enumerate() {
                let k = words.binary_search(w).expect("a word of the unit");
                m[k] |= 1u128 << p;
            }
            m
        } else {
            Vec::new()
        };
        let mut bigrams: Vec<u64> = seq
            .windows(2)
            .map(|x| (u64::from(x[0]) << 32) | u64::from(x[1]))
            .collect();
        bigrams.sort_unstable();
        bigrams.dedup();
        let joined = f.words.join(" ");
        // Each window of four chars, packed (each window in exactly one of the two lists).
        let chars: Vec<u32> = joined.chars().map(u32::from).collect();
        let mut grams: Vec<u64> = Vec::with_capacity(chars.len());
        let mut wide_grams: Vec<u128> = Vec::new();
        for w in chars.windows(4) {
            if w.iter().all(|&c| c <= 0xFFFF) {
                grams.push(w.iter().fold(0u64, |acc, &c| (acc << 16) | u64::from(c)));
            } else {
                wide_grams.push(w.iter().fold(0u128, |acc, &c| (acc << 32) | u128::from(c)));
            }
        }
        grams.sort_unstable();
        grams.dedup();
        grams.shrink_to_fit();
        wide_grams.sort_unstable();
        wide_grams.dedup();
        let entities = sorted(f.entities.iter().map(|e| id(e)).collect());
        let quotes = f
            .quotes
            .iter()
            .map(|q| {
                let ws = crate::text::tokens::words(&q.text);
                sorted(ws.iter().map(|w| id(w)).collect())
            })
            .collect();
        let keys = f.terms.iter().chain(&f.entities).map(|t| id(t)).collect();
        // Only a term can be shared: source words that are no term are left out.
        let source = f
            .source
            .iter()
            .filter(|t| f.terms.binary_search(t).is_ok())
            .map(|t| id(t))
            .collect();
        Unit {
            terms,
            numbers,
            seq,
            words,
            kinds,
            masks,
            bigrams,
            grams,
            wide_grams,
            entities,
            joined,
            quotes,
            source,
            keys,
            lex: lexicon::Tokens::new(&f.words),
        }
    }
}

/// What is counted over a corpus's units, by string id: the terms' document frequencies over
/// whole sentences (unit 0) and the number of sentences (what the weights are made from), and
/// the lengths of the posting lists (what says which ids make candidate pairs). `serve` keeps
/// them up to date as articles come and go ([`TermCounts::add`], [`TermCounts::remove`])
/// instead of counting the corpus again.
#[derive(Debug, Default, Clone)]
pub struct TermCounts {
    df: Vec<usize>,
    sentences: usize,
    /// By id: how many times check-worthy units list it among their keys (the length of its
    /// posting list, see `matcher::candidates`).
    postings: Vec<usize>,
}

impl TermCounts {
    /// The counts of `units` (one per feature).
    pub fn of(features: &[Features], units: &[Unit]) -> TermCounts {
        let mut d = TermCounts::default();
        d.add(features, units);
        d
    }

    /// Count `units` in.
    pub fn add(&mut self, features: &[Features], units: &[Unit]) {
        for (f, u) in features.iter().zip(units) {
            if f.check_worthy {
                for &t in &u.keys {
                    let t = t as usize;
                    if t >= self.postings.len() {
                        self.postings.resize(t + 1, 0);
                    }
                    self.postings[t] += 1;
                }
            }
            if f.unit == 0 {
                self.sentences += 1;
                for &t in &u.terms {
                    let t = t as usize;
                    if t >= self.df.len() {
                        self.df.resize(t + 1, 0);
                    }
                    self.df[t] += 1;
                }
            }
        }
    }

    /// Count `units` out (they were counted in).
    pub fn remove(&mut self, features: &[Features], units: &[Unit]) {
        for (f, u) in features.iter().zip(units) {
            if f.check_worthy {
                for &t in &u.keys {
                    self.postings[t as usize] -= 1;
                }
            }
            if f.unit == 0 {
                self.sentences -= 1;
                for &t in &u.terms {
                    self.df[t as usize] -= 1;
                }
            }
        }
    }

    /// Whether both hold the same counts (ids past the end of one count 0).
    pub fn same_counts(&self, other: &TermCounts) -> bool {
        let same = |x: &[usize], y: &[usize]| {
            let at = |v: &[usize], t: usize| v.get(t).copied().unwrap_or(0);
            (0..x.len().max(y.len())).all(|t| at(x, t) == at(y, t))
        };
        self.sentences == other.sentences
            && same(&self.df, &other.df)
            && same(&self.postings, &other.postings)
    }

    /// How many times check-worthy units list id `t` among their keys.
    pub fn postings(&self, t: u32) -> usize {
        self.postings.get(t as usize).copied().unwrap_or(0)
    }
}

/// The prepared units of a corpus and the weights of their terms.
#[derive(Debug, Clone)]
pub struct Prepared<'a> {
    units: &'a [Unit],
    strings: &'a [String],
    /// Per id: its IDF weight as a term, and whether it is a number.
    weight: Vec<f64>,
    number: &'a [bool],
    /// Per id: its document frequency as a term (ids past the end: 0).
    df: std::borrow::Cow<'a, [usize]>,
    /// Per id: its place in string order.
    rank: &'a [u32],
    max_weight: f64,
}

impl<'a> Prepared<'a> {
    /// The units (one per feature, made by `interner`) with the IDF weights of their terms:
    /// [`Idf::new`]`(features)`'s, counted over the units' term ids instead of strings.
    pub fn new(interner: &'a Interner, features: &[Features], units: &'a [Unit]) -> Prepared<'a> {
        // As `Idf::new`: document frequencies over the whole sentences (unit 0).
        let TermCounts { df, sentences, .. } = TermCounts::of(features, units);
        Prepared::with_counts(interner, units, std::borrow::Cow::Owned(df), sentences)
    }

    /// [`Prepared::new`], with the units' document frequencies already counted.
    pub fn with_doc_freq(
        interner: &'a Interner,
        units: &'a [Unit],
        counts: &'a TermCounts,
    ) -> Prepared<'a> {
        let df = std::borrow::Cow::Borrowed(counts.df.as_slice());
        Prepared::with_counts(interner, units, df, counts.sentences)
    }

    fn with_counts(
        interner: &'a Interner,
        units: &'a [Unit],
        df: std::borrow::Cow<'a, [usize]>,
        n: usize,
    ) -> Prepared<'a> {
        let strings = interner.strings.as_slice();
        assert_eq!(
            interner.rank.len(),
            strings.len(),
            "Interner::order_strings must run after the last Interner::add"
        );
        let weight = (0..strings.len())
            .map(|t| Idf::weight_of(n, df.get(t).copied().unwrap_or(0)))
            .collect();
        Prepared {
            units,
            strings,
            weight,
            number: &interner.number,
            df,
            rank: &interner.rank,
            max_weight: Idf::max_weight_of(n),
        }
    }

    /// Terms of two units in the order of their strings.
    fn term_order(&self, x: u32, y: u32) -> Ordering {
        self.rank[x as usize].cmp(&self.rank[y as usize])
    }

    /// `matcher::score(&features[i], &features[j], idf).value`, fast.
    pub fn score(&self, features: &[Features], i: usize, j: usize) -> f64 {
        let (ua, ub) = (&self.units[i], &self.units[j]);
        let (a, b) = (&features[i], &features[j]);
        // Shared and lone terms, in string order; numbers are weighed as slots, not as words.
        // Each sum adds its terms in the order the reference's sums do, from the value an
        // empty `sum()` has, so the results are the same to the bit.
        let zero: f64 = std::iter::empty::<f64>().sum();
        let (mut s, mut oa, mut ob, mut rarest) = (zero, zero, zero, 0.0f64);
        let mut shared_terms = 0usize;
        // Shared content terms beyond those naming either side's source.
        let mut beyond_source = false;
        let (ta, tb) = (&ua.terms, &ub.terms);
        let (mut x, mut y) = (0, 0);
        let w = |t: u32| (!self.number[t as usize]).then(|| self.weight[t as usize]);
        while x < ta.len() || y < tb.len() {
            let ord = match (ta.get(x), tb.get(y)) {
                (Some(&p), Some(&q)) => self.term_order(p, q),
                (Some(_), None) => Ordering::Less,
                _ => Ordering::Greater,
            };
            match ord {
                Ordering::Equal => {
                    shared_terms += 1;
                    if let Some(v) = w(ta[x]) {
                        s += v;
                        rarest = rarest.max(v);
                        beyond_source = beyond_source
                            || !(ua.source.contains(&ta[x]) || ub.source.contains(&ta[x]));
                    }
                    x += 1;
                    y += 1;
                }
                Ordering::Less => {
                    if let Some(v) = w(ta[x]) {
                        oa += v;
                    }
                    x += 1;
                }
                Ordering::Greater => {
                    if let Some(v) = w(tb[y]) {
                        ob += v;
                    }
                    y += 1;
                }
            }
        }
        let (shared_date, same_qty) = (matcher::same_date(a, b), matcher::same_quantity(a, b));
        // No content word and no figure in common, or only the source's words: the score is
        // 0 whatever the rest measures.
        if (s == 0.0 || !beyond_source) && !(shared_date || same_qty) {
            return 0.0;
        }
        let mut p = Parts {
            shared_mass: squash(s, 6.0),
            rarest_shared: rarest / self.max_weight,
            ..Parts::default()
        };
        if s > 0.0 {
            p.dice = 2.0 * s / (2.0 * s + oa + ob);
            p.min_cover = (s / (s + oa)).min(s / (s + ob));
        }
        let shared_words = intersection(&ua.words, &ub.words);
        p.words = dice_count(shared_words, ua.words.len(), ub.words.len());
        p.words_min = shared_words as f64 / ua.words.len().max(ub.words.len()).max(1) as f64;
        p.bigrams = dice(&ua.bigrams, &ub.bigrams);
        let shared_numbers = intersection(&ua.numbers, &ub.numbers);
        let all = ua.numbers.len() + ub.numbers.len() - shared_numbers;
        p.plain_dice = dice_count(shared_terms, ta.len(), tb.len());
        if !ua.numbers.is_empty() && ua.numbers == ub.numbers {
            p.same_numbers = 1.0;
        }
        if all > 0 {
            p.lone_numbers = (all - shared_numbers) as f64 / all as f64;
        }
        if shared_date || same_qty {
            p.same_figure = 1.0;
        }
        let same_person = a
            .people
            .iter()
            .any(|x| b.people.iter().any(|y| x.person == y.person));
        let quote_overlap = ua.quotes.iter().any(|wx| {
            ub.quotes.iter().any(|wy| {
                let inter = intersection(wx, wy) as f64;
                inter / (wx.len().min(wy.len()).max(1) as f64) >= 0.5
            })
        });
        if same_person || quote_overlap {
            p.same_quote_or_person = 1.0;
        }
        let common = lcs_len(ua, ub);
        let longer = ua.seq.len().max(ub.seq.len()).max(1);
        p.lcs = common as f64 / longer as f64;
        p.indel = (ua.seq.len() + ub.seq.len() - 2 * common) as f64 / longer as f64;
        let shared_grams =
            intersection(&ua.grams, &ub.grams) + intersection(&ua.wide_grams, &ub.wide_grams);
        let (ga, gb) = (
            ua.grams.len() + ua.wide_grams.len(),
            ub.grams.len() + ub.wide_grams.len(),
        );
        p.chars = dice_count(shared_grams, ga, gb);
        p.chars_min = shared_grams as f64 / ga.max(gb).max(1) as f64;
        p.extra = squash(oa.max(ob), 8.0);
        p.extra_both = squash(oa.min(ob), 8.0);
        p.contained = shared_terms as f64 / ta.len().min(tb.len()).max(1) as f64;
        p.length_gap = squash(ua.seq.len().abs_diff(ub.seq.len()) as f64, 5.0);
        p.wording = wording::measure(ua.wording(), ub.wording());
        p.lexicon = lexicon::read(p.words, &ua.lex, &ub.lex);
        if a.negated != b.negated {
            p.negation = 1.0;
        }
        let lone = self.lone_names(ua, ub) + self.lone_names(ub, ua);
        p.lone_names = squash(lone as f64, 2.0);
        let (la, lb) = (ua.seq.len() as f64, ub.seq.len() as f64);
        if la.max(lb) > 0.0 {
            p.length_ratio = la.min(lb) / la.max(lb);
        }
        if matcher::pin_same_slot(a, b, p.dice) {
            p.pinned_slot = 1.0;
        }
        matcher::value(&p, s, s > 0.0 && !beyond_source)
    }

    /// Every id whose weight [`Prepared::score`] reads for unit `i` (its terms): a pair's score
    /// changes with the corpus only through these weights and [`Prepared::max_weight`].
    pub fn weighed(&self, i: usize) -> &[u32] {
        &self.units[i].terms
    }

    /// Whether id `t` is a number (its weight is never read: numbers compare as slots).
    pub fn is_number(&self, t: u32) -> bool {
        self.number[t as usize]
    }

    /// The weight of id `t` as a term.
    pub fn weight(&self, t: u32) -> f64 {
        self.weight[t as usize]
    }

    /// The weight of a term seen once (what the rarest shared term is measured against).
    pub fn max_weight(&self) -> f64 {
        self.max_weight
    }

    /// The number of distinct strings (ids run from 0 to this).
    pub fn vocabulary(&self) -> usize {
        self.strings.len()
    }

    /// The prepared units (one per feature).
    pub fn units(&self) -> &[Unit] {
        self.units
    }

    /// Unit `i`'s terms then entities, as ids, in the order the features list them.
    pub fn keys(&self, i: usize) -> &[u32] {
        &self.units[i].keys
    }

    /// The document frequency of the term with id `t` (as `Idf::df` of its string).
    pub fn df(&self, t: u32) -> usize {
        self.df.get(t as usize).copied().unwrap_or(0)
    }

    /// Entities of `a` that `b` neither has nor spells out in its words.
    fn lone_names(&self, a: &Unit, b: &Unit) -> usize {
        let mut y = 0;
        let mut n = 0;
        for &e in &a.entities {
            while y < b.entities.len() && b.entities[y] < e {
                y += 1;
            }
            if y < b.entities.len() && b.entities[y] == e {
                continue;
            }
            if !b.joined.contains(self.strings[e as usize].as_str()) {
                n += 1;
            }
        }
        n
    }
}

/// A fresh interner holding the features' strings, and their units.
pub fn prepare(features: &[Features]) -> (Interner, Vec<Unit>) {
    let mut interner = Interner::default();
    interner.add(features);
    interner.order_strings();
    let units = interner.units(features);
    (interner, units)
}

/// Size of the intersection of two sorted, de-duplicated slices.
/// How many items two sorted, de-duplicated slices share (one merge pass).
pub(crate) fn intersection<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut x, mut y, mut n) = (0, 0, 0);
    while x < a.len() && y < b.len() {
        match a[x].cmp(&b[y]) {
            Ordering::Less => x += 1,
            Ordering::Greater => y += 1,
            Ordering::Equal => {
                n += 1;
                x += 1;
                y += 1;
            }
        }
    }
    n
}

fn dice_count(shared: usize, la: usize, lb: usize) -> f64 {
    if la == 0 && lb == 0 {
        return 0.0;
    }
    2.0 * shared as f64 / (la + lb) as f64
}

/// Dice overlap of two sorted, de-duplicated slices (as `matcher`'s over sets).
fn dice<T: Ord>(a: &[T], b: &[T]) -> f64 {
    dice_count(intersection(a, b), a.len(), b.len())
}

/// Length of the longest common subsequence of two units' words: bit-parallel (Hyyrö 2004)
/// when the first has at most 128 words, else dynamic programming.
fn lcs_len(a: &Unit, b: &Unit) -> usize {
    let m = a.seq.len();
    if m == 0 || b.seq.is_empty() {
        return 0;
    }
    if m > 128 {
        return lcs(&a.seq, &b.seq);
    }
    let full = if m == 128 {
        u128::MAX
    } else {
        (1u128 << m) - 1
    };
    let mut v = full;
    for y in &b.seq {
        if let Ok(k) = a.words.binary_search(y) {
            let u = v & a.masks[k];
            v = (v.wrapping_add(u) | (v - u)) & full;
        }
    }
    m - v.count_ones() as usize
}

/// Longest common subsequence, two rows reused.
fn lcs(a: &[u32], b: &[u32]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for x in a {
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y {
                prev[j] + 1
            } else {
                cur[j].max(prev[j + 1])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::matcher::tests::feats;

    /// Sentences with every kind of slot the score looks at: figures, dates, ranges, quotes,
    /// titled people, entities and acronyms, clauses, stances, and near-paraphrases.
    const TEXTS: &[&str] = &[
        "The storm hit Texas on Monday, killing two people and damaging about 300 homes.",
        "Two people died when the storm struck Texas on Monday.",
        "At least 3 people were killed when the storm struck Texas on March 3, 2024.",
        "Officials said more than 40 homes were damaged in Harlow County.",
        "Officials said 47 homes were damaged in Harlow County on Tuesday.",
        "\"We are doing everything we can,\" said Town Manager Ana Ruiz.",
        "Town manager Ana Ruiz said: \"we're doing all we can\".",
        "Northwind Secure Mail (NSM) confirmed the breach affected 4,000 to 5,000 users.",
        "NSM denied that the breach affected users outside Europe.",
        "Shares of the bank rose 5% after its quarterly results on 12 May.",
        "The recall covers 1.2 million pressure cookers sold between 2019 and 2021.",
        "About 1.2 million cookers sold from 2019 to 2021 are being recalled, the company said.",
        "Lena Ortiz, the company's vice president of product safety, apologised.",
        "Ortiz, Corvane's director of communications, said the company apologised.",
        "Rain.",
        "",
        "Émile Zoë déjà vu: naïve café's crème brûlée costs €12.",
        "Émile Zoë said the café's crème brûlée costs €12 at 𠀀𠀁𠀂 today.",
        "The café at 𠀀𠀁𠀂 said it costs 12 today.",
        "The company did not recall the cookers sold in 2021.",
        "The company recalled the cookers sold in 2021, officials said.",
    ];

    #[test]
    fn prepared_scores_equal_the_reference_bit_for_bit() {
        let f = feats(TEXTS);
        // Both below and above the size where IDF weights start to count.
        for copies in [1, 3] {
            let many: Vec<Features> = (0..copies).flat_map(|_| f.iter().cloned()).collect();
            let idf = Idf::new(&many);
            let (interner, units) = prepare(&many);
            let prep = Prepared::new(&interner, &many, &units);
            // The weights counted over ids are the IDF's, to the bit.
            for (id, t) in interner.strings.iter().enumerate() {
                assert_eq!(
                    prep.weight(id as u32).to_bits(),
                    idf.weight(t).to_bits(),
                    "{t}"
                );
                assert_eq!(prep.df(id as u32), idf.df(t), "{t}");
            }
            assert_eq!(prep.max_weight().to_bits(), idf.max_weight().to_bits());
            let mut nonzero = 0;
            for i in 0..many.len() {
                for j in 0..many.len() {
                    let want = matcher::score(&many[i], &many[j], &idf).value;
                    let got = prep.score(&many, i, j);
                    assert_eq!(
                        want.to_bits(),
                        got.to_bits(),
                        "{:?} / {:?}",
                        TEXTS[i % TEXTS.len()],
                        TEXTS[j % TEXTS.len()]
                    );
                    nonzero += usize::from(want > 0.0);
                }
            }
            assert!(nonzero > many.len(), "the sentences must overlap");
        }
    }

    #[test]
    fn wording_over_interned_ids_equals_the_reference_over_strings() {
        let f = feats(TEXTS);
        let (_, units) = prepare(&f);
        for i in 0..f.len() {
            for j in 0..f.len() {
                let want = wording::measure_words(&f[i].words, &f[j].words);
                let got = wording::measure(units[i].wording(), units[j].wording());
                assert_eq!(format!("{want:?}"), format!("{got:?}"), "{i} {j}");
            }
        }
    }

    #[test]
    fn bit_parallel_lcs_equals_dynamic_programming() {
        let texts = [
            "the storm hit the town on monday and the storm hit again",
            "on monday the storm hit the town",
            "a b c a b c a b c",
            "c b a",
            "",
            &"word ".repeat(130),
            &"word other ".repeat(70),
            &"word other ".repeat(50),
            &"other word ".repeat(64),
            &"word other thing ".repeat(30),
        ];
        let f = feats(&texts);
        let (_, units) = prepare(&f);
        for (i, a) in units.iter().enumerate() {
            for (j, b) in units.iter().enumerate() {
                assert_eq!(lcs_len(a, b), lcs(&a.seq, &b.seq), "{i} {j}");
            }
        }
    }
}
