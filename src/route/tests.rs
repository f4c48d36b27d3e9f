use super::*;
use crate::distance::build_oracle;
use crate::model::ProblemSpec;
use crate::rng::SeededRng;
use serde_json::{Value, json};

fn problem(spec: Value) -> Problem {
    let spec: ProblemSpec = serde_json::from_value(spec).expect("valid spec");
    Problem::from_spec(spec).expect("valid problem")
}

/// Depot at the origin (open 0–`close`), towns `a` (10, 0), `b` (10, 5),
/// `c` (0, 12), each of demand 4 and service 60 s; vehicle types `van`
/// (capacity 10, 3.6 km/h = 1 unit per second) and `truck` (capacity 20).
fn base(close: f64) -> Value {
    let town =
        |id: &str, x: f64, y: f64| json!({"id": id, "location": {"x": x, "y": y}, "demand": 4, "service_time_s": 60});
    json!({
        "name": "route",
        "depots": [{"id": "D", "location": {"x": 0.0, "y": 0.0}, "hours": [0, close]}],
        "towns": [town("a", 10.0, 0.0), town("b", 10.0, 5.0), town("c", 0.0, 12.0)],
        "fleet": [
            {"id": "van", "depot": "D", "capacity": 10, "speed_kmh": 3.6},
            {"id": "truck", "depot": "D", "capacity": 20, "speed_kmh": 3.6}
        ]
    })
}

#[test]
fn a_feasible_route_has_the_oracles_figures_and_the_clocks_times() {
    let p = problem(base(100_000.0));
    let o = build_oracle(&p).unwrap();
    let towns = [0, 1];
    let (e, stops) = evaluate_stops(&p, o.as_ref(), 0, &towns);
    assert_eq!(e, evaluate(&p, o.as_ref(), 0, &towns));
    assert!(e.is_feasible(), "{e:?}");
    let locs = [0, p.town_location(0), p.town_location(1), 0];
    let legs: i64 = locs.windows(2).map(|w| o.distance(w[0], w[1])).sum();
    assert_eq!(e.distance, legs);
    assert_eq!(e.load, 8);
    // One unit per second: the duration is the distance plus two services.
    assert_eq!(e.duration(), legs + 120);
    assert_eq!(stops.iter().map(|s| s.town).collect::<Vec<_>>(), towns);
    assert_eq!(stops.iter().map(|s| s.load_after).collect::<Vec<_>>(), [4, 0]);
    for s in &stops {
        assert_eq!(s.times.start, s.times.arrival);
        assert_eq!(s.times.departure, s.times.start + 60);
    }
    assert_eq!(
        stops[1].times.arrival,
        stops[0].times.departure + o.distance(locs[1], locs[2])
    );
}

