//! Plan mode (`backroads eta`, `backroads::eta_text`): routes given as
//! sequences get the solver's own schedule and every rule they break,
//! without optimising.

mod common;

use backroads::distance::build_oracle;
use backroads::io::read_problem_json;
use backroads::model::Problem;
use backroads::solution::{Solution, UnassignedReason};
use backroads::{Error, EtaReport, eta_text};
use serde_json::{Value, json};

fn example(name: &str) -> Problem {
    common::example_problem(name)
}

fn eta(p: &Problem, routes: &str) -> backroads::Result<EtaReport> {
    let oracle = build_oracle(p).unwrap();
    eta_text(p, oracle.as_ref(), routes, "routes.json")
}

fn solved(p: &Problem, iterations: u64) -> Solution {
    let config = backroads::solver::SolverConfig {
        iterations: Some(iterations),
        seed: 1,
        threads: Some(1),
        ..Default::default()
    };
    backroads::solver::solve(p, &config).expect("solves").solution
}

/// The solver's own plan, every rule at once (depots, two speeds, windows
/// with lunch closures, pickups, reloads, releases, prizes, breaks): plan
/// mode gives back the times `solve` reported, stop by stop.
#[test]
fn the_solvers_own_plan_gets_the_times_solve_reported() {
    let p = example("anhui_all_rules.json");
    let s = solved(&p, 400);
    assert!(!s.routes.is_empty());
    let text = serde_json::to_string(&s).unwrap();
    let report = eta(&p, &text).unwrap();
    assert!(report.feasible, "{:?}", report.violations);
    assert_eq!(report.routes, s.routes, "the same schedule, route by route");
    assert_eq!(report.totals.distance, s.totals.distance);
    assert_eq!(report.totals.towns_served, s.totals.towns_served);
    // The towns the plan left out are on no route.
    let mut left: Vec<&str> = s.unassigned.iter().map(|u| u.town.as_str()).collect();
    left.sort_unstable();
    let mut not: Vec<&str> = report.not_in_plan.iter().map(String::as_str).collect();
    not.sort_unstable();
    assert_eq!(not, left);
    // Breaks and reloads are part of the schedule.
    assert!(
        report.routes.iter().any(|r| !r.breaks.is_empty()),
        "some route takes a break"
    );
}

/// A line of towns with opening hours; vans of 10.
fn line() -> Problem {
    common::problem_json(
        &json!({
            "depots": [{"id": "d", "location": {"x": 0, "y": 0}, "hours": [0, 100000]}],
            "towns": [
                {"id": "a", "location": {"x": 1000, "y": 0}, "demand": 4},
                {"id": "b", "location": {"x": 2000, "y": 0}, "demand": 4, "windows": [[0, 2500]]},
                {"id": "c", "location": {"x": 3000, "y": 0}, "demand": 4},
                {"id": "e", "location": {"x": 0, "y": 5000}, "demand": 1}
            ],
            "fleet": [{"id": "van", "depot": "d", "capacity": 10, "speed_kmh": 3.6, "count": 2}]
        }),
        "line.json",
    )
}

/// A plan edited by hand: each broken rule is named, and the schedule is
/// the shortest there is for the sequence.
#[test]
fn a_hand_edited_plan_names_what_it_breaks() {
    let p = line();
    // All three on one van: 12 > 10; b reached at 2000 s, after it closes.
    let report = eta(&p, r#"{"routes": [{"vehicle_type": "van", "stops": ["c", "a", "b"]}]}"#).unwrap();
    assert!(!report.feasible);
    let all = report.violations.join("\n");
    assert!(all.contains("capacity"), "{all}");
    assert!(all.contains("'b'"), "{all}");
    assert_eq!(report.not_in_plan, vec!["e".to_string()]);
    // Timed all the same: c at 3000 s, a at 5000 s, b at 6000 s.
    let starts: Vec<i64> = report.routes[0].stops.iter().map(|s| s.start_s).collect();
    assert_eq!(starts, vec![3000, 5000, 6000]);

    // A legal edit: the stops as plain ids, one van each side.
    let report = eta(
        &p,
        r#"{"routes": [{"stops": ["a", "b"]}, {"vehicle_type": "van", "stops": [{"town": "c"}, "e"]}]}"#,
    )
    .unwrap();
    assert!(report.feasible, "{:?}", report.violations);
    assert!(report.not_in_plan.is_empty());
    assert_eq!(report.routes[0].stops[1].start_s, 2000);
    assert_eq!(report.routes[0].stops[1].load_after, 0);
    assert_eq!(report.routes[1].vehicle, 1);
    // A third van is one more than the fleet has.
    let report = eta(
        &p,
        r#"{"routes": [{"stops": ["a"]}, {"stops": ["b"]}, {"stops": ["c", "e"]}]}"#,
    )
    .unwrap();
    assert!(!report.feasible);
}

/// What plan mode cannot time is refused, naming the route.
#[test]
fn unknown_ids_and_bad_reloads_are_refused_by_route() {
    let p = line();
    let cases = [
        (
            r#"{"routes": [{"stops": ["a"]}, {"stops": ["zz"]}]}"#,
            "route 1: unknown town 'zz'",
        ),
        (
            r#"{"routes": [{"vehicle_type": "lorry", "stops": ["a"]}]}"#,
            "unknown vehicle type 'lorry'",
        ),
        (
            r#"{"routes": [{"stops": ["a", "b"], "reloads": [{"before_stop": 0, "depot": "d"}]}]}"#,
            "a reload before stop 0",
        ),
        (
            r#"{"routes": [{"stops": ["a", "b"], "reloads": [{"before_stop": 1, "depot": "x"}]}]}"#,
            "unknown reload depot 'x'",
        ),
    ];
    for (text, words) in cases {
        match eta(&p, text) {
            Err(Error::SolutionMismatch(m)) => assert!(m.contains(words), "{words}: {m}"),
            other => panic!("{text}: {other:?}"),
        }
    }
    assert!(matches!(eta(&p, "{\"routes\": 3}"), Err(Error::Json { .. })));
    // With several types every route names its own.
    let mut two: Value = serde_json::from_str(&backroads::io::write_problem_json(&p).unwrap()).unwrap();
    two["fleet"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "lorry", "depot": "d", "capacity": 30}));
    let two = read_problem_json(&two.to_string(), "two.json", None).unwrap();
    match eta(&two, r#"{"routes": [{"stops": ["a"]}]}"#) {
        Err(Error::SolutionMismatch(m)) => assert!(m.contains("several types"), "{m}"),
        other => panic!("{other:?}"),
    }
}

