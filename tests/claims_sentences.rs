//! Sentence splitting: nothing is lost, and the usual traps do not split.

use briefing::text::sentences::split_str;
use proptest::prelude::*;

/// Pieces a paragraph of news is made of, traps included.
const PIECES: &[&str] = &[
    "Mr.",
    "Ms.",
    "Dr.",
    "Ltd.",
    "Inc.",
    "Nov.",
    "U.S.",
    "e.g.",
    "S.",
    "Ismail",
    "Shah",
    "said",
    "the",
    "company",
    "will",
    "leave.",
    "It",
    "rose",
    "2.5",
    "percent.",
    "\u{201c}We",
    "will",
    "not.\u{201d}",
    "Then",
    "he",
    "left!",
    "Why?",
    "Wait...",
    "what",
    "\"Yes.\"",
    "(see",
    "below.)",
    "5,000",
    "users",
    "on",
    "Monday.",
    "A",
    "B.",
    "The",
    "end\u{2026}",
    "7",
    "p.m.",
    "EDT",
];

proptest! {
    #[test]
    fn joining_the_sentences_gives_the_paragraph_back(
        idx in proptest::collection::vec(0..PIECES.len(), 1..40),
        spaces in proptest::collection::vec(1..3usize, 40),
    ) {
        let mut p = String::new();
        for (k, &i) in idx.iter().enumerate() {
            if k > 0 {
                p.push_str(&" ".repeat(spaces[k]));
            }
            p.push_str(PIECES[i]);
        }
        let sentences = split_str(&p);
        prop_assert!(sentences.iter().all(|s| !s.trim().is_empty() && s.trim() == *s));
        let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        prop_assert_eq!(norm(&sentences.join(" ")), norm(&p));
    }
}

#[test]
fn abbreviations_initials_quotes_decimals_and_times_do_not_split() {
    assert_eq!(
        split_str(
            "Mr. Beard of BlackBerry Ltd. met S. Ismail Shah in the U.S. at 7 p.m. Monday. \
             Prices rose 2.5 percent, e.g. in Nov. for Acme Inc. customers. \
             \u{201c}We will not comply.\u{201d} He left\u{2026} Then he spoke."
        ),
        vec![
            "Mr. Beard of BlackBerry Ltd. met S. Ismail Shah in the U.S. at 7 p.m. Monday.",
            "Prices rose 2.5 percent, e.g. in Nov. for Acme Inc. customers.",
            "\u{201c}We will not comply.\u{201d}",
            "He left\u{2026}",
            "Then he spoke."
        ]
    );
}

#[test]
fn a_time_at_the_end_of_a_sentence_still_ends_it() {
    assert_eq!(
        split_str("The meeting ends at 7 p.m. The mayor will speak first."),
        vec!["The meeting ends at 7 p.m.", "The mayor will speak first."]
    );
}

proptest! {
    /// Any text, however odd, is split and analysed without a panic.
    #[test]
    fn any_text_is_analysed_without_panic(
        text in prop_oneof![
            "\\PC{0,120}",
            "[A-Za-z0-9 ,.;:'\"\u{201c}\u{201d}\u{2019}()$%İ-]{0,160}",
        ]
    ) {
        let sentences = split_str(&text);
        for s in &sentences {
            let _ = briefing::claims::extract::extract_sentence(Default::default(), s);
            let _ = briefing::claims::extract::clauses(s);
        }
        let _ = briefing::claims::similar::explain(&text, "The river rose 2.5 feet on Monday.");
    }
}
