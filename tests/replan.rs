//! Re-planning during the day (`"state"` in a problem,
//! [`backroads::settle_day`]): vehicles on the road keep what is done and
//! what their drivers were told, a vehicle down hands its towns back, and
//! what cannot hold is refused before any solve.

mod common;

use backroads::distance::build_oracle;
use backroads::io::{read_problem_file, read_problem_json};
use backroads::model::{Location, Problem};
use backroads::solution::{Plan, Solution, validate, vehicle_changes};
use backroads::solver::{SolverConfig, solve, solve_with_oracle};
use backroads::{Error, SettledDay, settle_day};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

fn config(iterations: u64) -> SolverConfig {
    SolverConfig {
        iterations: Some(iterations),
        seed: 1,
        threads: Some(2),
        ..SolverConfig::default()
    }
}

/// Solves a settled problem and checks the plan with the validator.
fn solved_checked(p: &Problem, cfg: &SolverConfig) -> Solution {
    let oracle = build_oracle(p).expect("oracle");
    let s = solve_with_oracle(p, oracle.as_ref(), cfg).expect("solves").solution;
    let report = validate(p, oracle.as_ref(), &s);
    assert!(report.is_feasible(), "{:?}", report.violations);
    s
}

/// Towns on some route of `s`, each with its route's vehicle type.
fn served_by(s: &Solution) -> HashMap<String, String> {
    s.routes
        .iter()
        .flat_map(|r| r.stops.iter().map(move |x| (x.town.clone(), r.vehicle_type.clone())))
        .collect()
}

/// A problem from JSON text, or the error it is refused with.
fn read(spec: &Value) -> backroads::Result<Problem> {
    read_problem_json(&spec.to_string(), "day.json", None)
}

fn settled(spec: &Value) -> (Problem, SettledDay) {
    let (p, day) = settle_day(read(spec).expect("valid problem")).expect("settles");
    (p, day.expect("the problem has a state"))
}

/// A line of towns east of the depot, one far north; planar metres, vans
/// at 1 m/s (3.6 km/h) so that seconds are metres.
fn line(state: Value) -> Value {
    json!({
        "depots": [{"id": "d", "location": {"x": 0, "y": 0}, "hours": [0, 100000]}],
        "towns": [
            {"id": "a", "location": {"x": 1000, "y": 0}, "demand": 2},
            {"id": "b", "location": {"x": 2000, "y": 0}, "demand": 2},
            {"id": "c", "location": {"x": 3000, "y": 0}, "demand": 2},
            {"id": "e", "location": {"x": 0, "y": 3000}, "demand": 2}
        ],
        "fleet": [{"id": "van", "depot": "d", "capacity": 10, "speed_kmh": 3.6, "count": 2}],
        "state": state
    })
}

