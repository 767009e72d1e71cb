//! The lexicon: what the words two sentences share, and the words only one of them has, say
//! about their being one claim, as learned from paraphrase pairs.
//!
//! The other measurements of a pair ([`crate::claims::matcher::Parts`]) weigh every word the
//! same way whatever it is (by its rarity in the corpus). But words differ in what their
//! presence on one side only means: a lone "also" or "the" changes nothing, a lone "not", a
//! lone "million" or a lone "percent" usually means another fact; "said" on one side and
//! "told" on the other is one report. The lexicon is a logistic model over hashed features of
//! a pair, fitted by `eval/fit_model.py` on MSRP train (the news paraphrase pairs):
//! - each word and each word bigram both sentences have (`shared`),
//! - each word and each bigram only one of them has (`lone`),
//! - each pair of a word only the first has and a word only the second has (`swap`: learned
//!   substitutions such as said/told).
//!
//! Its logit, squashed to (0, 1), is one more measurement the pair model reads (the trees
//! decide how far to trust it; they were fitted with it held out of the pairs it was learned
//! on). It depends on the two sentences' words only, never on the corpus, so a pair's value
//! never moves when other articles change.
//!
//! Features are hashed into 2^`bits` weights (the file holds weights, not words): a token's
//! hash is the upper 32 bits of its 64-bit FNV-1a hash (a bigram is its two words joined by a
//! space), and a feature's place is `((hash ^ KIND) × GOLDEN) >> (64 − bits)`, with the
//! feature kind's salt. `eval/fit_model.py` computes the same features in Python.
//!
//! The file format: a text header of lines `briefing lexicon 1`, `bits B`, `bias X`,
//! `scale S`, `data`, then 2^B little-endian `i16` weights (a weight is `i16 × S`).

use std::fmt;

/// The salts of the three kinds of features.
const SHARED: u64 = 0;
const LONE: u64 = 0x5555_5555_5555_5555;
const SWAP: u64 = 0xAAAA_AAAA_AAAA_AAAA;
const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// The most words on one side whose substitutions are read (a long sentence's lone words
/// against the other's would be a quadratic number of features).
const MAX_SWAP: usize = 24;

/// A sentence's tokens, hashed: its distinct words and its distinct bigrams, each sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tokens {
    words: Vec<u32>,
    bigrams: Vec<u32>,
}

