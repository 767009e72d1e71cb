//! Slots of a sentence: the facts a claim pins down, which two mentions of one claim must agree
//! on. Numbers and ranges with their unit, quoted spans and their speaker, people with their
//! titles, places, named entities, acronyms defined in the text, and the stance of a report
//! ("confirmed" vs "denied"). Dates live in [`crate::claims::dates`].

use crate::text::tokens;

/// A token of a sentence: its text, lower-cased form and byte range.
#[derive(Debug, Clone)]
pub struct Tok {
    pub text: String,
    pub lower: String,
    pub start: usize,
    pub end: usize,
}

/// Runs of letters and digits, keeping inner `.`/`,` between digits ("5,000", "2.5"), inner
/// apostrophes and hyphens ("Brant's", "six-quart").
pub fn tokenize(text: &str) -> Vec<Tok> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].1.is_alphanumeric() {
            i += 1;
            continue;
        }
        let start = chars[i].0;
        let mut j = i + 1;
        while j < chars.len() {
            let c = chars[j].1;
            let next_alnum = chars.get(j + 1).is_some_and(|n| n.1.is_alphanumeric());
            let prev_digit = chars[j - 1].1.is_ascii_digit();
            let next_digit = chars.get(j + 1).is_some_and(|n| n.1.is_ascii_digit());
            let inner = match c {
                '.' | ',' => prev_digit && next_digit,
                '\'' | '\u{2019}' | '-' => next_alnum,
                _ => c.is_alphanumeric(),
            };
            if !inner {
                break;
            }
            j += 1;
        }
        let end = chars.get(j).map(|x| x.0).unwrap_or(text.len());
        let t = text[start..end].replace('\u{2019}', "'");
        out.push(Tok {
            lower: t.to_lowercase(),
            text: t,
            start,
            end,
        });
        i = j;
    }
    out
}

pub(crate) fn is_capitalised(t: &Tok) -> bool {
    t.text.starts_with(|c: char| c.is_uppercase())
}

/// A share of capitalised words this high marks a headline in title case ("Flash Flood Kills 2
/// In River Town"), where a capital says nothing of a name (the cleaner's headline mark too).
const TITLE_CASE: f64 = 0.75;

/// Whether the number at `toks[i]` belongs to the name before it ("AeroSeal 6 cookers",
/// "Boeing 737", "Route 66", "Windows 11"): written in digits, right after a capitalised word
/// (a space between them, no mark) that is not the sentence's first word, a possessive
/// ("Kestrel's 47 reports" counts), a month or weekday (dates), or a word any sentence may
/// capitalise ("About 40").
fn names_number(text: &str, toks: &[Tok], i: usize) -> bool {
    if i < 2 || !toks[i].text.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let prev = &toks[i - 1];
    is_capitalised(prev)
        && &text[prev.end..toks[i].start] == " "
        && !prev.lower.ends_with("'s")
        && !prev.lower.ends_with("\u{2019}s")
        && !tokens::is_stop_word(&prev.lower)
        && crate::claims::dates::month(&prev.lower).is_none()
        && crate::claims::dates::weekday(&prev.lower).is_none()
        && !is_qualifier(&prev.lower)
        && !crate::text::case::title_case_share(text).is_some_and(|s| s >= TITLE_CASE)
}

/// Words that qualify the number right after them (see `quantities`): it is a bound ("over",
/// "under"), near ("nearly") or about ("about").
const MORE_THAN: &[&str] = &["over", "above", "exceeding", "exceed"];
const UP_TO: &[&str] = &["under", "below"];
const NEARLY: &[&str] = &["nearly", "almost"];
const ABOUT: &[&str] = &[
    "about",
    "around",
    "roughly",
    "approximately",
    "some",
    "estimated",
];

/// A word that qualifies the number after it, as `quantities` reads it.
fn is_qualifier(w: &str) -> bool {
    [MORE_THAN, UP_TO, NEARLY, ABOUT]
        .iter()
        .any(|l| l.contains(&w))
}

/// A number or range with what it counts: `low..=high` (infinite for "more than").
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub low: f64,
    pub high: f64,
    /// The number as written, with its qualifier ("more than 40", "4,000 to 5,000").
    pub text: String,
    /// Canonical terms of the words after it: what is counted ("people", "foot", "$").
    pub unit: Vec<String>,
    /// Canonical content terms within four words either side: what the number is about.
    pub context: Vec<String>,
}

