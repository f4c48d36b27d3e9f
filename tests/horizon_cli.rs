//! `backroads solve` on a multi-day problem: the bundled Iowa week, with a
//! small iteration budget; the written plan is validated by the library.

use backroads::distance::build_oracle;
use backroads::horizon::{HorizonPlan, validate_horizon};
use backroads::io::read_problem_file;
use std::path::PathBuf;
mod common;

use common::{backroads, stderr};

fn example() -> PathBuf {
    common::example_path("iowa_week.json")
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

/// Four days, one van of capacity 10: `f1` fills day 1, `f2` day 2; `x`
/// needs two drops on days 1–3, so every pattern of it has a full day.
fn full_days() -> serde_json::Value {
    serde_json::json!({
        "horizon_days": 4,
        "depots": [{"id": "D", "location": {"x": 0.0, "y": 0.0}}],
        "towns": [
            {"id": "f1", "location": {"x": 2.0, "y": 0.0}, "demand": 10, "days": [1]},
            {"id": "f2", "location": {"x": 0.0, "y": 2.0}, "demand": 10, "days": [2]},
            {"id": "x", "location": {"x": 3.0, "y": 3.0}, "demand": 10, "drops": 2, "days": [1, 2, 3]},
        ],
        "fleet": [{"id": "van", "depot": "D", "capacity": 10, "count": 1}],
    })
}

#[test]
fn check_rederives_every_day_reason() {
    let dir = scratch("day_reasons");
    let (problem, plan_path) = (dir.join("p.json"), dir.join("plan.json"));
    std::fs::write(&problem, full_days().to_string()).unwrap();
    let (p, s) = (problem.to_str().unwrap(), plan_path.to_str().unwrap());
    let o = backroads(&["solve", p, "--iterations", "300", "--seed", "1", "--quiet", "--out", s]);
    // Exit 3: a town is unassigned.
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let plan: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&plan_path).unwrap()).unwrap();
    assert_eq!(plan["unassigned"][0]["town"], "x", "{plan}");
    assert_eq!(plan["unassigned"][0]["reason"]["kind"], "solver", "{plan}");
    let check = |reason: serde_json::Value| {
        let mut edited = plan.clone();
        edited["unassigned"][0]["reason"] = reason;
        let path = dir.join("edited.json");
        std::fs::write(&path, edited.to_string()).unwrap();
        let o = backroads(&["check", p, path.to_str().unwrap()]);
        (o.status.code(), String::from_utf8_lossy(&o.stdout).into_owned())
    };
    let no_van = serde_json::json!({"kind": "no_vehicle_left", "depot": "D"});
    let on_day =
        |day: u32, reason: &serde_json::Value| serde_json::json!({"kind": "solver", "day": day, "reason": reason});
    // The solver's own reason, and the same on the other full day.
    let (code, out) = check(plan["unassigned"][0]["reason"].clone());
    assert_eq!(code, Some(0), "{out}");
    for day in [1, 2] {
        let (code, out) = check(on_day(day, &no_van));
        assert_eq!(code, Some(0), "day {day}: {out}");
    }
    let false_reasons = [
        // The van is free on day 3.
        (on_day(3, &no_van), "an unused vehicle of type 'van' can serve it"),
        (
            on_day(1, &serde_json::json!({"kind": "unreachable"})),
            "day 1: town 'x': stated reason \"unreachable",
        ),
        (
            on_day(
                2,
                &serde_json::json!({"kind": "demand_exceeds_capacity", "demand": 12, "max_capacity": 10}),
            ),
            "day 2: town 'x': stated reason \"capacity",
        ),
        // x may come on days 1-3 only.
        (
            on_day(4, &no_van),
            "names day 4, which none of its allowed patterns has",
        ),
        (on_day(99, &no_van), "names day 99, outside the horizon 1..=4"),
    ];
    for (reason, expected) in false_reasons {
        let (code, out) = check(reason.clone());
        assert_eq!(code, Some(3), "{reason}: {out}");
        assert!(out.contains(expected) && out.contains("INFEASIBLE"), "{reason}: {out}");
    }
    std::fs::remove_dir_all(&dir).ok();
}
