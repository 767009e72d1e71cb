//! Match stage: find check-worthy sentences of different articles that state the same claim.
//!
//! Candidates come from an inverted index over rare terms and entities (a pair is scored only
//! when the two sentences share a term that is not too common, so the cost grows with the number
//! of sentences, not its square). The score is a model of boosted trees (`forest`) over: an
//! IDF-weighted overlap of canonical terms (Snowball stems with news-verb synonyms folded), word,
//! character and order overlap, the rarest shared term, agreeing slots (the same date, number,
//! quote or person), containment of the shorter side in the longer, and penalties for content,
//! numbers or names only one side has, for the words an edit must drop (indel distance), for a
//! length gap and for a negation only one side makes. Clusters grow
//! by average link with a floor on the weakest link, so A~B and B~C never pull an unrelated C
//! into A's claim. A clause of a sentence that states several facts is matched on its own (see
//! `extract::clauses`), and after the merges a unit that links to a second claim as well as that
//! claim's members link to each other joins it too: one sentence, two facts, two claims.

use crate::claims::extract::Features;
use crate::claims::forest::Forest;
use crate::claims::lexicon;
use crate::claims::prepared::{self, Interner, Prepared, TermCounts, Unit};
use crate::claims::wording::{self, Wording};
use std::collections::BTreeSet;

/// Two sentences state the same claim at or above this similarity (the build and `similar`).
/// Above the even odds of 0.5: the model is fitted on MSRP and the stories together, and MSRP's
/// held-out accuracy is best near 0.55 (over three fold partitions 0.768 there, 0.763–0.767 at
/// 0.5) while the stories' clusters do not move from 0.5 to 0.55 (`eval/fit_model.py` prints
/// the curve).
pub const THRESHOLD: f64 = 0.55;

/// A sentence joins a cluster only if its weakest link to a member reaches this.
pub const FLOOR: f64 = 0.1;

/// Two clusters merge only if their average link reaches this (0.8 of the threshold when it
/// was 0.5; it stayed when the threshold rose).
pub const AVERAGE_LINK: f64 = 0.4;

/// The average link a unit needs to join a further claim after the merges (a sentence stating
/// a second fact): stricter than a merge's, since a joining adds one sentence to a claim that
/// already stands, on the strength of that sentence alone.
pub const JOIN_LINK: f64 = 0.55;

/// The average link a unit needs to join a further claim that already holds another sentence
/// of its own article (articles repeat their key facts, but a sentence of the same article on
/// the same topic is the commonest false joining).
pub const REPEAT_LINK: f64 = 0.8;

/// Two units that match at least this well but give different dates, and end up in no claim
/// together, are still compared on the date (see [`Clusters::disputes`]).
pub const DISPUTE_LINK: f64 = 0.8;

/// What clustering finds: the claims (units, sorted), and the date disputes.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Clusters {
    pub claims: Vec<Vec<usize>>,
    /// Pairs of units (i < j) of different articles that match strongly (score at least
    /// [`DISPUTE_LINK`]) and each pin a date, the two dates not the same, but that share no
    /// claim: the greedy clustering put each with other sentences first (a claim cannot hold
    /// two sentences of one article, and a joining needs a good link to every member). Two
    /// reports of one event that give it two dates are the disagreement a reader most needs to
    /// see, so the judge compares them on the date alone, as it does people's titles. Sorted.
    pub disputes: Vec<(usize, usize)>,
}

/// Average-link checks look at every pair of members, up to this many pairs. Past it (claims of
/// hundreds of mentions, as in large corpora), each side is checked through an evenly spaced
/// sample of at most [`LINK_SAMPLE`] members, so that one check costs a bounded number of scores
/// however large claims grow: checking every pair made clustering quadratic in a claim's size.
const LINK_PAIRS_MAX: usize = 256;

/// Members per side in a sampled average-link check.
const LINK_SAMPLE: usize = 16;

/// The members a check looks at: all of them when the check is small, else evenly spaced ones
/// (the same ones for the same claim, so the outcome is deterministic).
fn link_sample(xs: &[usize], sampled: bool) -> Vec<usize> {
    if !sampled || xs.len() <= LINK_SAMPLE {
        return xs.to_vec();
    }
    (0..LINK_SAMPLE)
        .map(|t| xs[t * xs.len() / LINK_SAMPLE])
        .collect()
}

/// Terms in more than this share of sentences do not generate candidates.
const MAX_DF_SHARE: f64 = 0.2;

/// Nor do terms in more than this many sentences: every posting list is short, so the number
/// of candidate pairs grows linearly with the corpus (at most terms × this², never n²).
const MAX_POSTINGS: usize = 64;

/// A count as IDF weights read it: exact below 128, else rounded down to its 7 leading bits
/// (within 1/64 of it). The weights barely move, but an edit that changes a common term's
/// count by one, or adds a sentence to a large corpus, seldom changes any weight at all, so
/// `serve` can reuse the scores of every pair whose terms kept their weights.
pub fn coarse(x: usize) -> usize {
    let bits = usize::BITS - x.leading_zeros();
    if bits <= 7 {
        return x;
    }
    let shift = bits - 7;
    (x >> shift) << shift
}

/// Document frequencies of terms over a set of sentences, for IDF weights.
#[derive(Debug, Clone, Default)]
pub struct Idf {
    df: rustc_hash::FxHashMap<String, usize>,
    n: usize,
}

impl Idf {
    pub fn new(features: &[Features]) -> Idf {
        let mut df: rustc_hash::FxHashMap<String, usize> = Default::default();
        let whole: Vec<&Features> = features.iter().filter(|f| f.unit == 0).collect();
        for f in &whole {
            for t in &f.terms {
                // Counted without copying the term when it is already there.
                match df.get_mut(t.as_str()) {
                    Some(d) => *d += 1,
                    None => {
                        df.insert(t.clone(), 1);
                    }
                }
            }
        }
        Idf { df, n: whole.len() }
    }

    /// Inverse document frequency; unseen terms weigh as the rarest. Below a few dozen
    /// sentences document frequencies mean nothing, and every term weighs the same.
    pub fn weight(&self, t: &str) -> f64 {
        Idf::weight_of(self.n, self.df.get(t).copied().unwrap_or(0))
    }

    /// The weight of a term in `df` of `n` sentences (both counts [`coarse`]).
    pub fn weight_of(n: usize, df: usize) -> f64 {
        if n < 30 {
            return 1.0;
        }
        let n = coarse(n.max(1)) as f64;
        ((n + 1.0) / (coarse(df) as f64 + 0.5)).ln().max(0.05)
    }

    /// The weight of a term seen once (the largest weight a shared term can have).
    pub fn max_weight(&self) -> f64 {
        Idf::max_weight_of(self.n)
    }

    /// [`Idf::max_weight`] over `n` sentences.
    pub fn max_weight_of(n: usize) -> f64 {
        if n < 30 {
            return 1.0;
        }
        ((coarse(n) as f64 + 1.0) / 1.5).ln()
    }

    pub fn df(&self, t: &str) -> usize {
        self.df.get(t).copied().unwrap_or(0)
    }
}

pub(crate) fn is_number(t: &str) -> bool {
    t.starts_with(|c: char| c.is_ascii_digit())
}

/// The score of a pair and what it rests on (for `briefing similar "A" "B"`).
#[derive(Debug, Clone, Default)]
pub struct Score {
    pub value: f64,
    /// IDF-weighted term overlap before slot adjustments.
    pub overlap: f64,
    pub parts: Parts,
    pub shared_terms: Vec<String>,
    pub only_a: Vec<String>,
    pub only_b: Vec<String>,
    /// Slot agreements (+) and disagreements (−), in words.
    pub slots: Vec<String>,
}

impl Score {
    pub fn same_claim(&self) -> bool {
        self.value >= THRESHOLD
    }
}

/// The measurements a pair's score combines (all in [0, 1] but the wording's counts of words
/// one side has alone).
#[derive(Debug, Clone, Copy, Default)]
pub struct Parts {
    /// IDF-weighted Dice overlap of the content terms (numbers left out).
    pub dice: f64,
    /// The smaller of the two sides' weighted coverage by shared terms: low when one sentence
    /// adds a fact the other lacks.
    pub min_cover: f64,
    /// Dice overlap of all words, stop words included.
    pub words: f64,
    /// Dice overlap of word bigrams (word order).
    pub bigrams: f64,
    /// Share of the numbers that only one side names.
    pub lone_numbers: f64,
    /// Both sides name the same number or date.
    pub same_figure: f64,
    /// Shorter over longer sentence length, in words.
    pub length_ratio: f64,
    /// Both quote the same words, or name the same titled person.
    pub same_quote_or_person: f64,
    /// Longest common word subsequence over the longer sentence's length.
    pub lcs: f64,
    /// Dice overlap of character 4-grams (catches spelling and morphology).
    pub chars: f64,
    /// Weighted content the longer side adds, squashed to [0, 1) (an extra fact).
    pub extra: f64,
    /// Capitalised names that only one side has, squashed to [0, 1).
    pub lone_names: f64,
    /// Unweighted Dice overlap of the content terms.
    pub plain_dice: f64,
    /// Both sides name numbers, and the same ones.
    pub same_numbers: f64,
    /// The weight of the shared content terms, squashed to [0, 1): two reports of one fact
    /// share its rare words however differently they are phrased around them.
    pub shared_mass: f64,
    /// The rarest shared content term's weight, relative to the rarest possible.
    pub rarest_shared: f64,
    /// Both pin the same slot (each names a date, or each counts the same thing), whatever the
    /// values: two reports of one fact, possibly disagreeing on it.
    pub pinned_slot: f64,
    /// Weighted content the shorter side adds, squashed to [0, 1): both sides add facts.
    pub extra_both: f64,
    /// Words either side must drop to leave their longest common subsequence, over the longer
    /// length (an edit distance without substitutions).
    pub indel: f64,
    /// Only one side negates what it states.
    pub negation: f64,
    /// Shared terms over the smaller side's terms: the shorter sentence is all in the longer.
    pub contained: f64,
    /// Shared character 4-grams over the larger side's.
    pub chars_min: f64,
    /// The difference of the two lengths in words, squashed to [0, 1).
    pub length_gap: f64,
    /// Shared distinct words over the larger side's distinct words.
    pub words_min: f64,
    /// Machine-translation-style measures of the wording: n-gram precisions and BLEU in both
    /// directions, word edit rate, words each side has alone (see [`wording`]).
    pub(crate) wording: Wording,
    /// The lexicon's reading of the words shared and the words alone ([`lexicon`]), in (0, 1).
    pub lexicon: f64,
}

/// The number of measurements in [`Parts`] (what the pair model reads).
const N_PARTS: usize = 48;

impl Parts {
    /// The parts' names, in the order of [`Parts::as_array`].
    pub const NAMES: [&'static str; N_PARTS] = [
        "dice",
        "min_cover",
        "words",
        "bigrams",
        "lone_numbers",
        "same_figure",
        "length_ratio",
        "same_quote_or_person",
        "lcs",
        "chars",
        "extra",
        "lone_names",
        "plain_dice",
        "same_numbers",
        "shared_mass",
        "rarest_shared",
        "pinned_slot",
        "extra_both",
        "indel",
        "negation",
        "contained",
        "chars_min",
        "length_gap",
        "words_min",
        "precision1_min",
        "precision1_max",
        "precision2_min",
        "precision2_max",
        "precision3_min",
        "precision3_max",
        "precision4_min",
        "precision4_max",
        "bleu_min",
        "bleu_max",
        "edits_longer",
        "edits_shorter",
        "only_min",
        "only_max",
        "only_both",
        "only_share",
        "only_content_min",
        "only_content_max",
        "only_content_share",
        "only_numbers",
        "only_numbers_min",
        "only_stop",
        "length_gap_chars",
        "lexicon",
    ];

