//! Plain data passed between the pipeline stages.
//!
//! load → clean → split → extract → match → judge → render → write. Each stage takes and returns
//! these types; no stage reaches back into another's internals.

use serde::Serialize;
use std::path::PathBuf;

/// What kind of input a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// Scraped plain text: cleaned of boilerplate before use.
    Txt,
    /// Markdown written by the user: rendered through pulldown-cmark, never cleaned.
    Md,
}

/// Front matter: an optional TOML table between `+++` lines at the top of a file.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub source: Option<String>,
    pub author: Option<String>,
    /// Publication date, `YYYY-MM-DD`.
    pub date: Option<String>,
    pub url: Option<String>,
    #[serde(default)]
    pub draft: bool,
    /// Lines (or substrings of lines) the cleaner must keep even if they look like boilerplate.
    #[serde(default)]
    pub keep: Vec<String>,
}

/// One line of an input file, with its 1-based line number in that file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    pub no: usize,
    pub text: String,
}

/// A file as loaded: front matter parsed, body still raw.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path as given on disk.
    pub path: PathBuf,
    /// Path shown to the user and written to claims.json (relative to the site root, `/`-separated).
    pub file: String,
    pub kind: SourceKind,
    pub front: FrontMatter,
    /// The whole file as read (for `source.txt`).
    pub raw: String,
    /// The body lines after the front matter, with their line numbers in the file.
    pub lines: Vec<Line>,
}

/// A line (or part of a line) the cleaner removed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Removed {
    pub line: usize,
    pub text: String,
    pub reason: String,
}

/// The cleaner's result for one article.
#[derive(Debug, Clone, Default)]
pub struct Cleaned {
    /// Lines kept as article text, in reading order (a line may be a part of an input line).
    pub body: Vec<Line>,
    /// What was dropped, for the report and the article page.
    pub removed: Vec<Removed>,
    /// The headline line, when the cleaner found one in the text.
    pub headline: Option<Line>,
}

/// Article metadata: front matter wins, else what the text says; never guessed.
#[derive(Debug, Clone, Default, PartialEq, Hash, Serialize)]
pub struct Meta {
    pub title: Option<String>,
    pub author: Option<String>,
    pub date: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    Paragraph,
    Heading,
    ListItem,
    Quote,
    Code,
}

/// A block of the article text: a paragraph, heading, list item, quote or code block.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct Block {
    pub kind: BlockKind,
    /// Heading level (1–6) for headings, else 0.
    pub level: u8,
    /// Indices into `Article::sentences`.
    pub sentences: Vec<usize>,
    /// Verbatim text for code blocks (no sentences).
    pub code: Option<String>,
}

/// One sentence, with its stable anchor (`s1`, `s2`, … in reading order).
#[derive(Debug, Clone, Hash, Serialize)]
pub struct Sentence {
    pub anchor: String,
    /// Plain text, as in the article.
    pub text: String,
    /// Inline HTML (already escaped) for display; Markdown keeps its emphasis and links.
    pub html: String,
    /// Line in the input file the sentence starts on.
    pub line: usize,
}

/// An article after clean + split: what every later stage reads.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct Article {
    pub slug: String,
    pub file: String,
    pub kind: SourceKind,
    pub meta: Meta,
    pub blocks: Vec<Block>,
    pub sentences: Vec<Sentence>,
    pub removed: Vec<Removed>,
    #[serde(skip)]
    pub raw: String,
}

impl Article {
    /// The title to show: metadata, else the file's slug.
    pub fn display_title(&self) -> &str {
        self.meta.title.as_deref().unwrap_or(&self.slug)
    }

    /// The outlet used to count independent sources: metadata, else the article itself.
    pub fn outlet(&self) -> &str {
        self.meta.source.as_deref().unwrap_or(&self.slug)
    }
}

/// A sentence of an article that states a claim.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Mention {
    /// Index into the article list.
    pub article: usize,
    /// Index into that article's sentences.
    pub sentence: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Conflicting,
    Corroborated,
    SingleSource,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Corroborated => "corroborated",
            Verdict::SingleSource => "single-source",
            Verdict::Conflicting => "conflicting",
        }
    }
}

/// One value a slot takes in a conflicting claim, and who says it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct ConflictValue {
    pub value: String,
    /// Article slugs, sorted.
    pub articles: Vec<String>,
    /// The mentions carrying this value.
    pub mentions: Vec<Mention>,
}

/// Mentions of one claim disagreeing on a slot (date, number, title, place, name, quote).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Conflict {
    pub slot: String,
    pub values: Vec<ConflictValue>,
    /// `hard`: the values cannot all be true. `soft`: they can be reconciled, but a careful
    /// reader should see the spread (a loose lower bound next to an exact figure).
    pub strength: Strength,
}

/// How far the values of a conflict are apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    Hard,
    Soft,
}

impl Strength {
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Hard => "hard",
            Strength::Soft => "soft",
        }
    }
}

/// A claim: sentences in one or more articles that state the same fact, and the verdict on it.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct Claim {
    /// Stable id derived from the mentions' content.
    pub id: String,
    /// Canonical wording (one mention's text).
    pub text: String,
    pub verdict: Verdict,
    /// Independent sources (outlets; republished copies count once).
    pub sources: usize,
    /// Sorted by article then sentence.
    pub mentions: Vec<Mention>,
    pub conflicts: Vec<Conflict>,
    /// Dates the claim is about (the date slot's values, `YYYY-MM-DD` when the year is known,
    /// else `MM-DD`), sorted: what the timeline shows.
    pub dates: Vec<String>,
    /// Why the verdict: the rule that fired, in words.
    pub rule: String,
}
