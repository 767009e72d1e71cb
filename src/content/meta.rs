//! Metadata: title, author, date, source. Front matter wins; else what the text plainly says;
//! a value that cannot be found stays absent (never guessed).
//!
//! - title: front matter, else the headline the cleaner found, else the first sentence, shortened;
//! - author: a byline in the page header ("By NAME", "By NAME, Role", "NAME | date", a name on its
//!   own line next to the headline), never a desk or staff credit;
//! - date: the first full date in the page header (above the article text), so dates in the
//!   text (events, teasers) are not taken; a numeric date that reads both ways (09/07/2024) is
//!   settled by the other articles' dates, else left out;
//! - source: front matter, else the outlet the article credits ("originally appeared on X",
//!   "Distributed by X", "By NAME, X"), else a copyright or "X's mission is" footer, else a
//!   domain in the page header or footer.

use crate::content::dates::{find_dates, DateHit};
use crate::content::signals::{ends_like_sentence, fold, word_count};
use crate::model::{Cleaned, FrontMatter, Meta, Source};
use chrono::NaiveDate;

/// Longest title taken from a first sentence, in characters.
const MAX_TITLE_CHARS: usize = 120;

/// Metadata of every article; ambiguous dates are settled against the other articles' dates.
pub fn extract_all(sources: &[Source], cleaned: &[Cleaned]) -> Vec<Meta> {
    settle_all(
        sources
            .iter()
            .zip(cleaned)
            .map(|(s, c)| extract_own(s, c))
            .collect(),
    )
}

/// What [`extract_all`] finds in one article alone: its metadata, and a date that reads two
/// ways, left for [`settle_all`] to decide against the corpus. `serve` keeps it per article.
pub fn extract_own(source: &Source, cleaned: &Cleaned) -> (Meta, Option<DateHit>) {
    extract_one(source, cleaned)
}

/// The second half of [`extract_all`]: each ambiguous date settled against the other
/// articles' dates.
pub fn settle_all(own: Vec<(Meta, Option<DateHit>)>) -> Vec<Meta> {
    let mut metas = Vec::with_capacity(own.len());
    let mut pending = Vec::new();
    for (i, (meta, ambiguous)) in own.into_iter().enumerate() {
        if let Some(h) = ambiguous {
            pending.push((i, h));
        }
        metas.push(meta);
    }
    let median = median_date(metas.iter().filter_map(own_date).collect());
    for (i, hit) in pending {
        metas[i].date = settle_date(&hit, median);
    }
    metas
}

