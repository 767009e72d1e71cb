//! `site.toml`: the site's settings. Every key but `title` has a default; unknown keys are errors.

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The briefing's title (required).
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Where the site will be published, e.g. `https://example.org/briefing/`. Used for absolute
    /// URLs (sitemap, feed, canonical links); page links are relative and work anywhere.
    #[serde(default)]
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default = "default_content_dir")]
    pub content_dir: PathBuf,
    #[serde(default = "default_output_dir")]
    pub output_dir: PathBuf,
    #[serde(default = "default_templates_dir")]
    pub templates_dir: PathBuf,
    #[serde(default = "default_static_dir")]
    pub static_dir: PathBuf,
    /// Lines (or substrings) the cleaner must keep in every article, even if they look like
    /// boilerplate.
    #[serde(default)]
    pub keep: Vec<String>,
}

fn default_language() -> String {
    "en".into()
}
fn default_content_dir() -> PathBuf {
    "seeds".into()
}
fn default_output_dir() -> PathBuf {
    "public".into()
}
fn default_templates_dir() -> PathBuf {
    "templates".into()
}
fn default_static_dir() -> PathBuf {
    "static".into()
}

/// A loaded configuration with its folders resolved against the config file's folder.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    /// The folder holding `site.toml`: relative paths in it are resolved from here.
    pub root: PathBuf,
    pub config_path: PathBuf,
    pub content_dir: PathBuf,
    pub output_dir: PathBuf,
    pub templates_dir: PathBuf,
    pub static_dir: PathBuf,
}

impl SiteConfig {
    /// Parse `site.toml` text. The error names the key and the line (toml's own diagnostics).
    pub fn parse(text: &str) -> Result<SiteConfig, toml::de::Error> {
        toml::from_str(text)
    }
}

impl Site {
    /// Read and resolve a `site.toml`.
    pub fn load(config_path: &Path) -> Result<Site> {
        let text = std::fs::read_to_string(config_path)
            .with_context(|| format!("cannot read config file {}", config_path.display()))?;
        let config = SiteConfig::parse(&text).map_err(|e| {
            anyhow::anyhow!("{}: {}", config_path.display(), e.to_string().trim_end())
        })?;
        let root = match config_path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Ok(Site::from_config(config, root, config_path.to_path_buf()))
    }

    /// The site's inputs, named: an output folder must neither be nor contain any of them.
    pub fn inputs(&self) -> [(&'static str, &Path); 5] {
        [
            ("project root", &self.root),
            ("content folder", &self.content_dir),
            ("templates folder", &self.templates_dir),
            ("static folder", &self.static_dir),
            ("config file", &self.config_path),
        ]
    }

    pub fn from_config(config: SiteConfig, root: PathBuf, config_path: PathBuf) -> Site {
        let r = |p: &Path| root.join(p);
        Site {
            content_dir: r(&config.content_dir),
            output_dir: r(&config.output_dir),
            templates_dir: r(&config.templates_dir),
            static_dir: r(&config.static_dir),
            config,
            root,
            config_path,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_everything_but_title() {
        let c = SiteConfig::parse("title = \"T\"").unwrap();
        assert_eq!(c.content_dir, PathBuf::from("seeds"));
        assert_eq!(c.output_dir, PathBuf::from("public"));
        assert_eq!(c.language, "en");
    }

    #[test]
    fn missing_title_is_an_error() {
        let e = SiteConfig::parse("description = \"x\"")
            .unwrap_err()
            .to_string();
        assert!(e.contains("title"), "{e}");
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let e = SiteConfig::parse("title = \"T\"\n\ntitel = \"oops\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("titel"), "{e}");
        assert!(e.contains("line 3"), "{e}");
    }
}