impl Quantity {
    /// Two quantities that can both be true (their ranges overlap).
    pub fn compatible(&self, other: &Quantity) -> bool {
        let eps = 1e-9;
        self.low <= other.high + eps && other.low <= self.high + eps
    }

    /// They count the same thing: a unit word in common, and words around them alike
    /// ("2 people died" and "140 people rescued" both count people, but not the same people),
    /// or the same two words counted ("6.8 inches of rain" and "8.1 inches of rain", whoever
    /// measured them).
    pub fn comparable(&self, other: &Quantity) -> bool {
        if !self.unit.iter().any(|u| other.unit.contains(u)) {
            return false;
        }
        if self.unit.len() >= 2 && self.unit == other.unit {
            return true;
        }
        let shared = self
            .context
            .iter()
            .filter(|c| other.context.contains(c))
            .count();
        let union = self.context.len() + other.context.len() - shared;
        union == 0 || shared as f64 / union as f64 >= 0.25
    }
}

fn parse_number(tok: &str) -> Option<(f64, Option<String>)> {
    // "15-foot" → 15 with unit "foot"; "$89" handled by the caller.
    let (num, rest) = match tok.find('-') {
        Some(p) => (&tok[..p], Some(tok[p + 1..].to_string())),
        None => (tok, None),
    };
    if let Some(n) = tokens::number_word(num) {
        return Some((n as f64, rest));
    }
    if num.is_empty() || !num.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if !num
        .chars()
        .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return None;
    }
    let v: f64 = num.replace(',', "").parse().ok()?;
    Some((v, rest))
}

/// When the number at `toks[i]` starts a clock time ("11 p.m.", "8 a.m.", "7:30 p.m.",
/// "18:45"), the index of the token after it.
fn clock_time(text: &str, toks: &[Tok], i: usize) -> Option<usize> {
    let digits = |k: usize| {
        toks.get(k)
            .is_some_and(|t| !t.text.is_empty() && t.text.chars().all(|c| c.is_ascii_digit()))
    };
    if !digits(i) || toks[i].text.len() > 2 {
        return None;
    }
    // Only white space (or nothing) between two tokens, or exactly `sep`.
    let between = |k: usize| &text[toks[k].end..toks[k + 1].start];
    let mut j = i + 1;
    let mut minutes = false;
    if digits(j) && toks[j].text.len() == 2 && between(i) == ":" {
        minutes = true;
        j += 1;
    }
    let meridiem = match (toks.get(j), toks.get(j + 1)) {
        (Some(a), Some(m))
            if matches!(a.lower.as_str(), "a" | "p")
                && m.lower == "m"
                && between(j - 1).trim().is_empty()
                && between(j) == "." =>
        {
            Some(j + 2)
        }
        (Some(a), _)
            if matches!(a.lower.as_str(), "am" | "pm") && between(j - 1).trim().is_empty() =>
        {
            Some(j + 1)
        }
        _ => None,
    };
    meridiem.or(minutes.then_some(j))
}

fn multiplier(w: &str) -> Option<f64> {
    match w {
        "thousand" => Some(1e3),
        "million" | "millions" | "m" => Some(1e6),
        "billion" | "billions" | "bn" => Some(1e9),
        "trillion" => Some(1e12),
        _ => None,
    }
}

