//! The `backroads` command line: thin glue over the library.
//!
//! Exit status: 0 success; 1 bad input or I/O error (one line on stderr);
//! 2 bad usage; 3 `solve` finished but some towns are unassigned, or `check`
//! found the solution infeasible, or `quality` / `bench` produced an
//! infeasible solution (or one with unassigned towns). `bench` goes on after
//! an input it cannot read or solve and exits 1 at the end (1 wins over 3).

use backroads::Outcome;
use backroads::distance::build_oracle;
use backroads::generate;
use backroads::horizon;
use backroads::io;
use backroads::quality;
use backroads::solution::validate;
use backroads::solver::{Flow, Objective, OperatorKind, SearchParams, SolveProgress, SolverConfig};
use backroads::text::escape;
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
    /// Solve a problem (.json, CVRPLIB .vrp or Solomon .txt) and print a summary on stderr.
    ///
    /// A JSON problem with `horizon_days` is planned over its days (one visit pattern per town, every
    /// day routed): a summary per day; --out writes the multi-day plan, --schedule one CSV with a day
    /// column, --geojson and --svg one file per day (FILE-dayN.ext); --sol is refused.
    Solve {
        /// Problem file (.json, .vrp or Solomon VRPTW .txt; detected from the extension or the content).
        input: PathBuf,
        /// Wall-clock budget in seconds.
        #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
        time_limit: Option<f64>,
        /// Iteration budget of the search (reproducible: the same seed and
        /// thread count give the same routes). Default without --time-limit: 20000.
        #[arg(long, value_name = "N")]
        iterations: Option<u64>,
        /// Seed of the search.
        #[arg(long, default_value_t = 0)]
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
        /// A best-known cost to report the gap against in the progress line.
        #[arg(long, value_name = "COST", value_parser = parse_cost)]
        best_known: Option<f64>,
        /// `distance` (the problem as given) or `vehicles`: fewest routes first, then distance
        /// (every vehicle type gets a fixed cost above any total distance; the cost shown excludes it).
        #[arg(long, value_name = "distance|vehicles", default_value_t = Objective::Distance)]
        objective: Objective,
        /// Distance convention of .vrp files: `nearest` (integer, CVRPLIB X), `exact` (real-valued, held in
        /// 1/10000 units with arcs rounded up: Golden, CMT) or `dimacs` (tenths, truncated). Default: by file
        /// kind (exact for real coordinates or a DISTANCE limit, dimacs for VRPTW, else nearest).
        #[arg(long, value_name = "nearest|exact|dimacs")]
        rounding: Option<backroads::model::Rounding>,
        /// No progress line on stderr.
        #[arg(long)]
        quiet: bool,
        /// Write the solution as JSON.
        #[arg(long, value_name = "SOLUTION.json")]
        out: Option<PathBuf>,
        /// Write the solution in CVRPLIB .sol format.
        #[arg(long, value_name = "SOLUTION.sol")]
        sol: Option<PathBuf>,
        /// Write the routes (along the roads), stops, depots and unassigned towns as GeoJSON
        /// (planar problems keep their x, y: not WGS84).
        #[arg(long, value_name = "FILE")]
        geojson: Option<PathBuf>,
        /// Draw the routes as an SVG map.
        #[arg(long, value_name = "FILE")]
        svg: Option<PathBuf>,
        /// Write the drivers' schedule as CSV (one row per stop, plus depot departure and return).
        #[arg(long, value_name = "FILE")]
        schedule: Option<PathBuf>,
        /// Let the problem read the files it references (towns CSV, road CSVs, OSM extract) outside its
        /// own folder (by default `..`, absolute paths and symlinks leading out of it are refused).
        #[arg(long)]
        allow_files_outside: bool,
    },
    /// Validate a solution (.sol or .json) against a problem.
    Check {
        /// Problem file.
        input: PathBuf,
        /// Solution file (.sol or .json).
        solution: PathBuf,
        /// Distance convention of .vrp files: `nearest` (integer, CVRPLIB X), `exact` (real-valued, held in
        /// 1/10000 units with arcs rounded up: Golden, CMT) or `dimacs` (tenths, truncated). Default: by file
        /// kind (exact for real coordinates or a DISTANCE limit, dimacs for VRPTW, else nearest).
        #[arg(long, value_name = "nearest|exact|dimacs")]
        rounding: Option<backroads::model::Rounding>,
        /// Let the problem read the files it references (towns CSV, road CSVs, OSM extract) outside its
        /// own folder (by default `..`, absolute paths and symlinks leading out of it are refused).
        #[arg(long)]
        allow_files_outside: bool,
        /// Do not compare the `.sol` file's `Cost` line with the recomputed cost (files whose Cost is in
        /// another convention, e.g. the best-known solutions of PyVRP's HFVRP and SDVRPTW families).
        #[arg(long)]
        ignore_stated_cost: bool,
    },
    /// Solve every .vrp file of a folder and compare with best-known costs.
    Quality {
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
    },
    /// Solve problem files and folders one after another, validate each
    /// solution and compare its cost with best-known costs.
    Bench {
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
        #[arg(long, value_name = "M", conflicts_with_all = ["provinces", "depots"])]
        market_towns: Option<usize>,
        /// A national instance (JSON problem): the towns split into this many provinces of
        /// clustered towns, each with its own regional depots (see --depots).
        #[arg(long, value_name = "P")]
        provinces: Option<usize>,
        /// Depots of a national instance, at least one per province (default: one per province).
        #[arg(long, value_name = "D", requires = "provinces")]
        depots: Option<usize>,
        /// Write the instance to this file instead of stdout, as its extension says: `.vrp` VRPLIB (one depot
        /// only), `.json` the JSON model; other names get the instance's own format (rural VRPLIB, national JSON).
        #[arg(long, value_name = "FILE.vrp|FILE.json")]
        out: Option<PathBuf>,
    },
    /// Serve the solver over HTTP (loopback by default): POST /v1/solve, POST /v1/jobs,
    /// GET/DELETE /v1/jobs/{id}, GET /v1/jobs/{id}/solution, GET /health, GET /openapi.json.
    ///
    /// Prints `listening on http://ADDR` on stdout once it accepts connections; SIGINT or
    /// SIGTERM stops it (queued jobs cancelled, running solves stopped) with exit status 0.
    #[cfg(feature = "serve")]
    Serve(ServeArgs),
    /// One solve of `backroads serve`, in a process of its own: the request on stdin,
    /// progress and the answer as JSON lines on stdout (internal to the service).
    #[cfg(feature = "serve")]
    #[command(hide = true)]
    ServeWorker,
    /// Import the drivable road network and settlements of an OpenStreetMap
    /// .osm.pbf extract and print its statistics (data © OpenStreetMap contributors, ODbL).
    #[cfg(feature = "osm")]
    Osm {
        /// The .osm.pbf file.
        input: PathBuf,
        /// Leave out tracks of these tracktype grades (1 = paved … 5 = soft), e.g. 4,5.
        #[arg(long, value_name = "GRADES", value_delimiter = ',')]
        avoid_tracktypes: Vec<u8>,
        /// Leave out all highway=track ways.
        #[arg(long)]
        no_tracks: bool,
        /// Keep junctions outside the largest strongly connected component.
        #[arg(long)]
        all_components: bool,
        /// Write nodes.csv, edges.csv (the layout road networks are loaded from) and settlements.csv here.
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    },
}

