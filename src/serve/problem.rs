//! A build problem as the user sees it: the file, the line when known, and the message. Shown in
//! the terminal and in the browser overlay.

use crate::config::Site;
use crate::content::load::display_path;
use crate::error::InputError;
use serde::Serialize;
use std::fmt;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The file at fault, relative to the site root when inside it.
    pub file: Option<String>,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.line) {
            (Some(file), Some(line)) => write!(f, "{file}:{line}: {}", self.message),
            (Some(file), None) => write!(f, "{file}: {}", self.message),
            _ => write!(f, "{}", self.message),
        }
    }
}

impl Problem {
    pub fn new(file: Option<String>, line: Option<usize>, message: impl Into<String>) -> Problem {
        Problem {
            file,
            line,
            message: message.into(),
        }
    }

    /// From an input file's typed error.
    pub fn from_input(e: &InputError, site: &Site) -> Problem {
        Problem::new(
            Some(display_path(&e.file, &site.root)),
            e.line,
            e.message.clone(),
        )
    }

    /// From a template error (Tera's chain as one text): names the template file and, for parse
    /// errors, the line (Tera reports `Failed to parse 'NAME'` then ` --> LINE:COL`).
    pub fn from_template_error(e: &anyhow::Error, site: &Site) -> Problem {
        if let Some(ie) = e.chain().find_map(|c| c.downcast_ref::<InputError>()) {
            return Problem::from_input(ie, site);
        }
        let text = format!("{e:#}");
        let name = ["Failed to parse '", "Failed to render '"]
            .iter()
            .find_map(|p| text.split_once(p).and_then(|(_, r)| r.split_once('\'')))
            .map(|(name, _)| name.to_string());
        let line = text
            .split_once("--> ")
            .and_then(|(_, r)| r.split(':').next())
            .and_then(|l| l.trim().parse().ok());
        let file = name.map(|n| template_file(&n, site));
        Problem::new(file, line, text)
    }
}

/// Where a template comes from: the site's folder, else the built-in default theme.
fn template_file(name: &str, site: &Site) -> String {
    let p = site.templates_dir.join(name);
    if p.is_file() {
        display_path(&p, &site.root)
    } else {
        format!("{name} (built-in template)")
    }
}

/// The line a byte offset falls on (1-based).
pub fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// A problem with a path shown relative to the site root.
pub fn at(path: &Path, site: &Site, line: Option<usize>, message: impl Into<String>) -> Problem {
    Problem::new(Some(display_path(path, &site.root)), line, message)
}
