//! Page views (plain serialisable data handed to the templates) and the list of pages to render.
//!
//! Every link in a page is relative: templates prefix site-relative URLs with `root` (`""` on the
//! home page, `"../../"` two folders down) and point at `index.html` explicitly, so the site
//! works at a domain root, under a sub-path and from `file://` alike.
//!
//! The variables each template receives are listed in the README (*Templates*).
//!
//! `render_changed` renders only the files whose inputs changed since the previous render, and
//! assembles the big list pages and data files from fragments kept between renders (see
//! [`PageKeys`]).

use crate::config::SiteConfig;
use crate::model::{Article, BlockKind, Claim, Verdict};
use crate::render::diff::{word_diff, WordDiff};
use crate::render::{feeds, json, search, templates, Cancelled, OutputFile};
use anyhow::{Context, Result};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use tera::Tera;

/// How many corroborated claims the briefing lists before pointing to the full list.
pub const HEADLINE_MAX: usize = 12;

/// The briefing lists at most this many disputes (the most widely reported first); the claims
/// list has them all. Large corpora have thousands, and the briefing must stay readable.
pub const DISPUTED_MAX: usize = 40;

/// Per outlet, the briefing's single-source section lists at most this many claims.
pub const SINGLE_PER_OUTLET_MAX: usize = 15;

/// The briefing's single-source section shows at most this many outlets (those reporting the
/// most claims alone, in name order); the sources page has them all.
pub const SINGLE_OUTLETS_MAX: usize = 40;

/// Per date, the timeline lists at most this many claims (the most widely reported first).
pub const TIMELINE_PER_DATE_MAX: usize = 20;

#[derive(Serialize, Clone, Hash)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub base_url: String,
    /// `base_url` with exactly one trailing slash, or `""` when no `base_url` is set.
    pub abs_url: String,
    pub language: String,
}

/// The counts every page gets as `stats`: they change only when articles or outlets come and go,
/// so an edit that adds a claim does not re-render every page.
#[derive(Serialize, Clone, Hash)]
pub struct SiteStats {
    pub articles: usize,
    pub outlets: usize,
}

/// Templates that get the full [`Stats`] (claim counts) as `stats`; the others get [`SiteStats`].
pub const FULL_STATS_TEMPLATES: [&str; 3] = ["index.html", "claims.html", "sources.html"];

#[derive(Serialize, Clone, Hash)]
pub struct Stats {
    pub articles: usize,
    pub outlets: usize,
    pub sentences: usize,
    pub claims: usize,
    pub corroborated: usize,
    pub conflicting: usize,
    pub single_source: usize,
}

#[derive(Serialize, Clone, Hash, Default)]
pub struct ArticleRef {
    pub slug: String,
    pub title: String,
    pub outlet: String,
    pub source: Option<String>,
    pub author: Option<String>,
    pub date: Option<String>,
    /// The date for display ("30 Nov 2015").
    pub date_label: Option<String>,
    pub original_url: Option<String>,
    pub file: String,
    pub url: String,
    pub sentences: usize,
    pub claims: usize,
    pub removed: usize,
}

#[derive(Serialize, Clone)]
pub struct MentionView {
    pub article: ArticleRef,
    pub anchor: String,
    pub text: String,
    pub html: String,
    pub url: String,
    /// The mention's words against the claim's canonical wording.
    pub diff: WordDiff,
}

#[derive(Serialize, Clone, Hash)]
pub struct ValueView {
    pub value: String,
    pub articles: Vec<ArticleRef>,
    /// Distinct outlets behind this value, sorted.
    pub outlets: Vec<String>,
}

#[derive(Serialize, Clone, Hash)]
pub struct ConflictView {
    pub slot: String,
    /// `hard` (the values cannot all be true) or `soft` (reconcilable: a loose lower bound).
    pub strength: String,
    pub values: Vec<ValueView>,
}

#[derive(Serialize, Clone)]
pub struct ClaimView {
    pub id: String,
    pub text: String,
    pub verdict: String,
    pub verdict_label: String,
    pub rule: String,
    pub sources: usize,
    pub url: String,
    /// Distinct outlets that state the claim, sorted.
    pub outlets: Vec<String>,
    /// Dates the claim is about, as in the model (`YYYY-MM-DD` or `MM-DD`).
    pub dates: Vec<String>,
    /// The same dates for display ("30 Nov 2015").
    pub date_labels: Vec<String>,
    pub mentions: Vec<MentionView>,
    pub conflicts: Vec<ConflictView>,
}

/// One value of a conflicting slot on list pages: the value and the outlets giving it.
#[derive(Serialize, Clone, Hash)]
pub struct ValueSummary {
    pub value: String,
    /// Distinct outlets behind this value, sorted.
    pub outlets: Vec<String>,
}

#[derive(Serialize, Clone, Hash)]
pub struct ConflictSummary {
    pub slot: String,
    /// `hard` or `soft`, as in [`ConflictView`].
    pub strength: String,
    pub values: Vec<ValueSummary>,
}

/// A claim as list pages see it (briefing, claims list, sources, timeline, search): everything
/// of [`ClaimView`] but the mentions (only their count) and the articles behind each conflicting
/// value. The full view, with mentions and word differences, is built for the claim's own page.
#[derive(Serialize, Clone, Hash)]
pub struct ClaimSummary {
    pub id: String,
    pub text: String,
    pub verdict: String,
    pub verdict_label: String,
    pub rule: String,
    pub sources: usize,
    pub url: String,
    /// Distinct outlets that state the claim, sorted.
    pub outlets: Vec<String>,
    pub dates: Vec<String>,
    pub date_labels: Vec<String>,
    /// How many sentences state the claim.
    pub mention_count: usize,
    pub conflicts: Vec<ConflictSummary>,
}

#[derive(Serialize, Clone, Hash)]
pub struct ClaimRef {
    pub id: String,
    pub verdict: String,
    pub verdict_label: String,
    pub url: String,
}

#[derive(Serialize, Hash)]
pub struct SentenceView {
    pub anchor: String,
    pub text: String,
    pub html: String,
    pub line: usize,
    /// The claims this sentence states.
    pub claims: Vec<ClaimRef>,
}

#[derive(Serialize, Hash)]
pub struct BlockView {
    pub kind: BlockKind,
    pub level: u8,
    pub code: Option<String>,
    pub sentences: Vec<SentenceView>,
}

#[derive(Serialize, Hash)]
pub struct RemovedView {
    pub line: usize,
    pub text: String,
    pub reason: String,
}

/// Where one outlet's value for a slot differs from what other outlets say.
#[derive(Serialize, Hash)]
pub struct DisagreementView<'a> {
    /// The claim, as a link: `id`, `text`, `url`, `verdict`, `verdict_label`.
    #[serde(serialize_with = "claim_link")]
    pub claim: &'a ClaimSummary,
    pub slot: String,
    /// What this outlet says.
    pub own: Vec<String>,
    /// What the others say, with who says it: templates get the first [`OTHERS_SHOWN`] values
    /// (all that [`outlets`] makes), each with its first [`OUTLETS_SHOWN`] outlets and
    /// `outlet_count`; `others_count` counts them all.
    #[serde(serialize_with = "others_shown")]
    pub others: Vec<&'a ValueSummary>,
    pub others_count: usize,
}

/// At most this many points of disagreement per outlet are handed to the sources page's
/// templates (`disagreement_count` counts them all), and at most this many other values per
/// point, each with at most this many outlets: serialising every value and outlet of every
/// disagreement for every outlet made the sources page grow as outlets² (30 s of 35 s of a full
/// render at 3,000 articles), for tables that show 25 × 5 × 6.
pub const DISAGREEMENTS_SHOWN: usize = 25;
pub const OTHERS_SHOWN: usize = 5;
pub const OUTLETS_SHOWN: usize = 6;

fn others_shown<S: serde::Serializer>(values: &[&ValueSummary], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::{SerializeSeq, SerializeStruct};
    struct Shown<'a>(&'a ValueSummary);
    impl Serialize for Shown<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut st = s.serialize_struct("OtherValue", 3)?;
            st.serialize_field("value", &self.0.value)?;
            let n = self.0.outlets.len().min(OUTLETS_SHOWN);
            st.serialize_field("outlets", &self.0.outlets[..n])?;
            st.serialize_field("outlet_count", &self.0.outlets.len())?;
            st.end()
        }
    }
    let shown = &values[..values.len().min(OTHERS_SHOWN)];
    let mut seq = s.serialize_seq(Some(shown.len()))?;
    for v in shown {
        seq.serialize_element(&Shown(v))?;
    }
    seq.end()
}

fn disagreements_shown<S: serde::Serializer>(
    list: &[DisagreementView],
    s: S,
) -> Result<S::Ok, S::Error> {
    list[..list.len().min(DISAGREEMENTS_SHOWN)].serialize(s)
}

/// Claim summaries written as links only (see [`claim_link`]).
fn claim_links<S: serde::Serializer>(list: &[&ClaimSummary], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    struct Link<'a>(&'a ClaimSummary);
    impl Serialize for Link<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            claim_link(&self.0, s)
        }
    }
    let mut seq = s.serialize_seq(Some(list.len()))?;
    for c in list {
        seq.serialize_element(&Link(c))?;
    }
    seq.end()
}

/// A claim summary written as a link only (pages that list many claims per outlet).
fn claim_link<S: serde::Serializer>(c: &&ClaimSummary, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeStruct;
    let mut st = s.serialize_struct("ClaimLink", 5)?;
    st.serialize_field("id", &c.id)?;
    st.serialize_field("text", &c.text)?;
    st.serialize_field("url", &c.url)?;
    st.serialize_field("verdict", &c.verdict)?;
    st.serialize_field("verdict_label", &c.verdict_label)?;
    st.end()
}

#[derive(Serialize, Hash)]
pub struct OutletView<'a> {
    pub name: String,
    /// Its position in the matrix's columns, from 1.
    pub number: usize,
    pub articles: Vec<&'a ArticleRef>,
    /// First and last article date, when known.
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    pub claims: usize,
    /// Claims only this outlet makes (templates get them as links: `id`, `text`, `url`,
    /// `verdict`, `verdict_label`).
    #[serde(serialize_with = "claim_links")]
    pub only: Vec<&'a ClaimSummary>,
    /// How many conflicting claims this outlet takes part in (the claims are in the briefing's
    /// and the claims list's disputes).
    pub disputed_count: usize,
    /// Each slot where this outlet's value differs from another outlet's: templates get the
    /// first [`DISAGREEMENTS_SHOWN`]; `disagreement_count` counts them all.
    #[serde(serialize_with = "disagreements_shown")]
    pub disagreements: Vec<DisagreementView<'a>>,
    pub disagreement_count: usize,
}

