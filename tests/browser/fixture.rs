//! A small invented corpus with every kind of finding (corroborated, disputed on a date and a
//! number, single-source, dated claims, five outlets), so the page tests see every part of the
//! theme whatever the claim engine makes of the seeds today. Built straight from the model types
//! and rendered through the real `render` + `write` stages.

#![allow(dead_code)]

use briefing::config::{Site, SiteConfig};
use briefing::model::{
    Article, Claim, Conflict, ConflictValue, Line, Mention, Meta, SourceKind, Strength, Verdict,
};
use std::path::Path;

struct Doc {
    outlet: &'static str,
    date: &'static str,
    title: &'static str,
    lines: &'static [&'static str],
}

const DOCS: &[Doc] = &[
    Doc {
        outlet: "Northern Courier",
        date: "2024-03-04",
        title: "River bridge to close for repairs",
        lines: &[
            "The Birch Lane bridge will close on 12 March for repairs, the city council said.",
            "About 4,000 vehicles cross the bridge every day.",
            "Mayor Ana Ruiz said the work \"cannot wait another winter\".",
        ],
    },
    Doc {
        outlet: "The Daily Lantern",
        date: "2024-03-05",
        title: "Council confirms bridge closure",
        lines: &[
            "The Birch Lane bridge will close on 12 March for repairs, the council confirmed.",
            "Some 4,000 vehicles use the crossing each day.",
            "Mayor Ana Ruiz said the repairs \"could not wait another winter\".",
            "Local shops fear a drop in trade <during> the closure & after.",
        ],
    },
    Doc {
        outlet: "Valley Gazette",
        date: "2024-03-05",
        title: "Birch Lane bridge shuts next week",
        lines: &[
            "The Birch Lane bridge will shut on 19 March for repairs.",
            "Around 6,000 vehicles cross it daily, according to the council.",
        ],
    },
    Doc {
        outlet: "Harbour Herald",
        date: "2024-03-06",
        title: "Detours planned as bridge closes",
        lines: &[
            "The Birch Lane bridge will close on 12 March for repairs.",
            "Buses will be diverted over the Mill Road crossing.",
        ],
    },
    Doc {
        outlet: "Evening Post",
        date: "2024-03-07",
        title: "Bridge repairs to last six weeks",
        lines: &[
            "Repairs to the Birch Lane bridge are expected to last six weeks.",
            "The bridge is due to reopen on 23 April.",
        ],
    },
];

fn articles() -> Vec<Article> {
    DOCS.iter()
        .enumerate()
        .map(|(i, d)| {
            let lines: Vec<Line> = d
                .lines
                .iter()
                .enumerate()
                .map(|(n, t)| Line {
                    no: n + 6,
                    text: t.to_string(),
                })
                .collect();
            let split = briefing::text::blocks::split_lines(&lines);
            let raw = format!(
                "+++\ntitle = {:?}\nsource = {:?}\ndate = {:?}\n+++\n\n{}\n",
                d.title,
                d.outlet,
                d.date,
                d.lines.join("\n\n")
            );
            Article {
                slug: format!("{:02}-{}", i + 1, d.outlet.to_lowercase().replace(' ', "-")),
                file: format!("content/{:02}.txt", i + 1),
                kind: SourceKind::Txt,
                meta: Meta {
                    title: Some(d.title.into()),
                    author: (i == 0).then(|| "Sam Lee".to_string()),
                    date: Some(d.date.into()),
                    source: Some(d.outlet.into()),
                    url: (i == 1).then(|| "https://lantern.example/bridge".to_string()),
                },
                blocks: split.blocks,
                sentences: split.sentences,
                removed: vec![briefing::model::Removed {
                    line: 2,
                    text: "Share this article Follow us".into(),
                    reason: "share bar".into(),
                }],
                raw,
            }
        })
        .collect()
}

/// The mention of the sentence starting with `start` in article `a`.
fn find(articles: &[Article], a: usize, start: &str) -> Mention {
    let sentence = articles[a]
        .sentences
        .iter()
        .position(|s| s.text.starts_with(start))
        .unwrap_or_else(|| panic!("fixture: no sentence {start:?} in article {a}"));
    Mention {
        article: a,
        sentence,
    }
}

