//! Progress and cancel through the observer: print the best cost as the
//! search improves it, and stop when the user (here: a timer thread) says so.
//! The best routes found until then come back, complete and valid.
//!
//! `cargo run --release --example progress_and_cancel`

use backroads::distance::build_oracle;
use backroads::io::read_problem_file;
use backroads::solver::{Flow, SolveProgress, SolverConfig};
use backroads::{Outcome, plan_observed};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;

fn main() -> Result<(), backroads::Error> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data/jiangsu_anhui.json");
    let problem = read_problem_file(&path)?;
    let oracle = build_oracle(&problem)?;
    let config = SolverConfig {
        seed: 1,
        time_limit: Some(Duration::from_secs(60)), // the cancel comes first
        ..SolverConfig::default()
    };

    // A cancel button: any thread may set it (an HTTP DELETE, a signal...).
    let cancel = AtomicBool::new(false);
    let last_shown = AtomicI64::new(i64::MAX);
    let observer = |p: &SolveProgress| {
        // Called every few milliseconds from the solving thread: keep it cheap.
        if p.best_cost < last_shown.load(Ordering::Relaxed) {
            last_shown.store(p.best_cost, Ordering::Relaxed);
            eprintln!(
                "{:>6.2} s  {:>9} steps  best {}",
                p.elapsed.as_secs_f64(),
                p.iterations,
                p.best_cost
            );
        }
        if cancel.load(Ordering::Relaxed) {
            Flow::Stop
        } else {
            Flow::Continue
        }
    };
    let outcome = std::thread::scope(|scope| {
        scope.spawn(|| {
            std::thread::sleep(Duration::from_secs(2));
            cancel.store(true, Ordering::Relaxed);
        });
        plan_observed(&problem, oracle.as_ref(), &config, &observer)
    })?;
    let Outcome::Day(solved) = &outcome else {
        unreachable!("a single-day problem")
    };
    assert!(
        solved.stats.elapsed < Duration::from_secs(60),
        "the cancel stopped the search"
    );
    let report = outcome.check(&problem, oracle.as_ref());
    assert!(report.feasible, "{:?}", report.violations);
    println!(
        "stopped after {:.1} s and {} steps: {} routes, distance {}",
        solved.stats.elapsed.as_secs_f64(),
        solved.stats.iterations,
        solved.solution.routes.len(),
        solved.solution.totals.distance
    );
    Ok(())
}