/// An article's own date (`YYYY-MM-DD`), parsed: what [`median_date`] is taken over.
pub fn own_date(meta: &Meta) -> Option<NaiveDate> {
    meta.date
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

/// The date [`settle_all`] settles an ambiguous date against: the median of the articles'
/// own dates (given in any order; the upper one of an even count), none without any.
pub fn median_date(mut dates: Vec<NaiveDate>) -> Option<NaiveDate> {
    if dates.is_empty() {
        return None;
    }
    let mid = dates.len() / 2;
    Some(*dates.select_nth_unstable(mid).1)
}

/// The date [`settle_all`] gives an article whose date `hit` reads two ways, given the
/// corpus's [median date](median_date).
pub fn settle_date(hit: &DateHit, median: Option<NaiveDate>) -> Option<String> {
    settle(hit, median).map(|d| d.to_string())
}

/// Metadata of one article on its own (an ambiguous date stays absent).
pub fn extract(source: &Source, cleaned: &Cleaned) -> Meta {
    extract_one(source, cleaned).0
}

/// Pick the reading of an ambiguous date closest to the other articles' dates (one story's
/// articles are published within days of each other); none when nothing tells them apart.
fn settle(hit: &DateHit, median: Option<NaiveDate>) -> Option<NaiveDate> {
    let (a, b, median) = (hit.date?, hit.alternative?, median?);
    let da = (a - median).num_days().abs();
    let db = (b - median).num_days().abs();
    let (near, d_near, d_far) = if da < db { (a, da, db) } else { (b, db, da) };
    (d_near <= 31 && d_far > d_near * 3).then_some(near)
}

fn extract_one(source: &Source, cleaned: &Cleaned) -> (Meta, Option<DateHit>) {
    let front: &FrontMatter = &source.front;
    let header = header_lines(source, cleaned);
    let footer = footer_lines(source, cleaned);
    let title = front
        .title
        .clone()
        .or_else(|| cleaned.headline.as_ref().map(|l| l.text.clone()))
        .or_else(|| first_heading_or_line(cleaned));
    let author = front
        .author
        .clone()
        .or_else(|| byline(&header, title.as_deref(), &common_words(cleaned)));
    let mut ambiguous = None;
    let date = front.date.clone().or_else(|| {
        // Date lines first ("Published March 14, 2024"), then any other header line.
        let lines = header_with_reasons(source, cleaned);
        let dated = |l: &String| find_dates(l).find(|h| h.date.is_some() && !promo_line(l));
        let hit = lines
            .iter()
            .filter(|(_, reason)| reason == "byline or date line")
            .find_map(|(l, _)| dated(l))
            .or_else(|| lines.iter().find_map(|(l, _)| dated(l)))?;
        if hit.alternative.is_some() {
            ambiguous = Some(hit);
            return None;
        }
        hit.date.map(|d| d.to_string())
    });
    let source_name = front
        .source
        .clone()
        .or_else(|| credited_outlet(&header, &footer, cleaned))
        .or_else(|| footer.iter().rev().find_map(|l| copyright_holder(l)))
        .or_else(|| header.iter().find_map(|l| copyright_holder(l)))
        .or_else(|| all_lines(cleaned).iter().find_map(|l| mission_holder(l)))
        .or_else(|| header.iter().chain(&footer).find_map(|l| domain_in(l)));
    (
        Meta {
            title,
            author,
            date,
            source: source_name,
            url: front.url.clone(),
        },
        ambiguous,
    )
}

/// A promo or event line: its dates are not the article's.
fn promo_line(line: &str) -> bool {
    crate::content::signals::promo_label(line).is_some()
}

/// The removed lines above the article text (the page header), in order, headline included.
fn header_lines(source: &Source, cleaned: &Cleaned) -> Vec<String> {
    header_with_reasons(source, cleaned)
        .into_iter()
        .map(|x| x.0)
        .collect()
}

/// The page header with each line's removal reason (empty for the headline). Bylines and date
/// lines just inside the text (under a standfirst kept as text) count as header too.
fn header_with_reasons(_source: &Source, cleaned: &Cleaned) -> Vec<(String, String)> {
    let first_body = cleaned.body.first().map(|l| l.no).unwrap_or(usize::MAX);
    let third_body = cleaned.body.get(2).map(|l| l.no).unwrap_or(usize::MAX);
    let mut out: Vec<(usize, String, String)> = cleaned
        .removed
        .iter()
        .filter(|r| {
            r.line < first_body || (r.line < third_body && r.reason == "byline or date line")
        })
        .map(|r| (r.line, r.text.clone(), r.reason.clone()))
        .collect();
    if let Some(h) = &cleaned.headline {
        out.push((h.no, h.text.clone(), String::new()));
    }
    out.sort_by_key(|x| x.0);
    out.into_iter().map(|x| (x.1, x.2)).collect()
}

/// The removed lines below the article text (the page footer), in order.
fn footer_lines(_source: &Source, cleaned: &Cleaned) -> Vec<String> {
    let last_body = cleaned.body.last().map(|l| l.no).unwrap_or(0);
    cleaned
        .removed
        .iter()
        .filter(|r| r.line > last_body)
        .map(|r| r.text.clone())
        .collect()
}

fn all_lines(cleaned: &Cleaned) -> Vec<String> {
    cleaned
        .removed
        .iter()
        .map(|r| r.text.clone())
        .chain(cleaned.body.iter().map(|l| l.text.clone()))
        .collect()
}

fn first_heading_or_line(cleaned: &Cleaned) -> Option<String> {
    let line = cleaned.body.iter().find(|l| !l.text.trim().is_empty())?;
    let text = line.text.trim().trim_start_matches('#').trim();
    let first = crate::text::sentences::split_str(text).first().copied()?;
    Some(shorten(strip_dateline(first), MAX_TITLE_CHARS))
}

/// "WASHINGTON (AP) — Regulators ordered…" → "Regulators ordered…": a wire dateline is no title.
fn strip_dateline(sentence: &str) -> &str {
    for dash in [" \u{2014} ", " -- ", " \u{2013} ", " - "] {
        if let Some((head, rest)) = sentence.split_once(dash) {
            let place: String = head
                .chars()
                .take_while(|c| *c != '(' && *c != ',')
                .filter(|c| c.is_alphabetic())
                .collect();
            if !place.is_empty()
                && place.chars().all(char::is_uppercase)
                && word_count(head) <= 6
                && !rest.is_empty()
            {
                return rest;
            }
        }
    }
    sentence
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

/// Words that make a byline a credit to a desk or a role rather than a person.
const NOT_A_NAME: &[&str] = &[
    "staff",
    "desk",
    "team",
    "editor",
    "editors",
    "editorial",
    "newsroom",
    "news",
    "reporter",
    "reporters",
    "writer",
    "service",
    "press",
    "media",
    "daily",
    "weekly",
    "journal",
    "times",
    "post",
    "online",
    "report",
    "group",
    "wire",
    "agency",
    "courier",
    "gazette",
    "tribune",
    "herald",
    "voice",
    "beacon",
    "dispatch",
    "magazine",
    "radio",
    "tv",
    "home",
    "share",
    "comments",
    "view",
    "menu",
    "search",
    "contact",
    "about",
    "sign",
    "subscribe",
    "read",
];

/// Words naming a job: after a comma in a byline they are a role, not an outlet.
const ROLE_WORDS: &[&str] = &[
    "writer",
    "reporter",
    "correspondent",
    "editor",
    "meteorologist",
    "columnist",
    "contributor",
    "producer",
    "analyst",
    "staff",
    "critic",
    "photographer",
    "director",
    "chief",
    "senior",
    "intern",
    "manager",
    "officer",
    "professor",
    "author",
    "journalist",
    "anchor",
    "host",
];

/// A job word, singular or plural ("correspondent", "Correspondents,").
fn is_role_word(w: &str) -> bool {
    let w = w.trim_matches(|c: char| !c.is_alphabetic()).to_lowercase();
    ROLE_WORDS.contains(&w.as_str()) || w.strip_suffix('s').is_some_and(|s| ROLE_WORDS.contains(&s))
}

/// A person's name: 2–4 capitalised words (initials allowed), no digits, no desk words.
fn is_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    if !(2..=4).contains(&words.len()) {
        return false;
    }
    words.iter().all(|w| {
        let first = w.chars().next().unwrap_or(' ');
        first.is_uppercase()
            && w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '\u{2019}'))
            && !NOT_A_NAME.contains(&w.to_lowercase().as_str())
            && !crate::text::tokens::is_stop_word(&w.to_lowercase())
    })
}

