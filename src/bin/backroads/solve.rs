//! `backroads solve`: its flags, the solve of a single-day problem with its
//! outputs and summary (multi-day plans go on in [`crate::horizon_output`]).

use crate::failure::Failure;
use crate::horizon_output::{HorizonOutputs, write_horizon};
use crate::options::{
    DecomposeArgs, config, parse_cost, parse_non_negative_cost, parse_seconds, parse_threads, read_options,
    read_problem,
};
use crate::output::{problem_label, write};
use crate::progress::ProgressLine;
use backroads::distance::build_oracle;
use backroads::io;
use backroads::solution::validate;
use backroads::solver::{Flow, Objective, SolveProgress};
use backroads::text::escape;
use backroads::{Outcome, SettledDay};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// `backroads solve` flags (the help text is on `Command::Solve`).
#[derive(clap::Args)]
pub(crate) struct SolveArgs {
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
    /// Start from a previous plan (the JSON `solve --out` writes, a JSON of sequences, or a .sol):
    /// its routes, repaired where a rule no longer holds, replace the construction; towns the
    /// problem no longer has are left out, new ones start unplanned.
    #[arg(long, value_name = "PLAN")]
    initial: Option<PathBuf>,
    /// With --initial: what moving a town to another vehicle than the one it had costs, in the
    /// objective's units (money when vehicles have running costs, else distance). Default 0: towns
    /// move freely.
    #[arg(long, value_name = "COST", value_parser = parse_non_negative_cost, requires = "initial")]
    change_penalty: Option<f64>,
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
}

/// `backroads solve`: exit 0, or 3 when some towns are unassigned.
pub(crate) fn run(args: SolveArgs) -> Result<ExitCode, Failure> {
    let SolveArgs {
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
        initial,
        change_penalty,
        quiet,
        out,
        sol,
        geojson,
        svg,
        schedule,
        allow_files_outside,
    } = args;
    let mut cfg = config(time_limit, seed, threads);
    cfg.iterations = iterations;
    cfg.dense_matrix_limit = dense_limit.unwrap_or(cfg.dense_matrix_limit);
    decompose.apply(&mut cfg.decomposition);
    let start = Instant::now();
    let read = read_options(allow_files_outside, rounding);
    let (problem, day) = read_problem(&input, &read)?;
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
    let mut previous = None;
    if let Some(path) = &initial {
        if problem.horizon_days.is_some() {
            return Err(Failure::Usage(
                "--initial starts single-day solves; a multi-day problem is planned from nothing".into(),
            ));
        }
        let text = io::files::read_input_text(path, read.max_solution_bytes).map_err(|e| e.to_string())?;
        let source = path.display().to_string();
        let start_from = SettledDay::read_initial(day.as_ref(), &text, &source, &problem).map_err(|e| e.to_string())?;
        if !start_from.unknown_towns.is_empty() || start_from.unknown_type_routes > 0 {
            eprintln!(
                "initial plan: {} towns and {} routes of vehicle types the problem no longer has are left out",
                start_from.unknown_towns.len(),
                start_from.unknown_type_routes
            );
        }
        cfg.initial = Some(std::sync::Arc::new(start_from.plan.clone()));
        previous = Some(start_from.plan);
        cfg.change_penalty = change_penalty.unwrap_or(0.0);
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
    let solved =
        match backroads::plan_observed(&problem, oracle.as_ref(), &cfg, &observer).map_err(|e| e.to_string())? {
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
        let json = match &day {
            Some(day) => day
                .report
                .add_to(&io::write_solution_json(s))
                .map_err(|e| e.to_string())?,
            None => io::write_solution_json(s),
        };
        write(path, &json)?;
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
    if let Some(day) = &day {
        print_day(&day.report);
    }
    if let Some(previous) = &previous {
        let c = backroads::solution::vehicle_changes(&problem, previous, s);
        eprintln!(
            "against the initial plan: {} of {} towns served by both changed vehicle; {} no longer served",
            c.changed_vehicle, c.served_by_both, c.no_longer_served
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

/// One line per vehicle of the state of the day.
fn print_day(report: &backroads::DayReport) {
    for v in &report.vehicles {
        let fixed = match v.fixed.last() {
            Some(last) => format!(
                ", {} fixed stops (last {} leaving {})",
                v.fixed.len(),
                escape(&last.town),
                io::schedule_csv::clock(last.departure_s)
            ),
            None => String::new(),
        };
        eprintln!(
            "vehicle {}: {}, {} done{fixed}, free from {}",
            escape(&v.id),
            v.status,
            v.done.len(),
            io::schedule_csv::clock(v.free_s)
        );
    }
    if !report.back_in_pool.is_empty() {
        eprintln!("back in the pool (a vehicle down): {}", report.back_in_pool.len());
    }
}
