//! Words, stop words and a light normalisation used by matching.

/// Common English function words: they carry no claim content.
pub const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "d",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "even",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "ll",
    "may",
    "me",
    "might",
    "more",
    "most",
    "much",
    "must",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "re",
    "s",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "t",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "us",
    "ve",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// English month names, January first, lower-cased.
pub const MONTHS: [&str; 12] = [
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

/// English weekday names, Monday first, lower-cased.
pub const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// The month (1–12) of a lower-cased word: its full name, a three-letter abbreviation, or "sept".
pub fn month_of(w: &str) -> Option<u32> {
    MONTHS
        .iter()
        .position(|m| {
            *m == w || (w.len() == 3 && m.starts_with(w)) || (w == "sept" && *m == "september")
        })
        .map(|i| i as u32 + 1)
}

/// A stop word: one of `STOP_WORDS`, or a contraction of stop words: a negated auxiliary
/// ("didn't", "wasn't", "won't", "can't", …: every "-n't" contraction is one, and the
/// auxiliaries are stop words), or a stop word with a contracted auxiliary ("they're", "I'm",
/// "we've", "you'd", "it'll"). Either apostrophe. A sentence's negation is read apart
/// (`claims::extract::negated`); as a shared term "didn't" matched "We didn't do any rounds."
/// with "I didn't write that letter.", and "they're" two unrelated sentences too.
pub fn is_stop_word(w: &str) -> bool {
    if STOP_WORDS.binary_search(&w).is_ok() {
        return true;
    }
    let Some((head, tail)) = w.split_once(['\'', '\u{2019}']) else {
        return false;
    };
    tail == "t" && head.ends_with('n')
        || matches!(tail, "re" | "m" | "ve" | "d" | "ll" | "s")
            && STOP_WORDS.binary_search(&head).is_ok()
}

/// Words of a text: runs of letters, digits and inner apostrophes/hyphens, lower-cased, with
/// typographic apostrophes folded and possessive `'s` removed.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let flush = |cur: &mut String, out: &mut Vec<String>| {
        if !cur.is_empty() {
            let mut w = cur.trim_matches(|c| c == '\'' || c == '-').to_lowercase();
            if let Some(stem) = w.strip_suffix("'s") {
                w = stem.to_string();
            }
            if !w.is_empty() {
                out.push(w);
            }
            cur.clear();
        }
    };
    for c in text.chars() {
        let c = if c == '\u{2019}' || c == '\u{2018}' {
            '\''
        } else {
            c
        };
        if c.is_alphanumeric() || ((c == '\'' || c == '-') && !cur.is_empty()) {
            cur.push(c);
        } else {
            flush(&mut cur, &mut out);
        }
    }
    flush(&mut cur, &mut out);
    out
}

/// English Snowball (Porter 2) stem of a lower-case word; numbers are kept as they are.
pub fn stem(w: &str) -> String {
    use std::sync::OnceLock;
    static STEMMER: OnceLock<rust_stemmers::Stemmer> = OnceLock::new();
    if w.chars().any(|c| c.is_ascii_digit()) {
        return w.to_string();
    }
    STEMMER
        .get_or_init(|| rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English))
        .stem(w)
        .into_owned()
}

/// Groups of words that news reports use for the same act. The first word names the group.
/// Matched on the lower-cased word before stemming.
const SYNONYMS: &[&[&str]] = &[
    &[
        "say",
        "said",
        "says",
        "saying",
        "told",
        "tell",
        "tells",
        "stated",
        "states",
        "added",
        "noted",
        "explained",
        "announced",
        "announces",
        "announce",
        "declared",
        "according",
        "reported",
        "reports",
    ],
    &[
        "exit",
        "exits",
        "exiting",
        "exited",
        "leave",
        "leaves",
        "leaving",
        "left",
        "withdraw",
        "withdraws",
        "withdrew",
        "withdrawing",
        "withdrawn",
        "quit",
        "quits",
        "quitting",
        "shut",
        "shuts",
        "shutting",
        "close",
        "closes",
        "closed",
        "closing",
        "halt",
        "halted",
        "halts",
        "cease",
        "ceased",
        "ceases",
    ],
    &[
        "die", "died", "dies", "dead", "death", "deaths", "killed", "kill", "kills", "killing",
        "perished",
    ],
    &[
        "rise",
        "rises",
        "rose",
        "risen",
        "rising",
        "increase",
        "increased",
        "increases",
        "climb",
        "climbed",
        "climbs",
        "gain",
        "gained",
        "gains",
        "jump",
        "jumped",
        "jumps",
        "surge",
        "surged",
        "surges",
        "up",
    ],
    &[
        "fall",
        "falls",
        "fell",
        "fallen",
        "falling",
        "decrease",
        "decreased",
        "decline",
        "declined",
        "declines",
        "drop",
        "dropped",
        "drops",
        "slip",
        "slipped",
        "slips",
        "down",
    ],
    &[
        "buy",
        "buys",
        "bought",
        "acquire",
        "acquired",
        "acquires",
        "acquisition",
        "purchase",
        "purchased",
        "purchases",
    ],
    &[
        "begin", "began", "begins", "start", "started", "starts", "launch", "launched", "launches",
    ],
    &["people", "persons", "person", "residents", "individuals"],
    &["company", "firm", "companies", "firms"],
    &["percent", "%", "pct", "per-cent"],
    &[
        "ban",
        "banned",
        "bans",
        "banning",
        "block",
        "blocked",
        "blocks",
        "prohibit",
        "prohibited",
    ],
    &["rescue", "rescued", "rescues", "saved", "save"],
    &[
        "home",
        "homes",
        "house",
        "houses",
        "residence",
        "residences",
    ],
    &[
        "injure", "injured", "injuries", "injury", "hurt", "burned", "burns", "burn", "wounded",
    ],
    &["recall", "recalled", "recalls", "recalling"],
    &["big", "large", "largest", "biggest", "major"],
    &["foot", "feet", "ft"],
    &["power", "electricity"],
    &[
        "quick", "quickly", "fast", "faster", "fastest", "rapid", "rapidly",
    ],
];