/// The person in a header line, if it is a byline.
fn name_in(line: &str) -> Option<String> {
    let t = line.trim();
    // "By NAME", "By NAME, Role", "By NAME | Role", "Posted on DATE by NAME | …".
    let lower = t.to_lowercase();
    let after_by = if lower.len() != t.len() {
        None
    } else if lower.starts_with("by ") {
        t.get(3..)
    } else {
        lower.find(" by ").and_then(|i| t.get(i + 4..))
    };
    if let Some(rest) = after_by {
        let name = rest.split([',', '|', '\u{2022}', '\u{b7}']).next()?.trim();
        let name = name.split(" and ").next().unwrap_or(name).trim();
        return is_name(name).then(|| name.to_string());
    }
    // "NAME | date" and "NAME, Role".
    if let Some((head, tail)) = t.split_once(['|', ',']) {
        let head = head.trim();
        let dated = find_dates(tail).any(|h| h.date.is_some());
        let role = fold(tail).split_whitespace().any(is_role_word);
        if (dated || role) && is_name(head) {
            return Some(head.to_string());
        }
        return None;
    }
    None
}

/// Words the article text writes in lower case: common nouns, not parts of a person's name.
fn common_words(cleaned: &Cleaned) -> std::collections::HashSet<String> {
    cleaned
        .body
        .iter()
        .flat_map(|l| l.text.split_whitespace())
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.starts_with(|c: char| c.is_lowercase()))
        .map(str::to_string)
        .collect()
}