/// The bundled 11:00 re-plan of `anhui_all_rules`, from its morning plan:
/// nothing done is planned again, every vehicle on the road starts where it
/// is free after the stops its driver was told (in their order), the van
/// down plans nothing, the cancelled order is gone, the new orders are
/// planned or explained, and a change penalty keeps towns on their
/// vehicles.
#[test]
fn the_bundled_replan_keeps_the_day_so_far() {
    let path = common::example_path("anhui_replan_11h.json");
    let raw: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let problem = read_problem_file(&path).expect("the example reads");
    let (settled, day) = settle_day(problem.clone()).expect("the example settles");
    let day = day.expect("the example has a state");
    let morning_text = std::fs::read_to_string(common::example_path("anhui_morning.json")).unwrap();
    let morning: Solution = serde_json::from_str(&morning_text).unwrap();
    let initial = day
        .initial_plan(&morning_text, "anhui_morning.json", &settled)
        .expect("the morning plan reads against the settled problem");
    let previous: Plan = initial.plan.clone();

    let run = |penalty: f64| {
        let cfg = SolverConfig {
            initial: Some(Arc::new(previous.clone())),
            change_penalty: penalty,
            ..config(1000)
        };
        solved_checked(&settled, &cfg)
    };
    let s = run(0.0);
    let served = served_by(&s);
    let unassigned: HashSet<&str> = s.unassigned.iter().map(|u| u.town.as_str()).collect();

    // Done towns are planned no more.
    let state = &raw["state"]["vehicles"];
    let state = state.as_array().expect("the state lists vehicles");
    let mut done_anywhere = 0;
    for v in state {
        for t in v["done"].as_array().into_iter().flatten() {
            let t = t.as_str().unwrap();
            done_anywhere += 1;
            assert!(!served.contains_key(t), "done town {t} is on a route");
        }
    }
    assert!(done_anywhere > 0, "the example has towns done");

    // Each vehicle of the state in the report, in the state's order.
    assert_eq!(day.report.vehicles.len(), state.len());
    let mut working = 0;
    let mut down = Vec::new();
    for (v, given) in day.report.vehicles.iter().zip(state) {
        assert_eq!(v.vehicle_type, given["vehicle_type"].as_str().unwrap());
        assert_eq!(u64::from(v.vehicle), given["vehicle"].as_u64().unwrap());
        match v.status.as_str() {
            "working" => {
                working += 1;
                // Its fixed stops as its driver was told them: the town it
                // drives to, then `fixed`.
                let mut told: Vec<&str> = Vec::new();
                if let Some(between) = given["position"]["between"].as_array() {
                    told.push(between[1].as_str().unwrap());
                }
                told.extend(
                    given["fixed"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|t| t.as_str().unwrap()),
                );
                let reported: Vec<&str> = v.fixed.iter().map(|x| x.town.as_str()).collect();
                assert_eq!(reported, told, "fixed stops of {}", v.id);
                for t in &told {
                    assert!(!served.contains_key(*t), "fixed stop {t} of {} is planned again", v.id);
                }
                // Its route, if any, leaves from where it is free, no earlier.
                let free_at = v.free_at.as_deref().expect("a working vehicle is free somewhere");
                for r in s.routes.iter().filter(|r| r.vehicle_type == v.id) {
                    assert_eq!(r.depot, free_at, "route of {}", v.id);
                    assert!(r.start_s >= v.free_s, "{} leaves before it is free", v.id);
                }
            }
            "down" => down.push(v),
            other => assert_eq!(other, "no_time_left", "status of {}", v.id),
        }
    }
    assert!(working > 0);
    assert_eq!(down.len(), 1, "one vehicle of the example is down");
    let down = down[0];
    assert!(down.fixed.is_empty());
    assert!(
        s.routes.iter().all(|r| r.vehicle_type != down.id),
        "the vehicle down has a route"
    );
    assert!(
        settled.fleet.iter().all(|vt| vt.id != down.id),
        "the vehicle down has a vehicle type of its own"
    );

    // The cancelled order: in the morning plan, not in the problem.
    let problem_towns: HashSet<&str> = problem.towns.iter().map(|t| t.id.as_str()).collect();
    let morning_towns: HashSet<&str> = morning
        .routes
        .iter()
        .flat_map(|r| r.stops.iter().map(|x| x.town.as_str()))
        .chain(morning.unassigned.iter().map(|u| u.town.as_str()))
        .collect();
    let cancelled: Vec<&str> = morning_towns.difference(&problem_towns).copied().collect();
    assert_eq!(cancelled.len(), 1, "{cancelled:?}");
    let cancelled = cancelled[0];
    assert!(initial.unknown_towns.iter().any(|t| t == cancelled));
    assert!(!served.contains_key(cancelled));
    assert!(!unassigned.contains(cancelled));
    assert!(
        day.report
            .vehicles
            .iter()
            .all(|v| v.fixed.iter().all(|x| x.town != cancelled))
    );

    // The new orders: planned, or unassigned with a reason.
    let new: Vec<&str> = problem_towns.difference(&morning_towns).copied().collect();
    assert_eq!(new.len(), 5, "{new:?}");
    for t in &new {
        match s.unassigned.iter().find(|u| u.town == *t) {
            Some(u) => assert!(!u.reason.to_string().is_empty(), "{t} has no reason"),
            None => assert!(
                served.contains_key(*t),
                "new order {t} is neither served nor unassigned"
            ),
        }
    }
    // Every town of the settled problem is accounted for exactly once.
    assert_eq!(
        served.len() + s.unassigned.len(),
        settled.towns.len(),
        "towns served and unassigned"
    );

    // A change penalty above any saving keeps towns on their vehicles: no
    // more changes than free moves make, and no more than the towns the van
    // down was to serve and the new orders make room for.
    let free = vehicle_changes(&settled, &previous, &s);
    let pinned_solution = run(1e6);
    let pinned = vehicle_changes(&settled, &previous, &pinned_solution);
    let down_morning = morning
        .routes
        .iter()
        .find(|r| r.vehicle_type == down.vehicle_type && r.vehicle == down.vehicle)
        .expect("the vehicle down had a morning route");
    let down_towns = down_morning
        .stops
        .iter()
        .filter(|x| !down.done.contains(&x.town))
        .count();
    assert!(down_towns > 0);
    assert!(
        pinned.changed_vehicle <= free.changed_vehicle,
        "penalty: {pinned:?}, free: {free:?}"
    );
    // Towns the morning plan left out that the pinned re-plan serves: each
    // may be worth moving others for (a required town's unserved penalty
    // outweighs moving every town of the previous plan).
    let morning_left: HashSet<&str> = morning.unassigned.iter().map(|u| u.town.as_str()).collect();
    let gained = served_by(&pinned_solution)
        .keys()
        .filter(|t| morning_left.contains(t.as_str()))
        .count();
    assert!(
        pinned.changed_vehicle <= down_towns + new.len() + gained,
        "{pinned:?} against {down_towns} towns of the van down, {} new and {gained} served now the morning left out",
        new.len()
    );
    assert!(pinned.served_by_both > 0);
}