fn fnv(bytes: impl Iterator<Item = u8>, mut h: u64) -> u64 {
    for b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

fn token_hash(word: &str) -> u32 {
    (fnv(word.bytes(), FNV_START) >> 32) as u32
}

fn bigram_hash(a: &str, b: &str) -> u32 {
    let h = fnv(a.bytes(), FNV_START);
    let h = fnv(std::iter::once(b' '), h);
    (fnv(b.bytes(), h) >> 32) as u32
}

fn sorted(mut v: Vec<u32>) -> Vec<u32> {
    v.sort_unstable();
    v.dedup();
    v
}

impl Tokens {
    /// The tokens of a sentence's words (lower-case, in order: `Features::words`).
    pub fn new(words: &[String]) -> Tokens {
        Tokens {
            words: sorted(words.iter().map(|w| token_hash(w)).collect()),
            bigrams: sorted(
                words
                    .windows(2)
                    .map(|p| bigram_hash(&p[0], &p[1]))
                    .collect(),
            ),
        }
    }
}

/// The fitted weights.
#[derive(Debug, Clone, PartialEq)]
pub struct Lexicon {
    bits: u32,
    bias: f64,
    weights: Vec<f64>,
}

/// What is wrong with a lexicon file.
#[derive(Debug, Clone, PartialEq)]
pub struct LexiconError(pub String);

impl fmt::Display for LexiconError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LexiconError {}

impl Lexicon {
    /// Reads the format described in the module documentation.
    pub fn parse(bytes: &[u8]) -> Result<Lexicon, LexiconError> {
        let err = |m: &str| LexiconError(m.to_string());
        let mut rest = bytes;
        let mut line = || -> Result<&str, LexiconError> {
            let end = rest
                .iter()
                .position(|&b| b == b'\n')
                .ok_or_else(|| err("the header ends early"))?;
            let l = std::str::from_utf8(&rest[..end]).map_err(|_| err("the header is not text"))?;
            rest = &rest[end + 1..];
            Ok(l)
        };
        if line()? != "briefing lexicon 1" {
            return Err(err("not a briefing lexicon (version 1)"));
        }
        let mut value = |name: &str| -> Result<f64, LexiconError> {
            let l = line()?;
            l.strip_prefix(name)
                .and_then(|v| v.strip_prefix(' '))
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| LexiconError(format!("expected `{name} NUMBER`, found `{l}`")))
        };
        let bits = value("bits")?;
        let bias = value("bias")?;
        let scale = value("scale")?;
        if !(1.0..=24.0).contains(&bits) || bits.fract() != 0.0 {
            return Err(err("bits must be a whole number from 1 to 24"));
        }
        if line()? != "data" {
            return Err(err("expected `data`"));
        }
        let bits = bits as u32;
        let n = 1usize << bits;
        if rest.len() != 2 * n {
            return Err(LexiconError(format!(
                "expected {} bytes of weights, found {}",
                2 * n,
                rest.len()
            )));
        }
        let weights = rest
            .chunks_exact(2)
            .map(|c| f64::from(i16::from_le_bytes([c[0], c[1]])) * scale)
            .collect();
        Ok(Lexicon {
            bits,
            bias,
            weights,
        })
    }

    fn weight(&self, kind: u64, hash: u64) -> f64 {
        let place = ((hash ^ kind).wrapping_mul(GOLDEN)) >> (64 - self.bits);
        self.weights[place as usize]
    }

    /// The model's logit for a pair of sentences.
    pub fn logit(&self, a: &Tokens, b: &Tokens) -> f64 {
        let mut z = self.bias;
        features(a, b, |f| z += self.weight(f.kind(), f.hash()));
        z
    }

    /// What the logit is made of, for explaining a pair: each feature with a weight, described
    /// in words ("shared \"said\"", "only A \"not\"", "A \"said\" / B \"told\""), heaviest
    /// first. Weights of features that share a place are shown once each, as read.
    pub fn explain(&self, a: &[String], b: &[String]) -> Vec<(String, f64)> {
        // Each token's hash with its text, to name the features.
        let mut names: Vec<(u32, String)> = Vec::new();
        for words in [a, b] {
            names.extend(words.iter().map(|w| (token_hash(w), w.clone())));
            names.extend(
                words
                    .windows(2)
                    .map(|p| (bigram_hash(&p[0], &p[1]), format!("{} {}", p[0], p[1]))),
            );
        }
        let name = |h: u32| {
            names
                .iter()
                .find(|x| x.0 == h)
                .map(|x| x.1.as_str())
                .unwrap_or_default()
        };
        let mut out = Vec::new();
        features(&Tokens::new(a), &Tokens::new(b), |f| {
            let w = self.weight(f.kind(), f.hash());
            if w == 0.0 {
                return;
            }
            let what = match f {
                Feature::Shared(h) => format!("shared \"{}\"", name(h)),
                Feature::Lone(Side::A, h) => format!("only A \"{}\"", name(h)),
                Feature::Lone(_, h) => format!("only B \"{}\"", name(h)),
                Feature::Swap(x, y) => format!("A \"{}\" / B \"{}\"", name(x), name(y)),
            };
            out.push((what, w));
        });
        out.sort_by(|p, q| q.1.abs().total_cmp(&p.1.abs()).then(p.0.cmp(&q.0)));
        out
    }

    /// The measurement the pair model reads: the logit squashed to (0, 1).
    pub fn value(&self, a: &Tokens, b: &Tokens) -> f64 {
        1.0 / (1.0 + (-self.logit(a, b)).exp())
    }
}

