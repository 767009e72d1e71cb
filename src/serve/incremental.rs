//! Incremental rebuilds: keep what each stage produced and redo only what an edit touched.
//!
//! - Files are re-read only when the watcher names them (or on a rescan); a file whose bytes
//!   hash the same as before changes nothing.
//! - Cleaning reads one corpus-wide signal, how many articles carry each line: an edit cleans
//!   the edited article and the articles holding a line whose count changed. Each article's
//!   own metadata, and its split into blocks and sentences, are kept by its clean version, so
//!   only articles cleaned again are split again; what the corpus decides of an article (its
//!   slug, an ambiguous date) is made again on every content change.
//! - Claims (matching, judging) are corpus-wide and redone whenever any article changed; a
//!   template or static edit re-renders with the cached analysis and never re-reads articles.
//! - Rendering skips every file whose inputs (a hash of the data its template reads) are the
//!   same as in the last written render; of the files rendered, only those whose bytes changed
//!   are written.

use super::problem::{self, Problem};
use crate::config::{Site, SiteConfig};
use crate::content::clean::CorpusLines;
use crate::content::dates::DateHit;
use crate::content::load::{display_path, load_bytes};
use crate::content::signals::fold;
use crate::model::{Cleaned, Line, Meta, Source, SourceKind};
use crate::render::pages::{Cancel, PageKeys, NEVER};
use crate::Analysis;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What changed on disk since the last rebuild.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Changed, created or removed paths inside the content folder.
    pub content: BTreeSet<PathBuf>,
    /// Walk the content folder again (a folder moved, or the watcher lost events).
    pub rescan: bool,
    pub templates: bool,
    pub statics: bool,
    pub config: bool,
}

impl Changes {
    /// Everything: the first build.
    pub fn all() -> Changes {
        Changes {
            rescan: true,
            templates: true,
            statics: true,
            config: false,
            content: BTreeSet::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.content.is_empty() && !self.rescan && !self.templates && !self.statics && !self.config
    }

    pub fn merge(&mut self, other: Changes) {
        self.content.extend(other.content);
        self.rescan |= other.rescan;
        self.templates |= other.templates;
        self.statics |= other.statics;
        self.config |= other.config;
    }
}

/// What a successful rebuild did.
#[derive(Debug, Default, Clone)]
pub struct Outcome {
    /// Nothing had changed (a read, or a save of the same bytes): nothing was done.
    pub unchanged: bool,
    /// The render was cancelled (a newer change came): the pages handed over first are all it
    /// made, nothing is to be written, and the next rebuild renders the rest with its own edit.
    pub superseded: bool,
    pub articles: usize,
    /// Articles whose per-article stages ran again (the rest came from the cache).
    pub prepared: usize,
    /// Whether matching and judging ran (false: the cached claims were reused).
    pub analysed: bool,
    /// Articles whose claim features were extracted again (the rest came from the cache).
    pub extracted: usize,
    /// Sentence pairs scored again and claims judged again (the rest were reused).
    pub rescored: usize,
    pub rejudged: usize,
    /// Pages open in a browser, rendered and handed over first (0: none were).
    pub first: usize,
    /// Files rendered again (the others' inputs had not changed).
    pub rendered: usize,
    pub written: usize,
    pub removed: usize,
    /// Time per stage, in order.
    pub timings: Vec<(&'static str, Duration)>,
    pub total: Duration,
    /// Notes for the user (skipped files), on the first build.
    pub notes: Vec<String>,
    /// The files to write and remove, when writes are deferred (see
    /// [`Incremental::defer_writes`]); `written` and `removed` count them.
    pub delta: Option<crate::output::Delta>,
}

impl Outcome {
    /// One line for the terminal.
    pub fn summary(&self) -> String {
        let ms = |d: Duration| format!("{:.1}", d.as_secs_f64() * 1000.0);
        let stages: Vec<String> = self
            .timings
            .iter()
            .map(|(n, d)| format!("{n} {}", ms(*d)))
            .collect();
        if self.superseded {
            return format!(
                "superseded after {} ms by a newer change: {} open page{} shown first, the rest of the site is left to the next rebuild [{}]",
                ms(self.total),
                self.first,
                if self.first == 1 { "" } else { "s" },
                stages.join(", ")
            );
        }
        format!(
            "rebuilt in {} ms: {} articles ({} re-split, {} re-extracted{}), {} files rendered{}, {} written, {} removed [{}]",
            ms(self.total),
            self.articles,
            self.prepared,
            self.extracted,
            if self.analysed {
                format!(
                    ", {} pairs re-scored, {} claims re-judged",
                    self.rescored, self.rejudged
                )
            } else {
                ", claims cached".to_string()
            },
            self.rendered,
            match self.first {
                0 => String::new(),
                n => format!(" ({n} open page{} first)", if n == 1 { "" } else { "s" }),
            },
            self.written,
            self.removed,
            stages.join(", ")
        )
    }
}

/// The pages open in a browser, rendered before the rest of a rebuild (see
/// [`Incremental::rebuild_showing`]).
pub struct First {
    pub pages: Vec<crate::render::OutputFile>,
    /// The static files' paths: the rebuild leaves them as they are.
    pub statics: std::collections::HashSet<String>,
}

/// Free `old` on another thread: the last rebuild's keys, fragments and analysis are tens of
/// thousands of allocations at N = 1,000, and freeing them is not worth making the reader wait.
/// If no thread can be had, `old` is dropped here, with the closure.
fn drop_later<T: Send + 'static>(old: T) {
    let _ = std::thread::Builder::new()
        .name("briefing-free".into())
        .spawn(move || drop(old));
}

/// An article's metadata on its own, and a date left for the corpus to settle.
type OwnMeta = (Meta, Option<DateHit>);

enum Status {
    Article,
    /// Not built (draft, empty, not .txt/.md): the note says why.
    Skipped(String),
    Broken(Problem),
}

struct CleanEntry {
    /// Hash of the file's bytes.
    hash: u64,
    /// Bumped each time the article is cleaned again: what its split and metadata are cached
    /// under (no need to hash the cleaned text on every rebuild).
    version: u64,
    /// The lines counted in the corpus (`.txt` only).
    lines: Option<Vec<Line>>,
    cleaned: Cleaned,
}

/// The distinct lines of an article as the corpus counts them (folded).
fn distinct_lines(lines: &[Line]) -> BTreeSet<String> {
    lines
        .iter()
        .map(|l| fold(&l.text))
        .filter(|t| !t.is_empty())
        .collect()
}

struct Entry {
    hash: u64,
    status: Status,
}

/// What the last analysis kept of one of its articles, beside the article: an article whose
/// clean version is unchanged is moved into the next analysis as it is, with its own metadata
/// (see `analyse`).
struct Kept {
    path: PathBuf,
    /// The clean version the article was split from.
    version: u64,
    /// Its slug before it is made unique (from its path alone).
    base: String,
    /// Its own metadata and ambiguous date, from that clean version.
    own: OwnMeta,
    /// Its own date, parsed once: ambiguous dates are settled against the median of these.
    date: Option<chrono::NaiveDate>,
    /// Its content key for the claim engine ([`crate::claims::text_key`]), from its sentences.
    text: u64,
}

/// The site being served and everything kept between rebuilds.
pub struct Incremental {
    site: Site,
    /// `base_url` to force (the local address), re-applied when `site.toml` is reloaded.
    base_url: String,
    output: PathBuf,
    entries: BTreeMap<PathBuf, Entry>,
    /// The articles to build, sorted by path (the order `load_dir` gives), and the hash of
    /// each one's bytes.
    sources: Vec<Source>,
    source_hashes: Vec<u64>,
    scan_problems: Vec<Problem>,
    /// Each article's cleaned text, with the hash of the bytes it was cleaned from.
    cleans: rustc_hash::FxHashMap<PathBuf, CleanEntry>,
    /// How many `.txt` articles carry each line (what the cleaner reads of the corpus).
    corpus: CorpusLines,
    /// Which articles carry each (folded) line: who to clean again when its count changes.
    holders: HashMap<String, BTreeSet<PathBuf>>,
    /// What was kept of each article of `analysis`, in its order (see [`Kept`]).
    kept: Vec<Kept>,
    /// The next clean version.
    next_version: u64,
    analysis: Option<Analysis>,
    /// What the claim engine derived from each article alone (features, shingles).
    claim_cache: crate::claims::Cache,
    tera: Option<tera::Tera>,
    statics: Option<BTreeMap<String, Vec<u8>>>,
    /// A hash of each file on disk from the last write (None: nothing written yet).
    written: Option<BTreeMap<String, u64>>,
    /// What each file of the last written render was made from (see `render_changed`).
    keys: PageKeys,
    content_dirty: bool,
    /// Something changed since the last successful write (or that write never happened).
    stale: bool,
    config_problem: Option<Problem>,
    /// Leave the changed files in [`Outcome::delta`] for the caller to write (see
    /// [`Incremental::defer_writes`]).
    defer_writes: bool,
}

impl Incremental {
    /// `site`'s `base_url` is replaced by `base_url`; the site is written into `output`.
    pub fn new(mut site: Site, base_url: String, output: PathBuf) -> Incremental {
        site.config.base_url = base_url.clone();
        Incremental {
            site,
            base_url,
            output,
            entries: BTreeMap::new(),
            sources: Vec::new(),
            source_hashes: Vec::new(),
            scan_problems: Vec::new(),
            cleans: Default::default(),
            corpus: CorpusLines::default(),
            holders: HashMap::new(),
            kept: Vec::new(),
            next_version: 0,
            analysis: None,
            claim_cache: crate::claims::Cache::default(),
            tera: None,
            statics: None,
            written: None,
            keys: PageKeys::new(),
            content_dirty: true,
            stale: true,
            config_problem: None,
            defer_writes: false,
        }
    }

