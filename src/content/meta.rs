//! Metadata: title, author, date, source. Front matter wins; else what the text plainly says;
//! a value that cannot be found stays absent (never guessed).

use crate::model::{Cleaned, FrontMatter, Meta, Source};

/// Longest title taken from a first sentence, in characters.
const MAX_TITLE_CHARS: usize = 120;

pub fn extract(source: &Source, cleaned: &Cleaned) -> Meta {
    let front: &FrontMatter = &source.front;
    let title = front
        .title
        .clone()
        .or_else(|| cleaned.headline.as_ref().map(|l| l.text.clone()))
        .or_else(|| first_heading_or_line(cleaned));
    let author = front.author.clone().or_else(|| byline(cleaned));
    Meta {
        title,
        author,
        date: front.date.clone(),
        source: front.source.clone(),
        url: front.url.clone(),
    }
}

fn first_heading_or_line(cleaned: &Cleaned) -> Option<String> {
    let line = cleaned.body.iter().find(|l| !l.text.trim().is_empty())?;
    let text = line.text.trim().trim_start_matches('#').trim();
    let first = crate::text::sentences::split_str(text).first().copied()?;
    Some(shorten(first, MAX_TITLE_CHARS))
}

/// Shorten at a word boundary, marking the cut with an ellipsis.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out = String::new();
    for w in text.split_whitespace() {
        if out.chars().count() + w.chars().count() + 1 > max - 1 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out.push('\u{2026}');
    out
}

/// "By NAME" on a line of its own (in the removed lines or the body).
fn byline(cleaned: &Cleaned) -> Option<String> {
    let texts = cleaned
        .removed
        .iter()
        .map(|r| r.text.as_str())
        .chain(cleaned.body.iter().map(|l| l.text.as_str()));
    for t in texts {
        let t = t.trim();
        if let Some(rest) = t.strip_prefix("By ").or_else(|| t.strip_prefix("by ")) {
            let name = rest.split([',', '|']).next().unwrap_or("").trim();
            let words = name.split_whitespace().count();
            if (2..=4).contains(&words)
                && name
                    .split_whitespace()
                    .all(|w| w.starts_with(char::is_uppercase))
            {
                return Some(name.to_string());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_cuts_at_a_word() {
        assert_eq!(shorten("one two three four", 10), "one two\u{2026}");
        assert_eq!(shorten("short", 10), "short");
    }
}
