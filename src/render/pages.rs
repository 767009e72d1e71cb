//! Page views (plain serialisable data handed to the templates) and the list of pages to render.
//!
//! Every link in a page is relative: templates prefix site-relative URLs with `root` (`""` on the
//! home page, `"../../"` two folders down) and point at `index.html` explicitly, so the site
//! works at a domain root, under a sub-path and from `file://` alike.

use crate::config::SiteConfig;
use crate::model::{Article, BlockKind, Claim, Verdict};
use crate::render::{json, templates, OutputFile};
use anyhow::{Context, Result};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use tera::Tera;

#[derive(Serialize, Clone)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub language: String,
}

#[derive(Serialize, Clone)]
pub struct Stats {
    pub articles: usize,
    pub outlets: usize,
    pub sentences: usize,
    pub claims: usize,
    pub corroborated: usize,
    pub conflicting: usize,
    pub single_source: usize,
}

#[derive(Serialize, Clone)]
pub struct ArticleRef {
    pub slug: String,
    pub title: String,
    pub outlet: String,
    pub source: Option<String>,
    pub author: Option<String>,
    pub date: Option<String>,
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
}

#[derive(Serialize, Clone)]
pub struct ValueView {
    pub value: String,
    pub articles: Vec<ArticleRef>,
}

#[derive(Serialize, Clone)]
pub struct ConflictView {
    pub slot: String,
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
    pub mentions: Vec<MentionView>,
    pub conflicts: Vec<ConflictView>,
}

#[derive(Serialize, Clone)]
pub struct ClaimRef {
    pub id: String,
    pub verdict: String,
    pub verdict_label: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct SentenceView {
    pub anchor: String,
    pub text: String,
    pub html: String,
    pub line: usize,
    /// The claims this sentence states, most-sourced first.
    pub claims: Vec<ClaimRef>,
}

#[derive(Serialize)]
pub struct BlockView {
    pub kind: BlockKind,
    pub level: u8,
    pub code: Option<String>,
    pub sentences: Vec<SentenceView>,
}

#[derive(Serialize)]
pub struct RemovedView {
    pub line: usize,
    pub text: String,
    pub reason: String,
}

#[derive(Serialize)]
pub struct OutletView {
    pub name: String,
    pub articles: Vec<ArticleRef>,
    pub claims: usize,
    /// Claims only this outlet makes.
    pub only: Vec<ClaimView>,
    /// Conflicting claims this outlet takes part in.
    pub disputed: Vec<ClaimView>,
}

/// Everything the templates can see, computed once.
pub struct Views {
    pub site: SiteView,
    pub stats: Stats,
    pub articles: Vec<ArticleRef>,
    pub claims: Vec<ClaimView>,
}

pub fn verdict_label(v: Verdict) -> &'static str {
    match v {
        Verdict::Corroborated => "Corroborated",
        Verdict::SingleSource => "Single source",
        Verdict::Conflicting => "Disputed",
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
        original_url: a.meta.url.clone(),
        file: a.file.clone(),
        url: format!("articles/{}/index.html", a.slug),
        sentences: a.sentences.len(),
        claims: claims_per_article[i],
        removed: a.removed.len(),
    }
}

