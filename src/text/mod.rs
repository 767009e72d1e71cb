//! Text stages: turning cleaned lines or Markdown into blocks and sentences, and tokens.

pub mod blocks;
pub mod case;
pub mod sentences;
pub mod tokens;