/// A vehicle on the road whose next fixed stop closes before it can get
/// there: the re-plan is refused, naming the vehicle and the late stop, by
/// the library and by `backroads solve`.
#[test]
fn infeasible_fixed_stops_are_refused() {
    // It left d at 500 s (halfway to a at 1000 s), a at 1500 s; b is 1000 m
    // further, reached at 2500 s, but closes at 2000 s.
    let mut spec = line(json!({
        "now": 1000,
        "vehicles": [{
            "vehicle_type": "van", "vehicle": 0, "id": "van-7",
            "position": {"between": ["d", "a"], "progress": 0.5},
            "fixed": ["b"]
        }]
    }));
    spec["towns"][1]["windows"] = json!([[0, 2000]]);
    let problem = read(&spec).expect("valid problem");
    match settle_day(problem) {
        Err(Error::FixedStopsInfeasible { vehicle, violations }) => {
            assert_eq!(vehicle, "van-7");
            assert!(
                violations
                    .iter()
                    .any(|v| v.contains("'b'") && v.contains("outside its opening hours")),
                "{violations:?}"
            );
        }
        other => panic!("expected FixedStopsInfeasible, got {other:?}"),
    }
    // The same window, reachable (b at 2500 s, closing at 3000 s): settles.
    spec["towns"][1]["windows"] = json!([[0, 3000]]);
    let (_, day) = settled(&spec);
    assert_eq!(day.report.vehicles[0].status, "working");
    assert_eq!(day.report.vehicles[0].free_s, 2500);

    // On the command line: a non-zero exit naming the vehicle.
    spec["towns"][1]["windows"] = json!([[0, 2000]]);
    let dir = common::scratch("replan", "infeasible_fixed");
    let file = dir.join("late.json");
    std::fs::write(&file, spec.to_string()).unwrap();
    let o = common::backroads(&["solve", file.to_str().unwrap(), "--iterations", "100", "--quiet"]);
    let err = common::stderr(&o);
    assert!(!o.status.success(), "{err}");
    assert!(err.contains("van-7"), "{err}");
    assert!(err.contains("fixed stops"), "{err}");
}