impl Views {
    pub fn new(config: &SiteConfig, articles: &[Article], claims: &[Claim]) -> Views {
        let mut per_article = vec![0usize; articles.len()];
        for c in claims {
            let arts: BTreeSet<usize> = c.mentions.iter().map(|m| m.article).collect();
            for a in arts {
                per_article[a] += 1;
            }
        }
        let refs: Vec<ArticleRef> = articles
            .iter()
            .enumerate()
            .map(|(i, a)| article_ref(a, &per_article, i))
            .collect();
        let claim_views = claims
            .iter()
            .map(|c| ClaimView {
                id: c.id.clone(),
                text: c.text.clone(),
                verdict: c.verdict.as_str().to_string(),
                verdict_label: verdict_label(c.verdict).to_string(),
                rule: c.rule.clone(),
                sources: c.sources,
                url: format!("claims/{}/index.html", c.id),
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
                        }
                    })
                    .collect(),
                conflicts: c
                    .conflicts
                    .iter()
                    .map(|k| ConflictView {
                        slot: k.slot.clone(),
                        values: k
                            .values
                            .iter()
                            .map(|v| ValueView {
                                value: v.value.clone(),
                                articles: v
                                    .mentions
                                    .iter()
                                    .map(|m| m.article)
                                    .collect::<BTreeSet<_>>()
                                    .into_iter()
                                    .map(|a| refs[a].clone())
                                    .collect(),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect();
        let count = |v: Verdict| claims.iter().filter(|c| c.verdict == v).count();
        let outlets: BTreeSet<&str> = articles.iter().map(Article::outlet).collect();
        Views {
            site: SiteView {
                title: config.title.clone(),
                description: config.description.clone(),
                base_url: config.base_url.clone(),
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
            claims: claim_views,
        }
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

struct Renderer<'a> {
    tera: &'a Tera,
    views: &'a Views,
    files: Vec<OutputFile>,
}

impl Renderer<'_> {
    fn page(&mut self, template: &str, path: &str, extra: tera::Context) -> Result<()> {
        self.page_at_root(template, path, &root_of(path), extra)
    }

    fn page_at_root(
        &mut self,
        template: &str,
        path: &str,
        root: &str,
        extra: tera::Context,
    ) -> Result<()> {
        let mut ctx = tera::Context::new();
        ctx.insert("site", &self.views.site);
        ctx.insert("stats", &self.views.stats);
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
}

/// Render every page, `claims.json` and the articles' `source.txt`.
pub fn render_all(
    tera: &Tera,
    config: &SiteConfig,
    articles: &[Article],
    claims: &[Claim],
) -> Result<Vec<OutputFile>> {
    let views = Views::new(config, articles, claims);
    let mut r = Renderer {
        tera,
        views: &views,
        files: Vec::new(),
    };
    let by =
        |v: &str| -> Vec<&ClaimView> { views.claims.iter().filter(|c| c.verdict == v).collect() };

    let mut ctx = tera::Context::new();
    ctx.insert("corroborated", &by("corroborated"));
    ctx.insert("conflicting", &by("conflicting"));
    ctx.insert("single_source", &by("single-source"));
    ctx.insert("articles", &views.articles);
    r.page("index.html", "index.html", ctx)?;

    let mut ctx = tera::Context::new();
    ctx.insert("claims", &views.claims);
    r.page("claims.html", "claims/index.html", ctx)?;

    for c in &views.claims {
        let mut ctx = tera::Context::new();
        ctx.insert("claim", c);
        r.page("claim.html", &format!("claims/{}/index.html", c.id), ctx)?;
    }

    // Which claims each sentence states.
    let mut claims_of: BTreeMap<(usize, usize), Vec<ClaimRef>> = BTreeMap::new();
    for (c, view) in claims.iter().zip(&views.claims) {
        for m in &c.mentions {
            claims_of
                .entry((m.article, m.sentence))
                .or_default()
                .push(ClaimRef {
                    id: view.id.clone(),
                    verdict: view.verdict.clone(),
                    verdict_label: view.verdict_label.clone(),
                    url: view.url.clone(),
                });
        }
    }
    for (i, a) in articles.iter().enumerate() {
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
                            claims: claims_of.remove(&(i, s)).unwrap_or_default(),
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
        let mut ctx = tera::Context::new();
        ctx.insert("article", &views.articles[i]);
        ctx.insert("blocks", &blocks);
        ctx.insert("removed", &removed);
        ctx.insert("prev", &i.checked_sub(1).map(|p| &views.articles[p]));
        ctx.insert("next", &views.articles.get(i + 1));
        r.page(
            "article.html",
            &format!("articles/{}/index.html", a.slug),
            ctx,
        )?;
        r.files.push(OutputFile {
            path: format!("articles/{}/source.txt", a.slug),
            bytes: a.raw.clone().into_bytes(),
        });
    }

    // Outlets: what each reports alone and where it takes part in a dispute.
    let mut outlets: BTreeMap<&str, OutletView> = BTreeMap::new();
    for (i, a) in articles.iter().enumerate() {
        let o = outlets.entry(a.outlet()).or_insert_with(|| OutletView {
            name: a.outlet().to_string(),
            articles: Vec::new(),
            claims: 0,
            only: Vec::new(),
            disputed: Vec::new(),
        });
        o.articles.push(views.articles[i].clone());
    }
    for (c, view) in claims.iter().zip(&views.claims) {
        let names: BTreeSet<&str> = c
            .mentions
            .iter()
            .map(|m| articles[m.article].outlet())
            .collect();
        for n in &names {
            let o = outlets.get_mut(n).expect("every outlet has an article");
            o.claims += 1;
            if c.verdict == Verdict::SingleSource {
                o.only.push(view.clone());
            }
            if c.verdict == Verdict::Conflicting {
                o.disputed.push(view.clone());
            }
        }
    }
    let outlets: Vec<OutletView> = outlets.into_values().collect();
    let mut ctx = tera::Context::new();
    ctx.insert("outlets", &outlets);
    ctx.insert("claims", &views.claims);
    r.page("sources.html", "sources/index.html", ctx)?;

    // The 404 page is served at any depth, so its links start from the site's base path.
    let root404 = base_path(&config.base_url);
    r.page_at_root("404.html", "404.html", &root404, tera::Context::new())?;

    r.files.push(OutputFile {
        path: "claims.json".into(),
        bytes: json::claims_json(articles, claims),
    });
    Ok(r.files)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