/// A CVRPLIB `.sol` is timed too.
#[test]
fn a_sol_file_is_timed() {
    let p = line();
    let report = eta(&p, "Route #1: 1 2\nRoute #2: 3 4\nCost 0\n").unwrap();
    assert_eq!(report.routes.len(), 2);
    assert_eq!(report.routes[0].stops[1].town, "b");
    assert!(report.feasible, "{:?}", report.violations);
}

/// `backroads eta` on `solve`'s own output says feasible (exit 0) and its
/// `--out` JSON has the solved routes' times; on an edit that overloads a
/// van it names the violation and exits 3.
#[test]
fn the_eta_command_times_solve_output_and_names_violations() {
    let dir = common::scratch("plan_mode", "cli");
    let problem = common::example_path("small.json");
    let problem = problem.to_str().unwrap();
    let solved = dir.join("solved.json");
    let o = common::backroads(&[
        "solve",
        problem,
        "--seed",
        "1",
        "--threads",
        "1",
        "--iterations",
        "300",
        "--quiet",
        "--out",
        solved.to_str().unwrap(),
    ]);
    // Exit 3: the far farm is unassigned.
    assert_eq!(o.status.code(), Some(3), "{}", common::stderr(&o));
    let report = dir.join("eta.json");
    let o = common::backroads(&[
        "eta",
        problem,
        solved.to_str().unwrap(),
        "--out",
        report.to_str().unwrap(),
    ]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(0), "{out}{}", common::stderr(&o));
    assert!(out.trim_end().ends_with("feasible"), "{out}");
    let s: Solution = serde_json::from_str(&std::fs::read_to_string(&solved).unwrap()).unwrap();
    let r: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let routes: Vec<backroads::solution::Route> = serde_json::from_value(r["routes"].clone()).unwrap();
    assert_eq!(routes, s.routes);

    // Every town on the first route of its type: over capacity.
    let by_type = s.routes.iter().find(|x| x.stops.len() > 1).unwrap();
    let towns: Vec<&str> = s
        .routes
        .iter()
        .filter(|x| x.vehicle_type == by_type.vehicle_type)
        .flat_map(|x| x.stops.iter().map(|t| t.town.as_str()))
        .collect();
    let edited = dir.join("edited.json");
    std::fs::write(
        &edited,
        json!({"routes": [{"vehicle_type": by_type.vehicle_type, "stops": towns}]}).to_string(),
    )
    .unwrap();
    let o = common::backroads(&["eta", problem, edited.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(3), "{out}{}", common::stderr(&o));
    assert!(out.contains("violation:") && out.contains("capacity"), "{out}");
    assert!(out.trim_end().ends_with("INFEASIBLE"), "{out}");
}

/// `fit`'s answers are what inserting the town and timing the plan again
/// gives: each place is feasible under `eta`, with the distance and cost
/// it says — on a plan with every rule at once.
#[test]
fn fit_answers_agree_with_inserting_and_timing_again() {
    let p = example("anhui_all_rules.json");
    let s = solved(&p, 400);
    let plan = serde_json::to_string(&s).unwrap();
    // A small shop open all day, next door to the first stop of the
    // shortest route (the fleet is short: this one has room for it).
    let spec: Value =
        serde_json::from_str(&std::fs::read_to_string(common::example_path("anhui_all_rules.json")).unwrap()).unwrap();
    let shortest = s
        .routes
        .iter()
        .min_by_key(|r| r.stops.len())
        .expect("the plan has routes");
    let beside = &shortest.stops[0].town;
    let at = spec["towns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"].as_str() == Some(beside.as_str()))
        .expect("a town of the problem")["location"]
        .clone();
    let town = json!({"id": "new-shop", "location": at, "demand": 1,
                      "service_time_s": 60, "windows": [["06:00", "20:00"]]});
    let report = backroads::fit_json(&p, &plan, "plan.json", &town.to_string(), 5).unwrap();
    assert!(report.fits, "{:?}", report.because);
    assert!(!report.options.is_empty() && report.options.len() <= 5);
    let costs: Vec<f64> = report.options.iter().map(|o| o.added_cost).collect();
    assert!(costs.windows(2).all(|w| w[0] <= w[1]), "cheapest first: {costs:?}");

    let extended = p.with_town(serde_json::from_value(town.clone()).unwrap()).unwrap();
    let oracle = build_oracle(&extended).unwrap();
    let before = eta_text(&extended, oracle.as_ref(), &plan, "plan.json").unwrap();
    for o in &report.options {
        // The plan with the town where `fit` says.
        let mut edited: Value = serde_json::to_value(&s).unwrap();
        let routes = edited["routes"].as_array_mut().unwrap();
        match o.route {
            Some(r) => {
                let stops = routes[r]["stops"].as_array_mut().unwrap();
                stops.insert(o.position, json!({"town": "new-shop"}));
                // Reloads after the town move one stop on.
                if let Some(reloads) = routes[r].get_mut("reloads").and_then(Value::as_array_mut) {
                    for x in reloads {
                        let b = x["before_stop"].as_u64().unwrap() as usize;
                        if b > o.position
                            || (b == o.position && o.schedule.reloads.iter().any(|y| y.before_stop == b + 1))
                        {
                            x["before_stop"] = json!(b + 1);
                        }
                    }
                }
            }
            None => routes.push(json!({"vehicle_type": o.vehicle_type, "stops": ["new-shop"]})),
        }
        let after = eta_text(&extended, oracle.as_ref(), &edited.to_string(), "edited.json").unwrap();
        assert!(after.feasible, "{:?}: {:?}", o.route, after.violations);
        assert_eq!(after.totals.distance - before.totals.distance, o.added_distance);
        let money = after.totals.cost - before.totals.cost;
        assert!((money - o.added_cost).abs() < 1e-6, "{money} vs {}", o.added_cost);
        let timed = match o.route {
            Some(r) => &after.routes[r],
            None => after.routes.last().unwrap(),
        };
        assert_eq!(timed.stops, o.schedule.stops);
        assert_eq!(timed.stops[o.position].start_s, o.start_s);
        // The stops it moves are those whose start changed.
        if let Some(r) = o.route {
            let moved = before.routes[r]
                .stops
                .iter()
                .filter(|was| {
                    timed
                        .stops
                        .iter()
                        .any(|now| now.town == was.town && now.start_s != was.start_s)
                })
                .count();
            assert_eq!(moved, o.moved.len());
        }
    }
}

