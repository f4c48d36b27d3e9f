//! A seeded corpus of mutated solutions: each mutation makes exactly one
//! stated figure, time, load, vehicle, stop, driver break or reason false (by
//! construction: nothing is recomputed after it), and the validator must
//! reject every one, while accepting every unmutated solution. Multi-day
//! plans also get their unassigned towns' reasons mutated (kind, figures,
//! the day named).
//! `cargo test --release --test mutations -- --nocapture` prints the table.

mod common;

use backroads::distance::{TravelOracle, build_oracle};
use backroads::horizon::{HorizonPlan, HorizonReason, plan_horizon_with_oracle, validate_horizon};
use backroads::io::{read_problem_file, read_problem_json};
use backroads::model::Problem;
use backroads::solution::{Solution, UnassignedReason, validate};
use backroads::solver::{SolverConfig, solve_with_oracle};
use std::collections::BTreeMap;

type Mutation = (&'static str, Box<dyn Fn(&mut Solution)>);

/// Every single-change mutation of `s`.
fn mutations(problem: &Problem, s: &Solution) -> Vec<Mutation> {
    let mut out: Vec<Mutation> = Vec::new();
    for r in 0..s.routes.len() {
        out.push(("route distance", Box::new(move |s| s.routes[r].distance += 1)));
        out.push(("route duration", Box::new(move |s| s.routes[r].duration_s += 1)));
        out.push(("route load", Box::new(move |s| s.routes[r].load += 1)));
        out.push(("route cost", Box::new(move |s| s.routes[r].cost += 1.0)));
        out.push(("return time earlier", Box::new(move |s| s.routes[r].end_s -= 1)));
        let vt = &s.routes[r].vehicle_type;
        if let Some(count) = problem.fleet.iter().find(|v| &v.id == vt).and_then(|v| v.count) {
            out.push(("vehicle number", Box::new(move |s| s.routes[r].vehicle = count)));
        }
        if r > 0 {
            out.push((
                "vehicle reused",
                Box::new(move |s| {
                    let first = s.routes[0].clone();
                    s.routes[r].vehicle_type = first.vehicle_type;
                    s.routes[r].vehicle = first.vehicle;
                    s.routes[r].depot = first.depot;
                }),
            ));
        }
        for b in 0..s.routes[r].breaks.len() {
            out.push((
                "break removed",
                Box::new(move |s| {
                    s.routes[r].breaks.remove(b);
                }),
            ));
            out.push(("break shortened", Box::new(move |s| s.routes[r].breaks[b].end_s -= 1)));
        }
        for k in 0..s.routes[r].stops.len() {
            out.push(("load_after", Box::new(move |s| s.routes[r].stops[k].load_after += 1)));
            out.push((
                "arrival earlier",
                Box::new(move |s| s.routes[r].stops[k].arrival_s -= 1),
            ));
            out.push((
                "departure earlier",
                Box::new(move |s| s.routes[r].stops[k].departure_s -= 1),
            ));
            out.push((
                "stop removed",
                Box::new(move |s| {
                    s.routes[r].stops.remove(k);
                }),
            ));
            out.push((
                "stop served twice",
                Box::new(move |s| {
                    let stop = s.routes[r].stops[k].clone();
                    let other = (r + 1) % s.routes.len();
                    s.routes[other].stops.push(stop);
                }),
            ));
            out.push((
                "served town called unassigned",
                Box::new(move |s| {
                    let stop = s.routes[r].stops.remove(k);
                    s.unassigned.push(backroads::solution::Unassigned {
                        town: stop.town,
                        reason: UnassignedReason::NoVehicleLeft {
                            depot: s.routes[r].depot.clone(),
                        },
                    });
                }),
            ));
        }
    }
    for u in 0..s.unassigned.len() {
        out.push((
            "reason swapped",
            Box::new(move |s| {
                s.unassigned[u].reason = match s.unassigned[u].reason {
                    UnassignedReason::Unreachable => UnassignedReason::NoDirectRoundTrip,
                    _ => UnassignedReason::Unreachable,
                }
            }),
        ));
        out.push((
            "reason figures",
            Box::new(move |s| {
                s.unassigned[u].reason = match &s.unassigned[u].reason {
                    UnassignedReason::ShiftTooShort {
                        duration_s,
                        max_duration_s,
                    } => UnassignedReason::ShiftTooShort {
                        duration_s: duration_s + 1,
                        max_duration_s: *max_duration_s,
                    },
                    other => capacity_figures(other),
                }
            }),
        ));
    }
    out.push(("total distance", Box::new(|s| s.totals.distance += 1)));
    out.push(("total duration", Box::new(|s| s.totals.duration_s += 1)));
    out.push(("total cost", Box::new(|s| s.totals.cost += 1.0)));
    out.push(("vehicles used", Box::new(|s| s.totals.vehicles_used += 1)));
    out.push(("towns served", Box::new(|s| s.totals.towns_served += 1)));
    out.push(("towns unassigned", Box::new(|s| s.totals.towns_unassigned += 1)));
    out
}

type PlanMutation = (&'static str, Box<dyn Fn(&mut HorizonPlan)>);

/// Every single-change mutation of the reasons of a multi-day plan.
fn plan_mutations(problem: &Problem, plan: &HorizonPlan) -> Vec<PlanMutation> {
    let mut out: Vec<PlanMutation> = Vec::new();
    let horizon = problem.horizon_days.unwrap_or(1);
    for (u, unassigned) in plan.unassigned.iter().enumerate() {
        let HorizonReason::Solver { day, reason } = &unassigned.reason else {
            continue;
        };
        let (day, reason) = (*day, reason.clone());
        let set = move |s: &mut HorizonPlan, day: Option<u32>, reason: UnassignedReason| {
            s.unassigned[u].reason = HorizonReason::Solver { day, reason };
        };
        let swapped = match reason {
            UnassignedReason::Unreachable => UnassignedReason::NoDirectRoundTrip,
            _ => UnassignedReason::Unreachable,
        };
        let figures = match &reason {
            UnassignedReason::NoVehicleLeft { depot } => UnassignedReason::NoVehicleLeft {
                depot: format!("{depot}-nowhere"),
            },
            other => capacity_figures(other),
        };
        let Some(named) = day else {
            out.push(("plan reason swapped", Box::new(move |s| set(s, None, swapped.clone()))));
            out.push(("plan reason figures", Box::new(move |s| set(s, None, figures.clone()))));
            continue;
        };
        out.push(("day reason swapped", Box::new(move |s| set(s, day, swapped.clone()))));
        out.push(("day reason figures", Box::new(move |s| set(s, day, figures.clone()))));
        // The solver ties a reason to a day only for towns some vehicle
        // could serve alone with every vehicle free.
        let r = reason.clone();
        out.push(("day reason without its day", Box::new(move |s| set(s, None, r.clone()))));
        let r = reason.clone();
        out.push((
            "day reason outside the horizon",
            Box::new(move |s| set(s, Some(99), r.clone())),
        ));
        let t = problem.town_index(&unassigned.town).expect("a known town");
        let allowed = problem.towns[t].patterns.iter().fold(0u64, |m, &p| m | p);
        if let Some(other) = (1..=horizon).find(|&d| d != named && allowed >> (d - 1) & 1 == 0) {
            out.push((
                "day reason on a day not allowed",
                Box::new(move |s| set(s, Some(other), reason.clone())),
            ));
        }
    }
    out
}

/// A week whose plan leaves a town out for a day's reason: one van, days 1
/// and 2 filled, `x` needs two of days 1-3; `heavy` fits no van.
fn full_days_week() -> Problem {
    let text = r#"{
        "horizon_days": 4,
        "depots": [{"id": "D", "location": {"x": 0.0, "y": 0.0}}],
        "towns": [
            {"id": "f1", "location": {"x": 2.0, "y": 0.0}, "demand": 10, "days": [1]},
            {"id": "f2", "location": {"x": 0.0, "y": 2.0}, "demand": 10, "days": [2]},
            {"id": "x", "location": {"x": 3.0, "y": 3.0}, "demand": 10, "drops": 2, "days": [1, 2, 3]},
            {"id": "heavy", "location": {"x": 1.0, "y": 1.0}, "demand": 50}
        ],
        "fleet": [{"id": "van", "depot": "D", "capacity": 10, "count": 1}]
    }"#;
    read_problem_json(text, "full days", None).unwrap()
}

fn data(rel: &str) -> std::path::PathBuf {
    common::repo_file(rel)
}

fn solved(problem: &Problem, oracle: &dyn TravelOracle) -> Solution {
    let config = SolverConfig {
        iterations: Some(500),
        threads: Some(1),
        seed: 1,
        ..SolverConfig::default()
    };
    solve_with_oracle(problem, oracle, &config).unwrap().solution
}

#[test]
fn every_mutation_is_rejected_and_no_original_is() {
    let mut table: BTreeMap<&'static str, (usize, usize)> = BTreeMap::new();
    let mut record = |kind: &'static str, rejected: bool| {
        let e = table.entry(kind).or_default();
        e.0 += 1;
        e.1 += usize::from(rejected);
    };
    // Single-day problems: plain CVRP, counts, hours, costs, unassigned towns.
    for rel in [
        "tests/data/cvrplib/X/X-n101-k25.vrp",
        "examples/data/small.json",
        "tests/data/solomon/solomon100/C101.txt",
        "tests/data/bad/demand_above_capacity.vrp",
        "examples/data/long_haul_breaks.json",
    ] {
        let problem = read_problem_file(&data(rel)).unwrap();
        let oracle = build_oracle(&problem).unwrap();
        let s = solved(&problem, oracle.as_ref());
        let report = validate(&problem, oracle.as_ref(), &s);
        assert!(report.is_feasible(), "{rel}: {:?}", report.violations);
        for (kind, mutate) in mutations(&problem, &s) {
            let mut m = s.clone();
            mutate(&mut m);
            let rejected = !validate(&problem, oracle.as_ref(), &m).is_feasible();
            assert!(rejected, "{rel}: mutation '{kind}' accepted");
            record(kind, rejected);
        }
    }
    // Multi-day plans: every mutation applied to each day's solution, and
    // to the plan's reasons.
    let config = SolverConfig {
        iterations: Some(400),
        threads: Some(1),
        seed: 1,
        ..SolverConfig::default()
    };
    let weeks = [
        read_problem_file(&data("examples/data/iowa_week.json")).unwrap(),
        full_days_week(),
    ];
    let mut day_reasons = 0;
    for week in &weeks {
        let oracle = build_oracle(week).unwrap();
        let plan: HorizonPlan = plan_horizon_with_oracle(week, oracle.as_ref(), &config).unwrap();
        let report = validate_horizon(week, oracle.as_ref(), &plan);
        assert!(report.is_feasible(), "{}: {:?}", week.name, report.violations);
        for d in 0..plan.days.len() {
            for (kind, mutate) in mutations(week, &plan.days[d]) {
                let mut m = plan.clone();
                mutate(&mut m.days[d]);
                let rejected = !validate_horizon(week, oracle.as_ref(), &m).is_feasible();
                assert!(rejected, "{} day {}: mutation '{kind}' accepted", week.name, d + 1);
                record(kind, rejected);
            }
        }
        for (kind, mutate) in plan_mutations(week, &plan) {
            day_reasons += usize::from(kind.starts_with("day reason"));
            let mut m = plan.clone();
            mutate(&mut m);
            let rejected = !validate_horizon(week, oracle.as_ref(), &m).is_feasible();
            assert!(rejected, "{}: mutation '{kind}' accepted", week.name);
            record(kind, rejected);
        }
    }
    assert!(day_reasons >= 5, "only {day_reasons} day reason mutations");
    let total: usize = table.values().map(|e| e.0).sum();
    let rejected: usize = table.values().map(|e| e.1).sum();
    println!("| mutation | count | rejected |\n|---|---:|---:|");
    for (kind, (n, r)) in &table {
        println!("| {kind} | {n} | {:.1} % |", 100.0 * *r as f64 / *n as f64);
    }
    println!("| all | {total} | {:.1} % |", 100.0 * rejected as f64 / total as f64);
    assert!(total >= 1000, "only {total} mutations");
}

/// A capacity reason with a figure changed (another capacity), or one
/// invented in place of a reason of another kind.
fn capacity_figures(reason: &UnassignedReason) -> UnassignedReason {
    match reason {
        UnassignedReason::DemandExceedsCapacity {
            demand,
            max_capacity,
            dimension,
        } => UnassignedReason::DemandExceedsCapacity {
            demand: *demand,
            max_capacity: max_capacity + 1,
            dimension: *dimension,
        },
        _ => UnassignedReason::DemandExceedsCapacity {
            demand: 1,
            max_capacity: 0,
            dimension: 0,
        },
    }
}
