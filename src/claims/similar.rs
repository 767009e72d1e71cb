//! `briefing similar`: the matcher's score and decision for sentence pairs, so the engine can be
//! measured on paraphrase benchmarks with the same scoring and threshold the build uses.

use crate::claims::extract::{extract_sentence, Features};
use crate::claims::lexicon;
use crate::claims::matcher::{self, Idf, Score};
use crate::model::Mention;
use anyhow::{bail, Context, Result};
use std::fmt::Write as _;
use std::path::Path;

/// Pairs of sentences from a TSV file: the last two columns of every line after the header.
pub fn read_pairs(path: &Path) -> Result<Vec<(String, String)>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = String::from_utf8(bytes)
        .map_err(|e| anyhow::anyhow!("{}: invalid UTF-8: {e}", path.display()))?;
    let mut pairs = Vec::new();
    let lines: Vec<&str> = text.split('\n').collect();
    for (no, line) in lines.iter().enumerate().skip(1) {
        let line = line.strip_suffix('\r').unwrap_or(line);
        // The empty piece after a final newline is not a pair.
        if line.is_empty() && no + 1 == lines.len() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 2 {
            bail!(
                "{}:{}: expected at least two tab-separated columns",
                path.display(),
                no + 1
            );
        }
        pairs.push((
            cols[cols.len() - 2].to_string(),
            cols[cols.len() - 1].to_string(),
        ));
    }
    Ok(pairs)
}

fn features(pairs: &[(String, String)]) -> Vec<Features> {
    pairs
        .iter()
        .enumerate()
        .flat_map(|(i, (a, b))| {
            [
                extract_sentence(
                    Mention {
                        article: 2 * i,
                        sentence: 0,
                    },
                    a,
                ),
                extract_sentence(
                    Mention {
                        article: 2 * i + 1,
                        sentence: 0,
                    },
                    b,
                ),
            ]
        })
        .collect()
}

/// Score every pair; term weights come from all the file's sentences, as the build takes them
/// from all the corpus's sentences.
pub fn score_pairs(pairs: &[(String, String)]) -> Vec<Score> {
    let f = features(pairs);
    let idf = Idf::new(&f);
    f.chunks(2)
        .map(|c| matcher::score(&c[0], &c[1], &idf))
        .collect()
}

/// `SCORE<TAB>DECISION` lines, one per pair. For tuning, when `BRIEFING_DUMP_PARTS` names a
/// file, each pair's measurements (see [`matcher::Parts`]) are written there, one line per pair
/// (read by `eval/fit_model.py`).
pub fn tsv_output(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    let dump = std::env::var_os("BRIEFING_DUMP_PARTS");
    let mut parts = String::new();
    let f = if dump.is_some() {
        features(pairs)
    } else {
        Vec::new()
    };
    for (k, s) in score_pairs(pairs).iter().enumerate() {
        let _ = writeln!(out, "{:.4}\t{}", s.value, u8::from(s.same_claim()));
        if dump.is_some() {
            let v: Vec<String> = s
                .parts
                .as_array()
                .iter()
                .map(|x| format!("{x:.4}"))
                .collect();
            // Then each sentence's words, terms and entities (for prototyping new parts).
            let _ = writeln!(
                parts,
                "{}\t{}\t{}",
                v.join("\t"),
                matcher::describe(&f[2 * k]),
                matcher::describe(&f[2 * k + 1])
            );
        }
    }
    if let Some(path) = dump {
        let _ = std::fs::write(path, parts);
    }
    out
}