/// A vehicle part-way along a leg has used its shift until now once: the
/// leg so far counts from when it left, not a second time.
#[test]
fn the_leg_so_far_counts_once_against_the_shift() {
    // Started at 0, left d at 500 s (halfway to a at 1000 s), a at 1500 s,
    // b at 2500 s: 2,500 s of a 2,600 s shift.
    let mut spec = line(json!({
        "now": 1000,
        "vehicles": [{
            "vehicle_type": "van", "vehicle": 0, "started": 0,
            "position": {"between": ["d", "a"], "progress": 0.5},
            "fixed": ["b"]
        }]
    }));
    spec["fleet"][0]["max_duration_s"] = json!(2600);
    let (_, day) = settled(&spec);
    assert_eq!(day.report.vehicles[0].status, "working");
    assert_eq!(day.report.vehicles[0].free_s, 2500);
    // 2,400 s is less than the 2,500 s it needs.
    spec["fleet"][0]["max_duration_s"] = json!(2400);
    assert!(matches!(
        settle_day(read(&spec).unwrap()),
        Err(Error::FixedStopsInfeasible { .. })
    ));
}

/// Deliveries first: a delivery locked to a vehicle that has already
/// collected is refused (unlocked, such a town goes to another vehicle).
#[test]
fn a_delivery_locked_to_a_collecting_vehicle_is_refused_deliveries_first() {
    let mut spec = line(json!({
        "now": 3000,
        "vehicles": [{"vehicle_type": "van", "vehicle": 0, "started": 0, "done": ["b"],
                      "collected": 2, "position": {"at": "b"}}],
        "locks": {"a": "van#0"}
    }));
    spec["towns"][1]["demand"] = json!(0);
    spec["towns"][1]["pickup"] = json!(2);
    spec["pickup_order"] = json!("deliveries_first");
    match settle_day(read(&spec).unwrap()) {
        Err(Error::InvalidProblem(m)) => assert!(m.contains("'a'") && m.contains("deliveries"), "{m}"),
        other => panic!("expected the lock refused, got {other:?}"),
    }
    // Without the lock, a goes to the other van.
    spec["state"]["locks"] = json!({});
    let (p, _) = settled(&spec);
    let s = solved_checked(&p, &config(200));
    let served = served_by(&s);
    assert_eq!(served.get("a").map(String::as_str), Some("van"));
}

/// Fixed stops given in a longer order than the best are kept in that
/// order: what the driver was told stands.
#[test]
fn fixed_stops_keep_their_given_order() {
    // From the depot, c (3000 m) then a (1000 m) is 5000 m; a then c 3000 m.
    let spec = line(json!({
        "now": 100,
        "vehicles": [{
            "vehicle_type": "van", "vehicle": 1,
            "position": {"at": "d"},
            "started": 100,
            "fixed": ["c", "a"]
        }]
    }));
    let (p, day) = settled(&spec);
    let v = &day.report.vehicles[0];
    assert_eq!(v.id, "van#1");
    let order: Vec<&str> = v.fixed.iter().map(|x| x.town.as_str()).collect();
    assert_eq!(order, ["c", "a"]);
    assert!(v.fixed[0].departure_s <= v.fixed[1].arrival_s);
    // Free at a, after 5000 m at 1 m/s from 100 s.
    assert_eq!(v.free_s, 5100);
    let free_at = v.free_at.as_deref().unwrap();
    let depot = p
        .depots
        .iter()
        .find(|d| d.id == free_at)
        .expect("its depot of the rest of the day");
    assert_eq!(depot.location, Location::Planar { x: 1000.0, y: 0.0 }, "free at a");
    // Neither stop is planned again.
    let ids: HashSet<&str> = p.towns.iter().map(|t| t.id.as_str()).collect();
    assert!(!ids.contains("a") && !ids.contains("c"));
    assert!(ids.contains("b") && ids.contains("e"));
    solved_checked(&p, &config(500));
}

