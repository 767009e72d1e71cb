//! Content stages that work on one article at a time: load, front matter, clean, metadata.

pub mod clean;
pub mod dates;
pub mod front_matter;
pub mod load;
pub mod meta;
pub mod signals;
