//! Clean stage: decide which lines (and which sentences inside long lines) of a scraped article
//! are article text.
//!
//! General signals only, never outlet names or known phrases:
//! 1. every line gets a class from its own shape: *good* (a long line of sentences with a
//!    normal share of lower-case and stop words, no promo vocabulary), *bad* (menus and
//!    breadcrumbs, share bars, copyright footers, promo vocabulary, bylines and date lines,
//!    repeated lines, short lines seen in several articles of the corpus) or *short* (the rest);
//! 2. the article text is the run of lines with the best total score (good lines count for,
//!    bad lines against, short lines a little either way): what comes before it is the page
//!    header (where the headline is looked for, also inside a flattened menu line), what comes
//!    after it is the footer;
//! 3. inside that run, bad lines go, short lines stay when they read as sentences or head a
//!    paragraph, and each kept line is checked sentence by sentence for promo text glued to it
//!    (a call to action, a teaser with "Watch now", a line that speaks of the site itself).
//!
//! Every removed line or sentence is kept with its reason, so the user can see it and force it
//! back with `keep` (front matter or site.toml).

use crate::content::signals::{
    ends_like_sentence, fold, is_all_caps, is_call_to_action_folded, is_copyright,
    is_copyright_folded, is_cta_fragment, is_menu, promo_hits, promo_hits_folded, promo_label,
    segments, stop_word_density, title_case_share, word_count,
};
use crate::model::{Cleaned, Line, Removed, Source, SourceKind};
use crate::text::tokens::content_terms;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// What the whole corpus says about lines: how many articles carry each (folded) line.
#[derive(Debug, Default, PartialEq)]
pub struct CorpusLines {
    counts: BTreeMap<String, usize>,
}

impl CorpusLines {
    /// Count, per folded line, the number of articles it appears in.
    pub fn new<'a>(articles: impl IntoIterator<Item = &'a [Line]>) -> CorpusLines {
        let mut corpus = CorpusLines::default();
        for lines in articles {
            corpus.add(lines);
        }
        corpus
    }

    /// The distinct folded lines of one article.
    fn distinct(lines: &[Line]) -> BTreeSet<String> {
        lines
            .iter()
            .map(|l| fold(&l.text))
            .filter(|t| !t.is_empty())
            .collect()
    }

    /// Count one more article (a rebuild after one file changed need not recount the others).
    pub fn add(&mut self, lines: &[Line]) {
        for t in Self::distinct(lines) {
            *self.counts.entry(t).or_insert(0) += 1;
        }
    }

    /// Stop counting an article given earlier to `add` or `new` (its old lines).
    pub fn remove(&mut self, lines: &[Line]) {
        for t in Self::distinct(lines) {
            if let Some(n) = self.counts.get_mut(&t) {
                *n -= 1;
                if *n == 0 {
                    self.counts.remove(&t);
                }
            }
        }
    }

    /// Number of articles carrying a line, given folded.
    fn articles_with(&self, folded: &str) -> usize {
        self.counts.get(folded).copied().unwrap_or(0)
    }
}

/// Clean every source of a corpus. Markdown is the user's own text and is never cleaned.
pub fn clean_corpus(sources: &[Source], site_keep: &[String]) -> Vec<Cleaned> {
    let corpus = CorpusLines::new(
        sources
            .iter()
            .filter(|s| s.kind == SourceKind::Txt)
            .map(|s| s.lines.as_slice()),
    );
    sources
        .iter()
        .map(|s| clean_source(s, site_keep, &corpus))
        .collect()
}

/// Clean one source of a corpus, given the corpus counts of the `.txt` sources (what
/// `clean_corpus` does per source: a one-file rebuild can call it alone).
pub fn clean_source(s: &Source, site_keep: &[String], corpus: &CorpusLines) -> Cleaned {
    match s.kind {
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
            let mut c = clean_article(&s.lines, &keep, s.front.title.is_none(), corpus);
            if let Some(title) = &s.front.title {
                drop_title_copies(&mut c, title);
            }
            c
        }
    }
}

/// The front matter gives the title: its copies in the text are the headline, not text.
fn drop_title_copies(cleaned: &mut Cleaned, title: &str) {
    let key = fold(title);
    let (copies, body): (Vec<Line>, Vec<Line>) = std::mem::take(&mut cleaned.body)
        .into_iter()
        .partition(|l| fold(&l.text) == key);
    cleaned.body = body;
    for l in copies {
        cleaned.removed.push(Removed {
            line: l.no,
            text: l.text,
            reason: "repeats the headline".to_string(),
        });
    }
    cleaned.removed.sort_by_key(|r| r.line);
}

