//! Warm starts (`solve --initial`, `SolverConfig::initial`): a solve that
//! starts from a previous plan keeps what still holds, repairs what does
//! not, and is never worse than the plan it started from.

mod common;

use backroads::distance::build_oracle;
use backroads::io::{read_initial_plan, read_problem_json, write_problem_json};
use backroads::model::Problem;
use backroads::solution::{Solution, validate};
use backroads::solver::{SolverConfig, solve};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;

fn example(name: &str) -> Problem {
    common::example_problem(name)
}

fn config(iterations: u64) -> SolverConfig {
    SolverConfig {
        iterations: Some(iterations),
        seed: 1,
        threads: Some(1),
        ..SolverConfig::default()
    }
}

/// Solves `p` from `previous` (a solution JSON), checked by the validator.
fn warm(p: &Problem, previous: &Solution, iterations: u64) -> Solution {
    let text = serde_json::to_string(previous).unwrap();
    let initial = read_initial_plan(&text, "previous.json", p).unwrap();
    let cfg = SolverConfig {
        initial: Some(Arc::new(initial.plan)),
        ..config(iterations)
    };
    let s = solve(p, &cfg).expect("solves").solution;
    let oracle = build_oracle(p).unwrap();
    let report = validate(p, oracle.as_ref(), &s);
    assert!(report.is_feasible(), "{:?}", report.violations);
    s
}

/// Each served town's vehicle: type and number.
fn vehicle_of(s: &Solution) -> HashMap<String, (String, u32)> {
    s.routes
        .iter()
        .flat_map(|r| {
            r.stops
                .iter()
                .map(move |x| (x.town.clone(), (r.vehicle_type.clone(), r.vehicle)))
        })
        .collect()
}

/// The lexicographic objective of a limited fleet: towns served, then cost.
fn no_worse(after: &Solution, before: &Solution) -> bool {
    let served = |s: &Solution| s.totals.towns_served;
    let cost = |s: &Solution| s.totals.cost + s.totals.prizes_missed;
    served(after) > served(before) || (served(after) == served(before) && cost(after) <= cost(before) + 1e-6)
}

/// Every rule at once: a warm start from the plan's own output is no worse,
/// even with a handful of steps.
#[test]
fn a_warm_start_from_its_own_plan_is_no_worse() {
    let p = example("anhui_all_rules.json");
    let first = solve(&p, &config(500)).unwrap().solution;
    for iterations in [0, 200] {
        let again = warm(&p, &first, iterations);
        assert!(
            no_worse(&again, &first),
            "{iterations} steps: {} served / {} against {} / {}",
            again.totals.towns_served,
            again.totals.cost,
            first.totals.towns_served,
            first.totals.cost
        );
    }
    // With no steps every route comes back on its vehicle, in its order
    // (the start's greedy insertion may add a town left out before).
    let same = warm(&p, &first, 0);
    for a in &first.routes {
        let b = same
            .routes
            .iter()
            .find(|b| (&b.vehicle_type, b.vehicle) == (&a.vehicle_type, a.vehicle))
            .expect("every vehicle is still out");
        let now: Vec<&str> = b.stops.iter().map(|x| x.town.as_str()).collect();
        let mut rest = now.iter();
        assert!(
            a.stops.iter().all(|x| rest.any(|y| *y == x.town)),
            "{:?} is not kept in {now:?}",
            a.stops
        );
    }
}

/// The day changes: a shop cancels, a new order comes in, a van is down.
/// The re-plan serves the new order, not the cancelled one, and (before
/// any search step) keeps every other town on its vehicle.
#[test]
fn a_replan_repairs_what_changed_and_keeps_the_rest() {
    let p = example("small.json");
    let before = solve(&p, &config(2000)).unwrap().solution;
    let mut spec: Value = serde_json::from_str(&write_problem_json(&p).unwrap()).unwrap();
    // The last stop of the longest route cancels (no vehicle's route
    // vanishes: vehicles are numbered per type in route order).
    let longest = before.routes.iter().max_by_key(|r| r.stops.len()).unwrap();
    assert!(longest.stops.len() > 1);
    let cancelled = longest.stops.last().unwrap().town.clone();
    let towns = spec["towns"].as_array_mut().unwrap();
    towns.retain(|t| t["id"] != json!(cancelled));
    towns
        .push(json!({"id": "new-order", "location": {"lon": 11.55, "lat": 49.99}, "demand": 3, "service_time_s": 300}));
    let changed = read_problem_json(&spec.to_string(), "changed.json", None).unwrap();
    let text = serde_json::to_string(&before).unwrap();
    let initial = read_initial_plan(&text, "before.json", &changed).unwrap();
    assert_eq!(initial.unknown_towns, vec![cancelled.clone()]);
    // Without search steps the repair keeps every other town where it was
    // and the greedy start places the new order (the search may move towns
    // freely after, without a change penalty).
    let after = warm(&changed, &before, 0);
    let now = vehicle_of(&after);
    assert!(now.contains_key("new-order"));
    assert!(!now.contains_key(&cancelled));
    let was = vehicle_of(&before);
    let kept = was.iter().filter(|(t, v)| now.get(*t) == Some(v)).count();
    assert_eq!(kept, was.len() - 1, "{was:?} -> {now:?}");
    assert_eq!(
        warm(&changed, &before, 200).totals.towns_served,
        after.totals.towns_served
    );

    // A window moves so the route no longer holds: the repair takes the
    // town off it, and the plan says why it cannot be served.
    let mut spec: Value = serde_json::from_str(&write_problem_json(&p).unwrap()).unwrap();
    let late = longest.stops[0].town.clone();
    for t in spec["towns"].as_array_mut().unwrap() {
        if t["id"] == json!(late) {
            t["windows"] = json!([[0, 1]]);
        }
    }
    let moved = read_problem_json(&spec.to_string(), "moved.json", None).unwrap();
    let after = warm(&moved, &before, 0);
    assert!(
        after.unassigned.iter().any(|u| u.town == late),
        "{:?}",
        after.unassigned
    );
    assert_eq!(after.totals.towns_served, before.totals.towns_served - 1);

    // A van down: one vehicle fewer of the busiest type. Its towns are
    // planned again; nothing is served twice (the validator in `warm`).
    let busiest = before
        .routes
        .iter()
        .max_by_key(|r| r.stops.len())
        .unwrap()
        .vehicle_type
        .clone();
    let mut spec: Value = serde_json::from_str(&write_problem_json(&p).unwrap()).unwrap();
    for v in spec["fleet"].as_array_mut().unwrap() {
        if v["id"] == json!(busiest) {
            let used = before.routes.iter().filter(|r| r.vehicle_type == busiest).count() as i64;
            v["count"] = json!((used - 1).max(0));
        }
    }
    let fewer = read_problem_json(&spec.to_string(), "fewer.json", None).unwrap();
    let after = warm(&fewer, &before, 50);
    let used = after.routes.iter().filter(|r| r.vehicle_type == busiest).count();
    let limit = fewer.fleet.iter().find(|v| v.id == busiest).unwrap().count.unwrap() as usize;
    assert!(used <= limit);
}