/// One pair explained: the score, the decision and the slot agreements behind them.
pub fn explain(a: &str, b: &str) -> String {
    let pairs = vec![(a.to_string(), b.to_string())];
    let f = features(&pairs);
    let s = &score_pairs(&pairs)[0];
    let mut out = String::new();
    let _ = writeln!(
        out,
        "score {:.4} (threshold {}): {}",
        s.value,
        matcher::THRESHOLD,
        if s.same_claim() {
            "same claim"
        } else {
            "different claims"
        }
    );
    let _ = writeln!(out, "term overlap {:.4}", s.overlap);
    let _ = writeln!(out, "shared terms: {}", s.shared_terms.join(" "));
    let _ = writeln!(out, "only in A:    {}", s.only_a.join(" "));
    let _ = writeln!(out, "only in B:    {}", s.only_b.join(" "));
    for (name, x) in [("A", &f[0]), ("B", &f[1])] {
        let qty: Vec<String> = x
            .quantities
            .iter()
            .map(|q| format!("{} {}", q.text, q.unit.join("/")))
            .collect();
        let people: Vec<String> = x
            .people
            .iter()
            .map(|p| format!("{} ({})", p.name, p.title))
            .collect();
        let quotes: Vec<String> = x
            .quotes
            .iter()
            .map(|q| match &q.speaker {
                Some(s) => format!("\u{201c}{}\u{201d} ({s})", q.text),
                None => format!("\u{201c}{}\u{201d}", q.text),
            })
            .collect();
        let _ = writeln!(
            out,
            "{name}: dates [{}] numbers [{}] people [{}] places [{}] quotes [{}] stance [{}] \
             source [{}]",
            x.dates.join(", "),
            qty.join(", "),
            people.join(", "),
            x.places.join(", "),
            quotes.join(", "),
            x.stance.unwrap_or(""),
            x.source.join(" ")
        );
    }
    for note in &s.slots {
        let _ = writeln!(out, "{note}");
    }
    // The model behind the score: where every pair starts, and each part's share of the logit.
    let (start, shares) = s.parts.contributions();
    let _ = writeln!(out, "logit parts (every pair starts at {start:+.3}):");
    for (name, x, c) in shares {
        let _ = writeln!(out, "  {name:<22} {x:.3} -> {c:+.3}");
    }
    // The lexicon's reading (a measurement above), word by word.
    if s.parts.words < lexicon::min_words() {
        let _ = writeln!(
            out,
            "lexicon: not read (the sentences share too few words: {:.3} < {})",
            s.parts.words,
            lexicon::min_words()
        );
    } else {
        let _ = writeln!(out, "lexicon {:.3}, its heaviest words:", s.parts.lexicon);
        let heaviest = lexicon::lexicon().explain(&f[0].words, &f[1].words);
        for (what, w) in heaviest.iter().take(8) {
            let _ = writeln!(out, "  {what:<40} {w:+.3}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explaining_a_pair_shows_what_the_score_rests_on() {
        let text = explain(
            "The council approved the bridge in April.",
            "The council did not approve the bridge in April.",
        );
        assert!(text.contains("- only one side negates"), "{text}");
        let negation = text
            .lines()
            .find(|l| l.trim_start().starts_with("negation "))
            .unwrap_or_else(|| panic!("no negation part in {text}"));
        assert!(negation.contains("1.000 -> -"), "{negation}");
    }

    #[test]
    fn explaining_a_pair_names_the_lexicons_words() {
        let text = explain(
            "The council approved the bridge in April.",
            "The council did not approve the bridge in April.",
        );
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with("only B \"not\""))
            .unwrap_or_else(|| panic!("no lone \"not\" in {text}"));
        assert!(
            line.trim_end().contains(" -"),
            "a lone not weighs against: {line}"
        );
        let far = explain(
            "The council approved the bridge in April.",
            "Heavy rain closed three schools on Friday.",
        );
        assert!(far.contains("lexicon: not read"), "{far}");
    }

    #[test]
    fn explaining_a_pair_that_shares_only_its_source_says_so() {
        let text = explain(
            "The weather bureau issued a flood warning before midnight.",
            "Showers are due on Friday, but the weather bureau says they will be light.",
        );
        assert!(text.starts_with("score 0.0000"), "{text}");
        assert!(
            text.contains("- they share only who reports them"),
            "{text}"
        );
        assert!(text.contains("source [bureau say weather]"), "{text}");
    }
}
