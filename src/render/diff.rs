//! Word-level difference between a claim's canonical wording and one mention of it, so a quote
//! reported with other words stands out on the claim page.
//!
//! Words are split on white space and compared after folding typographic quotes, dashes and
//! letter case (so `“x”` and `"x"` count as the same word), but the parts keep the words as the
//! article wrote them.

use serde::Serialize;
use similar::{capture_diff_slices, Algorithm, DiffTag};

/// A run of words that the mention shares with the canonical wording (`same`), adds (`ins`) or
/// leaves out (`del`, the canonical wording's words).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffPart {
    pub kind: &'static str,
    pub text: String,
}

/// The comparison of one mention with the canonical wording.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WordDiff {
    pub parts: Vec<DiffPart>,
    /// Share of the longer text's words that both share, 0–100.
    pub same_percent: u32,
    /// True when the words are the same (after folding quotes and case).
    pub identical: bool,
}

/// Fold what should not count as a difference in wording.
fn fold(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' => '"',
            '\u{2013}' | '\u{2014}' => '-',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

fn push(parts: &mut Vec<DiffPart>, kind: &'static str, words: &[&str]) {
    if words.is_empty() {
        return;
    }
    let text = words.join(" ");
    match parts.last_mut() {
        Some(last) if last.kind == kind => {
            last.text.push(' ');
            last.text.push_str(&text);
        }
        _ => parts.push(DiffPart { kind, text }),
    }
}

/// Compare `mention` against `canonical`, word by word.
pub fn word_diff(canonical: &str, mention: &str) -> WordDiff {
    let old: Vec<&str> = canonical.split_whitespace().collect();
    let new: Vec<&str> = mention.split_whitespace().collect();
    let old_keys: Vec<String> = old.iter().map(|w| fold(w)).collect();
    let new_keys: Vec<String> = new.iter().map(|w| fold(w)).collect();
    let ops = capture_diff_slices(Algorithm::Patience, &old_keys, &new_keys);
    let mut parts = Vec::new();
    let mut same = 0;
    for op in ops {
        let (tag, o, n) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => {
                same += n.len();
                push(&mut parts, "same", &new[n]);
            }
            DiffTag::Delete => push(&mut parts, "del", &old[o]),
            DiffTag::Insert => push(&mut parts, "ins", &new[n]),
            DiffTag::Replace => {
                push(&mut parts, "del", &old[o]);
                push(&mut parts, "ins", &new[n]);
            }
        }
    }
    let longest = old.len().max(new.len());
    let same_percent = (same * 100).checked_div(longest).unwrap_or(100) as u32;
    WordDiff {
        identical: parts.iter().all(|p| p.kind == "same"),
        parts,
        same_percent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(d: &WordDiff) -> String {
        d.parts
            .iter()
            .map(|p| match p.kind {
                "same" => p.text.clone(),
                "ins" => format!("+[{}]", p.text),
                _ => format!("-[{}]", p.text),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn a_reworded_quote_shows_what_changed() {
        let d = word_diff(
            "Beard said the company will not comply with the order.",
            "Beard said the firm would not comply with the order.",
        );
        assert_eq!(
            show(&d),
            "Beard said the -[company will] +[firm would] not comply with the order."
        );
        assert!(!d.identical);
        assert_eq!(d.same_percent, 80);
    }

    #[test]
    fn typographic_quotes_and_case_are_not_differences() {
        let d = word_diff("He said “no back doors”.", "he said \"No back doors\".");
        assert!(d.identical, "{}", show(&d));
        // The mention's own characters are kept for display.
        assert_eq!(d.parts[0].text, "he said \"No back doors\".");
    }

    #[test]
    fn added_and_dropped_words() {
        let d = word_diff("a b c", "a c d");
        assert_eq!(show(&d), "a -[b] c +[d]");
    }
}
