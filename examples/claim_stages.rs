//! Time the claim engine's stages (extract, match, judge) on a site, to see what one rebuild of
//! `serve` spends where. Not a test: figures depend on the machine.
//!
//! cargo run --release --example claim_stages -- bench/.corpus/1000/site.toml

use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let config = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "site.toml".to_string());
    let site = briefing::config::Site::load(std::path::Path::new(&config))?;
    let t = Instant::now();
    let analysis = briefing::analyse(&site)?;
    let whole = t.elapsed();
    let articles = &analysis.articles;
    let t = Instant::now();
    let features = briefing::claims::extract::extract_corpus(articles);
    let extract = t.elapsed();
    let t = Instant::now();
    let clusters = briefing::claims::matcher::cluster(&features);
    let cluster = t.elapsed();
    let t = Instant::now();
    let claims = briefing::claims::judge::judge(articles, &features, clusters);
    let judge = t.elapsed();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{} articles, {} features, {} claims: analyse (load..judge) {:.0} ms; extract {:.0} ms, match {:.0} ms, judge {:.0} ms",
        articles.len(),
        features.len(),
        claims.len(),
        ms(whole),
        ms(extract),
        ms(cluster),
        ms(judge)
    );
    // What `serve` redoes per edit: the cached analysis with every article's features kept
    // (matching and judging over the whole corpus).
    let mut cache = briefing::claims::Cache::default();
    let _ = briefing::claims::analyse_cached(articles, &mut cache);
    let t = Instant::now();
    let again = briefing::claims::analyse_cached(articles, &mut cache);
    let cached = t.elapsed();
    assert_eq!(again.len(), claims.len());
    println!(
        "cached analysis (features kept, {} articles extracted): {:.0} ms",
        cache.extracted,
        ms(cached)
    );
    // One sentence of one article edited (a new figure), as `bench/serve.py` does; the result
    // must be what a full analysis of the edited corpus gives.
    let mut edited = articles.clone();
    let k = edited.len() / 2;
    if let Some(s) = edited[k].sentences.first_mut() {
        s.text
            .push_str(" The council later said 17 people were moved.");
    }
    let t = Instant::now();
    let after = briefing::claims::analyse_cached(&edited, &mut cache);
    let one = t.elapsed();
    let full = briefing::claims::analyse(&edited);
    assert_eq!(format!("{after:?}"), format!("{full:?}"), "cached != full");
    println!(
        "cached analysis after a one-sentence edit ({} article extracted, {} pairs scored and {} reused, {} claims judged and {} reused): {:.0} ms (same claims as a full analysis)",
        cache.extracted,
        cache.pairs.scored,
        cache.pairs.reused,
        cache.judged.judged,
        cache.judged.reused,
        ms(one)
    );
    if std::env::var_os("CLAIM_STAGES_REPEAT").is_some() {
        for _ in 0..5 {
            let _ = briefing::claims::analyse_cached(articles, &mut cache);
        }
    }
    Ok(())
}