/// `backroads serve` flags: the address and the limits (see `backroads::serve::Limits`).
#[cfg(feature = "serve")]
#[derive(clap::Args)]
struct ServeArgs {
    /// Address to listen on (port 0: any free port, printed on start).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: std::net::SocketAddr,
    /// Largest request body, bytes.
    #[arg(long, value_name = "BYTES", default_value_t = backroads::serve::Limits::default().max_body_bytes)]
    max_body_bytes: usize,
    /// Most towns in one problem.
    #[arg(long, value_name = "N", default_value_t = backroads::serve::Limits::default().max_towns)]
    max_towns: usize,
    /// Most vehicles in one problem (stated counts plus one per vehicle type).
    #[arg(long, value_name = "N", default_value_t = backroads::serve::Limits::default().max_vehicles)]
    max_vehicles: usize,
    /// Most depots in one problem.
    #[arg(long, value_name = "N", default_value_t = backroads::serve::Limits::default().max_depots)]
    max_depots: usize,
    /// Solves running at once (one worker thread each).
    #[arg(long, value_name = "N", default_value_t = backroads::serve::Limits::default().max_running)]
    max_running: usize,
    /// Accepted solves waiting for a worker; past it new work is refused with 503 queue_full.
    #[arg(long, value_name = "N", default_value_t = backroads::serve::Limits::default().max_queue)]
    queue: usize,
    /// Longest time limit of a job, seconds (the budget of jobs that give none); more is refused (422).
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds, default_value_t = 300.0)]
    max_time_limit: f64,
    /// Longest time limit of POST /v1/solve, seconds (the budget of requests that give none).
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds, default_value_t = 30.0)]
    max_sync_time_limit: f64,
    /// Most solver threads per solve (default: one per core; the default of requests).
    #[arg(long, value_parser = parse_threads)]
    max_threads: Option<usize>,
    /// Seconds a finished job is kept; then its id answers 404.
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds, default_value_t = 3600.0)]
    job_ttl: f64,
    /// Most finished jobs kept (the oldest expire first).
    #[arg(long, value_name = "N", default_value_t = backroads::serve::Limits::default().max_finished_jobs)]
    max_finished_jobs: usize,
    /// Solve requests whose bodies are read and parsed at once (more wait up to --body-timeout,
    /// then 503 busy).
    #[arg(long, value_name = "N", default_value_t = backroads::serve::Limits::default().max_uploads)]
    max_uploads: usize,
    /// Longest wait for a request's body, seconds (slower: 408 body_timeout).
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds, default_value_t = 30.0)]
    body_timeout: f64,
    /// Connections open at once (more wait in the listen backlog).
    #[arg(long, value_name = "N", default_value_t = backroads::serve::Limits::default().max_connections)]
    max_connections: usize,
    /// Longest wait for a request's headers, seconds (new or idle kept-alive connections;
    /// slower clients are disconnected).
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds, default_value_t = 10.0)]
    header_timeout: f64,
    /// On SIGINT/SIGTERM, seconds to wait for running solves and open requests.
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds, default_value_t = 10.0)]
    shutdown_grace: f64,
    /// Largest memory of one solve, MiB: each solve runs in a process of its own, whose
    /// allocations beyond this fail and end that solve only (422 solve_aborted). 0: no limit.
    #[arg(long, value_name = "MIB", default_value_t = 4096)]
    max_solve_memory_mb: u64,
    /// Run solves on threads of the service's own process instead (no process per solve:
    /// a solve that runs out of memory then ends the service).
    #[arg(long)]
    in_process: bool,
}