fn fmt_value(v: f64) -> String {
    if v.is_infinite() {
        return "∞".into();
    }
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Numbers, amounts and ranges, skipping the tokens already read as dates and bare years.
pub fn quantities(text: &str, toks: &[Tok], skip: &[bool]) -> Vec<Quantity> {
    let mut out = Vec::new();
    let mut i = 0;
    let lower = |k: usize| toks.get(k).map(|t| t.lower.as_str()).unwrap_or("");
    while i < toks.len() {
        if skip.get(i).copied().unwrap_or(false) {
            i += 1;
            continue;
        }
        let Some((mut v, hyphen_unit)) = parse_number(&toks[i].lower) else {
            i += 1;
            continue;
        };
        // A clock time ("11 p.m.", "7:30 a.m.", "18:45") is when, not how many.
        if let Some(end) = clock_time(text, toks, i) {
            i = end;
            continue;
        }
        // A number that is part of a name ("AeroSeal 6", "Boeing 737", "Route 66") names a
        // thing; it counts nothing.
        if names_number(text, toks, i) {
            i += 1;
            continue;
        }
        let is_word = toks[i].lower.starts_with(|c: char| c.is_alphabetic());
        // A bare year is a date, not a count.
        if !is_word && (1900.0..=2100.0).contains(&v) && !toks[i].text.contains([',', '.']) {
            let next_unit = lower(i + 1);
            if multiplier(next_unit).is_none() && hyphen_unit.is_none() {
                i += 1;
                continue;
            }
        }
        let first = i;
        let dollar = text[..toks[i].start].trim_end().ends_with('$');
        let mut j = i + 1;
        if let Some(m) = multiplier(lower(j)) {
            v *= m;
            j += 1;
        }
        let (mut low, mut high) = (v, v);
        // Ranges: "4,000 to 5,000", "between $89 and $129", "4,000-5,000".
        let joiner = lower(j);
        let range_word =
            joiner == "to" || (joiner == "and" && first > 0 && lower(first - 1) == "between");
        if range_word {
            if let Some((mut w2, _)) = parse_number(lower(j + 1)) {
                let mut k = j + 2;
                if let Some(m) = multiplier(lower(k)) {
                    w2 *= m;
                    k += 1;
                } else if let Some(m) = multiplier(lower(first + 1)) {
                    w2 *= m;
                }
                if w2 >= v {
                    high = w2;
                    j = k;
                }
            }
        }
        // Qualifiers before the number.
        let before: Vec<&str> = (first.saturating_sub(2)..first).map(lower).collect();
        let has = |w: &str| before.contains(&w);
        let prev = before.last().copied().unwrap_or("");
        let mut qualifier = "";
        if (has("more") || has("greater")) && prev == "than"
            || MORE_THAN.contains(&prev)
            || has("least")
        {
            high = f64::INFINITY;
            qualifier = "more than ";
        } else if (has("less") || has("fewer")) && prev == "than"
            || UP_TO.contains(&prev)
            || has("most")
            || (has("up") && prev == "to")
        {
            low = 0.0;
            qualifier = "up to ";
        } else if NEARLY.contains(&prev) {
            low = v * 0.9;
            qualifier = "nearly ";
        } else if ABOUT.contains(&prev) {
            low = v * 0.9;
            high = high.max(v) * 1.1;
            qualifier = "about ";
        }
        // What is counted: the next content words, or the hyphenated word alone (a "six-quart
        // cooker" counts quarts, not cookers).
        let mut unit = Vec::new();
        if dollar {
            unit.push("$".to_string());
        }
        let measured = hyphen_unit.is_some();
        if let Some(u) = hyphen_unit {
            unit.push(tokens::term(&u));
        }
        let mut k = j;
        while !measured && unit.len() < 3 && k < toks.len() && k < j + 4 {
            let w = lower(k);
            if w == "percent" || w == "per" {
                unit.push("percent".into());
                break;
            }
            let in_name = names_number(text, toks, k);
            if parse_number(w).is_some() && !in_name {
                break;
            }
            if !tokens::is_stop_word(w) && multiplier(w).is_none() && !in_name {
                unit.push(tokens::term(w));
                if unit.len() >= 2 {
                    break;
                }
            }
            k += 1;
        }
        if text[toks[j.saturating_sub(1)].end..]
            .trim_start()
            .starts_with('%')
        {
            unit.push("percent".into());
        }
        let shown = if high > low && qualifier.is_empty() {
            format!("{} to {}", fmt_value(low), fmt_value(high))
        } else {
            format!("{qualifier}{}", fmt_value(v))
        };
        let mut context: Vec<String> = toks[first.saturating_sub(4)..(j + 4).min(toks.len())]
            .iter()
            .map(|t| t.lower.as_str())
            .filter(|w| !tokens::is_stop_word(w) && parse_number(w).is_none())
            .map(tokens::term)
            .collect();
        context.sort();
        context.dedup();
        out.push(Quantity {
            low,
            high,
            text: shown,
            unit,
            context,
        });
        i = j.max(i + 1);
    }
    out
}

/// A quoted span ("…" or “…”) of at least three words, and who said it when the sentence says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub text: String,
    pub speaker: Option<String>,
    /// The quote's words, lower-case, with acronyms defined in the corpus in their short form:
    /// what wordings are compared on.
    pub norm: String,
}

