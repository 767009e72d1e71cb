//! Extract stage: per sentence, its content terms, whether it is check-worthy, and its slots.

use crate::claims::{dates, slots};
use crate::model::{Article, Mention};
use crate::text::tokens;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// What matching and judging need to know about one sentence.
#[derive(Debug, Clone, Default)]
pub struct Features {
    pub mention: Mention,
    /// 0 for the whole sentence, else the 1-based clause of a sentence that states several
    /// facts (each clause is matched on its own, so the sentence can join several claims).
    pub unit: usize,
    /// Canonical content terms (stems, news-verb synonyms folded), sorted and de-duplicated.
    pub terms: Vec<String>,
    /// All words, lower-case, in order (stop words included): for word-order overlap.
    pub words: Vec<String>,
    /// A statement worth checking (not a label, a fragment or a question to the reader).
    pub check_worthy: bool,
    /// Dates named in the sentence (`YYYY-MM-DD`, or `MM-DD` when the year is unknown), sorted.
    pub dates: Vec<String>,
    /// Numbers, amounts and ranges with what they count.
    pub quantities: Vec<slots::Quantity>,
    /// Quoted spans and their speakers.
    pub quotes: Vec<slots::Quote>,
    /// People named with a job title.
    pub people: Vec<slots::Titled>,
    /// Places ("in Columbus"; a base as "based in Cleveland").
    pub places: Vec<String>,
    /// Whose base the sentence names, when it names one ("corvane").
    pub based: Option<String>,
    /// Named entities (lower-case), acronyms expanded.
    pub entities: Vec<String>,
    /// `confirmed` / `denied` when the sentence reports a stance on a fact.
    pub stance: Option<&'static str>,
    /// The content terms of who the sentence says reports it ("the weather service says",
    /// "according to the agency", "said Dana Whitlow"), sorted: two sentences that share
    /// only these name one source, not one fact.
    pub source: Vec<String>,
    /// The sentence negates what it states ("not", "no", "-n't", …): a pair where only one
    /// side does is less likely to state the same thing.
    pub negated: bool,
}

