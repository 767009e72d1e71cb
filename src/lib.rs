//! briefing: turn a folder of news articles about one story into a fact-checked briefing site.
//!
//! The pipeline runs one way: load → clean → split → extract → match → judge → render → write.
//! Each stage is a module with one job; plain data (see [`model`]) flows between them.

pub mod claims;
pub mod config;
pub mod content;
pub mod error;
pub mod init;
pub mod model;
pub mod output;
pub mod render;
pub mod serve;
pub mod text;

use anyhow::{Context, Result};
use config::Site;
use model::{Article, Claim, SourceKind, Verdict};
use render::OutputFile;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::{Duration, Instant};

/// The analysed corpus: articles with their sentences, and the judged claims.
#[derive(Debug)]
pub struct Analysis {
    pub articles: Vec<Article>,
    pub claims: Vec<Claim>,
    /// Things the user should know (files skipped or ignored).
    pub notes: Vec<String>,
}

/// What a build did, for the report the CLI prints.
#[derive(Debug)]
pub struct Report {
    pub articles: usize,
    pub sentences: usize,
    pub removed_lines: usize,
    pub claims: BTreeMap<&'static str, usize>,
    pub pages: usize,
    pub files: usize,
    pub notes: Vec<String>,
    pub elapsed: Duration,
}

/// load → clean → split → extract → match → judge.
pub fn analyse(site: &Site) -> Result<Analysis> {
    let mut loaded = content::load::load_dir(&site.content_dir, &site.root)?;
    if loaded.sources.is_empty() {
        loaded.notes.push(format!(
            "{}: no .txt or .md articles found; the site will be empty",
            site.content_dir.display()
        ));
    }
    let cleaned = content::clean::clean_corpus(&loaded.sources, &site.config.keep);
    let metas = metadata(&loaded.sources, &cleaned);
    let splits = loaded
        .sources
        .iter()
        .zip(&cleaned)
        .map(|(source, cleaned)| split(source, cleaned))
        .collect();
    let articles = assemble(&site.content_dir, &loaded.sources, &cleaned, metas, splits);
    let claims = claims::analyse(&articles);
    Ok(Analysis {
        articles,
        claims,
        notes: loaded.notes,
    })
}

/// Metadata of every article. Treated as corpus-wide (an outlet may be recognised from the
/// other articles), so `serve` re-runs it on every content change; it is cheap.
pub fn metadata(sources: &[model::Source], cleaned: &[model::Cleaned]) -> Vec<model::Meta> {
    content::meta::extract_all(sources, cleaned)
}

/// One article's own stage after cleaning: blocks and sentences. It depends only on that
/// article's source and cleaned text, so `serve` caches it per article.
pub fn split(source: &model::Source, cleaned: &model::Cleaned) -> text::blocks::Split {
    match source.kind {
        SourceKind::Txt => text::blocks::split_lines(&cleaned.body),
        SourceKind::Md => text::blocks::split_markdown(&cleaned.body),
    }
}

/// Corpus-wide: give every article a unique slug (in source order) and assemble the articles.
pub fn assemble(
    content_dir: &Path,
    sources: &[model::Source],
    cleaned: &[model::Cleaned],
    metas: Vec<model::Meta>,
    splits: Vec<text::blocks::Split>,
) -> Vec<Article> {
    let mut slugs = BTreeSet::new();
    sources
        .iter()
        .zip(cleaned)
        .zip(metas.into_iter().zip(splits))
        .map(|((source, cleaned), (meta, split))| {
            let slug = unique_slug(&source.path, content_dir, &mut slugs);
            article(source, cleaned, slug, meta, split)
        })
        .collect()
}

/// One article from its stages' results (what `assemble` does for each; `serve` for the
/// articles it splits again).
pub(crate) fn article(
    source: &model::Source,
    cleaned: &model::Cleaned,
    slug: String,
    meta: model::Meta,
    split: text::blocks::Split,
) -> Article {
    Article {
        slug,
        file: source.file.clone(),
        kind: source.kind,
        meta,
        blocks: split.blocks,
        sentences: split.sentences,
        removed: cleaned.removed.clone(),
        raw: source.raw.clone(),
    }
}

/// A slug from the file's path inside the content folder, made unique.
pub(crate) fn unique_slug(path: &Path, content_dir: &Path, taken: &mut BTreeSet<String>) -> String {
    take_slug(&base_slug(path, content_dir), |s| {
        taken.insert(s.to_string())
    })
}

