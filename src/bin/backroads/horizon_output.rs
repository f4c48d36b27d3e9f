//! What `solve` writes and prints for a multi-day plan (`horizon_days`):
//! the plan JSON, one schedule CSV with a day column, one map per day.

use crate::failure::Failure;
use crate::output::{problem_label, write};
use backroads::horizon;
use backroads::io;
use backroads::text::escape;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Where `solve` writes a multi-day plan.
pub(crate) struct HorizonOutputs<'a> {
    pub(crate) out: Option<&'a Path>,
    pub(crate) sol: Option<&'a Path>,
    pub(crate) geojson: Option<&'a Path>,
    pub(crate) svg: Option<&'a Path>,
    pub(crate) schedule: Option<&'a Path>,
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
pub(crate) fn write_horizon(
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
