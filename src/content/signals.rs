//! Signals the cleaner reads off a line or a sentence: shape (length, punctuation, case),
//! stop-word density, promo vocabulary, separators. Pure functions over text, no decisions.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use crate::text::tokens::is_stop_word;

// The case signals live with the other text helpers; the cleaner reads them from here too.
pub use crate::text::case::{is_all_caps, title_case_share};

/// Phrases that mark a line as site furniture wherever they appear (lower-case).
pub const PROMO_PHRASES: &[&str] = &[
    "all rights reserved",
    "share on facebook",
    "share on twitter",
    "share on x",
    "share on linkedin",
    "share this",
    "click to share",
    "click to print",
    "opens in new window",
    "sign up",
    "signup",
    "sign in",
    "log in",
    "subscribe",
    "newsletter",
    "in your inbox",
    "to your inbox",
    "mailing list",
    "cookies",
    "cookie policy",
    "cookie settings",
    "advertisement",
    "advertise with",
    "sponsored content",
    "sponsored by",
    "sponsorship",
    "learn more",
    "read more",
    "view all",
    "view comments",
    "see all",
    "see more",
    "show more",
    "load more",
    "follow us",
    "follow @",
    "on google news",
    "privacy policy",
    "terms of service",
    "terms of use",
    "do not sell my",
    "min read",
    "minute read",
    "listen to this article",
    "leave a comment",
    "leave a reply",
    "post a comment",
    "required fields are marked",
    "email address will not be published",
    "skip to content",
    "skip to main content",
    "you are here:",
    "watch now",
    "watch live",
    "shop now",
    "buy now",
    "get your tickets",
    "tickets on sale",
    "download the",
    "free e-book",
    "ebook",
    "e-edition",
    "today's paper",
    "earn a commission",
    "affiliate link",
    "most read",
    "most popular",
    "recommended for you",
    "you might also like",
    "you may also like",
    "you may like",
    "related stories",
    "related articles",
    "related posts",
    "more from",
    "more stories",
    "trending",
    "file photo",
    "image credit",
    "photo credit",
    "getty images",
    "originally appeared",
    "republished here",
    "republished with permission",
    "may not be published, broadcast",
    "reader-supported",
    "support local journalism",
    "support our journalism",
    "become a member",
    "live coverage",
    "breaking news alerts",
    "news tip",
    "press releases",
    "tags:",
    "personal data",
    "data protection",
    "unsubscribe",
    "third parties",
    "your data",
    "commenters",
    "community standards",
    "terms and conditions",
    "opt out",
    "follow me",
    "click to tweet",
    "no spam",
    "small commission",
    "receive a commission",
    "make a purchase",
    "financial support",
    "your support",
    "donate",
    "make a difference",
    "loyal readers",
    "tell us what you think",
    "this survey",
    "our survey",
    "new look",
    "near you",
    "join us",
    "register now",
    "save your spot",
    "save your seat",
    "save the date",
];

/// Words that, as the label before a colon at the start of a line, announce a promo or a teaser
/// ("Video: …", "Event: …", "Promoted: …").
pub const PROMO_LABELS: &[&str] = &[
    "advertisement",
    "also on",
    "breaking",
    "calendar",
    "deals",
    "deals we love",
    "don't miss",
    "event",
    "events",
    "learn more",
    "letters",
    "listen",
    "more",
    "most read",
    "newsletter",
    "image",
    "photo",
    "photos",
    "podcast",
    "promoted",
    "read also",
    "read more",
    "related",
    "see also",
    "sponsored content",
    "sponsored by",
    "tags",
    "trending",
    "video",
    "watch",
];

/// Headings that open the page's after-article sections (related stories, comments, most
/// read): a whole line of them ends the article text.
pub const SECTION_HEADINGS: &[&str] = &[
    "comments",
    "comment",
    "responses",
    "leave a reply",
    "leave a comment",
    "post a comment",
    "add a comment",
    "join the discussion",
    "join the conversation",
    "comments are closed",
    "related",
    "related articles",
    "related stories",
    "related posts",
    "related content",
    "related news",
    "related links",
    "related coverage",
    "read also",
    "more stories",
    "more news",
    "more coverage",
    "more from",
    "most read",
    "most popular",
    "most viewed",
    "popular posts",
    "popular stories",
    "recommended",
    "recommended for you",
    "read more",
    "read next",
    "see also",
    "you may also like",
    "you might also like",
    "you may like",
    "latest news",
    "latest headlines",
    "latest stories",
    "recent posts",
    "trending",
    "trending now",
    "elsewhere on",
    "around the web",
    "share this",
    "share this article",
    "tags",
];