/// An outlet as the briefing's outlets table shows it: the counts, not the claim lists (those
/// are on the sources page).
#[derive(Serialize, Hash)]
pub struct OutletRow<'a> {
    pub name: &'a str,
    pub number: usize,
    pub articles: &'a [&'a ArticleRef],
    pub first_date: Option<&'a str>,
    pub last_date: Option<&'a str>,
    pub claims: usize,
    /// How many claims only this outlet makes.
    pub only_count: usize,
    /// How many conflicting claims it takes part in.
    pub disputed_count: usize,
}

/// A claim on a page that shows one fragment per claim: what it is and its rendered `html`.
#[derive(Serialize)]
pub struct ClaimLine<'a> {
    pub id: &'a str,
    pub text: &'a str,
    pub url: &'a str,
    pub verdict: &'a str,
    #[serde(serialize_with = "as_str")]
    pub html: Arc<str>,
}

impl<'a> ClaimLine<'a> {
    fn of(c: &'a ClaimSummary, html: Arc<str>) -> ClaimLine<'a> {
        ClaimLine {
            id: &c.id,
            text: &c.text,
            url: &c.url,
            verdict: &c.verdict,
            html,
        }
    }
}

/// What an outlet's section of the sources page is made from, as a key: the summaries it lists
/// count by their keys (hashing every listed summary again would cost more than the section).
fn outlet_key(o: &OutletView, views: &Views, summary_keys: &[u64]) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    (&o.name, o.number, &o.articles, &o.first_date, &o.last_date).hash(&mut h);
    (o.claims, o.disputed_count, o.only.len()).hash(&mut h);
    for c in &o.only {
        summary_keys[views.position(c)].hash(&mut h);
    }
    // The disagreements it shows (the first ones) and how many there are.
    o.disagreement_count.hash(&mut h);
    for d in &o.disagreements {
        // What the others say follows from the claim, the slot and what this outlet says.
        (summary_keys[views.position(d.claim)], &d.slot, &d.own).hash(&mut h);
    }
    h.finish()
}

/// An outlet on a page that shows one fragment per outlet (the briefing's table rows, the
/// sources page's sections): its counts and its rendered `html`.
#[derive(Serialize)]
pub struct OutletLine<'a> {
    pub name: &'a str,
    pub number: usize,
    pub claims: usize,
    pub only_count: usize,
    pub disputed_count: usize,
    #[serde(serialize_with = "as_str")]
    pub html: Arc<str>,
}

impl<'a> OutletLine<'a> {
    fn of(o: &'a OutletView, html: Arc<str>) -> OutletLine<'a> {
        OutletLine {
            name: &o.name,
            number: o.number,
            claims: o.claims,
            only_count: o.only.len(),
            disputed_count: o.disputed_count,
            html,
        }
    }
}

/// A date of the briefing's timeline: what [`TimelineEntry`] says of it and its rendered `html`
/// (`macros.html`'s `timeline_entry`).
#[derive(Serialize)]
pub struct TimelineLine<'a> {
    pub date: &'a str,
    pub label: &'a str,
    pub datetime: &'a str,
    /// How many claims it lists.
    pub count: usize,
    pub more: usize,
    #[serde(serialize_with = "as_str")]
    pub html: Arc<str>,
}

/// The agreement matrix on the sources page: its size and its rendered `html` (`macros.html`'s
/// `matrix`).
#[derive(Serialize)]
pub struct MatrixLine {
    pub rows: usize,
    pub outlets: usize,
    pub total_rows: usize,
    pub total_outlets: usize,
    #[serde(serialize_with = "as_str")]
    pub html: Arc<str>,
}

fn as_str<S: serde::Serializer>(s: &Arc<str>, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(s)
}

impl<'a> OutletRow<'a> {
    fn of(o: &'a OutletView) -> OutletRow<'a> {
        OutletRow {
            name: &o.name,
            number: o.number,
            articles: &o.articles,
            first_date: o.first_date.as_deref(),
            last_date: o.last_date.as_deref(),
            claims: o.claims,
            only_count: o.only.len(),
            disputed_count: o.disputed_count,
        }
    }
}

#[derive(Serialize, Hash)]
pub struct TimelineEntry<'a> {
    /// The date as in the claims (`YYYY-MM-DD` or `MM-DD`).
    pub date: String,
    /// For display: "30 Nov 2015", or "30 Nov" when the year is unknown.
    pub label: String,
    /// For a `<time datetime>`: `YYYY-MM-DD`, or the yearless `MM-DD`.
    pub datetime: String,
    pub items: Vec<TimelineItem<'a>>,
    /// Claims on this date left out of `items` (see [`TIMELINE_PER_DATE_MAX`]).
    pub more: usize,
}

/// A claim on one date of the timeline, and the outlets that give it that date.
#[derive(Serialize, Hash)]
pub struct TimelineItem<'a> {
    pub claim: &'a ClaimSummary,
    pub outlets: &'a [String],
    /// True when the outlets disagree on the date and only `outlets` give this one.
    pub disputed: bool,
}

/// One verdict's section of the claims list.
#[derive(Serialize)]
pub struct ClaimGroup {
    /// Section id: the verdict.
    pub id: String,
    pub label: String,
    /// How many claims it has.
    pub count: usize,
    /// Its claims' list items (`macros.html`'s `claim_item` of each, most sources first),
    /// ready to place in an `<ol>`: each is rendered once and kept while the claim is the same.
    pub items: String,
}

#[derive(Serialize, Hash)]
pub struct OutletClaims<'a> {
    pub outlet: String,
    pub claims: Vec<&'a ClaimSummary>,
    /// How many claims this outlet alone reports in all (`claims` holds the first ones).
    pub total: usize,
}

/// One cell of the agreement matrix: does this outlet state the claim, and with which value.
#[derive(Serialize, Hash)]
pub struct Cell {
    /// `agree` (states it, with the most-cited values), `differs` (states another value) or
    /// `none` (does not state it).
    pub state: &'static str,
    /// What the cell means in words (title and screen readers).
    pub label: String,
}

#[derive(Serialize, Hash)]
pub struct MatrixRow<'a> {
    pub claim: &'a ClaimSummary,
    pub cells: Vec<Cell>,
}

#[derive(Serialize, Hash)]
pub struct Matrix<'a> {
    pub outlets: Vec<String>,
    /// Claims that at least two outlets state, most-sourced first.
    pub rows: Vec<MatrixRow<'a>>,
    /// How many claims two or more outlets state (`rows` holds at most [`MATRIX_ROWS`]).
    pub total_rows: usize,
    /// How many outlets there are (`outlets` holds at most [`MATRIX_OUTLETS`]).
    pub total_outlets: usize,
}

/// Everything the templates can see, computed once.
pub struct Views {
    pub site: SiteView,
    pub stats: Stats,
    pub articles: Vec<ArticleRef>,
    pub claims: Vec<ClaimSummary>,
}

pub fn verdict_label(v: Verdict) -> &'static str {
    match v {
        Verdict::Corroborated => "Corroborated",
        Verdict::SingleSource => "Single source",
        Verdict::Conflicting => "Disputed",
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `2015-11-30` → `30 Nov 2015`, `11-30` → `30 Nov`; anything else as given.
pub fn date_label(date: &str) -> String {
    let parts: Vec<&str> = date.split('-').collect();
    let md = |m: &str, d: &str| -> Option<String> {
        let m: usize = m.parse().ok()?;
        let d: u32 = d.parse().ok()?;
        let name = MONTHS.get(m.checked_sub(1)?)?;
        (1..=31).contains(&d).then(|| format!("{d} {name}"))
    };
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 => md(m, d)
            .map(|s| format!("{s} {y}"))
            .unwrap_or_else(|| date.to_string()),
        [m, d] => md(m, d).unwrap_or_else(|| date.to_string()),
        _ => date.to_string(),
    }
}

fn article_ref(a: &Article, claims_per_article: &[usize], i: usize) -> ArticleRef {
    ArticleRef {
        slug: a.slug.clone(),
        title: a.display_title().to_string(),
        outlet: a.outlet().to_string(),
        source: a.meta.source.clone(),
        author: a.meta.author.clone(),
        date: a.meta.date.clone(),
        date_label: a.meta.date.as_deref().map(date_label),
        original_url: a.meta.url.clone(),
        file: a.file.clone(),
        url: format!("articles/{}/index.html", a.slug),
        sentences: a.sentences.len(),
        claims: claims_per_article[i],
        removed: a.removed.len(),
    }
}

/// Where claim `id`'s page is, in the site.
fn claim_path(id: &str) -> String {
    format!("claims/{id}/index.html")
}

/// The outlets of `mentions`' articles, sorted, each once.
fn outlets_of(articles: &[Article], mentions: &[crate::model::Mention]) -> Vec<String> {
    let outlets: BTreeSet<&str> = mentions
        .iter()
        .map(|m| articles[m.article].outlet())
        .collect();
    outlets.into_iter().map(str::to_string).collect()
}

