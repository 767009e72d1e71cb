//! Extract stage: per sentence, its content terms, whether it is check-worthy, and its slots.

use crate::model::{Article, Mention};
use crate::text::tokens;

/// What matching and judging need to know about one sentence.
#[derive(Debug, Clone)]
pub struct Features {
    pub mention: Mention,
    /// Stemmed content terms, sorted and de-duplicated.
    pub terms: Vec<String>,
    /// A statement worth checking (not a label, a fragment or a question to the reader).
    pub check_worthy: bool,
    /// Dates named in the sentence, normalised (`MM-DD` or `YYYY-MM-DD`).
    pub dates: Vec<String>,
    /// Numbers named in the sentence, normalised (no thousands separators).
    pub numbers: Vec<String>,
}

pub fn extract_corpus(articles: &[Article]) -> Vec<Features> {
    let mut out = Vec::new();
    for (ai, a) in articles.iter().enumerate() {
        for (si, s) in a.sentences.iter().enumerate() {
            out.push(extract_sentence(
                Mention {
                    article: ai,
                    sentence: si,
                },
                &s.text,
            ));
        }
    }
    out
}

pub fn extract_sentence(mention: Mention, text: &str) -> Features {
    let mut terms = tokens::content_terms(text);
    terms.sort();
    terms.dedup();
    let words = tokens::words(text);
    let check_worthy = words.len() >= 6 && terms.len() >= 3 && !text.trim_end().ends_with('?');
    Features {
        mention,
        terms,
        check_worthy,
        dates: dates(&words),
        numbers: numbers(text),
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month(w: &str) -> Option<usize> {
    MONTHS
        .iter()
        .position(|m| *m == w || (w.len() >= 3 && m.starts_with(w) && w != "may" && w != "mar"))
        .or_else(|| MONTHS.iter().position(|m| *m == w))
        .map(|i| i + 1)
}

fn day(w: &str) -> Option<u32> {
    let d: u32 = w
        .trim_end_matches(|c: char| c.is_alphabetic())
        .parse()
        .ok()?;
    (1..=31).contains(&d).then_some(d)
}

/// "November 30" and "30 November" (with an optional year) as `MM-DD`.
fn dates(words: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for i in 0..words.len() {
        if let Some(m) = month(&words[i]) {
            let d = words
                .get(i + 1)
                .and_then(|w| day(w))
                .or_else(|| i.checked_sub(1).and_then(|j| day(&words[j])));
            if let Some(d) = d {
                out.push(format!("{m:02}-{d:02}"));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Numbers of two or more digits (or with separators), not part of a date.
fn numbers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let inner_sep = (c == ',' || c == '.')
            && !cur.is_empty()
            && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        if c.is_ascii_digit() || inner_sep {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out.into_iter()
        .map(|n| n.replace(',', ""))
        .filter(|n| {
            n.len() >= 3
                && !(n.len() == 4 && n.starts_with("19") || n.starts_with("20") && n.len() == 4)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(text: &str) -> Features {
        extract_sentence(
            Mention {
                article: 0,
                sentence: 0,
            },
            text,
        )
    }

    #[test]
    fn finds_dates_both_ways_round() {
        assert_eq!(
            f("It ends on 30 December, not November 30.").dates,
            vec!["11-30", "12-30"]
        );
    }

    #[test]
    fn finds_numbers_but_not_years() {
        assert_eq!(
            f("There are 5,000 customers since 2013.").numbers,
            vec!["5000"]
        );
    }

    #[test]
    fn labels_and_questions_are_not_check_worthy() {
        assert!(!f("Learn more.").check_worthy);
        assert!(!f("Have you ever wondered what the company will do next?").check_worthy);
        assert!(f("The company will close its offices in the capital next month.").check_worthy);
    }
}
