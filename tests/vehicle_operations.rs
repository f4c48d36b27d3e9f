//! Vehicles as operations have them: each type's working hours (staggered
//! shifts), a most-stops limit per route, overtime beyond the shift at a
//! cost, routes that end at another depot and open routes (that end at the
//! last stop). Every plan here is checked by the validator, and the
//! validator is shown to catch each rule broken.

mod common;

use backroads::distance::build_oracle;
use backroads::io::read_problem_json;
use backroads::model::Problem;
use backroads::solution::{Solution, UnassignedReason, Violation, validate};
use serde_json::{Value, json};

fn problem(spec: &Value) -> Problem {
    common::problem_json(spec, "vehicle_operations.json")
}

fn solved(p: &Problem) -> Solution {
    common::solved_checked(p)
}

fn violations(p: &Problem, s: &Solution) -> Vec<Violation> {
    let oracle = build_oracle(p).unwrap();
    validate(p, oracle.as_ref(), s).violations
}

/// A town at `x` east of the depot (1 s per unit at 3.6 km/h).
fn town(id: &str, x: f64, windows: Option<[i64; 2]>) -> Value {
    let mut t = json!({"id": id, "location": {"x": x, "y": 0.0}, "demand": 1});
    if let Some(w) = windows {
        t["windows"] = json!([w]);
    }
    t
}

fn van(id: &str, extra: Value) -> Value {
    let mut v = json!({"id": id, "depot": "d", "capacity": 100, "speed_kmh": 3.6});
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    v
}

fn depot() -> Value {
    json!([{"id": "d", "location": {"x": 0.0, "y": 0.0}, "hours": [0, 100_000]}])
}

#[test]
fn staggered_shifts_serve_the_morning_and_the_evening() {
    let towns = vec![
        town("m1", 100.0, Some([0, 3000])),
        town("m2", 200.0, Some([0, 3000])),
        town("m3", 300.0, Some([0, 3000])),
        town("e1", 150.0, Some([20_000, 25_000])),
        town("e2", 250.0, Some([20_000, 25_000])),
    ];
    let fleet = vec![
        van("early", json!({"count": 1, "shift": [0, 10_000]})),
        van("late", json!({"count": 1, "shift": [18_000, 30_000]})),
    ];
    let spec = json!({"depots": depot(), "towns": towns, "fleet": fleet});
    let p = problem(&spec);
    let s = solved(&p);
    assert_eq!(s.totals.towns_served, 5, "{:?}", s.unassigned);
    for r in &s.routes {
        let (open, close) = if r.vehicle_type == "early" {
            (0, 10_000)
        } else {
            (18_000, 30_000)
        };
        assert!(
            r.start_s >= open && r.end_s <= close,
            "{} {}..{}",
            r.vehicle_type,
            r.start_s,
            r.end_s
        );
        let evening = r.stops.iter().any(|x| x.town.starts_with('e'));
        assert_eq!(evening, r.vehicle_type == "late", "{r:?}");
    }

    // Without the late van, the evening towns are out of every shift, and
    // say so: their hours cannot be kept by a vehicle back by 10,000 s.
    let mut spec = spec;
    spec["fleet"] = json!([van("early", json!({"count": 1, "shift": [0, 10_000]}))]);
    let p = problem(&spec);
    let s = solved(&p);
    assert_eq!(s.totals.towns_served, 3);
    for u in &s.unassigned {
        assert!(matches!(u.reason, UnassignedReason::OpeningHours { .. }), "{u:?}");
    }

    // A route moved outside its type's shift is a violation of its own.
    let p = problem(&json!({"depots": depot(), "towns": [town("a", 100.0, None)],
        "fleet": [van("late", json!({"shift": [18_000, 30_000]}))]}));
    let mut s = solved(&p);
    let r = &mut s.routes[0];
    assert!(r.start_s >= 18_000, "{r:?}");
    let shift_by = r.start_s - 1000;
    r.start_s -= shift_by;
    r.end_s -= shift_by;
    for x in &mut r.stops {
        x.arrival_s -= shift_by;
        x.start_s -= shift_by;
        x.departure_s -= shift_by;
    }
    let v = violations(&p, &s);
    assert!(v.iter().any(|x| matches!(x, Violation::OutsideShift { .. })), "{v:?}");
}