/// Quoted spans of a sentence and their speaker.
pub fn quotes(text: &str) -> Vec<Quote> {
    let mut out = Vec::new();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match c {
            '\u{201c}' => open = Some(i + c.len_utf8()),
            '\u{201d}' => {
                if let Some(s) = open.take() {
                    spans.push((s, i));
                }
            }
            '"' => match open.take() {
                Some(s) => spans.push((s, i)),
                None => open = Some(i + 1),
            },
            _ => {}
        }
    }
    // A quote left open at the end of the sentence runs to its end.
    if let Some(s) = open {
        if text[s..].split_whitespace().count() >= 5 {
            spans.push((s, text.len()));
        }
    }
    for (s, e) in spans {
        let q = text[s..e].trim().trim_end_matches([',', '.']).trim();
        if q.split_whitespace().count() < 3 {
            continue;
        }
        let after = &text[e..];
        let before = &text[..s];
        out.push(Quote {
            text: q.to_string(),
            speaker: speaker(before, after),
            norm: tokens::words(q).join(" "),
        });
    }
    out
}

/// "…," said Jane Doe / "…," Jane Doe said / Jane Doe said: "…".
fn speaker(before: &str, after: &str) -> Option<String> {
    let after_toks = tokenize(after);
    let name_at = |toks: &[Tok], k: usize| -> Option<String> {
        let mut n = Vec::new();
        let mut k = k;
        while k < toks.len() && is_capitalised(&toks[k]) && n.len() < 4 {
            n.push(toks[k].text.clone());
            k += 1;
        }
        (!n.is_empty()).then(|| n.join(" "))
    };
    let said = |w: &str| matches!(w, "said" | "says" | "told" | "added" | "explained");
    if after_toks.first().is_some_and(|t| said(&t.lower)) {
        if let Some(n) = name_at(&after_toks, 1) {
            return Some(n);
        }
    }
    if let Some(p) = after_toks.iter().take(5).position(|t| said(&t.lower)) {
        if p > 0 {
            if let Some(n) = name_at(&after_toks, 0) {
                return Some(n);
            }
        }
    }
    let before_toks = tokenize(before);
    if let Some(p) = before_toks.iter().rposition(|t| said(&t.lower)) {
        let start = before_toks[..p]
            .iter()
            .rposition(|t| !is_capitalised(t))
            .map(|x| x + 1)
            .unwrap_or(0);
        if start < p {
            let n: Vec<String> = before_toks[start..p]
                .iter()
                .map(|t| t.text.clone())
                .collect();
            return Some(n.join(" "));
        }
    }
    None
}

/// Words that make a phrase a job title.
const TITLE_WORDS: &[&str] = &[
    "administrator",
    "analyst",
    "ceo",
    "cfo",
    "chair",
    "chairman",
    "chairwoman",
    "chief",
    "commissioner",
    "coo",
    "councillor",
    "councilman",
    "councilwoman",
    "director",
    "editor",
    "executive",
    "founder",
    "governor",
    "head",
    "inspector",
    "manager",
    "mayor",
    "minister",
    "officer",
    "president",
    "professor",
    "secretary",
    "senator",
    "sheriff",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "superintendent",
];

fn is_title_word(w: &str) -> bool {
    TITLE_WORDS.binary_search(&w).is_ok()
}

/// A person named with a job title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Titled {
    /// The person's surname, lower-case: what identifies them across outlets.
    pub person: String,
    /// The full name as written.
    pub name: String,
    /// The title, lower-case ("town manager", "vice president of product safety").
    pub title: String,
}