    /// Each part's name, measurement and share of the logit (see [`Forest::explain`]), parts
    /// that moved it first; with the share every pair starts from. What a score rests on.
    pub fn contributions(&self) -> (f64, Vec<(&'static str, f64, f64)>) {
        let x = self.as_array();
        let (start, shares) = model().explain(&x);
        let mut out: Vec<(&'static str, f64, f64)> = Self::NAMES
            .iter()
            .zip(x)
            .zip(shares)
            .filter(|(_, c)| *c != 0.0)
            .map(|((n, x), c)| (*n, x, c + 0.0))
            .collect();
        out.sort_by(|a, b| b.2.abs().total_cmp(&a.2.abs()).then(a.0.cmp(b.0)));
        (start, out)
    }

    pub fn as_array(&self) -> [f64; N_PARTS] {
        let w = &self.wording;
        [
            self.dice,
            self.min_cover,
            self.words,
            self.bigrams,
            self.lone_numbers,
            self.same_figure,
            self.length_ratio,
            self.same_quote_or_person,
            self.lcs,
            self.chars,
            self.extra,
            self.lone_names,
            self.plain_dice,
            self.same_numbers,
            self.shared_mass,
            self.rarest_shared,
            self.pinned_slot,
            self.extra_both,
            self.indel,
            self.negation,
            self.contained,
            self.chars_min,
            self.length_gap,
            self.words_min,
            w.precision[0][0],
            w.precision[0][1],
            w.precision[1][0],
            w.precision[1][1],
            w.precision[2][0],
            w.precision[2][1],
            w.precision[3][0],
            w.precision[3][1],
            w.bleu[0],
            w.bleu[1],
            w.edits[0],
            w.edits[1],
            w.only[0],
            w.only[1],
            w.only[2],
            w.only[3],
            w.only_content[0],
            w.only_content[1],
            w.only_content[2],
            w.only_numbers[0],
            w.only_numbers[1],
            w.only_stop,
            w.length_gap_chars,
            self.lexicon,
        ]
    }
}

fn dice<T: Ord>(a: &BTreeSet<T>, b: &BTreeSet<T>) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    2.0 * a.intersection(b).count() as f64 / (a.len() + b.len()) as f64
}

fn lcs(a: &[String], b: &[String]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    for x in a {
        let mut cur = vec![0usize; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y {
                prev[j] + 1
            } else {
                cur[j].max(prev[j + 1])
            };
        }
        prev = cur;
    }
    prev[b.len()]
}

fn char_grams(words: &[String]) -> BTreeSet<String> {
    let text: Vec<char> = words.join(" ").chars().collect();
    text.windows(4).map(|w| w.iter().collect()).collect()
}

/// Two reports that pin the same slot (both give a date and share content, or both count the
/// same thing) are about the same fact even when the values differ: that is a conflict to
/// show, not two claims. `dice` is the pair's weighted term overlap.
pub fn pin_same_slot(a: &Features, b: &Features, dice: f64) -> bool {
    let aligned_dates = !a.dates.is_empty() && !b.dates.is_empty() && dice > 0.0;
    aligned_dates
        || a.quantities
            .iter()
            .any(|x| b.quantities.iter().any(|y| x.comparable(y)))
}

/// A count or mass squashed into [0, 1): half-way at `scale` × ln 2.
pub(crate) fn squash(x: f64, scale: f64) -> f64 {
    1.0 - (-x / scale).exp()
}

/// Whether two sentences name the same day.
pub(crate) fn same_date(a: &Features, b: &Features) -> bool {
    a.dates
        .iter()
        .any(|d| b.dates.iter().any(|e| crate::claims::dates::same_day(d, e)))
}

/// Whether two sentences give the same figure for the same thing.
pub(crate) fn same_quantity(a: &Features, b: &Features) -> bool {
    a.quantities.iter().any(|x| {
        b.quantities
            .iter()
            .any(|y| x.comparable(y) && x.low == y.low && x.high == y.high)
    })
}

/// How alike two sentences are, in [0, 1].
pub fn score(a: &Features, b: &Features, idf: &Idf) -> Score {
    let w = |t: &str| idf.weight(t);
    let sa: BTreeSet<&str> = a.terms.iter().map(String::as_str).collect();
    let sb: BTreeSet<&str> = b.terms.iter().map(String::as_str).collect();
    let shared: Vec<&str> = sa.intersection(&sb).copied().collect();
    let only_a: Vec<&str> = sa.difference(&sb).copied().collect();
    let only_b: Vec<&str> = sb.difference(&sa).copied().collect();
    // Numbers are weighed as slots, not as words.
    let sum = |v: &[&str]| {
        v.iter()
            .filter(|t| !is_number(t))
            .map(|t| w(t))
            .sum::<f64>()
    };
    let (s, oa, ob) = (sum(&shared), sum(&only_a), sum(&only_b));
    let mut p = Parts {
        shared_mass: squash(s, 6.0),
        rarest_shared: shared
            .iter()
            .filter(|t| !is_number(t))
            .map(|t| w(t))
            .fold(0.0, f64::max)
            / idf.max_weight(),
        ..Parts::default()
    };
    if s > 0.0 {
        p.dice = 2.0 * s / (2.0 * s + oa + ob);
        p.min_cover = (s / (s + oa)).min(s / (s + ob));
    }
    let wa: BTreeSet<&str> = a.words.iter().map(String::as_str).collect();
    let wb: BTreeSet<&str> = b.words.iter().map(String::as_str).collect();
    p.words = dice(&wa, &wb);
    let ba: BTreeSet<(&str, &str)> = a
        .words
        .windows(2)
        .map(|x| (x[0].as_str(), x[1].as_str()))
        .collect();
    let bb: BTreeSet<(&str, &str)> = b
        .words
        .windows(2)
        .map(|x| (x[0].as_str(), x[1].as_str()))
        .collect();
    p.bigrams = dice(&ba, &bb);
    let na: BTreeSet<&str> = sa.iter().copied().filter(|t| is_number(t)).collect();
    let nb: BTreeSet<&str> = sb.iter().copied().filter(|t| is_number(t)).collect();
    let all = na.union(&nb).count();
    p.plain_dice = dice(&sa, &sb);
    if !na.is_empty() && na == nb {
        p.same_numbers = 1.0;
    }
    if all > 0 {
        p.lone_numbers = na.symmetric_difference(&nb).count() as f64 / all as f64;
    }
    let mut notes = Vec::new();
    let (shared_date, same_qty) = (same_date(a, b), same_quantity(a, b));
    if shared_date {
        notes.push("+ same date".to_string());
    } else if !a.dates.is_empty() && !b.dates.is_empty() {
        notes.push(format!(
            "- dates differ: {} vs {}",
            a.dates.join(", "),
            b.dates.join(", ")
        ));
    }
    if same_qty {
        notes.push("+ same number".to_string());
    } else if a.quantities.iter().any(|x| {
        b.quantities
            .iter()
            .any(|y| x.comparable(y) && !x.compatible(y))
    }) {
        notes.push("- a number differs".to_string());
    }
    if shared_date || same_qty {
        p.same_figure = 1.0;
    }
    let same_person = a
        .people
        .iter()
        .any(|x| b.people.iter().any(|y| x.person == y.person));
    if same_person {
        notes.push("+ same person named".to_string());
    }
    let quote_overlap = a.quotes.iter().any(|x| {
        b.quotes.iter().any(|y| {
            let wx: BTreeSet<String> = crate::text::tokens::words(&x.text).into_iter().collect();
            let wy: BTreeSet<String> = crate::text::tokens::words(&y.text).into_iter().collect();
            let inter = wx.intersection(&wy).count() as f64;
            inter / (wx.len().min(wy.len()).max(1) as f64) >= 0.5
        })
    });
    if quote_overlap {
        notes.push("+ quotes overlap".to_string());
    }
    if same_person || quote_overlap {
        p.same_quote_or_person = 1.0;
    }
    if let (Some(x), Some(y)) = (a.stance, b.stance) {
        if x != y {
            notes.push(format!("- stance differs: {x} vs {y}"));
        }
    }
    let common = lcs(&a.words, &b.words);
    let longer = a.words.len().max(b.words.len()).max(1);
    p.lcs = common as f64 / longer as f64;
    p.indel = (a.words.len() + b.words.len() - 2 * common) as f64 / longer as f64;
    let (ga, gb) = (char_grams(&a.words), char_grams(&b.words));
    p.chars = dice(&ga, &gb);
    p.chars_min = ga.intersection(&gb).count() as f64 / ga.len().max(gb.len()).max(1) as f64;
    p.extra = squash(oa.max(ob), 8.0);
    p.extra_both = squash(oa.min(ob), 8.0);
    p.contained = sa.intersection(&sb).count() as f64 / sa.len().min(sb.len()).max(1) as f64;
    p.words_min = wa.intersection(&wb).count() as f64 / wa.len().max(wb.len()).max(1) as f64;
    p.length_gap = squash(a.words.len().abs_diff(b.words.len()) as f64, 5.0);
    p.wording = wording::measure_words(&a.words, &b.words);
    p.lexicon = lexicon::read(
        p.words,
        &lexicon::Tokens::new(&a.words),
        &lexicon::Tokens::new(&b.words),
    );
    if a.negated != b.negated {
        p.negation = 1.0;
        notes.push("- only one side negates".to_string());
    }
    let ea: BTreeSet<&str> = a.entities.iter().map(String::as_str).collect();
    let eb: BTreeSet<&str> = b.entities.iter().map(String::as_str).collect();
    let (ja, jb) = (a.words.join(" "), b.words.join(" "));
    let lone = ea.difference(&eb).filter(|e| !jb.contains(*e)).count()
        + eb.difference(&ea).filter(|e| !ja.contains(*e)).count();
    p.lone_names = squash(lone as f64, 2.0);
    let (la, lb) = (a.words.len() as f64, b.words.len() as f64);
    if la.max(lb) > 0.0 {
        p.length_ratio = la.min(lb) / la.max(lb);
    }
    if pin_same_slot(a, b, p.dice) {
        p.pinned_slot = 1.0;
        notes.push("+ both pin the same slot".to_string());
    }
    // Shared content terms that are not all in the sources each side names.
    let beyond_source = shared.iter().any(|t| {
        !is_number(t)
            && a.source.binary_search_by(|x| x.as_str().cmp(t)).is_err()
            && b.source.binary_search_by(|x| x.as_str().cmp(t)).is_err()
    });
    let only_source = s > 0.0 && !beyond_source;
    let value = value(&p, s, only_source);
    if s == 0.0 && p.same_figure == 0.0 {
        notes.push("- no content word in common".to_string());
    } else if only_source && p.same_figure == 0.0 {
        notes.push("- they share only who reports them".to_string());
    }
    Score {
        value,
        overlap: p.dice,
        parts: p,
        shared_terms: shared.iter().map(|s| s.to_string()).collect(),
        only_a: only_a.iter().map(|s| s.to_string()).collect(),
        only_b: only_b.iter().map(|s| s.to_string()).collect(),
        slots: notes,
    }
}

/// The pair model in use: the shipped one (`model.txt`, fitted by `eval/fit_model.py`), or
/// for tuning the model file named by `BRIEFING_MODEL`, read once (a file that cannot be read
/// is reported and the shipped model used).
fn model() -> &'static Forest {
    static MODEL: std::sync::OnceLock<Forest> = std::sync::OnceLock::new();
    MODEL.get_or_init(|| {
        crate::claims::tuning_file(
            "BRIEFING_MODEL",
            "model",
            || Forest::parse(include_str!("model.txt")).expect("the shipped model parses"),
            |bytes| {
                let text = std::str::from_utf8(bytes).map_err(|e| e.to_string())?;
                let f = Forest::parse(text).map_err(|e| e.to_string())?;
                match f.parts() {
                    N_PARTS => Ok(f),
                    n => Err(format!("it reads {n} parts, the matcher makes {N_PARTS}")),
                }
            },
        )
    })
}

/// A pair's score from its measurements, the weight `s` of its shared content terms, and
/// whether all those terms name who reports the fact (`only_source`).
pub(crate) fn value(p: &Parts, s: f64, only_source: bool) -> f64 {
    // Sentences that share no content word and no figure state different things, whatever
    // their length and shape (the fitted model never sees such pairs in training). So do two
    // that share only their source: "the weather service says showers will be light" and "the
    // weather service issued a warning" are two facts from one reporter.
    if (s == 0.0 || only_source) && p.same_figure == 0.0 {
        return 0.0;
    }
    let z = model().logit(&p.as_array());
    let value = 1.0 / (1.0 + (-z).exp());
    value.min(1.0)
}

/// The largest posting list (and document frequency) a term may have to generate candidates
/// among `n` units.
fn max_df(n: usize) -> usize {
    ((n as f64 * MAX_DF_SHARE).ceil() as usize).clamp(3, MAX_POSTINGS)
}

/// Posting lists by string id (a term and an entity spelt alike share one): the check-worthy
/// units listing it, once per listing, in order.
fn posting_lists(features: &[Features], prepared: &Prepared) -> Vec<Vec<usize>> {
    let mut index: Vec<Vec<usize>> = vec![Vec::new(); prepared.vocabulary()];
    for (i, _) in features.iter().enumerate().filter(|(_, f)| f.check_worthy) {
        for &t in prepared.keys(i) {
            index[t as usize].push(i);
        }
    }
    index
}

