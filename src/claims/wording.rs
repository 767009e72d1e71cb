//! How closely two sentences' wording matches, measured as machine-translation metrics measure
//! a translation against a reference (Madnani et al. 2012 used such metrics to tell paraphrases
//! apart): the share of each side's word n-grams the other has (BLEU's n-gram precisions, and
//! BLEU itself in both directions), the word edit distance (as TER: insertions, deletions and
//! substitutions), and how many distinct words, content words, numbers and stop words each side
//! has alone. Two reports of one fact tend to share runs of words, not only words; a pair that
//! adds a fact adds words only one side has.
//!
//! The measurements read only which words are equal, so the reference scorer
//! (`matcher::score`, over strings) and the prepared one (`prepared::Prepared::score`, over
//! interned ids) give the very same numbers: both hand this module word ids, their own.

/// One sentence's words as the measurements read them.
#[derive(Clone, Copy)]
pub(crate) struct Words<'a> {
    /// Word ids in order.
    pub seq: &'a [u32],
    /// The distinct word ids, sorted.
    pub set: &'a [u32],
    /// For each of `set`: [`STOP`] and/or [`NUMBER`].
    pub kinds: &'a [u8],
    /// The length of the words joined by spaces, in bytes.
    pub chars: usize,
}

/// A stop word ("the", "of", "was").
pub(crate) const STOP: u8 = 1;
/// A number (starts with a digit).
pub(crate) const NUMBER: u8 = 2;

/// What a word is, for [`Words::kinds`].
pub(crate) fn kind(word: &str) -> u8 {
    let mut k = 0;
    if crate::text::tokens::is_stop_word(word) {
        k |= STOP;
    }
    if crate::claims::matcher::is_number(word) {
        k |= NUMBER;
    }
    k
}

/// The measurements, in the order `matcher::Parts` lists them.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Wording {
    /// For n = 1..4: the share of one side's word n-grams found in the other, the smaller and
    /// the larger of the two directions.
    pub precision: [[f64; 2]; 4],
    /// BLEU (add-one smoothed, with its brevity penalty), the smaller and the larger direction.
    pub bleu: [f64; 2],
    /// Word edit distance over the longer and over the shorter length.
    pub edits: [f64; 2],
    /// Distinct words only one side has: fewer side, more side, both, and their share of all
    /// distinct words.
    pub only: [f64; 4],
    /// The same for content words (not stop words): fewer side, more side, share.
    pub only_content: [f64; 3],
    /// Numbers only one side has: both sides together, and the fewer side.
    pub only_numbers: [f64; 2],
    /// Stop words only one side has, both sides together.
    pub only_stop: f64,
    /// The difference of the joined lengths, in bytes.
    pub length_gap_chars: f64,
}

/// For each word of `a` and of `b` (by position), the length of the longest run of words
/// ending there that the other side also has, in a row (0 when the other lacks the word); and
/// the word edit distance between `a` and `b`. One pass over the grid of positions.
fn runs_and_edits(a: &[u32], b: &[u32]) -> (Vec<u32>, Vec<u32>, usize) {
    let mut best_a = vec![0u32; a.len()];
    let mut best_b = vec![0u32; b.len()];
    // Two rows of runs, then two rows of edits, in one buffer.
    let w = b.len() + 1;
    let mut rows = vec![0u32; 4 * w];
    let (runs, edits) = rows.split_at_mut(2 * w);
    let (mut run_prev, mut run_cur) = runs.split_at_mut(w);
    let (mut ed_prev, mut ed_cur) = edits.split_at_mut(w);
    for (j, e) in ed_prev.iter_mut().enumerate() {
        *e = j as u32;
    }
    for (i, x) in a.iter().enumerate() {
        ed_cur[0] = i as u32 + 1;
        for (j, y) in b.iter().enumerate() {
            let same = x == y;
            let run = if same { run_prev[j] + 1 } else { 0 };
            run_cur[j + 1] = run;
            best_a[i] = best_a[i].max(run);
            best_b[j] = best_b[j].max(run);
            let substitute = ed_prev[j] + u32::from(!same);
            ed_cur[j + 1] = substitute.min(ed_prev[j + 1] + 1).min(ed_cur[j] + 1);
        }
        std::mem::swap(&mut run_prev, &mut run_cur);
        std::mem::swap(&mut ed_prev, &mut ed_cur);
    }
    (best_a, best_b, ed_prev[b.len()] as usize)
}