/// With a change penalty above what any move saves, the search keeps every
/// town on its vehicle and only places what changed; without one it may
/// move towns to save distance. Checked in debug builds too (the search
/// asserts every move's price).
#[test]
fn a_change_penalty_keeps_towns_on_their_vehicles() {
    let p = example("small.json");
    let before = solve(&p, &config(2000)).unwrap().solution;
    let mut spec: Value = serde_json::from_str(&write_problem_json(&p).unwrap()).unwrap();
    spec["towns"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "new-order", "location": {"lon": 11.55, "lat": 49.99}, "demand": 3, "service_time_s": 300}));
    let changed = read_problem_json(&spec.to_string(), "changed.json", None).unwrap();
    let text = serde_json::to_string(&before).unwrap();
    let run = |penalty: f64| {
        let cfg = SolverConfig {
            initial: Some(Arc::new(
                read_initial_plan(&text, "before.json", &changed).unwrap().plan,
            )),
            change_penalty: penalty,
            ..config(1000)
        };
        let s = solve(&changed, &cfg).unwrap().solution;
        let oracle = build_oracle(&changed).unwrap();
        assert!(validate(&changed, oracle.as_ref(), &s).is_feasible());
        s
    };
    let was = vehicle_of(&before);
    let kept = run(1e6);
    let now = vehicle_of(&kept);
    for (town, vehicle) in &was {
        assert_eq!(now.get(town), Some(vehicle), "{town} moved");
    }
    assert!(now.contains_key("new-order"));
    // Free moves are never dearer in distance than pinned ones.
    let free = run(0.0);
    assert!(free.totals.distance <= kept.totals.distance);
}

/// `solve --initial` on the CLI: the previous plan's JSON, a plan that
/// names towns the problem no longer has.
#[test]
fn the_initial_flag_starts_from_a_file() {
    let dir = common::scratch("warm_start", "cli");
    let problem = common::example_path("small.json");
    let problem = problem.to_str().unwrap();
    let first = dir.join("first.json");
    let o = common::backroads(&[
        "solve",
        problem,
        "--iterations",
        "500",
        "--seed",
        "1",
        "--threads",
        "1",
        "--quiet",
        "--out",
        first.to_str().unwrap(),
    ]);
    assert!(first.exists(), "{}", common::stderr(&o));
    let mut plan: Value = serde_json::from_str(&std::fs::read_to_string(&first).unwrap()).unwrap();
    plan["routes"][0]["stops"]
        .as_array_mut()
        .unwrap()
        .push(json!({"town": "atlantis"}));
    let edited = dir.join("edited.json");
    std::fs::write(&edited, plan.to_string()).unwrap();
    let second = dir.join("second.json");
    let o = common::backroads(&[
        "solve",
        problem,
        "--iterations",
        "100",
        "--seed",
        "1",
        "--threads",
        "1",
        "--quiet",
        "--initial",
        edited.to_str().unwrap(),
        "--out",
        second.to_str().unwrap(),
    ]);
    let err = common::stderr(&o);
    assert!(err.contains("1 towns and 0 routes"), "{err}");
    let a: Solution = serde_json::from_str(&std::fs::read_to_string(&first).unwrap()).unwrap();
    let b: Solution = serde_json::from_str(&std::fs::read_to_string(&second).unwrap()).unwrap();
    assert!(no_worse(&b, &a));
    let o = common::backroads(&["check", problem, second.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stdout));
}

/// The library holds every caller to the change penalty's rule: a finite
/// cost of at least 0, and only with a previous plan.
#[test]
fn a_bad_change_penalty_is_an_invalid_config() {
    let p = example("small.json");
    let previous = solve(&p, &config(200)).unwrap().solution;
    let initial = read_initial_plan(&serde_json::to_string(&previous).unwrap(), "previous.json", &p).unwrap();
    for (penalty, with_initial) in [(f64::NAN, true), (-1.0, true), (f64::INFINITY, true), (10.0, false)] {
        let cfg = SolverConfig {
            initial: with_initial.then(|| Arc::new(initial.plan.clone())),
            change_penalty: penalty,
            ..config(10)
        };
        match solve(&p, &cfg) {
            Err(backroads::Error::InvalidConfig(m)) => assert!(m.contains("change_penalty"), "{m}"),
            other => panic!("penalty {penalty} (initial {with_initial}): {:?}", other.map(|_| ())),
        }
    }
}
