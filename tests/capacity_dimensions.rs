//! Several capacity dimensions (`capacity: [kg, m3]`, `demand`/`pickup`
//! the same length): every dimension follows the load rule on its own, the
//! plan keeps all of them, a town too big in one says which, and the
//! validator checks each dimension itself.

mod common;

use backroads::distance::build_oracle;
use backroads::io::read_problem_json;
use backroads::model::Problem;
use backroads::solution::{Solution, UnassignedReason, Violation, validate};
use serde_json::{Value, json};

fn problem(spec: &Value) -> Problem {
    common::problem_json(spec, "capacity_dimensions.json")
}

fn solved(p: &Problem) -> Solution {
    common::solved_checked(p)
}

/// Towns around the depot with these `[kg, m3]` demands (and pickups).
fn spec(demands: &[(Value, Value)], capacity: Value) -> Value {
    let towns: Vec<Value> = demands
        .iter()
        .enumerate()
        .map(|(i, (q, up))| {
            let a = i as f64 * 0.9;
            json!({"id": format!("t{i}"), "location": {"x": 100.0 * a.cos(), "y": 100.0 * a.sin()},
                   "demand": q, "pickup": up})
        })
        .collect();
    json!({
        "depots": [{"id": "d", "location": {"x": 0.0, "y": 0.0}}],
        "towns": towns,
        "fleet": [{"id": "van", "depot": "d", "capacity": capacity}],
    })
}

#[test]
fn the_volume_binds_when_the_weight_does_not() {
    // Ten towns of 10 kg and 4 m3; vans of 100 kg and 10 m3: two towns a van.
    let demands = vec![(json!([10, 4]), json!(0)); 10];
    let p = problem(&spec(&demands, json!([100, 10])));
    let s = solved(&p);
    assert_eq!(s.totals.towns_served, 10);
    assert_eq!(s.routes.len(), 5);
    for r in &s.routes {
        assert_eq!(r.loads, vec![r.load, 4 * r.stops.len() as u64]);
        assert!(r.loads[1] <= 10);
    }

    // The validator walks each dimension itself: three towns on one van
    // are 12 m3.
    let mut merged = s.clone();
    let moved = merged.routes.pop().unwrap().stops;
    merged.routes[0].stops.push(moved[0].clone());
    let oracle = build_oracle(&p).unwrap();
    let v = validate(&p, oracle.as_ref(), &merged).violations;
    assert!(
        v.iter().any(|x| matches!(
            x,
            Violation::Capacity {
                dimension: 1,
                load: 12,
                capacity: 10,
                ..
            }
        )),
        "{v:?}"
    );
}

#[test]
fn pickups_in_a_second_dimension_are_on_board_to_the_depot() {
    // Crates: each town takes 6 back empties; vans carry 10 crates. Weight
    // never binds. Without the pickups every town would fit one van.
    let demands = vec![(json!([5, 0]), json!([0, 6])); 4];
    let p = problem(&spec(&demands, json!([100, 10])));
    let s = solved(&p);
    assert_eq!(s.totals.towns_served, 4);
    assert_eq!(s.routes.len(), 4, "6 crates each: one town a van");
}

#[test]
fn a_town_too_big_in_one_dimension_names_it() {
    let demands = vec![(json!([10, 4]), json!(0)), (json!([10, 40]), json!(0))];
    let s = solved(&problem(&spec(&demands, json!([100, 10]))));
    assert_eq!(s.totals.towns_served, 1);
    assert_eq!(
        s.unassigned[0].reason,
        UnassignedReason::DemandExceedsCapacity {
            demand: 40,
            max_capacity: 10,
            dimension: 1
        }
    );
    assert!(s.unassigned[0].reason.to_string().contains("dimension 1"));
}