/// How many of `a`'s n-grams (by position, n = 1..4) `b` has, given `a`'s runs.
fn matched(runs: &[u32]) -> [usize; 4] {
    let mut m = [0; 4];
    for &r in runs {
        for (n, c) in m.iter_mut().enumerate() {
            if r as usize > n {
                *c += 1;
            }
        }
    }
    m
}

/// BLEU of `a` against `b` from `a`'s matched n-gram counts: the geometric mean of the
/// add-one smoothed precisions, times the brevity penalty.
fn bleu(m: &[usize; 4], la: usize, lb: usize) -> f64 {
    if la == 0 {
        return 0.0;
    }
    let mut logs = 0.0;
    for (n, &c) in m.iter().enumerate() {
        let total = la.saturating_sub(n);
        logs += ((c + 1) as f64 / (total + 1) as f64).ln();
    }
    let penalty = (1.0 - lb as f64 / la as f64).exp().min(1.0);
    (logs / 4.0).exp() * penalty
}

fn precision(m: usize, la: usize, n: usize) -> f64 {
    let total = la.saturating_sub(n);
    if total == 0 {
        0.0
    } else {
        m as f64 / total as f64
    }
}

fn min_max(x: f64, y: f64) -> [f64; 2] {
    [x.min(y), x.max(y)]
}

/// Distinct words of `a` that `b` lacks, by kind: (all, content, numbers, stop words).
fn alone(a: &Words, b: &Words) -> [usize; 4] {
    let mut out = [0; 4];
    let mut y = 0;
    for (x, &w) in a.set.iter().enumerate() {
        while y < b.set.len() && b.set[y] < w {
            y += 1;
        }
        if y < b.set.len() && b.set[y] == w {
            continue;
        }
        let k = a.kinds[x];
        out[0] += 1;
        if k & STOP == 0 {
            out[1] += 1;
        }
        if k & NUMBER != 0 {
            out[2] += 1;
        }
        if k & STOP != 0 {
            out[3] += 1;
        }
    }
    out
}

/// The measurements of a pair (symmetric in `a` and `b`).
pub(crate) fn measure(a: Words, b: Words) -> Wording {
    let (la, lb) = (a.seq.len(), b.seq.len());
    let (runs_a, runs_b, edits) = runs_and_edits(a.seq, b.seq);
    let (ma, mb) = (matched(&runs_a), matched(&runs_b));
    let mut w = Wording::default();
    for n in 0..4 {
        w.precision[n] = min_max(precision(ma[n], la, n), precision(mb[n], lb, n));
    }
    w.bleu = min_max(bleu(&ma, la, lb), bleu(&mb, lb, la));
    w.edits = [
        edits as f64 / la.max(lb).max(1) as f64,
        edits as f64 / la.min(lb).max(1) as f64,
    ];
    let (oa, ob) = (alone(&a, &b), alone(&b, &a));
    let content = |s: &Words| s.kinds.iter().filter(|&&k| k & STOP == 0).count();
    let union = a.set.len() + ob[0];
    let content_union = content(&a) + ob[1];
    w.only = [
        oa[0].min(ob[0]) as f64,
        oa[0].max(ob[0]) as f64,
        (oa[0] + ob[0]) as f64,
        (oa[0] + ob[0]) as f64 / union.max(1) as f64,
    ];
    w.only_content = [
        oa[1].min(ob[1]) as f64,
        oa[1].max(ob[1]) as f64,
        (oa[1] + ob[1]) as f64 / content_union.max(1) as f64,
    ];
    w.only_numbers = [(oa[2] + ob[2]) as f64, oa[2].min(ob[2]) as f64];
    w.only_stop = (oa[3] + ob[3]) as f64;
    w.length_gap_chars = a.chars.abs_diff(b.chars) as f64;
    w
}

/// A sentence's words as [`Words`] wants them, with ids of its own (the reference scorer's
/// way; the prepared scorer keeps interned ids). `ids` maps each distinct word to its id, in
/// the order of `words`' first appearance, shared by the two sides of a pair.
struct Owned {
    seq: Vec<u32>,
    set: Vec<u32>,
    kinds: Vec<u8>,
    chars: usize,
}