/// Per string id: whether it generates candidates (its list and its document frequency are
/// short enough).
fn usable_keys(index: &[Vec<usize>], prepared: &Prepared, max_df: usize) -> Vec<bool> {
    index
        .iter()
        .enumerate()
        .map(|(t, list)| list.len() <= max_df && prepared.df(t as u32) <= max_df)
        .collect()
}

/// Whether two units that share `k` listings of usable keys are a candidate pair: two shared
/// rare terms (one shared word is a coincidence more often than a claim), or one, when both
/// are short or both pin a date (a date can be the whole claim). Symmetric in `a` and `b`.
fn enough_shared(k: u32, a: &Features, b: &Features) -> bool {
    k >= 2 || a.terms.len().min(b.terms.len()) <= 3 || (!a.dates.is_empty() && !b.dates.is_empty())
}

/// Candidate pairs (i < j, different articles) sharing a rare term or entity, sorted.
fn candidates(features: &[Features], prepared: &Prepared) -> Vec<(usize, usize)> {
    let n = features.len();
    let index = posting_lists(features, prepared);
    let usable = usable_keys(&index, prepared, max_df(n));
    // How many rare terms each pair shares. Counted per unit against the later units of its
    // posting lists (a list holds its units in order), so the pairs come out sorted without
    // sorting them.
    let mut count = vec![0u32; n];
    let mut touched: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    for (i, a) in features.iter().enumerate().filter(|(_, f)| f.check_worthy) {
        for &t in prepared.keys(i) {
            if !usable[t as usize] {
                continue;
            }
            for &j in &index[t as usize] {
                if j > i && features[j].mention.article != a.mention.article {
                    if count[j] == 0 {
                        touched.push(j);
                    }
                    count[j] += 1;
                }
            }
        }
        touched.sort_unstable();
        for &j in &touched {
            let k = count[j];
            count[j] = 0;
            if enough_shared(k, a, &features[j]) {
                out.push((i, j));
            }
        }
        touched.clear();
    }
    out
}

/// Where each of the last call's units (by key, `then`) is now (`now`), if it is still there.
/// An edit changes a stretch of the corpus: the units before it and after it keep their keys
/// and their order, so only the stretch between is looked up by key (no two units of a corpus
/// share a key, so a key of that stretch can be nowhere else).
fn units_now(then: &[u64], now: &[u64]) -> Vec<Option<usize>> {
    let fits = then.len().min(now.len());
    let prefix = (0..fits).take_while(|&i| then[i] == now[i]).count();
    let suffix = (0..fits - prefix)
        .take_while(|&k| then[then.len() - 1 - k] == now[now.len() - 1 - k])
        .count();
    let (then_mid, now_mid) = (prefix..then.len() - suffix, prefix..now.len() - suffix);
    let found: rustc_hash::FxHashMap<u64, usize> = now_mid.clone().map(|i| (now[i], i)).collect();
    let shift = now.len() as isize - then.len() as isize;
    (0..then.len())
        .map(|i| {
            if i < prefix {
                Some(i)
            } else if then_mid.contains(&i) {
                found.get(&then[i]).copied()
            } else {
                Some((i as isize + shift) as usize)
            }
        })
        .collect()
}

/// What [`candidates_memo`] keeps between calls: the units' keys, the candidate pairs (as
/// indices into those keys) with their scores, and which string ids generated candidates.
/// Between calls only the pairs at or above the threshold are held (the clustering drops the
/// others when it is done: see the end of [`cluster_units_memo`]).
#[derive(Debug, Default)]
struct CandidateMemo {
    keys: Vec<u64>,
    pairs: Vec<(usize, usize)>,
    /// Each pair's score, beside it (set by the clustering that asked for the pairs; NaN for
    /// a pair not scored yet).
    scores: Vec<f64>,
    usable: Vec<bool>,
    max_df: usize,
    /// Each unit's slot, by index of `keys`: a number that stays with the unit while it is in
    /// the corpus (its index moves when units before it come or go). Never handed out twice.
    slots: Vec<u32>,
    next_slot: u32,
    /// Per id, the slots of the check-worthy units listing it: every unit's since the last full
    /// count, so the slots of units gone since are there too (dead: no unit holds them now)
    /// until the list is next read.
    postings: Vec<Vec<u32>>,
}

/// No unit holds this slot now.
const DEAD: u32 = u32::MAX;

/// [`candidates`], from the last call's pairs: a pair of two units that are unchanged (by
/// their keys) and list no key whose usability changed is a candidate exactly when it was one
/// (what a pair shares, and whether that is enough, depends on those alone); only the other
/// units' pairs are counted again, against every unit, and so are the pairs of the units not
/// marked `clean` (they read a weight that moved: their kept scores no longer hold). Only the
/// posting lists those units read are built. `memo` is left holding this call's pairs (its
/// scores are left as they were). A kept pair keeps its score beside it; a new one has NaN
/// there. Returned: the places of the new pairs, and, when the last call's pairs were kept
/// from, where each of its units is now (by key) and which units now had their pairs counted
/// again (new ones included). The pairs are left in `memo.pairs` (not copied out: there are
/// millions in a large corpus).
fn candidates_memo(
    features: &[Features],
    prepared: &Prepared,
    keys: &[u64],
    counts: Option<&TermCounts>,
    clean: &[bool],
    memo: &mut CandidateMemo,
) -> (Vec<usize>, Option<Moved>) {
    let n = features.len();
    let mut laps = crate::claims::Laps::new("    candidates");
    let max_df = max_df(n);
    let worthy = || features.iter().enumerate().filter(|(_, f)| f.check_worthy);
    // Each posting list's length (kept by the caller, or counted), then which ids generate
    // candidates.
    let counted: TermCounts;
    let counts = match counts {
        Some(c) => c,
        None => {
            counted = TermCounts::of(features, prepared.units());
            &counted
        }
    };
    let usable: Vec<bool> = (0..prepared.vocabulary() as u32)
        .map(|t| counts.postings(t) <= max_df && prepared.df(t) <= max_df)
        .collect();
    laps.lap("usable");
    let mut lists: rustc_hash::FxHashMap<u32, Vec<usize>> = Default::default();
    let mut affected = vec![true; n];
    // Each unit's slot now: kept from the last call where the unit is still there (by key),
    // new ones listed in the posting lists of the ids they list. Without a last call to keep
    // from, every unit is new and the lists are made afresh.
    let kept = memo.max_df == max_df && !memo.keys.is_empty();
    let moved = kept.then(|| units_now(&memo.keys, keys));
    let mut slots = vec![DEAD; n];
    if let Some(moved) = &moved {
        for (o, to) in moved.iter().enumerate() {
            if let Some(i) = *to {
                slots[i] = memo.slots[o];
            }
        }
    }
    // The lists are made afresh when most units are new (an acronym table that changed makes
    // every unit new), or when dead slots could outnumber the live ones: the dead ones are
    // dropped only from lists that are read.
    let new_units = slots.iter().filter(|&&s| s == DEAD).count();
    if !kept || new_units * 4 > n || memo.next_slot as usize > 2 * n + 1024 {
        slots.fill(DEAD);
        memo.postings.clear();
        memo.next_slot = 0;
    }
    memo.postings.resize(prepared.vocabulary(), Vec::new());
    for (i, slot) in slots.iter_mut().enumerate().filter(|(_, s)| **s == DEAD) {
        *slot = memo.next_slot;
        // (A unit that is not check-worthy lists nothing.)
        if features[i].check_worthy {
            for &t in prepared.keys(i) {
                memo.postings[t as usize].push(*slot);
            }
        }
        memo.next_slot += 1;
    }
    let mut index_of = vec![DEAD; memo.next_slot as usize];
    for (i, &slot) in slots.iter().enumerate() {
        index_of[slot as usize] = i as u32;
    }
    // The posting lists of the ids marked in `want`, added to `lists`: read from the kept
    // lists, in unit order, their dead slots dropped for good.
    let build = |want: &[bool],
                 lists: &mut rustc_hash::FxHashMap<u32, Vec<usize>>,
                 postings: &mut Vec<Vec<u32>>| {
        for (t, _) in want.iter().enumerate().filter(|(_, &w)| w) {
            let held = &mut postings[t];
            held.retain(|&s| index_of[s as usize] != DEAD);
            let mut list: Vec<usize> = held
                .iter()
                .map(|&s| index_of[s as usize] as usize)
                .collect();
            list.sort_unstable();
            lists.insert(t as u32, list);
        }
    };
    // The kept pairs and their scores (rewritten in place over the last call's, which are not
    // read again: a fresh vector of millions of pairs per edit cost more than the copying);
    // whether they are still in order.
    let mut out: Vec<(usize, usize)> = std::mem::take(&mut memo.pairs);
    let mut out_scores: Vec<f64> = std::mem::take(&mut memo.scores);
    out_scores.resize(out.len(), f64::NAN);
    let mut in_order = true;
    let mut moved_units = None;
    if let Some(moved) = moved {
        for &i in moved.iter().flatten() {
            affected[i] = !clean[i];
        }
        // Every unit listing an id whose usability changed (a string first seen since
        // generates no candidate among unchanged units).
        let changed: Vec<bool> = usable
            .iter()
            .enumerate()
            .map(|(t, &u)| memo.usable.get(t).is_some_and(|&was| was != u))
            .collect();
        if changed.iter().any(|&c| c) {
            build(&changed, &mut lists, &mut memo.postings);
            for list in lists.values() {
                for &i in list {
                    affected[i] = true;
                }
            }
        }
        // By the last call's unit index: its index now, when its pairs are kept (one compact
        // table read twice per pair of millions).
        const GONE: u32 = u32::MAX;
        let now: Vec<u32> = moved
            .iter()
            .map(|x| match *x {
                Some(x) if !affected[x] => x as u32,
                _ => GONE,
            })
            .collect();
        let mut kept = 0;
        for p in 0..out.len() {
            let (a, b) = out[p];
            let (x, y) = (now[a], now[b]);
            if x != GONE && y != GONE {
                let pair = (x.min(y) as usize, x.max(y) as usize);
                in_order &= kept == 0 || out[kept - 1] < pair;
                out[kept] = pair;
                out_scores[kept] = out_scores[p];
                kept += 1;
            }
        }
        out.truncate(kept);
        out_scores.truncate(kept);
        moved_units = Some(moved);
    } else {
        out.clear();
        out_scores.clear();
    }
    laps.lap("kept");
    // The lists the affected units read.
    let mut want = vec![false; prepared.vocabulary()];
    let mut wanted = false;
    for (i, _) in worthy().filter(|&(i, _)| affected[i]) {
        for &t in prepared.keys(i) {
            if usable[t as usize] && !lists.contains_key(&t) {
                want[t as usize] = true;
                wanted = true;
            }
        }
    }
    if wanted {
        build(&want, &mut lists, &mut memo.postings);
    }
    laps.lap("lists");
    // The kept pairs are in order (unchanged units keep their order, see below); the new
    // ones are sorted and merged in.
    let mut fresh: Vec<(usize, usize)> = Vec::new();
    let mut count = vec![0u32; n];
    let mut touched: Vec<usize> = Vec::new();
    for (i, a) in worthy().filter(|&(i, _)| affected[i]) {
        for &t in prepared.keys(i) {
            if !usable[t as usize] {
                continue;
            }
            for &j in &lists[&t] {
                if features[j].mention.article != a.mention.article {
                    if count[j] == 0 {
                        touched.push(j);
                    }
                    count[j] += 1;
                }
            }
        }
        for &j in &touched {
            let k = count[j];
            count[j] = 0;
            if enough_shared(k, a, &features[j]) {
                fresh.push((i.min(j), i.max(j)));
            }
        }
        touched.clear();
    }
    laps.lap("counted");
    fresh.sort_unstable();
    fresh.dedup();
    // Kept pairs stay in order, unless a content moved past another (a copy of an article
    // filed before it takes the keys the original had).
    if !in_order {
        let mut both: Vec<((usize, usize), u64)> = out
            .into_iter()
            .zip(out_scores.iter().map(|s| s.to_bits()))
            .collect();
        both.sort_unstable();
        out = both.iter().map(|b| b.0).collect();
        out_scores = both.iter().map(|b| f64::from_bits(b.1)).collect();
    }
    let fresh_at = merge_from_back(&mut out, &fresh, |x, y| x < y);
    spread(&mut out_scores, &fresh_at, f64::NAN);
    laps.lap("sorted");
    memo.keys = keys.to_vec();
    memo.slots = slots;
    memo.pairs = out;
    memo.scores = out_scores;
    memo.usable = usable;
    memo.max_df = max_df;
    laps.lap("memo");
    let moved = moved_units.map(|to| Moved { to, affected });
    (fresh_at, moved)
}