/// `backroads serve`: runs until SIGINT or SIGTERM.
#[cfg(feature = "serve")]
fn run_serve(args: ServeArgs) -> Result<ExitCode, Failure> {
    let defaults = backroads::serve::Limits::default();
    let config = backroads::serve::ServeConfig {
        addr: args.addr,
        limits: backroads::serve::Limits {
            max_body_bytes: args.max_body_bytes,
            max_towns: args.max_towns,
            max_vehicles: args.max_vehicles,
            max_depots: args.max_depots,
            max_running: args.max_running,
            max_queue: args.queue,
            max_time_limit: Duration::from_secs_f64(args.max_time_limit),
            max_sync_time_limit: Duration::from_secs_f64(args.max_sync_time_limit),
            max_threads: args.max_threads.unwrap_or(defaults.max_threads),
            job_ttl: Duration::from_secs_f64(args.job_ttl),
            max_finished_jobs: args.max_finished_jobs,
            max_uploads: args.max_uploads,
            body_timeout: Duration::from_secs_f64(args.body_timeout),
            max_connections: args.max_connections,
            header_timeout: Duration::from_secs_f64(args.header_timeout),
            shutdown_grace: Duration::from_secs_f64(args.shutdown_grace),
        },
        isolation: if args.in_process {
            backroads::serve::Isolation::InProcess
        } else {
            let program = std::env::current_exe()
                .map_err(|e| format!("cannot find this program to run solves in processes of their own: {e}"))?;
            backroads::serve::Isolation::Process(backroads::serve::WorkerProgram {
                program,
                args: vec!["serve-worker".into()],
                max_memory_bytes: (args.max_solve_memory_mb > 0)
                    .then(|| args.max_solve_memory_mb.saturating_mul(1 << 20)),
            })
        },
    };
    config.limits.check().map_err(Failure::Usage)?;
    backroads::serve::run(&config, |addr| {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on http://{addr}");
        let _ = out.flush();
    })
    .map_err(|e| e.to_string())?;
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(Failure::Usage(e)) => {
            // As clap reports its own value errors: exit 2.
            eprintln!("error: {}", escape(&e));
            ExitCode::from(2)
        }
        Err(Failure::Input(e)) => {
            // Every message is escaped: no id or file content can forge a line.
            eprintln!("error: {}", escape(&e));
            ExitCode::from(1)
        }
    }
}