impl Owned {
    fn new(words: &[String], ids: &mut std::collections::HashMap<String, u32>) -> Owned {
        let mut seq = Vec::with_capacity(words.len());
        for w in words {
            let next = ids.len() as u32;
            seq.push(*ids.entry(w.clone()).or_insert(next));
        }
        let mut set: Vec<(u32, u8)> = seq.iter().zip(words).map(|(&i, w)| (i, kind(w))).collect();
        set.sort_unstable();
        set.dedup();
        let chars = if words.is_empty() {
            0
        } else {
            words.iter().map(String::len).sum::<usize>() + words.len() - 1
        };
        Owned {
            seq,
            set: set.iter().map(|x| x.0).collect(),
            kinds: set.iter().map(|x| x.1).collect(),
            chars,
        }
    }

    fn words(&self) -> Words<'_> {
        Words {
            seq: &self.seq,
            set: &self.set,
            kinds: &self.kinds,
            chars: self.chars,
        }
    }
}

/// [`measure`] over two sentences' words (lower-case, in order).
pub(crate) fn measure_words(a: &[String], b: &[String]) -> Wording {
    let mut ids = std::collections::HashMap::new();
    let (x, y) = (Owned::new(a, &mut ids), Owned::new(b, &mut ids));
    measure(x.words(), y.words())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        crate::text::tokens::words(s)
    }

    fn m(a: &str, b: &str) -> Wording {
        measure_words(&words(a), &words(b))
    }

    #[test]
    fn identical_sentences_match_fully() {
        let w = m(
            "The council closed the bridge on Monday.",
            "The council closed the bridge on Monday.",
        );
        assert_eq!(w.precision, [[1.0, 1.0]; 4]);
        assert!((w.bleu[0] - 1.0).abs() < 1e-12);
        assert_eq!(w.edits, [0.0, 0.0]);
        assert_eq!(w.only, [0.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn word_runs_count_not_only_words() {
        // The same words in another order share every word but few runs of words.
        let w = m(
            "police said the driver fled the scene",
            "the scene the driver fled police said",
        );
        assert_eq!(w.precision[0], [1.0, 1.0]);
        assert!(w.precision[3][1] < 0.5, "{:?}", w.precision);
        assert!(w.edits[0] > 0.5, "{:?}", w.edits);
    }

    #[test]
    fn an_added_fact_shows_as_words_one_side_has_alone() {
        let w = m(
            "The plant will close in March.",
            "The plant will close in March, cutting 400 jobs, the company said.",
        );
        // "cutting", "400", "jobs", "company" and "said", all on the longer side.
        assert_eq!(w.only[0], 0.0);
        assert!(w.only[1] >= 4.0, "{:?}", w.only);
        assert_eq!(w.only_numbers, [1.0, 0.0]);
        // The shorter sentence is all in the longer one: its precisions are 1.
        assert_eq!(w.precision[0][1], 1.0);
        assert!(w.precision[0][0] < 0.6);
        // The brevity penalty keeps the short side's BLEU below 1.
        assert!(w.bleu[1] < 0.7, "{:?}", w.bleu);
    }

    #[test]
    fn edit_distance_counts_substitutions() {
        let (_, _, d) = runs_and_edits(&[1, 2, 3, 4], &[1, 9, 3, 4]);
        assert_eq!(d, 1);
        let (_, _, d) = runs_and_edits(&[1, 2, 3], &[]);
        assert_eq!(d, 3);
        let (ra, rb, d) = runs_and_edits(&[5, 1, 2, 3], &[1, 2, 3, 5]);
        assert_eq!(ra, vec![1, 1, 2, 3]);
        assert_eq!(rb, vec![1, 2, 3, 1]);
        assert_eq!(d, 2);
    }

    #[test]
    fn measurements_are_symmetric() {
        let (a, b) = (
            "Shares of the firm fell 5 percent after the report.",
            "The firm's shares dropped 5 % on Tuesday after a critical report.",
        );
        assert_eq!(m(a, b), m(b, a));
    }
}
