//! Sentence boundaries inside a paragraph.
//!
//! A boundary is a `.`, `!` or `?` (optionally followed by closing quotes or brackets) followed by
//! white space and then something that can start a sentence. Known abbreviations and single-letter
//! initials do not end a sentence. Sentences are returned as byte ranges of the paragraph, so
//! nothing is ever lost: joining them with the white space between gives the paragraph back.

use crate::text::tokens;
use std::ops::Range;

/// Words that end with a full stop but rarely end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "adm", "apr", "aug", "capt", "co", "col", "corp", "dec", "dept", "dr", "e.g", "etc", "feb",
    "fig", "gen", "gov", "i.e", "inc", "jan", "jr", "jul", "jun", "lt", "ltd", "mar", "mr", "mrs",
    "ms", "mt", "no", "nov", "oct", "prof", "rep", "rev", "sen", "sep", "sept", "sgt", "sr", "st",
    "u.k", "u.n", "u.s", "vs",
];

fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | ')' | ']' | '\u{201d}' | '\u{2019}' | '\u{bb}'
    )
}

fn can_start_sentence(c: char) -> bool {
    c.is_uppercase()
        || c.is_ascii_digit()
        || matches!(
            c,
            '"' | '\'' | '(' | '[' | '\u{201c}' | '\u{2018}' | '\u{ab}'
        )
        || (c.is_alphabetic() && !c.is_lowercase())
}

/// Split a paragraph into sentence byte ranges (trimmed of surrounding white space).
pub fn split(text: &str) -> Vec<Range<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut i = 0usize;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if matches!(c, '.' | '!' | '?' | '\u{2026}') {
            // Run of terminal punctuation and closers.
            let mut j = i + 1;
            while j < chars.len()
                && (matches!(chars[j].1, '.' | '!' | '?') || is_closer(chars[j].1))
            {
                j += 1;
            }
            let end = chars.get(j).map(|x| x.0).unwrap_or(text.len());
            // Needs white space, then a sentence start.
            let mut k = j;
            while k < chars.len() && chars[k].1.is_whitespace() {
                k += 1;
            }
            let boundary = k > j
                && k < chars.len()
                && can_start_sentence(chars[k].1)
                && !(c == '.' && j == i + 1 && is_abbreviation(&text[start..pos]))
                && !(c == '.' && is_clock(&text[start..pos]) && time_follows(&text[chars[k].0..]));
            if boundary {
                push_trimmed(text, start..end, &mut out);
                start = chars[k].0;
                i = k;
                continue;
            }
            i = j;
            let _ = pos;
            continue;
        }
        i += 1;
    }
    push_trimmed(text, start..text.len(), &mut out);
    out
}

fn push_trimmed(text: &str, r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail < s.len() {
        out.push(r.start + lead..r.end - trail);
    }
}

/// Does the text before a full stop end with "a.m" or "p.m"?
fn is_clock(before: &str) -> bool {
    let lower = before.to_lowercase();
    lower.ends_with("a.m") || lower.ends_with("p.m")
}

/// After "7 p.m." a weekday, a month or a time zone ("EDT") continues the sentence.
fn time_follows(after: &str) -> bool {
    let word: String = after.chars().take_while(|c| c.is_alphabetic()).collect();
    let lower = word.to_lowercase();
    // A weekday, a month (not "may", which is mostly the verb) or "local" (time) carries on.
    let l = lower.as_str();
    tokens::WEEKDAYS.contains(&l)
        || (l != "may" && tokens::MONTHS.contains(&l))
        || l == "local"
        || (word.len() >= 2 && word.len() <= 4 && word.chars().all(|c| c.is_uppercase()))
}

/// Does the text before a full stop end with an abbreviation or an initial?
fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '\u{201c}')
        .next()
        .unwrap_or("");
    let lower = word.to_lowercase();
    if ABBREVIATIONS.binary_search(&lower.as_str()).is_ok() {
        return true;
    }
    // A single capital letter ("S. Ismail Shah") or dotted initials ("U.S", "J.R").
    let letters: Vec<char> = word.chars().filter(|c| *c != '.').collect();
    !letters.is_empty()
        && letters.len() <= 2
        && letters.iter().all(|c| c.is_uppercase())
        && (letters.len() == 1 || word.contains('.'))
}

/// Split a paragraph into sentence strings.
pub fn split_str(text: &str) -> Vec<&str> {
    split(text).into_iter().map(|r| &text[r]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_are_sorted() {
        let mut s = ABBREVIATIONS.to_vec();
        s.sort();
        assert_eq!(s, ABBREVIATIONS);
    }

    #[test]
    fn splits_simple_sentences() {
        assert_eq!(
            split_str("One two. Three four! Five?"),
            vec!["One two.", "Three four!", "Five?"]
        );
    }

    #[test]
    fn keeps_abbreviations_and_initials() {
        assert_eq!(
            split_str("Mr. Smith met S. Ismail Shah in the U.S. on Monday. He left."),
            vec![
                "Mr. Smith met S. Ismail Shah in the U.S. on Monday.",
                "He left."
            ]
        );
    }

    #[test]
    fn closing_quote_stays_with_its_sentence() {
        assert_eq!(
            split_str("He said: \u{201c}We will not.\u{201d} Then he left."),
            vec!["He said: \u{201c}We will not.\u{201d}", "Then he left."]
        );
    }

    #[test]
    fn decimals_do_not_split() {
        assert_eq!(
            split_str("It rose 2.5 percent. Fine."),
            vec!["It rose 2.5 percent.", "Fine."]
        );
    }

    #[test]
    fn joining_gives_the_paragraph_back() {
        let p = "A b. C d? \u{201c}E f.\u{201d} G h i.";
        let joined = split_str(p).join(" ");
        assert_eq!(joined, p);
    }
}