/// A line that is only a heading of an after-article section ("Related Stories", "12 Comments").
pub fn is_section_heading(text: &str) -> bool {
    is_section_heading_folded(&fold(text))
}

/// `is_section_heading` for a folded line.
pub fn is_section_heading_folded(f: &str) -> bool {
    let f = f.trim_end_matches([':', '.', '\u{2026}', ' ']);
    let f = f.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ');
    if word_count(f) > 5 {
        return false;
    }
    SECTION_HEADINGS
        .iter()
        .any(|h| f == *h || (f.starts_with(h) && f[h.len()..].starts_with(' ') && h.len() > 8))
}

/// Verbs that open a call to action when a sentence starts with them.
const IMPERATIVES: &[&str] = &[
    "become",
    "check",
    "click",
    "contact",
    "discover",
    "donate",
    "download",
    "email",
    "enter",
    "explore",
    "follow",
    "get",
    "join",
    "like",
    "listen",
    "read",
    "register",
    "save",
    "see",
    "shop",
    "sign",
    "stay",
    "subscribe",
    "support",
    "tap",
    "try",
    "visit",
    "watch",
];

/// Nouns of the site itself: with a call to action they make it a promo, not a body sentence.
const SITE_NOUNS: &[&str] = &[
    "app",
    "apps",
    "page",
    "pages",
    "site",
    "website",
    "newsletter",
    "newsletters",
    "inbox",
    "email",
    "e-mail",
    "newsroom",
    "podcast",
    "journalism",
    "member",
    "membership",
    "subscription",
    "subscriber",
    "subscribers",
    "updates",
    "alerts",
    "news",
    "coverage",
    "tickets",
    "deals",
    "briefings",
    "feed",
    "column",
    "team",
    "stories",
    "archive",
];

/// Characters and strings that separate the items of a flattened menu or breadcrumb.
pub const SEPARATORS: &[&str] = &[
    " | ",
    " \u{b7} ",
    " \u{2022} ",
    " \u{203a} ",
    " \u{bb} ",
    " > ",
    " / ",
    "  ",
];

/// Number of whitespace-separated words.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// The text ends like a sentence: `.`, `!`, `?`, `:` or `…`, before closing quotes.
pub fn ends_like_sentence(text: &str) -> bool {
    let t = text
        .trim_end()
        .trim_end_matches(['"', '\'', '\u{201d}', '\u{2019}', ')', '\u{bb}', '*', ' ']);
    t.ends_with(['.', '!', '?', ':', '\u{2026}', '\u{3002}'])
}

/// Share of words that are English stop words: the words of `crate::text::tokens::words`,
/// counted in place (two reused buffers instead of a `String` per word).
pub fn stop_word_density(text: &str) -> f64 {
    let (mut total, mut stops) = (0usize, 0usize);
    let mut cur = String::new();
    let mut lower = String::new();
    let mut flush = |cur: &mut String| {
        if cur.is_empty() {
            return;
        }
        let trimmed = cur.trim_matches(|c| c == '\'' || c == '-');
        lower.clear();
        if trimmed.is_ascii() {
            lower.push_str(trimmed);
            lower.make_ascii_lowercase();
        } else {
            lower.push_str(&trimmed.to_lowercase());
        }
        let w = lower.strip_suffix("'s").unwrap_or(&lower);
        if !w.is_empty() {
            total += 1;
            if is_stop_word(w) {
                stops += 1;
            }
        }
        cur.clear();
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
            flush(&mut cur);
        }
    }
    flush(&mut cur);
    if total == 0 {
        return 0.0;
    }
    stops as f64 / total as f64
}

/// The General Punctuation block: common in scraped text, and without cased letters.
const UNCASED_PUNCTUATION: std::ops::RangeInclusive<char> = '\u{2000}'..='\u{206f}';

