//! With the vans it has, the plan serves the most towns: every town left
//! out costs the same large penalty (times `1 + priority`), so a plan that
//! serves one town more always wins, and a binding count sends even a
//! one-type fleet through the fleet search instead of dropping whole routes.

mod common;

use backroads::io::read_problem_json;
use backroads::model::Problem;
use backroads::solution::{Solution, UnassignedReason};
use serde_json::{Value, json};

fn problem(spec: &Value) -> Problem {
    common::problem_json(spec, "limited_fleet.json")
}

fn solved(p: &Problem) -> Solution {
    common::solved_checked(p)
}

fn served(s: &Solution) -> Vec<String> {
    let mut ids: Vec<String> = s
        .routes
        .iter()
        .flat_map(|r| r.stops.iter().map(|x| x.town.clone()))
        .collect();
    ids.sort();
    ids
}

/// Towns on a line east of the depot, with these demands.
fn line(demands: &[u32]) -> Vec<Value> {
    demands
        .iter()
        .enumerate()
        .map(|(i, &d)| json!({"id": format!("t{i}"), "location": {"x": 100.0 * (i + 1) as f64, "y": 0.0}, "demand": d}))
        .collect()
}

#[test]
fn a_short_fleet_serves_the_most_towns_not_the_most_demand() {
    // Two vans of 10 (of two types, so the fleet search plans them):
    // {5,5} {5,5} carries the most demand (20, 4 towns); {3,3,3} {3,5}
    // serves the most towns (5).
    let spec = json!({
        "depots": [{"id": "d", "location": {"x": 0.0, "y": 0.0}}],
        "towns": line(&[5, 5, 5, 5, 3, 3, 3, 3]),
        "fleet": [
            {"id": "van-a", "depot": "d", "capacity": 10, "count": 1},
            {"id": "van-b", "depot": "d", "capacity": 10, "count": 1},
        ],
    });
    let s = solved(&problem(&spec));
    assert_eq!(s.totals.towns_served, 5, "{:?}", served(&s));
    assert_eq!(s.routes.len(), 2);
    for u in &s.unassigned {
        assert!(
            matches!(u.reason, UnassignedReason::NoVehicleLeft { .. }),
            "{}: {:?}",
            u.town,
            u.reason
        );
    }
}

#[test]
fn a_high_priority_town_is_left_out_last() {
    // One van of 10: two small towns (2 served) or the heavy one alone.
    let mut towns = line(&[9, 4, 4]);
    let spec = |towns: &Vec<Value>| {
        json!({
            "depots": [{"id": "d", "location": {"x": 0.0, "y": 0.0}}],
            "towns": towns,
            "fleet": [{"id": "van", "depot": "d", "capacity": 10, "count": 1}],
        })
    };
    let s = solved(&problem(&spec(&towns)));
    assert_eq!(served(&s), vec!["t1", "t2"]);
    // Priority 2: leaving t0 out costs as much as leaving three towns out.
    towns[0]["priority"] = json!(2);
    let s = solved(&problem(&spec(&towns)));
    assert_eq!(served(&s), vec!["t0"]);
    // Priority 1 ties with the two small towns; the cheaper plan wins (t0
    // is nearest, so one stop drives less than two).
    towns[0]["priority"] = json!(1);
    let s = solved(&problem(&spec(&towns)));
    assert_eq!(served(&s), vec!["t0"]);
}

#[test]
fn priority_is_checked_at_input() {
    let with = |town: Value| {
        let spec = json!({
            "depots": [{"id": "d", "location": {"x": 0.0, "y": 0.0}}],
            "towns": [town],
            "fleet": [{"id": "van", "depot": "d", "capacity": 10}],
        });
        read_problem_json(&spec.to_string(), "p.json", None)
            .map(|_| ())
            .unwrap_err()
            .to_string()
    };
    let at = json!({"x": 1.0, "y": 0.0});
    let e = with(json!({"id": "a", "location": at, "demand": 1, "priority": 101}));
    assert!(e.contains("priority") && e.contains("0..=100"), "{e}");
    let e = with(json!({"id": "a", "location": at, "demand": 1, "priority": 1, "prize": 5}));
    assert!(e.contains("priority and prize"), "{e}");
    // Not an integer ≥ 0: the JSON reader's error, with its place.
    let e = with(json!({"id": "a", "location": at, "demand": 1, "priority": -1}));
    assert!(e.contains("-1") && e.contains("column"), "{e}");
}

#[test]
fn a_binding_count_of_one_type_keeps_the_most_towns() {
    // One type, one depot, 3 vans of 12 for 30 towns of demand 1..=4 in two
    // directions: the construction needs more routes than there are vans,
    // and the plan must serve at least as many towns as the three fullest
    // routes could — here every van full (by the smallest demands first).
    let mut towns = Vec::new();
    for i in 0..30u32 {
        let side = if i % 2 == 0 { 1.0 } else { -1.0 };
        towns.push(
            json!({"id": format!("t{i}"), "location": {"x": side * 50.0 * f64::from(i / 2 + 1), "y": f64::from(i % 3)},
            "demand": 1 + i % 4}),
        );
    }
    let spec = json!({
        "depots": [{"id": "d", "location": {"x": 0.0, "y": 0.0}}],
        "towns": towns,
        "fleet": [{"id": "van", "depot": "d", "capacity": 12, "count": 3}],
    });
    let s = solved(&problem(&spec));
    // Demands: 8 ones, 8 twos, 7 threes, 7 fours; 36 units of room hold at
    // most 20 towns (8 ones, 8 twos, 4 threes), and they pack into three
    // vans ({3,3,2,2,1,1} twice, {2,2,2,2,1,1,1,1}).
    assert!(s.totals.towns_served >= 19, "served {}", s.totals.towns_served);
    assert!(s.routes.len() <= 3);
}
