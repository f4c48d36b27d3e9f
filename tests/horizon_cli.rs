//! `backroads solve` on a multi-day problem: the bundled Iowa week, with a
//! small iteration budget; the written plan is validated by the library.

use backroads::distance::build_oracle;
use backroads::horizon::{HorizonPlan, validate_horizon};
use backroads::io::read_problem_file;
use std::path::{Path, PathBuf};
mod common;

use common::{backroads, stderr};

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data/iowa_week.json")
}

fn scratch(test: &str) -> PathBuf {
    common::scratch("horizon", test)
}

#[test]
fn solve_plans_the_iowa_week() {
    let dir = scratch("iowa");
    let (json, schedule, svg) = (dir.join("plan.json"), dir.join("week.csv"), dir.join("map.svg"));
    let input = example();
    let o = backroads(&[
        "solve",
        input.to_str().unwrap(),
        "--iterations",
        "2000",
        "--threads",
        "2",
        "--quiet",
        "--out",
        json.to_str().unwrap(),
        "--schedule",
        schedule.to_str().unwrap(),
        "--svg",
        svg.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    for d in 1..=5 {
        assert!(err.contains(&format!("day {d}: routes ")), "{err}");
        let map = std::fs::read_to_string(dir.join(format!("map-day{d}.svg"))).expect("day map written");
        assert!(map.contains("<svg") && map.contains(&format!("day {d}")));
    }
    assert!(err.contains("5 days | cost ") && err.contains("unassigned 0"), "{err}");

    let problem = read_problem_file(&input).unwrap();
    let plan: HorizonPlan = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).expect("plan JSON");
    let oracle = build_oracle(&problem).unwrap();
    let report = validate_horizon(&problem, oracle.as_ref(), &plan);
    assert!(report.is_feasible(), "{:?}", report.violations);
    assert_eq!(plan.days.len(), 5);
    assert_eq!(plan.patterns.len(), problem.towns.len());
    assert_eq!(plan.totals.drops, report.drops);
    // Towns with several drops are served on several days.
    assert!(plan.patterns.iter().any(|p| p.days.len() == 3));
    assert!(plan.patterns.iter().any(|p| p.days.len() == 2));

    // One schedule with a `day` column: a row per stop plus two per route.
    let csv = std::fs::read_to_string(&schedule).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let day_col = header.iter().position(|h| *h == "day").expect("day column");
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), plan.totals.drops + 2 * plan.totals.routes);
    for d in 1..=5 {
        assert!(rows.iter().any(|r| r.split(',').nth(day_col) == Some(&d.to_string())));
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn sol_output_is_refused_for_multi_day_plans() {
    let dir = scratch("sol");
    let input = example();
    let sol = dir.join("x.sol");
    let o = backroads(&[
        "solve",
        input.to_str().unwrap(),
        "--iterations",
        "100",
        "--sol",
        sol.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--sol"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).ok();
}