/// The fewest words two sentences must share (Dice overlap of their distinct words) for the
/// lexicon to be read. It learned from news paraphrase pairs, which nearly all share that many
/// (97 % of MSRP train's pairs share at least 0.4); two reports of one fact that share fewer
/// are worded apart, and what the lexicon would say of their many lone words is a guess.
/// Below it the measurement is 0.5, "no opinion". `BRIEFING_LEXICON_MIN` moves it, for tuning
/// (`eval/fit_model.py` reads the same variable).
pub fn min_words() -> f64 {
    static MIN: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *MIN.get_or_init(|| {
        std::env::var("BRIEFING_LEXICON_MIN")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.4)
    })
}

/// The lexicon's measurement of a pair whose words overlap by `words` (Dice): its value, or
/// 0.5 when it is not read.
pub fn read(words: f64, a: &Tokens, b: &Tokens) -> f64 {
    if words < min_words() {
        return 0.5;
    }
    lexicon().value(a, b)
}

/// One feature of a pair: a token (word or bigram) both sides have, a token one side has alone,
/// or a lone word of A with a lone word of B.
#[derive(Debug, Clone, Copy)]
enum Feature {
    Shared(u32),
    Lone(Side, u32),
    Swap(u32, u32),
}

impl Feature {
    fn kind(self) -> u64 {
        match self {
            Feature::Shared(_) => SHARED,
            Feature::Lone(..) => LONE,
            Feature::Swap(..) => SWAP,
        }
    }

    fn hash(self) -> u64 {
        match self {
            Feature::Shared(h) | Feature::Lone(_, h) => h.into(),
            Feature::Swap(x, y) => swap_hash(x, y),
        }
    }
}

/// Calls `f` for each feature of a pair (the features `eval/lexicon.py` lists): words, bigrams,
/// then substitutions (each side's first `MAX_SWAP` lone words, in hash order).
fn features(a: &Tokens, b: &Tokens, mut f: impl FnMut(Feature)) {
    let (mut lone_a, mut lone_b) = (Vec::new(), Vec::new());
    merge(&a.words, &b.words, |h, side| {
        match side {
            Side::Both => {}
            Side::A => lone_a.push(h),
            Side::B => lone_b.push(h),
        }
        f(feature(h, side));
    });
    merge(&a.bigrams, &b.bigrams, |h, side| f(feature(h, side)));
    for &x in lone_a.iter().take(MAX_SWAP) {
        for &y in lone_b.iter().take(MAX_SWAP) {
            f(Feature::Swap(x, y));
        }
    }
}

fn feature(h: u32, side: Side) -> Feature {
    match side {
        Side::Both => Feature::Shared(h),
        side => Feature::Lone(side, h),
    }
}

/// The hash of a substitution: the same whichever side each word is on.
fn swap_hash(x: u32, y: u32) -> u64 {
    let (lo, hi) = (x.min(y), x.max(y));
    (u64::from(lo) << 32) | u64::from(hi)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Side {
    Both,
    A,
    B,
}

/// Calls `f` for each hash of two sorted lists, in order, saying which side has it.
fn merge(a: &[u32], b: &[u32], mut f: impl FnMut(u32, Side)) {
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(&x), Some(&y)) if x == y => {
                f(x, Side::Both);
                i += 1;
                j += 1;
            }
            (Some(&x), Some(&y)) if x < y => {
                f(x, Side::A);
                i += 1;
            }
            (Some(&x), None) => {
                f(x, Side::A);
                i += 1;
            }
            (_, Some(&y)) => {
                f(y, Side::B);
                j += 1;
            }
            (None, None) => unreachable!(),
        }
    }
}