fn claim(
    id: &str,
    verdict: Verdict,
    mentions: Vec<Mention>,
    articles: &[Article],
    conflicts: Vec<Conflict>,
    dates: &[&str],
    rule: &str,
) -> Claim {
    let first = mentions[0];
    Claim {
        id: id.into(),
        text: articles[first.article].sentences[first.sentence]
            .text
            .clone(),
        verdict,
        sources: mentions
            .iter()
            .map(|m| articles[m.article].outlet())
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        mentions,
        conflicts,
        dates: dates.iter().map(|d| d.to_string()).collect(),
        rule: rule.into(),
    }
}

fn value(v: &str, articles: &[Article], mentions: Vec<Mention>) -> ConflictValue {
    let mut slugs: Vec<String> = mentions
        .iter()
        .map(|m| articles[m.article].slug.clone())
        .collect();
    slugs.sort();
    ConflictValue {
        value: v.into(),
        articles: slugs,
        mentions,
    }
}

/// The invented corpus, analysed by hand.
pub fn analysis() -> briefing::Analysis {
    let a = articles();
    let close = vec![
        find(&a, 0, "The Birch Lane"),
        find(&a, 1, "The Birch Lane"),
        find(&a, 2, "The Birch Lane"),
        find(&a, 3, "The Birch Lane"),
    ];
    let traffic = vec![
        find(&a, 0, "About 4,000"),
        find(&a, 1, "Some 4,000"),
        find(&a, 2, "Around 6,000"),
    ];
    let quote = vec![find(&a, 0, "Mayor"), find(&a, 1, "Mayor")];
    let claims = vec![
        claim(
            "c-closure",
            Verdict::Conflicting,
            close.clone(),
            &a,
            vec![Conflict {
                strength: Strength::Hard,
                slot: "date".into(),
                values: vec![
                    value("2024-03-12", &a, vec![close[0], close[1], close[3]]),
                    value("2024-03-19", &a, vec![close[2]]),
                ],
            }],
            &["2024-03-12", "2024-03-19"],
            "the mentions give different dates",
        ),
        claim(
            "c-traffic",
            Verdict::Conflicting,
            traffic.clone(),
            &a,
            vec![Conflict {
                strength: Strength::Hard,
                slot: "number".into(),
                values: vec![
                    value("4,000", &a, vec![traffic[0], traffic[1]]),
                    value("6,000", &a, vec![traffic[2]]),
                ],
            }],
            &[],
            "the mentions give different numbers",
        ),
        claim(
            "c-quote",
            Verdict::Corroborated,
            quote,
            &a,
            vec![],
            &[],
            "two or more independent outlets state it",
        ),
        claim(
            "c-shops",
            Verdict::SingleSource,
            vec![find(&a, 1, "Local shops")],
            &a,
            vec![],
            &[],
            "only one outlet states it",
        ),
        claim(
            "c-buses",
            Verdict::SingleSource,
            vec![find(&a, 3, "Buses")],
            &a,
            vec![],
            &[],
            "only one outlet states it",
        ),
        claim(
            "c-reopen",
            Verdict::SingleSource,
            vec![find(&a, 4, "The bridge is due")],
            &a,
            vec![],
            &["04-23"],
            "only one outlet states it",
        ),
    ];
    briefing::Analysis {
        articles: a,
        claims,
        notes: vec![],
    }
}

/// Render the invented corpus into `out` with the default theme.
pub fn build(out: &Path, base_url: &str) {
    let root = out.parent().unwrap().to_path_buf();
    let config = SiteConfig {
        title: "Birch Lane bridge: a test briefing".into(),
        description: "An invented story told by five outlets, to exercise every part of the theme."
            .into(),
        base_url: base_url.into(),
        language: "en".into(),
        content_dir: "no-content".into(),
        output_dir: "public".into(),
        templates_dir: "no-templates".into(),
        static_dir: "no-static".into(),
        keep: vec![],
    };
    let site = Site::from_config(config, root.clone(), root.join("site.toml"));
    let files = briefing::render(&site, &analysis()).expect("the fixture renders");
    briefing::output::write_site(out, &files).expect("the fixture is written");
}

