//! Spot English calendar dates in a line of text: "November 30, 2015", "Nov. 30, 2015",
//! "30 November 2015", "14 Mar 2024", "2024-03-15", "11/30/2015", "09/07/2024" (ambiguous:
//! both readings are kept, the caller decides with other evidence or leaves it out).

use crate::content::signals::month_number;
use chrono::NaiveDate;

/// A date found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateHit {
    /// Byte offsets of the date in the text.
    pub start: usize,
    pub end: usize,
    /// The date as read (month-first for an ambiguous numeric date); `None` without a year.
    pub date: Option<NaiveDate>,
    /// For a numeric date that also reads day-first (both parts ≤ 12, and they differ), the
    /// other reading.
    pub alternative: Option<NaiveDate>,
}

impl DateHit {
    /// Readable without doubt: a year and a single reading.
    pub fn certain(&self) -> Option<NaiveDate> {
        self.date.filter(|_| self.alternative.is_none())
    }
}

struct Tok<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

fn tokens(text: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let part = c.is_alphanumeric() || c == '/' || c == '-' || c == '.';
        match (part, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(Tok {
                    start: s,
                    end: i,
                    text: &text[s..i],
                });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(Tok {
            start: s,
            end: text.len(),
            text: &text[s..],
        });
    }
    // A trailing full stop belongs to the sentence, unless the token is an abbreviation.
    for t in &mut out {
        while t.text.ends_with(['.', '-', '/']) && month_number(t.text).is_none() {
            t.text = &t.text[..t.text.len() - 1];
            t.end -= 1;
        }
    }
    out.retain(|t| !t.text.is_empty());
    out
}

fn day(s: &str) -> Option<u32> {
    let s = s.trim_end_matches(['.', ',']);
    let s = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|suf| s.strip_suffix(suf))
        .unwrap_or(s);
    let d: u32 = s.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

fn year(s: &str) -> Option<i32> {
    let s = s.trim_end_matches(['.', ',']);
    if s.len() != 4 {
        return None;
    }
    let y: i32 = s.parse().ok()?;
    (1900..=2100).contains(&y).then_some(y)
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Every date in `text`, in order.
pub fn find_dates(text: &str) -> impl Iterator<Item = DateHit> {
    let mut out = Vec::new();
    // Every form below needs a day or a year in ASCII digits: most lines have none.
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return out.into_iter();
    }
    let toks = tokens(text);
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        let next = |k: usize| toks.get(i + k).map(|t| t.text);
        // Month D[, YYYY]
        if let Some(m) = month_number(t.text) {
            if let Some(d) = next(1).and_then(day) {
                // Tokens must be close: "March 14, 2024" (only spaces and a comma between).
                let gap_ok = |a: &Tok, b: &Tok| {
                    text[a.end..b.start]
                        .chars()
                        .all(|c| c == ' ' || c == ',' || c == '\u{a0}')
                };
                if gap_ok(t, &toks[i + 1]) {
                    let y = toks
                        .get(i + 2)
                        .filter(|y| gap_ok(&toks[i + 1], y))
                        .and_then(|y| year(y.text));
                    let end = if y.is_some() { i + 2 } else { i + 1 };
                    out.push(DateHit {
                        start: t.start,
                        end: toks[end].end,
                        date: y.and_then(|y| ymd(y, m, d)),
                        alternative: None,
                    });
                    i = end + 1;
                    continue;
                }
            }
        }
        // D Month YYYY
        if let (Some(d), Some(m)) = (day(t.text), next(1).and_then(month_number)) {
            if let Some(y) = next(2).and_then(year) {
                out.push(DateHit {
                    start: t.start,
                    end: toks[i + 2].end,
                    date: ymd(y, m, d),
                    alternative: None,
                });
                i += 3;
                continue;
            }
        }
        // Numeric: YYYY-MM-DD, M/D/YYYY or D/M/YYYY
        if let Some(hit) = numeric(t) {
            out.push(hit);
        }
        i += 1;
    }
    out.into_iter()
}

fn numeric(t: &Tok) -> Option<DateHit> {
    let s = t.text;
    let hit = |date, alternative| {
        Some(DateHit {
            start: t.start,
            end: t.end,
            date,
            alternative,
        })
    };
    let parts: Vec<&str> = s.split('-').collect();
    if parts.len() == 3 && parts[0].len() == 4 {
        let y = year(parts[0])?;
        let m: u32 = parts[1].parse().ok()?;
        // "2024-03-14T11" (an ISO timestamp cut at the colon).
        let d: u32 = parts[2].split('T').next()?.parse().ok()?;
        return ymd(y, m, d).and_then(|date| hit(Some(date), None));
    }
    let parts: Vec<&str> = s.split('/').collect();
    if parts.len() == 3 && parts[2].len() == 4 && parts[0].len() <= 2 && parts[1].len() <= 2 {
        let y = year(parts[2])?;
        let a: u32 = parts[0].parse().ok()?;
        let b: u32 = parts[1].parse().ok()?;
        let month_first = ymd(y, a, b);
        let day_first = ymd(y, b, a);
        return match (month_first, day_first) {
            (Some(m), Some(d)) if m != d => hit(Some(m), Some(d)),
            (Some(m), _) => hit(Some(m), None),
            (None, Some(d)) => hit(Some(d), None),
            (None, None) => None,
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(text: &str) -> Option<String> {
        find_dates(text)
            .find_map(|h| h.certain())
            .map(|d| d.to_string())
    }

    #[test]
    fn common_english_formats() {
        assert_eq!(
            first("November 30, 2015 | 2 min read").as_deref(),
            Some("2015-11-30")
        );
        assert_eq!(
            first("Published: Jul. 8, 2024 at 3:10 PM EDT").as_deref(),
            Some("2024-07-08")
        );
        assert_eq!(
            first("Friday, March 15, 2024").as_deref(),
            Some("2024-03-15")
        );
        assert_eq!(first("14 Mar 2024").as_deref(), Some("2024-03-14"));
        assert_eq!(
            first("Posted on 2024-03-15 by Staff").as_deref(),
            Some("2024-03-15")
        );
        assert_eq!(first("11/30/2015").as_deref(), Some("2015-11-30"));
        assert_eq!(first("30/11/2015").as_deref(), Some("2015-11-30"));
    }

    #[test]
    fn ambiguous_numeric_dates_keep_both_readings() {
        let h = find_dates("09/07/2024 05:30 AM").next().unwrap();
        assert_eq!(h.certain(), None);
        assert_eq!(h.date.unwrap().to_string(), "2024-09-07");
        assert_eq!(h.alternative.unwrap().to_string(), "2024-07-09");
    }

    #[test]
    fn no_year_no_date_and_no_false_months() {
        assert!(find_dates("the show runs March 22 at the fairgrounds").all(|h| h.date.is_none()));
        assert_eq!(first("the show runs March 22-24 at the fairgrounds"), None);
        assert_eq!(first("Mayor Ana Ruiz said 40 homes"), None);
        assert_eq!(first("Invalid February 30, 2024"), None);
    }
}