/// "Town Manager Ana Ruiz", "Lena Ortiz, Corvane's vice president of product safety",
/// "Ortiz, the company's director of communications,".
pub fn titled_people(text: &str, toks: &[Tok]) -> Vec<Titled> {
    let mut out = Vec::new();
    let n = toks.len();
    // Title before the name.
    let mut i = 0;
    while i < n {
        if is_title_word(&toks[i].lower) && is_capitalised(&toks[i]) {
            let mut s = i;
            while s > 0
                && is_capitalised(&toks[s - 1])
                && !text[toks[s - 1].end..toks[s].start].contains([',', '.', ';', ':'])
                && !tokens::is_stop_word(&toks[s - 1].lower)
            {
                s -= 1;
            }
            let mut e = i + 1;
            while e < n && is_title_word(&toks[e].lower) && is_capitalised(&toks[e]) {
                e += 1;
            }
            let mut k = e;
            let mut name = Vec::new();
            while k < n
                && is_capitalised(&toks[k])
                && !is_title_word(&toks[k].lower)
                && name.len() < 3
                && (k == e || !text[toks[k - 1].end..toks[k].start].contains([',', '.']))
            {
                name.push(toks[k].text.clone());
                k += 1;
            }
            if name.len() >= 2 {
                let title: Vec<String> = toks[s..e].iter().map(|t| t.lower.clone()).collect();
                out.push(Titled {
                    person: name.last().expect("two names").to_lowercase(),
                    name: name.join(" "),
                    title: title.join(" "),
                });
                i = k;
                continue;
            }
        }
        i += 1;
    }
    // Name, then an appositive holding a title.
    let mut i = 0;
    while i < n {
        if !is_capitalised(&toks[i]) {
            i += 1;
            continue;
        }
        let mut e = i + 1;
        while e < n
            && is_capitalised(&toks[e])
            && e - i < 3
            && text[toks[e - 1].end..toks[e].start].trim().is_empty()
        {
            e += 1;
        }
        let gap_end = toks.get(e).map(|t| t.start).unwrap_or(text.len());
        let gap = &text[toks[e - 1].end..gap_end];
        if gap.trim() == "," && e < n {
            // The appositive runs to the next comma or the end.
            let rest_end = text[toks[e].start..]
                .find([',', ';', '.', '"', '\u{201c}', '\u{201d}', '('])
                .map(|p| toks[e].start + p)
                .unwrap_or(text.len());
            let phrase: Vec<&Tok> = toks[e..].iter().take_while(|t| t.end <= rest_end).collect();
            let has_title = phrase.iter().any(|t| is_title_word(&t.lower));
            if has_title && phrase.len() <= 9 {
                // Drop a leading article or possessive owner ("the", "Corvane's").
                let words: Vec<String> = phrase
                    .iter()
                    .skip_while(|t| {
                        matches!(t.lower.as_str(), "the" | "a" | "an") || t.lower.ends_with("'s")
                    })
                    .map(|t| t.lower.clone())
                    .collect();
                let name: Vec<String> = toks[i..e].iter().map(|t| t.text.clone()).collect();
                let single_name_ok = name.len() >= 2 || i > 0;
                if !words.is_empty() && single_name_ok && !is_title_word(&toks[i].lower) {
                    out.push(Titled {
                        person: name.last().expect("non-empty").to_lowercase(),
                        name: name.join(" "),
                        title: words.join(" "),
                    });
                }
            }
        }
        i = e.max(i + 1);
    }
    out.sort_by(|a, b| a.person.cmp(&b.person).then(a.title.cmp(&b.title)));
    out.dedup();
    out
}

/// Are two titles of one person different jobs (neither's words contained in the other's)?
pub fn titles_differ(a: &str, b: &str) -> bool {
    let wa: Vec<&str> = a
        .split_whitespace()
        .filter(|w| !tokens::is_stop_word(w))
        .collect();
    let wb: Vec<&str> = b
        .split_whitespace()
        .filter(|w| !tokens::is_stop_word(w))
        .collect();
    !(wa.iter().all(|w| wb.contains(w)) || wb.iter().all(|w| wa.contains(w)))
}

