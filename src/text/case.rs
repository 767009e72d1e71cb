//! Letter case of a text's words: how much of it is capitalised (the cleaner's headline and
//! label signals, and the claim engine's reading of names and datelines).

/// Words of a text as written (case kept), punctuation around them trimmed.
fn raw_words(text: &str) -> Vec<&str> {
    text.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect()
}

/// (words starting upper-case, words starting lower-case) among words with a cased first letter.
fn case_counts(text: &str) -> (usize, usize) {
    let mut up = 0;
    let mut low = 0;
    for w in raw_words(text) {
        if let Some(c) = w.chars().find(|c| c.is_alphabetic()) {
            if c.is_uppercase() {
                up += 1;
            } else if c.is_lowercase() {
                low += 1;
            }
        }
    }
    (up, low)
}

/// Share of cased words that start with a capital; `None` for text without cased words
/// (numbers, scripts without case).
pub fn title_case_share(text: &str) -> Option<f64> {
    let (up, low) = case_counts(text);
    (up + low > 0).then(|| up as f64 / (up + low) as f64)
}

/// The text written in capitals only (at least two letters).
pub fn is_all_caps(text: &str) -> bool {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| !c.is_lowercase())
}