/// Where the last call's units went (see [`candidates_memo`]).
struct Moved {
    /// By the last call's unit index: its index now, if it is still there.
    to: Vec<Option<usize>>,
    /// By unit index now: whether its pairs were counted again.
    affected: Vec<bool>,
}

/// Decision bits kept per candidate pair (i, j): the merge at the pair took place; unit i
/// joined j's claim; unit j joined i's claim.
const MERGED: u8 = 1;
const JOINED_I: u8 = 2;
const JOINED_J: u8 = 4;

/// Which units' clustering decisions may be taken from the last clustering, or None when none
/// may. A merge or joining decision depends only on the two claims (or the unit and the claim)
/// as they stand, their members' scores and articles, and the order of the pairs. A unit is
/// dirty when it is new or its pairs were counted again (as they are when a weight it reads
/// moved): its pairs are decided afresh, and so is every pair of a claim holding it. The pairs
/// of the other units keep their scores, and their order as long as those units keep theirs
/// (else nothing is replayed).
fn dirty_units(moved: &Moved) -> Option<Vec<bool>> {
    let dirty = moved.affected.clone();
    let mut last = None;
    for i in moved.to.iter().flatten().filter(|&&i| !dirty[i]) {
        if last.is_some_and(|l| l >= *i) {
            return None;
        }
        last = Some(*i);
    }
    Some(dirty)
}

/// Where the last clustering merged or joined at a pair that is not replayed now (a unit of it
/// is dirty or gone): its score then, its units now (None: gone or dirty) and what it did.
/// Replayed at that score, before the pairs of the same score, it taints the claims of its
/// clean units: since that point the last clustering's claims held a unit whose decisions
/// change, and theirs may too.
struct Shadow {
    score: f64,
    units: [Option<usize>; 2],
    bits: u8,
}

/// The places of a clustering's walk to visit, in order. Without a last clustering to
/// replay: every place. Else the places `marked` (where the last clustering took a decision
/// that must be taken again) and, from the point a unit is activated on, every place of its
/// pairs (`steps[start[u]..start[u + 1]]`, in order), each once.
struct Visit<'a> {
    all: bool,
    len: usize,
    /// The next place, when visiting all.
    next_all: usize,
    marked: Vec<u32>,
    next_marked: usize,
    start: &'a [u32],
    steps: &'a [u32],
    /// Per activated unit, its next place: (place, its index in `steps`, the end of its list).
    heap: std::collections::BinaryHeap<std::cmp::Reverse<(u32, u32, u32)>>,
    /// The last place visited.
    last: Option<usize>,
}

/// What a walk does next (see [`Visit::next_event`]).
enum Event {
    /// Visit the pair at this place.
    Pair(usize),
    /// Replay this shadow, at this place.
    Shadow(usize, usize),
}

impl<'a> Visit<'a> {
    fn new(
        replaying: bool,
        len: usize,
        marked: Vec<u32>,
        start: &'a [u32],
        steps: &'a [u32],
    ) -> Self {
        Visit {
            all: !replaying,
            len,
            next_all: 0,
            marked,
            next_marked: 0,
            start,
            steps,
            heap: Default::default(),
            last: None,
        }
    }

    /// Visits unit `u`'s places from place `from` on.
    fn activate(&mut self, u: usize, from: usize) {
        if self.all {
            return;
        }
        let (a, b) = (self.start[u], self.start[u + 1]);
        let list = &self.steps[a as usize..b as usize];
        let p = a + list.partition_point(|&k| (k as usize) < from) as u32;
        if p < b {
            self.heap
                .push(std::cmp::Reverse((self.steps[p as usize], p, b)));
        }
    }

    /// The next place to visit.
    fn peek(&mut self) -> Option<usize> {
        if self.all {
            return (self.next_all < self.len).then_some(self.next_all);
        }
        // Drop places already visited (a pair is listed under both its units).
        while let Some(&std::cmp::Reverse((k, p, end))) = self.heap.peek() {
            if self.last.is_some_and(|l| k as usize <= l) {
                self.heap.pop();
                if p + 1 < end {
                    self.heap
                        .push(std::cmp::Reverse((self.steps[p as usize + 1], p + 1, end)));
                }
            } else {
                break;
            }
        }
        while self
            .marked
            .get(self.next_marked)
            .is_some_and(|&k| self.last.is_some_and(|l| k as usize <= l))
        {
            self.next_marked += 1;
        }
        let from_heap = self.heap.peek().map(|r| r.0 .0 as usize);
        let from_marked = self.marked.get(self.next_marked).map(|&k| k as usize);
        match (from_heap, from_marked) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, y) => x.or(y),
        }
    }

    /// The next thing to do, in the walk's order: visit a pair (its place), or replay shadow
    /// `next_shadow` (at its place, `shadow_at`), which comes before the pairs from its place on.
    fn next_event(&mut self, shadow_at: &[usize], next_shadow: &mut usize) -> Option<Event> {
        let next = self.peek();
        if let Some(&at) = shadow_at
            .get(*next_shadow)
            .filter(|&&at| next.is_none_or(|k| at <= k))
        {
            *next_shadow += 1;
            return Some(Event::Shadow(*next_shadow - 1, at));
        }
        let k = next?;
        self.take(k);
        Some(Event::Pair(k))
    }

    /// Takes place `k`, the one [`Visit::peek`] gave.
    fn take(&mut self, k: usize) {
        if self.all {
            self.next_all = k + 1;
        } else {
            self.last = Some(k);
        }
    }
}

/// The articles of a claim's members, as the clustering keeps them.
#[derive(Clone, Debug, Default)]
enum ClaimArticles {
    /// The claim is its first unit alone: that unit's article.
    #[default]
    Own,
    Set(rustc_hash::FxHashSet<usize>),
    /// Not kept (see `know` in the clustering).
    Unknown,
}

impl ClaimArticles {
    /// Whether claim `c` (by its first unit) has a member in `article`. Known articles only.
    fn holds(&self, c: usize, article: usize, features: &[Features]) -> bool {
        match self {
            ClaimArticles::Own => features[c].mention.article == article,
            ClaimArticles::Set(set) => set.contains(&article),
            ClaimArticles::Unknown => unreachable!("a claim's articles are known first"),
        }
    }

    /// Adds `article` to claim `c`'s articles (none when they are not kept).
    fn insert(&mut self, c: usize, article: usize, features: &[Features]) {
        match self {
            ClaimArticles::Own => {
                *self =
                    ClaimArticles::Set([features[c].mention.article, article].into_iter().collect())
            }
            ClaimArticles::Set(set) => {
                set.insert(article);
            }
            ClaimArticles::Unknown => {}
        }
    }
}

/// A pair of the clustering's walk: its score, its two units (i < j) and the decision bits
/// ([`MERGED`], [`JOINED_I`], [`JOINED_J`]) the last clustering took there.
type Step = (f64, u32, u32, u8);

/// Merges sorted `b` (no item of it in `a`) into sorted `a`, in place, where `before(x, y)`:
/// `x` goes before `y`. From the back, one stretch at a time: `a` holds millions of items and
/// `b` a few, so only the stretches after `b`'s places move. Returns those places, in order.
fn merge_from_back<T: Copy>(
    a: &mut Vec<T>,
    b: &[T],
    before: impl Fn(&T, &T) -> bool,
) -> Vec<usize> {
    let Some(&first) = b.first() else {
        return Vec::new();
    };
    let mut x = a.len();
    a.resize(x + b.len(), first);
    let mut places = vec![0; b.len()];
    for (y, item) in b.iter().enumerate().rev() {
        let from = a[..x].partition_point(|e| before(e, item));
        a.copy_within(from..x, from + y + 1);
        a[from + y] = *item;
        places[y] = from + y;
        x = from;
    }
    places
}

/// Moves `values`, which stood beside `a` before [`merge_from_back`] put new items at
/// `places`, as `a`'s items moved, with `fill` beside the new ones.
fn spread<T: Copy>(values: &mut Vec<T>, places: &[usize], fill: T) {
    let mut x = values.len();
    values.resize(x + places.len(), fill);
    for (y, &p) in places.iter().enumerate().rev() {
        values.copy_within(p - y..x, p + 1);
        values[p] = fill;
        x = p - y;
    }
}

/// A unit for the tuning dumps: its words, terms and entities (three tab-separated columns,
/// entities joined by `|`).
pub fn describe(f: &Features) -> String {
    format!(
        "{}\t{}\t{}",
        f.words.join(" "),
        f.terms.join(" "),
        f.entities.join("|")
    )
}

/// For tuning (`eval/fit_model.py`): every unit, then every cross-article pair of
/// check-worthy units with its score and measurements, to the file `path`. Quadratic, so only
/// when asked for; errors are reported and otherwise ignored (this never affects a build).
fn dump_pairs(features: &[Features], idf: &Idf, path: &std::path::Path) {
    use std::fmt::Write as _;
    let mut o = String::new();
    for (i, f) in features.iter().enumerate() {
        let _ = writeln!(
            o,
            "U\t{i}\t{}\t{}\t{}\t{}\t{}",
            f.mention.article,
            f.mention.sentence,
            f.unit,
            f.check_worthy,
            describe(f)
        );
    }
    let (interner, units) = prepared::prepare(features);
    let cands: BTreeSet<(usize, usize)> =
        candidates(features, &Prepared::new(&interner, features, &units))
            .into_iter()
            .collect();
    for (i, a) in features.iter().enumerate() {
        for (j, b) in features.iter().enumerate().skip(i + 1) {
            if a.mention.article == b.mention.article || !a.check_worthy || !b.check_worthy {
                continue;
            }
            let sc = score(a, b, idf);
            let parts: Vec<String> = sc
                .parts
                .as_array()
                .iter()
                .map(|x| format!("{x:.4}"))
                .collect();
            let _ = writeln!(
                o,
                "P\t{i}\t{j}\t{:.4}\t{}\t{}",
                sc.value,
                u8::from(cands.contains(&(i, j))),
                parts.join("\t")
            );
        }
    }
    if let Err(e) = std::fs::write(path, o) {
        eprintln!("warning: cannot write {}: {e}", path.display());
    }
}

/// Pair scores of an earlier clustering, kept by `serve` between rebuilds: by the two units'
/// content keys, with the term weights they were computed with. A pair is scored again only
/// when one of its units changed or a weight either unit reads changed (an edit moves the
/// document frequencies of the terms it adds or removes, and a change in the number of
/// sentences moves them all), so a reused score is the very score a fresh one would be.
#[derive(Debug, Default)]
pub struct PairMemo {
    /// Per interned id: the weight it had.
    weights: Vec<f64>,
    max_weight: f64,
    /// The scores of the pairs asked for that were not candidates (the candidates' are kept
    /// with them, in `candidates`).
    scores: rustc_hash::FxHashMap<(u64, u64), f64>,
    /// The scores sampled average-link checks read (kept apart: they are not counted as
    /// scored or reused, and only the last call's are kept, so they do not pile up).
    sampled: rustc_hash::FxHashMap<(u64, u64), f64>,
    candidates: CandidateMemo,
    /// The last clustering's walk: its pairs at or above the threshold, in the order taken,
    /// with what it decided at each.
    walk: Vec<Step>,
    /// Pairs scored, and pairs whose score was reused, by the last clustering.
    pub scored: usize,
    pub reused: usize,
    /// Merge and joining decisions the last clustering took from the one before (at the
    /// pairs it visited).
    pub replayed: usize,
    /// Pairs the last clustering's merges and joinings visited, and pairs they held (each
    /// counted once per walk): a replayed walk passes over the pairs where nothing changes.
    pub visited: usize,
    pub walked: usize,
}

impl PairMemo {
    /// Every score held (the candidate pairs' and the others'), by its pair's keys, as bits
    /// (sorted): for tests to compare.
    #[cfg(test)]
    pub(crate) fn bits(&self) -> Vec<((u64, u64), u64)> {
        let c = &self.candidates;
        let mut v: Vec<((u64, u64), u64)> =
            self.scores.iter().map(|(&k, s)| (k, s.to_bits())).collect();
        v.extend(
            c.pairs
                .iter()
                .zip(&c.scores)
                .map(|(&(i, j), s)| ((c.keys[i], c.keys[j]), s.to_bits())),
        );
        v.sort_unstable();
        v
    }
}

