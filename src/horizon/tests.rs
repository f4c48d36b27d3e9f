use super::*;
use crate::distance::build_oracle;
use crate::rng::SeededRng;
use crate::solution::Violation;
use serde_json::{Value, json};

/// A problem from its JSON text, as `io::read_problem_json` reads one that
/// names no files (this module sits below `io`).
fn read_problem_json(text: &str, source_name: &str) -> crate::error::Result<Problem> {
    let spec: crate::model::ProblemSpec = serde_json::from_str(text).map_err(|source| crate::error::Error::Json {
        source_name: source_name.to_string(),
        source,
    })?;
    Problem::from_spec(spec)
}

fn problem(spec: &Value) -> Problem {
    read_problem_json(&spec.to_string(), "test").expect("valid test problem")
}

fn config(iterations: u64, seed: u64) -> SolverConfig {
    SolverConfig {
        seed,
        threads: Some(2),
        iterations: Some(iterations),
        ..SolverConfig::default()
    }
}

/// A planar problem over `days` days: `n` towns scattered over 100 × 100
/// around a central depot, with 1–3 drops on random allowed days, some
/// explicit patterns, some opening hours, vans with a shift limit.
fn random_spec(n: usize, days: u32, seed: u64) -> Value {
    let mut rng = SeededRng::new(seed, 7);
    let mut towns = Vec::new();
    for i in 0..n {
        let (x, y) = (rng.unit() * 100.0, rng.unit() * 100.0);
        let mut t = json!({
            "id": format!("t{i}"),
            "location": {"x": x, "y": y},
            "demand": rng.between(1, 6),
            "service_time_s": 60 * rng.between(1, 5),
        });
        match rng.below(4) {
            0 if days >= 5 => t["patterns"] = json!([[1, 4], [2, 5]]),
            0 => t["patterns"] = json!([[1], [days]]),
            1 if days >= 2 => {
                t["drops"] = json!(2);
                t["days"] = json!((1..=days.min(5)).collect::<Vec<u32>>());
            }
            2 => t["days"] = json!([rng.between(1, days), rng.between(1, days)]),
            _ => {}
        }
        if rng.chance(0.25) {
            let open = rng.between(0, 4) * 1800;
            t["windows"] = json!([[open, open + 4 * 3600]]);
        }
        towns.push(t);
    }
    json!({
        "name": "random week",
        "horizon_days": days,
        "depots": [{"id": "D", "location": {"x": 50.0, "y": 50.0}, "hours": ["00:00", "14:00"]}],
        "towns": towns,
        // 100 units ≈ 100 km at 1 unit = 1 km: speed 3.6 km/h makes 1 unit = 1 s.
        "fleet": [{"id": "van", "depot": "D", "capacity": 30, "max_duration_s": 3 * 3600, "speed_kmh": 3.6}],
    })
}

fn check_plan(problem: &Problem, plan: &HorizonPlan) {
    let oracle = build_oracle(problem).unwrap();
    let report = validate_horizon(problem, oracle.as_ref(), plan);
    assert!(report.is_feasible(), "{:?}", report.violations);
    assert_eq!(report.cost, plan.totals.distance);
}

#[test]
fn patterns_are_respected_and_validated_on_a_random_problem() {
    for seed in 0..3 {
        let p = problem(&random_spec(60, 5, seed));
        let plan = plan_horizon(&p, &config(2_000, seed)).unwrap();
        check_plan(&p, &plan);
        assert_eq!(plan.days.len(), 5);
        assert_eq!(plan.totals.towns_served + plan.totals.towns_unassigned, 60);
        for tp in &plan.patterns {
            let t = p.town_index(&tp.town).unwrap();
            let mask = tp.days.iter().fold(0u64, |m, &d| m | 1 << (d - 1));
            assert!(p.towns[t].patterns.contains(&mask), "{tp:?}");
            for d in 1..=5u32 {
                let on_day = plan.days[d as usize - 1]
                    .routes
                    .iter()
                    .any(|r| r.stops.iter().any(|s| s.town == tp.town));
                assert_eq!(on_day, tp.days.contains(&d), "{tp:?} day {d}");
            }
        }
    }
}

