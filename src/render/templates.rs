//! The template set: built-in defaults (embedded in the binary) overlaid by the site's own
//! `templates/` folder, so a site's template of the same name wins.

use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::path::Path;
use tera::Tera;

/// The default theme's templates, compiled into the binary.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("article.html", include_str!("../../templates/article.html")),
    ("claims.html", include_str!("../../templates/claims.html")),
    ("claim.html", include_str!("../../templates/claim.html")),
    ("sources.html", include_str!("../../templates/sources.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("feed.xml", include_str!("../../templates/feed.xml")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
    ("robots.txt", include_str!("../../templates/robots.txt")),
];

/// Templates the renderer adds to every set: each renders one macro of `macros.html` alone, for
/// the fragments of the big list pages that are kept between rebuilds (see
/// [`crate::render::pages::PageKeys`]). A site changes their markup through its `macros.html`.
pub const FRAGMENT_TEMPLATES: &[(&str, &str)] = &[
    (
        "__claim_item.html",
        "{% import \"macros.html\" as m %}{{ m::claim_item(claim=claim, root=root) }}",
    ),
    (
        "__dispute.html",
        "{% import \"macros.html\" as m %}{{ m::dispute(c=c, root=root) }}",
    ),
    (
        "__timeline_entry.html",
        "{% import \"macros.html\" as m %}{{ m::timeline_entry(e=e, root=root) }}",
    ),
    (
        "__outlet_row.html",
        "{% import \"macros.html\" as m %}{{ m::outlet_row(o=o, root=root) }}",
    ),
    (
        "__matrix.html",
        "{% import \"macros.html\" as m %}{{ m::matrix(matrix=matrix, root=root) }}",
    ),
    (
        "__outlet_section.html",
        "{% import \"macros.html\" as m %}{{ m::outlet_section(o=o, root=root) }}",
    ),
];

/// The default theme's static files, compiled into the binary.
pub const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("search.js", include_bytes!("../../static/search.js")),
    ("favicon.svg", include_bytes!("../../static/favicon.svg")),
];

/// Load the defaults, then every file under `dir` (if it exists) by its relative path.
pub fn load(dir: &Path) -> Result<Tera> {
    let mut sources: BTreeMap<String, String> = DEFAULT_TEMPLATES
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    if dir.is_dir() {
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let entry =
                entry.with_context(|| format!("cannot read templates in {}", dir.display()))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let name = crate::content::load::display_path(entry.path(), dir);
            if name.starts_with('.') {
                continue;
            }
            let text = std::fs::read_to_string(entry.path())
                .with_context(|| format!("cannot read template {}", entry.path().display()))?;
            sources.insert(name, text);
        }
    }
    for (n, t) in FRAGMENT_TEMPLATES {
        sources.insert(n.to_string(), t.to_string());
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".htm", ".xml"]);
    // Tera 1 escapes `/` as `&#x2F;`, which makes every href unreadable. pulldown-cmark's escaper
    // escapes `& < > "`: all that text and double-quoted attributes (all ours) need.
    tera.set_escape_fn(escape);
    tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|e| anyhow::anyhow!("{}", error_chain(&e)))
        .with_context(|| format!("templates in {} (or the built-in defaults)", dir.display()))?;
    Ok(tera)
}

fn escape(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    pulldown_cmark_escape::escape_html(&mut out, input).expect("writing to a String cannot fail");
    out
}

/// Tera's error with all its causes on one line each (the cause carries line and column).
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(&format!("\n  {c}"));
        cur = c.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded lists must name every file of the default theme, or `briefing init` and a
    /// site without its own templates would miss one.
    #[test]
    fn embedded_defaults_match_the_theme_folders() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for (dir, names) in [
            (
                "templates",
                DEFAULT_TEMPLATES
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>(),
            ),
            (
                "static",
                DEFAULT_STATIC.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            ),
        ] {
            let mut on_disk: Vec<String> = std::fs::read_dir(root.join(dir))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
                .collect();
            on_disk.sort();
            let mut listed: Vec<String> = names.iter().map(|s| s.to_string()).collect();
            listed.sort();
            assert_eq!(listed, on_disk, "{dir}/ and its embedded list differ");
        }
    }

    #[test]
    fn default_templates_parse() {
        load(Path::new("/nonexistent")).unwrap();
    }
}
