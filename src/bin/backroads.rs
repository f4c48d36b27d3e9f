//! The `backroads` command line: thin glue over the library.
//!
//! Exit status: 0 success; 1 bad input or I/O error (one line on stderr);
//! 2 bad usage; 3 `solve` finished but some towns are unassigned, or `check`
//! found the solution infeasible, or `quality` / `bench` produced an
//! infeasible solution (or one with unassigned towns). `bench` goes on after
//! an input it cannot read or solve and exits 1 at the end (1 wins over 3).

use backroads::distance::build_oracle;
use backroads::generate;
use backroads::io;
use backroads::quality;
use backroads::solution::validate;
use backroads::solver::search::OperatorKind;
use backroads::solver::{Flow, SearchParams, SolveProgress, SolverConfig, solve_observed};
use clap::{Parser, Subcommand};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(name = "backroads", version, about = "Delivery routes for rural road networks")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Solve a problem (.json or CVRPLIB .vrp) and print a summary on stderr.
    Solve {
        /// Problem file (.json or .vrp; detected from the extension or the content).
        input: PathBuf,
        /// Wall-clock budget in seconds.
        #[arg(long, value_name = "SECONDS")]
        time_limit: Option<f64>,
        /// Iteration budget of the search (reproducible: the same seed and
        /// thread count give the same routes). Default without --time-limit: 20000.
        #[arg(long, value_name = "N")]
        iterations: Option<u64>,
        /// Seed of the search.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Worker threads (default: one per core).
        #[arg(long)]
        threads: Option<usize>,
        /// Depots with more nodes than this compute distances on demand instead of caching
        /// dense matrices (default 4000; 0 = always on demand).
        #[arg(long, value_name = "N")]
        dense_limit: Option<usize>,
        /// A best-known cost to report the gap against in the progress line.
        #[arg(long, value_name = "COST")]
        best_known: Option<f64>,
        /// No progress line on stderr.
        #[arg(long)]
        quiet: bool,
        /// Write the solution as JSON.
        #[arg(long, value_name = "SOLUTION.json")]
        out: Option<PathBuf>,
        /// Write the solution in CVRPLIB .sol format.
        #[arg(long, value_name = "SOLUTION.sol")]
        sol: Option<PathBuf>,
    },
    /// Validate a solution (.sol or .json) against a problem.
    Check {
        /// Problem file.
        input: PathBuf,
        /// Solution file (.sol or .json).
        solution: PathBuf,
    },
    /// Solve every .vrp file of a folder and compare with best-known costs.
    Quality {
        /// Folder of .vrp files.
        dir: PathBuf,
        /// CSV with `instance` and `bks` columns (default: DIR/../bks.csv, then DIR/../../bks.csv).
        #[arg(long)]
        bks: Option<PathBuf>,
        /// Wall-clock budget per instance, seconds.
        #[arg(long, value_name = "SECONDS")]
        time_limit: Option<f64>,
        /// Worker threads.
        #[arg(long)]
        threads: Option<usize>,
        /// Run only the classic savings (λ = 1) instead of the shape grid.
        #[arg(long)]
        classic_savings: bool,
    },
    /// Solve problem files and folders one after another, validate each
    /// solution and compare its cost with best-known costs.
    Bench {
        /// Problem files (.vrp or .json) and folders (their .vrp and .json files, sorted by name).
        #[arg(required = true, value_name = "FILES_OR_DIRS")]
        inputs: Vec<PathBuf>,
        /// CSV with `instance` and `bks` columns (default: a bks.csv in each input's folder, or one or two
        /// folders up).
        #[arg(long, value_name = "CSV")]
        bks: Option<PathBuf>,
        /// Wall-clock budget per instance, seconds.
        #[arg(long, value_name = "SECONDS")]
        time_limit: Option<f64>,
        /// Iteration budget per instance for the improvement phase.
        #[arg(long, value_name = "N")]
        iterations: Option<u64>,
        /// Seed for randomised phases.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Worker threads (default: one per core).
        #[arg(long)]
        threads: Option<usize>,
        /// Depots with more nodes than this compute distances on demand instead of caching
        /// dense matrices (default 4000; 0 = always on demand).
        #[arg(long, value_name = "N")]
        dense_limit: Option<usize>,
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
    },
    /// Generate a clustered rural CVRP instance (.vrp, EUC_2D, 1 unit = 100 m) for scale benchmarks.
    Generate {
        /// Number of towns (customers), depot excluded.
        #[arg(long, value_name = "N")]
        towns: usize,
        /// Seed of the generator (the same flags give the same file).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Vehicle capacity; every demand is at most this.
        #[arg(long, value_name = "Q", default_value_t = backroads::generate::RuralSpec::DEFAULT_CAPACITY)]
        capacity: u32,
        /// Number of market towns (cluster centres; default: towns / 150, at least 1).
        #[arg(long, value_name = "M")]
        market_towns: Option<usize>,
        /// Write the instance to this file instead of stdout.
        #[arg(long, value_name = "FILE.vrp")]
        out: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn config(time_limit: Option<f64>, seed: u64, threads: Option<usize>) -> Result<SolverConfig, String> {
    let time_limit = match time_limit {
        None => None,
        Some(t) if (0.0..1e9).contains(&t) => Some(Duration::from_secs_f64(t)),
        Some(t) => {
            return Err(format!(
                "--time-limit must be a non-negative number of seconds, got {t}"
            ));
        }
    };
    Ok(SolverConfig {
        seed,
        threads,
        time_limit,
        ..SolverConfig::default()
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

/// Prints the search's progress on stderr, at most once a second.
struct ProgressLine {
    last: Mutex<Option<Instant>>,
    quiet: bool,
}

impl ProgressLine {
    fn new(quiet: bool) -> Self {
        ProgressLine {
            last: Mutex::new(None),
            quiet,
        }
    }

    fn show(&self, label: &str, best_known: Option<f64>, p: &SolveProgress) {
        if self.quiet {
            return;
        }
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if last.is_some_and(|t| t.elapsed() < Duration::from_secs(1)) {
            return;
        }
        *last = Some(Instant::now());
        let gap = best_known
            .filter(|&b| b > 0.0)
            .map(|b| format!(" | gap {:.2} %", 100.0 * (p.best_cost as f64 - b) / b))
            .unwrap_or_default();
        eprintln!(
            "{label}: best {}{gap} | {} steps | {:.1} s",
            p.best_cost,
            p.iterations,
            p.elapsed.as_secs_f64()
        );
    }
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn run(command: Command) -> Result<ExitCode, String> {
    match command {
        Command::Solve {
            input,
            time_limit,
            iterations,
            seed,
            threads,
            dense_limit,
            best_known,
            quiet,
            out,
            sol,
        } => {
            let mut cfg = config(time_limit, seed, threads)?;
            cfg.iterations = iterations;
            cfg.dense_matrix_limit = dense_limit.unwrap_or(cfg.dense_matrix_limit);
            let start = Instant::now();
            let problem = io::read_problem_file(&input).map_err(|e| e.to_string())?;
            let oracle = build_oracle(&problem).map_err(|e| e.to_string())?;
            let line = ProgressLine::new(quiet);
            let label = input
                .file_name()
                .map(|f| f.to_string_lossy().to_string())
                .unwrap_or_default();
            let observer = |p: &SolveProgress| {
                line.show(&label, best_known, p);
                Flow::Continue
            };
            let solved = solve_observed(&problem, oracle.as_ref(), &cfg, &observer).map_err(|e| e.to_string())?;
            let s = &solved.solution;
            let report = validate(&problem, oracle.as_ref(), s);
            if let Some(path) = &out {
                write(path, &io::write_solution_json(s))?;
            }
            if let Some(path) = &sol {
                write(path, &io::write_sol(&problem, s))?;
            }
            eprintln!(
                "{}: cost {} | routes {} | towns served {} | unassigned {} | {:.3} s",
                if problem.name.is_empty() {
                    input.display().to_string()
                } else {
                    problem.name.clone()
                },
                s.totals.distance,
                s.totals.vehicles_used,
                s.totals.towns_served,
                s.totals.towns_unassigned,
                start.elapsed().as_secs_f64()
            );
            if let Some(snaps) = oracle.snaps() {
                let worst = snaps.iter().map(|s| s.distance_m).fold(0.0, f64::max);
                eprintln!(
                    "road network: {} locations snapped, largest snap {worst:.0} m",
                    snaps.len()
                );
            }
            const SHOWN: usize = 20;
            for u in s.unassigned.iter().take(SHOWN) {
                eprintln!("unassigned {}: {}", u.town, u.reason);
            }
            if s.unassigned.len() > SHOWN {
                eprintln!("... and {} more unassigned (see --out)", s.unassigned.len() - SHOWN);
            }
            if !report.is_feasible() {
                for v in &report.violations {
                    eprintln!("internal error, solution violates: {v}");
                }
                return Ok(ExitCode::from(1));
            }
            Ok(if s.unassigned.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(3)
            })
        }
        Command::Check { input, solution } => {
            let problem = io::read_problem_file(&input).map_err(|e| e.to_string())?;
            let oracle = build_oracle(&problem).map_err(|e| e.to_string())?;
            let (s, stated) =
                io::read_solution_file(&solution, &problem, oracle.as_ref()).map_err(|e| e.to_string())?;
            let report = validate(&problem, oracle.as_ref(), &s);
            println!("cost {} | routes {}", report.cost, report.routes);
            let mut ok = report.is_feasible();
            if let Some(c) = stated.filter(|&c| c != report.cost) {
                println!(
                    "violation: stated cost {c} differs from recomputed cost {}",
                    report.cost
                );
                ok = false;
            }
            for v in &report.violations {
                println!("violation: {v}");
            }
            println!("{}", if ok { "feasible" } else { "INFEASIBLE" });
            Ok(if ok { ExitCode::SUCCESS } else { ExitCode::from(3) })
        }
        Command::Quality {
            dir,
            bks,
            time_limit,
            threads,
            classic_savings,
        } => {
            let mut cfg = config(time_limit, 0, threads)?;
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
        Command::Bench {
            inputs,
            bks,
            time_limit,
            iterations,
            seed,
            threads,
            csv,
            quiet,
            operators,
            granularity,
            temperature,
            dense_limit,
        } => {
            let mut cfg = config(time_limit, seed, threads)?;
            cfg.iterations = iterations;
            cfg.dense_matrix_limit = dense_limit.unwrap_or(cfg.dense_matrix_limit);
            search_variant(
                &mut cfg.search,
                operators.as_deref(),
                granularity,
                temperature.as_deref(),
            )?;
            let bks = bks
                .map(|p| quality::read_bks(&p))
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
            let runs = quality::run_bench(&inputs, bks.as_ref(), &cfg, &progress, |run| {
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
        Command::Generate {
            towns,
            seed,
            capacity,
            market_towns,
            out,
        } => {
            let spec = generate::RuralSpec {
                towns,
                seed,
                capacity,
                market_towns,
            };
            match &out {
                Some(path) => generate::write_rural_instance_file(&spec, path).map_err(|e| e.to_string())?,
                None => match generate::write_rural_instance(&spec, std::io::stdout().lock()) {
                    // A closed pipe (`| head`) is the reader's choice, not an error.
                    Err(backroads::Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => {}
                    other => other.map_err(|e| e.to_string())?,
                },
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
