//! Time what `serve` renders after a one-sentence edit, once the site was rendered: the cost of
//! telling which pages changed, plus rendering those. Not a test: figures depend on the machine.
//!
//! cargo run --release --example render_edit -- bench/.corpus/1000/site.toml
//!
//! Each line gives the wall time and, on Linux, the CPU time the render thread ran (from
//! /proc/thread-self/schedstat): on a busy machine the second is the steadier figure.

use briefing::render::pages::{render_changed, render_list_pages, PageKeys};
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let config = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "site.toml".to_string());
    let site = briefing::config::Site::load(std::path::Path::new(&config))?;
    let tera = briefing::render::templates::load(&site.templates_dir)?;
    let mut a = briefing::analyse(&site)?;
    let t = Instant::now();
    let first = render_changed(
        &tera,
        &site.config,
        &a.articles,
        &a.claims,
        &PageKeys::new(),
    )?;
    println!(
        "full render: {} files in {:.0} ms",
        first.files.len(),
        t.elapsed().as_secs_f64() * 1000.0
    );
    println!("  {}", parts(&first));
    let mut keys = first.keys;
    drop(first.files);
    for k in 0..3 {
        let m = a.claims[k].mentions[0];
        let s = &mut a.articles[m.article].sentences[m.sentence];
        s.text.push_str(" (edited)");
        s.html.push_str(" (edited)");
        // What `serve` does first when the briefing is open: that list page alone.
        let (t, c) = (Instant::now(), cpu());
        let open = std::collections::BTreeSet::from(["index.html".to_string()]);
        let first = render_list_pages(&tera, &site.config, &a.articles, &a.claims, &keys, &open)?;
        println!(
            "  the briefing alone first: {} file in {:.0} ms{}",
            first.len(),
            t.elapsed().as_secs_f64() * 1000.0,
            cpu_since(c)
        );
        let (t, c) = (Instant::now(), cpu());
        let r = render_changed(&tera, &site.config, &a.articles, &a.claims, &keys)?;
        println!(
            "after editing a claim's sentence: {} files in {:.0} ms{}",
            r.files.len(),
            t.elapsed().as_secs_f64() * 1000.0,
            cpu_since(c)
        );
        println!("  {}", parts(&r));
        keys = r.keys;
    }
    let (t, c) = (Instant::now(), cpu());
    let r = render_changed(&tera, &site.config, &a.articles, &a.claims, &keys)?;
    println!(
        "nothing changed: {} files in {:.0} ms{}",
        r.files.len(),
        t.elapsed().as_secs_f64() * 1000.0,
        cpu_since(c)
    );
    println!("  {}", parts(&r));
    keys = r.keys;
    // A claim's wording changes (as when an edit regroups sentences): the list pages, the
    // search index and claims.json are made again too.
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    for k in 0..rounds {
        a.claims[k].text.push_str(" (edited)");
        let (t, c) = (Instant::now(), cpu());
        let r = render_changed(&tera, &site.config, &a.articles, &a.claims, &keys)?;
        println!(
            "after a claim's wording changed: {} files in {:.0} ms{}",
            r.files.len(),
            t.elapsed().as_secs_f64() * 1000.0,
            cpu_since(c)
        );
        println!("  {}", parts(&r));
        keys = r.keys;
    }
    Ok(())
}

/// The render's time per part, in ms.
fn parts(r: &briefing::render::pages::Rendered) -> String {
    let p: Vec<String> = r
        .timings
        .iter()
        .map(|(n, d)| format!("{n} {:.1}", d.as_secs_f64() * 1000.0))
        .collect();
    format!("[{}]", p.join(", "))
}

/// CPU time this thread has run, in ns (Linux), if known.
fn cpu() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

fn cpu_since(start: Option<u64>) -> String {
    match (start, cpu()) {
        (Some(a), Some(b)) => format!(" (cpu {:.0} ms)", (b - a) as f64 / 1e6),
        _ => String::new(),
    }
}
