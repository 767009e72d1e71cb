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

/// Words, runs of punctuation and runs of white space, in order; concatenated they give the text
/// back. Punctuation marks are tokens of their own so "repairs," and "repairs." share the word.
fn tokens(text: &str) -> Vec<&str> {
    #[derive(PartialEq, Clone, Copy)]
    enum K {
        Word,
        Space,
        Punct,
    }
    let kind = |c: char| {
        if c.is_alphanumeric() {
            K::Word
        } else if c.is_whitespace() {
            K::Space
        } else {
            K::Punct
        }
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<K> = None;
    for (i, c) in text.char_indices() {
        let k = kind(c);
        // Each punctuation mark is a token of its own: `.”` and `.` share the full stop.
        if prev.is_some_and(|p| p != k || k == K::Punct) {
            out.push(&text[start..i]);
            start = i;
        }
        prev = Some(k);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

fn is_word(t: &str) -> bool {
    t.chars().any(char::is_alphanumeric)
}

fn key(token: &str) -> String {
    if token.chars().all(char::is_whitespace) {
        " ".into()
    } else {
        fold(token)
    }
}

fn push(parts: &mut Vec<DiffPart>, kind: &'static str, toks: &[&str]) {
    let text: String = toks.concat();
    if text.is_empty() {
        return;
    }
    match parts.last_mut() {
        Some(last) if last.kind == kind => last.text.push_str(&text),
        _ => parts.push(DiffPart { kind, text }),
    }
}

/// Compare `mention` against `canonical`, word by word.
pub fn word_diff(canonical: &str, mention: &str) -> WordDiff {
    let old = tokens(canonical.trim());
    let new = tokens(mention.trim());
    let old_keys: Vec<String> = old.iter().map(|w| key(w)).collect();
    let new_keys: Vec<String> = new.iter().map(|w| key(w)).collect();
    let ops = capture_diff_slices(Algorithm::Patience, &old_keys, &new_keys);
    let mut parts = Vec::new();
    let mut same = 0;
    for op in ops {
        let (tag, o, n) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => {
                same += new[n.clone()].iter().filter(|t| is_word(t)).count();
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
    // White space at the edges of a changed run belongs to the text around it, and a changed
    // run that is only white space is no change.
    let mut merged: Vec<DiffPart> = Vec::new();
    let mut add = |kind: &'static str, text: &str| {
        if text.is_empty() {
            return;
        }
        match merged.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(text),
            _ => merged.push(DiffPart {
                kind,
                text: text.to_string(),
            }),
        }
    };
    for p in &parts {
        if p.kind == "same" {
            add("same", &p.text);
            continue;
        }
        let core = p.text.trim();
        let lead = &p.text[..p.text.len() - p.text.trim_start().len()];
        let trail = &p.text[p.text.trim_end().len()..];
        // Quote marks alone are no change of wording (a quote may be reported without them).
        let only_quotes = core
            .chars()
            .all(|c| c.is_whitespace() || matches!(fold(&c.to_string()).as_str(), "'" | "\""));
        if core.is_empty() || only_quotes {
            add("same", &p.text);
        } else {
            add("same", lead);
            add(p.kind, core);
            add("same", trail);
        }
    }
    let longest = old
        .iter()
        .filter(|t| is_word(t))
        .count()
        .max(new.iter().filter(|t| is_word(t)).count());
    let same_percent = (same * 100).checked_div(longest).unwrap_or(100) as u32;
    WordDiff {
        identical: merged.iter().all(|p| p.kind == "same"),
        parts: merged,
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
            .collect::<String>()
    }

    #[test]
    fn a_reworded_quote_shows_what_changed() {
        let d = word_diff(
            "Beard said the company will not comply with the order.",
            "Beard said the firm would not comply with the order.",
        );
        assert_eq!(
            show(&d),
            "Beard said the -[company]+[firm] -[will]+[would] not comply with the order."
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
    fn punctuation_is_apart_from_the_word() {
        let d = word_diff(
            "It will close for repairs, the city council said.",
            "It will close for repairs.",
        );
        assert_eq!(
            show(&d),
            "It will close for repairs-[, the city council said]."
        );
        assert_eq!(d.same_percent, 55);
    }

    #[test]
    fn quote_marks_alone_are_not_a_change() {
        let d = word_diff("We will not compromise.", "“We will not compromise.”");
        assert!(d.identical, "{}", show(&d));
        let d = word_diff("We will not.", "We will not, he said.");
        assert_eq!(show(&d), "We will not+[, he said].");
    }

    #[test]
    fn added_and_dropped_words() {
        let d = word_diff("a b c", "a c d");
        assert_eq!(show(&d), "a -[b] c +[d]");
    }
}
