//! Time the claim stage of `serve`'s rebuild after an edit, many times over, without the server
//! around it: analyse a site once, then K times change one sentence of the middle article and
//! run the cached analysis again (keeping its claims for the next, as `serve` does after a
//! reload). Prints the median, lowest and highest time of the cached analysis; with
//! `BRIEFING_CLAIM_TIMES=1` each run's stage times too; with `BRIEFING_CHECK=1` it checks that
//! the last cached analysis equals a full one. Not a test: figures depend on the machine.
//!
//! cargo run --release --example claim_edit -- bench/.corpus/1000/site.toml [K]

use std::time::Instant;

/// The allocator the `briefing` binary uses (`src/main.rs`), so the times are serve's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let config = args.next().unwrap_or_else(|| "site.toml".to_string());
    let edits: usize = args.next().map_or(Ok(20), |k| k.parse())?;
    let site = briefing::config::Site::load(std::path::Path::new(&config))?;
    let mut articles = briefing::analyse(&site)?.articles;
    let mut cache = briefing::claims::Cache::default();
    // As `serve` does: each article's content key is known (kept beside it), and the claims go
    // back to the cache without a copy.
    let mut keys: Vec<u64> = articles.iter().map(briefing::claims::text_key).collect();
    let claims = briefing::claims::analyse_cached_keyed(&articles, keys.clone(), &mut cache);
    cache.index();
    cache.keep_owned(claims);
    let a = articles.len() / 2;
    let s = (0..articles[a].sentences.len())
        .max_by_key(|&s| articles[a].sentences[s].text.len())
        .ok_or_else(|| anyhow::anyhow!("the middle article has no sentences"))?;
    let base = articles[a].sentences[s].text.clone();
    let mut times = Vec::with_capacity(edits);
    for k in 0..edits {
        articles[a].sentences[s].text = format!(
            "{base} The council later said {} people were moved.",
            100 + k
        );
        keys[a] = briefing::claims::text_key(&articles[a]);
        let t = Instant::now();
        let claims = briefing::claims::analyse_cached_keyed(&articles, keys.clone(), &mut cache);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        cache.index();
        cache.keep_owned(claims);
    }
    // BRIEFING_CHECK=1: the last cached analysis must equal a full one (slow: a fresh analysis).
    if std::env::var_os("BRIEFING_CHECK").is_some() {
        let cached = briefing::claims::analyse_cached(&articles, &mut cache);
        let full = briefing::claims::analyse(&articles);
        anyhow::ensure!(
            format!("{cached:?}") == format!("{full:?}"),
            "the cached analysis differs from a full one"
        );
        println!(
            "checked: the cached analysis equals a full one ({} claims)",
            full.len()
        );
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{} articles: claims after an edit, median {:.1} ms, min {:.1}, max {:.1} ({edits} edits)",
        articles.len(),
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
    Ok(())
}