#[test]
fn a_town_with_two_drops_is_served_on_exactly_two_days_of_a_pattern() {
    let spec = json!({
        "horizon_days": 5,
        "depots": [{"id": "D", "location": {"x": 0.0, "y": 0.0}}],
        "towns": [
            {"id": "big", "location": {"x": 10.0, "y": 0.0}, "demand": 5, "patterns": [[1, 4], [2, 5]]},
            {"id": "twice", "location": {"x": 0.0, "y": 10.0}, "demand": 5, "drops": 2, "days": [1, 3, 5]},
            {"id": "once", "location": {"x": -10.0, "y": 0.0}, "demand": 5, "days": [2, 3]},
        ],
        "fleet": [{"id": "van", "depot": "D", "capacity": 10}],
    });
    let p = problem(&spec);
    let plan = plan_horizon(&p, &config(500, 1)).unwrap();
    check_plan(&p, &plan);
    let days_of = |id: &str| -> Vec<u32> {
        (1..=5u32)
            .filter(|&d| {
                plan.days[d as usize - 1]
                    .routes
                    .iter()
                    .any(|r| r.stops.iter().any(|s| s.town == id))
            })
            .collect()
    };
    let big = days_of("big");
    assert!(big == [1, 4] || big == [2, 5], "{big:?}");
    let twice = days_of("twice");
    assert_eq!(twice.len(), 2);
    assert!(twice.iter().all(|d| [1, 3, 5].contains(d)), "{twice:?}");
    assert_eq!(days_of("once").len(), 1);
    assert_eq!(plan.totals.drops, 5);
    assert!(plan.unassigned.is_empty());
}

#[test]
fn improvement_never_makes_the_total_worse() {
    for seed in 0..4 {
        let p = problem(&random_spec(50, 5, 10 + seed));
        let plan = plan_horizon(&p, &config(1_000, seed)).unwrap();
        check_plan(&p, &plan);
        let s = &plan.stats;
        assert!(s.final_cost <= s.initial_cost, "{s:?}");
        // No fixed costs: the cost is the distance.
        assert_eq!(s.final_cost, plan.totals.distance);
    }
}

#[test]
fn each_cluster_gets_its_own_day() {
    // Two clusters of towns far apart, each town allowed on day 1 or day 2:
    // the compactness term of the start (and the moves) put each cluster on
    // one day.
    let mut towns = Vec::new();
    for i in 0..8 {
        let x = if i % 2 == 0 { 100.0 } else { -100.0 };
        towns
            .push(json!({"id": format!("t{i}"), "location": {"x": x, "y": f64::from(i)}, "demand": 1, "days": [1, 2]}));
    }
    let spec = json!({
        "horizon_days": 2,
        "depots": [{"id": "D", "location": {"x": 0.0, "y": 0.0}}],
        "towns": towns,
        "fleet": [{"id": "van", "depot": "D", "capacity": 100}],
    });
    let p = problem(&spec);
    let plan = plan_horizon(&p, &config(500, 0)).unwrap();
    check_plan(&p, &plan);
    assert!(plan.stats.final_cost <= plan.stats.initial_cost);
    // Best: one cluster per day, two out-and-back trips of ~200 + the spread.
    assert!(plan.totals.distance <= 2 * 200 + 2 * 20, "{:?}", plan.totals);
}

#[test]
fn plans_are_reproducible_for_a_seed() {
    let p = problem(&random_spec(50, 5, 99));
    let a = plan_horizon(&p, &config(1_500, 5)).unwrap();
    let b = plan_horizon(&p, &config(1_500, 5)).unwrap();
    assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
    // One thread gives the same plan too (the solver does not depend on it
    // under an iteration budget).
    let one = SolverConfig {
        threads: Some(1),
        ..config(1_500, 5)
    };
    let c = plan_horizon(&p, &one).unwrap();
    assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&c).unwrap());
}

#[test]
fn plan_json_round_trips() {
    let p = problem(&random_spec(20, 3, 4));
    let plan = plan_horizon(&p, &config(300, 0)).unwrap();
    let text = serde_json::to_string_pretty(&plan).unwrap();
    let back: HorizonPlan = serde_json::from_str(&text).unwrap();
    assert_eq!(back.days, plan.days);
    assert_eq!(back.patterns, plan.patterns);
    assert_eq!(back.totals, plan.totals);
    check_plan(&p, &back);
}