/// No place: the town too big for every van, and a fleet with no vehicle
/// left and no room; each says why.
#[test]
fn fit_says_why_a_town_fits_nowhere() {
    let p = line();
    let plan = r#"{"routes": [{"stops": ["a", "b"]}, {"stops": ["c", "e"]}]}"#;
    let fit = |town: Value| backroads::fit_json(&p, plan, "plan.json", &town.to_string(), 3).unwrap();
    let big = fit(json!({"id": "big", "location": {"x": 10, "y": 0}, "demand": 11}));
    assert!(!big.fits);
    assert!(
        matches!(
            big.reason,
            Some(UnassignedReason::DemandExceedsCapacity { demand: 11, .. })
        ),
        "{:?}",
        big.reason
    );
    // 8 + 3 > 10 and 5 + 6 > 10; both vans are out.
    let full = fit(json!({"id": "late", "location": {"x": 10, "y": 0}, "demand": 6}));
    assert!(!full.fits);
    assert!(
        matches!(full.reason, Some(UnassignedReason::NoVehicleLeft { .. })),
        "{:?}",
        full.reason
    );
    let small = fit(json!({"id": "small", "location": {"x": 1500, "y": 0}, "demand": 2}));
    assert!(small.fits);
    assert_eq!((small.options[0].route, small.options[0].position), (Some(0), 1));
    assert_eq!(small.options[0].after.as_deref(), Some("a"));

    // Refused: an id the problem has, a town on a route, malformed JSON.
    let err = |town: &str| {
        backroads::fit_json(&p, plan, "plan.json", town, 3)
            .unwrap_err()
            .to_string()
    };
    assert!(err(r#"{"id": "a", "location": {"x": 1, "y": 1}}"#).contains("already has"));
    assert!(err(r#"{"id": "x", "location": {"lon": 1, "lat": 1}}"#).contains("mixes planar"));
    assert!(err("{").contains("town"));
}
