//! `briefing init DIR`: a new site: `site.toml`, a `content/` folder with one example article,
//! and the default theme copied into `templates/` and `static/` to edit. Writes only into a new
//! or empty folder, so it never overwrites anything.

use crate::render::templates::{DEFAULT_STATIC, DEFAULT_TEMPLATES};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

const SITE_TOML: &str = r#"# The briefing's settings. Every key but `title` has a default; unknown keys are errors.
title = "My briefing"
description = ""
# Where the site will be published, e.g. "https://example.org/briefing/" (absolute URLs in the
# feed and sitemap); page links are relative and work anywhere.
base_url = ""
language = "en"
# The articles: .txt (scraped text) or .md, optionally with TOML front matter between +++ lines.
content_dir = "content"
output_dir = "public"
# The theme: a template or static file here replaces the built-in one of the same name; delete
# the ones you do not change and the built-in ones are used.
templates_dir = "templates"
static_dir = "static"
# Lines the cleaner must keep in every article even if they look like boilerplate.
keep = []
"#;

const EXAMPLE: &str = r#"+++
title = "Replace this article with the coverage you collected"
source = "Example Outlet"
date = "2024-01-15"
+++

Put one article per file in this folder: scraped plain text (`.txt`) or Markdown (`.md`).

The cleaner drops menus, share buttons and footers from scraped text, and `briefing check` lists
every line it removed. Front matter like the block above is optional; title, author, date and
outlet are read from the text when it is missing.
"#;

/// Create a new site in `dir` (created if missing; it must be empty). Returns the files written.
pub fn init_site(dir: &Path) -> Result<Vec<PathBuf>> {
    if dir.exists() {
        if !dir.is_dir() {
            bail!("{} exists and is not a folder", dir.display());
        }
        let mut entries =
            std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
        if entries.next().is_some() {
            bail!(
                "{} is not empty: `briefing init` writes only into a new or empty folder, so it \
                 never overwrites anything",
                dir.display()
            );
        }
    }
    let mut files: Vec<(PathBuf, &[u8])> = vec![
        (dir.join("site.toml"), SITE_TOML.as_bytes()),
        (dir.join("content").join("example.md"), EXAMPLE.as_bytes()),
    ];
    for (name, text) in DEFAULT_TEMPLATES {
        files.push((dir.join("templates").join(name), text.as_bytes()));
    }
    for (name, bytes) in DEFAULT_STATIC {
        files.push((dir.join("static").join(name), bytes));
    }
    for (path, bytes) in &files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(files.into_iter().map(|(p, _)| p).collect())
}