/// Clusters of feature indices (each at least two mentions from different articles).
pub fn cluster(features: &[Features]) -> Clusters {
    let (interner, units) = prepared::prepare(features);
    cluster_units(features, &interner, &units)
}

/// [`cluster`], with each feature's prepared unit (made by `interner`) given: `serve` keeps
/// them between rebuilds.
pub fn cluster_units(features: &[Features], interner: &Interner, units: &[Unit]) -> Clusters {
    cluster_units_memo(features, interner, units, None, None)
}

/// [`cluster_units`], reusing the scores `memo` holds for pairs whose inputs are unchanged;
/// `keys` gives each feature's content key (the same key for the same unit on every call).
/// The memo is left holding this clustering's scores. `counts`, when given, are the units'
/// counts ([`TermCounts::of`]), kept by the caller.
pub fn cluster_units_memo(
    features: &[Features],
    interner: &Interner,
    units: &[Unit],
    counts: Option<&TermCounts>,
    memo: Option<(&[u64], &mut PairMemo)>,
) -> Clusters {
    let n = features.len();
    let mut laps = crate::claims::Laps::new("  cluster");
    if let Some(path) = std::env::var_os("BRIEFING_DUMP_PAIRS") {
        dump_pairs(features, &Idf::new(features), std::path::Path::new(&path));
    }
    // Each pair's score is `score(..).value`, computed from per-unit data prepared once.
    let prepared = match counts {
        Some(counts) => Prepared::with_doc_freq(interner, units, counts),
        None => Prepared::new(interner, features, units),
    };
    // The units whose earlier scores still hold: every weight they read is the same.
    let (keys, mut memo) = match memo {
        Some((keys, memo)) => (Some(keys), Some(memo)),
        None => (None, None),
    };
    let mut old: Option<PairMemo> = memo.as_deref_mut().map(std::mem::take);
    let mut candidate_memo = old.as_mut().map(|m| std::mem::take(&mut m.candidates));
    // The last clustering's walk (its pairs at or above the threshold, in order, with what it
    // decided at each), by the last call's unit indices.
    let walk_then: Vec<Step> = old
        .as_mut()
        .map(|m| std::mem::take(&mut m.walk))
        .unwrap_or_default();
    let clean: Vec<bool> = match &old {
        Some(m) if m.max_weight.to_bits() == prepared.max_weight().to_bits() => {
            // The ids whose weight moved since, of those a score reads (not numbers': they
            // are compared as slots). An id first seen since is no moved weight: only units
            // made since list it (a unit's key names its content), and those are new to the
            // memo (no score of theirs is found under their keys, and they are dirty).
            let moved: Vec<bool> = m
                .weights
                .iter()
                .enumerate()
                .map(|(t, w)| {
                    !prepared.is_number(t as u32)
                        && w.to_bits() != prepared.weight(t as u32).to_bits()
                })
                .collect();
            if moved.contains(&true) {
                let reads_moved = |t: &u32| moved.get(*t as usize).copied().unwrap_or(false);
                (0..n)
                    .map(|i| !prepared.weighed(i).iter().any(reads_moved))
                    .collect()
            } else {
                // Most edits: no unit reads a moved weight, and none is looked at.
                vec![true; n]
            }
        }
        _ => vec![false; n],
    };
    let earlier = |i: usize, j: usize| -> Option<f64> {
        let (keys, m) = (keys?, old.as_ref()?);
        if !(clean[i] && clean[j]) {
            return None;
        }
        let key = (keys[i], keys[j]);
        m.scores.get(&key).or_else(|| m.sampled.get(&key)).copied()
    };
    laps.lap("prepare");
    // The candidate pairs, with their scores beside them: held by the memo when there is one
    // (the kept pairs keep their scores), and the places of the pairs to score now.
    let mut fresh_memo = CandidateMemo::default();
    let (fresh_at, moved) = match (keys, candidate_memo.as_mut()) {
        (Some(keys), Some(c)) => candidates_memo(features, &prepared, keys, counts, &clean, c),
        _ => {
            fresh_memo.pairs = candidates(features, &prepared);
            fresh_memo.scores = vec![f64::NAN; fresh_memo.pairs.len()];
            ((0..fresh_memo.pairs.len()).collect(), None)
        }
    };
    let c: &mut CandidateMemo = match (&mut candidate_memo, keys) {
        (Some(c), Some(_)) => c,
        _ => &mut fresh_memo,
    };
    // Which units are dirty: all of them, without a last clustering to replay.
    let replay = match &moved {
        // (When every unit is dirty nothing is replayed: the walk is made as a fresh one.)
        Some(moved) if !walk_then.is_empty() => {
            dirty_units(moved).filter(|dirty| dirty.contains(&false))
        }
        _ => None,
    };
    let replaying = replay.is_some();
    let dirty: Vec<bool> = replay.unwrap_or_else(|| vec![true; n]);
    laps.lap("candidates");
    // Each score, and whether it is an earlier one (counted for the serve line).
    let reuse = |i: usize, j: usize| match earlier(i, j) {
        Some(s) => (s, true),
        None => (prepared.score(features, i, j), false),
    };
    // The pairs to score: the new ones. A unit that reads a moved weight had its pairs counted
    // again (it is not `clean`), so every kept pair keeps its score, and its place in the walk too.
    let to_score: Vec<usize> = fresh_at;
    debug_assert!(c
        .pairs
        .iter()
        .zip(&c.scores)
        .all(|(&(i, j), s)| s.is_nan() || (clean[i] && clean[j])));
    let new_scores: Vec<(f64, bool)> = {
        use rayon::prelude::*;
        to_score
            .par_iter()
            .map(|&k| {
                let (i, j) = c.pairs[k];
                reuse(i, j)
            })
            .collect()
    };
    // The kept pairs' scores were reused as they are.
    let reused = std::cell::Cell::new(
        c.pairs.len() - to_score.len() + new_scores.iter().filter(|v| v.1).count(),
    );
    laps.lap("score");
    // The pairs at or above the threshold, strongest first (ties by their units): the last
    // walk's pairs of two clean units as they were (their scores and order hold), with the
    // pairs scored now merged in. The last decisions at pairs that are not replayed (a unit
    // is dirty or gone) are kept as shadows.
    for (&k, v) in to_score.iter().zip(&new_scores) {
        c.scores[k] = v.0;
    }
    let mut shadows: Vec<Shadow> = Vec::new();
    let order = |a: &Step, b: &Step| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2));
    let mut scored: Vec<Step>;
    if let (true, Some(moved)) = (replaying, &moved) {
        // (A pair with a dirty unit is scored again as a new pair: a unit that reads a moved
        // weight is dirty and has its pairs counted again, so no kept pair is scored again.
        // What the last clustering decided at such a pair is replayed as a shadow.)
        let mut kept: Vec<Step> = Vec::with_capacity(walk_then.len());
        // By the last call's unit index: its index now when it is clean (one compact table
        // read twice per pair of the walk).
        const DIRTY: u32 = u32::MAX;
        let clean_now: Vec<u32> = moved
            .to
            .iter()
            .map(|x| match *x {
                Some(x) if !dirty[x] => x as u32,
                _ => DIRTY,
            })
            .collect();
        for &(s, a, b, bits) in &walk_then {
            let (x, y) = (clean_now[a as usize], clean_now[b as usize]);
            if x != DIRTY && y != DIRTY {
                kept.push((s, x, y, bits));
                continue;
            }
            let (x, y) = (moved.to[a as usize], moved.to[b as usize]);
            if bits != 0 {
                let clean_unit = |u: Option<usize>| u.filter(|&u| !dirty[u]);
                shadows.push(Shadow {
                    score: s,
                    units: [clean_unit(x), clean_unit(y)],
                    bits,
                });
            }
        }
        let mut fresh: Vec<Step> = to_score
            .iter()
            .zip(&new_scores)
            .filter(|(_, v)| v.0 >= THRESHOLD)
            .map(|(&k, v)| {
                let (i, j) = c.pairs[k];
                (v.0, i as u32, j as u32, 0)
            })
            .collect();
        fresh.sort_unstable_by(order);
        merge_from_back(&mut kept, &fresh, |x, y| order(x, y).is_lt());
        scored = kept;
    } else {
        // Every candidate pair at or above the threshold (kept scores and new ones).
        scored = c
            .pairs
            .iter()
            .zip(&c.scores)
            .filter(|(_, &s)| s >= THRESHOLD)
            .map(|(&(i, j), &s)| (s, i as u32, j as u32, 0))
            .collect();
        // (i, j) is unique, so the order is total: an unstable sort, on both cores, gives the
        // stable one's.
        use rayon::slice::ParallelSliceMut;
        scored.par_sort_unstable_by(order);
    }
    shadows.sort_by(|a, b| b.score.total_cmp(&a.score));
    let c: &CandidateMemo = c;
    let cands: &[(usize, usize)] = &c.pairs;
    debug_assert!(cands.windows(2).all(|w| w[0] < w[1]));
    debug_assert!(c.scores.iter().all(|s| !s.is_nan()));
    // A candidate's score: the candidates are sorted by (i, j), so it is found by a search
    // in every 64th pair (a list small enough to stay in the cache), then in a block of 64
    // (no table of every pair to build per edit).
    const BLOCK: usize = 64;
    let every: Vec<(usize, usize)> = cands.iter().step_by(BLOCK).copied().collect();
    let candidate = |i: usize, j: usize| -> Option<f64> {
        let block = every.partition_point(|&p| p <= (i, j)).checked_sub(1)?;
        let from = block * BLOCK;
        let to = (from + BLOCK).min(cands.len());
        cands[from..to]
            .binary_search(&(i, j))
            .ok()
            .map(|k| c.scores[from + k])
    };
    laps.lap("table");
    // Pairs that are not candidates are scored when a merge first asks, then remembered:
    // average-link checks ask for the same pairs again at every later merge attempt. Sampled
    // checks are not remembered with them (their samples change as claims grow), but apart,
    // for the next rebuild only: an edit seldom changes the samples, and scoring them again
    // was most of the merges' time.
    // The scores remembered of pairs that are not candidates.
    let sims = std::cell::RefCell::new(rustc_hash::FxHashMap::<(usize, usize), f64>::default());
    let sampled = std::cell::RefCell::new(rustc_hash::FxHashMap::<(usize, usize), f64>::default());
    let sim = |i: usize, j: usize, remember: bool| -> f64 {
        let key = (i.min(j), i.max(j));
        if let Some(s) = candidate(key.0, key.1) {
            return s;
        }
        if let Some(s) = sims.borrow().get(&key) {
            return *s;
        }
        if !remember {
            if let Some(s) = sampled.borrow().get(&key) {
                return *s;
            }
        }
        let (s, was) = reuse(key.0, key.1);
        if remember {
            sims.borrow_mut().insert(key, s);
            reused.set(reused.get() + usize::from(was));
        } else {
            sampled.borrow_mut().insert(key, s);
        }
        s
    };
    // Two claims merge when no article is in both (checked for every member), no link is
    // below the floor and their average link is high enough (over every pair, or a sample).
    let links_ok = |xs: &[usize], ys: &[usize]| -> bool {
        let sampled = xs.len() * ys.len() > LINK_PAIRS_MAX;
        let (xs, ys) = (link_sample(xs, sampled), link_sample(ys, sampled));
        let mut total = 0.0;
        for &x in &xs {
            for &y in &ys {
                let s = sim(x, y, !sampled);
                if s < FLOOR {
                    return false;
                }
                total += s;
            }
        }
        total / (xs.len() * ys.len()) as f64 >= AVERAGE_LINK
    };

    // A second claim may hold another sentence of the unit's own article (articles repeat their
    // key facts); the unit must link to the other articles' members as a merge would.
    // `repeats`: whether the unit's article has a member in the claim already. When it has not,
    // every member is another article's, and the members are looked at as they are (a claim of
    // thousands of members is not copied for each unit that asks to join it).
    let joins_ok = |u: usize, ys: &[usize], repeats: bool| -> bool {
        let filtered: Vec<usize>;
        let others: &[usize] = if repeats {
            let mut kept = Vec::with_capacity(ys.len());
            for &y in ys {
                let (mu, my) = (features[u].mention, features[y].mention);
                if mu.article == my.article {
                    if mu.sentence == my.sentence {
                        return false;
                    }
                } else {
                    kept.push(y);
                }
            }
            filtered = kept;
            &filtered
        } else {
            ys
        };
        let sampled = others.len() > LINK_PAIRS_MAX;
        let others = link_sample(others, sampled);
        let mut total = 0.0;
        for &y in &others {
            let s = sim(u, y, !sampled);
            if s < FLOOR {
                return false;
            }
            total += s;
        }
        // Repeating an article takes a closer link.
        let need = if repeats { REPEAT_LINK } else { JOIN_LINK };
        !others.is_empty() && total / others.len() as f64 >= need
    };

    let mut cluster_of: Vec<usize> = (0..n).collect();
    // Each cluster's members; most units never merge, so a cluster that is still unit `a` alone
    // is an empty list here (see `members`), and needs no allocation.
    let mut clusters: Vec<Vec<usize>> = vec![Vec::new(); n];
    fn members<'a>(clusters: &'a [Vec<usize>], a: &'a usize) -> &'a [usize] {
        match clusters[*a].as_slice() {
            [] => std::slice::from_ref(a),
            m => m,
        }
    }
    // The articles of each cluster's members: two claims with an article in common never
    // merge. A replayed merge does not join the sets (most are never read again): the claim's
    // set is found from its members when it is next read (`know`).
    let mut articles_of: Vec<ClaimArticles> = vec![ClaimArticles::Own; n];
    type Articles = [ClaimArticles];
    let know = |articles_of: &mut Articles, c: usize, clusters: &[Vec<usize>]| {
        if let ClaimArticles::Unknown = articles_of[c] {
            articles_of[c] = ClaimArticles::Set(
                members(clusters, &c)
                    .iter()
                    .map(|&m| features[m].mention.article)
                    .collect(),
            );
        }
    };
    // Whether claims `a` and `b` merge: no article in both, and links good enough. Both
    // claims' articles must be known.
    let merges = |a: usize, b: usize, clusters: &[Vec<usize>], articles_of: &Articles| {
        use ClaimArticles::*;
        let shared = match (&articles_of[a], &articles_of[b]) {
            (Own, Own) => features[a].mention.article == features[b].mention.article,
            (Own, Set(set)) => set.contains(&features[a].mention.article),
            (Set(set), Own) => set.contains(&features[b].mention.article),
            (Set(x), Set(y)) => {
                let (small, large) = if x.len() <= y.len() { (x, y) } else { (y, x) };
                small.iter().any(|v| large.contains(v))
            }
            (Unknown, _) | (_, Unknown) => unreachable!("a claim's articles are known first"),
        };
        !shared && links_ok(members(clusters, &a), members(clusters, &b))
    };
    // What this clustering decided at each pair of the walk, for the next to replay.
    let mut decided = vec![0u8; scored.len()];
    // Per claim (by its first unit): whether it may differ from the claim the last clustering
    // had at the same pair. A claim is tainted when it holds a dirty unit, took a merge decided
    // afresh, missed one it took last time, or a shadow says the last clustering's claim held
    // a dirty unit by then. A claim that is not tainted holds the same units, in the same
    // order, as last time at this pair, so a pair of two untainted claims is decided as it
    // was then.
    let mut tainted = dirty.clone();
    // Each shadow's place in the walk: before the first pair not stronger than it.
    let shadow_at: Vec<usize> = shadows
        .iter()
        .map(|sh| scored.partition_point(|st| st.0 > sh.score))
        .collect();
    // Each unit's pairs in the walk (their places, in order), for the walks to visit from
    // the point where the unit's claim may decide differently. Only needed when replaying.
    let (steps_start, steps) = if replaying {
        let mut start = vec![0u32; n + 1];
        for &(_, i, j, _) in &scored {
            start[i as usize + 1] += 1;
            start[j as usize + 1] += 1;
        }
        for u in 0..n {
            start[u + 1] += start[u];
        }
        let mut fill = start.clone();
        let mut steps = vec![0u32; 2 * scored.len()];
        for (k, &(_, i, j, _)) in scored.iter().enumerate() {
            for u in [i as usize, j as usize] {
                steps[fill[u] as usize] = k as u32;
                fill[u] += 1;
            }
        }
        (start, steps)
    } else {
        (Vec::new(), Vec::new())
    };
    laps.lap("steps");
    // Taints claim `c` from walk place `from` on: its members' pairs are visited (in the
    // joinings, the units that joined it are listed too, which only visits a few more pairs).
    let taint = |c: usize,
                 from: usize,
                 tainted: &mut [bool],
                 clusters: &[Vec<usize>],
                 visit: &mut Visit| {
        if !tainted[c] {
            tainted[c] = true;
            for &m in members(clusters, &c) {
                visit.activate(m, from);
            }
        }
    };
    // The places of the walk where the last clustering took a decision of `bits`.
    let marked = |bits: u8| -> Vec<u32> {
        (0..scored.len() as u32)
            .filter(|&k| scored[k as usize].3 & bits != 0)
            .collect()
    };
    let mut replayed = 0usize;
    let mut visited = 0usize;
    // The merges. A pair is visited when the last clustering merged there (replayed while
    // both claims are untainted) or when a claim of it is tainted by then; at every other
    // pair both claims are as they were last time and did not merge, so nothing happens.
    {
        let mut visit = Visit::new(
            replaying,
            scored.len(),
            marked(MERGED),
            &steps_start,
            &steps,
        );
        for u in (0..n).filter(|&u| tainted[u]) {
            visit.activate(u, 0);
        }
        let mut next_shadow = 0;
        let mut checked = 0;
        // A claim's version counts the merges it took; two claims that failed to merge fail
        // again until one of them changes (every scored pair between them asks again), so the
        // failure is remembered with the versions it was found at.
        let mut version = vec![0u32; n];
        let mut failed: rustc_hash::FxHashMap<(usize, usize), (u32, u32)> = Default::default();
        // Test builds check every pair passed over: nothing would have happened there.
        #[cfg(debug_assertions)]
        let skipped = |to: usize,
                       checked: &mut usize,
                       tainted: &[bool],
                       cluster_of: &[usize],
                       clusters: &[Vec<usize>],
                       articles_of: &mut Articles| {
            for &(_, i, j, then) in &scored[*checked..to] {
                let (a, b) = (cluster_of[i as usize], cluster_of[j as usize]);
                if a != b {
                    know(articles_of, a, clusters);
                    know(articles_of, b, clusters);
                    assert!(
                        !tainted[a] && !tainted[b] && then & MERGED == 0,
                        "pair {i} {j} passed over"
                    );
                    assert!(
                        !merges(a, b, clusters, articles_of),
                        "pair {i} {j} passed over"
                    );
                }
            }
            *checked = (*checked).max(to);
        };
        while let Some(event) = visit.next_event(&shadow_at, &mut next_shadow) {
            let k = match event {
                Event::Pair(k) => k,
                Event::Shadow(sh, at) => {
                    #[cfg(debug_assertions)]
                    skipped(
                        at,
                        &mut checked,
                        &tainted,
                        &cluster_of,
                        &clusters,
                        &mut articles_of,
                    );
                    // A merge of the last clustering at a pair not replayed taints the claims
                    // of both its clean units.
                    let sh = &shadows[sh];
                    if sh.bits & MERGED != 0 {
                        for u in sh.units.into_iter().flatten() {
                            taint(cluster_of[u], at, &mut tainted, &clusters, &mut visit);
                        }
                    }
                    continue;
                }
            };
            visited += 1;
            #[cfg(debug_assertions)]
            skipped(
                k,
                &mut checked,
                &tainted,
                &cluster_of,
                &clusters,
                &mut articles_of,
            );
            checked = checked.max(k + 1);
            let (_, i, j, then) = scored[k];
            let (i, j) = (i as usize, j as usize);
            let (a, b) = (cluster_of[i], cluster_of[j]);
            if a == b {
                continue;
            }
            let replay = !tainted[a] && !tainted[b];
            let merge = if replay {
                replayed += 1;
                let merge = then & MERGED != 0;
                // Test builds check each replayed decision against the decision itself.
                #[cfg(debug_assertions)]
                {
                    know(&mut articles_of, a, &clusters);
                    know(&mut articles_of, b, &clusters);
                    assert_eq!(merge, merges(a, b, &clusters, &articles_of), "pair {i} {j}");
                }
                merge
            } else {
                know(&mut articles_of, a, &clusters);
                know(&mut articles_of, b, &clusters);
                let key = (a.min(b), a.max(b));
                let at = (version[key.0], version[key.1]);
                let merge = failed.get(&key) != Some(&at) && merges(a, b, &clusters, &articles_of);
                if !merge {
                    failed.insert(key, at);
                    // An untainted side that merged here last time is another claim from now on.
                    if then & MERGED != 0 {
                        taint(a, k + 1, &mut tainted, &clusters, &mut visit);
                        taint(b, k + 1, &mut tainted, &clusters, &mut visit);
                    }
                }
                merge
            };
            if !merge {
                continue;
            }
            decided[k] |= MERGED;
            // The merged claim is tainted when either was: the other's members are visited
            // from here on.
            if tainted[a] != tainted[b] {
                let fresh = if tainted[a] { b } else { a };
                for &m in members(&clusters, &fresh) {
                    visit.activate(m, k + 1);
                }
            }
            tainted[a] |= tainted[b];
            version[a] += 1;
            let moved = std::mem::take(&mut clusters[b]);
            if clusters[a].is_empty() {
                clusters[a].push(a);
            }
            if moved.is_empty() {
                cluster_of[b] = a;
                clusters[a].push(b);
            } else {
                for &m in &moved {
                    cluster_of[m] = a;
                }
                clusters[a].extend_from_slice(&moved);
            }
            let from = std::mem::take(&mut articles_of[b]);
            if replay {
                articles_of[a] = ClaimArticles::Unknown;
            } else {
                // Both known (a merge decided afresh read them). The larger set takes in the
                // smaller one.
                let set = |s: ClaimArticles, u: usize| match s {
                    ClaimArticles::Set(set) => set,
                    _ => std::iter::once(features[u].mention.article).collect(),
                };
                let mut into = set(std::mem::take(&mut articles_of[a]), a);
                let mut from = set(from, b);
                if from.len() > into.len() {
                    std::mem::swap(&mut from, &mut into);
                }
                into.extend(from);
                articles_of[a] = ClaimArticles::Set(into);
            }
        }
        #[cfg(debug_assertions)]
        skipped(
            scored.len(),
            &mut checked,
            &tainted,
            &cluster_of,
            &clusters,
            &mut articles_of,
        );
    }
    laps.lap("merges");
    // A sentence that states two facts belongs to two claims: after the merges, a unit also
    // joins another claim it links to as well as that claim's members link to each other
    // (the same test as a merge, against every member), without leaving its own.
    // Each joining is checked against the claim as it stands, earlier joinings included.
    // As with merges: a joining of a clean unit into an untainted claim is decided as last
    // time; a claim that takes a joining decided afresh, or misses one it took last time, is
    // tainted. A pair is visited when the last clustering joined there, when a unit of it is
    // dirty, or when a claim of it is tainted by then.
    let mut joined: rustc_hash::FxHashSet<(usize, usize)> = Default::default();
    {
        let mut visit = Visit::new(
            replaying,
            scored.len(),
            marked(JOINED_I | JOINED_J),
            &steps_start,
            &steps,
        );
        for u in (0..n).filter(|&u| dirty[u] || tainted[cluster_of[u]]) {
            visit.activate(u, 0);
        }
        // As with merges, a unit that failed to join a claim fails again until the claim
        // changes.
        let mut version = vec![0u32; n];
        let mut failed: rustc_hash::FxHashMap<(usize, usize), u32> = Default::default();
        let mut next_shadow = 0;
        let mut checked = 0;
        #[cfg(debug_assertions)]
        let skipped = |to: usize,
                       checked: &mut usize,
                       tainted: &[bool],
                       clusters: &[Vec<usize>],
                       joined: &rustc_hash::FxHashSet<(usize, usize)>,
                       articles_of: &mut Articles| {
            for &(_, i, j, then) in &scored[*checked..to] {
                let (i, j) = (i as usize, j as usize);
                for (u, v, bit) in [(i, j, JOINED_I), (j, i, JOINED_J)] {
                    let c = cluster_of[v];
                    if cluster_of[u] == c || joined.contains(&(c, u)) {
                        continue;
                    }
                    assert!(
                        !dirty[u] && !tainted[c] && then & bit == 0,
                        "pair {i} {j} passed over"
                    );
                    know(articles_of, c, clusters);
                    let repeats = articles_of[c].holds(c, features[u].mention.article, features);
                    assert!(
                        !joins_ok(u, members(clusters, &c), repeats),
                        "pair {i} {j} passed over"
                    );
                }
            }
            *checked = (*checked).max(to);
        };
        while let Some(event) = visit.next_event(&shadow_at, &mut next_shadow) {
            let k = match event {
                Event::Pair(k) => k,
                Event::Shadow(sh, at) => {
                    #[cfg(debug_assertions)]
                    skipped(
                        at,
                        &mut checked,
                        &tainted,
                        &clusters,
                        &joined,
                        &mut articles_of,
                    );
                    // A dirty or gone unit's joining taints the claim it joined (its
                    // partner's).
                    let sh = &shadows[sh];
                    if sh.bits & JOINED_I != 0 && sh.units[0].is_none() {
                        if let Some(u) = sh.units[1] {
                            taint(cluster_of[u], at, &mut tainted, &clusters, &mut visit);
                        }
                    }
                    if sh.bits & JOINED_J != 0 && sh.units[1].is_none() {
                        if let Some(u) = sh.units[0] {
                            taint(cluster_of[u], at, &mut tainted, &clusters, &mut visit);
                        }
                    }
                    continue;
                }
            };
            visited += 1;
            #[cfg(debug_assertions)]
            skipped(
                k,
                &mut checked,
                &tainted,
                &clusters,
                &joined,
                &mut articles_of,
            );
            checked = checked.max(k + 1);
            let (_, i, j, then) = scored[k];
            let (i, j) = (i as usize, j as usize);
            for (u, v, bit) in [(i, j, JOINED_I), (j, i, JOINED_J)] {
                let c = cluster_of[v];
                if cluster_of[u] == c || joined.contains(&(c, u)) {
                    continue;
                }
                let article = features[u].mention.article;
                let join = if !dirty[u] && !tainted[c] {
                    replayed += 1;
                    let join = then & bit != 0;
                    #[cfg(debug_assertions)]
                    {
                        know(&mut articles_of, c, &clusters);
                        let repeats = articles_of[c].holds(c, article, features);
                        assert_eq!(join, joins_ok(u, members(&clusters, &c), repeats));
                    }
                    join
                } else {
                    know(&mut articles_of, c, &clusters);
                    let repeats = || articles_of[c].holds(c, article, features);
                    let join = failed.get(&(c, u)) != Some(&version[c])
                        && joins_ok(u, members(&clusters, &c), repeats());
                    if !join {
                        failed.insert((c, u), version[c]);
                    }
                    if join || then & bit != 0 {
                        taint(c, k + 1, &mut tainted, &clusters, &mut visit);
                    }
                    join
                };
                if join {
                    decided[k] |= bit;
                    joined.insert((c, u));
                    version[c] += 1;
                    if clusters[c].is_empty() {
                        clusters[c].push(c);
                    }
                    clusters[c].push(u);
                    articles_of[c].insert(c, article, features);
                }
            }
        }
        #[cfg(debug_assertions)]
        skipped(
            scored.len(),
            &mut checked,
            &tainted,
            &clusters,
            &joined,
            &mut articles_of,
        );
    }
    laps.lap("joinings");
    // The disputes read the walk and where each unit ended; the claims are finished from
    // their members meanwhile, on the other core.
    let (disputes, claims) = rayon::join(
        || disputes(features, &scored, &cluster_of, &joined),
        || {
            let mut out: Vec<Vec<usize>> = clusters.into_iter().filter(|c| c.len() >= 2).collect();
            for c in &mut out {
                c.sort();
            }
            out.sort();
            drop_repeated_claims(features, out)
        },
    );
    laps.lap("disputes and claims");
    // What the next clustering may reuse: this one's scores and weights.
    if let (Some(keys), Some(m)) = (keys, memo) {
        let sims = sims.borrow();
        let reused = reused.get();
        m.scores = sims
            .iter()
            .map(|(&(i, j), &s)| ((keys[i], keys[j]), s))
            .collect();
        m.sampled = sampled
            .borrow()
            .iter()
            // (A candidate pair is never asked for here: its score is beside it.)
            .filter(|&(&(i, j), _)| !sims.contains_key(&(i, j)))
            .map(|(&(i, j), &s)| ((keys[i], keys[j]), s))
            .collect();
        m.reused = reused;
        m.replayed = replayed;
        m.visited = visited;
        m.walked = 2 * scored.len();
        m.scored = cands.len() + sims.len() - reused;
        m.weights = (0..prepared.vocabulary() as u32)
            .map(|t| prepared.weight(t))
            .collect();
        m.max_weight = prepared.max_weight();
        // Only the pairs of the walk keep their place among the candidates: a pair below the
        // threshold is read again only by a link check, which scores it as it scores a pair
        // that is no candidate (the same score; remembered with those by the units' keys). A
        // weaker pair's score stays put while both units do (a unit reading a moved weight has
        // its pairs counted and scored again), so it never enters a later walk unseen. Most
        // candidates are weaker: the edit's passes over the kept ones shrink with them.
        let mut kept = candidate_memo.unwrap_or_default();
        let mut strong = kept.scores.iter().map(|&s| s >= THRESHOLD);
        kept.pairs.retain(|_| strong.next() == Some(true));
        kept.scores.retain(|&s| s >= THRESHOLD);
        m.candidates = kept;
        // The walk with this clustering's decisions, for the next to replay.
        for (step, &d) in scored.iter_mut().zip(&decided) {
            step.3 = d;
        }
        m.walk = scored;
    }
    laps.lap("memo");
    Clusters { claims, disputes }
}