/// Lower-cased text with typographic apostrophes folded, for phrase matching.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.trim().chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        match c {
            '\u{2019}' | '\u{2018}' => out.push('\''),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            // Dashes, quotes, bullets: no case, no table look-up.
            c if UNCASED_PUNCTUATION.contains(&c) => out.push(c),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Most phrases a list matched by `count_phrases` may hold.
const MAX_PHRASES: usize = 256;
const _: () = assert!(PROMO_PHRASES.len() <= MAX_PHRASES);

/// All promo phrases in one automaton, built once: a line is scanned once instead of once per
/// phrase.
static PROMO_MATCHER: LazyLock<AhoCorasick> =
    LazyLock::new(|| AhoCorasick::new(PROMO_PHRASES).expect("promo phrases form an automaton"));

/// Number of distinct phrases of `matcher` (built from `phrases`) found in `folded` at word
/// boundaries: what counting `contains_phrase` over the list gives, in one pass.
fn count_phrases(matcher: &AhoCorasick, phrases: &[&str], folded: &str) -> usize {
    let mut found = [false; MAX_PHRASES];
    let mut n = 0;
    for m in matcher.find_overlapping_iter(folded) {
        let id = m.pattern().as_usize();
        if !found[id] && at_word_boundaries(folded, phrases[id], m.start(), m.end()) {
            found[id] = true;
            n += 1;
        }
    }
    n
}

/// Promo phrases found in the text.
pub fn promo_hits(text: &str) -> usize {
    promo_hits_folded(text, &fold(text))
}

/// `promo_hits` for a text already folded (`f == fold(text)`).
pub fn promo_hits_folded(text: &str, f: &str) -> usize {
    let mut n = count_phrases(&PROMO_MATCHER, PROMO_PHRASES, f);
    if text.contains('\u{a9}') || f.starts_with("copyright") || f.contains(" copyright ") {
        n += 2;
    }
    n
}

/// `phrase` occurs in `folded` at word boundaries.
pub fn contains_phrase(folded: &str, phrase: &str) -> bool {
    let mut from = 0;
    while let Some(i) = folded[from..].find(phrase) {
        let start = from + i;
        if at_word_boundaries(folded, phrase, start, start + phrase.len()) {
            return true;
        }
        from = start + phrase.len().max(1);
    }
    false
}

/// The occurrence of `phrase` at `folded[start..end]` starts at a word boundary and, when the
/// phrase ends in a letter or digit, also ends at one.
fn at_word_boundaries(folded: &str, phrase: &str, start: usize, end: usize) -> bool {
    let before = folded[..start].chars().next_back();
    let after = folded[end..].chars().next();
    let edge = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    let last_is_word = phrase
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric);
    edge(before) && (!last_is_word || edge(after))
}

/// A copyright or rights line.
pub fn is_copyright(text: &str) -> bool {
    is_copyright_folded(text, &fold(text))
}

/// `is_copyright` for a text already folded (`f == fold(text)`).
pub fn is_copyright_folded(text: &str, f: &str) -> bool {
    text.contains('\u{a9}')
        || f.starts_with("copyright")
        || f.contains("all rights reserved")
        || f.starts_with("(c) ")
}

/// The label before a colon at the start of the text, if it is a promo label.
pub fn promo_label(text: &str) -> Option<&'static str> {
    let (head, _) = text.split_once(':')?;
    let head = fold(head);
    PROMO_LABELS.iter().copied().find(|l| head == *l)
}

/// A sentence that calls the reader to act on the site ("Check our Closings page…", "Email the
/// newsroom.", "Download the app…"): an imperative first word and a noun of the site.
pub fn is_call_to_action(sentence: &str) -> bool {
    is_call_to_action_folded(sentence, &fold(sentence))
}

/// `is_call_to_action` for a sentence already folded (`f == fold(sentence)`).
pub fn is_call_to_action_folded(sentence: &str, f: &str) -> bool {
    let words: Vec<&str> = f
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    let Some(first) = words.first() else {
        return false;
    };
    let first = if *first == "don't" || *first == "please" {
        words.get(1).copied().unwrap_or("")
    } else {
        first
    };
    if !IMPERATIVES.contains(&first) {
        return false;
    }
    let site = words.iter().any(|w| SITE_NOUNS.contains(w));
    let ours = words.iter().any(|w| matches!(*w, "our" | "us"));
    site || (ours && words.len() <= 12) || promo_hits_folded(sentence, f) > 0
}

