//! `backroads bench`: its flags (search variants included) and the run over
//! problem files and folders, row by row, against best-known costs.

use crate::failure::Failure;
use crate::options::{DecomposeArgs, config, parse_seconds, parse_threads, read_options};
use crate::progress::ProgressLine;
use backroads::quality;
use backroads::solver::{Objective, OperatorKind, SearchParams, SolveProgress};
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// `backroads bench` flags (the help text is on `Command::Bench`).
#[derive(clap::Args)]
pub(crate) struct BenchArgs {
    /// Problem files (.vrp, .json or Solomon .txt) and folders (their .vrp, .json and Solomon .txt files,
    /// sorted by name).
    #[arg(required = true, value_name = "FILES_OR_DIRS")]
    inputs: Vec<PathBuf>,
    /// CSV with `instance` and `bks` columns (default: a bks.csv in each input's folder, or one or two
    /// folders up).
    #[arg(long, value_name = "CSV")]
    bks: Option<PathBuf>,
    /// Wall-clock budget per instance, seconds.
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    time_limit: Option<f64>,
    /// Iteration budget per instance for the improvement phase.
    #[arg(long, value_name = "N")]
    iterations: Option<u64>,
    /// Seed for randomised phases.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Worker threads (default: one per core; at most 256).
    #[arg(long, value_parser = parse_threads)]
    threads: Option<usize>,
    /// Depots with more nodes than this compute distances on demand instead of caching
    /// dense matrices (default 4000; 0 = always on demand).
    #[arg(long, value_name = "N")]
    dense_limit: Option<usize>,
    #[command(flatten)]
    decompose: DecomposeArgs,
    /// Also write the rows as CSV (instance,n,bks,cost,gap_percent,time_s,feasible,routes).
    #[arg(long, value_name = "OUT")]
    csv: Option<PathBuf>,
    /// No progress line on stderr.
    #[arg(long)]
    quiet: bool,
    /// Search variant: local-search operators, comma-separated, from
    /// relocate, swap, 2-opt*, 2-opt, cross; `none` = pure ruin-and-recreate.
    #[arg(long, value_name = "LIST")]
    operators: Option<String>,
    /// Search variant: neighbours per town that generate moves.
    #[arg(long, value_name = "K")]
    granularity: Option<usize>,
    /// Search variant: start and end temperature in mean arcs, e.g. `1.0,0.01`.
    #[arg(long, value_name = "T0,T1")]
    temperature: Option<String>,
    /// `distance` (the problems as given) or `vehicles`: fewest routes first, then distance
    /// (every vehicle type gets a fixed cost above any total distance; the cost shown excludes it).
    #[arg(long, value_name = "distance|vehicles", default_value_t = Objective::Distance)]
    objective: Objective,
    /// Distance convention of .vrp files: `nearest` (integer, CVRPLIB X), `exact` (real-valued, held in
    /// 1/10000 units with arcs rounded up: Golden, CMT) or `dimacs` (tenths, truncated). Default: by file
    /// kind (exact for real coordinates or a DISTANCE limit, dimacs for VRPTW, else nearest).
    #[arg(long, value_name = "nearest|exact|dimacs")]
    rounding: Option<backroads::model::Rounding>,
    /// Let the problem read the files it references (towns CSV, road CSVs, OSM extract) outside its
    /// own folder (by default `..`, absolute paths and symlinks leading out of it are refused).
    #[arg(long)]
    allow_files_outside: bool,
}

/// `backroads bench`: exit 1 when an input failed, else 3 when a solution is infeasible, else 0.
pub(crate) fn run(args: BenchArgs) -> Result<ExitCode, Failure> {
    let BenchArgs {
        inputs,
        bks,
        time_limit,
        iterations,
        seed,
        threads,
        dense_limit,
        decompose,
        csv,
        quiet,
        operators,
        granularity,
        temperature,
        objective,
        rounding,
        allow_files_outside,
    } = args;
    let read = read_options(allow_files_outside, rounding);
    let mut cfg = config(time_limit, seed, threads);
    cfg.iterations = iterations;
    cfg.dense_matrix_limit = dense_limit.unwrap_or(cfg.dense_matrix_limit);
    decompose.apply(&mut cfg.decomposition);
    search_variant(
        &mut cfg.search,
        operators.as_deref(),
        granularity,
        temperature.as_deref(),
    )
    .map_err(Failure::Usage)?;
    let bks = bks
        .map(|p| quality::read_bks_table_with(&p, &read))
        .transpose()
        .map_err(|e| e.to_string())?;
    let mut csv = csv
        .map(|p| quality::CsvReport::create(&p))
        .transpose()
        .map_err(|e| e.to_string())?;
    let mut stdout = std::io::stdout();
    let mut header_shown = false;
    let line = ProgressLine::new(quiet);
    let progress = |name: &str, bks: Option<f64>, p: &SolveProgress| line.show(name, bks, p);
    let runs = quality::run_bench(&inputs, bks.as_ref(), &cfg, objective, &read, &progress, |run| {
        if !header_shown {
            print!("{}", quality::markdown_header());
            header_shown = true;
        }
        match &run.result {
            Ok(row) => {
                print!("{}", quality::markdown_row(row));
                if let Some(csv) = &mut csv {
                    csv.write_row(row)?;
                }
            }
            Err(e) => eprintln!("error: {}", quality::describe_failure(&run.path, e)),
        }
        let _ = stdout.flush();
        Ok(())
    })
    .map_err(|e| e.to_string())?;
    print!("{}", quality::bench_summary(&runs));
    Ok(if runs.iter().any(|r| r.result.is_err()) {
        ExitCode::from(1)
    } else if runs.iter().any(|r| r.result.as_ref().is_ok_and(|row| !row.feasible)) {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

/// Applies `bench`'s search-variant flags.
fn search_variant(
    p: &mut SearchParams,
    operators: Option<&str>,
    granularity: Option<usize>,
    temperature: Option<&str>,
) -> Result<(), String> {
    if let Some(list) = operators {
        p.operators = if list == "none" {
            Vec::new()
        } else {
            list.split(',')
                .map(|name| {
                    OperatorKind::ALL
                        .into_iter()
                        .find(|k| k.build().name() == name.trim())
                        .ok_or_else(|| {
                            format!(
                                "--operators: unknown operator '{name}' (relocate, swap, 2-opt*, 2-opt, cross, or none)"
                            )
                        })
                })
                .collect::<Result<_, _>>()?
        };
    }
    if let Some(k) = granularity {
        if k == 0 {
            return Err("--granularity must be at least 1".into());
        }
        p.granularity = k;
    }
    if let Some(t) = temperature {
        let parsed: Vec<Option<f64>> = t.split(',').map(|x| x.trim().parse().ok()).collect();
        match parsed[..] {
            [Some(t0), Some(t1)] if t0 > 0.0 && t1 > 0.0 && t0.is_finite() && t1.is_finite() => {
                p.start_temperature = t0;
                p.final_temperature = t1;
            }
            _ => return Err(format!("--temperature wants two positive numbers T0,T1, got '{t}'")),
        }
    }
    Ok(())
}