/// Places: capitalised names after "in", "at", "near"; a company's base ("based in X",
/// "X-based") is kept as "based in X", a role of its own.
pub fn places(text: &str, toks: &[Tok]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if let Some(city) = t.text.strip_suffix("-based") {
            if city.starts_with(|c: char| c.is_uppercase()) {
                out.push(format!("based in {city}"));
            }
            continue;
        }
        if !matches!(t.lower.as_str(), "in" | "at" | "near") {
            continue;
        }
        let mut k = i + 1;
        if toks.get(k).is_some_and(|t| t.lower == "the") {
            k += 1;
        }
        let mut name = Vec::new();
        while k < toks.len() && is_capitalised(&toks[k]) && name.len() < 5 {
            if k > i + 1 && text[toks[k - 1].end..toks[k].start].contains([',', '.', ';']) {
                break;
            }
            name.push(toks[k].text.as_str());
            k += 1;
        }
        // Dates and weekdays are not places.
        let first = name.first().map(|w| w.to_lowercase()).unwrap_or_default();
        if name.is_empty()
            || crate::claims::dates::month(&first).is_some()
            || first.ends_with("day")
            || first.chars().any(|c| c.is_ascii_digit())
        {
            continue;
        }
        let based = i > 0 && toks[i - 1].lower == "based" && t.lower == "in";
        if based {
            out.push(format!("based in {}", name.join(" ")));
        } else {
            out.push(name.join(" "));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Who a "based in X" / "X-based" phrase is about: the first capitalised word of the sentence
/// that is neither a place's "-based" form nor a function word (lower-case).
pub fn based_subject(toks: &[Tok]) -> Option<String> {
    toks.iter()
        .find(|t| {
            is_capitalised(t) && !t.lower.ends_with("-based") && !tokens::is_stop_word(&t.lower)
        })
        .map(|t| t.lower.trim_end_matches("'s").to_string())
}

/// Named entities: runs of capitalised words not at the start of the sentence (lower-cased).
pub fn entities(toks: &[Tok]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 1;
    while i < toks.len() {
        if is_capitalised(&toks[i]) {
            let mut e = i;
            while e < toks.len() && is_capitalised(&toks[e]) {
                e += 1;
            }
            let name: Vec<&str> = toks[i..e].iter().map(|t| t.lower.as_str()).collect();
            out.push(name.join(" "));
            i = e;
        } else {
            i += 1;
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Acronyms defined in a text: "Northwind Secure Mail (NSM)" → ("nsm", expansion).
pub fn acronyms(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = text[from..].find('(') {
        let open = from + p;
        let Some(q) = text[open..].find(')') else {
            break;
        };
        let close = open + q;
        let inner = text[open + 1..close].trim();
        from = close;
        let letters: Vec<char> = inner.chars().filter(|c| c.is_alphabetic()).collect();
        if letters.len() < 2
            || letters.len() > 8
            || !inner
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '&')
            || letters.iter().filter(|c| c.is_uppercase()).count() < 2
        {
            continue;
        }
        // The expansion: the words before whose initials spell the acronym.
        let before = tokenize(&text[..open]);
        let want: Vec<char> = letters
            .iter()
            .filter(|c| c.is_uppercase())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let mut k = before.len();
        let mut got: Vec<char> = Vec::new();
        while k > 0 && got.len() < want.len() {
            k -= 1;
            let w = &before[k];
            if tokens::is_stop_word(&w.lower) && !got.is_empty() {
                continue;
            }
            got.insert(0, w.lower.chars().next().unwrap_or(' '));
        }
        if got == want {
            let expansion: Vec<&str> = before[k..].iter().map(|t| t.lower.as_str()).collect();
            out.push((inner.to_lowercase(), expansion.join(" ")));
        }
    }
    out
}

/// The stance a sentence reports on a fact: `confirmed` or `denied` (explicit verbs only; plain
/// negation is too often a paraphrase: "never seen it rise so fast" = "the fastest rise").
pub fn stance(toks: &[Tok]) -> Option<&'static str> {
    for t in toks {
        match t.lower.as_str() {
            "confirmed" | "confirms" | "confirm" | "acknowledged" | "acknowledges" | "admitted"
            | "admits" => return Some("confirmed"),
            "denied" | "denies" | "deny" | "rejected" | "disputed" | "disputes" => {
                return Some("denied")
            }
            _ => {}
        }
    }
    None
}

/// Words that open a call to action or a label, not a statement of fact.
const PROMO_OPENERS: &[&str] = &[
    "click",
    "download",
    "follow",
    "join",
    "learn",
    "read",
    "register",
    "share",
    "shop",
    "sign",
    "subscribe",
    "tap",
    "watch",
];

/// Is the sentence worth checking: a statement of fact, a figure, a date, an attribution or a
/// quote, and not a label, a call to action or a question to the reader? `negated`: the
/// sentence says something did not happen or is not so ("No deaths have been reported.",
/// "No injuries were reported."), a fact as worth checking as its opposite however short: it
/// needs four words and two content words, not six and three.
pub fn check_worthy(
    text: &str,
    toks: &[Tok],
    has_figure: bool,
    has_quote: bool,
    negated: bool,
) -> bool {
    let t = text.trim_end();
    // A question to the reader, or a lead-in to a list ("Tips for using it safely:").
    if t.ends_with('?') || t.ends_with(':') {
        return false;
    }
    if toks
        .first()
        .is_some_and(|f| PROMO_OPENERS.contains(&f.lower.as_str()))
        && toks.len() < 12
    {
        return false;
    }
    let content = toks
        .iter()
        .filter(|t| !tokens::is_stop_word(&t.lower))
        .count();
    let (min_words, min_content) = if negated {
        (4, 2)
    } else if has_figure || has_quote {
        (4, 3)
    } else {
        (6, 3)
    };
    toks.len() >= min_words && content >= min_content
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Vec<Quantity> {
        let toks = tokenize(text);
        quantities(text, &toks, &vec![false; toks.len()])
    }

    #[test]
    fn clock_times_are_not_counts() {
        for text in [
            "The warning came shortly after 11 p.m., but many residents slept.",
            "Water is handed out from 8 a.m. to 6 p.m. at the station.",
            "The meeting starts at 7:30 p.m. in the hall.",
            "The gates closed at 18:45 on Sunday.",
            "Doors open at 9 am for residents.",
        ] {
            assert!(q(text).is_empty(), "{text}: {:?}", q(text));
        }
        // A count beside a time is still a count, and "p" is not what it counts.
        let got = q("By 11 p.m. 40 people had been rescued.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].text, "40");
        assert_eq!(got[0].unit[0], "people");
        // Not a time: a range of inches, and a count of pages.
        assert_eq!(q("Rain fell 3 to 5 inches.")[0].text, "3 to 5");
        assert_eq!(q("She read 12 pages.")[0].unit, vec!["page"]);
    }

    #[test]
    fn title_words_are_sorted_for_binary_search() {
        let mut v = TITLE_WORDS.to_vec();
        v.sort();
        assert_eq!(v, TITLE_WORDS);
    }

    #[test]
    fn tokens_keep_numbers_and_inner_marks() {
        let t: Vec<String> = tokenize("About 5,000 of Brant's six-quart units (2.5%).")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(
            t,
            vec![
                "About",
                "5,000",
                "of",
                "Brant's",
                "six-quart",
                "units",
                "2.5"
            ]
        );
    }

    #[test]
    fn numbers_amounts_and_ranges() {
        let v = q("There are 5,000 customers since 2013.");
        assert_eq!(v.len(), 1);
        assert_eq!((v[0].low, v[0].high), (5000.0, 5000.0));
        assert_eq!(v[0].unit[0], "custom");
        let r = q("Between 4,000 to 5,000 users are affected.");
        assert_eq!((r[0].low, r[0].high), (4000.0, 5000.0));
        let m = q("It recalls 1.2 million cookers.");
        assert_eq!(m[0].low, 1_200_000.0);
        let d = q("They cost between $89 and $129.");
        assert_eq!((d[0].low, d[0].high), (89.0, 129.0));
        assert!(d[0].unit.contains(&"$".to_string()));
        let w = q("Two people died and three were hurt.");
        assert_eq!(w[0].low, 2.0);
        assert_eq!(w[0].unit[0], "people");
    }

    #[test]
    fn a_number_in_a_name_counts_nothing() {
        let v = q("Kestrel is recalling about 1.2 million AeroSeal 6 cookers.");
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!(v[0].low, 1_080_000.0);
        // What is counted reads past the name's number.
        assert!(v[0].unit.contains(&"cooker".to_string()), "{v:?}");
        let b = q("A Boeing 737 carried 140 people to Route 66 on Monday.");
        assert_eq!(b.iter().map(|x| x.low).collect::<Vec<_>>(), vec![140.0]);
        // A possessive's number and a capitalised qualifier's still count.
        assert_eq!(
            q("The notice said Kestrel's 47 reports were checked.")[0].low,
            47.0
        );
        assert_eq!(q("In the end, About 40 people left.").len(), 1);
        // In a title-case headline every word is capitalised: the count stays a count.
        assert_eq!(q("Flash Flood Kills 2 In Orlan Falls")[0].low, 2.0);
        // A hyphenated measure counts its own unit only: it is no count of the cookers.
        let size = &q("It recalls the six-quart electric cookers.")[0];
        let count = &q("It recalls 1.2 million electric cookers.")[0];
        assert_eq!(size.unit, vec!["quart".to_string()]);
        assert!(!size.comparable(count));
    }

    #[test]
    fn the_same_two_words_counted_are_comparable_whoever_counted() {
        let official =
            &q("The National Weather Service measured 6.8 inches of rain at the town gauge.")[0];
        let volunteer =
            &q("A volunteer observer on Ridge Road recorded 8.1 inches of rain, the highest.")[0];
        assert!(official.comparable(volunteer) && !official.compatible(volunteer));
        // One word in common is not enough when the words around differ.
        let dead = &q("Officials said 2 people died in the flood overnight.")[0];
        let saved = &q("Rescue crews from four counties saved 140 people on Monday.")[0];
        assert!(!dead.comparable(saved), "{dead:?} {saved:?}");
    }

    #[test]
    fn qualifiers_make_ranges() {
        let more = &q("Crews rescued more than 100 people.")[0];
        assert!(more.compatible(&q("Crews rescued 140 people.")[0]));
        assert!(!more.compatible(&q("Crews rescued 90 people.")[0]));
        let about = &q("About 4,200 homes lost power.")[0];
        assert!(about.compatible(&q("Roughly 4,000 homes lost power.")[0]));
        assert!(!q("47 burn injuries")[0].compatible(&q("74 burn injuries")[0]));
    }

    #[test]
    fn quotes_and_their_speakers() {
        let v = quotes("\u{201c}We acted as fast as we could,\u{201d} said Jane Doe.");
        assert_eq!(v[0].text, "We acted as fast as we could");
        assert_eq!(v[0].speaker.as_deref(), Some("Jane Doe"));
        let v = quotes("Jane Doe said: \"We will not leave the market.\"");
        assert_eq!(v[0].speaker.as_deref(), Some("Jane Doe"));
        assert!(quotes("He called it \"sad\".").is_empty());
    }

    #[test]
    fn people_with_titles_before_and_after_the_name() {
        let text = "Chief Operating Officer Lena Ortiz said the firm would leave.";
        let p = titled_people(text, &tokenize(text));
        assert_eq!(p[0].person, "ortiz");
        assert_eq!(p[0].title, "chief operating officer");
        let text = "The plan is final, said Ana Ruiz, Acme's vice president of sales, on Friday.";
        let p = titled_people(text, &tokenize(text));
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].person, "ruiz");
        assert_eq!(p[0].title, "vice president of sales");
        assert!(titles_differ("mayor", "town manager"));
        assert!(!titles_differ("manager", "town manager"));
    }

    #[test]
    fn places_after_prepositions_and_based() {
        let text = "The Oslo-based firm opened a shelter at Pine Ridge High School in May.";
        assert_eq!(
            places(text, &tokenize(text)),
            vec!["Pine Ridge High School", "based in Oslo"]
        );
    }

    #[test]
    fn acronyms_defined_in_text() {
        assert_eq!(
            acronyms("Users of Northwind Secure Mail (NSM) are safe."),
            vec![("nsm".to_string(), "northwind secure mail".to_string())]
        );
        assert!(acronyms("It rose (slightly) today.").is_empty());
    }

    #[test]
    fn stance_of_a_report() {
        assert_eq!(
            stance(&tokenize("The firm confirmed the leak.")),
            Some("confirmed")
        );
        assert_eq!(
            stance(&tokenize("The firm denied the leak.")),
            Some("denied")
        );
        assert_eq!(stance(&tokenize("The firm found the leak.")), None);
    }

    #[test]
    fn check_worthiness() {
        let cw = |t: &str| check_worthy(t, &tokenize(t), false, false, false);
        assert!(!cw("Learn more."));
        assert!(!cw("Have you ever wondered what the company will do next?"));
        assert!(!cw("Sign up for our newsletter today."));
        assert!(cw(
            "The company will close its offices in the capital next month."
        ));
    }
}
