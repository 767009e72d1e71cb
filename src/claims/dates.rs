//! Dates named in a sentence, absolute ("March 14, 2024", "30 December") or relative to the
//! article's date ("on Monday", "last Thursday", "yesterday", "end of this month").
//!
//! Spotting is ours (no crate finds dates in prose); chrono does the arithmetic. A relative date
//! is only resolved when the article's date is known; an absolute date without a year takes the
//! article's year (or the year before, when that would put it more than half a year ahead).

use crate::claims::slots::Tok;
use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// Words that put a weekday in the future ("more rain is expected Wednesday").
const FUTURE_CUES: &[&str] = &[
    "expected",
    "forecast",
    "planned",
    "plans",
    "scheduled",
    "upcoming",
    "will",
    "'ll",
    "begins",
    "starting",
];

/// Two dates as the slots write them (`YYYY-MM-DD`, or `MM-DD` when the year is unknown) name
/// the same day: equal, or one without a year matching the other's month and day.
pub fn same_day(a: &str, b: &str) -> bool {
    a == b
        || (a.len() == 5 && b.len() == 10 && b.ends_with(a) && b.as_bytes()[4] == b'-')
        || (b.len() == 5 && a.len() == 10 && a.ends_with(b) && a.as_bytes()[4] == b'-')
}

/// A month name or its abbreviation ("Nov", "Sept"); "may" and "mar" only as full words.
pub fn month(w: &str) -> Option<u32> {
    crate::text::tokens::month_of(w.trim_end_matches('.'))
}

fn day(w: &str) -> Option<u32> {
    let digits = w
        .strip_suffix("st")
        .or_else(|| w.strip_suffix("nd"))
        .or_else(|| w.strip_suffix("rd"))
        .or_else(|| w.strip_suffix("th"))
        .unwrap_or(w);
    if digits.is_empty() || digits.len() > 2 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let d: u32 = digits.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

fn year(w: &str) -> Option<i32> {
    if w.len() != 4 || !w.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let y: i32 = w.parse().ok()?;
    (1900..=2100).contains(&y).then_some(y)
}

pub(crate) fn weekday(w: &str) -> Option<Weekday> {
    let i = crate::text::tokens::WEEKDAYS.iter().position(|n| *n == w)?;
    Weekday::try_from(i as u8).ok()
}

/// A date found in a sentence: its value and the token indices it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// `YYYY-MM-DD`, or `MM-DD` when the year is unknown.
    pub value: String,
    pub tokens: Vec<usize>,
}

fn fmt(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Month and day with the year from the text, else from the article's date.
fn month_day(m: u32, d: u32, y: Option<i32>, article: Option<NaiveDate>) -> Option<String> {
    if let Some(y) = y {
        return NaiveDate::from_ymd_opt(y, m, d).map(fmt);
    }
    match article {
        Some(a) => {
            let mut date = NaiveDate::from_ymd_opt(a.year(), m, d)?;
            if date > a + Duration::days(183) {
                date = NaiveDate::from_ymd_opt(a.year() - 1, m, d)?;
            }
            Some(fmt(date))
        }
        None => (m <= 12 && d <= 31).then(|| format!("{m:02}-{d:02}")),
    }
}

/// The weekday nearest the article's date: on or before it for the past, on or after it for the
/// future; `last` / `next` move strictly before / after.
fn resolve_weekday(w: Weekday, article: NaiveDate, modifier: &str, future: bool) -> NaiveDate {
    let back =
        (7 + article.weekday().num_days_from_monday() as i64 - w.num_days_from_monday() as i64) % 7;
    let fwd = (7 - back) % 7;
    match modifier {
        "last" | "past" => article - Duration::days(if back == 0 { 7 } else { back }),
        "next" | "coming" => article + Duration::days(if fwd == 0 { 7 } else { fwd }),
        _ if future => article + Duration::days(fwd),
        _ => article - Duration::days(back),
    }
}

fn last_day_of_month(y: i32, m: u32) -> Option<NaiveDate> {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1).map(|d| d - Duration::days(1))
}