/// What the pages show of one claim (its line in the lists, the head of its page).
fn summary_of(c: &Claim, articles: &[Article]) -> ClaimSummary {
    ClaimSummary {
        id: c.id.clone(),
        text: c.text.clone(),
        verdict: c.verdict.as_str().to_string(),
        verdict_label: verdict_label(c.verdict).to_string(),
        rule: c.rule.clone(),
        sources: c.sources,
        url: claim_path(&c.id),
        outlets: outlets_of(articles, &c.mentions),
        dates: c.dates.clone(),
        date_labels: c.dates.iter().map(|d| date_label(d)).collect(),
        mention_count: c.mentions.len(),
        conflicts: c
            .conflicts
            .iter()
            .map(|k| ConflictSummary {
                slot: k.slot.clone(),
                strength: k.strength.as_str().to_string(),
                values: k
                    .values
                    .iter()
                    .map(|v| ValueSummary {
                        value: v.value.clone(),
                        outlets: outlets_of(articles, &v.mentions),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// What the pages read of every claim's mentions and verdict, counted in one walk over the
/// claims: how many claims mention each article, and how many claims have each verdict.
struct ClaimCounts {
    per_article: Vec<usize>,
    per_verdict: [usize; 3],
}

impl ClaimCounts {
    /// The counts of `claims` over `articles` articles; `each` is given every mention with its
    /// claim's place, in order (for what a page reads besides).
    fn new(
        articles: usize,
        claims: &[Claim],
        mut each: impl FnMut(crate::model::Mention, usize),
    ) -> ClaimCounts {
        let mut per_article = vec![0usize; articles];
        let mut seen = vec![usize::MAX; articles];
        let mut per_verdict = [0; 3];
        for (ci, c) in claims.iter().enumerate() {
            per_verdict[c.verdict as usize] += 1;
            for &m in &c.mentions {
                if seen[m.article] != ci {
                    seen[m.article] = ci;
                    per_article[m.article] += 1;
                }
                each(m, ci);
            }
        }
        ClaimCounts {
            per_article,
            per_verdict,
        }
    }
}

impl Views {
    pub fn new(config: &SiteConfig, articles: &[Article], claims: &[Claim]) -> Views {
        let mut views = Views::without_claims(config, articles, claims);
        // One summary per claim, made on both cores (collected in order).
        use rayon::prelude::*;
        views.claims = claims
            .par_iter()
            .with_min_len(256)
            .map(|c| summary_of(c, articles))
            .collect();
        views
    }

    /// Everything but the claims' summaries (`claims` is left empty): what an article or claim
    /// page reads, made without a walk that copies every claim (see [`render_pages`]).
    fn without_claims(config: &SiteConfig, articles: &[Article], claims: &[Claim]) -> Views {
        let counts = ClaimCounts::new(articles.len(), claims, |_, _| {});
        Views::counted(config, articles, claims, &counts, None)
    }

    /// [`Views::without_claims`], the claims counted already. With `only`, only the articles it
    /// lists get their refs (the others' are left empty): enough for pages that read no other
    /// article's.
    fn counted(
        config: &SiteConfig,
        articles: &[Article],
        claims: &[Claim],
        counts: &ClaimCounts,
        only: Option<&[usize]>,
    ) -> Views {
        let per_article = &counts.per_article;
        let refs: Vec<ArticleRef> = articles
            .iter()
            .enumerate()
            .map(|(i, a)| match only {
                Some(only) if !only.contains(&i) => ArticleRef::default(),
                _ => article_ref(a, per_article, i),
            })
            .collect();
        let count = |v: Verdict| counts.per_verdict[v as usize];
        let outlets: BTreeSet<&str> = articles.iter().map(Article::outlet).collect();
        Views {
            site: SiteView {
                title: config.title.clone(),
                description: config.description.clone(),
                base_url: config.base_url.clone(),
                abs_url: abs_url(&config.base_url),
                language: config.language.clone(),
            },
            stats: Stats {
                articles: articles.len(),
                outlets: outlets.len(),
                sentences: articles.iter().map(|a| a.sentences.len()).sum(),
                claims: claims.len(),
                corroborated: count(Verdict::Corroborated),
                conflicting: count(Verdict::Conflicting),
                single_source: count(Verdict::SingleSource),
            },
            articles: refs,
            claims: Vec::new(),
        }
    }

    /// Claims of one verdict, most independent sources first, then most mentions.
    pub fn ranked(&self, verdict: &str) -> Vec<&ClaimSummary> {
        Self::of_verdict(&self.claims, &self.rank_all(), verdict)
            .into_iter()
            .map(|i| &self.claims[i])
            .collect()
    }

    /// The position in `claims` of a summary borrowed from it.
    fn position(&self, c: &ClaimSummary) -> usize {
        let start = self.claims.as_ptr() as usize;
        let i = (c as *const ClaimSummary as usize - start) / std::mem::size_of::<ClaimSummary>();
        debug_assert!(std::ptr::eq(&self.claims[i], c), "a summary of these views");
        i
    }

    /// The claims of `verdict` in `order` (see [`Views::rank_all`]).
    fn of_verdict(claims: &[ClaimSummary], order: &[usize], verdict: &str) -> Vec<usize> {
        order
            .iter()
            .copied()
            .filter(|&i| claims[i].verdict == verdict)
            .collect()
    }

    /// Every claim's position in `claims`, in the order of [`Views::ranked`] (whatever the
    /// verdict): sorted once, then filtered by verdict.
    fn rank_all(&self) -> Vec<usize> {
        use std::cmp::Reverse;
        let mut v: Vec<_> = self
            .claims
            .iter()
            .enumerate()
            .map(|(i, c)| {
                (
                    Reverse(c.sources),
                    Reverse(c.mention_count),
                    c.id.as_str(),
                    i,
                )
            })
            .collect();
        v.sort_unstable();
        v.into_iter().map(|(_, _, _, i)| i).collect()
    }
}

/// The full view of one claim, for its own page: every mention with its word differences, and
/// the articles behind each conflicting value. Built one claim at a time.
pub fn claim_view(
    views: &Views,
    articles: &[Article],
    c: &Claim,
    summary: &ClaimSummary,
) -> ClaimView {
    let refs = &views.articles;
    ClaimView {
        id: summary.id.clone(),
        text: summary.text.clone(),
        verdict: summary.verdict.clone(),
        verdict_label: summary.verdict_label.clone(),
        rule: summary.rule.clone(),
        sources: summary.sources,
        url: summary.url.clone(),
        outlets: summary.outlets.clone(),
        dates: summary.dates.clone(),
        date_labels: summary.date_labels.clone(),
        mentions: c
            .mentions
            .iter()
            .map(|m| {
                let s = &articles[m.article].sentences[m.sentence];
                MentionView {
                    article: refs[m.article].clone(),
                    anchor: s.anchor.clone(),
                    text: s.text.clone(),
                    html: s.html.clone(),
                    url: format!("{}#{}", refs[m.article].url, s.anchor),
                    diff: word_diff(&c.text, &s.text),
                }
            })
            .collect(),
        conflicts: c
            .conflicts
            .iter()
            .zip(&summary.conflicts)
            .map(|(k, ks)| ConflictView {
                slot: k.slot.clone(),
                strength: k.strength.as_str().to_string(),
                values: k
                    .values
                    .iter()
                    .zip(&ks.values)
                    .map(|(v, vs)| {
                        let arts: BTreeSet<usize> = v.mentions.iter().map(|m| m.article).collect();
                        ValueView {
                            value: v.value.clone(),
                            articles: arts.into_iter().map(|a| refs[a].clone()).collect(),
                            outlets: vs.outlets.clone(),
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// `base_url` with one trailing slash, or `""`.
pub fn abs_url(base_url: &str) -> String {
    let b = base_url.trim();
    if b.is_empty() {
        String::new()
    } else {
        format!("{}/", b.trim_end_matches('/'))
    }
}

/// `"../"` once per folder level of `path` (a `/`-separated path inside the site).
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// The path part of `base_url` (`https://x.org/sub/` → `/sub/`), for pages served at any depth.
pub fn base_path(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map(|(_, r)| r).unwrap_or("");
    let path = after_scheme
        .find('/')
        .map(|i| &after_scheme[i..])
        .unwrap_or("/");
    if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    }
}

/// The dated claims in date order. Dates without a year (`MM-DD`) are placed in the year most
/// articles were published in (or after every full date when no article has a date).
pub fn timeline<'a>(views: &'a Views) -> Vec<TimelineEntry<'a>> {
    let mut years: BTreeMap<&str, usize> = BTreeMap::new();
    for a in &views.articles {
        if let Some(y) = a.date.as_deref().and_then(|d| d.get(0..4)) {
            *years.entry(y).or_default() += 1;
        }
    }
    let year = years
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(y, _)| y.to_string())
        .unwrap_or_else(|| "9999".into());
    let mut by_date: BTreeMap<(String, String), Vec<&ClaimSummary>> = BTreeMap::new();
    for c in &views.claims {
        for d in &c.dates {
            let key = if d.len() == 5 {
                format!("{year}-{d}")
            } else {
                d.clone()
            };
            by_date.entry((key, d.clone())).or_default().push(c);
        }
    }
    by_date
        .into_iter()
        .map(|((_, date), mut claims)| {
            claims.sort_by(|a, b| b.sources.cmp(&a.sources).then(a.id.cmp(&b.id)));
            claims.dedup_by(|a, b| a.id == b.id);
            let more = claims.len().saturating_sub(TIMELINE_PER_DATE_MAX);
            let items = claims
                .into_iter()
                .take(TIMELINE_PER_DATE_MAX)
                .map(|c| {
                    // When the outlets disagree on the date, list only those giving this one.
                    let on_date = c
                        .conflicts
                        .iter()
                        .filter(|k| k.slot == "date")
                        .flat_map(|k| &k.values)
                        .find(|v| v.value == date || v.value.ends_with(&format!("-{date}")));
                    TimelineItem {
                        claim: c,
                        outlets: on_date.map_or(&c.outlets[..], |v| &v.outlets[..]),
                        disputed: on_date.is_some(),
                    }
                })
                .collect();
            TimelineEntry {
                label: date_label(&date),
                datetime: date.clone(),
                date,
                items,
                more,
            }
        })
        .collect()
}

/// Per outlet: its articles, what only it reports, where it disagrees; in name order.
/// With `disagreements` false, each outlet's disagreements are left empty and uncounted (the
/// briefing's outlet rows do not show them, and they are most of the cost).
///
/// Each outlet's disagreements are counted, but only its first [`DISAGREEMENTS_SHOWN`] are
/// made (what the sources page shows, and its key): making every one cost outlets × values
/// for each disputed slot, 0.4 s of every rebuild at 10,000 articles with 2,000 outlets.
pub fn outlets<'a>(
    articles: &[Article],
    claims: &[Claim],
    views: &'a Views,
    disagreements: bool,
) -> Vec<OutletView<'a>> {
    let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, a) in articles.iter().enumerate() {
        by_name.entry(a.outlet()).or_default().push(i);
    }
    // Outlets are numbered in name order, so a sorted list of names is a sorted list of numbers;
    // each article's outlet by number (the claims' and values' outlets are read through their
    // mentions, without looking a name up).
    let mut outlet_of = vec![0usize; articles.len()];
    for (on, members) in by_name.values().enumerate() {
        for &a in members {
            outlet_of[a] = on;
        }
    }
    let mut list: Vec<OutletView> = by_name
        .iter()
        .enumerate()
        .map(|(i, (&name, members))| {
            let mut o = OutletView {
                name: name.to_string(),
                number: i + 1,
                articles: members.iter().map(|&a| &views.articles[a]).collect(),
                first_date: None,
                last_date: None,
                claims: 0,
                only: Vec::new(),
                disputed_count: 0,
                disagreements: Vec::new(),
                disagreement_count: 0,
            };
            for d in members
                .iter()
                .filter_map(|&a| articles[a].meta.date.as_ref())
            {
                if o.first_date.as_ref().is_none_or(|f| d < f) {
                    o.first_date = Some(d.clone());
                }
                if o.last_date.as_ref().is_none_or(|l| d > l) {
                    o.last_date = Some(d.clone());
                }
            }
            o
        })
        .collect();
    // Per disputed slot of one claim: (outlet, value) for every outlet giving each value, sorted
    // by outlet then value (one buffer, reused).
    let mut giving: Vec<Vec<(usize, usize)>> = Vec::new();
    // The claim's outlets (what `view.outlets` names), by number.
    let mut stating: Vec<usize> = Vec::new();
    // Where each disputed slot's list in `giving` is at, for the outlet at hand.
    let mut at: Vec<usize> = Vec::new();
    for (c, view) in claims.iter().zip(&views.claims) {
        let disputed = !c.conflicts.is_empty();
        if disputed && disagreements {
            giving.resize_with(c.conflicts.len(), Vec::new);
            for (k, g) in c.conflicts.iter().zip(giving.iter_mut()) {
                g.clear();
                for (vi, v) in k.values.iter().enumerate() {
                    g.extend(v.mentions.iter().map(|m| (outlet_of[m.article], vi)));
                }
                g.sort_unstable();
                g.dedup();
            }
        }
        stating.clear();
        stating.extend(c.mentions.iter().map(|m| outlet_of[m.article]));
        stating.sort_unstable();
        stating.dedup();
        debug_assert_eq!(stating.len(), view.outlets.len());
        // Outlets come in number order, as the lists are sorted: each list is read once.
        at.clear();
        at.resize(c.conflicts.len(), 0);
        for &on in &stating {
            let o = &mut list[on];
            o.claims += 1;
            if c.verdict == Verdict::SingleSource {
                o.only.push(view);
            }
            if !disputed {
                continue;
            }
            o.disputed_count += 1;
            if !disagreements {
                continue;
            }
            for ((k, g), at) in view.conflicts.iter().zip(&giving).zip(&mut at) {
                while *at < g.len() && g[*at].0 < on {
                    *at += 1;
                }
                let own_from = *at;
                while *at < g.len() && g[*at].0 == on {
                    *at += 1;
                }
                let own = &g[own_from..*at];
                // A disagreement: this outlet gives some of the values and not all of them.
                if own.is_empty() || own.len() == k.values.len() {
                    continue;
                }
                o.disagreement_count += 1;
                if o.disagreements.len() < DISAGREEMENTS_SHOWN {
                    // The other values shown (the first ones), and how many there are.
                    let others: Vec<&ValueSummary> = (0..k.values.len())
                        .filter(|vi| own.binary_search(&(on, *vi)).is_err())
                        .take(OTHERS_SHOWN)
                        .map(|vi| &k.values[vi])
                        .collect();
                    o.disagreements.push(DisagreementView {
                        claim: view,
                        slot: k.slot.clone(),
                        own: own
                            .iter()
                            .map(|&(_, vi)| k.values[vi].value.clone())
                            .collect(),
                        others,
                        others_count: k.values.len() - own.len(),
                    });
                }
            }
        }
    }
    for o in &mut list {
        for l in [&mut o.first_date, &mut o.last_date] {
            *l = l.as_deref().map(date_label);
        }
    }
    list
}

/// At most this many claims are rows of the agreement matrix (the most widely reported ones).
pub const MATRIX_ROWS: usize = 100;
/// At most this many outlets are columns of the agreement matrix (those stating the most of its
/// claims). Without both limits the page grows as claims × outlets (195 MB at 1,000 articles).
pub const MATRIX_OUTLETS: usize = 40;

/// The outlet × claim agreement matrix over the claims at least two outlets state: the
/// [`MATRIX_ROWS`] most widely reported, against the [`MATRIX_OUTLETS`] outlets stating most of
/// them (in name order).
pub fn matrix<'a>(views: &'a Views, outlet_names: &[String]) -> Matrix<'a> {
    let mut rows: Vec<&ClaimSummary> = views
        .claims
        .iter()
        .filter(|c| c.outlets.len() >= 2)
        .collect();
    rows.sort_by(|a, b| {
        b.outlets
            .len()
            .cmp(&a.outlets.len())
            .then(b.sources.cmp(&a.sources))
            .then(a.id.cmp(&b.id))
    });
    let total_rows = rows.len();
    rows.truncate(MATRIX_ROWS);
    let outlet_names: Vec<String> = if outlet_names.len() <= MATRIX_OUTLETS {
        outlet_names.to_vec()
    } else {
        let mut count: BTreeMap<&str, usize> = BTreeMap::new();
        for c in &rows {
            for o in &c.outlets {
                *count.entry(o.as_str()).or_default() += 1;
            }
        }
        let mut ranked: Vec<(usize, &String)> = outlet_names
            .iter()
            .map(|o| (count.get(o.as_str()).copied().unwrap_or(0), o))
            .collect();
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        let mut keep: Vec<String> = ranked
            .into_iter()
            .take(MATRIX_OUTLETS)
            .map(|(_, o)| o.clone())
            .collect();
        keep.sort();
        keep
    };
    let rows = rows
        .into_iter()
        .map(|c| {
            // Per slot, the value most outlets give (the first such value on a tie).
            let majority: Vec<&ValueSummary> = c
                .conflicts
                .iter()
                .filter_map(|k| {
                    k.values
                        .iter()
                        .rev()
                        .max_by_key(|v| v.outlets.len())
                        .map(|v| v as &ValueSummary)
                })
                .collect();
            let cells = outlet_names
                .iter()
                .map(|o| {
                    if c.outlets.binary_search(o).is_err() {
                        return Cell {
                            state: "none",
                            label: format!("{o} does not report this"),
                        };
                    }
                    let mut differs = Vec::new();
                    for (k, maj) in c.conflicts.iter().zip(&majority) {
                        for v in &k.values {
                            if v.value != maj.value && v.outlets.binary_search(o).is_ok() {
                                differs.push(format!("{}: {}", k.slot, v.value));
                            }
                        }
                    }
                    if differs.is_empty() {
                        Cell {
                            state: "agree",
                            label: format!("{o} reports this"),
                        }
                    } else {
                        Cell {
                            state: "differs",
                            label: format!("{o} reports it differently ({})", differs.join("; ")),
                        }
                    }
                })
                .collect();
            MatrixRow { claim: c, cells }
        })
        .collect();
    Matrix {
        outlets: outlet_names,
        rows,
        total_rows,
        total_outlets: views.stats.outlets,
    }
}

/// What each output file was made from, by path: a hash of the template, the page's place and
/// every value handed to the template (or the bytes' sources for other files). A rebuild that
/// finds a path with the same key skips rendering it: its bytes cannot have changed.
///
/// It also keeps the *fragments* of the last render: pieces of the big list pages (one claim's
/// line in the claims list, one outlet's section of the sources page) and of the big data files
/// (one claim or article of `claims.json` and of the search index), each under a hash of what it
/// was made from. The next render reuses every fragment whose inputs did not change, so an edit
/// costs the pieces it touched plus concatenation, not a walk over the whole corpus.
///
/// Reads as a map from path to key (it derefs to one); [`PageKeys::clear`] forgets the
/// fragments too (after a template edit nothing rendered before may be reused).
#[derive(Default, Clone)]
pub struct PageKeys {
    keys: HashMap<String, u64>,
    /// Per group (the page or file they make up), each fragment by its key.
    fragments: HashMap<&'static str, HashMap<u64, Arc<str>>>,
}

impl PageKeys {
    pub fn new() -> PageKeys {
        PageKeys::default()
    }

    pub fn with_capacity(n: usize) -> PageKeys {
        PageKeys {
            keys: HashMap::with_capacity(n),
            fragments: HashMap::new(),
        }
    }

    /// Record `path`'s key (the files `render_changed` does not make, e.g. static files).
    pub fn insert(&mut self, path: String, key: u64) -> Option<u64> {
        self.keys.insert(path, key)
    }

    /// Forget every key and every fragment: the next render makes everything again.
    pub fn clear(&mut self) {
        self.keys.clear();
        self.fragments.clear();
    }

    /// Forget `path`'s key: the next render makes that file again, whatever its inputs.
    /// Whether it had one.
    pub fn forget(&mut self, path: &str) -> bool {
        self.keys.remove(path).is_some()
    }

    /// How many fragments are kept for the next render.
    pub fn fragments(&self) -> usize {
        self.fragments.values().map(HashMap::len).sum()
    }
}

impl std::ops::Deref for PageKeys {
    type Target = HashMap<String, u64>;
    fn deref(&self) -> &Self::Target {
        &self.keys
    }
}

/// Two renders' keys are equal when their paths and keys are (fragments follow from them).
impl PartialEq for PageKeys {
    fn eq(&self, other: &PageKeys) -> bool {
        self.keys == other.keys
    }
}

impl std::fmt::Debug for PageKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageKeys")
            .field("keys", &self.keys)
            .field("fragments", &self.fragments())
            .finish()
    }
}

/// The result of a render against the keys of the previous one.
pub struct Rendered {
    /// The files whose key changed (or that are new): rendered again.
    pub files: Vec<OutputFile>,
    /// Every file of the site, rendered now or not, with its key.
    pub keys: PageKeys,
    /// Time spent per part of the render, in order (for `examples/render_edit.rs`).
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

/// A part of the render made on its own thread: its renderer (files and keys) and timings.
type Part<'a> = (Renderer<'a>, Vec<(&'static str, std::time::Duration)>);

/// The hash behind every key: FxHash (rustc-hash), several times faster than std's SipHash on
/// the many small writes a derived `Hash` makes. Keys only ever compare a file's inputs with the
/// same file's inputs of the previous render, in one process; nothing adversarial feeds them.
fn key_of(parts: impl Hash) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    parts.hash(&mut h);
    h.finish()
}

struct Renderer<'a> {
    tera: &'a Tera,
    views: &'a Views,
    previous: &'a PageKeys,
    files: Vec<OutputFile>,
    keys: PageKeys,
    /// Asked before each page and fragment: true stops the render with [`Cancelled`].
    cancel: &'a Cancel<'a>,
}

/// What a cancellable render asks before each page and fragment (see [`Cancelled`]).
pub type Cancel<'a> = dyn Fn() -> bool + Sync + 'a;

/// The render goes on to the end.
pub const NEVER: &Cancel<'static> = &|| false;

/// Err([`Cancelled`]) once `cancel` asks the render to stop.
fn go_on(cancel: &Cancel<'_>) -> Result<()> {
    if cancel() {
        return Err(Cancelled.into());
    }
    Ok(())
}

impl Renderer<'_> {
    /// Err([`Cancelled`]) once the caller asks the render to stop.
    fn go_on(&self) -> Result<()> {
        go_on(self.cancel)
    }

    /// Whether `path` must be made again: its key differs from the previous render's. Records
    /// the key either way.
    fn stale(&mut self, path: &str, key: u64) -> bool {
        self.keys.insert(path.to_string(), key);
        self.previous.get(path) != Some(&key)
    }

    /// A page whose context is built by `extra` only when `data` (everything `extra` reads)
    /// changed since the previous render.
    fn page(
        &mut self,
        template: &str,
        path: &str,
        data: impl Hash,
        extra: impl FnOnce() -> tera::Context,
    ) -> Result<()> {
        self.page_at_root(template, path, &root_of(path), data, extra)
    }

    fn page_at_root(
        &mut self,
        template: &str,
        path: &str,
        root: &str,
        data: impl Hash,
        extra: impl FnOnce() -> tera::Context,
    ) -> Result<()> {
        self.go_on()?;
        if self.page_stale(template, path, root, data) {
            self.render_page(template, path, root, extra())?;
        }
        Ok(())
    }

    /// Whether the page at `path` must be rendered again (see [`Renderer::page`]); records its
    /// key.
    fn page_stale(&mut self, template: &str, path: &str, root: &str, data: impl Hash) -> bool {
        let full = FULL_STATS_TEMPLATES.contains(&template);
        let key = if full {
            key_of((template, root, &self.views.site, &self.views.stats, data))
        } else {
            key_of((template, root, &self.views.site, &self.site_stats(), data))
        };
        self.stale(path, key)
    }

    fn site_stats(&self) -> SiteStats {
        SiteStats {
            articles: self.views.stats.articles,
            outlets: self.views.stats.outlets,
        }
    }

    /// Render the page at `path` with the variables every page gets plus `extra`.
    fn render_page(
        &mut self,
        template: &str,
        path: &str,
        root: &str,
        extra: tera::Context,
    ) -> Result<()> {
        let mut ctx = tera::Context::new();
        ctx.insert("site", &self.views.site);
        if FULL_STATS_TEMPLATES.contains(&template) {
            ctx.insert("stats", &self.views.stats);
        } else {
            ctx.insert("stats", &self.site_stats());
        }
        ctx.insert("root", root);
        ctx.insert("page_path", path);
        ctx.extend(extra);
        let html = self
            .tera
            .render(template, &ctx)
            .map_err(|e| anyhow::anyhow!("{}", templates::error_chain(&e)))
            .with_context(|| format!("rendering {path} with template {template}"))?;
        self.files.push(OutputFile {
            path: path.to_string(),
            bytes: html.into_bytes(),
        });
        Ok(())
    }

    /// The page or file made of `group`'s fragments was not made again: keep its fragments for
    /// the next render as they are.
    fn keep_fragments(&mut self, group: &'static str) {
        if let Some(g) = self.previous.fragments.get(group) {
            self.keys.fragments.insert(group, g.clone());
        }
    }

    /// The fragment of `group` made from inputs hashing to `key`: the previous render's when it
    /// made one, else `make`'s. Either way it is kept for the next render.
    fn fragment(
        &mut self,
        group: &'static str,
        key: u64,
        make: impl FnOnce(&Self) -> Result<String>,
    ) -> Result<Arc<str>> {
        self.go_on()?;
        if let Some(f) = self.keys.fragments.get(group).and_then(|g| g.get(&key)) {
            return Ok(f.clone());
        }
        let f = match self.previous.fragments.get(group).and_then(|g| g.get(&key)) {
            Some(f) => f.clone(),
            None => Arc::from(make(self)?),
        };
        let previous = &self.previous.fragments;
        self.keys
            .fragments
            .entry(group)
            .or_insert_with(|| HashMap::with_capacity(previous.get(group).map_or(0, HashMap::len)))
            .insert(key, f.clone());
        Ok(f)
    }

    /// Render one of [`templates::FRAGMENT_TEMPLATES`] with `root` and `name` = `value`.
    fn render_fragment(
        &self,
        template: &str,
        root: &str,
        name: &str,
        value: &impl Serialize,
    ) -> Result<String> {
        let mut ctx = tera::Context::new();
        ctx.insert("root", root);
        ctx.insert(name, value);
        self.tera
            .render(template, &ctx)
            .map_err(|e| anyhow::anyhow!("{}", templates::error_chain(&e)))
            .with_context(|| format!("rendering a fragment with template {template}"))
    }

    /// A file that is not a page: `bytes` runs only when `data` changed.
    fn file(&mut self, path: &str, data: impl Hash, bytes: impl FnOnce() -> Vec<u8>) {
        if self.stale(path, key_of(data)) {
            self.files.push(OutputFile {
                path: path.to_string(),
                bytes: bytes(),
            });
        }
    }
}

/// The variables of a claim's page.
fn claim_context(
    views: &Views,
    articles: &[Article],
    claim: &Claim,
    summary: &ClaimSummary,
) -> tera::Context {
    let c = claim_view(views, articles, claim, summary);
    let mut ctx = tera::Context::new();
    ctx.insert("claim", &c);
    ctx.insert("json_ld", &feeds::claim_review_json_ld(&views.site, &c));
    ctx
}

/// The variables of article `i`'s page; `stated`: (sentence, claim) for each claim its
/// sentences state, sorted. Reads the views' articles, not their claims' summaries.
fn article_context(
    views: &Views,
    claims: &[Claim],
    i: usize,
    a: &Article,
    stated: &[(usize, usize)],
) -> tera::Context {
    let mut refs: BTreeMap<usize, Vec<ClaimRef>> = BTreeMap::new();
    for &(s, c) in stated {
        let claim = &claims[c];
        refs.entry(s).or_default().push(ClaimRef {
            id: claim.id.clone(),
            verdict: claim.verdict.as_str().to_string(),
            verdict_label: verdict_label(claim.verdict).to_string(),
            url: claim_path(&claim.id),
        });
    }
    let blocks: Vec<BlockView> = a
        .blocks
        .iter()
        .map(|b| BlockView {
            kind: b.kind.clone(),
            level: b.level,
            code: b.code.clone(),
            sentences: b
                .sentences
                .iter()
                .map(|&s| {
                    let sent = &a.sentences[s];
                    SentenceView {
                        anchor: sent.anchor.clone(),
                        text: sent.text.clone(),
                        html: sent.html.clone(),
                        line: sent.line,
                        claims: refs.remove(&s).unwrap_or_default(),
                    }
                })
                .collect(),
        })
        .collect();
    let removed: Vec<RemovedView> = a
        .removed
        .iter()
        .map(|x| RemovedView {
            line: x.line,
            text: x.text.clone(),
            reason: x.reason.clone(),
        })
        .collect();
    let prev = i.checked_sub(1).map(|p| &views.articles[p]);
    let next = views.articles.get(i + 1);
    let mut ctx = tera::Context::new();
    ctx.insert("article", &views.articles[i]);
    ctx.insert("blocks", &blocks);
    ctx.insert("removed", &removed);
    ctx.insert("prev", &prev);
    ctx.insert("next", &next);
    ctx
}

/// Render the pages at `paths` (paths in the site, as `articles/x/index.html`) that can be made
/// alone, each in full, with bytes identical to [`render_changed`]'s. `serve` makes the pages
/// open in a browser this way first, so they reload before the rest of the site is rendered.
/// Only the pages made from one article or one claim (and the search and 404 pages) can be made
/// alone; the others (a list page reads every claim; a page the site no longer has) are left
/// out of the result.
pub fn render_pages(
    tera: &Tera,
    config: &SiteConfig,
    articles: &[Article],
    claims: &[Claim],
    paths: &BTreeSet<String>,
) -> Result<Vec<OutputFile>> {
    enum Page {
        Article(usize),
        Claim(usize),
        Search,
        NotFound,
    }
    let mut pages = Vec::with_capacity(paths.len());
    for path in paths {
        let inner = |prefix: &str| {
            path.strip_prefix(prefix)
                .and_then(|r| r.strip_suffix("/index.html"))
                .filter(|r| !r.contains('/'))
        };
        let page = if let Some(slug) = inner("articles/") {
            articles
                .iter()
                .position(|a| a.slug == slug)
                .map(Page::Article)
        } else if let Some(id) = inner("claims/") {
            claims.iter().position(|c| c.id == id).map(Page::Claim)
        } else if path == "search/index.html" {
            Some(Page::Search)
        } else if path == "404.html" {
            Some(Page::NotFound)
        } else {
            None
        };
        if let Some(p) = page {
            pages.push((path, p));
        }
    }
    if pages.is_empty() {
        return Ok(Vec::new());
    }
    // One walk over the claims counts them and finds the sentences of the open articles that
    // state one.
    let open: Vec<usize> = pages
        .iter()
        .filter_map(|(_, p)| match p {
            Page::Article(i) => Some(*i),
            _ => None,
        })
        .collect();
    let mut stated: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
    let counts = ClaimCounts::new(articles.len(), claims, |m, ci| {
        if open.contains(&m.article) {
            stated.entry(m.article).or_default().push((m.sentence, ci));
        }
    });
    // An article page reads its own article's ref and its neighbours'; a claim page reads its
    // mentions' (all refs are made then). Making every article's ref was most of this call's
    // time in a large corpus.
    let claim_open = pages.iter().any(|(_, p)| matches!(p, Page::Claim(_)));
    let neighbours: Vec<usize> = open
        .iter()
        .flat_map(|&i| [i.checked_sub(1), Some(i), Some(i + 1)])
        .flatten()
        .collect();
    let only = (!claim_open).then_some(neighbours.as_slice());
    let views = Views::counted(config, articles, claims, &counts, only);
    let empty = PageKeys::new();
    let mut r = Renderer {
        tera,
        views: &views,
        previous: &empty,
        files: Vec::new(),
        keys: PageKeys::new(),
        cancel: NEVER,
    };
    for (path, page) in pages {
        let root = root_of(path);
        match page {
            Page::Article(i) => {
                let mut stated = stated.get(&i).cloned().unwrap_or_default();
                stated.sort_unstable();
                let ctx = article_context(&views, claims, i, &articles[i], &stated);
                r.render_page("article.html", path, &root, ctx)?;
            }
            Page::Claim(i) => {
                let summary = summary_of(&claims[i], articles);
                let ctx = claim_context(&views, articles, &claims[i], &summary);
                r.render_page("claim.html", path, &root, ctx)?;
            }
            Page::Search => r.render_page("search.html", path, &root, tera::Context::new())?,
            Page::NotFound => {
                let root404 = base_path(&config.base_url);
                r.render_page("404.html", path, &root404, tera::Context::new())?
            }
        }
    }
    Ok(r.files)
}

/// The list pages (the briefing, the claims list, the sources page): each one whose key changed
/// since `r`'s previous render, or with `only`, exactly the ones among those paths (rendered
/// whatever their key, for `serve` to show them first: see [`render_list_pages`]). Fragments
/// are taken from the previous render where their inputs are the same.
fn list_pages<'a>(
    mut r: Renderer<'a>,
    articles: &[Article],
    claims: &[Claim],
    summary_keys: &[u64],
    lists: u64,
    only: Option<&BTreeSet<String>>,
) -> Result<Part<'a>> {
    let views = r.views;
    let mut timings = Vec::new();
    let mut lap = std::time::Instant::now();
    let outlet_cell = std::cell::OnceCell::new();
    // The sources page shows each outlet's disagreements; the briefing's rows do not, so when
    // only the briefing is asked for they are not gathered.
    let disagreements = only.is_none_or(|p| p.contains("sources/index.html"));
    let outlet_views =
        || outlet_cell.get_or_init(|| outlets(articles, claims, views, disagreements));
    // The briefing. Its timeline dates and outlets' rows are fragments, kept while their
    // claims and articles are the same.
    let order_cell = std::cell::OnceCell::new();
    let order = || order_cell.get_or_init(|| views.rank_all());
    let ranked = |verdict: &str| Views::of_verdict(&views.claims, order(), verdict);
    if wanted(
        &mut r,
        only,
        "index.html",
        "index.html",
        "",
        (HEADLINE_MAX, lists),
    ) {
        let summaries = |v: Vec<usize>| -> Vec<&ClaimSummary> {
            v.into_iter().map(|i| &views.claims[i]).collect()
        };
        r.go_on()?;
        let corroborated = summaries(ranked("corroborated"));
        let single = summaries(ranked("single-source"));
        let conflicting = summaries(ranked("conflicting"));
        let mut single_by_outlet: BTreeMap<&str, Vec<&ClaimSummary>> = BTreeMap::new();
        for c in &single {
            for o in &c.outlets {
                single_by_outlet.entry(o).or_default().push(c);
            }
        }
        let single_by_outlet: Vec<OutletClaims> = single_by_outlet
            .into_iter()
            .map(|(o, mut claims)| {
                let total = claims.len();
                claims.truncate(SINGLE_PER_OUTLET_MAX);
                OutletClaims {
                    outlet: o.to_string(),
                    claims,
                    total,
                }
            })
            .collect();
        let more_single_outlets = single_by_outlet.len().saturating_sub(SINGLE_OUTLETS_MAX);
        let single_by_outlet: Vec<OutletClaims> = if more_single_outlets == 0 {
            single_by_outlet
        } else {
            let mut ranked: Vec<OutletClaims> = single_by_outlet;
            ranked.sort_by(|a, b| b.total.cmp(&a.total).then(a.outlet.cmp(&b.outlet)));
            ranked.truncate(SINGLE_OUTLETS_MAX);
            ranked.sort_by(|a, b| a.outlet.cmp(&b.outlet));
            ranked
        };
        r.go_on()?;
        let mut disputed = Vec::new();
        for &c in conflicting.iter().take(DISPUTED_MAX) {
            let key = summary_keys[views.position(c)];
            let html = r.fragment("index", key_of(("d", key)), |r| {
                r.render_fragment("__dispute.html", "", "c", c)
            })?;
            disputed.push(ClaimLine::of(c, html));
        }
        let more_conflicting = conflicting.len().saturating_sub(DISPUTED_MAX);
        let headline: Vec<&&ClaimSummary> = corroborated.iter().take(HEADLINE_MAX).collect();
        let more = corroborated.len().saturating_sub(HEADLINE_MAX);
        timings.push(("index: lists", lap.elapsed()));
        lap = std::time::Instant::now();
        let entries = timeline(views);
        r.go_on()?;
        let mut dates = Vec::with_capacity(entries.len());
        for e in &entries {
            let mut h = rustc_hash::FxHasher::default();
            (&e.date, &e.label, &e.datetime, e.more).hash(&mut h);
            for i in &e.items {
                (
                    summary_keys[views.position(i.claim)],
                    &i.outlets,
                    i.disputed,
                )
                    .hash(&mut h);
            }
            let html = r.fragment("index", key_of(("t", h.finish())), |r| {
                r.render_fragment("__timeline_entry.html", "", "e", e)
            })?;
            dates.push(TimelineLine {
                date: &e.date,
                label: &e.label,
                datetime: &e.datetime,
                count: e.items.len(),
                more: e.more,
                html,
            });
        }
        timings.push(("index: timeline", lap.elapsed()));
        lap = std::time::Instant::now();
        let mut rows = Vec::new();
        let outlets = outlet_views();
        r.go_on()?;
        for o in outlets {
            let row = OutletRow::of(o);
            let html = r.fragment("index", key_of(("o", &row)), |r| {
                r.render_fragment("__outlet_row.html", "", "o", &row)
            })?;
            rows.push(OutletLine::of(o, html));
        }
        let mut ctx = tera::Context::new();
        ctx.insert("headline", &headline);
        ctx.insert("more_corroborated", &more);
        ctx.insert("conflicting", &disputed);
        ctx.insert("more_conflicting", &more_conflicting);
        ctx.insert("single_by_outlet", &single_by_outlet);
        ctx.insert("more_single_outlets", &more_single_outlets);
        ctx.insert("timeline", &dates);
        ctx.insert("outlets", &rows);
        ctx.insert("articles", &views.articles);
        timings.push(("index: outlets", lap.elapsed()));
        lap = std::time::Instant::now();
        r.render_page("index.html", "index.html", "", ctx)?;
    } else {
        r.keep_fragments("index");
    }

    timings.push(("index.html", lap.elapsed()));
    lap = std::time::Instant::now();
    // All claims, by verdict: each claim's list item is a fragment, kept while its summary is
    // the same.
    if wanted(
        &mut r,
        only,
        "claims.html",
        "claims/index.html",
        "../",
        lists,
    ) {
        let mut groups = Vec::new();
        for v in [
            Verdict::Conflicting,
            Verdict::Corroborated,
            Verdict::SingleSource,
        ] {
            let ranked = ranked(v.as_str());
            let mut items = String::new();
            for &i in &ranked {
                let item = r.fragment("claims", summary_keys[i], |r| {
                    r.render_fragment("__claim_item.html", "../", "claim", &views.claims[i])
                })?;
                items.push_str(&item);
            }
            groups.push(ClaimGroup {
                id: v.as_str().to_string(),
                label: verdict_label(v).to_string(),
                count: ranked.len(),
                items,
            });
        }
        let mut ctx = tera::Context::new();
        ctx.insert("groups", &groups);
        r.render_page("claims.html", "claims/index.html", "../", ctx)?;
    } else {
        r.keep_fragments("claims");
    }

    timings.push(("claims/index.html", lap.elapsed()));
    lap = std::time::Instant::now();
    // Sources: the matrix and each outlet's own contribution. The matrix follows from the
    // claims and the outlets' names: built only to render. Each outlet's section is a fragment,
    // kept while the outlet's view is the same.
    if wanted(
        &mut r,
        only,
        "sources.html",
        "sources/index.html",
        "../",
        lists,
    ) {
        let outlet_views = outlet_views();
        let mut lines = Vec::with_capacity(outlet_views.len());
        for o in outlet_views {
            let section = r.fragment("sources", outlet_key(o, views, summary_keys), |r| {
                r.render_fragment("__outlet_section.html", "../", "o", o)
            })?;
            lines.push(OutletLine::of(o, section));
        }
        let names: Vec<String> = outlet_views.iter().map(|o| o.name.clone()).collect();
        let mut ctx = tera::Context::new();
        ctx.insert("outlets", &lines);
        // The matrix is chosen among the claims two or more outlets state, against the
        // outlets' names: when none of those changed, its fragment is kept without choosing.
        let mut h = rustc_hash::FxHasher::default();
        names.hash(&mut h);
        let mut total_rows = 0usize;
        for (c, k) in views.claims.iter().zip(summary_keys) {
            if c.outlets.len() >= 2 {
                total_rows += 1;
                k.hash(&mut h);
            }
        }
        let html = r.fragment("sources", key_of(("m", h.finish())), |r| {
            r.render_fragment("__matrix.html", "../", "matrix", &matrix(views, &names))
        })?;
        ctx.insert(
            "matrix",
            &MatrixLine {
                rows: total_rows.min(MATRIX_ROWS),
                outlets: names.len().min(MATRIX_OUTLETS),
                total_rows,
                total_outlets: views.stats.outlets,
                html,
            },
        );
        r.render_page("sources.html", "sources/index.html", "../", ctx)?;
    } else {
        r.keep_fragments("sources");
    }

    timings.push(("sources/index.html", lap.elapsed()));
    Ok((r, timings))
}