/// A credit for a republished or wire story: "This article originally appeared on X…",
/// "Distributed by X.", "Reprinted with permission…".
pub fn is_credit_line(sentence: &str) -> bool {
    is_credit_line_folded(&fold(sentence))
}

/// `is_credit_line` for a folded sentence.
pub fn is_credit_line_folded(f: &str) -> bool {
    [
        "this article originally",
        "this story originally",
        "this post originally",
        "this article was originally",
        "this story was originally",
        "this article first appeared",
        "this story first appeared",
        "distributed by ",
        "republished with permission",
        "reprinted with permission",
        "republished from",
        "reprinted from",
    ]
    .iter()
    .any(|p| f.starts_with(p))
        || ["reporting by ", "editing by ", "additional reporting"]
            .iter()
            .any(|p| f.trim_start_matches(['(', ' ']).starts_with(p))
        || ["contributed reporting", "contributed to this report"]
            .iter()
            .any(|p| f.contains(p))
}

/// The sentence opens with an imperative verb ("Sign up…", "Get our…").
pub fn starts_imperative(sentence: &str) -> bool {
    starts_imperative_folded(&fold(sentence))
}

/// `starts_imperative` for a folded sentence.
pub fn starts_imperative_folded(f: &str) -> bool {
    let first = f
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .find(|w| !w.is_empty())
        .unwrap_or("");
    IMPERATIVES.contains(&first) || first == "don't" || first == "please"
}

/// A short fragment that is only a call to action ("Watch now", "Sign up", "View all").
pub fn is_cta_fragment(text: &str) -> bool {
    let n = word_count(text);
    n <= 4 && !ends_like_sentence(text) && (promo_hits(text) > 0 || is_call_to_action(text))
}

/// Split a line at menu separators; `None` when it has none.
pub fn segments(text: &str) -> Option<Vec<&str>> {
    let mut parts = vec![text];
    let mut split_any = false;
    for sep in SEPARATORS {
        let mut next = Vec::new();
        for p in parts {
            if p.contains(sep) {
                split_any = true;
                next.extend(p.split(sep));
            } else {
                next.push(p);
            }
        }
        parts = next;
    }
    let parts: Vec<&str> = parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    (split_any && parts.len() >= 2).then_some(parts)
}

/// A line of menu items or a breadcrumb: separated items, most of them short labels.
pub fn is_menu(text: &str) -> bool {
    if let Some(parts) = segments(text) {
        let short = parts
            .iter()
            .filter(|p| word_count(p) <= 4 && !ends_like_sentence(p))
            .count();
        return short * 2 >= parts.len() && parts.len() >= 3
            || (parts.len() == 2 && short == 2 && !ends_like_sentence(text));
    }
    // No separators: a long run of capitalised words without sentence punctuation.
    let n = word_count(text);
    n >= 6
        && !ends_like_sentence(text)
        && title_case_share(text).is_some_and(|s| s >= 0.75)
        && stop_word_density(text) < 0.2
}