/// The strongly matched pairs that give different dates and whose sentences share no claim
/// (through any of their units: the whole sentence or a clause) (see
/// [`Clusters::disputes`]). `scored` holds the pairs at or above the threshold, strongest
/// first; after the merges unit `u` is in claim `cluster_of[u]`, and it joined claim `c` too
/// when `joined` holds `(c, u)`. Most strong pairs are in one claim, which is checked first:
/// it reads two numbers of a small table, where the dates are read from features spread over
/// memory (this runs on every rebuild).
fn disputes(
    features: &[Features],
    scored: &[Step],
    cluster_of: &[usize],
    joined: &rustc_hash::FxHashSet<(usize, usize)>,
) -> Vec<(usize, usize)> {
    let mut found: Vec<(usize, usize)> = scored
        .iter()
        .take_while(|p| p.0 >= DISPUTE_LINK)
        .map(|&(_, i, j, _)| (i as usize, j as usize))
        .filter(|&(i, j)| cluster_of[i] != cluster_of[j])
        .filter(|&(i, j)| {
            let (a, b) = (&features[i].dates, &features[j].dates);
            !a.is_empty() && !b.is_empty() && a != b
        })
        .map(|(i, j)| (i.min(j), i.max(j)))
        .filter(|&(i, j)| {
            !joined.contains(&(cluster_of[i], j)) && !joined.contains(&(cluster_of[j], i))
        })
        .collect();
    if found.is_empty() {
        return found;
    }
    // The two sentences share a claim through any of their units (the whole sentence or a
    // clause: a claim holding a clause of each shows both sentences and judges their dates),
    // each unit in its own claim or in one it joined.
    let units_of = |i: usize| {
        let m = features[i].mention;
        let first = (0..i)
            .rev()
            .take_while(|&k| features[k].mention == m)
            .last()
            .unwrap_or(i);
        let end = (i + 1..features.len())
            .find(|&k| features[k].mention != m)
            .unwrap_or(features.len());
        first..end
    };
    let mut claims_joined: rustc_hash::FxHashMap<usize, Vec<usize>> = Default::default();
    for &(i, j) in &found {
        for u in units_of(i).chain(units_of(j)) {
            claims_joined.entry(u).or_default();
        }
    }
    for &(c, u) in joined {
        if let Some(v) = claims_joined.get_mut(&u) {
            v.push(c);
        }
    }
    let claims_of = |i: usize| -> Vec<usize> {
        units_of(i)
            .flat_map(|u| std::iter::once(cluster_of[u]).chain(claims_joined[&u].iter().copied()))
            .collect()
    };
    found.retain(|&(i, j)| {
        let (x, y) = (claims_of(i), claims_of(j));
        !x.iter().any(|c| y.contains(c))
    });
    found.sort_unstable();
    found
}