    /// After the first build, leave each rebuild's changed files in [`Outcome::delta`] instead of
    /// writing them: `serve` answers requests from them at once, tells the pages to reload, then
    /// writes them with [`crate::output::apply`] (and calls [`Incremental::forget_written`] if
    /// that fails). The first build (and the one after a failed write) is written through
    /// `build`'s staging folder as before.
    pub fn defer_writes(&mut self, on: bool) {
        self.defer_writes = on;
    }

    /// Whether the next rebuild writes the whole site itself (through the staging folder), not
    /// only its changed files: the first one, and the one after a failed write.
    pub fn writes_everything(&self) -> bool {
        self.written.is_none()
    }

    /// What is on disk is no longer known file by file (a write failed): the next rebuild renders
    /// everything and writes it through a staging folder.
    pub fn forget_written(&mut self) {
        self.keys.clear();
        self.written = None;
        self.stale = true;
    }

    /// Work a rebuild leaves for after the reload: index the claims' judgements by key for the
    /// next rebuild, which takes the claims themselves back into the claim cache (no copy; see
    /// [`crate::claims::Cache::keep_owned`]). The next rebuild does it first if this was not
    /// called.
    pub fn finish(&mut self) {
        self.claim_cache.index();
    }

    pub fn site(&self) -> &Site {
        &self.site
    }

    pub fn output(&self) -> &Path {
        &self.output
    }

    /// Apply `changes` and rebuild. On error nothing is written: the last good site stays.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Outcome, Vec<Problem>> {
        self.rebuild_showing(changes, &BTreeSet::new(), &mut |_| {}, NEVER)
    }