/// Whether to render the list page at `path`: in a full render, when its key changed (the key is
/// recorded); when only some pages are asked for, when it is one of them.
fn wanted(
    r: &mut Renderer,
    only: Option<&BTreeSet<String>>,
    template: &str,
    path: &str,
    root: &str,
    data: impl Hash,
) -> bool {
    match only {
        None => r.page_stale(template, path, root, data),
        Some(paths) => paths.contains(path),
    }
}

/// The claim summaries' keys, in the views' order (what the list pages' fragments are keyed by).
fn summary_keys(views: &Views) -> Vec<u64> {
    use rayon::prelude::*;
    views
        .claims
        .par_iter()
        .with_min_len(256)
        .map(key_of)
        .collect()
}

/// Render the list pages among `paths` (the briefing `index.html`, `claims/index.html`,
/// `sources/index.html`), each in full and whatever its key, with bytes identical to what
/// [`render_changed`] against `previous` makes of them, reusing `previous`'s fragments. `serve`
/// shows an open list page this way before the rest of the site is rendered. Other paths are
/// left out; when none is a list page, nothing is computed.
pub fn render_list_pages(
    tera: &Tera,
    config: &SiteConfig,
    articles: &[Article],
    claims: &[Claim],
    previous: &PageKeys,
    paths: &BTreeSet<String>,
) -> Result<Vec<OutputFile>> {
    const LISTS: [&str; 3] = ["index.html", "claims/index.html", "sources/index.html"];
    if !LISTS.iter().any(|p| paths.contains(*p)) {
        return Ok(Vec::new());
    }
    let views = Views::new(config, articles, claims);
    let summary_keys = summary_keys(&views);
    let article_keys: Vec<u64> = views.articles.iter().map(key_of).collect();
    let lists = key_of((&summary_keys, &article_keys));
    let r = Renderer {
        tera,
        views: &views,
        previous,
        files: Vec::new(),
        keys: PageKeys::new(),
        cancel: NEVER,
    };
    let (r, _) = list_pages(r, articles, claims, &summary_keys, lists, Some(paths))?;
    Ok(r.files)
}