#[test]
fn a_town_too_far_for_the_shift_says_depot_hours_within_the_shift() {
    // The round trip takes 2,000 s; the depot is open 100,000 s but the
    // van works 1,500 s of them.
    let spec = json!({"depots": depot(), "towns": [town("far", 1000.0, None), town("near", 100.0, None)],
        "fleet": [van("van", json!({"shift": [5000, 6500]}))]});
    let s = solved(&problem(&spec));
    assert_eq!(s.totals.towns_served, 1);
    let u = &s.unassigned[0];
    assert_eq!(u.town, "far");
    assert_eq!(
        u.reason,
        UnassignedReason::DepotHours {
            depot: "d".into(),
            duration_s: 2000,
            open_s: 1500
        }
    );
}

#[test]
fn bad_vehicle_rules_are_refused_by_name() {
    let cases = [
        (json!({"shift": [200_000, 300_000]}), "shift"),
        (json!({"shift": [500, 100]}), "shift"),
        (json!({"max_stops": 0}), "max_stops"),
        (json!({"max_stops": -2}), "max_stops"),
        (json!({"max_overtime_s": 600}), "max_overtime_s"),
        (
            json!({"max_duration_s": 600, "cost_per_overtime_hour": 10}),
            "cost_per_overtime_hour",
        ),
        (
            json!({"max_duration_s": 600, "max_overtime_s": 60, "cost_per_overtime_hour": -1}),
            "cost_per_overtime_hour",
        ),
    ];
    for (extra, field) in cases {
        let spec = json!({"depots": depot(), "towns": [town("a", 100.0, None)], "fleet": [van("van", extra.clone())]});
        let err = read_problem_json(&spec.to_string(), "bad.json", None)
            .unwrap_err()
            .to_string();
        assert!(err.contains(field), "{extra}: {err}");
    }
}

#[test]
fn no_route_has_more_stops_than_its_type_allows() {
    let towns: Vec<Value> = (0..10)
        .map(|i| town(&format!("t{i}"), 50.0 * (i + 1) as f64, None))
        .collect();
    let spec = json!({"depots": depot(), "towns": towns, "fleet": [van("van", json!({"max_stops": 3}))]});
    let p = problem(&spec);
    let s = solved(&p);
    assert_eq!(s.totals.towns_served, 10);
    assert!(s.routes.len() >= 4, "{}", s.routes.len());
    assert!(s.routes.iter().all(|r| r.stops.len() <= 3));

    // With a limited fleet the limit binds: two vans of three stops serve six.
    let mut limited = spec.clone();
    limited["fleet"] = json!([van("van", json!({"max_stops": 3, "count": 2}))]);
    let s2 = solved(&problem(&limited));
    assert_eq!(s2.totals.towns_served, 6);
    for u in &s2.unassigned {
        assert!(matches!(u.reason, UnassignedReason::NoVehicleLeft { .. }), "{u:?}");
    }

    // The validator counts the stops itself.
    let mut merged = s.clone();
    let moved = merged.routes.pop().unwrap().stops;
    merged.routes[0].stops.extend(moved);
    let v = violations(&p, &merged);
    assert!(
        v.iter().any(|x| matches!(x, Violation::TooManyStops { limit: 3, .. })),
        "{v:?}"
    );
}

#[test]
fn overtime_is_used_when_the_fleet_needs_it_and_paid_for() {
    // Two towns 500 s out on either side: one route of 2,000 s, or two of
    // 1,000 s each. The shift is 1,500 s with up to 600 s of overtime at
    // 1 per second; distance costs 1 per unit.
    let towns = vec![town("east", 500.0, None), town("west", -500.0, None)];
    let ot = json!({"max_duration_s": 1500, "max_overtime_s": 600, "cost_per_overtime_hour": 3600,
        "cost_per_km": 1000});
    let spec = json!({"depots": depot(), "towns": towns, "fleet": [van("van", ot.clone())]});
    let p = problem(&spec);
    let s = solved(&p);
    // Two vans free: no overtime bought.
    assert_eq!((s.totals.towns_served, s.routes.len()), (2, 2));
    assert!(s.routes.iter().all(|r| r.duration_s <= 1500));
    assert!((s.totals.cost - 2000.0).abs() < 1e-6, "{}", s.totals.cost);

    // One van: the route runs 500 s into overtime and pays for it.
    let mut one = ot.clone();
    one["count"] = json!(1);
    let p1 = problem(&json!({"depots": depot(), "towns": spec["towns"], "fleet": [van("van", one)]}));
    let s1 = solved(&p1);
    assert_eq!((s1.totals.towns_served, s1.routes.len()), (2, 1));
    let r = &s1.routes[0];
    assert_eq!(r.duration_s, 2000);
    assert!((r.cost - (2000.0 + 500.0)).abs() < 1e-6, "{}", r.cost);

    // Without the allowance the one van serves one town.
    let mut none = ot;
    none["count"] = json!(1);
    none.as_object_mut().unwrap().remove("max_overtime_s");
    none.as_object_mut().unwrap().remove("cost_per_overtime_hour");
    let p0 = problem(&json!({"depots": depot(), "towns": spec["towns"], "fleet": [van("van", none)]}));
    assert_eq!(solved(&p0).totals.towns_served, 1);

    // The validator bounds the route by the shift plus the allowance.
    let mut over = s1.clone();
    over.routes[0].end_s += 200;
    over.routes[0].duration_s += 200;
    let v = violations(&p1, &over);
    assert!(
        v.iter().any(|x| matches!(x, Violation::Duration { limit: 2100, .. })),
        "{v:?}"
    );
}