/// A word that is a month name or its abbreviation (English).
pub fn month_number(word: &str) -> Option<u32> {
    let t = word.trim_end_matches('.');
    if t.is_ascii() {
        // No month name is longer than nine letters: lower-case on the stack, no allocation.
        let mut buf = [0u8; 9];
        let b = buf.get_mut(..t.len())?;
        b.copy_from_slice(t.as_bytes());
        b.make_ascii_lowercase();
        return crate::text::tokens::month_of(std::str::from_utf8(b).ok()?);
    }
    // Month names are ASCII, and no character outside ASCII lower-cases to a letter of one (the
    // Kelvin sign gives "k"): a word with such a character is no month.
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_lowers_and_collapses_white_space() {
        assert_eq!(fold("  Don\u{2019}t  MISS\tthis  "), "don't miss this");
        assert_eq!(fold("\u{c9}T\u{c9}"), "\u{e9}t\u{e9}");
    }

    #[test]
    fn punctuation_fast_path_lower_cases_like_the_standard_library() {
        for c in UNCASED_PUNCTUATION {
            assert!(c.to_lowercase().eq([c]), "{c:?}");
        }
        assert_eq!(
            fold("A\u{2014}B \u{201c}Q\u{201d}"),
            "a\u{2014}b \u{201c}q\u{201d}"
        );
    }

    #[test]
    fn phrases_match_at_word_boundaries() {
        assert!(contains_phrase("please sign up today", "sign up"));
        assert!(!contains_phrase("design update", "sign up"));
        assert!(contains_phrase("tags: a, b", "tags:"));
    }

    #[test]
    fn one_pass_phrase_count_matches_phrase_by_phrase() {
        for text in [
            "Sign up for our newsletter | Share this | Read more",
            "share thishare this, read moread more",
            "Tags: cookies, cookie policy; follow @site",
            "The design update brought subscribers more readers.",
            "Se\u{f1}al: \u{e9}t\u{e9} \u{2014} sign-up, log in/sign in",
            "",
        ] {
            let f = fold(text);
            let naive = PROMO_PHRASES
                .iter()
                .filter(|p| contains_phrase(&f, p))
                .count();
            assert_eq!(
                count_phrases(&PROMO_MATCHER, PROMO_PHRASES, &f),
                naive,
                "{text}"
            );
        }
        assert_eq!(promo_hits("Sign up for our newsletter"), 2);
    }

    #[test]
    fn stop_word_density_counts_the_words_of_the_tokeniser() {
        for text in [
            "The river's level is at the top of the scale, officials said.",
            "'Tis -the- DOG'S day \u{2019}of\u{2019} it -- and THE end",
            "\u{c9}T\u{c9} \u{39f}\u{3a3} \u{3b9}t's OF THE \u{3a3}\u{3a3}",
            "",
            "--- '' ' 123 456",
        ] {
            let words = crate::text::tokens::words(text);
            let expect = if words.is_empty() {
                0.0
            } else {
                words.iter().filter(|w| is_stop_word(w)).count() as f64 / words.len() as f64
            };
            assert_eq!(stop_word_density(text), expect, "{text}");
        }
        assert_eq!(stop_word_density("The cat and the dog"), 0.6);
    }

    #[test]
    fn credit_lines() {
        assert!(is_credit_line(
            "( Reporting by Ann Lee; editing by Bo Chan )"
        ));
        assert!(is_credit_line(
            "Keith Lee contributed reporting from Hong Kong."
        ));
        assert!(is_credit_line("Distributed by Northeast Wire."));
        assert!(!is_credit_line(
            "The claim rests on reporting by the Times last year."
        ));
        assert!(!is_credit_line("Food was distributed by volunteers."));
    }

    #[test]
    fn calls_to_action_need_a_site_noun() {
        assert!(is_call_to_action(
            "Check our Closings page for the latest list."
        ));
        assert!(is_call_to_action("Email the newsroom."));
        assert!(!is_call_to_action(
            "Check the sealing ring for cracks every few months."
        ));
        assert!(!is_call_to_action("Stop using the cooker right away."));
    }

    #[test]
    fn menus_and_breadcrumbs() {
        assert!(is_menu("News | Sports | Business | Opinion"));
        assert!(is_menu("Home \u{203a} Business \u{203a} Consumer"));
        assert!(is_menu(
            "Artificial Intelligence View All Data Science Data Management Cloud Security"
        ));
        assert!(!is_menu("The river crested at 19.2 feet on Monday."));
        assert!(!is_menu(
            "Rain fell from Sunday night / into Monday, officials said."
        ));
    }

    #[test]
    fn month_names() {
        assert_eq!(month_number("Nov."), Some(11));
        assert_eq!(month_number("September"), Some(9));
        assert_eq!(month_number("Sept"), Some(9));
        assert_eq!(month_number("Ma"), None);
        assert_eq!(month_number("Mayor"), None);
        assert_eq!(month_number("SEPT."), Some(9));
        assert_eq!(month_number("Septembers"), None);
        assert_eq!(month_number("M\u{e4}r"), None);
        assert_eq!(month_number("\u{2018}May"), None);
    }
}