#[test]
fn dimensions_that_do_not_match_are_refused_by_name() {
    let two = vec![(json!([1, 1]), json!(0))];
    let mut unequal = spec(&two, json!([10, 10]));
    unequal["fleet"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "lorry", "depot": "d", "capacity": [30]}));
    let cases = [
        (spec(&[(json!(1), json!(0))], json!([10, 10])), "demand"),
        (spec(&[(json!([1, 2, 3]), json!(0))], json!([10, 10])), "demand"),
        (spec(&[(json!([1, 2]), json!([1]))], json!([10, 10])), "pickup"),
        (unequal, "capacity"),
        (spec(&two, json!([])), "capacity"),
        (spec(&two, json!([1, 1, 1, 1, 1])), "capacity"),
    ];
    for (case, word) in cases {
        let err = read_problem_json(&case.to_string(), "bad.json", None)
            .unwrap_err()
            .to_string();
        assert!(err.contains(word), "{case}: {err}");
    }
    // One dimension written as a list is the usual problem.
    let p = problem(&spec(&[(json!([3]), json!([1]))], json!([10])));
    assert_eq!((p.dimensions(), p.towns[0].demand, p.towns[0].pickup), (1, 3, 1));
}

/// Deliveries first with several dimensions: a town that only takes back
/// crates (dimension 1) is a backhaul, though its weight (dimension 0) is
/// zero; no trip starts with it and no delivery follows it.
#[test]
fn deliveries_first_reads_a_town_as_a_backhaul_from_any_dimension() {
    // Two shops with goods, and a crate return that the shortest tour
    // would visit between them.
    let mut s = spec(
        &[
            (json!([5, 0]), json!([0, 0])),
            (json!([5, 0]), json!([0, 0])),
            (json!([0, 0]), json!([0, 3])),
        ],
        json!([100, 10]),
    );
    s["towns"][0]["location"] = json!({"x": 100.0, "y": 0.0});
    s["towns"][1]["location"] = json!({"x": 100.0, "y": 100.0});
    s["towns"][2]["location"] = json!({"x": 120.0, "y": 50.0});
    s["pickup_order"] = json!("deliveries_first");
    let p = problem(&s);
    let plan = solved(&p);
    assert_eq!(plan.totals.towns_served, 3);
    assert_eq!(plan.routes.len(), 1);
    let order: Vec<&str> = plan.routes[0].stops.iter().map(|x| x.town.as_str()).collect();
    assert_eq!(order.last(), Some(&"t2"), "the crate return comes last: {order:?}");

    // The validator reads the class from every dimension too: the return
    // first is out of order.
    let mut first = plan.clone();
    first.routes[0].stops.rotate_right(1);
    let oracle = build_oracle(&p).unwrap();
    let v = validate(&p, oracle.as_ref(), &first).violations;
    assert!(
        v.iter()
            .any(|x| matches!(x, Violation::PickupOrder { town, .. } if town == "t2")),
        "{v:?}"
    );

    // Alone, the crate return would start its trip with a pickup.
    let mut alone = spec(&[(json!([0, 0]), json!([0, 3]))], json!([100, 10]));
    alone["pickup_order"] = json!("deliveries_first");
    let plan = solved(&problem(&alone));
    assert_eq!(plan.totals.towns_served, 0);
    assert_eq!(plan.unassigned[0].reason, UnassignedReason::PickupFirst);
}

/// A week of drops with two dimensions: each drop carries the town's
/// amounts in both, and every day's routes keep both capacities.
#[test]
fn a_week_keeps_every_dimension_on_every_day() {
    // Eight shops of 10 kg and 4 m3, twice a week each; vans of 100 kg and
    // 10 m3: two shops a van a day, whatever the weight allows.
    let demands = vec![(json!([10, 4]), json!(0)); 8];
    let mut s = spec(&demands, json!([100, 10]));
    s["horizon_days"] = json!(5);
    for t in s["towns"].as_array_mut().unwrap() {
        t["drops"] = json!(2);
    }
    let p = problem(&s);
    assert_eq!(p.dimensions(), 2);
    let oracle = build_oracle(&p).unwrap();
    let config = backroads::solver::SolverConfig {
        iterations: Some(300),
        ..Default::default()
    };
    let plan = backroads::horizon::plan_horizon_with_oracle(&p, oracle.as_ref(), &config).unwrap();
    let report = backroads::horizon::validate_horizon(&p, oracle.as_ref(), &plan);
    assert!(report.violations.is_empty(), "{:?}", report.violations);
    assert!(plan.unassigned.is_empty(), "{:?}", plan.unassigned);
    let mut drops = 0;
    for day in &plan.days {
        for r in &day.routes {
            assert!(r.loads[1] <= 10, "{:?}", r.loads);
            assert_eq!(r.loads[1], 4 * r.stops.len() as u64);
            drops += r.stops.len();
        }
    }
    assert_eq!(drops, 16);
}