/// Towns on a line east of depot `A` (at 0), with depot `B` at 1000.
fn two_depots_and_a_line(fleet: Value) -> Value {
    let towns: Vec<Value> = (1..=5)
        .map(|i| town(&format!("t{i}"), 150.0 * i as f64, None))
        .collect();
    json!({
        "depots": [{"id": "A", "location": {"x": 0.0, "y": 0.0}}, {"id": "B", "location": {"x": 1000.0, "y": 0.0}}],
        "towns": towns,
        "fleet": fleet,
    })
}

#[test]
fn a_route_may_end_at_another_depot() {
    let fleet = json!([{"id": "van", "depot": "A", "end_depot": "B", "capacity": 100, "count": 1}]);
    let p = problem(&two_depots_and_a_line(fleet));
    let s = solved(&p);
    assert_eq!((s.totals.towns_served, s.routes.len()), (5, 1));
    let r = &s.routes[0];
    assert_eq!(
        (r.depot.as_str(), r.end_depot.as_deref(), r.open),
        ("A", Some("B"), false)
    );
    // Straight along the line from A to B.
    assert_eq!(r.distance, 1000);

    // A route that says it went home instead is caught, and its distance
    // is measured to where its type ends.
    let mut home = s.clone();
    home.routes[0].end_depot = None;
    let v = violations(&p, &home);
    assert!(v.iter().any(|x| matches!(x, Violation::WrongEnd { route: 0 })), "{v:?}");
}

#[test]
fn open_routes_drive_no_return_leg() {
    let open = json!([{"id": "van", "depot": "A", "open": true, "capacity": 100, "count": 1, "max_distance": 800}]);
    let p = problem(&two_depots_and_a_line(open));
    let s = solved(&p);
    // Out to the farthest town, 750, and no way back: within 800.
    assert_eq!(s.totals.towns_served, 5);
    let r = &s.routes[0];
    assert!(r.open && r.end_depot.is_none());
    assert_eq!(r.distance, 750);
    assert_eq!(r.end_s, r.stops.last().unwrap().departure_s);

    // The same van coming back home reaches only the towns whose round
    // trip fits 800; the others say so.
    let closed = json!([{"id": "van", "depot": "A", "capacity": 100, "count": 1, "max_distance": 800}]);
    let s = solved(&problem(&two_depots_and_a_line(closed)));
    assert_eq!(s.totals.towns_served, 2);
    for u in &s.unassigned {
        assert!(matches!(u.reason, UnassignedReason::RoundTripTooLong { .. }), "{u:?}");
    }

    // An open route's town too far even one way has the one-way distance
    // as its reason.
    let far = json!([{"id": "van", "depot": "A", "open": true, "capacity": 100, "max_distance": 500}]);
    let s = solved(&problem(&two_depots_and_a_line(far)));
    let u = s.unassigned.iter().find(|u| u.town == "t5").unwrap();
    assert_eq!(
        u.reason,
        UnassignedReason::RoundTripTooLong {
            distance: 750,
            max_distance: 500
        }
    );

    // A stated return leg on an open route is caught.
    let mut closed_again = solved(&p);
    closed_again.routes[0].open = false;
    let v = violations(&p, &closed_again);
    assert!(v.iter().any(|x| matches!(x, Violation::WrongEnd { route: 0 })), "{v:?}");
}

#[test]
fn route_ends_are_refused_by_name_when_wrong() {
    let cases = [
        (json!({"open": true, "end_depot": "B"}), "open"),
        (json!({"end_depot": "nowhere"}), "nowhere"),
    ];
    for (extra, word) in cases {
        let mut v = json!({"id": "van", "depot": "A", "capacity": 100});
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        let spec = two_depots_and_a_line(json!([v]));
        let err = read_problem_json(&spec.to_string(), "bad.json", None)
            .unwrap_err()
            .to_string();
        assert!(err.contains(word), "{extra}: {err}");
    }
}