/// Why a command failed: bad usage (exit 2) or bad input / I/O (exit 1).
enum Failure {
    Usage(String),
    Input(String),
}

impl From<String> for Failure {
    fn from(e: String) -> Failure {
        Failure::Input(e)
    }
}

/// Longest `--time-limit`, seconds (about 31 years).
const MAX_SECONDS: f64 = 1e9;

fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(t) if (0.0..=MAX_SECONDS).contains(&t) => Ok(t),
        _ => Err(format!("expected a number of seconds within 0..={MAX_SECONDS}")),
    }
}

fn parse_threads(s: &str) -> Result<usize, String> {
    let max = backroads::solver::MAX_THREADS;
    match s.trim().parse::<usize>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(format!("expected a whole number of threads within 1..={max}")),
    }
}

fn parse_cost(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(c) if c.is_finite() && c > 0.0 => Ok(c),
        _ => Err("expected a finite, positive cost".into()),
    }
}

fn config(time_limit: Option<f64>, seed: u64, threads: Option<usize>) -> SolverConfig {
    SolverConfig {
        seed,
        threads,
        time_limit: time_limit.map(Duration::from_secs_f64),
        ..SolverConfig::default()
    }
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

/// The readers' options for `--allow-files-outside` and `--rounding`.
fn read_options(allow_files_outside: bool, rounding: Option<backroads::model::Rounding>) -> io::ReadOptions {
    io::ReadOptions {
        allow_outside: allow_files_outside,
        rounding,
        ..io::ReadOptions::default()
    }
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// How the improvement phase of big plans is split into regions.
#[derive(clap::Args, Debug, Clone, Copy)]
struct DecomposeArgs {
    /// Target towns per region when the search is decomposed (default 2000; 0 = never decompose).
    #[arg(long, value_name = "N")]
    region_towns: Option<usize>,
    /// Decompose the search when a depot has more towns than this (default 8000).
    #[arg(long, value_name = "N")]
    decompose_above: Option<usize>,
}

impl DecomposeArgs {
    fn apply(self, d: &mut backroads::solver::Decomposition) {
        d.region_towns = self.region_towns.unwrap_or(d.region_towns);
        d.above = self.decompose_above.unwrap_or(d.above);
    }
}

fn run(command: Command) -> Result<ExitCode, Failure> {
    match command {
        Command::Solve {
            input,
            time_limit,
            iterations,
            seed,
            threads,
            dense_limit,
            decompose,
            best_known,
            objective,
            rounding,
            quiet,
            out,
            sol,
            geojson,
            svg,
            schedule,
            allow_files_outside,
        } => {
            let mut cfg = config(time_limit, seed, threads);
            cfg.iterations = iterations;
            cfg.dense_matrix_limit = dense_limit.unwrap_or(cfg.dense_matrix_limit);
            decompose.apply(&mut cfg.decomposition);
            let start = Instant::now();
            let read = read_options(allow_files_outside, rounding);
            let problem = io::read_problem_file_with(&input, &read).map_err(|e| e.to_string())?;
            let oracle = build_oracle(&problem).map_err(|e| e.to_string())?;
            if problem.horizon_days.is_some() && objective != Objective::Distance {
                return Err(Failure::Usage(
                    "--objective vehicles plans single-day problems; a multi-day problem is planned by distance".into(),
                ));
            }
            if problem.horizon_days.is_some() && sol.is_some() {
                return Err(Failure::Usage(
                    "--sol writes single-day solutions; write a multi-day plan with --out".into(),
                ));
            }
            cfg.objective = objective;
            let line = ProgressLine::new(quiet);
            let label = escape(
                &input
                    .file_name()
                    .map(|f| f.to_string_lossy().to_string())
                    .unwrap_or_default(),
            )
            .into_owned();
            // The progress is in model units; the best-known cost in the instance's.
            let scale = problem.rounding.scale() as f64;
            let best_known = best_known.map(|b| b * scale);
            let observer = |p: &SolveProgress| {
                line.show(&label, best_known, p);
                Flow::Continue
            };
            let solved = match backroads::plan_observed(&problem, oracle.as_ref(), &cfg, &observer)
                .map_err(|e| e.to_string())?
            {
                Outcome::Day(solved) => solved,
                Outcome::Horizon(plan) => {
                    let outputs = HorizonOutputs {
                        out: out.as_deref(),
                        sol: sol.as_deref(),
                        geojson: geojson.as_deref(),
                        svg: svg.as_deref(),
                        schedule: schedule.as_deref(),
                    };
                    return write_horizon(&problem, oracle.as_ref(), &plan, &input, &outputs, start);
                }
            };
            let s = &solved.solution;
            // Nothing is written that the validator does not find feasible.
            let report = validate(&problem, oracle.as_ref(), s);
            if !report.is_feasible() {
                for v in &report.violations {
                    eprintln!("internal error, solution violates: {v}");
                }
                return Err(Failure::Input(format!(
                    "the solution failed validation ({} violations); nothing was written",
                    report.violations.len()
                )));
            }
            if let Some(path) = &out {
                write(path, &io::write_solution_json(s))?;
            }
            if let Some(path) = &sol {
                io::sol::check_sol_writable(&problem).map_err(|e| e.to_string())?;
                write(path, &io::write_sol(&problem, s))?;
            }
            if let Some(path) = &geojson {
                io::write_geojson_file(&problem, oracle.as_ref(), s, path).map_err(|e| e.to_string())?;
            }
            if let Some(path) = &svg {
                io::write_svg_file(&problem, oracle.as_ref(), s, path, &io::SvgOptions::default())
                    .map_err(|e| e.to_string())?;
            }
            if let Some(path) = &schedule {
                io::write_schedule_csv_file(&problem, s, path).map_err(|e| e.to_string())?;
            }
            eprintln!(
                "{}: cost {} | routes {} | towns served {} | unassigned {} | {:.3} s",
                problem_label(&problem, &input),
                io::show_cost(&problem, s),
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
                eprintln!("unassigned {}: {}", escape(&u.town), u.reason);
            }
            if s.unassigned.len() > SHOWN {
                eprintln!("... and {} more unassigned (see --out)", s.unassigned.len() - SHOWN);
            }
            Ok(if s.unassigned.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(3)
            })
        }
        Command::Check {
            input,
            solution,
            rounding,
            allow_files_outside,
            ignore_stated_cost,
        } => {
            let read = read_options(allow_files_outside, rounding);
            let problem = io::read_problem_file_with(&input, &read).map_err(|e| e.to_string())?;
            let oracle = build_oracle(&problem).map_err(|e| e.to_string())?;
            if problem.horizon_days.is_some() {
                return check_horizon(&problem, oracle.as_ref(), &solution, &read);
            }
            let (s, stated) =
                io::read_solution_file_with(&solution, &problem, oracle.as_ref(), &read).map_err(|e| e.to_string())?;
            let report = validate(&problem, oracle.as_ref(), &s);
            // The recomputed routes, costed in the instance's units (no
            // stated total enters the figure).
            let mut recomputed = s.clone();
            recomputed.totals.distance = report.cost;
            recomputed.totals.cost = report.money;
            recomputed.totals.prizes_missed = report.prizes_missed;
            let shown = io::show_cost(&problem, &recomputed);
            println!("cost {shown} | routes {}", report.routes);
            let mut ok = report.is_feasible();
            let actual = io::instance_cost(&problem, &recomputed).map_err(|e| e.to_string())?;
            if let Some(c) = stated.filter(|c| ignore_stated_cost && !c.matches(actual)) {
                println!("note: stated cost {} not compared (--ignore-stated-cost)", c.value);
            }
            if let Some(c) = stated.filter(|c| !ignore_stated_cost && !c.matches(actual)) {
                println!(
                    "violation: stated cost {} differs from recomputed cost {shown}",
                    c.value
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
            decompose,
            objective,
            rounding,
            allow_files_outside,
        } => {
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
        Command::Generate {
            towns,
            seed,
            capacity,
            market_towns,
            provinces,
            depots,
            out,
        } => {
            if let Some(provinces) = provinces {
                let spec = generate::NationalSpec {
                    towns,
                    provinces,
                    depots: depots.unwrap_or(provinces),
                    seed,
                    capacity,
                };
                spec.check().map_err(|e| Failure::Usage(e.to_string()))?;
                match &out {
                    // In the format the extension names (a .vrp of several depots is refused).
                    Some(path) => generate::write_national_instance_file(&spec, path).map_err(|e| e.to_string())?,
                    None => match generate::write_national_instance(&spec, std::io::stdout().lock()) {
                        Err(backroads::Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => {
                        }
                        other => other.map_err(|e| e.to_string())?,
                    },
                }
                return Ok(ExitCode::SUCCESS);
            }
            let spec = generate::RuralSpec {
                towns,
                seed,
                capacity,
                market_towns,
            };
            // Out-of-range flags are usage errors.
            spec.check().map_err(|e| Failure::Usage(e.to_string()))?;
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
        #[cfg(feature = "serve")]
        Command::Serve(args) => run_serve(args),
        #[cfg(feature = "serve")]
        Command::ServeWorker => Ok(
            match backroads::serve::run_worker(std::io::stdin(), std::io::stdout()) {
                0 => ExitCode::SUCCESS,
                _ => ExitCode::FAILURE,
            },
        ),
        #[cfg(feature = "osm")]
        Command::Osm {
            input,
            avoid_tracktypes,
            no_tracks,
            all_components,
            out_dir,
        } => {
            let opts = io::osm::OsmOptions {
                avoid_tracktypes,
                include_tracks: !no_tracks,
                keep_largest_scc: !all_components,
                ..Default::default()
            };
            Ok(run_osm(&input, &opts, out_dir.as_deref())?)
        }
    }
}

/// The problem's name, or the input path when it has none, escaped.
fn problem_label(problem: &backroads::model::Problem, input: &Path) -> String {
    let name = if problem.name.is_empty() {
        input.display().to_string()
    } else {
        problem.name.clone()
    };
    escape(&name).into_owned()
}

/// `backroads check` on a multi-day problem: the solution must be the plan
/// JSON that `solve --out` writes; every day, pattern and total is checked.
fn check_horizon(
    problem: &backroads::model::Problem,
    oracle: &dyn backroads::distance::TravelOracle,
    path: &Path,
    read: &io::ReadOptions,
) -> Result<ExitCode, Failure> {
    let plan = io::read_horizon_plan_file(path, problem, read).map_err(|e| e.to_string())?;
    let report = horizon::validate_horizon(problem, oracle, &plan);
    let money = if report.money > 0.0 {
        format!(" | money {:.2}", report.money)
    } else {
        String::new()
    };
    println!(
        "cost {} | routes {} | drops {}{money}",
        report.cost, report.routes, report.drops
    );
    for v in &report.violations {
        println!("violation: {v}");
    }
    let ok = report.is_feasible();
    println!("{}", if ok { "feasible" } else { "INFEASIBLE" });
    Ok(if ok { ExitCode::SUCCESS } else { ExitCode::from(3) })
}

/// Where `solve` writes a multi-day plan.
struct HorizonOutputs<'a> {
    out: Option<&'a Path>,
    sol: Option<&'a Path>,
    geojson: Option<&'a Path>,
    svg: Option<&'a Path>,
    schedule: Option<&'a Path>,
}

/// `FILE.ext` → `FILE-dayN.ext`: the per-day maps of a multi-day plan.
fn day_path(path: &Path, day: usize) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match path.extension() {
        Some(ext) => format!("{stem}-day{day}.{}", ext.to_string_lossy()),
        None => format!("{stem}-day{day}"),
    };
    path.with_file_name(name)
}

/// `backroads solve` on a problem with `horizon_days`, once planned:
/// print a summary per day and the total, write the outputs (`--out` the
/// plan JSON, `--schedule` one CSV with a `day` column, `--geojson` and
/// `--svg` one file per day named `FILE-dayN.ext`).
fn write_horizon(
    problem: &backroads::model::Problem,
    oracle: &dyn backroads::distance::TravelOracle,
    plan: &horizon::HorizonPlan,
    input: &Path,
    outputs: &HorizonOutputs<'_>,
    start: Instant,
) -> Result<ExitCode, Failure> {
    if outputs.sol.is_some() {
        return Err(Failure::Usage(
            "--sol writes single-day solutions; write a multi-day plan with --out".into(),
        ));
    }
    // Nothing is written that the validator does not find feasible.
    let report = horizon::validate_horizon(problem, oracle, plan);
    if !report.is_feasible() {
        for v in &report.violations {
            eprintln!("internal error, plan violates: {v}");
        }
        return Err(Failure::Input(format!(
            "the plan failed validation ({} violations); nothing was written",
            report.violations.len()
        )));
    }
    if let Some(path) = outputs.out {
        write(path, &plan.to_json())?;
    }
    if let Some(path) = outputs.schedule {
        let days: Vec<(u32, &backroads::solution::Solution)> =
            plan.days.iter().enumerate().map(|(d, s)| (d as u32 + 1, s)).collect();
        let file = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
        io::write_schedule_csv_days(problem, &days, std::io::BufWriter::new(file)).map_err(|e| e.to_string())?;
    }
    for (d, s) in plan.days.iter().enumerate() {
        if let Some(path) = outputs.geojson {
            io::write_geojson_file(problem, oracle, s, &day_path(path, d + 1)).map_err(|e| e.to_string())?;
        }
        if let Some(path) = outputs.svg {
            let options = io::SvgOptions {
                title: Some(format!("{} — day {}", escape(&problem.name), d + 1)),
                ..io::SvgOptions::default()
            };
            io::write_svg_file(problem, oracle, s, &day_path(path, d + 1), &options).map_err(|e| e.to_string())?;
        }
    }
    let name = problem_label(problem, input);
    for (d, s) in plan.days.iter().enumerate() {
        eprintln!(
            "day {}: routes {} | distance {} | towns {}",
            d + 1,
            s.totals.vehicles_used,
            s.totals.distance,
            s.totals.towns_served
        );
    }
    let t = &plan.totals;
    eprintln!(
        "{name}: {} days | cost {} | routes {} | drops {} | towns served {} | unassigned {} | {:.3} s",
        plan.days.len(),
        if t.cost > 0.0 {
            format!("{:.2}", t.cost)
        } else {
            t.distance.to_string()
        },
        t.routes,
        t.drops,
        t.towns_served,
        t.towns_unassigned,
        start.elapsed().as_secs_f64()
    );
    let st = &plan.stats;
    eprintln!(
        "patterns: {} moves ({:.3} s), {} day re-solves ({} kept); day solves {:.3} s, {} steps; \
         objective ({}) {} after the first day solves, {} final",
        st.pattern_moves,
        st.move_time.as_secs_f64(),
        st.resolves,
        st.resolves_kept,
        st.solve_time.as_secs_f64(),
        st.iterations,
        if st.money { "money" } else { "distance + fixed costs" },
        st.shown(st.initial_cost),
        st.shown(st.final_cost)
    );
    const SHOWN: usize = 20;
    for u in plan.unassigned.iter().take(SHOWN) {
        eprintln!("unassigned {}: {}", escape(&u.town), u.reason);
    }
    if plan.unassigned.len() > SHOWN {
        eprintln!("... and {} more unassigned (see --out)", plan.unassigned.len() - SHOWN);
    }
    Ok(if plan.unassigned.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    })
}

/// `backroads osm`: import, print the statistics, optionally write the CSVs.
#[cfg(feature = "osm")]
fn run_osm(input: &Path, opts: &io::osm::OsmOptions, out_dir: Option<&Path>) -> Result<ExitCode, String> {
    let osm = io::osm::import_pbf(input, opts).map_err(|e| e.to_string())?;
    let s = &osm.stats;
    let mut text = format!(
        "{}: imported in {:.3} s (map data (c) OpenStreetMap contributors, ODbL)\n\
         ways: {} used, {} closed to motor vehicles, {} left out by the track options, {} with missing nodes\n\
         junctions: {} ({} outside the largest strongly connected component removed)\n\
         segments: {} ({} one-way), {} directed arcs ({} removed outside the component)\n\
         total length: {:.1} km\n",
        input.display(),
        s.elapsed.as_secs_f64(),
        s.ways_used,
        s.ways_excluded_by_access,
        s.ways_excluded_by_options,
        s.ways_missing_nodes,
        s.junctions,
        s.removed_outside_scc,
        s.segments,
        s.oneway_segments,
        s.arcs,
        s.segments_removed_outside_scc,
        s.total_length_m / 1000.0,
    );
    let mut classes: Vec<(&String, &f64)> = s.length_by_class.iter().collect();
    classes.sort_by(|a, b| b.1.total_cmp(a.1).then(a.0.cmp(b.0)));
    for (class, m) in classes {
        text += &format!("  {class:<15} {:>8.1} km\n", m / 1000.0);
    }
    let mut places: Vec<(&str, usize)> = Vec::new();
    for st in &osm.settlements {
        match places.iter_mut().find(|(p, _)| *p == st.place) {
            Some((_, n)) => *n += 1,
            None => places.push((&st.place, 1)),
        }
    }
    let places: Vec<String> = places.iter().map(|(p, n)| format!("{p} {n}")).collect();
    text += &format!("settlements: {} ({})\n", osm.settlements.len(), places.join(", "));
    if let Some(dir) = out_dir {
        osm.write_csv_dir(dir).map_err(|e| e.to_string())?;
        text += &format!("wrote nodes.csv, edges.csv, settlements.csv to {}\n", dir.display());
    }
    print!("{text}");
    Ok(ExitCode::SUCCESS)
}
