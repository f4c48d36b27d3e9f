//! `backroads check`: its flags and the validation of a solution file
//! against its problem (single-day solutions and multi-day plans).

use crate::failure::Failure;
use crate::options::{read_options, read_problem};
use backroads::distance::build_oracle;
use backroads::horizon;
use backroads::io;
use backroads::solution::validate;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `backroads check` flags (the help text is on `Command::Check`).
#[derive(clap::Args)]
pub(crate) struct CheckArgs {
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
}

/// `backroads check`: exit 0 when feasible, 3 when not.
pub(crate) fn run(args: CheckArgs) -> Result<ExitCode, Failure> {
    let CheckArgs {
        input,
        solution,
        rounding,
        allow_files_outside,
        ignore_stated_cost,
    } = args;
    let read = read_options(allow_files_outside, rounding);
    let (problem, _) = read_problem(&input, &read)?;
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
