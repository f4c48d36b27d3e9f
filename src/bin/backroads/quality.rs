//! `backroads quality`: its flags and the run over a folder of .vrp files
//! against best-known costs.

use crate::failure::Failure;
use crate::options::{config, parse_seconds, parse_threads};
use backroads::quality;
use std::path::PathBuf;
use std::process::ExitCode;

/// `backroads quality` flags (the help text is on `Command::Quality`).
#[derive(clap::Args)]
pub(crate) struct QualityArgs {
    /// Folder of .vrp files.
    dir: PathBuf,
    /// CSV with `instance` and `bks` columns (default: DIR/../bks.csv, then DIR/../../bks.csv).
    #[arg(long)]
    bks: Option<PathBuf>,
    /// Wall-clock budget per instance, seconds.
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    time_limit: Option<f64>,
    /// Worker threads (at most 256).
    #[arg(long, value_parser = parse_threads)]
    threads: Option<usize>,
    /// Run only the classic savings (λ = 1) instead of the shape grid.
    #[arg(long)]
    classic_savings: bool,
}

/// `backroads quality`: exit 0 when every solution is feasible, 3 when not.
pub(crate) fn run(args: QualityArgs) -> Result<ExitCode, Failure> {
    let QualityArgs {
        dir,
        bks,
        time_limit,
        threads,
        classic_savings,
    } = args;
    let mut cfg = config(time_limit, 0, threads);
    if classic_savings {
        cfg.savings_variants = vec![backroads::solver::SavingsParams::default()];
    }
    let rows = quality::run_folder(&dir, bks.as_deref(), &cfg).map_err(|e| e.to_string())?;
    print!("{}", quality::markdown_table(&rows));
    Ok(if rows.iter().all(|r| r.feasible) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    })
}