/// Joinings can leave a claim whose sentences all belong to a larger claim too (the same
/// fact twice on the page): keep the larger one (the first, when they are the same).
///
/// Claims are taken larger first, ties in their sorted order, so the outcome does not depend
/// on luck; a claim is dropped when an earlier one holds all its sentences. (Whether that
/// earlier claim was itself dropped does not matter: it sits in a kept one still earlier,
/// which then holds this one's sentences too.) This runs on every rebuild, so it is made of
/// flat lists: the claims' sentence sets one after another, and which claims hold each
/// sentence that two or more claims hold, sorted (most sentences are in one claim: a claim
/// holding such a sentence repeats no other, and is kept without a look).
fn drop_repeated_claims(features: &[Features], clusters: Vec<Vec<usize>>) -> Vec<Vec<usize>> {
    // Each unit's sentence as its place among all sentences (articles in order, so places
    // sort as (article, sentence) do), from one pass in order over the features: the claims'
    // members, spread over the corpus, are then looked up in a compact list (at 10,000
    // articles 145,000 members; looking each up in its `Features` cost more than the rest).
    let articles = features.last().map_or(0, |f| f.mention.article + 1);
    let mut first = vec![0u32; articles + 1];
    let mentions: Vec<(u32, u32)> = features
        .iter()
        .map(|f| {
            let m = f.mention;
            first[m.article + 1] = first[m.article + 1].max(m.sentence as u32 + 1);
            (m.article as u32, m.sentence as u32)
        })
        .collect();
    for a in 0..articles {
        first[a + 1] += first[a];
    }
    let place: Vec<u32> = mentions
        .iter()
        .map(|&(a, s)| first[a as usize] + s)
        .collect();
    // Each claim's sentences, sorted and de-duplicated: `flat[start[k]..start[k + 1]]`.
    let mut flat: Vec<u32> = Vec::with_capacity(clusters.iter().map(Vec::len).sum());
    let mut start: Vec<usize> = Vec::with_capacity(clusters.len() + 1);
    start.push(0);
    for c in &clusters {
        let from = flat.len();
        flat.extend(c.iter().map(|&i| place[i]));
        flat[from..].sort_unstable();
        let mut end = from;
        for x in from..flat.len() {
            if end == from || flat[end - 1] != flat[x] {
                flat[end] = flat[x];
                end += 1;
            }
        }
        flat.truncate(end);
        start.push(end);
    }
    let set = |k: usize| &flat[start[k]..start[k + 1]];
    // Whether every item of sorted `a` is in sorted `b`.
    let subset = |a: &[u32], b: &[u32]| {
        let mut y = 0;
        a.len() <= b.len()
            && a.iter().all(|x| {
                while y < b.len() && b[y] < *x {
                    y += 1;
                }
                y < b.len() && b[y] == *x
            })
    };
    // Claim `o` is taken before claim `k`: larger first, ties in their order.
    let before = |o: usize, k: usize| {
        let (lo, lk) = (set(o).len(), set(k).len());
        lo > lk || (lo == lk && o < k)
    };
    // How many claims hold each sentence: a claim with a sentence no other claim holds
    // repeats none.
    let mut held = vec![0u32; first[articles] as usize];
    for &m in &flat {
        held[m as usize] += 1;
    }
    // Which claims hold each sentence that two or more hold, by sentence: the sentence's place
    // and the claim, packed in one word to sort.
    let mut holding: Vec<u64> = Vec::new();
    for k in 0..clusters.len() {
        holding.extend(
            set(k)
                .iter()
                .filter(|&&m| held[m as usize] > 1)
                .map(|&m| (u64::from(m) << 32) | k as u64),
        );
    }
    holding.sort_unstable();
    let keep: Vec<bool> = (0..clusters.len())
        .map(|k| {
            if set(k).iter().any(|&m| held[m as usize] < 2) {
                return true;
            }
            let first = u64::from(*set(k).first().expect("a claim has mentions"));
            let from = holding.partition_point(|&h| h >> 32 < first);
            !holding[from..]
                .iter()
                .take_while(|&&h| h >> 32 == first)
                .any(|&h| {
                    let o = (h & u64::from(u32::MAX)) as usize;
                    before(o, k) && subset(set(k), set(o))
                })
        })
        .collect();
    clusters
        .into_iter()
        .zip(keep)
        .filter_map(|(c, k)| k.then_some(c))
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn counts_weigh_exactly_when_small_and_within_a_64th_when_large() {
        for x in 0..128 {
            assert_eq!(coarse(x), x);
        }
        for x in [128, 129, 1000, 24_515, 24_516, 1 << 20, 3_000_001] {
            let c = coarse(x);
            assert!(c <= x && (x - c) * 64 <= x, "{x} -> {c}");
        }
        // One more sentence in a corpus of thousands seldom changes the weights.
        let same = (1000..2000).filter(|&n| coarse(n) == coarse(n + 1)).count();
        assert!(same > 900, "{same}");
    }
    use crate::claims::extract::extract_sentence;
    use crate::model::Mention;

    /// Each text as the one sentence of its own article.
    pub(crate) fn feats(texts: &[&str]) -> Vec<Features> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                extract_sentence(
                    Mention {
                        article: i,
                        sentence: 0,
                    },
                    t,
                )
            })
            .collect()
    }

    /// The last call's units are found where they are now, whether the edit adds, removes or
    /// moves units, as a look-up of every key finds them.
    #[test]
    fn units_are_found_where_they_are_now() {
        let by_map = |then: &[u64], now: &[u64]| -> Vec<Option<usize>> {
            let at: HashMap<u64, usize> = now.iter().enumerate().map(|(i, &k)| (k, i)).collect();
            then.iter().map(|k| at.get(k).copied()).collect()
        };
        let then = [1, 2, 3, 4, 5, 6, 7, 8];
        for now in [
            vec![1, 2, 3, 4, 5, 6, 7, 8],
            vec![1, 2, 3, 9, 4, 5, 6, 7, 8],
            vec![1, 2, 9, 10, 5, 6, 7, 8],
            vec![1, 2, 5, 6, 7, 8],
            vec![1, 2, 6, 5, 3, 4, 7, 8],
            vec![9, 1, 2, 3, 4, 5, 6, 7, 8, 10],
            vec![8, 7, 6, 5, 4, 3, 2, 1],
            vec![],
            vec![11, 12],
        ] {
            assert_eq!(units_now(&then, &now), by_map(&then, &now), "{now:?}");
        }
        assert!(units_now(&[], &[1, 2]).is_empty());
    }

    /// A claim whose sentences all sit in a larger claim (or an equal one listed before it) is
    /// dropped; a claim sharing only some of them stays. Units are clauses too: two units of
    /// one sentence are one sentence.
    #[test]
    fn claims_repeating_a_larger_one_are_dropped() {
        // Unit u is article u / 2's sentence 0 when u is even, and a clause of it when odd.
        let mut f = feats(&["x"; 12]);
        for (u, x) in f.iter_mut().enumerate() {
            x.mention = Mention {
                article: u / 2,
                sentence: 0,
            };
            x.unit = u % 2;
        }
        let claims = vec![
            vec![0, 2],    // articles 0, 1: inside the next one (through a clause)
            vec![1, 2, 4], // articles 0, 1, 2
            vec![4, 6],    // articles 2, 3: not all inside any other
            vec![6, 8],    // articles 3, 4
            vec![7, 9],    // the same sentences as the claim before: the first stays
            vec![8, 10],   // articles 4, 5
            vec![0, 3, 5], // articles 0, 1, 2: the same as the second, listed later
        ];
        let kept = drop_repeated_claims(&f, claims);
        assert_eq!(
            kept,
            vec![vec![1, 2, 4], vec![4, 6], vec![6, 8], vec![8, 10]]
        );
    }

    /// A strong pair that gives two dates and shares no claim is a dispute; a pair in a claim
    /// together, a weaker pair, a pair without two dates or with the same dates is not.
    #[test]
    fn strong_pairs_giving_two_dates_outside_any_claim_are_disputes() {
        let f = feats(&[
            "Northwind will close its Dunmore plant on November 30, 2025.",
            "Northwind will close its Dunmore plant on December 30, 2025.",
            "Northwind will close its Dunmore plant on November 30, 2025, it said.",
            "Northwind will close its Dunmore plant, the company said.",
            "Northwind will close its Dunmore plant on January 5, 2026.",
        ]);
        assert!(f
            .iter()
            .enumerate()
            .all(|(i, x)| (i == 3) == x.dates.is_empty()));
        let scored = [
            (0.95, 0, 1, 0), // two dates, no common claim: a dispute
            (0.94, 0, 2, 0), // the same date
            (0.93, 1, 3, 0), // one side names no date
            (0.9, 1, 2, 0),  // in one claim together
            (0.7, 0, 4, 0),  // too weak a match
        ];
        // Units 1 and 2 merged (claim 1).
        let mut cluster_of = vec![0, 1, 1, 3, 4];
        let mut joined = rustc_hash::FxHashSet::default();
        assert_eq!(disputes(&f, &scored, &cluster_of, &joined), vec![(0, 1)]);
        // Unit 0 joined claim 1 too; or unit 1 joined claim 0; or both joined claim 3.
        for pairs in [vec![(1, 0)], vec![(0, 1)], vec![(3, 0), (3, 1)]] {
            joined = pairs.into_iter().collect();
            assert!(disputes(&f, &scored, &cluster_of, &joined).is_empty());
        }
        // Or unit 0 merged into claim 1.
        joined.clear();
        cluster_of[0] = 1;
        assert!(disputes(&f, &scored, &cluster_of, &joined).is_empty());
    }

    /// Two sentences that share a claim through their clauses are no dispute, though their
    /// whole sentences are in no claim together: that claim shows both and judges their dates.
    #[test]
    fn sentences_sharing_a_claim_through_clauses_are_no_dispute() {
        let whole = feats(&[
            "Northwind will close its Dunmore plant on November 30, 2025, and 300 jobs will go.",
            "Northwind will close its Dunmore plant on December 30, 2025, and 300 jobs will go.",
        ]);
        // Units: 0 sentence 0, 1 its clause, 2 sentence 1, 3 its clause.
        let clause = |k: usize| {
            let mut c = whole[k].clone();
            c.unit = 1;
            c
        };
        let f = vec![whole[0].clone(), clause(0), whole[1].clone(), clause(1)];
        let scored = [(0.95, 0, 2, 0)];
        let none = rustc_hash::FxHashSet::default();
        // Every unit alone: the wholes' dates disagree, a dispute.
        assert_eq!(disputes(&f, &scored, &[0, 1, 2, 3], &none), vec![(0, 2)]);
        // The two clauses merged (claim 1): no dispute.
        assert!(disputes(&f, &scored, &[0, 1, 2, 1], &none).is_empty());
        // Sentence 0's clause joined claim 3 (sentence 1's clause): no dispute.
        let joined = [(3, 1)].into_iter().collect();
        assert!(disputes(&f, &scored, &[0, 1, 2, 3], &joined).is_empty());
    }

    /// Kept between calls, the candidate pairs are the ones found afresh, also when an edit
    /// moves a term's posting list across the limit (its pairs come and go among units that
    /// did not change) and when units come, go and move.
    #[test]
    fn kept_candidates_equal_fresh_ones() {
        let words = [
            "harbour", "ferry", "council", "bridge", "rain", "storm", "school", "market", "tunnel",
            "museum", "clinic", "stadium", "airport", "library", "factory",
        ];
        let text = |i: usize, rare: bool| {
            format!(
                "The {} and the {} near the {} reported {}{} damage.",
                words[i % 15],
                words[(i / 15) % 15],
                words[(i * 7 + 3) % 15],
                if rare { "zephyrine " } else { "" },
                if i % 3 == 0 { "severe" } else { "minor" }
            )
        };
        // "zephyrine" in exactly the most units a usable term may have (64, past 320 units).
        let mut texts: Vec<String> = (0..400).map(|i| text(i, i % 6 == 0 && i < 384)).collect();
        assert_eq!(texts.iter().filter(|t| t.contains("zephyrine")).count(), 64);
        let mut memo = CandidateMemo::default();
        let mut checked = 0;
        // One interner for every step, as the claim cache keeps it (string ids stay put).
        let mut interner = prepared::Interner::default();
        for step in 0..7 {
            match step {
                // A 65th unit: the term stops generating pairs.
                1 => texts.insert(10, text(1000, true)),
                // Another unit with it goes (indices move): 64 again.
                2 => {
                    texts.remove(30);
                }
                3 => texts[200] = text(777, false),
                4 => texts.push(text(5, true)),
                5 => {
                    texts.remove(0);
                }
                // A copy filed before the original takes the original's key (the first copy's).
                6 => texts.insert(0, texts[100].clone()),
                _ => {}
            }
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let f = feats(&refs);
            interner.add(&f);
            interner.order_strings();
            let units = interner.units(&f);
            let prep = Prepared::new(&interner, &f, &units);
            let mut copies: HashMap<&str, usize> = HashMap::new();
            let keys: Vec<u64> = texts
                .iter()
                .map(|t| {
                    let c = copies.entry(t.as_str()).or_default();
                    *c += 1;
                    let mut h = std::collections::hash_map::DefaultHasher::new();
                    std::hash::Hash::hash(&(t, *c), &mut h);
                    std::hash::Hasher::finish(&h)
                })
                .collect();
            let fresh = candidates(&f, &prep);
            // Some units read a moved weight: their pairs are counted again, to the same.
            let clean: Vec<bool> = (0..f.len()).map(|i| i % 7 != step).collect();
            candidates_memo(&f, &prep, &keys, None, &clean, &mut memo);
            assert_eq!(memo.pairs, fresh);
            checked += fresh.len();
        }
        assert!(checked > 100, "{checked}");
    }

    /// Merging a few new items into a long sorted list from the back gives the sorted union,
    /// says where the new items went, and values beside the old items move with them.
    #[test]
    fn merging_from_the_back_equals_sorting() {
        let cases: [(Vec<i32>, Vec<i32>); 5] = [
            (vec![1, 3, 5, 7], vec![0, 4, 8]),
            (vec![], vec![2, 9]),
            (vec![1, 2], vec![]),
            (vec![5, 6], vec![1, 2]),
            (vec![1, 2], vec![5, 6]),
        ];
        for (a, b) in cases {
            let mut merged = a.clone();
            let places = merge_from_back(&mut merged, &b, |x, y| x < y);
            let mut want = [a.clone(), b.clone()].concat();
            want.sort();
            assert_eq!(merged, want);
            let at: Vec<usize> = b.iter().map(|x| want.binary_search(x).unwrap()).collect();
            assert_eq!(places, at);
            let mut beside: Vec<i32> = a.iter().map(|x| 10 * x).collect();
            spread(&mut beside, &places, -1);
            let moved: Vec<i32> = want
                .iter()
                .map(|x| if b.contains(x) { -1 } else { 10 * x })
                .collect();
            assert_eq!(beside, moved, "{a:?} {b:?}");
        }
    }

    #[test]
    fn lives_lost_match_people_killed_as_deaths() {
        let f = feats(&[
            "Two people lost their lives and about 90 had to be treated, the sheriff's office said.",
            "Three people were killed when the tornado struck the county on Friday.",
            "Two people lost their homes and about 90 had to be treated, the sheriff's office said.",
        ]);
        let idf = Idf::new(&f);
        let (lives, homes) = (score(&f[0], &f[1], &idf), score(&f[2], &f[1], &idf));
        assert!(lives.same_claim(), "{}", lives.value);
        assert!(
            lives.value > homes.value + 0.1,
            "{} {}",
            lives.value,
            homes.value
        );
    }

    #[test]
    fn paraphrases_score_above_unrelated_sentences() {
        let f = feats(&[
            "The storm hit Texas on Monday, killing two people.",
            "Two people died when the storm struck Texas on Monday.",
            "Shares of the bank rose after its quarterly results.",
        ]);
        let idf = Idf::new(&f);
        assert!(score(&f[0], &f[1], &idf).same_claim());
        assert!(!score(&f[0], &f[2], &idf).same_claim());
    }

    #[test]
    fn a_negated_copy_scores_below_a_reworded_one() {
        let f = feats(&[
            "The council approved the new bridge over the river in April.",
            "The council did not approve the new bridge over the river in April.",
            "In April the council approved a new bridge over the river.",
        ]);
        let idf = Idf::new(&f);
        let negated = score(&f[0], &f[1], &idf);
        let reworded = score(&f[0], &f[2], &idf);
        assert!(negated.slots.iter().any(|n| n.contains("negates")));
        assert!(negated.value < reworded.value, "{negated:?} {reworded:?}");
    }
}
