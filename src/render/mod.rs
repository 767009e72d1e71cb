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