/// A state that does not fit the problem is refused when the problem is
/// read, naming what is wrong.
#[test]
fn states_that_do_not_fit_are_refused() {
    let refused = |state: Value, wanted: &[&str]| {
        let err = read(&line(state.clone()))
            .expect_err(&format!("{state} is accepted"))
            .to_string();
        for w in wanted {
            assert!(err.contains(w), "{state}: '{err}' does not say {w}");
        }
    };
    // A town done that the problem does not have.
    refused(
        json!({"now": 1000, "vehicles": [{"vehicle_type": "van", "vehicle": 0, "done": ["zz"]}]}),
        &["'zz'", "done", "van#0"],
    );
    // A town done by two vehicles.
    refused(
        json!({"now": 1000, "vehicles": [
            {"vehicle_type": "van", "vehicle": 0, "done": ["a"]},
            {"vehicle_type": "van", "vehicle": 1, "done": ["b", "a"]}
        ]}),
        &["'a'", "twice", "van#0", "van#1"],
    );
    // A lock to a vehicle the state does not list.
    refused(
        json!({"now": 1000, "vehicles": [{"vehicle_type": "van", "vehicle": 0}], "locks": {"b": "ghost"}}),
        &["'ghost'", "'b'", "lock"],
    );
    // More collected than the vehicle holds.
    refused(
        json!({"now": 1000, "vehicles": [{"vehicle_type": "van", "vehicle": 0, "collected": 11}]}),
        &["collected", "van#0", "11", "capacity"],
    );
    // A vehicle the type does not have (2 vans: 0 and 1).
    refused(
        json!({"now": 1000, "vehicles": [{"vehicle_type": "van", "vehicle": 2}]}),
        &["vehicle 2", "'van'", "2 vehicles"],
    );
    // A travel matrix: no travel from where a vehicle is on the road.
    let mut spec = line(json!({"now": 1000, "vehicles": [{"vehicle_type": "van", "vehicle": 0}]}));
    let n = 5;
    let distances: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..n).map(|j| if i == j { 0.0 } else { 1000.0 }).collect())
        .collect();
    spec["travel"] = json!({"kind": "matrix", "distances": distances});
    // The same problem without a state reads: the matrix itself is fine.
    let mut plain = spec.clone();
    plain.as_object_mut().unwrap().remove("state");
    read(&plain).expect("the matrix problem reads without a state");
    let err = read(&spec).expect_err("a state with a matrix is accepted").to_string();
    assert!(err.contains("state") && err.contains("travel matrix"), "{err}");
}

/// What a vehicle has collected takes up room: with 8 of 10 on board it
/// takes no town of demand 3, which go to another vehicle or nowhere.
#[test]
fn collected_goods_take_up_room() {
    let spec = json!({
        "depots": [{"id": "d", "location": {"x": 0, "y": 0}, "hours": [0, 100000]}],
        "towns": [
            {"id": "t1", "location": {"x": 1000, "y": 0}, "demand": 3},
            {"id": "t2", "location": {"x": 1000, "y": 1000}, "demand": 3},
            {"id": "t3", "location": {"x": 0, "y": 1000}, "demand": 3},
            {"id": "t4", "location": {"x": -1000, "y": 0}, "demand": 3},
            {"id": "small", "location": {"x": 0, "y": -1000}, "demand": 2}
        ],
        "fleet": [
            {"id": "van", "depot": "d", "capacity": 10, "speed_kmh": 3.6, "count": 1},
            {"id": "truck", "depot": "d", "capacity": 6, "speed_kmh": 3.6, "count": 1}
        ],
        "state": {"now": 1000, "vehicles": [
            {"vehicle_type": "van", "vehicle": 0, "position": {"at": "d"}, "collected": 8}
        ]}
    });
    let (p, day) = settled(&spec);
    assert_eq!(day.report.vehicles[0].status, "working");
    let van = p.fleet.iter().find(|v| v.id == "van#0").expect("the van's own type");
    assert_eq!(van.capacity, 2);
    assert_eq!(van.count, Some(1));
    // The type it came from has no other van left.
    assert_eq!(p.fleet.iter().find(|v| v.id == "van").unwrap().count, Some(0));
    let s = solved_checked(&p, &config(500));
    let demand: HashMap<&str, i64> = p.towns.iter().map(|t| (t.id.as_str(), t.demand as i64)).collect();
    for r in s.routes.iter().filter(|r| r.vehicle_type == "van#0") {
        for x in &r.stops {
            assert!(demand[x.town.as_str()] <= 2, "the van with 8 on board takes {}", x.town);
        }
    }
    // The truck takes two towns of demand 3; the other two stay out.
    let served = served_by(&s);
    let big_served = ["t1", "t2", "t3", "t4"]
        .iter()
        .filter(|t| served.contains_key(**t))
        .count();
    assert_eq!(big_served, 2, "{served:?}");
    assert_eq!(s.unassigned.len(), 2, "{:?}", s.unassigned);
    assert!(served.contains_key("small"));
}