/// The article's publication date, when known and well-formed.
pub fn article_date(a: &Article) -> Option<NaiveDate> {
    a.meta
        .date
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

pub fn extract_corpus(articles: &[Article]) -> Vec<Features> {
    // Articles are read in parallel and their results taken in corpus order.
    use rayon::prelude::*;
    let defined: Vec<Vec<(String, String)>> = articles.par_iter().map(article_acronyms).collect();
    let acronyms = acronym_table(defined);
    let per_article: Vec<Vec<Features>> = articles
        .par_iter()
        .enumerate()
        .map(|(ai, a)| extract_article(ai, a, &acronyms))
        .collect();
    per_article.into_iter().flatten().collect()
}

/// The acronyms an article defines ("Northwind Secure Mail (NSM)"), in order, as
/// (short, long) pairs.
pub fn article_acronyms(a: &Article) -> Vec<(String, String)> {
    a.sentences
        .iter()
        .flat_map(|s| slots::acronyms(&s.text))
        .collect()
}

/// The corpus's acronym table from each article's definitions, in corpus order: the first
/// definition of a short form wins.
pub fn acronym_table<I, L>(per_article: I) -> BTreeMap<String, String>
where
    I: IntoIterator<Item = L>,
    L: IntoIterator<Item = (String, String)>,
{
    let mut acronyms: BTreeMap<String, String> = BTreeMap::new();
    for list in per_article {
        for (short, long) in list {
            acronyms.entry(short).or_insert(long);
        }
    }
    acronyms
}

/// The features of one article's sentences (whole sentences, then the clauses of those that
/// state several facts), `ai` being the article's index in the corpus.
pub fn extract_article(
    ai: usize,
    a: &Article,
    acronyms: &BTreeMap<String, String>,
) -> Vec<Features> {
    let mut out = Vec::new();
    let date = article_date(a);
    for (si, s) in a.sentences.iter().enumerate() {
        let mention = Mention {
            article: ai,
            sentence: si,
        };
        let whole = extract_with(mention, &s.text, date, acronyms);
        let worthy = whole.check_worthy;
        out.push(whole);
        if !worthy {
            continue;
        }
        let parts = clauses(&s.text);
        if parts.len() < 2 {
            continue;
        }
        for (k, c) in parts.into_iter().enumerate() {
            let mut f = extract_with(mention, c, date, acronyms);
            f.unit = k + 1;
            if f.check_worthy {
                out.push(f);
            }
        }
    }
    out
}

/// Words that open a new clause after a comma ("…, killing two people").
const CLAUSE_OPENERS: &[&str] = &[
    "after",
    "although",
    "and",
    "as",
    "because",
    "but",
    "despite",
    "due",
    "following",
    "including",
    "leaving",
    "though",
    "when",
    "where",
    "which",
    "while",
    "who",
];

/// The clauses of a sentence that states several facts: split at semicolons, and at commas or
/// "and" followed by a clause opener or a verb in -ing ("killing two people and damaging about
/// 300 homes"). Pieces shorter than three words stay with their neighbour.
pub fn clauses(text: &str) -> Vec<&str> {
    let toks = slots::tokenize(text);
    let mut cuts: Vec<usize> = Vec::new();
    // The token after the last comma so far.
    let mut after_comma: Option<usize> = None;
    for (k, t) in toks.iter().enumerate().skip(1) {
        let gap = &text[toks[k - 1].end..t.start];
        let comma = gap.contains(',');
        // The comma that closes an appositive: a short phrase opened by an article just after
        // a capitalised word ("Kestrel, the Ohio company behind the heater, says ..."). What
        // comes after it is the sentence's main fact; the appositive states another (a title,
        // a base, a size).
        let closes_appositive = comma
            && after_comma.is_some_and(|j| {
                j >= 1
                    && matches!(toks[j].lower.as_str(), "the" | "a" | "an")
                    && toks[j - 1].text.starts_with(char::is_uppercase)
                    && (2..=8).contains(&(k - j))
            });
        if comma {
            after_comma = Some(k);
        }
        if k < 3 {
            continue;
        }
        let ing = t.lower.ends_with("ing") && t.lower.len() > 5;
        let opener = CLAUSE_OPENERS.contains(&t.lower.as_str());
        let cut = gap.contains(';')
            || closes_appositive
            || (comma && (opener || ing))
            || (t.lower == "and"
                && toks.get(k + 1).is_some_and(|n| {
                    (n.lower.ends_with("ing") && n.lower.len() > 5)
                        || n.lower.starts_with(|c: char| c.is_ascii_digit())
                        || crate::text::tokens::number_word(&n.lower).is_some()
                        || matches!(n.lower.as_str(), "about" | "some" | "nearly" | "more")
                }));
        if cut {
            cuts.push(k);
        }
    }
    let mut out = Vec::new();
    let mut start_tok = 0;
    for &c in cuts.iter().chain(std::iter::once(&toks.len())) {
        if c - start_tok < 3 || (c < toks.len() && toks.len() - c < 3) {
            continue;
        }
        let from = if start_tok == 0 {
            0
        } else {
            toks[start_tok].start
        };
        let to = if c == toks.len() {
            text.len()
        } else {
            toks[c - 1].end
        };
        out.push(text[from..to].trim());
        start_tok = c;
    }
    if start_tok < toks.len() && start_tok > 0 {
        // The tail was too short to stand alone: glue it to the last clause.
        if let Some(last) = out.pop() {
            let from = last.as_ptr() as usize - text.as_ptr() as usize;
            out.push(text[from..].trim());
        }
    }
    out
}

/// The sentence without a dateline opening it ("ORLAN FALLS — ", "NEW YORK, N.Y. (AP) - ",
/// "Springfield (Reuters) — "): a place in capitals, or any place followed by a source in
/// brackets, then a dash. The dateline names where the story was filed, not a fact of the
/// sentence, and left in it would match the lede with every sentence naming the town.
pub fn without_dateline(text: &str) -> &str {
    let dash = ["\u{2014}", "\u{2013}", " -- ", " - "]
        .iter()
        .filter_map(|d| text.find(d).map(|p| (p, d.len())))
        .min();
    let Some((p, len)) = dash.filter(|&(p, _)| p <= 60) else {
        return text;
    };
    let head = text[..p].trim();
    let (place, source) = match head.strip_suffix(')').and_then(|h| h.rsplit_once('(')) {
        Some((place, source)) if !source.is_empty() => (place.trim(), true),
        _ => (head, false),
    };
    let words: Vec<&str> = place.split_whitespace().collect();
    let capitalised = words
        .iter()
        .all(|w| w.starts_with(|c: char| c.is_uppercase()));
    let rest = text[p + len..].trim_start();
    if (1..=5).contains(&words.len())
        && capitalised
        && (source || crate::text::case::is_all_caps(place))
        && rest.split_whitespace().count() >= 3
    {
        rest
    } else {
        text
    }
}

/// The sentence without its attribution: "according to X" (to the next comma or the end) and a
/// closing ", X said" / ", said X" of up to eight words.
pub fn without_attribution(text: &str) -> String {
    let mut t = text.to_string();
    // ASCII lower-casing keeps byte offsets, so they can index `t`.
    let lower = t.to_ascii_lowercase();
    if let Some(p) = lower.find("according to ") {
        let end = lower[p..].find(',').map(|e| p + e).unwrap_or(lower.len());
        t.replace_range(p..end, "");
    }
    if let Some(p) = t.rfind(',') {
        let tail = t[p + 1..].to_lowercase();
        let words: Vec<&str> = tail
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .filter(|w| !w.is_empty())
            .collect();
        let says = words
            .iter()
            .any(|w| matches!(*w, "said" | "says" | "told" | "reported" | "announced"));
        if says && words.len() <= 8 && !tail.contains(['"', '\u{201c}', '\u{201d}']) {
            t.truncate(p);
        }
    }
    t
}

/// Words that may stand between a reporting verb and its source ("Kestrel has announced").
const SOURCE_AUXILIARIES: &[&str] = &[
    "all", "also", "both", "each", "had", "has", "have", "will", "would",
];

/// Words before a reporting verb that make it passive ("deaths have been reported"): the words
/// before are then what is reported, not who reports it.
const PASSIVE: &[&str] = &["are", "be", "been", "being", "is", "was", "were"];

/// Words that open a noun phrase: a source named before a reporting verb starts with them.
const DETERMINERS: &[&str] = &[
    "a", "an", "her", "his", "its", "our", "the", "their", "this",
];

/// The content terms of the sentence's sources, sorted: the noun phrase before each reporting
/// verb ("the weather service says", "Kestrel has announced"; at most six words, not for a
/// passive verb), and the words after a verb that opens the sentence or a clause ("said Dana
/// Whitlow, …", "according to the agency") up to the next punctuation (at most six); and the
/// reporting verbs' own term ("say"), when there is one.
pub fn source_terms(text: &str, toks: &[slots::Tok]) -> Vec<String> {
    const MAX: usize = 6;
    let boundary = |a: usize, b: usize| {
        text[toks[a].end..toks[b].start].contains([
            ',', ';', ':', '(', ')', '"', '\u{201c}', '\u{201d}', '\u{2014}',
        ])
    };
    let is = |i: usize, list: &[&str]| list.contains(&toks[i].lower.as_str());
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut reports = false;
    for k in 0..toks.len() {
        // A reporting verb is lower-case ("United States" is no "states").
        if slots::is_capitalised(&toks[k]) && k > 0
            || tokens::synonym_group(&toks[k].lower) != Some("say")
        {
            continue;
        }
        reports = true;
        let mut v = k;
        while v > 0 && !boundary(v - 1, v) && is(v - 1, SOURCE_AUXILIARIES) {
            v -= 1;
        }
        if !(v > 0 && is(v - 1, PASSIVE)) {
            let mut j = v;
            while j > 0 && v - j < MAX && !boundary(j - 1, j) {
                if is(j - 1, DETERMINERS) {
                    j -= 1;
                    break;
                }
                // "Target and Walmart said": names joined by "and" are one source.
                let joins = toks[j - 1].lower == "and"
                    && j >= 2
                    && slots::is_capitalised(&toks[j - 2])
                    && slots::is_capitalised(&toks[j]);
                if tokens::is_stop_word(&toks[j - 1].lower) && !joins {
                    break;
                }
                j -= 1;
            }
            spans.push((j, v));
        }
        let opens = k == 0 || boundary(k - 1, k) || toks[k].lower == "according";
        if opens {
            let mut e = k + 1;
            if toks[k].lower == "according" && e < toks.len() && toks[e].lower == "to" {
                e += 1;
            }
            let from = e;
            while e < toks.len() && e - from < MAX && (e == from || !boundary(e - 1, e)) {
                e += 1;
            }
            spans.push((from, e));
        }
    }
    let mut out: Vec<String> = spans
        .into_iter()
        .flat_map(|(a, b)| {
            toks[a..b]
                .iter()
                .flat_map(|t| tokens::content_terms(&t.text))
        })
        .collect();
    // The reporting verb itself (its synonym group's term), when there is one.
    if reports {
        out.push("say".to_string());
    }
    out.sort();
    out.dedup();
    out
}

/// Whether words (lower-case) negate the statement: "not", "cannot", "no", "nor", "neither",
/// "nobody" or a "-n't" contraction. "Never" and "without" are left out: in reports of one fact
/// they are as often idiom ("never seen it rise so fast" = "the fastest rise"; "without power"
/// = "lost power") as a denial.
pub fn negated(words: &[String]) -> bool {
    words.iter().any(|w| {
        matches!(
            w.as_str(),
            "not" | "cannot" | "no" | "nor" | "neither" | "nobody"
        ) || w.ends_with("n't")
    })
}

/// Features of one sentence without any article context.
pub fn extract_sentence(mention: Mention, text: &str) -> Features {
    extract_with(mention, text, None, &BTreeMap::new())
}

/// Features of one sentence, dates resolved against the article's date, acronyms against the
/// corpus's definitions.
pub fn extract_with(
    mention: Mention,
    text: &str,
    article_date: Option<NaiveDate>,
    acronyms: &BTreeMap<String, String>,
) -> Features {
    let text = without_dateline(text);
    let toks = slots::tokenize(text);
    let found = dates::find(&toks, article_date);
    let mut in_date = vec![false; toks.len()];
    for f in &found {
        for &t in &f.tokens {
            in_date[t] = true;
        }
    }
    let mut date_values: Vec<String> = found.into_iter().map(|f| f.value).collect();
    date_values.sort();
    date_values.dedup();
    let quantities = slots::quantities(text, &toks, &in_date);
    let mut quotes = slots::quotes(text);
    for q in &mut quotes {
        for (short, long) in acronyms {
            q.norm = q.norm.replace(long.as_str(), short);
        }
    }
    let mut entities = slots::entities(&toks);
    // Who reports a fact is not the fact: attributions are left out of the matching terms.
    let mut terms = tokens::content_terms(&without_attribution(text));
    // An acronym and its expansion are one entity: both forms carry both.
    let lower = text.to_lowercase();
    for (short, long) in acronyms {
        let has_short = toks.iter().any(|t| &t.lower == short);
        if has_short || lower.contains(long.as_str()) {
            entities.push(long.clone());
            terms.push(short.clone());
            terms.extend(tokens::content_terms(long));
        }
    }
    // Words of a date are compared as the date slot, not as words ("November 30" and
    // "30 December" name one kind of fact, and the judge says whether they agree).
    let date_terms: Vec<String> = toks
        .iter()
        .zip(&in_date)
        .filter(|(_, d)| **d)
        .map(|(t, _)| tokens::term(&t.lower))
        .collect();
    terms.retain(|t| !date_terms.contains(t));
    entities.sort();
    entities.dedup();
    terms.sort();
    terms.dedup();
    let words = tokens::words(text);
    let is_negated = negated(&words);
    let check_worthy = slots::check_worthy(
        text,
        &toks,
        !quantities.is_empty() || !date_values.is_empty(),
        !quotes.is_empty(),
        is_negated,
    );
    let source = source_terms(text, &toks);
    Features {
        source,
        mention,
        unit: 0,
        terms,
        words,
        check_worthy,
        dates: date_values,
        people: slots::titled_people(text, &toks),
        places: slots::places(text, &toks),
        based: slots::based_subject(&toks),
        stance: slots::stance(&toks),
        negated: is_negated,
        quantities,
        quotes,
        entities,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(text: &str) -> Features {
        extract_sentence(Mention::default(), text)
    }

    #[test]
    fn sources_are_who_reports_not_what_is_reported() {
        let source = |t: &str| f(t).source;
        let has = |t: &str, want: &[&str]| {
            let got = source(t);
            for w in want {
                assert!(
                    got.contains(&w.to_string()),
                    "{t}: {w} missing from {got:?}"
                );
            }
            got
        };
        // Before the verb: the noun phrase, from its determiner; after a verb that opens a
        // clause: up to the punctuation.
        let got = has(
            "Showers are due Friday, but the weather bureau says they will be light.",
            &["weather", "bureau", "say"],
        );
        assert!(!got.contains(&"shower".to_string()), "{got:?}");
        let got = has(
            "The Orlan Weather Bureau said nine inches of rain fell.",
            &["orlan", "weather", "bureau"],
        );
        assert!(!got.contains(&"rain".to_string()), "{got:?}");
        has(
            "Kestrel Foods has announced a recall of its oat bars.",
            &["kestrel", "food"],
        );
        has(
            "Brindle and Oakmart both said they would take the bars back.",
            &["brindl", "oakmart"],
        );
        has(
            "The plant will close, said Dana Whitlow, the mayor of the town.",
            &["dana", "whitlow"],
        );
        has(
            "The bridge reopened on Friday, according to the county roads office.",
            &["counti", "road", "offic"],
        );
        // A passive verb names what is reported, and "States" in a name is no verb.
        assert_eq!(source("No injuries have been reported."), vec!["say"]);
        assert!(source("The bars were sold in the United States and Canada.").is_empty());
    }

    #[test]
    fn finds_dates_both_ways_round() {
        assert_eq!(
            f("It ends on 30 December, not November 30.").dates,
            vec!["11-30", "12-30"]
        );
    }

    #[test]
    fn days_of_dates_are_not_counted_as_numbers() {
        let q = f("On March 14, 2024, some 5,000 customers left.").quantities;
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].low, 4500.0);
    }

    #[test]
    fn relative_dates_use_the_article_date() {
        let d = NaiveDate::from_ymd_opt(2015, 11, 20).unwrap();
        let x = extract_with(
            Mention::default(),
            "The service will shut down at the end of this month.",
            Some(d),
            &BTreeMap::new(),
        );
        assert_eq!(x.dates, vec!["2015-11-30"]);
    }

    #[test]
    fn an_acronym_matches_its_expansion() {
        let mut acr = BTreeMap::new();
        acr.insert("nsm".to_string(), "northwind secure mail".to_string());
        let a = extract_with(Mention::default(), "NSM servers stay.", None, &acr);
        let b = extract_with(
            Mention::default(),
            "The Northwind Secure Mail is safe.",
            None,
            &acr,
        );
        assert!(a.terms.contains(&"nsm".to_string()) && b.terms.contains(&"nsm".to_string()));
        assert!(a.entities.contains(&"northwind secure mail".to_string()));
    }

    #[test]
    fn a_sentence_with_two_facts_has_two_clauses() {
        assert_eq!(
            clauses("The storm hit the town on Sunday, killing two people and damaging about 300 homes."),
            vec![
                "The storm hit the town on Sunday",
                "killing two people",
                "and damaging about 300 homes."
            ]
        );
        assert_eq!(clauses("The storm hit the town on Sunday.").len(), 1);
    }

    #[test]
    fn an_appositive_is_a_clause_of_its_own() {
        // A name's appositive states one fact (a title), the rest of the sentence another.
        assert_eq!(
            clauses("Jane Ruiz, the town manager of Millbrook, said the river crested at 21 feet."),
            vec![
                "Jane Ruiz, the town manager of Millbrook",
                "said the river crested at 21 feet."
            ]
        );
        // Not after a lower-case word, nor when the phrase runs long.
        assert_eq!(
            clauses("The lid, a locking part, can open under pressure.").len(),
            1
        );
        assert_eq!(
            clauses(
                "Ruiz, the manager who ran the town through the two worst floods, spoke to \
                 reporters about the damage."
            )
            .len(),
            1
        );
    }

    #[test]
    fn datelines_are_not_part_of_the_sentence() {
        let rest = "Two people died after the river rose overnight.";
        for line in [
            "ORLAN FALLS \u{2014} ",
            "ORLAN FALLS (WVTR) - ",
            "NEW YORK, N.Y. (AP) \u{2014} ",
            "Springfield (Reuters) -- ",
        ] {
            assert_eq!(without_dateline(&format!("{line}{rest}")), rest, "{line}");
        }
        // A dash inside an ordinary sentence is no dateline.
        for kept in [
            "Kestrel Home Goods \u{2014} the maker of the heater \u{2014} said it acted fast.",
            "The problem - a worn pin - lets the lid turn.",
            "Two people died - officials said so.",
        ] {
            assert_eq!(without_dateline(kept), kept);
        }
        // The dateline's town is no term of the sentence.
        let f = extract_sentence(
            Mention::default(),
            "ORLAN FALLS \u{2014} Two people died overnight.",
        );
        assert!(
            !f.terms.iter().any(|t| t.contains("orlan")),
            "{:?}",
            f.terms
        );
    }

    #[test]
    fn attributions_are_not_matched_on() {
        assert_eq!(
            without_attribution("It can open under pressure, according to the safety agency."),
            "It can open under pressure, "
        );
        assert_eq!(
            without_attribution("The river crested at 21 feet, the weather service said."),
            "The river crested at 21 feet"
        );
        assert_eq!(
            without_attribution("He left, and she said nothing about the plan or the money today."),
            "He left, and she said nothing about the plan or the money today."
        );
    }

    #[test]
    fn negations_are_noticed() {
        assert!(f("The company did not recall the cookers.").negated);
        assert!(f("The company didn't recall the cookers.").negated);
        assert!(f("The lid cannot be opened.").negated);
        assert!(f("No one was hurt.").negated);
        assert!(!f("She had never seen the river rise so fast.").negated);
        assert!(!f("The company recalled the cookers.").negated);
        assert!(!f("Nothing notable: the notice went out.").negated);
    }

    #[test]
    fn short_denials_are_check_worthy() {
        // That something did not happen is a fact to check, however briefly it is said.
        for text in [
            "No deaths have been reported.",
            "No injuries were reported.",
            "There have been no reports of deaths.",
            "The bridge did not collapse.",
        ] {
            assert!(f(text).check_worthy, "{text}");
        }
        // Short labels with a "no" in them are still not.
        for text in [
            "No comments yet.",
            "Not now.",
            "No results.",
            "Nothing to see here.",
        ] {
            assert!(!f(text).check_worthy, "{text}");
        }
        // Without a denial, a sentence this short is still too short.
        assert!(!f("Deaths were reported.").check_worthy);
    }

    #[test]
    fn labels_and_questions_are_not_check_worthy() {
        assert!(!f("Learn more.").check_worthy);
        assert!(!f("Have you ever wondered what the company will do next?").check_worthy);
        assert!(!f("Five things every owner of the affected heaters should know:").check_worthy);
        assert!(f("What to do: return the heater to the store for a full refund.").check_worthy);
        assert!(f("The company will close its offices in the capital next month.").check_worthy);
    }
}