/// All dates in a tokenised sentence.
pub fn find(toks: &[Tok], article: Option<NaiveDate>) -> Vec<Found> {
    let lower: Vec<&str> = toks.iter().map(|t| t.lower.as_str()).collect();
    let future = lower.iter().any(|w| FUTURE_CUES.contains(w));
    let mut out: Vec<Found> = Vec::new();
    let mut used = vec![false; toks.len()];
    let get = |i: usize| lower.get(i).copied().unwrap_or("");
    for i in 0..toks.len() {
        if used[i] {
            continue;
        }
        let w = lower[i];
        // ISO dates.
        if w.len() == 10 && w.as_bytes()[4] == b'-' && w.as_bytes()[7] == b'-' {
            if let Ok(d) = NaiveDate::parse_from_str(w, "%Y-%m-%d") {
                used[i] = true;
                out.push(Found {
                    value: fmt(d),
                    tokens: vec![i],
                });
                continue;
            }
        }
        if let Some(m) = month(w) {
            let capital = toks[i].text.starts_with(|c: char| c.is_uppercase());
            if !capital {
                continue;
            }
            // "March 14(, 2024)" or "14 March (2024)": the day's token and where a year would be.
            let found = match day(get(i + 1)) {
                Some(d) => Some((d, i + 1, i + 2)),
                None if i > 0 && !used[i - 1] => day(get(i - 1)).map(|d| (d, i - 1, i + 1)),
                None => None,
            };
            if let Some((d, day_at, year_at)) = found {
                let y = year(get(year_at));
                let mut toks_used = vec![i.min(day_at), i.max(day_at)];
                if y.is_some() {
                    toks_used.push(year_at);
                }
                if let Some(v) = month_day(m, d, y, article) {
                    for &t in &toks_used {
                        used[t] = true;
                    }
                    out.push(Found {
                        value: v,
                        tokens: toks_used,
                    });
                }
            }
            continue;
        }
        let Some(a) = article else { continue };
        if let Some(wd) = weekday(w) {
            // "Wednesday, March 13": the explicit date that follows wins.
            if month(get(i + 1)).is_some() && day(get(i + 2)).is_some() {
                used[i] = true;
                continue;
            }
            let modifier = if i > 0 { lower[i - 1] } else { "" };
            // A schedule, not a day: "Monday through Friday", "every Tuesday".
            let span = matches!(get(i + 1), "through" | "thru" | "to" | "until")
                && weekday(get(i + 2)).is_some();
            if span || matches!(modifier, "every" | "each") {
                used[i] = true;
                if span {
                    used[i + 2] = true;
                }
                continue;
            }
            let d = resolve_weekday(wd, a, modifier, future);
            used[i] = true;
            out.push(Found {
                value: fmt(d),
                tokens: vec![i],
            });
            continue;
        }
        let rel = match w {
            "today" | "tonight" => Some(a),
            "yesterday" => Some(a - Duration::days(1)),
            "tomorrow" => Some(a + Duration::days(1)),
            "end" if get(i + 1) == "of" => {
                let (which, unit) = (get(i + 2), get(i + 3));
                let this = matches!(which, "this" | "the");
                match (this || which == "next", unit) {
                    (true, "month") => {
                        let (y, m) = if which == "next" {
                            if a.month() == 12 {
                                (a.year() + 1, 1)
                            } else {
                                (a.year(), a.month() + 1)
                            }
                        } else {
                            (a.year(), a.month())
                        };
                        last_day_of_month(y, m)
                    }
                    (true, "year") => {
                        let y = if which == "next" {
                            a.year() + 1
                        } else {
                            a.year()
                        };
                        NaiveDate::from_ymd_opt(y, 12, 31)
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some(d) = rel {
            used[i] = true;
            out.push(Found {
                value: fmt(d),
                tokens: vec![i],
            });
        }
    }
    // A part of the day after a date is the date's ("Monday evening"): compared as the slot,
    // not as a word two sentences share.
    for f in &mut out {
        let last = f.tokens.iter().copied().max().unwrap_or(0);
        if matches!(
            get(last + 1),
            "morning" | "afternoon" | "evening" | "night" | "overnight"
        ) {
            f.tokens.push(last + 1);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::slots::tokenize;

    fn dates(text: &str, article: Option<&str>) -> Vec<String> {
        let a = article.map(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
        let mut v: Vec<String> = find(&tokenize(text), a)
            .into_iter()
            .map(|f| f.value)
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_date_without_its_year_is_the_same_day_as_one_with_it() {
        assert!(same_day("12-30", "2015-12-30"));
        assert!(same_day("2015-12-30", "12-30"));
        assert!(same_day("2015-12-30", "2015-12-30"));
        assert!(!same_day("11-30", "2015-12-30"));
        assert!(!same_day("2014-12-30", "2015-12-30"));
    }

    #[test]
    fn absolute_dates_both_ways_round_with_and_without_year() {
        assert_eq!(
            dates("It ends on 30 December, not November 30.", None),
            vec!["11-30", "12-30"]
        );
        assert_eq!(
            dates(
                "It ends on 30 December, not November 30.",
                Some("2015-11-20")
            ),
            vec!["2015-11-30", "2015-12-30"]
        );
        assert_eq!(
            dates("Signed on Jan. 5, 2021 in Oslo.", Some("2024-03-01")),
            vec!["2021-01-05"]
        );
    }

    #[test]
    fn a_date_far_ahead_of_the_article_belongs_to_the_year_before() {
        assert_eq!(
            dates("The fire started on December 28.", Some("2024-01-03")),
            vec!["2023-12-28"]
        );
    }

    #[test]
    fn weekdays_resolve_against_the_article_date() {
        // 2024-03-15 is a Friday.
        assert_eq!(
            dates("The recall was announced Thursday.", Some("2024-03-15")),
            vec!["2024-03-14"]
        );
        assert_eq!(
            dates("It was announced last Thursday.", Some("2024-03-21")),
            vec!["2024-03-14"]
        );
        assert_eq!(
            dates("More rain is expected Wednesday.", Some("2024-03-15")),
            vec!["2024-03-20"]
        );
        assert!(dates("It was announced Thursday.", None).is_empty());
        // The part of the day is the date's.
        let toks = tokenize("Power was out Monday evening.");
        let found = find(&toks, NaiveDate::from_ymd_opt(2024, 3, 15));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].tokens, vec![3, 4]);
        // Schedules name no day.
        for text in [
            "Call from 8 a.m. to 8 p.m. ET Monday through Friday.",
            "The office is open Monday to Saturday.",
            "The market runs every Tuesday.",
        ] {
            assert!(dates(text, Some("2024-03-15")).is_empty(), "{text}");
        }
        assert_eq!(
            dates("Crews worked Monday and Tuesday.", Some("2024-03-15")),
            vec!["2024-03-11", "2024-03-12"]
        );
    }

    #[test]
    fn relative_words_and_month_ends() {
        assert_eq!(
            dates(
                "Service stops at the end of this month, the firm said yesterday.",
                Some("2015-11-20")
            ),
            vec!["2015-11-19", "2015-11-30"]
        );
        assert_eq!(
            dates("The ban applies from today.", Some("2015-11-20")),
            vec!["2015-11-20"]
        );
    }

    #[test]
    fn an_explicit_date_after_a_weekday_wins() {
        assert_eq!(
            dates(
                "It was announced on Wednesday, March 13.",
                Some("2024-03-15")
            ),
            vec!["2024-03-13"]
        );
    }

    #[test]
    fn may_the_verb_is_not_a_month() {
        assert!(dates("Some 40 homes may have to be torn down.", None).is_empty());
    }
}
