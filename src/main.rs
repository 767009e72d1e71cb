//! The `briefing` command line: parse arguments, call the library, print the report.

use anyhow::Result;
use briefing::config::Site;
use briefing::model::Verdict;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc instead of the system allocator: `serve` makes and frees tens of thousands of
/// strings and several files of tens of MB per rebuild; glibc returns those big blocks to the
/// kernel and faults them in again on the next rebuild, mimalloc keeps them for reuse.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "briefing",
    version,
    about = "Turn a folder of news articles about one story into a fact-checked briefing site"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build {
        /// The site's configuration file; its folder is the site root.
        #[arg(long, default_value = "site.toml")]
        config: PathBuf,
        /// Output folder (default: `output_dir` from the config, relative to the site root).
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Build, serve over HTTP, watch the inputs, rebuild on change and reload open pages.
    Serve {
        /// The site's configuration file; its folder is the site root.
        #[arg(long, default_value = "site.toml")]
        config: PathBuf,
        /// Output folder (default: `output_dir` from the config).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Port to listen on (0: any free port).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on. Anything but a loopback address exposes the site to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Poll the files instead of relying on file system events.
        #[arg(long)]
        poll: bool,
    },
    /// Analyse only (no output folder written): print each article's metadata and the lines
    /// removed as boilerplate, then the claim summary.
    Check {
        /// The site's configuration file; its folder is the site root.
        #[arg(long, default_value = "site.toml")]
        config: PathBuf,
    },
    /// Create a new site in DIR (new or empty): site.toml, content/ with an example article,
    /// and the default templates and static files to edit.
    Init {
        /// The folder to create the site in.
        dir: PathBuf,
    },
    /// Score sentence pairs with the claim matcher (same scoring and threshold as the build).
    ///
    /// With --tsv, print `SCORE<TAB>DECISION` per pair of the file (last two columns, header
    /// skipped); with two sentences, explain the score of that pair.
    Similar {
        /// A tab-separated file of pairs.
        #[arg(long, conflicts_with_all = ["a", "b"])]
        tsv: Option<PathBuf>,
        /// First sentence.
        #[arg(required_unless_present = "tsv")]
        a: Option<String>,
        /// Second sentence.
        #[arg(required_unless_present = "tsv")]
        b: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse(); // usage errors exit with code 2
    let result = match cli.command {
        Command::Build { config, output } => build(config, output),
        Command::Serve {
            config,
            output,
            port,
            bind,
            open,
            poll,
        } => briefing::serve::run(briefing::serve::Options {
            config,
            output,
            bind,
            port,
            open,
            poll,
        }),
        Command::Check { config } => check(config),
        Command::Init { dir } => init(dir),
        Command::Similar { tsv, a, b } => similar(tsv, a, b),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn init(dir: PathBuf) -> Result<()> {
    let files = briefing::init::init_site(&dir)?;
    println!(
        "Created a new site in {} ({} files):",
        dir.display(),
        files.len()
    );
    println!("  site.toml       the settings (title, folders, base_url)");
    println!("  content/        your articles (.txt or .md); example.md shows the front matter");
    println!("  templates/      the default theme's templates, to edit or delete");
    println!("  static/         the default style sheet and scripts");
    let config = dir.join("site.toml");
    println!("Next: briefing build --config {}", config.display());
    println!("  or: briefing serve --config {}", config.display());
    Ok(())
}

fn build(config: PathBuf, output: Option<PathBuf>) -> Result<()> {
    let site = Site::load(&config)?;
    let output = output.unwrap_or_else(|| site.output_dir.clone());
    let report = briefing::build(&site, &output)?;
    for note in &report.notes {
        eprintln!("note: {note}");
    }
    let c = &report.claims;
    println!(
        "Built \u{201c}{}\u{201d} into {}",
        site.config.title,
        output.display()
    );
    println!(
        "  articles   {} read, {} lines removed as boilerplate",
        report.articles, report.removed_lines
    );
    println!("  sentences  {}", report.sentences);
    println!(
        "  claims     {}: {} corroborated, {} conflicting, {} single-source",
        c.values().sum::<usize>(),
        c["corroborated"],
        c["conflicting"],
        c["single-source"]
    );
    println!(
        "  written    {} pages, {} files",
        report.pages, report.files
    );
    println!(
        "  time       {:.0} ms",
        report.elapsed.as_secs_f64() * 1000.0
    );
    Ok(())
}

fn check(config: PathBuf) -> Result<()> {
    let site = Site::load(&config)?;
    let analysis = briefing::analyse(&site)?;
    for note in &analysis.notes {
        eprintln!("note: {note}");
    }
    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".to_string());
    for a in &analysis.articles {
        let m = &a.meta;
        println!("{}", a.file);
        println!("  title    {}", show(&m.title));
        println!("  author   {}", show(&m.author));
        println!("  date     {}", show(&m.date));
        println!("  source   {}", show(&m.source));
        println!(
            "  text     {} sentences kept, {} lines or parts removed",
            a.sentences.len(),
            a.removed.len()
        );
        for r in &a.removed {
            let text: String = r.text.chars().take(100).collect();
            let more = if r.text.chars().count() > 100 {
                "\u{2026}"
            } else {
                ""
            };
            println!("    - line {:>3} [{}] {text}{more}", r.line, r.reason);
        }
    }
    let count = |v: Verdict| analysis.claims.iter().filter(|c| c.verdict == v).count();
    println!(
        "claims: {} ({} corroborated, {} conflicting, {} single-source)",
        analysis.claims.len(),
        count(Verdict::Corroborated),
        count(Verdict::Conflicting),
        count(Verdict::SingleSource)
    );
    Ok(())
}

fn similar(tsv: Option<PathBuf>, a: Option<String>, b: Option<String>) -> Result<()> {
    use briefing::claims::similar;
    use std::io::Write;
    let text = match (tsv, a, b) {
        (Some(path), _, _) => similar::tsv_output(&similar::read_pairs(&path)?),
        (None, Some(a), Some(b)) => similar::explain(&a, &b),
        _ => anyhow::bail!("give --tsv FILE or two sentences"),
    };
    std::io::stdout().write_all(text.as_bytes())?;
    Ok(())
}