/// Clean one article on its own (no corpus). `find_headline`: take the headline out of the text.
pub fn clean_lines(lines: &[Line], keep: &[&str], find_headline: bool) -> Cleaned {
    clean_article(lines, keep, find_headline, &CorpusLines::default())
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Class {
    Good,
    Short,
    Bad(&'static str),
    /// A heading of an after-article section: article text rarely goes on past it.
    Barrier,
    /// An item of a numbered list ("1) …", "2. …"): kept with the text around it.
    ListItem,
}

struct Unit<'a> {
    no: usize,
    text: &'a str,
    class: Class,
    forced: bool,
}

/// Clean one article, with what the corpus says about its lines.
pub fn clean_article(
    lines: &[Line],
    keep: &[&str],
    find_headline: bool,
    corpus: &CorpusLines,
) -> Cleaned {
    let all_text: String = lines
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    // Articles in other languages have few English stop words: do not ask for them there.
    let english = stop_word_density(&all_text) >= 0.15;
    let copyright = copyright_names(lines);
    let site_names = site_names(lines, &copyright);

    let mut seen: HashSet<String> = HashSet::new();
    let mut units: Vec<Unit> = Vec::new();
    let mut next_item = 1;
    let truncated_lines = lines.iter().filter(|l| truncated(l.text.trim())).count();
    for line in lines {
        let text = line.text.trim();
        if text.is_empty() {
            continue;
        }
        let forced = keep.iter().any(|k| !k.is_empty() && text.contains(k));
        // Folded once: every test below reads this.
        let key = fold(text);
        let mut class = classify(text, &key, english);
        if class == Class::Good && truncated(text) && truncated_lines >= 2 {
            // A list of cut-off story summaries ("… The..."), not the article.
            class = Class::Bad("truncated teaser");
        }
        if crate::content::signals::is_section_heading_folded(&key) {
            class = Class::Barrier;
        } else if let Some(k) = list_number(text) {
            if k == next_item || k == 1 {
                class = Class::ListItem;
                next_item = k + 1;
            }
        }
        let in_articles = corpus.articles_with(&key);
        let first_time = seen.insert(key);
        if class == Class::Barrier {
            // Stays a barrier, repeated or not.
        } else if !first_time {
            class = Class::Bad("repeated line");
        } else if !matches!(class, Class::Good | Class::ListItem)
            && in_articles >= 2
            && (word_count(text) <= 3 || !ends_like_sentence(text) && word_count(text) <= 12)
        {
            class = Class::Bad("appears in several articles");
        }
        units.push(Unit {
            no: line.no,
            text,
            class,
            forced,
        });
    }

    // Comments come after the article: when there is article text before the first comments
    // heading, the text is looked for there only.
    let (start, end) = units
        .iter()
        .enumerate()
        .filter(|(_, u)| u.class == Class::Barrier && is_comments_heading(u.text))
        .map(|(k, _)| k)
        .find_map(|k| {
            let (s, e, score) = main_run(&units[..k]);
            (score >= 3.0).then_some((s, e))
        })
        .unwrap_or_else(|| {
            let (s, e, _) = main_run(&units);
            (s, e)
        });
    // The sentence pass of the body lines, kept for the output loop below.
    let mut sentence_pass: Vec<Option<SentencePass>> = units.iter().map(|_| None).collect();
    let mut body_terms: HashSet<String> = HashSet::new();
    for (i, u) in units.iter().enumerate().take(end).skip(start) {
        if u.class == Class::Good || u.class == Class::Short && ends_like_sentence(u.text) {
            let pass = clean_sentences(u.text, &site_names);
            body_terms.extend(content_terms(&pass.0));
            sentence_pass[i] = Some(pass);
        }
    }

    let mut out = Cleaned::default();
    let headline = if find_headline {
        find_headline_in(&units[..start], &body_terms, &copyright)
    } else {
        None
    };
    let headline_key = headline.as_ref().map(|h| fold(&h.text));
    let headline_terms: HashSet<String> = headline
        .as_ref()
        .map(|h| content_terms(&h.text).into_iter().collect())
        .unwrap_or_default();

    for (i, u) in units.iter().enumerate() {
        let remove = |out: &mut Cleaned, text: &str, reason: &str| {
            out.removed.push(Removed {
                line: u.no,
                text: text.to_string(),
                reason: reason.to_string(),
            })
        };
        if let Some(h) = &headline {
            if h.no == u.no && out.headline.is_none() {
                if h.text != u.text {
                    // The headline sat inside a menu line: the rest of the line goes.
                    let rest = u.text.replacen(&h.text, " \u{2026} ", 1);
                    remove(&mut out, rest.trim(), "menu or list of links");
                }
                out.headline = Some(h.clone());
                continue;
            }
        }
        if u.forced {
            out.body.push(Line {
                no: u.no,
                text: u.text.to_string(),
            });
            continue;
        }
        if headline_key.as_deref() == Some(fold(u.text).as_str()) {
            remove(&mut out, u.text, "repeats the headline");
            continue;
        }
        if i < start {
            remove(&mut out, u.text, reason_outside(u, "page header"));
            continue;
        }
        if i >= end {
            remove(&mut out, u.text, reason_outside(u, "page footer"));
            continue;
        }
        match u.class {
            Class::Bad(reason) => {
                remove(&mut out, u.text, reason);
                continue;
            }
            Class::Barrier => {
                remove(&mut out, u.text, reason_outside(u, ""));
                continue;
            }
            Class::Short if !ends_like_sentence(u.text) => {
                if is_caption_of(u.text, &headline_terms) {
                    remove(&mut out, u.text, "caption repeating the headline");
                    continue;
                }
                // A short line without sentence punctuation stays only as the heading of the
                // paragraph that follows it.
                let next_good = units[i + 1..end]
                    .iter()
                    .find(|n| !matches!(n.class, Class::Bad(_)))
                    .is_some_and(|n| n.class == Class::Good);
                if !next_good {
                    remove(&mut out, u.text, "short label without sentence punctuation");
                    continue;
                }
            }
            _ => {}
        }
        let (kept, dropped) = sentence_pass[i]
            .take()
            .unwrap_or_else(|| clean_sentences(u.text, &site_names));
        for (text, reason) in dropped {
            remove(&mut out, &text, reason);
        }
        if !kept.is_empty() {
            out.body.push(Line {
                no: u.no,
                text: kept,
            });
        }
    }
    out
}

fn reason_outside(u: &Unit, place: &'static str) -> &'static str {
    match u.class {
        Class::Bad(r) => r,
        Class::Barrier => "heading of a related or comments section",
        _ => place,
    }
}

/// A gallery caption ("2 of 4 A shopper looks at …") or a credit wholly in brackets
/// ("(Jane Doe/The Union via AP)").
fn is_caption(text: &str, f: &str) -> bool {
    let labelled = text.split_once(':').is_some_and(|(head, _)| {
        matches!(
            fold(head).as_str(),
            "image"
                | "photo"
                | "photos"
                | "file photo"
                | "credit"
                | "caption"
                | "pictured"
                | "above"
        )
    });
    if labelled || f.contains("(photo:") || f.contains("file photo") || f.contains("getty images") {
        return true;
    }
    let w: Vec<&str> = text.split_whitespace().take(4).collect();
    let gallery = w.len() == 4
        && w[0].chars().all(|c| c.is_ascii_digit())
        && w[1] == "of"
        && w[2].chars().all(|c| c.is_ascii_digit());
    let credit = text.starts_with('(')
        && text.ends_with(')')
        && word_count(text) <= 12
        && text[1..text.len() - 1].find(['(', ')']).is_none()
        && (text.contains('/') || f.contains("photo") || f.contains("via "));
    gallery || credit
}

/// A line cut off with an ellipsis.
fn truncated(text: &str) -> bool {
    text.ends_with("...") || text.ends_with('\u{2026}')
}

/// The number of a numbered list item: "1) …", "2. …", "(3) …".
fn list_number(text: &str) -> Option<u32> {
    let t = text.trim_start_matches('(');
    let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() || digits.len() > 2 {
        return None;
    }
    let rest = &t[digits.len()..];
    (rest.starts_with(") ") || rest.starts_with(". "))
        .then(|| digits.parse().ok())
        .flatten()
}

/// The class a line gets from its own shape.
/// `f`: the folded text (`fold(text)`), which most tests read.
fn classify(text: &str, f: &str, english: bool) -> Class {
    let n = word_count(text);
    let chars = text.chars().count();
    if is_copyright_folded(text, f) {
        return Class::Bad("copyright footer");
    }
    if is_dateline_folded(text, f) {
        return Class::Bad("byline or date line");
    }
    if is_byline(text, f) {
        return Class::Bad("byline or date line");
    }
    if is_caption(text, f) {
        return Class::Bad("image caption or credit");
    }
    let hits = promo_hits_folded(text, f);
    if f.contains("cookie")
        && (first_plural(f)
            || second_person(f)
            || f.contains("this site")
            || f.contains("this website"))
    {
        return Class::Bad("cookie notice");
    }
    // A long prose line needs several promo phrases and a word to the reader to be furniture
    // (a story about privacy or subscriptions uses some of those words too).
    let quoted = text.contains(['"', '\u{201c}', '\u{201d}']);
    let prose_promo = hits >= 2 && !quoted && (second_person(f) || first_plural(f));
    let lower_ok = title_case_share(text).is_none_or(|s| s <= 0.5);
    // Counted only when the cheaper tests of `shaped` pass.
    let stops_ok = || !english || stop_word_density(text) >= 0.2;
    // A long line without a final stop still reads as prose when it has inner punctuation; a
    // tag cloud or a keyword list has none.
    let inner_punct = text.matches([',', '.', ';', ':']).count();
    let shaped = chars >= 60
        && (ends_like_sentence(text) || (chars >= 150 && inner_punct * 25 >= n))
        && lower_ok
        && stops_ok();
    if shaped && teaser_lead(text) && !promo_then_text(text) {
        return Class::Bad("teaser: headline glued to a summary");
    }
    // One menu test serves both answers.
    if is_menu(text) {
        return Class::Bad("menu or list of links");
    }
    if shaped && !prose_promo {
        return Class::Good;
    }
    // A short plain sentence with one such word ("Millions subscribe to the service.") is
    // left to the sentence-level pass.
    let plain_sentence = ends_like_sentence(text) && lower_ok && n >= 5 && !reader_addressed(f);
    if promo_label(text).is_some() || (hits >= 1 && !shaped && !plain_sentence) || prose_promo {
        return Class::Bad("promo or site furniture");
    }
    if (2..=8).contains(&n) && is_all_caps(text) && !ends_like_sentence(text) {
        return Class::Bad("short label without sentence punctuation");
    }
    if n <= 3 && !ends_like_sentence(text) {
        return Class::Bad("short label without sentence punctuation");
    }
    Class::Short
}

/// A line opening with a Title-Case headline (capitalised function words after the first word,
/// "Fails To Rally In …") that runs on into a summary sentence: a teaser for another story.
fn teaser_lead(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut run = 0;
    let mut capital_stop = false;
    for (i, w) in words.iter().enumerate() {
        let core = w.trim_matches(|c: char| !c.is_alphanumeric());
        let Some(c) = core.chars().next() else {
            continue;
        };
        if c.is_lowercase() {
            break;
        }
        if matches!(*w, "\u{2014}" | "\u{2013}" | "-" | "--") {
            // "CITY (Agency) — The …": a dateline, then the sentence starts again.
            run = 0;
            capital_stop = false;
            continue;
        }
        if c.is_alphabetic() {
            run += 1;
            let lower = core.to_lowercase();
            if i > 0
                && core.chars().count() >= 2
                && !is_all_caps(core)
                && crate::text::tokens::is_stop_word(&lower)
                && !matches!(lower.as_str(), "i" | "a" | "an" | "the")
            {
                capital_stop = true;
            }
        }
        if w.ends_with(['.', '!', '?']) && core.len() > 2 {
            break;
        }
    }
    run >= 5 && capital_stop && run + 3 < words.len()
}

/// A promo sentence glued in front of body text ("Event X Connect with … near you! But the
/// company …"): the sentence-level pass splits it off.
fn promo_then_text(text: &str) -> bool {
    let parts = crate::text::sentences::split_str(text);
    parts.len() >= 2
        && promo_hits(parts[0]) > 0
        && parts[1..]
            .iter()
            .all(|p| promo_hits(p) == 0 && !teaser_lead(p))
}

/// A line that is only a date (with time, weekday, "Published"/"Updated" and reading time).
fn is_dateline(text: &str) -> bool {
    let has_date = crate::content::dates::find_dates(text).next().is_some();
    has_date && dateline_shape(text, &fold(text))
}

/// `is_dateline` for a text already folded (`f == fold(text)`).
fn is_dateline_folded(text: &str, f: &str) -> bool {
    crate::content::dates::find_dates(text).next().is_some() && dateline_shape(text, f)
}

/// The rest of the date-line test, once a date is found.
fn dateline_shape(text: &str, f: &str) -> bool {
    // What is left once dates, times and the usual date-line words are taken out.
    let rest: Vec<&str> = f
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.len() > 1)
        .filter(|w| {
            !matches!(
                *w,
                "published"
                    | "updated"
                    | "posted"
                    | "on"
                    | "at"
                    | "am"
                    | "pm"
                    | "a"
                    | "p"
                    | "m"
                    | "edt"
                    | "est"
                    | "cdt"
                    | "cst"
                    | "pdt"
                    | "pst"
                    | "gmt"
                    | "utc"
                    | "bst"
                    | "et"
                    | "min"
                    | "read"
                    | "last"
                    | "modified"
                    | "th"
                    | "st"
                    | "nd"
                    | "rd"
            ) && crate::content::signals::month_number(w).is_none()
                && !is_weekday(w)
        })
        .collect();
    rest.len() <= 4 && word_count(text) <= 16 && !ends_like_sentence(text.trim_end_matches('.'))
        || rest.is_empty()
}

pub(crate) fn is_weekday(w: &str) -> bool {
    let w = w.trim_end_matches('.').to_lowercase();
    const SHORT: [&str; 10] = [
        "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
    ];
    crate::text::tokens::WEEKDAYS.contains(&w.as_str()) || SHORT.contains(&w.as_str())
}

/// "By NAME…" on a short line.
fn is_byline(text: &str, f: &str) -> bool {
    (f.starts_with("by ") && word_count(text) <= 12 && !ends_like_sentence(text))
        || f.starts_with("written by ")
        || f.starts_with("posted by ")
}

/// The heading of a comments section ("12 Comments", "Leave a Reply").
fn is_comments_heading(text: &str) -> bool {
    let f = fold(text);
    let f = f.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ');
    let f = f.trim_end_matches([':', '.', ' ']);
    matches!(
        f,
        "comments"
            | "comment"
            | "responses"
            | "leave a reply"
            | "leave a comment"
            | "post a comment"
            | "add a comment"
            | "join the discussion"
            | "join the conversation"
            | "comments are closed"
    )
}

/// How strongly a related/comments heading separates text before it from text after it.
const BARRIER: f64 = 5.0;

/// The best-scoring run of lines: the article text. Returns `start..end` indices and the score.
fn main_run(units: &[Unit]) -> (usize, usize, f64) {
    let score = |u: &Unit| -> f64 {
        match u.class {
            Class::Good => 1.0 + (u.text.chars().count() as f64 / 100.0).min(5.0),
            Class::Short if ends_like_sentence(u.text) => 0.2,
            Class::Short => -0.5,
            // Captions sit inside articles: they say little about where the text ends.
            Class::Bad("image caption or credit") => -0.5,
            Class::Bad(_) => -(1.0 + (word_count(u.text).min(20) as f64) * 0.1),
            Class::Barrier => -BARRIER,
            Class::ListItem => 1.5,
        }
    };
    let mut best = (0.0, 0, 0);
    let mut sum = 0.0;
    let mut from = 0;
    for (i, u) in units.iter().enumerate() {
        if sum <= 0.0 {
            sum = 0.0;
            from = i;
        }
        sum += score(u);
        if sum > best.0 {
            best = (sum, from, i + 1);
        }
    }
    if best.2 == 0 {
        // No article text found: keep what reads as sentences (the decision is per line).
        return (0, units.len(), 0.0);
    }
    (best.1, best.2, best.0)
}

/// Names the site gives itself: the masthead (first line, a short name) and the holder named
/// in a copyright line. Used to spot sentences where the site speaks of itself.
fn site_names(lines: &[Line], copyright: &[String]) -> Vec<String> {
    let mut names = Vec::new();
    let mentions = |name: &str| {
        let name = fold(name);
        lines
            .iter()
            .filter(|l| fold(&l.text).contains(&name))
            .count()
    };
    if let Some(first) = lines.iter().map(|l| l.text.trim()).find(|t| !t.is_empty()) {
        let n = word_count(first);
        // The first line is the masthead only when the article does not keep talking about it
        // (a topic label like "Northwind" on top of a story about Northwind is not the site).
        if (1..=5).contains(&n)
            && !ends_like_sentence(first)
            && promo_hits(first) == 0
            && mentions(first) <= 3
        {
            names.push(first.to_string());
        }
    }
    names.extend(copyright.iter().cloned());
    names.retain(|n| n.chars().count() >= 3);
    names
}

/// The holders named in the copyright lines ("KXTV 7 News" also gives "KXTV").
fn copyright_names(lines: &[Line]) -> Vec<String> {
    let mut names = Vec::new();
    for l in lines {
        if let Some(holder) = crate::content::meta::copyright_holder(&l.text) {
            if let Some(w) = holder.split_whitespace().next() {
                if w.chars().filter(|c| c.is_uppercase()).count() >= 2 && w != holder {
                    names.push(w.to_string());
                }
            }
            names.push(holder);
        }
    }
    names
}

/// A sentence that starts with the site's own name ("X is an independent publication.",
/// "X will have live coverage tonight.").
fn speaks_of_site(sentence: &str, names: &[String]) -> bool {
    let s = sentence.trim_start_matches(['"', '\u{201c}', '\'']);
    let s = s.strip_prefix("The ").unwrap_or(s);
    names.iter().any(|n| {
        let n = n.strip_prefix("The ").unwrap_or(n);
        s.starts_with(n)
            && s[n.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_whitespace() || c == '\'' || c == '\u{2019}')
    })
}

/// What the sentence pass gives for a line: the kept text, and the removed parts with reasons.
type SentencePass = (String, Vec<(String, &'static str)>);

/// Sentence-level pass over a kept line: returns the kept text and the removed parts.
fn clean_sentences(text: &str, site: &[String]) -> SentencePass {
    if promo_label(text).is_some() {
        return (String::new(), vec![(text.to_string(), "promo or teaser")]);
    }
    let parts = crate::text::sentences::split_str(text);
    // A teaser closed by a call to action ("… Watch now", "… View all") is a promo as a whole.
    if parts.len() >= 2 && parts.last().is_some_and(|p| is_cta_fragment(p)) {
        let before_short = parts[..parts.len() - 1]
            .iter()
            .all(|p| word_count(p) <= 25 || promo_hits(p) > 0);
        if before_short {
            return (String::new(), vec![(text.to_string(), "promo or teaser")]);
        }
    }
    let promo = |s: &str| -> bool {
        let n = word_count(s);
        let quoted = s.starts_with(['"', '\u{201c}']);
        if quoted {
            return false;
        }
        let f = fold(s);
        let f = f.as_str();
        is_call_to_action_folded(s, f)
            || is_copyright_folded(s, f)
            || crate::content::signals::is_credit_line_folded(f)
            || speaks_of_site(s, site)
            || (promo_hits_folded(s, f) >= 1
                && (n <= 4 || n <= 12 && reader_addressed(f) || second_person(f)))
    };
    let flags: Vec<bool> = parts.iter().map(|s| promo(s)).collect();
    if !flags.iter().any(|&f| f) {
        return (text.to_string(), Vec::new());
    }
    // The rest of a promo paragraph: a short question or a line addressed to the reader.
    let all_promo = parts
        .iter()
        .zip(&flags)
        .all(|(s, &f)| f || (word_count(s) <= 10 && (s.ends_with('?') || second_person(&fold(s)))));
    if all_promo {
        return (String::new(), vec![(text.to_string(), "promo or teaser")]);
    }
    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    for (s, f) in parts.iter().zip(flags) {
        if f {
            dropped.push((s.to_string(), "promo glued to a sentence"));
        } else {
            kept.push(*s);
        }
    }
    (kept.join(" "), dropped)
}

/// Spoken to the reader: "you"/"your", or an imperative first word. `f`: the folded text.
fn reader_addressed(f: &str) -> bool {
    second_person(f) || crate::content::signals::starts_imperative_folded(f)
}

/// "we", "our" or "us" in a folded text.
fn first_plural(f: &str) -> bool {
    f.split(|c: char| !c.is_alphanumeric())
        .any(|w| matches!(w, "we" | "our" | "us"))
}

/// "you", "your" or "yours" in a folded text.
fn second_person(f: &str) -> bool {
    f.split(|c: char| !c.is_alphanumeric())
        .any(|w| matches!(w, "you" | "your" | "yours"))
}

/// A short line whose words all come from the headline: an image caption repeating it.
fn is_caption_of(text: &str, headline_terms: &HashSet<String>) -> bool {
    let terms = content_terms(text);
    !headline_terms.is_empty()
        && terms.len() >= 2
        && terms.iter().all(|t| headline_terms.contains(t))
}

/// Look for the headline in the page header: a standalone line the body echoes (repeated lines
/// win), else a stretch of a flattened menu line.
fn find_headline_in(header: &[Unit], body: &HashSet<String>, site: &[String]) -> Option<Line> {
    let overlap = |text: &str| -> f64 {
        let terms = content_terms(text);
        if terms.is_empty() {
            return 0.0;
        }
        terms.iter().filter(|t| body.contains(*t)).count() as f64 / terms.len() as f64
    };
    let mut best: Option<(f64, Line)> = None;
    let mut consider = |score: f64, no: usize, text: &str| {
        if best.as_ref().is_none_or(|b| score > b.0) {
            best = Some((
                score,
                Line {
                    no,
                    text: text.to_string(),
                },
            ));
        }
    };
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for u in header {
        *counts
            .entry(strip_label(u.text).to_lowercase())
            .or_insert(0) += 1;
    }
    let lowered: Vec<(usize, String)> = header
        .iter()
        .map(|u| (u.no, u.text.to_lowercase()))
        .collect();
    for (k, u) in header.iter().enumerate() {
        if u.forced {
            continue;
        }
        // The headline sits just above the article text more often than not.
        let near = 0.3 * (1.0 - ((header.len() - k).min(10) as f64) / 10.0);
        let text = strip_label(u.text);
        let n = word_count(text);
        // A Title-Case headline reads like a menu; separated items do not make one.
        let menu = is_menu(text) && (segments(text).is_some() || n > 16);
        let plain = (3..=30).contains(&n)
            && !text.ends_with('.')
            && !is_copyright(text)
            && !is_dateline(text)
            && !is_byline(text, &fold(text))
            && promo_hits(text) == 0
            && !menu;
        let is_site = site.iter().any(|s| fold(s) == fold(text));
        if plain && !is_site {
            let lower = text.to_lowercase();
            // Printed twice, or echoed inside a menu or breadcrumb line of the header.
            let repeated = counts[&lower] >= 2
                || lowered
                    .iter()
                    .any(|(no, o)| *no != u.no && o.len() > lower.len() && o.contains(&lower));
            let share = overlap(text);
            // The first line of a page is its masthead more often than its headline.
            let first = if std::ptr::eq(u, &header[0]) {
                0.3
            } else {
                0.0
            };
            // A standfirst without a final stop runs longer than a headline.
            let long = if n > 20 { 0.2 } else { 0.0 };
            // A few capitalised words only: a name, an outlet or a section more often.
            let long = long
                + if n <= 4 && title_case_share(text).is_some_and(|s| s >= 1.0) {
                    0.3
                } else {
                    0.0
                };
            let score = share + if repeated { 0.5 } else { 0.0 } + 0.2 - first + near - long;
            if share >= 0.4 || (repeated && share >= 0.2) || (near >= 0.2 && share >= 0.25) {
                consider(score, u.no, text);
            }
            continue;
        }
        let menu_like = is_menu(u.text) || (word_count(u.text) >= 8 && promo_hits(u.text) > 0);
        if menu_like && !is_copyright(u.text) {
            for span in menu_spans(u.text, body) {
                let n = word_count(span);
                if (4..=30).contains(&n) {
                    let score = overlap(span);
                    if score >= 0.5 {
                        let score = score + near;
                        consider(score, u.no, span);
                    }
                }
            }
        }
    }
    best.map(|b| b.1)
}

/// The text after a promo label ("Breaking: X" → "X").
fn strip_label(text: &str) -> &str {
    if promo_label(text).is_some() {
        if let Some((_, rest)) = text.split_once(':') {
            return rest.trim();
        }
    }
    text
}

/// Stretches of a menu line that could be a headline: separated items, or runs of words with
/// lower-case words in them (a sentence-case headline among Title-Case menu items), cut before
/// share/follow buttons and widened backwards over capitalised words the body uses.
fn menu_spans<'a>(text: &'a str, body: &HashSet<String>) -> Vec<&'a str> {
    if let Some(parts) = segments(text) {
        return parts;
    }
    let toks: Vec<(usize, &str)> = text
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
        .collect();
    let is_lower = |w: &str| {
        w.chars()
            .find(|c| c.is_alphabetic())
            .is_some_and(char::is_lowercase)
    };
    let in_body = |w: &str| content_terms(w).first().is_some_and(|t| body.contains(t));
    let starts_promo = |i: usize| {
        let rest: String = text[toks[i].0..].chars().take(16).collect();
        let rest = fold(&rest);
        [
            "share",
            "follow",
            "sign up",
            "subscribe",
            "tweet",
            "email",
            "print",
        ]
        .iter()
        .any(|p| rest.starts_with(p))
    };
    let mut spans = Vec::new();
    let mut i = 0;
    while i + 1 < toks.len() {
        if is_lower(toks[i].1) || !is_lower(toks[i + 1].1) || starts_promo(i) {
            i += 1;
            continue;
        }
        // toks[i] is capitalised and followed by a lower-case word: a sentence may start here.
        let mut s = i;
        while s > 0
            && s + 4 > i
            && !is_lower(toks[s - 1].1)
            && in_body(toks[s - 1].1)
            && !starts_promo(s - 1)
        {
            s -= 1;
        }
        let mut e = i + 1;
        let mut last = i + 1;
        let mut misses = 0;
        while e < toks.len() && !starts_promo(e) {
            let w = toks[e].1;
            if is_lower(w) || in_body(w) {
                last = e;
                misses = 0;
            } else {
                misses += 1;
                if misses >= 2 {
                    break;
                }
            }
            e += 1;
        }
        let from = toks[s].0;
        let to = toks[last].0 + toks[last].1.len();
        spans.push(&text[from..to]);
        i = last + 1;
    }
    spans
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

    fn body(c: &Cleaned) -> String {
        c.body
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    const PARA1: &str = "The storm brought heavy rain to the coast on Monday, and the river rose \
                         above its banks before dawn, officials said.";
    const PARA2: &str = "Rescue crews pulled dozens of people from their homes and cars as the \
                         water kept rising through the morning.";
    const PARA3: &str = "The town has opened a shelter at the high school for residents who had \
                         to leave their homes overnight.";

    #[test]
    fn short_real_sentence_stays() {
        let text =
            format!("Storm Floods The Coast Town\n{PARA1}\nHe declined to comment.\n{PARA2}");
        let c = clean_lines(&lines(&text), &[], true);
        assert!(body(&c).contains("He declined to comment."));
        assert_eq!(c.headline.unwrap().text, "Storm Floods The Coast Town");
    }

    #[test]
    fn quote_only_paragraph_stays() {
        let q = "\u{201c}We have never seen the water come up this fast.\u{201d}";
        let text = format!("{PARA1}\n{q}\n{PARA2}");
        let c = clean_lines(&lines(&text), &[], false);
        assert!(body(&c).contains(q), "{c:?}");
    }

    #[test]
    fn headline_buried_in_a_menu_line_is_split_out() {
        let text = format!(
            "News Sport Business Weather Storm brings heavy rain to the coast Share on Facebook Share on X\n{PARA1}\n{PARA2}"
        );
        let c = clean_lines(&lines(&text), &[], true);
        assert_eq!(
            c.headline.as_ref().map(|h| h.text.as_str()),
            Some("Storm brings heavy rain to the coast")
        );
        assert!(!body(&c).contains("Share on"));
        assert!(c
            .removed
            .iter()
            .any(|r| r.text.contains("Share on Facebook")));
    }

    #[test]
    fn headline_between_separators_is_split_out() {
        let text = format!(
            "Home | News | Rescue crews pull dozens from flooded homes | Sports | Contact\n{PARA1}\n{PARA2}"
        );
        let c = clean_lines(&lines(&text), &[], true);
        assert_eq!(
            c.headline.map(|h| h.text),
            Some("Rescue crews pull dozens from flooded homes".to_string())
        );
    }

    #[test]
    fn duplicated_headline_is_taken_once() {
        let text = format!(
            "Daily Paper\nStorm floods the coast town\nStorm floods the coast town\n{PARA1}\n{PARA2}"
        );
        let c = clean_lines(&lines(&text), &[], true);
        assert_eq!(
            c.headline.clone().unwrap().text,
            "Storm floods the coast town"
        );
        assert!(!body(&c).contains("Storm floods"));
        assert!(c
            .removed
            .iter()
            .any(|r| r.reason == "repeated line" || r.reason == "repeats the headline"));
    }

    #[test]
    fn mid_text_promo_goes_and_body_around_it_stays() {
        let text = format!(
            "{PARA1}\nEvent: Summer Arts Festival, July 19-21. Get your tickets\n{PARA2}\nVideo: Drone footage of the river. Watch now\n{PARA3}"
        );
        let c = clean_lines(&lines(&text), &[], false);
        let b = body(&c);
        assert!(b.contains(PARA1) && b.contains(PARA2) && b.contains(PARA3));
        assert!(!b.contains("tickets") && !b.contains("Watch now"));
    }

    #[test]
    fn promo_glued_to_a_body_sentence_is_split_off() {
        let text = format!(
            "{PARA1}\nSeveral roads remain closed, including parts of Route 14. Check our Closings page for the latest list.\n{PARA2}"
        );
        let c = clean_lines(&lines(&text), &[], false);
        let b = body(&c);
        assert!(b.contains("Several roads remain closed, including parts of Route 14."));
        assert!(!b.contains("Closings page"));
    }

    #[test]
    fn footer_and_related_list_go() {
        let text = format!(
            "{PARA1}\n{PARA2}\nMost Read\nCouncil delays vote on bus fares\nSchool gym reopens after roof repair\nSign up for our newsletter\n\u{a9} 2024 Daily Paper. All rights reserved.\nWe use cookies to improve your experience on our site."
        );
        let c = clean_lines(&lines(&text), &[], false);
        assert_eq!(body(&c), format!("{PARA1}\n{PARA2}"));
        assert_eq!(c.removed.len(), 6);
    }

    #[test]
    fn non_english_body_stays_and_all_caps_label_goes() {
        let it1 = "È stato annunciato in queste ore che il servizio di streaming ospiterà il \
                   remake della serie animata degli anni ottanta.";
        let it2 = "Gli appassionati della serie sono già sul piede di guerra, dopo il primo \
                   esperimento datato qualche anno fa.";
        let text = format!("RELATED NEWS TODAY\n{it1}\n{it2}\nLEGGI ANCHE");
        let c = clean_lines(&lines(&text), &[], false);
        assert_eq!(body(&c), format!("{it1}\n{it2}"));
    }

    #[test]
    fn caption_repeating_the_headline_goes() {
        let text = format!("Storm floods the coast town after record rain\n{PARA1}\nStorm floods coast town\n{PARA2}");
        let c = clean_lines(&lines(&text), &[], true);
        assert!(!body(&c).contains("Storm floods coast town"));
    }

    #[test]
    fn keep_forces_a_line_to_stay() {
        let text = format!("{PARA1}\nView all\n{PARA2}");
        let c = clean_lines(&lines(&text), &["View all"], false);
        assert!(body(&c).contains("View all"));
        let c = clean_lines(&lines(&text), &[], false);
        assert!(!body(&c).contains("View all"));
    }

    #[test]
    fn corpus_counts_update_one_article_at_a_time() {
        let a = lines("Home | News\nSubscribe now\nThe river rose.");
        let b = lines("Home | News\nThe dam held.\nSubscribe now");
        let b2 = lines("Home | News\nThe dam held overnight.");
        let mut corpus = CorpusLines::new([a.as_slice(), b.as_slice()]);
        assert_eq!(corpus.articles_with("subscribe now"), 2);
        corpus.remove(&b);
        corpus.add(&b2);
        assert_eq!(corpus, CorpusLines::new([a.as_slice(), b2.as_slice()]));
        assert_eq!(corpus.articles_with("subscribe now"), 1);
        assert_eq!(corpus.articles_with("home | news"), 2);
    }

    #[test]
    fn line_seen_in_several_articles_is_boilerplate_but_shared_sentence_is_not() {
        let a = lines(&format!(
            "{PARA1}\nCoverage of the storm season at a glance\n{PARA2}"
        ));
        let b = lines(&format!(
            "{PARA3}\nCoverage of the storm season at a glance\n{PARA1}"
        ));
        let corpus = CorpusLines::new([a.as_slice(), b.as_slice()]);
        let c = clean_article(&a, &[], false, &corpus);
        assert_eq!(body(&c), format!("{PARA1}\n{PARA2}"));
        assert_eq!(c.removed[0].reason, "appears in several articles");
    }

    #[test]
    fn comments_after_the_article_are_not_the_article() {
        let comment = "I have to disagree with this post, because the numbers in the second \
                       table do not add up and the conclusion does not follow from them.";
        let mut text = format!("{PARA1}\n{PARA2}\n12 Comments\n");
        for _ in 0..5 {
            text.push_str(comment);
            text.push_str(" Really.\nReply\n");
        }
        let c = clean_lines(&lines(&text), &[], false);
        assert_eq!(body(&c), format!("{PARA1}\n{PARA2}"));
    }

    #[test]
    fn numbered_list_inside_the_article_stays() {
        let text = format!(
            "{PARA1}\n1) Lego Star Wars Bomber\nhttp://example.com/a\n2) Electric Race Track Set\nhttp://example.com/b\n3) Blade Runner Final Cut\n{PARA2}"
        );
        let c = clean_lines(&lines(&text), &[], false);
        let b = body(&c);
        assert!(b.contains("2) Electric Race Track Set"), "{b}");
        assert!(b.contains(PARA2));
    }

    #[test]
    fn teaser_headlines_glued_to_summaries_go_but_datelines_stay() {
        let dateline = "BRANTFORD MILLS (AP) \u{2014} The river crested at 21 feet on Monday \
                        afternoon, more than six feet above flood stage, officials said.";
        let teaser = "Harvick Fails To Rally Overmatched Ford In Season Finale The driver \
                      flopped for the blue oval at the track on Sunday afternoon.";
        let text = format!("{dateline}\n{PARA1}\n{teaser}\n{PARA2}");
        let c = clean_lines(&lines(&text), &[], false);
        let b = body(&c);
        assert!(b.contains(dateline));
        assert!(!b.contains("Harvick"));
    }

    #[test]
    fn gallery_captions_and_credits_go() {
        let text = format!(
            "{PARA1}\n2 of 4 A shopper looks at extension cords at a hardware store on Tuesday, in Grass Valley.\n(Jane Doe/The Union via AP)\n{PARA2}"
        );
        let c = clean_lines(&lines(&text), &[], false);
        assert_eq!(body(&c), format!("{PARA1}\n{PARA2}"));
    }

    #[test]
    fn body_sentences_using_promo_words_stay() {
        let lines_in = [
            "She was promoted to chief executive in 2019.",
            "More than two million people subscribe to the service.",
            "The company said it protects personal data and never shares it with third parties, \
             and that its privacy policy has not changed since the service was launched.",
            "The aid was distributed by volunteers from the Red Cross.",
        ];
        let text = format!("{PARA1}\n{}\n{PARA2}", lines_in.join("\n"));
        let c = clean_lines(&lines(&text), &[], false);
        let b = body(&c);
        for l in lines_in {
            assert!(b.contains(l), "lost {l:?}");
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        let odd = [
            "",
            "(",
            "()",
            ")",
            "\u{a9}",
            "By",
            "by ",
            "1) ",
            "1.",
            "...",
            "\u{2026}",
            "|",
            " | | ",
            "\u{201c}",
            "İstanbul by İzmir",
            "A",
            "Share",
            "2 of",
            "09/07/2024",
            "March",
            "0:00 / 1:12",
            "© ",
            "Copyright",
            "x's mission is",
            "www.",
            ".com",
        ];
        let text = odd.join("\n");
        let c = clean_lines(&lines(&text), &["", "x"], true);
        let all: usize = c.body.len() + c.removed.len() + usize::from(c.headline.is_some());
        assert!(all >= 1);
        for s in odd {
            let one = clean_lines(&lines(s), &[], true);
            let _ = (one.body.len(), one.removed.len());
        }
    }

    #[test]
    fn headline_echoed_in_the_menu_beats_the_standfirst_and_the_masthead() {
        let text = format!(
            "HARBOUR NEWS NOW\nWorld  Politics  Storm brings heavy rain to the coast  Science\nStorm brings heavy rain to the coast\nThe river rose above its banks before dawn as rescue crews pulled people from their homes\n{PARA1}\n{PARA2}\nCopyright 2024 Harbour News Now. All rights reserved."
        );
        let c = clean_lines(&lines(&text), &[], true);
        assert_eq!(
            c.headline.map(|h| h.text).as_deref(),
            Some("Storm brings heavy rain to the coast")
        );
    }

    #[test]
    fn one_sentence_lines_and_a_cookie_banner() {
        let text = "We use cookies to personalise content and ads, to provide social media features and to analyse our traffic.\n\
                    Police: Man arrested after a long car chase\nBy Kim Doe\nMarch 3, 2024\n\
                    A man was arrested Sunday after a long car chase.\nPolice said he drove at 100 mph.\n\
                    No one was hurt.\nHe faces three charges.\nShare this story";
        let c = clean_lines(&lines(text), &[], true);
        assert_eq!(
            body(&c),
            "A man was arrested Sunday after a long car chase.\nPolice said he drove at 100 mph.\nNo one was hurt.\nHe faces three charges."
        );
        assert_eq!(
            c.headline.map(|h| h.text).as_deref(),
            Some("Police: Man arrested after a long car chase")
        );
    }
}