    /// [`Incremental::rebuild`], but when only articles changed and writes are deferred, the
    /// pages at `open` (the files open pages show) are rendered first, as soon as the claims are
    /// judged, and handed to `first` before the rest of the site is rendered: the pages a reader
    /// is looking at can reload while the rest of the site is still being made. An open list page
    /// (the briefing, the claims list, the sources page) is made first too, from every claim's
    /// summary and the last render's fragments ([`crate::render::pages::render_list_pages`]).
    /// When no open page can be made (a page the site no longer has), `first` is not called.
    ///
    /// Once a site is on disk and writes are deferred, the render stops as soon as `cancel`
    /// says so (a newer change came): the outcome is then `superseded`, with nothing to write,
    /// and the next rebuild renders against the last finished render, so it makes what this
    /// one left along with its own edit. The pages handed to `first` are made again then and
    /// are part of its files to write, whatever they hold by then (the caller may drop them).
    pub fn rebuild_showing(
        &mut self,
        changes: &Changes,
        open: &BTreeSet<String>,
        first: &mut dyn FnMut(First),
        cancel: &Cancel<'_>,
    ) -> Result<Outcome, Vec<Problem>> {
        let start = Instant::now();
        let mut out = Outcome::default();
        let mut lap = Instant::now();
        let mut time = |name: &'static str, out: &mut Outcome| {
            out.timings.push((name, lap.elapsed()));
            lap = Instant::now();
        };
        let mut rescan = changes.rescan;
        if changes.config {
            self.reload_config();
            rescan = true;
        }
        if let Some(p) = &self.config_problem {
            return Err(vec![p.clone()]);
        }
        if changes.templates || changes.config {
            self.tera = None;
            // The page keys do not cover the templates' text.
            self.keys.clear();
        }
        if changes.statics || changes.config {
            self.statics = None;
        }
        if rescan {
            self.scan_content();
        } else {
            for p in &changes.content {
                if !self.update_path(p) {
                    self.scan_content();
                    break;
                }
            }
        }
        time("read", &mut out);
        if changes.templates || changes.statics || changes.config || self.content_dirty {
            self.stale = true;
        }
        if !self.stale {
            // Only reads, or a save with the same bytes: nothing to do.
            out.total = start.elapsed();
            out.unchanged = true;
            return Ok(out);
        }
        let mut problems = self.scan_problems.clone();
        problems.extend(self.entries.values().filter_map(|e| match &e.status {
            Status::Broken(p) => Some(p.clone()),
            _ => None,
        }));
        if !problems.is_empty() {
            return Err(problems);
        }
        if self.tera.is_none() {
            let tera = crate::render::templates::load(&self.site.templates_dir)
                .map_err(|e| vec![Problem::from_template_error(&e, &self.site)])?;
            self.tera = Some(tera);
            time("templates", &mut out);
        }
        if self.statics.is_none() {
            let statics = crate::static_files(&self.site)
                .map_err(|e| vec![Problem::new(None, None, format!("{e:#}"))])?;
            self.statics = Some(statics);
        }
        let analysed = self.content_dirty || self.analysis.is_none();
        if analysed {
            self.analyse(&mut out, &mut time);
        }
        let analysis = self.analysis.as_ref().expect("analysed above");
        out.articles = analysis.articles.len();
        let tera = self.tera.as_ref().expect("loaded above");
        let statics = self.statics.as_ref().expect("loaded above");
        let only_articles = !(changes.templates || changes.statics || changes.config);
        let early = analysed && only_articles && self.defer_writes && self.written.is_some();
        // The paths of the pages handed over first.
        let mut held: Vec<String> = Vec::new();
        if early && !open.is_empty() {
            // A page error here shows again in the full render below. Pages of one article or
            // claim first (the cheapest), then list pages, which read every claim's summary and
            // the last render's fragments.
            let (config, articles, claims) =
                (&self.site.config, &analysis.articles, &analysis.claims);
            let mut pages =
                crate::render::pages::render_pages(tera, config, articles, claims, open)
                    .unwrap_or_default();
            pages.extend(
                crate::render::pages::render_list_pages(
                    tera, config, articles, claims, &self.keys, open,
                )
                .unwrap_or_default(),
            );
            if !pages.is_empty() {
                time("open pages", &mut out);
                out.first = pages.len();
                held = pages.iter().map(|p| p.path.clone()).collect();
                first(First {
                    pages,
                    statics: statics.keys().cloned().collect(),
                });
            }
        }
        let empty = PageKeys::new();
        let previous = if self.written.is_some() {
            &self.keys
        } else {
            &empty
        };
        // Only a render whose files are handed back may stop early: a first build, or one
        // written here, goes to the end.
        let cancel = if self.defer_writes && self.written.is_some() {
            cancel
        } else {
            NEVER
        };
        let rendered =
            match crate::render_changed(&self.site, tera, statics, analysis, previous, cancel) {
                Ok(r) => r,
                Err(e) if e.downcast_ref::<crate::render::Cancelled>().is_some() => {
                    // The pages handed over first show a site that is never written: the next
                    // render makes them again, and its write includes them even when their
                    // bytes are back to those on disk (the caller holds this rebuild's).
                    // (A page already forgotten by a rebuild superseded since the last finished
                    // render is marked already.)
                    for path in &held {
                        if !self.keys.forget(path) {
                            continue;
                        }
                        if let Some(h) = self.written.as_mut().and_then(|w| w.get_mut(path)) {
                            *h = !*h;
                        }
                    }
                    time("render", &mut out);
                    out.superseded = true;
                    out.total = start.elapsed();
                    return Ok(out);
                }
                Err(e) => return Err(vec![Problem::from_template_error(&e, &self.site)]),
            };
        out.rendered = rendered.files.len();
        if std::env::var_os("BRIEFING_RENDER_TIMES").is_some() {
            // Where the render's time goes (bench/serve.py --render-times shows it).
            let parts: Vec<String> = rendered
                .timings
                .iter()
                .map(|(n, d)| format!("{n} {:.1}", d.as_secs_f64() * 1000.0))
                .collect();
            eprintln!("render: [{}]", parts.join(", "));
        }
        time("render", &mut out);
        let site = &rendered.keys;
        let written = match &mut self.written {
            Some(previous) => {
                crate::output::plan_changes(rendered.files, &|p| site.contains_key(p), previous)
                    .and_then(|delta| {
                        let stats = delta.stats();
                        if self.defer_writes {
                            out.delta = Some(delta);
                            Ok(stats)
                        } else {
                            crate::output::apply(&self.output, &delta)
                        }
                    })
            }
            None => crate::output::write_site(&self.output, &rendered.files).map(|()| {
                let n = rendered.files.len();
                self.written = Some(
                    rendered
                        .files
                        .iter()
                        .map(|f| (f.path.clone(), crate::output::content_hash(&f.bytes)))
                        .collect(),
                );
                crate::output::WriteStats {
                    written: n,
                    removed: 0,
                }
            }),
        }
        .map_err(|e| {
            // What is on disk is no longer known page by page: render everything next time.
            self.forget_written();
            vec![Problem::new(None, None, format!("{e:#}"))]
        })?;
        drop_later(std::mem::replace(&mut self.keys, rendered.keys));
        time(if self.defer_writes { "plan" } else { "write" }, &mut out);
        self.stale = false;
        out.written = written.written;
        out.removed = written.removed;
        out.total = start.elapsed();
        out.notes = self
            .entries
            .values()
            .filter_map(|e| match &e.status {
                Status::Skipped(n) => Some(n.clone()),
                _ => None,
            })
            .collect();
        Ok(out)
    }

    /// Clean and metadata (whole corpus), split (cached per article), claims (whole corpus).
    fn analyse(&mut self, out: &mut Outcome, time: &mut impl FnMut(&'static str, &mut Outcome)) {
        self.finish();
        let versions = self.clean();
        time("clean", out);
        // The last analysis's articles with what was kept of each, in path order as the
        // sources are (none after `site.toml` changed: the slugs' bases may have moved with the
        // content folder). Its claims go back to the claim cache, to be reused.
        let (old_kept, old_articles) = match self.analysis.take() {
            Some(Analysis {
                articles, claims, ..
            }) => {
                self.claim_cache.keep_owned(claims);
                (std::mem::take(&mut self.kept), articles)
            }
            None => (Vec::new(), Vec::new()),
        };
        let mut old = old_kept.into_iter().zip(old_articles).peekable();
        // Metadata: each article's own part kept by its clean version (made again for the
        // articles cleaned again); the ambiguous dates settled against the corpus every time.
        let mut kept: Vec<Kept> = Vec::with_capacity(self.sources.len());
        let mut reusable: Vec<Option<crate::model::Article>> =
            Vec::with_capacity(self.sources.len());
        let mut gone = Vec::new();
        for (source, &version) in self.sources.iter().zip(&versions) {
            // The articles at paths before this one are no longer in the corpus.
            while let Some((_, a)) = old.next_if(|(k, _)| k.path < source.path) {
                gone.push(a);
            }
            let own =
                || crate::content::meta::extract_own(source, &self.cleans[&source.path].cleaned);
            let (k, article) = match old.next_if(|(k, _)| k.path == source.path) {
                Some((k, a)) if k.version == version => (k, Some(a)),
                Some((k, a)) => {
                    gone.push(a);
                    let own = own();
                    let date = crate::content::meta::own_date(&own.0);
                    let k = Kept {
                        version,
                        own,
                        date,
                        ..k
                    };
                    (k, None)
                }
                None => {
                    let own = own();
                    let k = Kept {
                        path: source.path.clone(),
                        version,
                        base: crate::base_slug(&source.path, &self.site.content_dir),
                        date: crate::content::meta::own_date(&own.0),
                        own,
                        text: 0, // set once split, below
                    };
                    (k, None)
                }
            };
            kept.push(k);
            reusable.push(article);
        }
        gone.extend(old.map(|(_, a)| a));
        drop_later(gone);
        let median = if kept.iter().any(|k| k.own.1.is_some()) {
            crate::content::meta::median_date(kept.iter().filter_map(|k| k.date).collect())
        } else {
            None
        };
        time("meta", out);
        // Split and assemble: an article whose clean version is the same as last time keeps its
        // blocks, sentences, removed lines and text, and its metadata (made from the same own
        // metadata, its ambiguous date settled again); its slug is made again (it depends on
        // the corpus). The result is what `crate::assemble` gives.
        let mut slugs: rustc_hash::FxHashSet<String> =
            rustc_hash::FxHashSet::with_capacity_and_hasher(kept.len(), Default::default());
        let mut articles = Vec::with_capacity(self.sources.len());
        for ((source, k), before) in self.sources.iter().zip(&mut kept).zip(reusable) {
            let slug = crate::take_slug(&k.base, |s| slugs.insert(s.to_string()));
            let date = k
                .own
                .1
                .as_ref()
                .map(|hit| crate::content::meta::settle_date(hit, median));
            let article = match before {
                Some(mut a) => {
                    if a.slug != slug {
                        a.slug = slug;
                    }
                    if let Some(date) = date {
                        a.meta.date = date;
                    }
                    if a.file != source.file {
                        a.file.clone_from(&source.file);
                    }
                    a
                }
                None => {
                    out.prepared += 1;
                    let mut meta = k.own.0.clone();
                    if let Some(date) = date {
                        meta.date = date;
                    }
                    let cleaned = &self.cleans[&source.path].cleaned;
                    let a =
                        crate::article(source, cleaned, slug, meta, crate::split(source, cleaned));
                    k.text = crate::claims::text_key(&a);
                    a
                }
            };
            articles.push(article);
        }
        // A kept article's sentences are the ones its content key was taken from.
        let text_keys: Vec<u64> = kept.iter().map(|k| k.text).collect();
        self.kept = kept;
        time("split", out);
        let claims =
            crate::claims::analyse_cached_keyed(&articles, text_keys, &mut self.claim_cache);
        out.extracted = self.claim_cache.extracted;
        out.rescored = self.claim_cache.pairs.scored;
        out.rejudged = self.claim_cache.judged.judged;
        time("claims", out);
        out.analysed = true;
        self.analysis = Some(Analysis {
            articles,
            claims,
            notes: Vec::new(),
        });
        self.content_dirty = false;
    }

    /// Clean what an edit touched: the articles whose bytes changed, and the articles holding a
    /// line whose corpus count changed (the only corpus-wide signal the cleaner reads). The
    /// result is what `clean_corpus` gives for the whole corpus.
    /// Returns each article's clean version (the cleaned text stays in `cleans`).
    fn clean(&mut self) -> Vec<u64> {
        // One look-up per article: its entry is current when its bytes hash the same. The
        // others are cleaned anew; their old entries (and those of files gone) leave.
        let mut versions = vec![0; self.sources.len()];
        let mut anew: Vec<usize> = Vec::new();
        let mut gone: Vec<PathBuf> = Vec::new();
        for (i, (s, &hash)) in self.sources.iter().zip(&self.source_hashes).enumerate() {
            match self.cleans.get(&s.path) {
                Some(c) if c.hash == hash => versions[i] = c.version,
                Some(_) => {
                    gone.push(s.path.clone());
                    anew.push(i);
                }
                None => anew.push(i),
            }
        }
        if self.cleans.len() > self.sources.len() - anew.len() + gone.len() {
            // Entries of files no longer in the corpus.
            let paths: rustc_hash::FxHashSet<&Path> =
                self.sources.iter().map(|s| s.path.as_path()).collect();
            gone.extend(
                self.cleans
                    .keys()
                    .filter(|p| !paths.contains(p.as_path()))
                    .cloned(),
            );
        }
        let mut delta: HashMap<String, i64> = HashMap::new();
        for p in gone {
            let c = self.cleans.remove(&p).expect("listed above");
            if let Some(lines) = &c.lines {
                self.corpus.remove(lines);
                for k in distinct_lines(lines) {
                    *delta.entry(k.clone()).or_default() -= 1;
                    if let Some(h) = self.holders.get_mut(&k) {
                        h.remove(&p);
                        if h.is_empty() {
                            self.holders.remove(&k);
                        }
                    }
                }
            }
        }
        for &i in &anew {
            let s = &self.sources[i];
            if s.kind != SourceKind::Txt {
                continue;
            }
            self.corpus.add(&s.lines);
            for k in distinct_lines(&s.lines) {
                *delta.entry(k.clone()).or_default() += 1;
                self.holders.entry(k).or_default().insert(s.path.clone());
            }
        }
        let mut affected: BTreeSet<PathBuf> = BTreeSet::new();
        for (k, d) in delta {
            if d != 0 {
                if let Some(h) = self.holders.get(&k) {
                    affected.extend(h.iter().cloned());
                }
            }
        }
        // Cleaned again, in the sources' order: the new articles and the affected ones.
        let mut again = anew;
        again.extend(affected.iter().filter_map(|p| {
            self.sources
                .binary_search_by(|s| s.path.as_path().cmp(p))
                .ok()
        }));
        again.sort_unstable();
        again.dedup();
        let keep = &self.site.config.keep;
        for i in again {
            let s = &self.sources[i];
            let cleaned = crate::content::clean::clean_source(s, keep, &self.corpus);
            let version = self.next_version;
            self.next_version += 1;
            match self.cleans.get_mut(&s.path) {
                Some(c) => {
                    c.cleaned = cleaned;
                    c.version = version;
                }
                None => {
                    let lines = (s.kind == SourceKind::Txt).then(|| s.lines.clone());
                    let hash = self.source_hashes[i];
                    self.cleans.insert(
                        s.path.clone(),
                        CleanEntry {
                            hash,
                            version,
                            lines,
                            cleaned,
                        },
                    );
                }
            }
            versions[i] = version;
        }
        versions
    }

    /// Re-read `site.toml`. A broken one is kept as a problem until the next good save.
    fn reload_config(&mut self) {
        let path = self.site.config_path.clone();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                self.config_problem = Some(problem::at(&path, &self.site, None, e.to_string()));
                return;
            }
        };
        match SiteConfig::parse(&text) {
            Ok(mut config) => {
                config.base_url = self.base_url.clone();
                self.site = Site::from_config(config, self.site.root.clone(), path);
                self.config_problem = None;
                self.analysis = None;
                // The site's `keep` list may have changed: clean everything again.
                self.cleans.clear();
                self.corpus = CorpusLines::default();
                self.holders.clear();
                self.content_dirty = true;
            }
            Err(e) => {
                let line = e.span().map(|s| problem::line_of(&text, s.start));
                self.config_problem = Some(problem::at(
                    &path,
                    &self.site,
                    line,
                    e.message().trim_end().to_string(),
                ));
            }
        }
    }

    /// Walk the content folder again; re-read files whose bytes changed.
    fn scan_content(&mut self) {
        self.scan_problems.clear();
        let dir = self.site.content_dir.clone();
        if !dir.is_dir() {
            self.scan_problems.push(problem::at(
                &dir,
                &self.site,
                None,
                "content folder does not exist",
            ));
            return;
        }
        let mut found = BTreeSet::new();
        let output = self.output.clone();
        let walker = walkdir::WalkDir::new(&dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0
                    || !(e.file_name().to_string_lossy().starts_with('.') || e.path() == output)
            });
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    found.insert(e.path().to_path_buf());
                }
                Ok(_) => {}
                Err(e) => {
                    let p = e.path().unwrap_or(&dir).to_path_buf();
                    self.scan_problems.push(problem::at(
                        &p,
                        &self.site,
                        None,
                        format!("cannot read: {e}"),
                    ));
                }
            }
        }
        let gone: Vec<PathBuf> = self
            .entries
            .keys()
            .filter(|p| !found.contains(*p))
            .cloned()
            .collect();
        for p in gone {
            self.forget(&p);
        }
        for p in found {
            self.read_file(&p);
        }
    }

    /// One changed path. False when it needs a full rescan (a folder appeared).
    fn update_path(&mut self, path: &Path) -> bool {
        let rel = path.strip_prefix(&self.site.content_dir).unwrap_or(path);
        if rel
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        {
            return true; // hidden, as `load_dir` skips them (editor swap and temp files)
        }
        if path.starts_with(&self.output) {
            return true; // our own output inside the content folder
        }
        if path.is_dir() {
            return false;
        }
        if path.is_file() {
            self.read_file(path);
        } else {
            // Gone: the file, or a folder with everything under it.
            let gone: Vec<PathBuf> = self
                .entries
                .keys()
                .filter(|p| p.starts_with(path))
                .cloned()
                .collect();
            for p in gone {
                self.forget(&p);
            }
        }
        true
    }

    fn forget(&mut self, path: &Path) {
        if let Some(e) = self.entries.remove(path) {
            if matches!(e.status, Status::Article) {
                if let Ok(i) = self
                    .sources
                    .binary_search_by(|s| s.path.as_path().cmp(path))
                {
                    self.sources.remove(i);
                    self.source_hashes.remove(i);
                }
                self.content_dirty = true;
            }
        }
    }

    fn read_file(&mut self, path: &Path) {
        let shown = display_path(path, &self.site.root);
        let kind = match path.extension().and_then(|e| e.to_str()) {
            Some("txt") => SourceKind::Txt,
            Some("md") => SourceKind::Md,
            _ => {
                let note = format!("{shown}: ignored (not .txt or .md)");
                self.set(path, 0, Status::Skipped(note), None);
                return;
            }
        };
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                self.forget(path);
                return;
            }
            Err(e) => {
                let p = problem::at(path, &self.site, None, format!("cannot read: {e}"));
                self.set(path, 0, Status::Broken(p), None);
                return;
            }
        };
        let mut h = DefaultHasher::new();
        bytes.hash(&mut h);
        let hash = h.finish();
        if self.entries.get(path).is_some_and(|e| e.hash == hash) {
            return;
        }
        match load_bytes(path, &shown, kind, &bytes) {
            Ok(Some(s)) if s.front.draft => {
                let note = format!("{shown}: skipped (draft = true)");
                self.set(path, hash, Status::Skipped(note), None)
            }
            Ok(Some(s)) => self.set(path, hash, Status::Article, Some(s)),
            Ok(None) => {
                let note = format!("{shown}: skipped (empty file)");
                self.set(path, hash, Status::Skipped(note), None)
            }
            Err(e) => {
                let p = Problem::from_input(&e, &self.site);
                self.set(path, hash, Status::Broken(p), None)
            }
        }
    }

    fn set(&mut self, path: &Path, hash: u64, status: Status, source: Option<Source>) {
        let was_article = self
            .entries
            .get(path)
            .is_some_and(|e| matches!(e.status, Status::Article));
        let pos = self
            .sources
            .binary_search_by(|s| s.path.as_path().cmp(path));
        match (source, pos) {
            (Some(s), Ok(i)) => {
                self.sources[i] = s;
                self.source_hashes[i] = hash;
            }
            (Some(s), Err(i)) => {
                self.sources.insert(i, s);
                self.source_hashes.insert(i, hash);
            }
            (None, Ok(i)) => {
                self.sources.remove(i);
                self.source_hashes.remove(i);
            }
            (None, Err(_)) => {}
        }
        if was_article || matches!(status, Status::Article) {
            self.content_dirty = true;
        }
        self.entries
            .insert(path.to_path_buf(), Entry { hash, status });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An article with `extra` (a short line) between two paragraphs.
    fn article(extra: &str, body: &str) -> String {
        format!(
            "Home News Sport Weather\nThe council said on Monday that the new bridge over the river would open to traffic next spring after two years of work.\n{extra}\n{body}\nShare this article\n"
        )
    }

    /// Per article: everything it holds (slug, metadata, blocks, sentences, removed lines,
    /// text), as its debug form.
    type Seen = Vec<String>;

    fn seen(articles: &[crate::model::Article]) -> Seen {
        articles.iter().map(|a| format!("{a:?}")).collect()
    }

    /// What a full analysis gives.
    fn full(site: &Site) -> Seen {
        seen(&crate::analyse(site).unwrap().articles)
    }

    fn served(inc: &Incremental) -> Seen {
        seen(&inc.analysis.as_ref().unwrap().articles)
    }

    /// A site in `root` (its `site.toml`), with an empty content folder, returned.
    fn site_in(root: &Path) -> PathBuf {
        std::fs::write(
            root.join("site.toml"),
            "title = \"t\"\ncontent_dir = \"content\"\n",
        )
        .unwrap();
        let content = root.join("content");
        std::fs::create_dir(&content).unwrap();
        content
    }

    #[test]
    fn cleaning_after_edits_matches_a_full_clean() {
        let tmp = tempfile::tempdir().unwrap();
        let (root, content) = (tmp.path(), site_in(tmp.path()));
        // Short and not a sentence: kept in one article, dropped once several articles carry it.
        let menu = "Bridge works in pictures";
        let body = "Officials said the project cost 40 million dollars, more than first planned.";
        for (name, m) in [("a", menu), ("b", "Traffic"), ("c", "Weather")] {
            std::fs::write(content.join(format!("{name}.txt")), article(m, body)).unwrap();
        }
        let site = Site::load(&root.join("site.toml")).unwrap();
        let mut inc = Incremental::new(site.clone(), String::new(), root.join("public"));
        inc.rebuild(&Changes::all()).unwrap();
        assert_eq!(served(&inc), full(&site));

        // c takes the line a carries: its count changes, so a is cleaned again too; then a
        // drops it (c again), then b takes it.
        let steps = [("c", menu), ("a", "Traffic"), ("b", menu)];
        for (name, m) in steps {
            let path = content.join(format!("{name}.txt"));
            std::fs::write(&path, article(m, body)).unwrap();
            let changes = Changes {
                content: [path].into_iter().collect(),
                ..Changes::default()
            };
            inc.rebuild(&changes).unwrap();
            assert_eq!(served(&inc), full(&site), "after editing {name}");
        }
        // A file removed: its lines no longer count.
        let gone = content.join("c.txt");
        std::fs::remove_file(&gone).unwrap();
        let changes = Changes {
            content: [gone].into_iter().collect(),
            ..Changes::default()
        };
        inc.rebuild(&changes).unwrap();
        assert_eq!(served(&inc), full(&site));
    }

    /// Articles not cleaned again keep their split and metadata, but what the corpus decides
    /// of them is made again: a date that reads two ways follows the other articles' dates,
    /// and a slug taken by another file goes back to its base once that file is gone.
    #[test]
    fn kept_articles_follow_the_corpus_in_dates_and_slugs() {
        let tmp = tempfile::tempdir().unwrap();
        let (root, content) = (tmp.path(), site_in(tmp.path()));
        let body = "Officials said the project cost 40 million dollars, more than first planned.";
        let dated =
            |date: &str| format!("+++\ndate = \"{date}\"\n+++\n{}", article("Traffic", body));
        let ambiguous = format!("Published 09/07/2024\n{}", article("Weather", body));
        let files = [
            ("a.txt", ambiguous),
            ("b.txt", dated("2024-07-08")),
            ("x y.txt", article("Sport", body)),
            ("x-y.txt", article("Letters", body)),
        ];
        for (name, text) in &files {
            std::fs::write(content.join(name), text).unwrap();
        }
        let site = Site::load(&root.join("site.toml")).unwrap();
        let mut inc = Incremental::new(site.clone(), String::new(), root.join("public"));
        inc.rebuild(&Changes::all()).unwrap();
        assert_eq!(served(&inc), full(&site));
        let of = |inc: &Incremental, file: &str| {
            let a = inc.analysis.as_ref().unwrap();
            let a = a.articles.iter().find(|a| a.file.ends_with(file)).unwrap();
            (a.slug.clone(), a.meta.date.clone())
        };
        assert_eq!(of(&inc, "a.txt").1.as_deref(), Some("2024-07-09"));
        assert_eq!(of(&inc, "x-y.txt").0, "x-y-2");

        // b's date moves: a's reading follows, though a is not cleaned again.
        let b = content.join("b.txt");
        std::fs::write(&b, dated("2024-09-06")).unwrap();
        let o = inc
            .rebuild(&Changes {
                content: [b].into_iter().collect(),
                ..Changes::default()
            })
            .unwrap();
        assert_eq!(o.prepared, 1);
        assert_eq!(served(&inc), full(&site));
        assert_eq!(of(&inc, "a.txt").1.as_deref(), Some("2024-09-07"));

        // The file whose slug x-y.txt could not take goes.
        let gone = content.join("x y.txt");
        std::fs::remove_file(&gone).unwrap();
        inc.rebuild(&Changes {
            content: [gone].into_iter().collect(),
            ..Changes::default()
        })
        .unwrap();
        assert_eq!(served(&inc), full(&site));
        assert_eq!(of(&inc, "x-y.txt").0, "x-y");
    }

    #[test]
    fn deferred_writes_leave_the_changed_files_to_the_caller() {
        let tmp = tempfile::tempdir().unwrap();
        let (root, content) = (tmp.path(), site_in(tmp.path()));
        let a = content.join("a.txt");
        std::fs::write(
            &a,
            "The ferry to Holm was cancelled on Monday after a storm.\n",
        )
        .unwrap();
        let site = Site::load(&root.join("site.toml")).unwrap();
        let out = root.join("public");
        let mut inc = Incremental::new(site, String::new(), out.clone());
        inc.defer_writes(true);
        // The first build is written at once (staging + swap).
        let first = inc.rebuild(&Changes::all()).unwrap();
        assert!(first.delta.is_none());
        let page = out.join("articles/a/index.html");
        assert!(std::fs::read_to_string(&page).unwrap().contains("Monday"));

        std::fs::write(
            &a,
            "The ferry to Holm was cancelled on Tuesday after a storm.\n",
        )
        .unwrap();
        let edit = Changes {
            content: [a.clone()].into_iter().collect(),
            ..Changes::default()
        };
        let o = inc.rebuild(&edit).unwrap();
        let delta = o.delta.expect("deferred");
        assert_eq!(o.written, delta.files.len());
        let (_, bytes) = delta
            .files
            .iter()
            .find(|(p, _)| p == "articles/a/index.html")
            .expect("the edited page is in the delta");
        assert!(String::from_utf8_lossy(bytes).contains("Tuesday"));
        // Not on disk until the caller writes it.
        assert!(std::fs::read_to_string(&page).unwrap().contains("Monday"));
        crate::output::apply(&out, &delta).unwrap();
        assert!(std::fs::read_to_string(&page).unwrap().contains("Tuesday"));

        // After a failed write nothing on disk is trusted: the next rebuild writes everything
        // through the staging folder (no delta), even with no new edit.
        std::fs::write(&page, "damaged").unwrap();
        inc.forget_written();
        let o = inc.rebuild(&Changes::default()).unwrap();
        assert!(o.delta.is_none() && !o.unchanged);
        assert!(std::fs::read_to_string(&page).unwrap().contains("Tuesday"));
    }

    /// Every file under `dir`, by its `/`-separated path.
    fn files_in(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap();
                let rel = rel.to_string_lossy().replace('\\', "/");
                (rel, std::fs::read(e.path()).unwrap())
            })
            .collect()
    }

    #[test]
    fn a_superseded_render_leaves_its_pages_and_the_rest_to_the_next_rebuild() {
        let tmp = tempfile::tempdir().unwrap();
        let (root, content) = (tmp.path(), site_in(tmp.path()));
        let (a, b) = (content.join("a.txt"), content.join("b.txt"));
        let monday =
            "The ferry to Holm was cancelled on Monday after a storm, the operator said.\n";
        std::fs::write(&a, monday).unwrap();
        std::fs::write(
            &b,
            "The Holm ferry was cancelled on Monday after a storm, its operator said.\n",
        )
        .unwrap();
        let site = Site::load(&root.join("site.toml")).unwrap();
        let out = root.join("public");
        let mut inc = Incremental::new(site.clone(), String::new(), out.clone());
        inc.defer_writes(true);
        // A first build goes to the end whatever `cancel` says: it is the site on disk.
        let first = inc
            .rebuild_showing(&Changes::all(), &BTreeSet::new(), &mut |_| {}, &|| true)
            .unwrap();
        assert!(!first.superseded && first.delta.is_none());
        let before = files_in(&out);
        let page = "articles/a/index.html";
        let open: BTreeSet<String> = [page.to_string()].into_iter().collect();
        let edit = Changes {
            content: [a.clone()].into_iter().collect(),
            ..Changes::default()
        };
        let shown = |inc: &mut Incremental, cancel: &Cancel| {
            let mut pages = Vec::new();
            let o = inc
                .rebuild_showing(&edit, &open, &mut |f| pages = f.pages, cancel)
                .unwrap();
            (o, pages)
        };

        // Edit 1 is shown on the open page, then a newer change stops the rest of its render:
        // nothing to write, and the next rebuild is not "unchanged" even with no new bytes.
        std::fs::write(&a, monday.replace("Monday", "Tuesday")).unwrap();
        let (o, pages) = shown(&mut inc, &|| true);
        assert!(o.superseded && o.delta.is_none() && o.first == 1);
        assert!(String::from_utf8_lossy(&pages[0].bytes).contains("Tuesday"));
        assert_eq!(files_in(&out), before, "nothing is written");

        // Edit 2 is superseded too (the page was marked once: a second mark must not undo it).
        std::fs::write(&a, monday.replace("Monday", "Thursday")).unwrap();
        let (o, pages) = shown(&mut inc, &|| true);
        assert!(o.superseded && String::from_utf8_lossy(&pages[0].bytes).contains("Thursday"));

        // Edit 3 puts the old text back. The open page shows it, and it is among the files to
        // write (it replaces the page the superseded rebuilds held), though its bytes are those
        // on disk; after the write the folder is exactly the first build's.
        std::fs::write(&a, monday).unwrap();
        let (o, pages) = shown(&mut inc, NEVER);
        assert!(!o.superseded);
        assert!(String::from_utf8_lossy(&pages[0].bytes).contains("Monday"));
        let delta = o.delta.expect("deferred");
        let (_, bytes) = delta
            .files
            .iter()
            .find(|(p, _)| p == page)
            .expect("the page held first is written again");
        assert_eq!(bytes.as_slice(), before[page].as_slice());
        crate::output::apply(&out, &delta).unwrap();
        assert_eq!(files_in(&out), before);

        // Superseded again, then a third text: the next rebuild renders what the superseded
        // one left (every file edit 1 changed) with its own edit, and the folder equals a
        // fresh build of the final text.
        std::fs::write(&a, monday.replace("Monday", "Tuesday")).unwrap();
        assert!(shown(&mut inc, &|| true).0.superseded);
        std::fs::write(&a, monday.replace("Monday", "Wednesday")).unwrap();
        let (o, _) = shown(&mut inc, NEVER);
        crate::output::apply(&out, &o.delta.expect("deferred")).unwrap();
        let (fresh, mut plain) = (root.join("fresh"), site.clone());
        plain.config.base_url = String::new(); // as `inc` has it
        crate::build(&plain, &fresh).unwrap();
        assert_eq!(files_in(&out), files_in(&fresh));
        assert!(String::from_utf8_lossy(&files_in(&out)[page]).contains("Wednesday"));
        // Stale is cleared: nothing left to do.
        assert!(inc.rebuild(&Changes::default()).unwrap().unchanged);
    }

    fn claims_json(claims: &[crate::model::Claim]) -> String {
        format!("{claims:?}")
    }

    #[test]
    fn claims_after_edits_match_a_full_analysis() {
        let tmp = tempfile::tempdir().unwrap();
        let (root, content) = (tmp.path(), site_in(tmp.path()));
        let texts = [
            ("a", "The Northwind Secure Mail service was breached on Monday, exposing 4,000 accounts.\nEngineers restored the service by Tuesday evening, the company said."),
            ("b", "A breach of NSM on Monday exposed 4,000 accounts.\nThe company said engineers restored the service on Tuesday evening."),
            ("c", "Hackers breached NSM on Monday and exposed about 4,000 accounts.\nRegulators in Ohio opened an inquiry into the breach."),
            ("d", "Ohio regulators opened an inquiry into the Northwind breach.\nThe breach exposed 4,000 accounts on Monday."),
        ];
        for (name, text) in texts {
            std::fs::write(content.join(format!("{name}.txt")), format!("{text}\n")).unwrap();
        }
        let site = Site::load(&root.join("site.toml")).unwrap();
        let mut inc = Incremental::new(site.clone(), String::new(), root.join("public"));
        inc.rebuild(&Changes::all()).unwrap();
        let full_claims = |site: &Site| claims_json(&crate::analyse(site).unwrap().claims);
        let served_claims = |inc: &Incremental| claims_json(&inc.analysis.as_ref().unwrap().claims);
        assert_eq!(served_claims(&inc), full_claims(&site));
        assert!(!inc.analysis.as_ref().unwrap().claims.is_empty());

        // A figure changes (one article extracted again), then an acronym is defined (its
        // expansion reaches every article: all extracted again), then an article goes.
        let steps = [
            ("b", "A breach of NSM on Monday exposed 6,000 accounts.\nThe company said engineers restored the service on Tuesday evening.", Some(1)),
            ("a", "The Northwind Secure Mail (NSM) service was breached on Monday, exposing 4,000 accounts.\nEngineers restored the service by Tuesday evening, the company said.", Some(4)),
            ("d", "Ohio regulators opened an inquiry into the Northwind breach on Wednesday.\nThe breach exposed 4,000 accounts on Monday.", Some(1)),
            ("c", "", None),
        ];
        for (name, text, extracted) in steps {
            let path = content.join(format!("{name}.txt"));
            if extracted.is_some() {
                std::fs::write(&path, format!("{text}\n")).unwrap();
            } else {
                std::fs::remove_file(&path).unwrap();
            }
            let changes = Changes {
                content: [path].into_iter().collect(),
                ..Changes::default()
            };
            let out = inc.rebuild(&changes).unwrap();
            assert_eq!(
                served_claims(&inc),
                full_claims(&site),
                "after editing {name}"
            );
            if let Some(n) = extracted {
                assert_eq!(out.extracted, n, "after editing {name}");
            }
        }
    }
}
