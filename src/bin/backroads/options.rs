//! Flags shared by several commands: their parsers (`--time-limit`,
//! `--threads`, `--best-known`), the decomposition flags, and the solver
//! and reader options they set.

use backroads::io;
use backroads::solver::SolverConfig;
use std::time::Duration;

/// Longest `--time-limit`, seconds (about 31 years).
const MAX_SECONDS: f64 = 1e9;

pub(crate) fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(t) if (0.0..=MAX_SECONDS).contains(&t) => Ok(t),
        _ => Err(format!("expected a number of seconds within 0..={MAX_SECONDS}")),
    }
}

pub(crate) fn parse_threads(s: &str) -> Result<usize, String> {
    let max = backroads::solver::MAX_THREADS;
    match s.trim().parse::<usize>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(format!("expected a whole number of threads within 1..={max}")),
    }
}

pub(crate) fn parse_cost(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(c) if c.is_finite() && c > 0.0 => Ok(c),
        _ => Err("expected a finite, positive cost".into()),
    }
}

/// A finite cost of at least 0.
pub(crate) fn parse_non_negative_cost(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(c) if c.is_finite() && c >= 0.0 => Ok(c),
        _ => Err("expected a finite cost of at least 0".into()),
    }
}

pub(crate) fn config(time_limit: Option<f64>, seed: u64, threads: Option<usize>) -> SolverConfig {
    SolverConfig {
        seed,
        threads,
        time_limit: time_limit.map(Duration::from_secs_f64),
        ..SolverConfig::default()
    }
}

/// The readers' options for `--allow-files-outside` and `--rounding`.
pub(crate) fn read_options(allow_files_outside: bool, rounding: Option<backroads::model::Rounding>) -> io::ReadOptions {
    io::ReadOptions {
        allow_outside: allow_files_outside,
        rounding,
        ..io::ReadOptions::default()
    }
}

/// How the improvement phase of big plans is split into regions.
#[derive(clap::Args, Debug, Clone, Copy)]
pub(crate) struct DecomposeArgs {
    /// Target towns per region when the search is decomposed (default 2000; 0 = never decompose).
    #[arg(long, value_name = "N")]
    region_towns: Option<usize>,
    /// Decompose the search when a depot has more towns than this (default 8000).
    #[arg(long, value_name = "N")]
    decompose_above: Option<usize>,
}

impl DecomposeArgs {
    pub(crate) fn apply(self, d: &mut backroads::solver::Decomposition) {
        d.region_towns = self.region_towns.unwrap_or(d.region_towns);
        d.above = self.decompose_above.unwrap_or(d.above);
    }
}

/// Reads a problem file for a command; a state of the day in it gives the
/// problem of the rest of the day ([`backroads::settle_day`]) and what
/// became of its vehicles.
pub(crate) fn read_problem(
    input: &std::path::Path,
    read: &backroads::io::ReadOptions,
) -> Result<(backroads::model::Problem, Option<backroads::SettledDay>), String> {
    let problem = backroads::io::read_problem_file_with(input, read).map_err(|e| e.to_string())?;
    backroads::settle_day(problem).map_err(|e| e.to_string())
}