/// The slug of a file's path inside the content folder, before it is made unique.
pub(crate) fn base_slug(path: &Path, content_dir: &Path) -> String {
    let rel = path
        .strip_prefix(content_dir)
        .unwrap_or(path)
        .with_extension("");
    let base = slug::slugify(rel.to_string_lossy());
    if base.is_empty() {
        "article".to_string()
    } else {
        base
    }
}

/// `base`, else `base-2`, `base-3`…: the first slug that `take` takes (it returns false for a
/// slug already taken).
pub(crate) fn take_slug(base: &str, mut take: impl FnMut(&str) -> bool) -> String {
    let mut slug = base.to_string();
    let mut n = 2;
    while !take(&slug) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    slug
}

/// Render the analysed corpus and the static files into output files (nothing written yet).
pub fn render(site: &Site, analysis: &Analysis) -> Result<Vec<OutputFile>> {
    let tera = render::templates::load(&site.templates_dir)?;
    let statics = static_files(site)?;
    render_with(site, &tera, &statics, analysis)
}

/// The static files: the default theme's, overlaid by the site's `static/` folder.
pub fn static_files(site: &Site) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut files: BTreeMap<String, Vec<u8>> = render::templates::DEFAULT_STATIC
        .iter()
        .map(|(p, b)| (p.to_string(), b.to_vec()))
        .collect();
    if site.static_dir.is_dir() {
        for entry in walkdir::WalkDir::new(&site.static_dir).sort_by_file_name() {
            let entry =
                entry.with_context(|| format!("cannot read {}", site.static_dir.display()))?;
            if entry.file_type().is_file() {
                let rel = content::load::display_path(entry.path(), &site.static_dir);
                let bytes = std::fs::read(entry.path())
                    .with_context(|| format!("cannot read {}", entry.path().display()))?;
                files.insert(rel, bytes);
            }
        }
    }
    Ok(files)
}

/// Render with templates and static files already loaded (`serve` keeps both between rebuilds).
pub fn render_with(
    site: &Site,
    tera: &tera::Tera,
    statics: &BTreeMap<String, Vec<u8>>,
    analysis: &Analysis,
) -> Result<Vec<OutputFile>> {
    let mut files = statics.clone();
    for f in render::pages::render_all(tera, &site.config, &analysis.articles, &analysis.claims)? {
        files.insert(f.path, f.bytes);
    }
    Ok(files
        .into_iter()
        .map(|(path, bytes)| OutputFile { path, bytes })
        .collect())
}

/// Render only the files whose inputs changed since the render that gave `previous` (`serve`);
/// the static files are compared by their bytes. See [`render::pages::render_changed`]; stops
/// with [`render::Cancelled`] when `cancel` says so ([`render::pages::render_changed_unless`]).
pub fn render_changed(
    site: &Site,
    tera: &tera::Tera,
    statics: &BTreeMap<String, Vec<u8>>,
    analysis: &Analysis,
    previous: &render::pages::PageKeys,
    cancel: &render::pages::Cancel<'_>,
) -> Result<render::pages::Rendered> {
    let mut r = render::pages::render_changed_unless(
        tera,
        &site.config,
        &analysis.articles,
        &analysis.claims,
        previous,
        cancel,
    )?;
    for (path, bytes) in statics {
        if r.keys.contains_key(path) {
            continue; // a page of the same path wins, as in `render_with`
        }
        let key = output::content_hash(bytes);
        r.keys.insert(path.clone(), key);
        if previous.get(path) != Some(&key) {
            r.files.push(OutputFile {
                path: path.clone(),
                bytes: bytes.clone(),
            });
        }
    }
    Ok(r)
}

/// Build the site into `output`: analyse, render, then write through a staging folder.
pub fn build(site: &Site, output: &Path) -> Result<Report> {
    let start = Instant::now();
    output::check_output_dir(output, &site.inputs())?;
    let analysis = analyse(site)?;
    let files = render(site, &analysis)?;
    output::write_site(output, &files)?;
    let mut claims = BTreeMap::new();
    for v in [
        Verdict::Corroborated,
        Verdict::Conflicting,
        Verdict::SingleSource,
    ] {
        claims.insert(
            v.as_str(),
            analysis.claims.iter().filter(|c| c.verdict == v).count(),
        );
    }
    Ok(Report {
        articles: analysis.articles.len(),
        sentences: analysis.articles.iter().map(|a| a.sentences.len()).sum(),
        removed_lines: analysis.articles.iter().map(|a| a.removed.len()).sum(),
        claims,
        pages: files.iter().filter(|f| f.path.ends_with(".html")).count(),
        files: files.len(),
        notes: analysis.notes,
        elapsed: start.elapsed(),
    })
}