#[test]
fn unservable_towns_are_unassigned_with_a_reason() {
    let spec = json!({
        "horizon_days": 3,
        "depots": [{"id": "D", "location": {"x": 0.0, "y": 0.0}}],
        "towns": [
            {"id": "ok", "location": {"x": 1.0, "y": 0.0}, "demand": 5, "drops": 2},
            {"id": "heavy", "location": {"x": 2.0, "y": 0.0}, "demand": 50, "drops": 1},
            {"id": "far", "location": {"x": 500.0, "y": 0.0}, "demand": 1, "days": [2]},
            {"id": "shut", "location": {"x": 3.0, "y": 0.0}, "demand": 1, "windows": [[100000, 100100]]},
        ],
        "fleet": [{"id": "van", "depot": "D", "capacity": 10, "max_distance": 100, "count": 1}],
    });
    let p = problem(&spec);
    let plan = plan_horizon(&p, &config(200, 0)).unwrap();
    check_plan(&p, &plan);
    let reason = |id: &str| plan.unassigned.iter().find(|u| u.town == id).map(|u| u.reason.clone());
    assert!(matches!(
        reason("heavy"),
        Some(HorizonReason::Solver {
            day: None,
            reason: UnassignedReason::DemandExceedsCapacity { .. }
        })
    ));
    assert!(matches!(
        reason("far"),
        Some(HorizonReason::Solver {
            reason: UnassignedReason::RoundTripTooLong { .. },
            ..
        })
    ));
    assert!(reason("ok").is_none());
    assert_eq!(plan.totals.towns_served, 2);
    for u in &plan.unassigned {
        assert!(!u.reason.to_string().is_empty());
    }
}

#[test]
fn a_tight_fleet_moves_towns_to_other_days_or_reports_them() {
    // One van of capacity 10 per day; eight towns of demand 5 that may come
    // on day 1 or 2: two fit per day, the rest cannot be served.
    let towns: Vec<Value> = (0..8)
        .map(|i| json!({"id": format!("t{i}"), "location": {"x": f64::from(i), "y": 1.0}, "demand": 5, "days": [1, 2]}))
        .collect();
    let spec = json!({
        "horizon_days": 2,
        "depots": [{"id": "D", "location": {"x": 0.0, "y": 0.0}}],
        "towns": towns,
        "fleet": [{"id": "van", "depot": "D", "capacity": 10, "count": 1}],
    });
    let p = problem(&spec);
    let plan = plan_horizon(&p, &config(300, 0)).unwrap();
    check_plan(&p, &plan);
    assert_eq!(plan.totals.towns_served, 4);
    assert_eq!(plan.unassigned.len(), 4);
    for u in &plan.unassigned {
        assert!(matches!(u.reason, HorizonReason::Solver { day: Some(_), .. }), "{u:?}");
    }
}

#[test]
fn single_day_problems_are_refused() {
    let spec = json!({
        "depots": [{"id": "D", "location": {"x": 0.0, "y": 0.0}}],
        "towns": [{"id": "a", "location": {"x": 1.0, "y": 0.0}, "demand": 1}],
        "fleet": [{"id": "van", "depot": "D", "capacity": 10}],
    });
    let p = problem(&spec);
    match plan_horizon(&p, &SolverConfig::default()) {
        Err(Error::InvalidProblem(m)) => assert!(m.contains("horizon_days"), "{m}"),
        other => panic!("{other:?}"),
    }
    let oracle = build_oracle(&p).unwrap();
    let p2 = problem(&random_spec(5, 2, 0));
    assert!(matches!(
        plan_horizon_with_oracle(&p2, oracle.as_ref(), &SolverConfig::default()),
        Err(Error::InvalidConfig(_))
    ));
}

