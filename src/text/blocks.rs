//! Split stage: turn an article's text into blocks of sentences with stable anchors.
//!
//! Scraped text: every kept line is a paragraph. Markdown: pulldown-cmark events, raw HTML
//! escaped, each sentence rendered to its own inline HTML so emphasis and links survive.

use crate::model::{Block, BlockKind, Line, Sentence};
use crate::text::sentences;
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use pulldown_cmark_escape::escape_html;

/// Blocks and sentences of an article.
#[derive(Debug, Default)]
pub struct Split {
    pub blocks: Vec<Block>,
    pub sentences: Vec<Sentence>,
}

impl Split {
    fn push_sentence(&mut self, text: String, html: String, line: usize) -> usize {
        let idx = self.sentences.len();
        self.sentences.push(Sentence {
            anchor: format!("s{}", idx + 1),
            text,
            html,
            line,
        });
        idx
    }
}

fn escaped(text: &str) -> String {
    let mut s = String::new();
    escape_html(&mut s, text).expect("writing to a String cannot fail");
    s
}

/// Scraped text: one paragraph per line.
pub fn split_lines(lines: &[Line]) -> Split {
    let mut out = Split::default();
    for line in lines {
        let text = line.text.trim();
        if text.is_empty() {
            continue;
        }
        let mut ids = Vec::new();
        for s in sentences::split_str(text) {
            ids.push(out.push_sentence(s.to_string(), escaped(s), line.no));
        }
        out.blocks.push(Block {
            kind: BlockKind::Paragraph,
            level: 0,
            sentences: ids,
            code: None,
        });
    }
    out
}

/// Markdown: paragraphs, headings, list items and quotes become blocks of sentences.
pub fn split_markdown(lines: &[Line]) -> Split {
    let first_line = lines.first().map(|l| l.no).unwrap_or(1);
    let body: String = lines.iter().map(|l| format!("{}\n", l.text)).collect();
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(body.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| first_line + line_starts.partition_point(|&s| s <= offset) - 1;

    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    let parser = Parser::new_ext(&body, opts)
        .into_offset_iter()
        .map(|(ev, r)| {
            // Raw HTML is shown as text, never passed through.
            let ev = match ev {
                Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
                other => other,
            };
            (ev, r)
        });

    let mut out = Split::default();
    let mut containers: Vec<BlockKind> = Vec::new(); // Item / Quote nesting
    let mut leaf: Option<(BlockKind, u8, usize, Vec<Event>)> = None;
    let mut code: Option<String> = None;

    let close_leaf = |leaf: &mut Option<(BlockKind, u8, usize, Vec<Event>)>, out: &mut Split| {
        if let Some((kind, level, line, events)) = leaf.take() {
            let ids = sentences_of_inline(&events, line, out);
            if !ids.is_empty() {
                out.blocks.push(Block {
                    kind,
                    level,
                    sentences: ids,
                    code: None,
                });
            }
        }
    };
    let container_kind =
        |containers: &[BlockKind]| containers.last().cloned().unwrap_or(BlockKind::Paragraph);

    for (ev, range) in parser {
        match ev {
            Event::Start(Tag::Paragraph) => {
                close_leaf(&mut leaf, &mut out);
                leaf = Some((
                    container_kind(&containers),
                    0,
                    line_of(range.start),
                    Vec::new(),
                ));
            }
            Event::Start(Tag::Heading { level, .. }) => {
                close_leaf(&mut leaf, &mut out);
                leaf = Some((
                    BlockKind::Heading,
                    level as u8,
                    line_of(range.start),
                    Vec::new(),
                ));
            }
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Heading(_)) => {
                close_leaf(&mut leaf, &mut out);
            }
            Event::Start(Tag::Item) => {
                close_leaf(&mut leaf, &mut out);
                containers.push(BlockKind::ListItem);
            }
            Event::Start(Tag::BlockQuote(_)) => {
                close_leaf(&mut leaf, &mut out);
                containers.push(BlockKind::Quote);
            }
            Event::End(TagEnd::Item) | Event::End(TagEnd::BlockQuote(_)) => {
                close_leaf(&mut leaf, &mut out);
                containers.pop();
            }
            Event::Start(Tag::List(_)) | Event::End(TagEnd::List(_)) => {
                close_leaf(&mut leaf, &mut out);
            }
            Event::Start(Tag::CodeBlock(_)) => {
                close_leaf(&mut leaf, &mut out);
                code = Some(String::new());
            }
            Event::End(TagEnd::CodeBlock) => {
                out.blocks.push(Block {
                    kind: BlockKind::Code,
                    level: 0,
                    sentences: Vec::new(),
                    code: code.take(),
                });
            }
            Event::Text(t) if code.is_some() => {
                code.as_mut().expect("checked").push_str(&t);
            }
            Event::Rule => close_leaf(&mut leaf, &mut out),
            ev => {
                // Inline content; a tight list item has no paragraph around it.
                if leaf.is_none() {
                    leaf = Some((
                        container_kind(&containers),
                        0,
                        line_of(range.start),
                        Vec::new(),
                    ));
                }
                leaf.as_mut().expect("just set").3.push(ev);
            }
        }
    }
    close_leaf(&mut leaf, &mut out);
    out
}