/// Number words a claim may spell out ("two people"), with their values.
pub const NUMBER_WORDS: &[(&str, u32)] = &[
    ("eight", 8),
    ("eighteen", 18),
    ("eighty", 80),
    ("eleven", 11),
    ("fifteen", 15),
    ("fifty", 50),
    ("five", 5),
    ("forty", 40),
    ("four", 4),
    ("fourteen", 14),
    ("nine", 9),
    ("nineteen", 19),
    ("ninety", 90),
    ("seven", 7),
    ("seventeen", 17),
    ("seventy", 70),
    ("six", 6),
    ("sixteen", 16),
    ("sixty", 60),
    ("ten", 10),
    ("thirteen", 13),
    ("thirty", 30),
    ("three", 3),
    ("twelve", 12),
    ("twenty", 20),
    ("two", 2),
];

/// The value of a spelled-out number word ("two" → 2); "one" is left out (mostly a pronoun).
pub fn number_word(w: &str) -> Option<u32> {
    NUMBER_WORDS
        .binary_search_by(|(k, _)| k.cmp(&w))
        .ok()
        .map(|i| NUMBER_WORDS[i].1)
}

/// The name of a lower-case word's synonym group ("told" → "say"), if it is in one.
pub fn synonym_group(w: &str) -> Option<&'static str> {
    use std::collections::HashMap;
    use std::sync::OnceLock;
    static GROUPS: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    let groups = GROUPS.get_or_init(|| {
        let mut m = HashMap::new();
        for g in SYNONYMS {
            for w in g.iter() {
                m.entry(*w).or_insert(g[0]);
            }
        }
        m
    });
    groups.get(w).copied()
}

/// The canonical term of a lower-case word: its synonym group's name, else its stem; spelled-out
/// numbers become digits.
pub fn term(w: &str) -> String {
    if let Some(g) = synonym_group(w) {
        return g.to_string();
    }
    if let Some(n) = number_word(w) {
        return n.to_string();
    }
    stem(w)
}

/// A lone letter ("p" and "m" of "11 p.m.", an initial) says nothing about what a sentence
/// states.
fn single_letter(w: &str) -> bool {
    let mut cs = w.chars();
    cs.next().is_some_and(char::is_alphabetic) && cs.next().is_none()
}

