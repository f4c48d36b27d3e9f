//! A weekly plan: towns that want two or three drops a week on allowed day
//! patterns, planned over five days by the same entry point as one day.
//!
//! `cargo run --release --example weekly_plan`

use backroads::distance::build_oracle;
use backroads::io::read_problem_file;
use backroads::solver::SolverConfig;
use backroads::{Outcome, plan};
use std::path::Path;

fn main() -> Result<(), backroads::Error> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data/iowa_week.json");
    let problem = read_problem_file(&path)?;
    let days = problem.horizon_days.expect("iowa_week.json plans a week");
    let config = SolverConfig {
        seed: 1,
        iterations: Some(5_000), // spread over the days
        ..SolverConfig::default()
    };
    let outcome = plan(&problem, &config)?;
    let Outcome::Horizon(week) = &outcome else {
        unreachable!("a problem with horizon_days is planned over its days")
    };

    // The multi-day validator checks every day and every town's pattern.
    let oracle = build_oracle(&problem)?;
    let report = outcome.check(&problem, oracle.as_ref());
    assert!(report.feasible, "{:?}", report.violations);
    assert_eq!(week.days.len(), days as usize);

    for (d, day) in week.days.iter().enumerate() {
        println!(
            "day {}: {} routes, {:.0} km, {} towns",
            d + 1,
            day.routes.len(),
            day.totals.distance as f64 / 1000.0,
            day.totals.towns_served
        );
    }
    let s = outcome.summary();
    println!(
        "week: {} routes, {:.0} km, {} towns served, {} unassigned",
        s.routes,
        s.distance as f64 / 1000.0,
        s.towns_served,
        s.towns_unassigned
    );
    Ok(())
}
