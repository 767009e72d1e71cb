//! Clean stage: decide which lines of a scraped article are article text.
//!
//! First pass: blank lines go, repeated lines go, the headline is taken out as the title, and
//! short label-like lines or long menu-like lines without sentence punctuation go. Every removed
//! line is kept with its reason so the user can see it (and force it back with `keep`).

use crate::model::{Cleaned, Line, Removed, Source, SourceKind};
use std::collections::HashSet;

/// Clean every source of a corpus. Markdown is the user's own text and is never cleaned.
pub fn clean_corpus(sources: &[Source], site_keep: &[String]) -> Vec<Cleaned> {
    sources
        .iter()
        .map(|s| match s.kind {
            SourceKind::Md => Cleaned {
                body: s.lines.clone(),
                removed: Vec::new(),
                headline: None,
            },
            SourceKind::Txt => {
                let keep: Vec<&str> = site_keep
                    .iter()
                    .chain(&s.front.keep)
                    .map(String::as_str)
                    .collect();
                clean_lines(&s.lines, &keep, s.front.title.is_none())
            }
        })
        .collect()
}

/// Clean one article's lines. `find_headline`: take the headline out of the text.
pub fn clean_lines(lines: &[Line], keep: &[&str], find_headline: bool) -> Cleaned {
    let mut out = Cleaned::default();
    let mut seen: HashSet<String> = HashSet::new();
    for line in lines {
        let text = line.text.trim();
        if text.is_empty() {
            continue;
        }
        let key = text.to_lowercase();
        let forced = keep.iter().any(|k| !k.is_empty() && text.contains(k));
        let remove = |reason: &str, out: &mut Cleaned| {
            out.removed.push(Removed {
                line: line.no,
                text: text.to_string(),
                reason: reason.to_string(),
            })
        };
        if !seen.insert(key) && !forced {
            remove("repeated line", &mut out);
            continue;
        }
        if find_headline && out.headline.is_none() && out.body.is_empty() && is_headline(text) {
            out.headline = Some(Line {
                no: line.no,
                text: text.to_string(),
            });
            continue;
        }
        if !forced {
            if let Some(reason) = boilerplate_reason(text) {
                remove(reason, &mut out);
                continue;
            }
        }
        out.body.push(Line {
            no: line.no,
            text: text.to_string(),
        });
    }
    out
}

fn ends_like_sentence(text: &str) -> bool {
    let t = text.trim_end_matches(['"', '\'', '\u{201d}', '\u{2019}', ')']);
    t.ends_with(['.', '!', '?', ':', '\u{2026}'])
}

fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// Share of words that start with a capital letter.
fn title_case_share(text: &str) -> f64 {
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    if words.is_empty() {
        return 0.0;
    }
    let caps = words
        .iter()
        .filter(|w| {
            w.chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_uppercase)
        })
        .count();
    caps as f64 / words.len() as f64
}

/// A plausible headline: a handful of words, no final full stop.
fn is_headline(text: &str) -> bool {
    let n = word_count(text);
    (4..=25).contains(&n) && text.len() <= 200 && !text.ends_with('.')
}

/// Why a line looks like boilerplate, if it does.
fn boilerplate_reason(text: &str) -> Option<&'static str> {
    let n = word_count(text);
    if ends_like_sentence(text) {
        return None;
    }
    if n <= 4 {
        return Some("short label without sentence punctuation");
    }
    if n >= 8 && title_case_share(text) >= 0.6 {
        return Some("menu or list of links");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Line> {
        text.lines()
            .enumerate()
            .map(|(i, l)| Line {
                no: i + 1,
                text: l.to_string(),
            })
            .collect()
    }

    #[test]
    fn drops_blank_repeated_and_label_lines_and_reports_them() {
        let c = clean_lines(
            &lines("Big Storm Hits The Coast Today\n\nView all\nThe storm hit on Monday.\nThe storm hit on Monday.\n"),
            &[],
            true,
        );
        assert_eq!(c.headline.unwrap().text, "Big Storm Hits The Coast Today");
        assert_eq!(c.body.len(), 1);
        let reasons: Vec<_> = c
            .removed
            .iter()
            .map(|r| (r.line, r.reason.as_str()))
            .collect();
        assert_eq!(
            reasons,
            vec![
                (3, "short label without sentence punctuation"),
                (5, "repeated line")
            ]
        );
    }

    #[test]
    fn keep_forces_a_line_to_stay() {
        let c = clean_lines(
            &lines("A real sentence here.\nView all"),
            &["View all"],
            false,
        );
        assert_eq!(c.body.len(), 2);
    }

    #[test]
    fn short_real_sentence_stays() {
        let c = clean_lines(
            &lines("Headline Of The Story Here\nHe declined to comment."),
            &[],
            true,
        );
        assert_eq!(c.body[0].text, "He declined to comment.");
    }
}