/// Acronyms written with dots ("U.S.", "U.N."), each as one term ("us", "un": the stop word
/// "us" never becomes a term, so the two cannot meet), and the text with them blanked out (so
/// their letters are not read as lone letters). Clock times' "a.m." and "p.m." are no term.
fn dotted_acronyms(text: &str) -> (std::borrow::Cow<'_, str>, Vec<String>) {
    let b = text.as_bytes();
    let mut found: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i + 3 < b.len() {
        let starts = b[i].is_ascii_alphabetic() && (i == 0 || !b[i - 1].is_ascii_alphanumeric());
        if starts && b[i + 1] == b'.' && b[i + 2].is_ascii_alphabetic() && b[i + 3] == b'.' {
            let mut j = i;
            while j + 1 < b.len() && b[j].is_ascii_alphabetic() && b[j + 1] == b'.' {
                j += 2;
            }
            if j >= b.len() || !b[j].is_ascii_alphanumeric() {
                found.push((i, j));
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    if found.is_empty() {
        return (std::borrow::Cow::Borrowed(text), Vec::new());
    }
    let mut blanked = text.to_string().into_bytes();
    let mut terms = Vec::new();
    for &(s, e) in &found {
        let t: String = b[s..e]
            .iter()
            .filter(|c| c.is_ascii_alphabetic())
            .map(|c| c.to_ascii_lowercase() as char)
            .collect();
        if t != "am" && t != "pm" {
            terms.push(t);
        }
        blanked[s..e].fill(b' ');
    }
    let blanked = String::from_utf8(blanked).expect("ASCII bytes replaced by spaces");
    (std::borrow::Cow::Owned(blanked), terms)
}

/// How many words at the start of `ws` say that lives were lost, if they do: "lost (their |
/// his | her) life/lives" or "life/lives (was | were | have been | has been | had been) lost".
fn life_lost(ws: &[String]) -> Option<usize> {
    let is = |k: usize, set: &[&str]| ws.get(k).is_some_and(|w| set.contains(&w.as_str()));
    const LOSE: &[&str] = &["lose", "loses", "losing", "lost"];
    const WHOSE: &[&str] = &["their", "his", "her"];
    const LIVES: &[&str] = &["life", "lives"];
    if is(0, LOSE) && is(1, WHOSE) && is(2, LIVES) {
        return Some(3);
    }
    if is(0, LIVES) {
        if is(1, &["was", "were"]) && is(2, &["lost"]) {
            return Some(3);
        }
        if is(1, &["have", "has", "had"]) && is(2, &["been"]) && is(3, &["lost"]) {
            return Some(4);
        }
    }
    None
}

/// Content words of a text as canonical terms: the words a claim is made of.
/// A hyphenated word counts as its parts ("boil-water" = "boil", "water"); words saying that
/// lives were lost count as "died" does.
pub fn content_terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (text, acronyms) = dotted_acronyms(text);
    out.extend(acronyms);
    let ws = words(&text);
    let mut k = 0;
    while k < ws.len() {
        // A life lost is a death, as "died" is: "lost their lives", "no lives were lost".
        if let Some(n) = life_lost(&ws[k..]) {
            out.push(term("died"));
            k += n;
            continue;
        }
        let w = &ws[k];
        k += 1;
        if w.contains('-') && w.chars().all(|c| c.is_alphabetic() || c == '-') {
            for part in w.split('-').filter(|p| p.len() > 1 && !is_stop_word(p)) {
                out.push(term(part));
            }
        } else if !is_stop_word(w) && !single_letter(w) {
            out.push(term(w));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort();
        assert_eq!(sorted, STOP_WORDS);
    }

    #[test]
    fn number_words_are_sorted_for_binary_search() {
        let mut sorted = NUMBER_WORDS.to_vec();
        sorted.sort();
        assert_eq!(sorted, NUMBER_WORDS);
    }

    #[test]
    fn lives_lost_are_deaths() {
        let die = |t: &str| content_terms(t).contains(&"die".to_string());
        for t in [
            "Four miners lost their lives in the collapse.",
            "A firefighter lost his life on Tuesday.",
            "No lives were lost, officials said.",
            "Many lives have been lost at that crossing.",
        ] {
            assert!(die(t), "{t}: {:?}", content_terms(t));
            assert!(
                !content_terms(t).iter().any(|w| w == "lost" || w == "live"),
                "{t}"
            );
        }
        // Lost things that are not lives, and lives that are not lost.
        for t in [
            "She lost her keys at the station.",
            "They lost their homes in the fire.",
            "Their lives were changed by the flood.",
        ] {
            assert!(!die(t), "{t}: {:?}", content_terms(t));
        }
    }

    #[test]
    fn hyphenated_words_count_as_their_parts_too() {
        assert_eq!(
            content_terms("boil-water notice"),
            vec!["boil", "water", "notic"]
        );
    }

    #[test]
    fn news_verbs_share_a_term() {
        assert_eq!(content_terms("announced"), content_terms("told"));
        assert_eq!(content_terms("withdraw"), content_terms("shut"));
        assert_eq!(content_terms("two people died"), vec!["2", "people", "die"]);
        assert_ne!(content_terms("confirmed"), content_terms("denied"));
    }

    #[test]
    fn words_fold_apostrophes_and_possessives() {
        assert_eq!(
            words("Acmecorp\u{2019}s servers—won't"),
            vec!["acmecorp", "servers", "won't"]
        );
    }

    #[test]
    fn content_terms_drop_stop_words_and_stem() {
        assert_eq!(
            content_terms("The servers were banned"),
            vec!["server", "ban"]
        );
        // Lone letters (clock times, initials) are not content.
        assert_eq!(
            content_terms("Sirens at 11 p.m. woke J. Smith"),
            vec!["siren", "11", "woke", "smith"]
        );
        // Dotted acronyms are one term each, and not the pronoun.
        assert_eq!(
            content_terms("The U.S. told us the U.N. would act by 8 a.m."),
            vec!["us", "un", "say", "act", "8"]
        );
        // A negated auxiliary is no more content than the auxiliary (either apostrophe), nor
        // is a pronoun with its auxiliary.
        assert_eq!(
            content_terms("We didn't do any rounds; it wasn\u{2019}t needed and won't be."),
            vec!["round", "need"]
        );
        assert_eq!(
            content_terms("They're sure I'm late, and we\u{2019}ve heard you'd left."),
            vec!["sure", "late", "heard", "exit"]
        );
        for w in ["don\u{2019}t", "they\u{2019}re", "i'll", "can't"] {
            assert!(is_stop_word(w), "{w}");
        }
        // Not every apostrophe makes a stop word: a name, or a word that is no auxiliary.
        for w in ["o'brien", "rock'n'roll", "ma'am"] {
            assert!(!is_stop_word(w), "{w}");
        }
    }
}