/// The author: a byline among the header lines; a bare name is taken only just after the
/// headline, and only when none of its words is a common word of the text.
fn byline(
    header: &[String],
    title: Option<&str>,
    common: &std::collections::HashSet<String>,
) -> Option<String> {
    if let Some(n) = header.iter().find_map(|l| name_in(l)) {
        return Some(n);
    }
    let title = title.map(fold);
    let after = header
        .iter()
        .position(|l| Some(fold(l)) == title)
        .map(|i| i + 1)?;
    header[after..]
        .iter()
        .take(3)
        .map(|l| l.trim())
        .find(|l| {
            is_name(l)
                && !ends_like_sentence(l)
                && l.split_whitespace()
                    .all(|w| !common.contains(&w.to_lowercase()))
        })
        .map(str::to_string)
}

/// The outlet an article credits for itself (a republished or wire story).
fn credited_outlet(header: &[String], footer: &[String], cleaned: &Cleaned) -> Option<String> {
    let clean_org = |s: &str| -> Option<String> {
        let s = s.split(['.', ',', '|', ';', '(']).next()?.trim();
        // The name: its run of capitalised words ("Coast Daily and is republished…").
        let mut words: Vec<&str> = Vec::new();
        for w in s.split_whitespace() {
            let capital = w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit());
            if capital || matches!(w, "&" | "of" | "the" | "de") && !words.is_empty() {
                words.push(w);
            } else {
                break;
            }
        }
        while words
            .last()
            .is_some_and(|w| matches!(*w, "&" | "of" | "the" | "de"))
        {
            words.pop();
        }
        let n = words.len();
        ((1..=6).contains(&n)).then(|| words.join(" "))
    };
    for line in all_lines(cleaned) {
        let f = fold(&line);
        for marker in [
            "originally appeared on ",
            "originally appeared in ",
            "originally published by ",
            "originally published on ",
            "distributed by ",
            "republished with permission from ",
        ] {
            if let Some(i) = f.find(marker) {
                // Same byte offsets: fold only lower-cases ASCII-compatible text here.
                if f.len() == line.len() {
                    if let Some(org) = line.get(i + marker.len()..).and_then(clean_org) {
                        return Some(org);
                    }
                }
            }
        }
    }
    // "By NAME, Outlet" where the part after the comma is not a job.
    for l in header.iter().chain(footer) {
        let f = fold(l);
        if !f.starts_with("by ") {
            continue;
        }
        if let Some((_, tail)) = l.split_once(',') {
            let tail = tail.split('|').next().unwrap_or("").trim();
            let role = fold(tail).split_whitespace().any(is_role_word);
            if !role && find_dates(tail).next().is_none() {
                if let Some(org) = clean_org(tail) {
                    return Some(org);
                }
            }
        }
    }
    None
}

/// The holder named in a copyright line: "© 2024 The Ledger-Courier. All rights reserved."
pub fn copyright_holder(line: &str) -> Option<String> {
    let t = line.trim();
    let f = fold(t);
    let at = if let Some(i) = t.find('\u{a9}') {
        i + '\u{a9}'.len_utf8()
    } else if f.starts_with("copyright") && f.len() == t.len() {
        "copyright".len()
    } else {
        return None;
    };
    let mut rest = t[at..].trim_start();
    loop {
        let before = rest;
        rest = rest.trim_start_matches(['\u{a9}', ' ', ',']);
        if let Some(r) = rest.strip_prefix("Copyright") {
            rest = r;
        }
        if let Some(r) = rest.strip_prefix("(c)") {
            rest = r;
        }
        let year_len = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '-')
            .count();
        if year_len >= 4 {
            rest = &rest[year_len..];
        }
        if rest == before {
            break;
        }
    }
    let name = rest
        .split(['|', ',', '\u{b7}'])
        .next()
        .unwrap_or("")
        .split(". ")
        .next()
        .unwrap_or("")
        .trim()
        .trim_end_matches('.')
        .trim();
    // "© Daily Beacon Online 2024": a year after the name.
    let name = match name.rsplit_once(' ') {
        Some((head, year)) if year.len() == 4 && year.chars().all(|c| c.is_ascii_digit()) => {
            head.trim()
        }
        _ => name,
    };
    let name = if fold(name).starts_with("all rights") {
        ""
    } else {
        name
    };
    let n = word_count(name);
    if (1..=6).contains(&n) && name.starts_with(|c: char| c.is_alphanumeric()) {
        return Some(name.to_string());
    }
    // "Weatherline Journal © 2024 …": the name before the sign.
    let before = t[..t.find('\u{a9}')?].trim();
    let n = word_count(before);
    ((1..=5).contains(&n)).then(|| before.to_string())
}