/// Split one leaf block's inline events into sentences, rendering each to inline HTML.
fn sentences_of_inline(events: &[Event], line: usize, out: &mut Split) -> Vec<usize> {
    // Plain text and each event's span in it.
    let mut plain = String::new();
    let mut spans = Vec::with_capacity(events.len());
    for ev in events {
        let start = plain.len();
        match ev {
            Event::Text(t) | Event::Code(t) => plain.push_str(t),
            Event::SoftBreak | Event::HardBreak => plain.push(' '),
            _ => {}
        }
        spans.push(start..plain.len());
    }
    let ranges = sentences::split(&plain);
    let mut ids = Vec::new();
    for r in ranges {
        let mut evs: Vec<Event> = Vec::new();
        let mut open: Vec<Tag> = Vec::new(); // inline tags open at this point of the walk
        let mut started = false;
        for (ev, span) in events.iter().zip(&spans) {
            let p = span.start;
            if p > r.end {
                break;
            }
            match ev {
                Event::Start(tag) => {
                    if p >= r.start && p < r.end {
                        if !started {
                            started = true;
                            reopen(&open, &mut evs);
                        }
                        evs.push(Event::Start(tag.clone()));
                    }
                    open.push(tag.clone());
                }
                Event::End(end) => {
                    if started {
                        evs.push(Event::End(*end));
                    }
                    open.pop();
                }
                Event::Text(t) | Event::Code(t) if span.end > r.start && p < r.end => {
                    let a = r.start.max(p) - p;
                    let b = r.end.min(span.end) - p;
                    if !started {
                        started = true;
                        reopen(&open, &mut evs);
                    }
                    let piece = CowStr::from(t[a..b].to_string());
                    evs.push(match ev {
                        Event::Code(_) => Event::Code(piece),
                        _ => Event::Text(piece),
                    });
                }
                Event::SoftBreak | Event::HardBreak if started && p < r.end => {
                    evs.push(Event::Text(" ".into()));
                }
                _ => {}
            }
        }
        // Close whatever the slice left open, innermost first.
        let mut depth: Vec<TagEnd> = Vec::new();
        for ev in &evs {
            match ev {
                Event::Start(t) => depth.push(t.to_end()),
                Event::End(_) => {
                    depth.pop();
                }
                _ => {}
            }
        }
        while let Some(end) = depth.pop() {
            evs.push(Event::End(end));
        }
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, evs.into_iter());
        let text = plain[r].to_string();
        ids.push(out.push_sentence(text, html, line));
    }
    ids
}

fn reopen<'a>(open: &[Tag<'a>], evs: &mut Vec<Event<'a>>) {
    for t in open {
        evs.push(Event::Start(t.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Line> {
        text.lines()
            .enumerate()
            .map(|(i, l)| Line {
                no: i + 1,
                text: l.to_string(),
            })
            .collect()
    }

    #[test]
    fn text_lines_become_paragraphs_with_anchors_in_reading_order() {
        let s = split_lines(&lines("One. Two.\n\nThree."));
        assert_eq!(s.blocks.len(), 2);
        let anchors: Vec<_> = s.sentences.iter().map(|s| s.anchor.as_str()).collect();
        assert_eq!(anchors, vec!["s1", "s2", "s3"]);
        assert_eq!(s.sentences[2].line, 3);
    }

    #[test]
    fn markdown_keeps_emphasis_per_sentence_and_escapes_raw_html() {
        let s = split_markdown(&lines(
            "# Head\n\nIt *was very. Big* news. Then <b>raw</b> here.\n\n- item one\n- item two\n",
        ));
        assert_eq!(s.blocks[0].kind, BlockKind::Heading);
        let texts: Vec<_> = s.sentences.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "Head",
                "It was very.",
                "Big news.",
                "Then <b>raw</b> here.",
                "item one",
                "item two"
            ]
        );
        assert_eq!(s.sentences[1].html, "It <em>was very.</em>");
        assert_eq!(s.sentences[2].html, "<em>Big</em> news.");
        assert!(s.sentences[3].html.contains("&lt;b&gt;raw"));
        assert_eq!(s.blocks.last().unwrap().kind, BlockKind::ListItem);
        assert_eq!(s.sentences[1].line, 3);
    }

    #[test]
    fn markdown_links_survive() {
        let s = split_markdown(&lines("See [the post](https://example.org/x). Done."));
        assert_eq!(
            s.sentences[0].html,
            "See <a href=\"https://example.org/x\">the post</a>."
        );
        assert_eq!(s.sentences[1].html, "Done.");
    }
}
