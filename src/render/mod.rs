//! Render stage: the analysed corpus through Tera templates into output files (in memory).

pub mod diff;
pub mod feeds;
pub mod json;
pub mod pages;
pub mod search;
pub mod templates;

/// One file of the built site: its path inside the output folder (`/`-separated) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A render stopped before the end because its caller asked it to (`serve`: a newer save
/// arrived, and the next rebuild renders both edits at once). The error a cancellable render
/// returns then; callers tell it from a real failure with `downcast_ref`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

impl std::fmt::Display for Cancelled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("render cancelled by a newer change")
    }
}

impl std::error::Error for Cancelled {}