/// "X's mission is …" → X.
fn mission_holder(line: &str) -> Option<String> {
    let t = line.trim();
    for marker in ["'s mission is", "\u{2019}s mission is"] {
        if let Some(i) = t.find(marker) {
            let name = t[..i].trim();
            let n = word_count(name);
            if (1..=5).contains(&n) && name.starts_with(|c: char| c.is_uppercase()) {
                return Some(name.to_string());
            }
        }
    }
    None
}

/// A web domain named in a line ("example.com", "www.example.org").
fn domain_in(line: &str) -> Option<String> {
    const TLDS: &[&str] = &[
        "com", "org", "net", "news", "co.uk", "com.au", "co", "io", "info", "tv", "ca", "uk",
    ];
    for w in line.split_whitespace() {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        let w = w.split('/').next().unwrap_or("");
        let w = w.strip_prefix("www.").unwrap_or(w).to_lowercase();
        if w.contains('@') || !w.contains('.') {
            continue;
        }
        if TLDS.iter().any(|t| {
            w.strip_suffix(t)
                .and_then(|s| s.strip_suffix('.'))
                .is_some_and(|s| {
                    !s.is_empty()
                        && s.chars()
                            .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
                })
        }) {
            return Some(w);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fallback_title_drops_a_wire_dateline() {
        assert_eq!(
            strip_dateline("WASHINGTON (AP) \u{2014} Regulators ordered checks."),
            "Regulators ordered checks."
        );
        assert_eq!(
            strip_dateline("BRANTFORD MILLS, Vt. - Water rose."),
            "Water rose."
        );
        assert_eq!(
            strip_dateline("Prices rose - a lot."),
            "Prices rose - a lot."
        );
    }

    #[test]
    fn shorten_cuts_at_a_word() {
        assert_eq!(shorten("one two three four", 10), "one two\u{2026}");
        assert_eq!(shorten("short", 10), "short");
    }

    #[test]
    fn bylines() {
        assert_eq!(
            name_in("By Dana Whitfield, Sports Marketing Reporter").as_deref(),
            Some("Dana Whitfield")
        );
        assert_eq!(
            name_in("By Ann Lee | Business reporter").as_deref(),
            Some("Ann Lee")
        );
        assert_eq!(name_in("By LENA MARSH").as_deref(), Some("LENA MARSH"));
        assert_eq!(
            name_in("Posted on 2024-03-15 by Jo Bell | Leave a comment").as_deref(),
            Some("Jo Bell")
        );
        assert_eq!(
            name_in("Priya Raman, Meteorologist").as_deref(),
            Some("Priya Raman")
        );
        assert_eq!(
            name_in("By Maya Ortiz and Li Wen, Transport correspondents").as_deref(),
            Some("Maya Ortiz")
        );
        assert_eq!(name_in("By City News Desk"), None);
        assert_eq!(name_in("By KXTV Staff"), None);
        assert_eq!(name_in("Home | News | Sports"), None);
    }

    #[test]
    fn copyright_holders() {
        let h = |s| copyright_holder(s);
        assert_eq!(
            h("\u{a9} 2024 The Daily Paper. All rights reserved.").as_deref(),
            Some("The Daily Paper")
        );
        assert_eq!(
            h("Copyright 2024 Town Gazette. All rights reserved.").as_deref(),
            Some("Town Gazette")
        );
        assert_eq!(
            h("\u{a9} Evening Lamp Online 2024").as_deref(),
            Some("Evening Lamp Online")
        );
        assert_eq!(
            h("Copyright \u{a9} 2024 Hill Post, a division of Big Media.").as_deref(),
            Some("Hill Post")
        );
        assert_eq!(
            h("\u{a9} 2024 Pulse 24. All Rights Reserved.").as_deref(),
            Some("Pulse 24")
        );
        assert_eq!(h("The river rose."), None);
    }

    #[test]
    fn ambiguous_date_settled_by_the_corpus_or_left_out() {
        let hit = find_dates("09/07/2024").next().unwrap();
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            settle(&hit, median_date(vec![d("2024-07-10"), d("2024-07-08")]))
                .map(|x| x.to_string()),
            Some("2024-07-09".to_string())
        );
        assert_eq!(settle(&hit, median_date(Vec::new())), None);
        // The median of an odd count is the middle date, whatever the order given.
        let dates = vec![d("2024-07-12"), d("2024-07-01"), d("2024-07-08")];
        assert_eq!(median_date(dates), Some(d("2024-07-08")));
    }

    #[test]
    fn mission_and_domain() {
        assert_eq!(
            mission_holder("Acme News's mission is to inform.").as_deref(),
            Some("Acme News")
        );
        assert_eq!(
            domain_in("Visit www.example.com/about today").as_deref(),
            Some("example.com")
        );
        assert_eq!(domain_in("It rose 2.5 percent."), None);
    }

    fn source_of(text: &str) -> (Source, Cleaned) {
        let lines: Vec<crate::model::Line> = text
            .lines()
            .enumerate()
            .map(|(i, l)| crate::model::Line {
                no: i + 1,
                text: l.to_string(),
            })
            .collect();
        let cleaned = crate::content::clean::clean_lines(&lines, &[], true);
        let source = Source {
            path: "a.txt".into(),
            file: "a.txt".into(),
            kind: crate::model::SourceKind::Txt,
            front: FrontMatter::default(),
            raw: text.to_string(),
            lines,
        };
        (source, cleaned)
    }

    const P1: &str = "The storm brought heavy rain to the coast on Monday, and the river rose \
                      above its banks before dawn, officials said.";
    const P2: &str = "Promoted: Harbour Festival, August 2, 2024 at the pier. Tickets on sale now.";
    const P3: &str = "Rescue crews pulled dozens of people from their homes and cars as the \
                      water kept rising through the morning.";

    #[test]
    fn metadata_from_a_scraped_header_and_footer() {
        let text = format!(
            "The Harbour Times\nNews | Sport | Weather\nStorm floods the harbour town\nBy Ann Lee | Staff writer\nPublished July 8, 2024 at 7:48 p.m.\n{P1}\n{P2}\n{P3}\n\u{a9} 2024 Harbour Times Media. All rights reserved."
        );
        let (s, c) = source_of(&text);
        let m = extract(&s, &c);
        assert_eq!(m.title.as_deref(), Some("Storm floods the harbour town"));
        assert_eq!(m.author.as_deref(), Some("Ann Lee"));
        assert_eq!(m.date.as_deref(), Some("2024-07-08"));
        assert_eq!(m.source.as_deref(), Some("Harbour Times Media"));
    }

    #[test]
    fn nothing_is_invented_when_the_page_does_not_say() {
        // An event date in the text is not the publication date; no byline, no footer.
        let text = format!("{P1}\n{P2}\n{P3}");
        let (s, c) = source_of(&text);
        let m = extract(&s, &c);
        assert_eq!((m.author, m.date, m.source), (None, None, None));
        // The title falls back to the first sentence.
        assert_eq!(
            m.title.as_deref(),
            Some(shorten(P1, MAX_TITLE_CHARS).as_str())
        );
    }

    #[test]
    fn republished_story_credits_its_outlet() {
        let text = format!(
            "Valley Post\nStorm floods harbour town as river rises\nBy Ann Lee\n{P1}\n{P3}\nThis article originally appeared on Coast Daily and is republished here with permission.\nCopyright 2024 Valley Post."
        );
        let (s, c) = source_of(&text);
        assert_eq!(extract(&s, &c).source.as_deref(), Some("Coast Daily"));
    }

    #[test]
    fn odd_input_does_not_panic() {
        let text = "İstanbul by İzmir\n\u{a9}\nCopyright\n\u{a9} 2024\nBy\nx's mission is\n\
                    This article originally appeared on\nDistributed by\nwww.\n.com\n09/07/2024";
        let (s, c) = source_of(text);
        let m = extract(&s, &c);
        assert_eq!(m.author, None);
    }

    #[test]
    fn date_line_beats_a_teaser_date_and_a_byline_under_a_standfirst_counts() {
        let text = format!(
            "The Harbour Times\nTrending: Festival opens June 1, 2024 | Storm season\nStorm floods harbour town as river rises\n{P1}\nBy Ann Lee\nJuly 8, 2024\n{P3}\n{P1} Again."
        );
        let (s, c) = source_of(&text);
        let m = extract(&s, &c);
        assert_eq!(m.date.as_deref(), Some("2024-07-08"));
        assert_eq!(m.author.as_deref(), Some("Ann Lee"));
    }
}