#[test]
fn bad_inputs_give_clear_errors() {
    let with_town = |town: Value, horizon: Option<u32>| {
        let mut spec = json!({
            "depots": [{"id": "D", "location": {"x": 0.0, "y": 0.0}}],
            "towns": [town],
            "fleet": [{"id": "van", "depot": "D", "capacity": 10}],
        });
        if let Some(h) = horizon {
            spec["horizon_days"] = json!(h);
        }
        read_problem_json(&spec.to_string(), "bad.json")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    let at = |x: f64| json!({"x": x, "y": 0.0});
    let cases: Vec<(Value, Option<u32>, &[&str])> = vec![
        (
            json!({"id": "a", "location": at(1.0), "patterns": [[1, 2], []]}),
            Some(5),
            &["town 'a'", "pattern with no allowed day"],
        ),
        (
            json!({"id": "a", "location": at(1.0), "days": [2, 6]}),
            Some(5),
            &["town 'a'", "day 6 is outside the horizon 1..=5"],
        ),
        (
            json!({"id": "a", "location": at(1.0), "patterns": [[0]]}),
            Some(5),
            &["town 'a'", "day 0 is outside the horizon"],
        ),
        (
            json!({"id": "a", "location": at(1.0), "drops": 3, "days": [1, 2]}),
            Some(5),
            &["town 'a'", "3 drops but only 2 allowed days"],
        ),
        (
            json!({"id": "a", "location": at(1.0), "drops": 6}),
            Some(5),
            &["town 'a'", "6 drops but only 5 allowed days"],
        ),
        (
            json!({"id": "a", "location": at(1.0), "windows": [["10:00", "09:00"]]}),
            Some(5),
            &["town 'a'"],
        ),
        (
            json!({"id": "a", "location": at(1.0), "drops": 2}),
            None,
            &["town 'a'", "horizon_days"],
        ),
        (
            json!({"id": "a", "location": at(1.0), "days": []}),
            Some(5),
            &["town 'a'", "days is empty"],
        ),
        (
            json!({"id": "a", "location": at(1.0), "drops": 1, "patterns": [[1]]}),
            Some(5),
            &["town 'a'", "not both"],
        ),
        (
            json!({"id": "a", "location": at(1.0)}),
            Some(65),
            &["horizon_days", "65"],
        ),
    ];
    for (town, horizon, expected) in cases {
        let msg = with_town(town.clone(), horizon);
        assert!(!msg.is_empty(), "accepted: {town}");
        for e in expected {
            assert!(msg.contains(e), "{town}: '{msg}' lacks '{e}'");
        }
    }
}

#[test]
fn the_validator_catches_a_town_served_off_pattern() {
    let spec = json!({
        "horizon_days": 3,
        "depots": [{"id": "D", "location": {"x": 0.0, "y": 0.0}}],
        "towns": [
            {"id": "a", "location": {"x": 1.0, "y": 0.0}, "demand": 1, "patterns": [[1, 3]]},
            {"id": "b", "location": {"x": 2.0, "y": 0.0}, "demand": 1, "days": [2]},
        ],
        "fleet": [{"id": "van", "depot": "D", "capacity": 10}],
    });
    let p = problem(&spec);
    let oracle = build_oracle(&p).unwrap();
    let plan = plan_horizon_with_oracle(&p, oracle.as_ref(), &config(100, 0)).unwrap();
    assert!(validate_horizon(&p, oracle.as_ref(), &plan).is_feasible());

    // Move day 3 away: 'a' is then served on day 1 only.
    let mut bad = plan.clone();
    bad.days[2] = bad.days[1].clone();
    let report = validate_horizon(&p, oracle.as_ref(), &bad);
    let found = |f: &dyn Fn(&HorizonViolation) -> bool| report.violations.iter().any(f);
    assert!(found(
        &|v| matches!(v, HorizonViolation::NotAnAllowedPattern { town, .. } if town == "a")
    ));
    assert!(found(
        &|v| matches!(v, HorizonViolation::PatternMismatch { town, .. } if town == "b")
    ));
    assert!(found(&|v| matches!(v, HorizonViolation::WrongFigure { .. })));

    // A route that breaks capacity on its day is caught by the day validator.
    let mut heavy = plan.clone();
    heavy.days[0].routes[0].load += 100;
    let report = validate_horizon(&p, oracle.as_ref(), &heavy);
    assert!(
        report
            .violations
            .iter()
            .any(|v| matches!(v, HorizonViolation::Day { day: 1, .. })),
        "{:?}",
        report.violations
    );

    // Unassigned but served, and missing.
    let mut listed = plan.clone();
    listed.unassigned.push(HorizonUnassigned {
        town: "b".into(),
        reason: HorizonReason::NoPattern,
    });
    listed.patterns.retain(|p| p.town != "a");
    let report = validate_horizon(&p, oracle.as_ref(), &listed);
    assert!(
        report
            .violations
            .iter()
            .any(|v| matches!(v, HorizonViolation::UnassignedButServed { .. }))
    );
    assert!(
        report
            .violations
            .iter()
            .any(|v| matches!(v, HorizonViolation::ListedTwice(t) if t == "b"))
    );
    for v in &report.violations {
        assert!(!v.to_string().is_empty());
    }
}

#[test]
fn the_sub_oracle_maps_locations() {
    let p = problem(&random_spec(10, 2, 3));
    let oracle = build_oracle(&p).unwrap();
    let days = DayProblems::new(&p);
    let (sub, map) = days.day(2, &[7, 2, 5]);
    assert_eq!(sub.towns.len(), 3);
    assert!(sub.horizon_days.is_none() && sub.towns.iter().all(|t| t.patterns.is_empty()));
    assert_eq!(sub.towns[0].id, "t7");
    let view = SubOracle::new(oracle.as_ref(), map);
    assert_eq!(view.num_locations(), 4);
    assert_eq!(view.distance(0, 1), oracle.distance(0, p.town_location(7)));
    assert_eq!(
        view.distance(3, 2),
        oracle.distance(p.town_location(5), p.town_location(2))
    );
    assert_eq!(view.euclidean_point(2), oracle.euclidean_point(p.town_location(2)));
}

#[test]
fn time_limited_plans_validate() {
    let p = problem(&random_spec(40, 5, 8));
    let cfg = SolverConfig {
        time_limit: Some(Duration::from_millis(500)),
        threads: Some(2),
        ..SolverConfig::default()
    };
    let plan = plan_horizon(&p, &cfg).unwrap();
    check_plan(&p, &plan);
    assert!(plan.stats.elapsed < Duration::from_secs(5), "{:?}", plan.stats.elapsed);
}

#[test]
fn progress_is_the_plans_cost_and_a_stop_still_gives_a_valid_plan() {
    use crate::solver::{Flow, SolveProgress};
    use std::sync::Mutex;
    let p = problem(&random_spec(60, 5, 21));
    let oracle = crate::distance::build_oracle(&p).unwrap();
    let seen: Mutex<Vec<SolveProgress>> = Mutex::new(Vec::new());
    let record = |s: &SolveProgress| {
        seen.lock().unwrap().push(*s);
        Flow::Continue
    };
    let plan = plan_horizon_observed(&p, oracle.as_ref(), &config(2_000, 3), &record).unwrap();
    check_plan(&p, &plan);
    let seen = seen.into_inner().unwrap();
    assert!(!seen.is_empty());
    // Steps add up over the day solves.
    assert!(seen.windows(2).all(|w| w[0].iterations <= w[1].iterations));
    // The cost is the week's, not one day's: past every single day's cost.
    let busiest = plan.days.iter().map(|d| d.totals.distance).max().unwrap();
    let last = seen.last().unwrap().best_cost;
    assert!(last > busiest, "{last} vs one day's {busiest}");
    assert!(
        last <= 2 * plan.stats.initial_cost.max(plan.stats.final_cost),
        "{last} {:?}",
        plan.stats
    );

    // Stopped at the first report: the plan is still complete and valid.
    let stop = |_: &SolveProgress| Flow::Stop;
    let stopped = plan_horizon_observed(&p, oracle.as_ref(), &config(2_000, 3), &stop).unwrap();
    check_plan(&p, &stopped);
    assert!(stopped.stats.iterations < plan.stats.iterations);
}

/// Four days, one van of capacity 10: `f1` fills day 1, `f2` day 2; `x`
/// needs two drops on days 1–3, so every pattern of it has day 1 or day 2
/// and it cannot be served; `heavy` fits no van on any day.
fn full_days_spec() -> Value {
    json!({
        "horizon_days": 4,
        "depots": [{"id": "D", "location": {"x": 0.0, "y": 0.0}}],
        "towns": [
            {"id": "f1", "location": {"x": 2.0, "y": 0.0}, "demand": 10, "days": [1]},
            {"id": "f2", "location": {"x": 0.0, "y": 2.0}, "demand": 10, "days": [2]},
            {"id": "x", "location": {"x": 3.0, "y": 3.0}, "demand": 10, "drops": 2, "days": [1, 2, 3]},
            {"id": "heavy", "location": {"x": 1.0, "y": 1.0}, "demand": 50},
        ],
        "fleet": [{"id": "van", "depot": "D", "capacity": 10, "count": 1}],
    })
}

/// A plan built by hand: day `d`'s routes (van routes, town ids in order)
/// are `routes[d]`; served towns get the days they are on, the others the
/// reasons given.
fn hand_plan(
    p: &Problem,
    oracle: &dyn TravelOracle,
    routes: &[&[&[&str]]],
    unassigned: &[(&str, HorizonReason)],
) -> HorizonPlan {
    let days = DayProblems::new(p);
    let mut served = vec![0u64; p.towns.len()];
    let mut solutions = Vec::new();
    for (d, day) in routes.iter().enumerate() {
        let ix = |id: &str| p.town_index(id).expect("known town");
        let mut towns: Vec<usize> = day.iter().flat_map(|r| r.iter().map(|&id| ix(id))).collect();
        towns.sort_unstable();
        for &t in &towns {
            served[t] |= 1 << d;
        }
        let (sub, map) = days.day(d as u32 + 1, &towns);
        let plan = Plan {
            routes: day
                .iter()
                .map(|r| PlannedRoute {
                    vehicle_type: 0,
                    towns: r.iter().map(|&id| towns.binary_search(&ix(id)).unwrap()).collect(),
                    reloads: Vec::new(),
                })
                .collect(),
            unassigned: Vec::new(),
        };
        solutions.push(Solution::from_plan(&sub, &SubOracle::new(oracle, map), &plan));
    }
    let patterns: Vec<TownPattern> = (0..p.towns.len())
        .filter(|&t| served[t] != 0)
        .map(|t| TownPattern {
            town: p.towns[t].id.clone(),
            days: mask_days(served[t]),
        })
        .collect();
    let unassigned: Vec<HorizonUnassigned> = unassigned
        .iter()
        .map(|(town, reason)| HorizonUnassigned {
            town: town.to_string(),
            reason: reason.clone(),
        })
        .collect();
    let totals = HorizonTotals {
        distance: solutions.iter().map(|s| s.totals.distance).sum(),
        cost: solutions.iter().map(|s| s.totals.cost).sum(),
        duration_s: solutions.iter().map(|s| s.totals.duration_s).sum(),
        routes: solutions.iter().map(|s| s.totals.vehicles_used).sum(),
        drops: solutions.iter().map(|s| s.totals.towns_served).sum(),
        towns_served: patterns.len(),
        towns_unassigned: unassigned.len(),
    };
    HorizonPlan {
        problem: p.name.clone(),
        days: solutions,
        patterns,
        unassigned,
        totals,
        stats: HorizonStats::default(),
    }
}

fn on_day(day: u32, reason: UnassignedReason) -> HorizonReason {
    HorizonReason::Solver { day: Some(day), reason }
}

fn no_van_left() -> UnassignedReason {
    UnassignedReason::NoVehicleLeft { depot: "D".into() }
}

#[test]
fn the_solver_writes_true_day_reasons() {
    let p = problem(&full_days_spec());
    let oracle = build_oracle(&p).unwrap();
    let plan = plan_horizon_with_oracle(&p, oracle.as_ref(), &config(300, 1)).unwrap();
    assert!(validate_horizon(&p, oracle.as_ref(), &plan).is_feasible());
    let reason = |id: &str| plan.unassigned.iter().find(|u| u.town == id).map(|u| u.reason.clone());
    match reason("x") {
        Some(HorizonReason::Solver {
            day: Some(1 | 2),
            reason,
        }) => assert_eq!(reason, no_van_left()),
        other => panic!("x: {other:?}"),
    }
    assert!(matches!(
        reason("heavy"),
        Some(HorizonReason::Solver {
            day: None,
            reason: UnassignedReason::DemandExceedsCapacity { .. }
        })
    ));
}

#[test]
fn every_day_reason_is_rederived_for_its_day() {
    let p = problem(&full_days_spec());
    let oracle = build_oracle(&p).unwrap();
    let heavy = HorizonReason::Solver {
        day: None,
        reason: UnassignedReason::DemandExceedsCapacity {
            demand: 50,
            max_capacity: 10,
            dimension: 0,
        },
    };
    let with_x = |reason: HorizonReason| {
        let plan = hand_plan(
            &p,
            oracle.as_ref(),
            &[&[&["f1"]], &[&["f2"]], &[], &[]],
            &[("x", reason), ("heavy", heavy.clone())],
        );
        validate_horizon(&p, oracle.as_ref(), &plan).violations
    };
    // True: the van is out on days 1 and 2.
    for day in [1, 2] {
        assert_eq!(with_x(on_day(day, no_van_left())), vec![], "day {day}");
    }
    let is_wrong_reason = |v: &HorizonViolation, d: u32| matches!(v, HorizonViolation::DayReason { day, violation: Violation::WrongReason { town, .. } } if *day == d && town == "x");
    // No vehicle left on day 3, when the van is free that day.
    let found = with_x(on_day(3, no_van_left()));
    assert!(
        matches!(&found[..], [HorizonViolation::DayReason { day: 3, violation: Violation::ServableButUnassigned { town, .. } }] if town == "x"),
        "{found:?}"
    );
    // Unreachable, when the van reaches it.
    let found = with_x(on_day(1, UnassignedReason::Unreachable));
    assert!(found.len() == 1 && is_wrong_reason(&found[0], 1), "{found:?}");
    // Capacity with invented figures (x's demand is 10, the van's 10).
    let invented = UnassignedReason::DemandExceedsCapacity {
        demand: 12,
        max_capacity: 10,
        dimension: 0,
    };
    let found = with_x(on_day(2, invented));
    assert!(found.len() == 1 && is_wrong_reason(&found[0], 2), "{found:?}");
    // A depot that does not serve it.
    let found = with_x(on_day(1, UnassignedReason::NoVehicleLeft { depot: "Z".into() }));
    assert!(found.len() == 1 && is_wrong_reason(&found[0], 1), "{found:?}");
    // Day 4 is not one of x's days (1–3).
    let found = with_x(on_day(4, no_van_left()));
    assert!(
        matches!(&found[..], [HorizonViolation::ReasonDayNotAllowed { town, day: 4 }] if town == "x"),
        "{found:?}"
    );
    // Days outside the horizon.
    for day in [0, 5, 99, u32::MAX] {
        let found = with_x(on_day(day, no_van_left()));
        assert!(
            matches!(&found[..], [HorizonViolation::ReasonDayOutsideHorizon { town, horizon: 4, .. }] if town == "x"),
            "day {day}: {found:?}"
        );
    }
    // Without a day: the van is free on some day, so it is not true of every day.
    let found = with_x(HorizonReason::Solver {
        day: None,
        reason: no_van_left(),
    });
    assert!(
        matches!(
            &found[..],
            [HorizonViolation::Reason(Violation::ServableButUnassigned { .. })]
        ),
        "{found:?}"
    );
    // A day's reason for a town that fits no van on any day is true too.
    let plan = hand_plan(
        &p,
        oracle.as_ref(),
        &[&[&["f1"]], &[&["f2"]], &[], &[]],
        &[
            ("x", on_day(1, no_van_left())),
            (
                "heavy",
                on_day(
                    3,
                    UnassignedReason::DemandExceedsCapacity {
                        demand: 50,
                        max_capacity: 10,
                        dimension: 0,
                    },
                ),
            ),
        ],
    );
    assert!(validate_horizon(&p, oracle.as_ref(), &plan).is_feasible());
    for v in with_x(on_day(99, UnassignedReason::Unreachable)) {
        assert!(!v.to_string().is_empty());
    }
}

#[test]
fn a_pattern_with_a_free_van_on_every_day_is_caught() {
    // `z` may come on day 1 or day 3: day 1 is full, but day 3 is free.
    let mut spec = full_days_spec();
    spec["towns"] = json!([
        {"id": "f1", "location": {"x": 2.0, "y": 0.0}, "demand": 10, "days": [1]},
        {"id": "z", "location": {"x": 1.0, "y": 2.0}, "demand": 4, "patterns": [[1], [3]]},
    ]);
    let p = problem(&spec);
    let oracle = build_oracle(&p).unwrap();
    let plan = hand_plan(
        &p,
        oracle.as_ref(),
        &[&[&["f1"]], &[], &[], &[]],
        &[("z", on_day(1, no_van_left()))],
    );
    // Day 1's reason is true; the pattern {3} had room all the same.
    let found = validate_horizon(&p, oracle.as_ref(), &plan).violations;
    assert!(
        matches!(&found[..], [HorizonViolation::ServableOnPattern { town, days }] if town == "z" && days == &[3]),
        "{found:?}"
    );
    // Served on day 3, the plan is fine.
    let plan = hand_plan(&p, oracle.as_ref(), &[&[&["f1"]], &[], &[&["z"]], &[]], &[]);
    assert!(validate_horizon(&p, oracle.as_ref(), &plan).is_feasible());
}

/// Runs step 6 alone on `p` planned as: `routes` (day index, town id) each
/// a van route of its own, `heavy` screened out, `x` unassigned with a
/// stale reason (the van is free on day 3).
fn last_step(p: &Problem, routes: &[(usize, &str)]) -> HorizonPlan {
    let oracle = build_oracle(p).unwrap();
    let cfg = config(100, 0);
    let ix = |id: &str| p.town_index(id).unwrap();
    let mut pl = Planner::new(p, oracle.as_ref(), &cfg, Instant::now(), &Unobserved).unwrap();
    for &(d, id) in routes {
        let t = ix(id);
        pl.chosen[t] = Some(0);
        pl.days[d] = pl.pricer.day_routes([PlannedRoute {
            vehicle_type: 0,
            towns: vec![t],
            reloads: Vec::new(),
        }]);
    }
    pl.reasons[ix("heavy")] = Some(HorizonReason::Solver {
        day: None,
        reason: UnassignedReason::DemandExceedsCapacity {
            demand: 50,
            max_capacity: 10,
            dimension: 0,
        },
    });
    pl.reasons[ix("x")] = Some(on_day(3, no_van_left()));
    pl.recheck_day_reasons();
    let plan = pl.finish();
    let report = validate_horizon(p, oracle.as_ref(), &plan);
    assert!(report.is_feasible(), "{:?}", report.violations);
    plan
}

#[test]
fn the_last_step_places_towns_that_have_room_and_rederives_the_rest() {
    // Days 1 and 2 full: x stays out, with day 1's reason (its first
    // pattern is {1, 2}).
    let p = problem(&full_days_spec());
    let plan = last_step(&p, &[(0, "f1"), (1, "f2")]);
    assert_eq!(plan.unassigned.len(), 2);
    let x = plan.unassigned.iter().find(|u| u.town == "x").unwrap();
    assert_eq!(x.reason, on_day(1, no_van_left()));
    // Without f2, day 2 is free: x is placed on days 2 and 3.
    let mut spec = full_days_spec();
    spec["towns"].as_array_mut().unwrap().remove(1);
    let p = problem(&spec);
    let plan = last_step(&p, &[(0, "f1")]);
    assert!(
        plan.patterns.iter().any(|tp| tp.town == "x" && tp.days == [2, 3]),
        "{plan:?}"
    );
    assert_eq!(plan.unassigned.len(), 1);
}

#[test]
fn a_week_with_money_costs_states_and_checks_its_money() {
    let spec = json!({
        "horizon_days": 2,
        "depots": [{"id": "D", "location": {"x": 0.0, "y": 0.0}}],
        "towns": [
            {"id": "a", "location": {"x": 1000.0, "y": 0.0}, "demand": 1, "drops": 2},
            {"id": "b", "location": {"x": 0.0, "y": 2000.0}, "demand": 1, "days": [2]},
        ],
        "fleet": [{"id": "van", "depot": "D", "capacity": 10, "fixed_cost": 7, "cost_per_km": 2.0}],
    });
    let p = problem(&spec);
    let oracle = build_oracle(&p).unwrap();
    let plan = plan_horizon_with_oracle(&p, oracle.as_ref(), &config(100, 0)).unwrap();
    let report = validate_horizon(&p, oracle.as_ref(), &plan);
    assert!(report.is_feasible(), "{:?}", report.violations);
    // Two routes' fixed costs and 2 a km of the distance.
    let expected = 7.0 * plan.totals.routes as f64 + 2.0 * plan.totals.distance as f64 / 1000.0;
    assert!((plan.totals.cost - expected).abs() < 1e-9, "{:?}", plan.totals);
    assert!((report.money - expected).abs() < 1e-9);
    assert!(plan.stats.money);
    assert_eq!(plan.stats.final_cost, (expected * 1e6).round() as i64);

    let mut wrong = plan.clone();
    wrong.totals.cost += 1.0;
    let report = validate_horizon(&p, oracle.as_ref(), &wrong);
    assert!(
        report
            .violations
            .iter()
            .any(|v| matches!(v, HorizonViolation::WrongCost { .. })),
        "{:?}",
        report.violations
    );
}