/// The lexicon in use: the shipped one (`lexicon.bin`, fitted by `eval/fit_model.py`), or for
/// tuning the file named by `BRIEFING_LEXICON`, read once (a file that cannot be read is
/// reported and the shipped lexicon used).
pub fn lexicon() -> &'static Lexicon {
    static LEXICON: std::sync::OnceLock<Lexicon> = std::sync::OnceLock::new();
    LEXICON.get_or_init(|| {
        crate::claims::tuning_file(
            "BRIEFING_LEXICON",
            "lexicon",
            || Lexicon::parse(include_bytes!("lexicon.bin")).expect("the shipped lexicon parses"),
            |bytes| Lexicon::parse(bytes).map_err(|e| e.to_string()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    /// A lexicon of `bits` whose weights are 0 but at the given features.
    fn lexicon_with(bits: u32, features: &[(u64, u64, f64)]) -> Lexicon {
        let mut l = Lexicon {
            bits,
            bias: -1.0,
            weights: vec![0.0; 1 << bits],
        };
        for &(kind, hash, w) in features {
            let place = ((hash ^ kind).wrapping_mul(GOLDEN)) >> (64 - bits);
            l.weights[place as usize] += w;
        }
        l
    }

    #[test]
    fn hashes_are_fnv1a_as_the_fitting_script_computes_them() {
        // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c (the published test vector).
        assert_eq!(token_hash("a"), 0xaf63dc4c);
        assert_eq!(bigram_hash("a", "b"), token_hash("a b"));
    }

    #[test]
    fn shared_lone_and_swapped_words_each_read_their_own_weight() {
        let h = |w: &str| u64::from(token_hash(w));
        let l = lexicon_with(
            16,
            &[
                (SHARED, h("kestrel"), 2.0),
                (LONE, h("not"), -3.0),
                (SWAP, swap_hash(token_hash("said"), token_hash("told")), 1.5),
            ],
        );
        let a = Tokens::new(&words("kestrel said it would close"));
        let b = Tokens::new(&words("kestrel told staff it would close"));
        let c = Tokens::new(&words("kestrel said it would not close"));
        // Shared "kestrel", said/told swapped (and the lone "staff", weighing 0).
        assert!((l.logit(&a, &b) - (-1.0 + 2.0 + 1.5)).abs() < 1e-9);
        assert!((l.logit(&b, &a) - l.logit(&a, &b)).abs() < 1e-9);
        // A lone "not" weighs against.
        assert!((l.logit(&a, &c) - (-1.0 + 2.0 - 3.0)).abs() < 1e-9);
        assert!(l.value(&a, &b) > 0.5 && l.value(&a, &c) < 0.5);
    }

    #[test]
    fn a_broken_file_is_refused_with_its_reason() {
        assert!(Lexicon::parse(b"something else\n").is_err());
        let short = b"briefing lexicon 1\nbits 2\nbias 0.5\nscale 0.001\ndata\n\x01\x00";
        let e = Lexicon::parse(short).unwrap_err();
        assert!(e.0.contains("expected 8 bytes"), "{e}");
        let good = b"briefing lexicon 1\nbits 2\nbias 0.5\nscale 0.5\ndata\n\x01\x00\x02\x00\xff\xff\x00\x00";
        let l = Lexicon::parse(good).unwrap();
        assert_eq!(l.weights, vec![0.5, 1.0, -0.5, 0.0]);
        assert_eq!(l.bias, 0.5);
    }

    #[test]
    fn the_shipped_lexicon_tells_a_paraphrase_from_an_added_fact() {
        let l = lexicon();
        let a = Tokens::new(&words("the company said profits rose 5 percent"));
        let b = Tokens::new(&words("profits rose 5 percent the company said"));
        let c = Tokens::new(&words(
            "the company said profits rose 5 percent and it will cut 300 jobs next year",
        ));
        assert!(l.value(&a, &b) > l.value(&a, &c));
    }
}