/// Render every page, the feeds, the search index, `claims.json` and the articles' `source.txt`.
pub fn render_all(
    tera: &Tera,
    config: &SiteConfig,
    articles: &[Article],
    claims: &[Claim],
) -> Result<Vec<OutputFile>> {
    Ok(render_changed(tera, config, articles, claims, &PageKeys::new())?.files)
}

/// Render the files whose inputs changed since the render that gave `previous` (all of them
/// when `previous` is empty). The keys do not cover the templates: after a template edit, pass
/// empty keys.
pub fn render_changed(
    tera: &Tera,
    config: &SiteConfig,
    articles: &[Article],
    claims: &[Claim],
    previous: &PageKeys,
) -> Result<Rendered> {
    render_changed_unless(tera, config, articles, claims, previous, NEVER)
}

/// [`render_changed`], stopped with [`Cancelled`] as soon as `cancel` says so (it is asked
/// before each page and fragment, on both threads). A cancelled render leaves nothing behind:
/// `previous` is as it was, and the next render against it makes what this one would have.
pub fn render_changed_unless(
    tera: &Tera,
    config: &SiteConfig,
    articles: &[Article],
    claims: &[Claim],
    previous: &PageKeys,
    cancel: &Cancel<'_>,
) -> Result<Rendered> {
    let mut timings = Vec::new();
    let mut lap = std::time::Instant::now();
    go_on(cancel)?;
    let views = Views::new(config, articles, claims);
    timings.push(("views", lap.elapsed()));
    lap = std::time::Instant::now();
    go_on(cancel)?;
    // Each claim summary, article reference and article's sentences is hashed once; the pages'
    // and fragments' keys are made of these hashes.
    use rayon::prelude::*;
    let summary_keys = summary_keys(&views);
    let article_keys: Vec<u64> = views.articles.iter().map(key_of).collect();
    let sentence_keys: Vec<u64> = articles
        .par_iter()
        .with_min_len(64)
        .map(|a| key_of(&a.sentences))
        .collect();
    // A claim page (and the claim in claims.json) shows the claim, its mentions' sentences and
    // their articles.
    let claim_keys: Vec<u64> = claims
        .par_iter()
        .zip(&summary_keys)
        .with_min_len(256)
        .map(|(c, summary)| {
            let mut h = rustc_hash::FxHasher::default();
            (summary, c).hash(&mut h);
            let mentions = c.mentions.iter().chain(
                c.conflicts
                    .iter()
                    .flat_map(|k| &k.values)
                    .flat_map(|v| &v.mentions),
            );
            for m in mentions {
                article_keys[m.article].hash(&mut h);
                articles[m.article].sentences[m.sentence].hash(&mut h);
            }
            h.finish()
        })
        .collect();
    // Everything on the list pages (the outlets, the timeline, the matrix) follows from the
    // claim summaries and the article references: their hash is the list pages' key, and the
    // costlier views are built only when a list page is rendered.
    let lists = key_of((&summary_keys, &article_keys));
    // Every part of the render reads the views and keys above and nothing another part makes,
    // but for the sitemap (the pages' set): the list pages (briefing, claims list, sources)
    // are made on one thread, the claim and article pages and the data files on the other,
    // and their files and keys are taken in this order afterwards.
    let renderer = || Renderer {
        tera,
        views: &views,
        previous,
        files: Vec::new(),
        keys: PageKeys::new(),
        cancel,
    };
    let list_pages = || list_pages(renderer(), articles, claims, &summary_keys, lists, None);
    let other_files = || -> Result<Part> {
        let mut r = renderer();
        let mut timings = Vec::new();
        let mut lap = std::time::Instant::now();
        for (i, (claim, summary)) in claims.iter().zip(&views.claims).enumerate() {
            let path = claim_path(&claim.id);
            r.page("claim.html", &path, claim_keys[i], || {
                claim_context(&views, articles, claim, summary)
            })?;
        }

        timings.push(("claim pages", lap.elapsed()));
        lap = std::time::Instant::now();
        // Which claims each sentence states: per article, (sentence, claim) in claim order.
        let mut claims_of: Vec<Vec<(usize, usize)>> = vec![Vec::new(); articles.len()];
        for (ci, c) in claims.iter().enumerate() {
            for m in &c.mentions {
                claims_of[m.article].push((m.sentence, ci));
            }
        }
        for (i, a) in articles.iter().enumerate() {
            let stated = &mut claims_of[i];
            stated.sort_unstable();
            let stated = &*stated;
            // A sentence's claim links show each claim's id and verdict.
            let refs: Vec<(usize, &str, &str)> = stated
                .iter()
                .map(|&(s, c)| (s, claims[c].id.as_str(), claims[c].verdict.as_str()))
                .collect();
            let prev = i.checked_sub(1).map(|p| &views.articles[p]);
            let next = views.articles.get(i + 1);
            let data = (
                article_keys[i],
                &a.blocks,
                sentence_keys[i],
                &a.removed,
                &refs,
                prev,
                next,
            );
            r.page(
                "article.html",
                &format!("articles/{}/index.html", a.slug),
                data,
                || article_context(&views, claims, i, a, stated),
            )?;
            r.file(&format!("articles/{}/source.txt", a.slug), &a.raw, || {
                a.raw.clone().into_bytes()
            });
        }

        timings.push(("article pages", lap.elapsed()));
        lap = std::time::Instant::now();
        // Search: the page, and the index it reads, assembled from one fragment per claim and per
        // article. (No `search.json` beside it: `claims.json` holds the same claims and sentences
        // for other tools, and every byte written counts on each rebuild.)
        r.page("search.html", "search/index.html", (), tera::Context::new)?;
        let search_key = key_of((&summary_keys, &article_keys, &sentence_keys));
        if r.stale("search-index.js", search_key) {
            let mut entries = Vec::with_capacity(articles.len());
            let mut sentences = Vec::with_capacity(articles.len());
            for (i, a) in articles.iter().enumerate() {
                let refs = &views.articles[i];
                entries.push(r.fragment("search", key_of(("a", article_keys[i])), |_| {
                    Ok(search::article_fragment(refs))
                })?);
                let key = key_of(("s", i, article_keys[i], sentence_keys[i]));
                sentences.push(r.fragment("search", key, |_| {
                    Ok(search::sentences_fragment(i, refs, a))
                })?);
            }
            let mut claim_entries = Vec::with_capacity(claims.len());
            for (c, k) in views.claims.iter().zip(&summary_keys) {
                claim_entries.push(r.fragment("search", key_of(("c", k)), |_| {
                    Ok(search::claim_fragment(c))
                })?);
            }
            r.go_on()?;
            let index = search::assemble(&entries, &claim_entries, &sentences);
            r.files.push(OutputFile {
                path: "search-index.js".into(),
                bytes: search::script(&index),
            });
        } else {
            r.keep_fragments("search");
        }

        timings.push(("search index", lap.elapsed()));
        lap = std::time::Instant::now();
        // claims.json, assembled from one fragment per article and per claim.
        let json_keys: Vec<u64> = articles
            .iter()
            .zip(&sentence_keys)
            .map(|(a, sentences)| {
                key_of((
                    &a.slug,
                    a.display_title(),
                    &a.meta,
                    &a.file,
                    sentences,
                    &a.removed,
                ))
            })
            .collect();
        if r.stale("claims.json", key_of((&json_keys, &claim_keys))) {
            let mut parts = Vec::with_capacity(articles.len());
            for (a, k) in articles.iter().zip(&json_keys) {
                parts.push(r.fragment("claims.json", key_of(("a", k)), |_| {
                    Ok(json::article_fragment(a))
                })?);
            }
            let mut claim_parts = Vec::with_capacity(claims.len());
            for (c, k) in claims.iter().zip(&claim_keys) {
                claim_parts.push(r.fragment("claims.json", key_of(("c", k)), |_| {
                    Ok(json::claim_fragment(articles, c))
                })?);
            }
            r.go_on()?;
            r.files.push(OutputFile {
                path: "claims.json".into(),
                bytes: json::assemble(&parts, &claim_parts),
            });
        } else {
            r.keep_fragments("claims.json");
        }
        timings.push(("claims.json", lap.elapsed()));
        Ok((r, timings))
    };
    timings.push(("keys", lap.elapsed()));
    go_on(cancel)?;
    let (lists_part, other_part) = rayon::join(list_pages, other_files);
    let mut r = Renderer {
        tera,
        views: &views,
        previous,
        files: Vec::new(),
        keys: PageKeys::with_capacity(previous.len()),
        cancel,
    };
    for part in [lists_part, other_part] {
        let (p, t) = part?;
        r.files.extend(p.files);
        r.keys.keys.extend(p.keys.keys);
        r.keys.fragments.extend(p.keys.fragments);
        timings.extend(t);
    }
    lap = std::time::Instant::now();
    // The 404 page is served at any depth, so its links start from the site's base path.
    let root404 = base_path(&config.base_url);
    r.page_at_root("404.html", "404.html", &root404, (), tera::Context::new)?;

    // Hosting files: the feed, the sitemap, robots.txt. The sitemap lists every page: its key
    // is the pages' set (a sum of their paths' hashes, so no sorted copy is made to tell it did
    // not change); the feed follows from the articles.
    let pages_key = r
        .keys
        .keys()
        .filter(|p| p.ends_with("index.html"))
        .fold(0u64, |sum, p| sum.wrapping_add(key_of(p)));
    if r.page_stale("sitemap.xml", "sitemap.xml", "", pages_key) {
        let mut pages: Vec<&String> = r
            .keys
            .keys()
            .filter(|p| p.ends_with("index.html"))
            .collect();
        pages.sort();
        let mut ctx = tera::Context::new();
        ctx.insert("pages", &pages);
        r.render_page("sitemap.xml", "sitemap.xml", "", ctx)?;
    }
    r.page(
        "feed.xml",
        "feed.xml",
        (&article_keys, &sentence_keys),
        || {
            let mut ctx = tera::Context::new();
            ctx.insert("feed", &feeds::feed(&views, articles));
            ctx
        },
    )?;
    r.page("robots.txt", "robots.txt", (), tera::Context::new)?;

    timings.push(("404, sitemap, feed, robots", lap.elapsed()));
    Ok(Rendered {
        files: r.files,
        keys: r.keys,
        timings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(id: usize, outlets: &[String]) -> ClaimSummary {
        ClaimSummary {
            id: format!("c{id:03}"),
            text: format!("claim {id}"),
            verdict: "corroborated".into(),
            verdict_label: "Corroborated".into(),
            rule: String::new(),
            sources: outlets.len(),
            url: format!("claims/c{id:03}/index.html"),
            outlets: outlets.to_vec(),
            dates: vec![],
            date_labels: vec![],
            mention_count: outlets.len(),
            conflicts: vec![],
        }
    }

    /// Every outlet's disagreements, as the sources page reads them, against a plain reading of
    /// the claims: per outlet, each disputed slot where it gives some of the values but not all
    /// of them, counted; the first [`DISAGREEMENTS_SHOWN`] with what it and the others say.
    #[test]
    fn each_outlet_disagrees_where_it_gives_some_values_of_a_slot_but_not_all() {
        use crate::model::{Conflict, ConflictValue, Mention, SourceKind, Strength};
        let mut seed = 7u64;
        let mut below = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let article = |i: usize, outlet: usize| Article {
            slug: format!("a{i:03}"),
            file: format!("a{i:03}.txt"),
            kind: SourceKind::Txt,
            meta: crate::model::Meta {
                source: Some(format!("Outlet {outlet:02}")),
                ..Default::default()
            },
            blocks: vec![],
            sentences: vec![],
            removed: vec![],
            raw: String::new(),
        };
        let articles: Vec<Article> = (0..60).map(|i| article(i, below(12))).collect();
        let claims: Vec<Claim> = (0..80)
            .map(|c| {
                let mut mentions: Vec<Mention> = (0..1 + below(20))
                    .map(|_| Mention {
                        article: below(articles.len()),
                        sentence: 0,
                    })
                    .collect();
                mentions.sort();
                mentions.dedup();
                // Each mention gives one of a few values of each disputed slot.
                let conflicts: Vec<Conflict> = (0..below(3))
                    .map(|k| {
                        let n = 2 + below(7);
                        let mut values: Vec<ConflictValue> = (0..n)
                            .map(|v| ConflictValue {
                                value: format!("v{v}"),
                                articles: vec![],
                                mentions: vec![],
                            })
                            .collect();
                        for &m in &mentions {
                            values[below(n)].mentions.push(m);
                        }
                        values.retain(|v| !v.mentions.is_empty());
                        Conflict {
                            slot: format!("slot {k}"),
                            values,
                            strength: Strength::Hard,
                        }
                    })
                    .filter(|k| k.values.len() >= 2)
                    .collect();
                Claim {
                    id: format!("c{c:03}"),
                    text: format!("claim {c}"),
                    verdict: if conflicts.is_empty() {
                        Verdict::SingleSource
                    } else {
                        Verdict::Conflicting
                    },
                    sources: 1,
                    mentions,
                    conflicts,
                    dates: vec![],
                    rule: String::new(),
                }
            })
            .collect();
        let config = SiteConfig::parse("title = \"t\"").unwrap();
        let views = Views::new(&config, &articles, &claims);
        let list = outlets(&articles, &claims, &views, true);
        let names: BTreeSet<&str> = articles.iter().map(|a| a.outlet()).collect();
        assert_eq!(list.len(), names.len());
        let (mut most, mut most_others) = (0, 0);
        for (o, name) in list.iter().zip(&names) {
            assert_eq!(o.name, *name);
            let gives = |v: &ConflictValue| {
                v.mentions
                    .iter()
                    .any(|m| articles[m.article].outlet() == *name)
            };
            let mut expected = Vec::new();
            for c in &claims {
                if !c
                    .mentions
                    .iter()
                    .any(|m| articles[m.article].outlet() == *name)
                {
                    continue;
                }
                for k in &c.conflicts {
                    let own: Vec<&str> = k
                        .values
                        .iter()
                        .filter(|v| gives(v))
                        .map(|v| v.value.as_str())
                        .collect();
                    let others: Vec<&str> = k
                        .values
                        .iter()
                        .filter(|v| !gives(v))
                        .map(|v| v.value.as_str())
                        .collect();
                    if !own.is_empty() && !others.is_empty() {
                        expected.push((c.id.as_str(), k.slot.as_str(), own, others));
                    }
                }
            }
            most = most.max(expected.len());
            assert_eq!(o.disagreement_count, expected.len(), "{name}");
            expected.truncate(DISAGREEMENTS_SHOWN);
            // Of each disagreement shown: the first other values, and how many there are.
            let expected: Vec<_> = expected
                .into_iter()
                .map(|(c, k, own, mut others)| {
                    let count = others.len();
                    most_others = most_others.max(count);
                    others.truncate(OTHERS_SHOWN);
                    (c, k, own, others, count)
                })
                .collect();
            let made: Vec<_> = o
                .disagreements
                .iter()
                .map(|d| {
                    (
                        d.claim.id.as_str(),
                        d.slot.as_str(),
                        d.own.iter().map(String::as_str).collect::<Vec<_>>(),
                        d.others
                            .iter()
                            .map(|v| v.value.as_str())
                            .collect::<Vec<_>>(),
                        d.others_count,
                    )
                })
                .collect();
            assert_eq!(made, expected, "{name}");
        }
        // Some outlet has more than are shown, and some point more other values, so the cuts
        // are tested too.
        assert!(most > DISAGREEMENTS_SHOWN, "{most}");
        assert!(most_others > OTHERS_SHOWN, "{most_others}");
    }

    #[test]
    fn an_outlets_section_counts_every_disagreement_though_it_is_handed_only_those_it_shows() {
        let names: Vec<String> = (0..9).map(|k| format!("Outlet {k}")).collect();
        let claims: Vec<ClaimSummary> = (0..30).map(|i| summary(i, &names)).collect();
        let values: Vec<ValueSummary> = (0..7)
            .map(|v| ValueSummary {
                value: format!("value {v}"),
                outlets: names.clone(),
            })
            .collect();
        let others: Vec<&ValueSummary> = values.iter().collect();
        let disagreements: Vec<DisagreementView> = claims
            .iter()
            .map(|c| DisagreementView {
                claim: c,
                slot: "number".into(),
                own: vec!["own value".into()],
                others: others.clone(),
                others_count: others.len(),
            })
            .collect();
        let o = OutletView {
            name: "The Outlet".into(),
            number: 1,
            articles: vec![],
            first_date: None,
            last_date: None,
            claims: 30,
            only: vec![],
            disputed_count: 0,
            disagreement_count: disagreements.len(),
            disagreements,
        };
        // What the templates get: the rows and values shown, and the counts of all of them.
        let json = serde_json::to_value(&o).unwrap();
        assert_eq!(json["disagreements"].as_array().unwrap().len(), 25);
        assert_eq!(json["disagreement_count"], 30);
        let d = &json["disagreements"][0];
        assert_eq!(d["others"].as_array().unwrap().len(), 5);
        assert_eq!(d["others_count"], 7);
        assert_eq!(d["others"][0]["outlets"].as_array().unwrap().len(), 6);
        assert_eq!(d["others"][0]["outlet_count"], 9);

        let tera = templates::load(std::path::Path::new("/nonexistent-templates")).unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("root", "../");
        ctx.insert("o", &o);
        let html = tera.render("__outlet_section.html", &ctx).unwrap();
        assert!(html.contains("disagrees on 30 points"), "{html}");
        assert_eq!(html.matches("<tr><td data-label=\"Claim\">").count(), 25);
        assert!(html.contains("5 more points of disagreement"), "{html}");
        assert!(html.contains("2 more values"), "{html}");
        assert!(
            html.contains("Outlet 4 and <a href=\"../claims/c000/index.html\">4 more</a>"),
            "{html}"
        );
    }

    #[test]
    fn the_matrix_keeps_the_most_reported_claims_and_the_outlets_reporting_most() {
        let names: Vec<String> = (0..60).map(|i| format!("outlet {i:02}")).collect();
        // Claim k is stated by outlets 0..=k+1 (so the later claims by more outlets).
        let claims: Vec<ClaimSummary> = (0..150)
            .map(|k| summary(k, &names[..(k % 59) + 2]))
            .collect();
        let views = Views {
            site: SiteView {
                title: String::new(),
                description: String::new(),
                base_url: String::new(),
                abs_url: String::new(),
                language: "en".into(),
            },
            stats: Stats {
                articles: 60,
                outlets: 60,
                sentences: 0,
                claims: claims.len(),
                corroborated: claims.len(),
                conflicting: 0,
                single_source: 0,
            },
            articles: vec![],
            claims,
        };
        let m = matrix(&views, &names);
        assert_eq!(m.total_rows, 150);
        assert_eq!(m.rows.len(), MATRIX_ROWS);
        assert_eq!(m.total_outlets, 60);
        assert_eq!(m.outlets.len(), MATRIX_OUTLETS);
        // The outlets stating the most claims are the first ones; columns stay in name order.
        assert_eq!(m.outlets, names[..MATRIX_OUTLETS].to_vec());
        // Most widely reported first; every row has one cell per column.
        assert!(m.rows[0].claim.outlets.len() >= m.rows[MATRIX_ROWS - 1].claim.outlets.len());
        assert!(m.rows.iter().all(|r| r.cells.len() == MATRIX_OUTLETS));
        // A small site keeps everything.
        let few = matrix(&views, &names[..5]);
        assert_eq!(few.outlets.len(), 5);
    }

    #[test]
    fn roots_are_relative() {
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("claims/c1/index.html"), "../../");
    }

    #[test]
    fn base_path_of_urls() {
        assert_eq!(base_path("https://example.org/brief"), "/brief/");
        assert_eq!(base_path("https://example.org"), "/");
        assert_eq!(base_path(""), "/");
    }

    #[test]
    fn dates_for_display() {
        assert_eq!(date_label("2015-11-30"), "30 Nov 2015");
        assert_eq!(date_label("12-01"), "1 Dec");
        assert_eq!(date_label("2015-13-01"), "2015-13-01");
        assert_eq!(date_label("soon"), "soon");
    }

    #[test]
    fn abs_url_has_one_slash() {
        assert_eq!(abs_url("https://x.org/b"), "https://x.org/b/");
        assert_eq!(abs_url("https://x.org/b//"), "https://x.org/b/");
        assert_eq!(abs_url(""), "");
    }
}
