//! Property tests on random problems: every town served once or unassigned
//! with a true reason, limits respected, reported cost = validator cost,
//! results reproducible across runs and thread counts.

mod common;

use backroads::distance::build_oracle;
use backroads::model::{Location, Problem, ProblemBuilder, VehicleTypeSpec};
use backroads::solution::{Plan, PlannedRoute, Solution, UnassignedReason, validate};
use backroads::solver::{SolverConfig, solve};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Case {
    depots: Vec<(f64, f64)>,
    towns: Vec<(f64, f64, f64, f64)>,
    capacity: f64,
    max_distance: Option<f64>,
    max_duration: Option<f64>,
    count: Option<i64>,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec((0.0..1000.0f64, 0.0..1000.0f64), 1..=3),
        prop::collection::vec((0.0..1000.0f64, 0.0..1000.0f64, 0.0..40.0f64, 0.0..600.0f64), 1..60),
        10.0..60.0f64,
        prop::option::of(300.0..3000.0f64),
        prop::option::of(600.0..10000.0f64),
        prop::option::of(1..8i64),
    )
        .prop_map(|(depots, towns, capacity, max_distance, max_duration, count)| Case {
            depots,
            towns,
            capacity,
            max_distance,
            max_duration,
            count,
        })
}

fn build(c: &Case) -> Problem {
    let mut b = ProblemBuilder::new("prop");
    for (i, &(x, y)) in c.depots.iter().enumerate() {
        b = b.depot(format!("D{i}"), Location::Planar { x, y });
    }
    for (i, &(x, y, q, s)) in c.towns.iter().enumerate() {
        b = b.town(format!("T{i}"), Location::Planar { x, y }, q.round(), s.round());
    }
    for i in 0..c.depots.len() {
        let mut v = common::vehicle(&format!("V{i}"), &format!("D{i}"), c.capacity, c.max_distance, c.count);
        v.max_duration_s = c.max_duration;
        b = b.vehicle_type(v);
    }
    b.build().expect("valid random problem")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn solutions_are_valid_and_reasons_true(c in case()) {
        let problem = build(&c);
        let oracle = build_oracle(&problem).unwrap();
        let solved = solve(&problem, &config(None)).unwrap();
        let s = &solved.solution;
        let report = validate(&problem, oracle.as_ref(), s);
        // Validator: each town exactly once (served or unassigned), limits, figures.
        prop_assert!(report.is_feasible(), "{:?}", report.violations);
        prop_assert_eq!(report.cost, s.totals.distance);
        prop_assert_eq!(s.totals.towns_served + s.totals.towns_unassigned, problem.towns.len());
        for u in &s.unassigned {
            let t = &problem.towns[problem.town_index(&u.town).unwrap()];
            match &u.reason {
                UnassignedReason::DemandExceedsCapacity { demand, max_capacity, .. } => {
                    prop_assert_eq!(*demand, u64::from(t.demand));
                    prop_assert!(demand > max_capacity);
                }
                UnassignedReason::RoundTripTooLong { distance, max_distance } => {
                    prop_assert!(distance > max_distance)
                }
                UnassignedReason::ShiftTooShort { duration_s, max_duration_s } => {
                    prop_assert!(duration_s > max_duration_s)
                }
                UnassignedReason::NoVehicleLeft { .. } => prop_assert!(c.count.is_some()),
                other => prop_assert!(false, "unexpected reason {:?}", other),
            }
        }
        // A town that fits alone in some depot's vehicle is never refused for being too big or far.
        if c.count.is_none() {
            for u in &s.unassigned {
                let no_vehicle = matches!(u.reason, UnassignedReason::NoVehicleLeft { .. });
                prop_assert!(!no_vehicle);
            }
        }
    }

    #[test]
    fn same_input_seed_and_threads_same_routes(c in case()) {
        let problem = build(&c);
        for threads in [1, 2] {
            let first = solve(&problem, &config(Some(threads))).unwrap();
            let again = solve(&problem, &config(Some(threads))).unwrap();
            prop_assert_eq!(&first.plan, &again.plan);
        }
    }
}

/// Construction plus a short search with an iteration budget (reproducible).
fn config(threads: Option<usize>) -> SolverConfig {
    SolverConfig {
        threads,
        iterations: Some(300),
        seed: 7,
        ..SolverConfig::default()
    }
}

/// The extreme values the limits allow solve, schedule and validate with
/// no overflow (this test matters in debug builds, which check it).
#[test]
fn extreme_accepted_values_do_not_overflow() {
    let planar = |x: f64, y: f64| Location::Planar { x, y };
    let corners = [(1e9, 1e9), (-1e9, -1e9), (1e9, -1e9), (-1e9, 1e9)];
    let mut b = ProblemBuilder::new("x").depot("d", planar(-1e9, -1e9));
    for (i, &(x, y)) in corners.iter().cycle().take(12).enumerate() {
        b = b.town(format!("t{i}"), planar(x, y), u32::MAX as f64, u32::MAX as f64);
    }
    let v = VehicleTypeSpec {
        max_duration_s: Some(1e18),
        max_distance: Some(1e18),
        speed_kmh: 0.1,
        ..VehicleTypeSpec::new("v", "d", u32::MAX as f64)
    };
    let p = b.vehicle_type(v).build().unwrap();
    let solved = solve(&p, &SolverConfig::default()).unwrap();
    let oracle = build_oracle(&p).unwrap();
    let report = validate(&p, oracle.as_ref(), &solved.solution);
    assert!(report.is_feasible(), "{:?}", report.violations);
    // One route through every town (over capacity, reported, no overflow).
    let plan = Plan {
        routes: vec![PlannedRoute {
            vehicle_type: 0,
            towns: (0..12).collect(),
            reloads: Vec::new(),
        }],
        unassigned: vec![],
    };
    let s = Solution::from_plan(&p, oracle.as_ref(), &plan);
    assert!(s.totals.distance > 0 && s.totals.duration_s > s.totals.distance);
    assert!(!validate(&p, oracle.as_ref(), &s).is_feasible());
}