/// Build the seeds with the project's own `site.toml` into `out`.
pub fn build_seeds(out: &Path) {
    let cfg = Path::new(env!("CARGO_MANIFEST_DIR")).join("site.toml");
    let site = Site::load(&cfg).expect("site.toml loads");
    briefing::build(&site, out).expect("the seeds build");
}

/// A wide corpus: `n` outlets (one article each) and 40 claims shared by different shares of
/// them, some disputed, to see the sources matrix at scale.
pub fn wide_analysis(n: usize) -> briefing::Analysis {
    const A: [&str; 10] = [
        "Northern", "Daily", "Valley", "Harbour", "Evening", "Morning", "City", "County",
        "Coastal", "Metro",
    ];
    const B: [&str; 10] = [
        "Courier",
        "Lantern",
        "Gazette",
        "Herald",
        "Post",
        "Times",
        "Record",
        "Observer",
        "Chronicle",
        "Tribune",
    ];
    let claims_n = 40;
    let states = |i: usize, k: usize| (i + k) % (1 + k % 5) == 0;
    let mut articles = Vec::new();
    for i in 0..n {
        let outlet = format!("{} {}", A[i % 10], B[(i / 10 + i * 3) % 10]);
        let lines: Vec<Line> = (0..claims_n)
            .filter(|&k| states(i, k))
            .enumerate()
            .map(|(no, k)| {
                let figure = if k % 6 == 0 && i % 3 == 0 {
                    "1,500"
                } else {
                    "1,000"
                };
                Line {
                    no: no + 1,
                    text: format!(
                        "Point {k} of the story: about {figure} people were told on day {k}."
                    ),
                }
            })
            .collect();
        let split = briefing::text::blocks::split_lines(&lines);
        articles.push(Article {
            slug: format!("a{i:02}"),
            file: format!("content/a{i:02}.txt"),
            kind: SourceKind::Txt,
            meta: Meta {
                title: Some(format!("Report {i} from {outlet}")),
                author: None,
                date: Some(format!("2024-05-{:02}", 1 + i % 28)),
                source: Some(outlet),
                url: None,
            },
            blocks: split.blocks,
            sentences: split.sentences,
            removed: vec![],
            raw: String::new(),
        });
    }
    let mut claims = Vec::new();
    for k in 0..claims_n {
        let mentions: Vec<Mention> = (0..n)
            .filter(|&i| states(i, k))
            .map(|i| find(&articles, i, &format!("Point {k} ")))
            .collect();
        if mentions.is_empty() {
            continue;
        }
        let outlets: std::collections::BTreeSet<&str> = mentions
            .iter()
            .map(|m| articles[m.article].outlet())
            .collect();
        let (mut low, mut high) = (Vec::new(), Vec::new());
        for m in &mentions {
            if articles[m.article].sentences[m.sentence]
                .text
                .contains("1,500")
            {
                high.push(*m);
            } else {
                low.push(*m);
            }
        }
        let (verdict, conflicts) = if !low.is_empty() && !high.is_empty() {
            (
                Verdict::Conflicting,
                vec![Conflict {
                    strength: Strength::Hard,
                    slot: "number".into(),
                    values: vec![
                        value("1,000", &articles, low),
                        value("1,500", &articles, high),
                    ],
                }],
            )
        } else if outlets.len() >= 2 {
            (Verdict::Corroborated, vec![])
        } else {
            (Verdict::SingleSource, vec![])
        };
        claims.push(claim(
            &format!("w{k:02}"),
            verdict,
            mentions,
            &articles,
            conflicts,
            &[],
            "made up for the test",
        ));
    }
    briefing::Analysis {
        articles,
        claims,
        notes: vec![],
    }
}

/// Render [`wide_analysis`] into `out`.
pub fn build_wide(out: &Path, n: usize) {
    let root = out.parent().unwrap().to_path_buf();
    let mut config = SiteConfig::parse("title = \"A wide test briefing\"").unwrap();
    config.description = format!("{n} invented outlets.");
    let site = Site::from_config(config, root.clone(), root.join("site.toml"));
    let files = briefing::render(&site, &wide_analysis(n)).expect("the wide fixture renders");
    briefing::output::write_site(out, &files).expect("the wide fixture is written");
}