#[test]
fn each_rule_is_reported_when_broken() {
    let o = |p: &Problem| build_oracle(p).unwrap();
    let eval = |p: &Problem, v: usize, towns: &[usize]| evaluate(p, o(p).as_ref(), v, towns).broken;

    // Capacity: three towns of 4 on a van of 10, fine on the truck.
    let p = problem(base(100_000.0));
    assert_eq!(
        eval(&p, 0, &[0, 1, 2]),
        Some(Broken::Capacity {
            dimension: 0,
            load: 12,
            capacity: 10
        })
    );
    assert_eq!(eval(&p, 1, &[0, 1, 2]), None);

    // Vehicle type: town b takes trucks only; it wins over capacity.
    let mut spec = base(100_000.0);
    spec["towns"][1]["vehicle_types"] = json!(["truck"]);
    let p = problem(spec);
    assert_eq!(eval(&p, 0, &[0, 1]), Some(Broken::VehicleType { town: 1 }));
    assert_eq!(eval(&p, 0, &[0, 1, 2]), Some(Broken::VehicleType { town: 1 }));
    assert_eq!(eval(&p, 1, &[0, 1]), None);

    // Distance limit.
    let mut spec = base(100_000.0);
    spec["fleet"][0]["max_distance"] = json!(20);
    let p = problem(spec);
    let d = evaluate(&p, o(&p).as_ref(), 0, &[0]).distance;
    assert_eq!(d, 20);
    assert_eq!(eval(&p, 0, &[0]), None);
    assert_eq!(
        eval(&p, 0, &[1]),
        Some(Broken::Distance {
            distance: evaluate(&p, o(&p).as_ref(), 0, &[1]).distance,
            max_distance: 20
        })
    );

    // Opening hours: c closes before anyone can get there after a and b.
    let mut spec = base(100_000.0);
    spec["towns"][2]["windows"] = json!([[0, 30]]);
    let p = problem(spec);
    assert_eq!(eval(&p, 1, &[2]), None);
    assert_eq!(eval(&p, 1, &[0, 1, 2]), Some(Broken::OpeningHours { town: 2 }));

    // Depot hours: back after the depot closes.
    let p = problem(base(100.0));
    assert_eq!(eval(&p, 0, &[0]), None);
    let e = evaluate(&p, o(&p).as_ref(), 0, &[0, 1]);
    assert!(e.times.end > 100, "{e:?}");
    assert_eq!(
        e.broken,
        Some(Broken::DepotHours {
            end: e.times.end,
            close: 100
        })
    );

    // Shift.
    let mut spec = base(100_000.0);
    spec["fleet"][0]["max_duration_s"] = json!(90);
    let p = problem(spec);
    assert_eq!(eval(&p, 0, &[0]), None); // 20 s driving + 60 s service
    let e = evaluate(&p, o(&p).as_ref(), 0, &[0, 1]);
    assert_eq!(
        e.broken,
        Some(Broken::Shift {
            duration_s: e.duration(),
            max_duration_s: 90
        })
    );

    // Unreachable: a matrix with a missing leg.
    let mut spec = base(100_000.0);
    let mut rows = vec![vec![json!(5); 4]; 4];
    rows[1][2] = Value::Null;
    for (i, row) in rows.iter_mut().enumerate() {
        row[i] = json!(0);
    }
    spec["travel"] = json!({"kind": "matrix", "distances": rows});
    let p = problem(spec);
    assert_eq!(eval(&p, 0, &[1, 0]), None);
    assert_eq!(eval(&p, 0, &[0, 1]), Some(Broken::Unreachable));
}

#[test]
fn cheapest_insertion_is_the_best_feasible_position() {
    let mut rng = SeededRng::from_seed(11);
    for case in 0..40 {
        let n = 9;
        let towns: Vec<Value> = (0..n)
            .map(|i| {
                let mut t = json!({
                    "id": format!("t{i}"),
                    "location": {"x": rng.below(200) as f64, "y": rng.below(200) as f64},
                    "demand": 1 + rng.below(4),
                    "service_time_s": rng.below(50),
                });
                if rng.below(3) == 0 {
                    let open = rng.below(600);
                    t["windows"] = json!([[open, open + 100 + rng.below(400)]]);
                }
                t
            })
            .collect();
        let p = problem(json!({
            "name": "ins",
            "depots": [{"id": "D", "location": {"x": 100.0, "y": 100.0}}],
            "towns": towns,
            "fleet": [{"id": "van", "depot": "D", "capacity": 14, "max_distance": 900, "speed_kmh": 3.6}]
        }));
        let o = build_oracle(&p).unwrap();
        let route: Vec<usize> = (0..n - 1).filter(|_| rng.below(2) == 0).collect();
        let t = n - 1;
        // Brute force: every position evaluated, the least added distance
        // among the feasible ones, the first on ties.
        let base = evaluate(&p, o.as_ref(), 0, &route).distance;
        let mut best: Option<(i64, usize)> = None;
        for i in 0..=route.len() {
            let mut r = route.clone();
            r.insert(i, t);
            let e = evaluate(&p, o.as_ref(), 0, &r);
            let added = e.distance - base;
            if e.is_feasible() && best.is_none_or(|(b, _)| added < b) {
                best = Some((added, i));
            }
        }
        let got = cheapest_insertion(&p, o.as_ref(), 0, &route, t, None);
        assert_eq!(got.map(|g| (g.added, g.position)), best, "case {case}: {route:?}");
        if let Some(g) = got {
            let mut r = route.clone();
            r.insert(g.position, t);
            assert_eq!(g.evaluation, evaluate(&p, o.as_ref(), 0, &r));
            // Nothing at least as cheap is taken when a bound says so.
            assert!(cheapest_insertion(&p, o.as_ref(), 0, &route, t, Some(g.added)).is_none());
            assert_eq!(
                cheapest_insertion(&p, o.as_ref(), 0, &route, t, Some(g.added + 1)).map(|x| x.position),
                Some(g.position)
            );
        }
    }
}