/// The solver takes the problem of the rest of the day, not the state.
#[test]
fn the_solver_refuses_an_unsettled_problem() {
    let p = read(&line(
        json!({"now": 1000, "vehicles": [{"vehicle_type": "van", "vehicle": 0}]}),
    ))
    .unwrap();
    assert!(p.day.is_some());
    let err = match solve(&p, &config(100)) {
        Ok(_) => panic!("a problem with a state of the day was solved as it is"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("settle"), "{err}");
    // Settled, it solves.
    let (settled, _) = settle_day(p).unwrap();
    assert!(settled.day.is_none());
    solved_checked(&settled, &config(100));
}

/// A vehicle down with stops its driver was told: they go back to the
/// pool, and another vehicle serves them.
#[test]
fn a_vehicle_down_hands_its_towns_back() {
    let spec = line(json!({
        "now": 1000,
        "vehicles": [{
            "vehicle_type": "van", "vehicle": 0, "id": "broken",
            "started": 0,
            "position": {"between": ["d", "a"], "progress": 0.9},
            "fixed": ["b"],
            "done": ["e"],
            "unavailable_from": 900
        }]
    }));
    let (p, day) = settled(&spec);
    let v = &day.report.vehicles[0];
    assert_eq!(v.status, "down");
    assert!(v.fixed.is_empty());
    assert_eq!(day.report.back_in_pool, ["a", "b"]);
    let ids: HashSet<&str> = p.towns.iter().map(|t| t.id.as_str()).collect();
    assert!(ids.contains("a") && ids.contains("b"), "{ids:?}");
    assert!(!ids.contains("e"), "a town done is planned again");
    assert!(p.fleet.iter().all(|vt| vt.id != "broken"));
    assert_eq!(p.fleet.iter().find(|vt| vt.id == "van").unwrap().count, Some(1));
    let s = solved_checked(&p, &config(500));
    let served = served_by(&s);
    for t in ["a", "b"] {
        assert_eq!(served.get(t).map(String::as_str), Some("van"), "{t}: {served:?}");
    }
    assert!(s.routes.iter().all(|r| r.vehicle_type != "broken" && r.start_s >= 1000));
}

/// A plan without vehicle numbers numbers its routes by rank among the
/// routes of their type, as the change count does: a route with no stop
/// takes no number, so the next one is still the state's vehicle 0.
#[test]
fn an_empty_route_takes_no_vehicle_number() {
    let spec = line(json!({
        "now": 1000,
        "vehicles": [{
            "vehicle_type": "van", "vehicle": 0, "id": "first",
            "started": 0,
            "position": {"at": "a"},
            "done": ["a"]
        }]
    }));
    let (p, day) = settled(&spec);
    let plan = json!({"routes": [
        {"vehicle_type": "van", "stops": []},
        {"vehicle_type": "van", "stops": [{"town": "a"}, {"town": "b"}]}
    ]});
    let initial = day
        .initial_plan(&plan.to_string(), "plan.json", &p)
        .expect("the plan reads");
    let with_b: Vec<&str> = initial
        .plan
        .routes
        .iter()
        .filter(|r| r.towns.iter().any(|&t| p.towns[t].id == "b"))
        .map(|r| p.fleet[r.vehicle_type].id.as_str())
        .collect();
    assert_eq!(with_b, ["first"]);
}
