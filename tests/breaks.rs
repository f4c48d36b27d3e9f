//! Driver breaks end to end: an 11-hour route solved by the library gets
//! its breaks where the rule puts them (times worked out by hand below),
//! the schedule validates, and the validator rejects a schedule that skips
//! or shifts a break.

mod common;

use backroads::distance::build_oracle;
use backroads::model::{BreakKind, BreakSpec, Location, Problem, ProblemBuilder, TimeSpec, TownSpec, VehicleTypeSpec};
use backroads::route::Broken;
use backroads::solution::{Plan, PlannedRoute, Solution, Violation, validate};
use backroads::solver::{SolverConfig, solve};

const H: i64 = 3600;
const M: i64 = 60;

/// Towns on a line east of the depot, 60 km/h (one kilometre a minute):
/// A at 150 km (2 h 30), open 06:00–10:00 so that it comes first; B at
/// 330 km (3 h from A, 5 h 30 back). 15 min of service each. The depot
/// opens 06:00–22:00; one van, a 14-hour shift. 11 hours of driving.
fn line(breaks: Vec<BreakSpec>) -> Problem {
    let town = |id: &str, km: f64, windows: Vec<[TimeSpec; 2]>| TownSpec {
        id: id.into(),
        name: String::new(),
        location: Location::Planar { x: km * 1000.0, y: 0.0 },
        demand: (1.0).into(),
        service_time_s: 900.0,
        pickup: 0.0.into(),
        prize: None,
        priority: None,
        release: None,
        windows,
        drops: None,
        days: None,
        patterns: None,
        vehicle_types: None,
    };
    let secs = |s: i64| TimeSpec::Seconds(s as f64);
    ProblemBuilder::new("line")
        .depot("D", Location::Planar { x: 0.0, y: 0.0 })
        .depot_hours((6 * H) as f64, (22 * H) as f64)
        .town_spec(town("A", 150.0, vec![[secs(6 * H), secs(10 * H)]]))
        .town_spec(town("B", 330.0, Vec::new()))
        .vehicle_type(VehicleTypeSpec {
            count: Some(1),
            max_duration_s: Some((14 * H) as f64),
            breaks,
            ..VehicleTypeSpec::new("van", "D", 10.0)
        })
        .build()
        .expect("valid problem")
}

fn solved(problem: &Problem) -> Solution {
    let config = SolverConfig {
        seed: 1,
        threads: Some(1),
        ..SolverConfig::default()
    };
    let solution = solve(problem, &config).expect("solves").solution;
    let oracle = build_oracle(problem).unwrap();
    let report = validate(problem, oracle.as_ref(), &solution);
    assert!(report.is_feasible(), "{:?}", report.violations);
    solution
}

fn violations(problem: &Problem, solution: &Solution) -> Vec<Violation> {
    let oracle = build_oracle(problem).unwrap();
    validate(problem, oracle.as_ref(), solution).violations
}

/// `(start, end, kind)` of a route's breaks.
fn breaks_of(solution: &Solution) -> Vec<(i64, i64, BreakKind)> {
    solution.routes[0]
        .breaks
        .iter()
        .map(|b| (b.start_s, b.end_s, b.kind))
        .collect()
}

fn eu_rule() -> BreakSpec {
    BreakSpec::driving((4 * H + 30 * M) as f64, (45 * M) as f64)
}

#[test]
fn an_eleven_hour_route_gets_its_breaks_where_the_driving_rule_puts_them() {
    let problem = line(vec![eu_rule()]);
    let solution = solved(&problem);
    assert_eq!(solution.routes.len(), 1);
    let r = &solution.routes[0];
    let stops: Vec<&str> = r.stops.iter().map(|s| s.town.as_str()).collect();
    assert_eq!(stops, ["A", "B"]);
    // Leave 06:00; 2 h 30 to A: 08:30, served until 08:45 (2 h 30 driven).
    let (leave, at_a) = (6 * H, 8 * H + 30 * M);
    assert_eq!(r.start_s, leave);
    assert_eq!((r.stops[0].arrival_s, r.stops[0].start_s), (at_a, at_a));
    let off_a = at_a + 15 * M;
    assert_eq!(r.stops[0].departure_s, off_a);
    // 2 h more reach 4 h 30 of driving at 10:45: 45 min break, then the
    // last hour to B, 12:30.
    let first = (off_a + 2 * H, off_a + 2 * H + 45 * M);
    assert_eq!(first, (10 * H + 45 * M, 11 * H + 30 * M));
    let at_b = first.1 + H;
    assert_eq!(r.stops[1].arrival_s, at_b);
    let off_b = at_b + 15 * M;
    // Service is no rest: 1 h driven before B, so 3 h 30 into the 5 h 30
    // back comes the second break (16:15–17:00), then 2 h home: 19:00.
    let second = (off_b + 3 * H + 30 * M, off_b + 3 * H + 30 * M + 45 * M);
    assert_eq!(second, (16 * H + 15 * M, 17 * H));
    assert_eq!(
        breaks_of(&solution),
        vec![
            (first.0, first.1, BreakKind::Driving),
            (second.0, second.1, BreakKind::Driving)
        ]
    );
    assert_eq!(r.end_s, second.1 + 2 * H);
    assert_eq!(r.duration_s, 19 * H - 6 * H);

    // Skip the first break: 5 h 45 of driving by B (the idle 45 min on the
    // road count as driving).
    let mut skipped = solution.clone();
    skipped.routes[0].breaks.remove(0);
    let v = violations(&problem, &skipped);
    assert!(
        v.iter().any(|v| matches!(v,
            Violation::DrivingWithoutBreak { at, max_driving_s, .. } if at == "B" && *max_driving_s == 4 * H + 30 * M)),
        "{v:?}"
    );
    // Take it 20 minutes late: 4 h 50 driven first.
    let mut late = solution.clone();
    late.routes[0].breaks[0].start_s += 20 * M;
    late.routes[0].breaks[0].end_s += 20 * M;
    let v = violations(&problem, &late);
    assert!(
        v.iter()
            .any(|v| matches!(v, Violation::DrivingWithoutBreak { driving_s, .. } if *driving_s > 4 * H + 30 * M)),
        "{v:?}"
    );
    // A break during a service is misplaced.
    let mut during = solution.clone();
    during.routes[0].breaks[0].start_s = at_b + 5 * M;
    during.routes[0].breaks[0].end_s = at_b + 10 * M;
    let v = violations(&problem, &during);
    assert!(v.iter().any(|v| matches!(v, Violation::MisplacedBreak { .. })), "{v:?}");
    // The breaks go through JSON.
    let text = serde_json::to_string(&solution).unwrap();
    assert!(text.contains(r#""kind":"driving""#), "{text}");
    let back: Solution = serde_json::from_str(&text).unwrap();
    assert_eq!(back, solution);
}

#[test]
fn a_lunch_window_and_the_driving_rule_together() {
    let lunch = BreakSpec::window((12 * H) as f64, (13 * H) as f64, (30 * M) as f64);
    let problem = line(vec![lunch, eu_rule()]);
    let solution = solved(&problem);
    let r = &solution.routes[0];
    // As above up to the driving break 10:45–11:30; the lunch window opens
    // at 12:00 on the way to B: 30 min, then the last 30 min: B at 13:00.
    let first = (10 * H + 45 * M, 11 * H + 30 * M);
    let lunch = (12 * H, 12 * H + 30 * M);
    let at_b = 13 * H;
    assert_eq!(r.stops[1].arrival_s, at_b);
    // 1 h driven before B (30 min is no 45-minute rest): the next break
    // 3 h 30 after leaving B at 13:15, then 2 h home.
    let second = (16 * H + 45 * M, 17 * H + 30 * M);
    assert_eq!(
        breaks_of(&solution),
        vec![
            (first.0, first.1, BreakKind::Driving),
            (lunch.0, lunch.1, BreakKind::Window),
            (second.0, second.1, BreakKind::Driving)
        ]
    );
    assert_eq!(r.end_s, 19 * H + 30 * M);

    // No lunch stated: the window break is missing.
    let mut skipped = solution.clone();
    skipped.routes[0].breaks.remove(1);
    let v = violations(&problem, &skipped);
    assert!(
        v.contains(&Violation::MissingBreak {
            route: 0,
            open_s: 12 * H,
            close_s: 13 * H
        }),
        "{v:?}"
    );
    // A 20-minute lunch is too short.
    let mut short = solution.clone();
    short.routes[0].breaks[1].end_s -= 10 * M;
    let v = violations(&problem, &short);
    assert!(
        v.contains(&Violation::BreakTooShort {
            route: 0,
            start_s: 12 * H,
            length_s: 20 * M,
            required_s: 30 * M
        }),
        "{v:?}"
    );
    // A schedule that claims the leg without the lunch's time cannot be driven.
    let mut squeezed = solution.clone();
    squeezed.routes[0].stops[1].arrival_s -= 10 * M;
    let v = violations(&problem, &squeezed);
    assert!(
        v.iter().any(|v| matches!(v, Violation::ImpossibleTimes { .. })),
        "{v:?}"
    );
}

#[test]
fn a_driver_with_breaks_leaves_late_when_leaving_at_the_opening_breaks_the_shift() {
    // C opens 13:00–14:00, an hour from a depot open from 05:00; the van
    // has an 8-hour shift. Leaving at 05:00 waits seven hours (10 h 15
    // in all): only a later departure serves C within the shift.
    let problem = ProblemBuilder::new("late")
        .depot("D", Location::Planar { x: 0.0, y: 0.0 })
        .depot_hours((5 * H) as f64, (22 * H) as f64)
        .town_spec(TownSpec {
            service_time_s: (15 * M) as f64,
            windows: vec![[TimeSpec::Seconds((13 * H) as f64), TimeSpec::Seconds((14 * H) as f64)]],
            ..TownSpec::new("C", Location::Planar { x: 60_000.0, y: 0.0 }, 1.0)
        })
        .vehicle_type(VehicleTypeSpec {
            speed_kmh: 60.0,
            max_duration_s: Some((8 * H) as f64),
            breaks: vec![eu_rule()],
            ..VehicleTypeSpec::new("van", "D", 10.0)
        })
        .build()
        .unwrap();
    let solution = solved(&problem);
    assert!(solution.unassigned.is_empty(), "{:?}", solution.unassigned);
    let route = &solution.routes[0];
    assert!(route.duration_s <= 8 * H, "{} s", route.duration_s);
    // The schedule a plan of the same sequence gets (what `check` derives
    // for a `.sol`) is the same one, and feasible.
    let oracle = build_oracle(&problem).unwrap();
    let plan = Plan {
        routes: vec![PlannedRoute::new(0, vec![0])],
        unassigned: Vec::new(),
    };
    let derived = backroads::solution::Solution::from_plan(&problem, oracle.as_ref(), &plan);
    assert_eq!(derived.routes[0].duration_s, route.duration_s);
    assert!(violations(&problem, &derived).is_empty());
}

/// One van (capacity 1, may reload at its depot) for two shops an hour
/// from a depot open from 05:00, each taking one unit: `first` then
/// `second` on one route with a reload between them.
fn two_trips_late_in_the_day(first: Vec<[TimeSpec; 2]>, breaks: Vec<BreakSpec>) -> Problem {
    let at = |h: i64| TimeSpec::Seconds((h * H) as f64);
    ProblemBuilder::new("two trips")
        .depot("D", Location::Planar { x: 0.0, y: 0.0 })
        .depot_hours((5 * H) as f64, (22 * H) as f64)
        .town_spec(TownSpec {
            service_time_s: (15 * M) as f64,
            windows: first,
            ..TownSpec::new("C1", Location::Planar { x: 60_000.0, y: 0.0 }, 1.0)
        })
        .town_spec(TownSpec {
            service_time_s: (15 * M) as f64,
            windows: vec![[at(15), at(16)]],
            ..TownSpec::new("C2", Location::Planar { x: 0.0, y: 60_000.0 }, 1.0)
        })
        .vehicle_type(VehicleTypeSpec {
            speed_kmh: 60.0,
            count: Some(1),
            max_duration_s: Some((8 * H) as f64),
            reload_depots: vec!["D".into()],
            reload_time_s: (10 * M) as f64,
            breaks,
            ..VehicleTypeSpec::new("van", "D", 1.0)
        })
        .build()
        .unwrap()
}

/// Solves `problem`: one route serving both towns, with a reload, within
/// the shift; the schedule derived from the bare plan (what `check` of a
/// `.sol` and the schedule writer use) is the same length and feasible.
fn both_trips_fit_the_shift(problem: &Problem) {
    let solution = solved(problem);
    assert!(solution.unassigned.is_empty(), "{:?}", solution.unassigned);
    assert_eq!(solution.routes.len(), 1);
    let route = &solution.routes[0];
    assert_eq!(route.reloads.len(), 1);
    assert!(route.duration_s <= 8 * H, "{} s", route.duration_s);
    let oracle = build_oracle(problem).unwrap();
    let towns = route
        .stops
        .iter()
        .map(|s| problem.town_index(&s.town).unwrap())
        .collect();
    let plan = Plan {
        routes: vec![PlannedRoute {
            reloads: vec![backroads::route::Reload { before: 1, depot: 0 }],
            ..PlannedRoute::new(0, towns)
        }],
        unassigned: Vec::new(),
    };
    let derived = Solution::from_plan(problem, oracle.as_ref(), &plan);
    assert_eq!(derived.routes[0].duration_s, route.duration_s);
    assert!(violations(problem, &derived).is_empty());
}

#[test]
fn a_driver_with_breaks_and_a_reload_leaves_late_when_the_opening_breaks_the_shift() {
    // Leaving at 05:00 the van waits at C1 until 13:00 and the route takes
    // 11 h 40: over the 8-hour shift. Leaving at 12:00 it takes 4 h 40.
    let at = |h: i64| TimeSpec::Seconds((h * H) as f64);
    both_trips_fit_the_shift(&two_trips_late_in_the_day(vec![[at(13), at(14)]], vec![eu_rule()]));
}

#[test]
fn a_route_with_a_reload_leaves_late_for_a_shop_with_two_intervals() {
    // C1 opens 06:00–06:30 and 13:00–14:00. Served at 06:00, the van
    // waits at the depot or at C2 until 15:00 (11 h 40 in all); the forward
    // slack of C1's first interval moves the departure half an hour at
    // most. The shortest schedule serves C1 at 13:00 and takes 4 h 40.
    let at = |h: i64| TimeSpec::Seconds((h * H) as f64);
    let windows = vec![[at(6), TimeSpec::Seconds((6 * H + 30 * M) as f64)], [at(13), at(14)]];
    both_trips_fit_the_shift(&two_trips_late_in_the_day(windows, Vec::new()));
}

#[test]
fn a_lunch_break_that_cannot_be_placed_leaves_the_town_out() {
    // B takes 3 hours of service from 11:00 to 14:00 on a route that has
    // no later moment for the lunch window 12:00–13:00: it cannot be served.
    let problem = ProblemBuilder::new("busy")
        .depot("D", Location::Planar { x: 0.0, y: 0.0 })
        .depot_hours((10 * H) as f64, (22 * H) as f64)
        .town("B", Location::Planar { x: 60_000.0, y: 0.0 }, 1.0, (3 * H) as f64)
        .vehicle_type(VehicleTypeSpec {
            breaks: vec![BreakSpec::window((12 * H) as f64, (13 * H) as f64, (30 * M) as f64)],
            ..VehicleTypeSpec::new("van", "D", 10.0)
        })
        .build()
        .unwrap();
    let solution = solved(&problem);
    assert!(solution.routes.is_empty());
    assert_eq!(solution.unassigned.len(), 1);
}

#[test]
fn bad_break_rules_are_typed_errors() {
    let spec = |breaks: &str| {
        format!(
            r#"{{"depots": [{{"id": "D", "location": {{"x": 0, "y": 0}}}}],
                "towns": [{{"id": "T", "location": {{"x": 1, "y": 0}}}}],
                "fleet": [{{"id": "van", "depot": "D", "capacity": 5, "breaks": {breaks}}}]}}"#
        )
    };
    let read = |breaks: &str| backroads::io::read_problem_json(&spec(breaks), "test", None);
    let ok =
        read(r#"[{"after_driving_s": 16200, "length_s": 2700}, {"window": ["12:00", "13:00"], "length_s": 1800}]"#)
            .unwrap();
    assert_eq!(ok.fleet[0].breaks.len(), 2);
    for (bad, needle) in [
        (r#"[{"after_driving_s": 16200, "length_s": -5}]"#, "length_s"),
        (r#"[{"after_driving_s": 16200, "length_s": 0}]"#, "length_s"),
        (r#"[{"after_driving_s": 0, "length_s": 60}]"#, "after_driving_s"),
        (r#"[{"window": [500, 100], "length_s": 60}]"#, "closes before it opens"),
        (
            r#"[{"window": [0, 100], "after_driving_s": 60, "length_s": 60}]"#,
            "exactly one",
        ),
        (r#"[{"length_s": 60}]"#, "exactly one"),
        (r#"[{"after_driving_s": 600, "length_s": 60, "pause": 1}]"#, "pause"),
        (r#"[{"after_driving_s": 1, "length_s": 1}]"#, "length_s"),
        (r#"[{"after_driving_s": 600, "length_s": 60}]"#, "after_driving_s"),
        (
            r#"[{"after_driving_s": 1800, "length_s": 60}, {"after_driving_s": 900, "length_s": 60}]"#,
            "one driving",
        ),
    ] {
        let e = read(bad).expect_err(bad).to_string();
        assert!(e.contains(needle), "{bad}: {e}");
    }
    let many = format!("[{}]", vec![r#"{"window": [0, 100], "length_s": 60}"#; 17].join(","));
    let e = read(&many).unwrap_err().to_string();
    assert!(e.contains("more than 16"), "{e}");
}

#[test]
fn problems_without_breaks_write_no_breaks() {
    let problem = line(Vec::new());
    let solution = solved(&problem);
    assert!(solution.routes[0].breaks.is_empty());
    let text = serde_json::to_string(&solution).unwrap();
    assert!(!text.contains("breaks"), "{text}");
}

#[test]
fn the_breaks_example_solves_from_the_cli_and_check_catches_a_skipped_break() {
    let input = common::example_path("long_haul_breaks.json");
    let input = input.to_str().unwrap();
    let dir = common::scratch("breaks", "cli");
    let (json, csv, geojson) = (dir.join("out.json"), dir.join("out.csv"), dir.join("out.geojson"));
    let o = common::backroads(&[
        "solve",
        input,
        "--seed",
        "3",
        "--threads",
        "2",
        "--iterations",
        "2000",
        "--out",
        json.to_str().unwrap(),
        "--schedule",
        csv.to_str().unwrap(),
        "--geojson",
        geojson.to_str().unwrap(),
    ]);
    let err = common::stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("towns served 8"), "{err}");
    let solution: Solution = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    // Every route is over 9 hours long and drives through the lunch window.
    for r in &solution.routes {
        assert!(r.end_s - r.start_s > 9 * H, "{r:?}");
        assert!(r.breaks.iter().any(|b| b.kind == BreakKind::Window), "{r:?}");
        assert!(r.breaks.iter().any(|b| b.kind == BreakKind::Driving), "{r:?}");
    }
    let schedule = std::fs::read_to_string(&csv).unwrap();
    let breaks: usize = solution.routes.iter().map(|r| r.breaks.len()).sum();
    assert_eq!(schedule.matches(",break (").count(), breaks, "{schedule}");
    let features: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&geojson).unwrap()).unwrap();
    let stated: usize = features["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["kind"] == "route")
        .map(|f| f["properties"]["breaks"].as_array().map_or(0, |b| b.len()))
        .sum();
    assert_eq!(stated, breaks);
    let check = |file: &std::path::Path| common::backroads(&["check", input, file.to_str().unwrap()]);
    let c = check(&json);
    let out = String::from_utf8_lossy(&c.stdout).into_owned();
    assert_eq!(c.status.code(), Some(0), "{out}");
    assert!(out.contains("feasible"), "{out}");
    // The same schedule with its first driving break left out.
    let mut skipped = solution.clone();
    let r = skipped.routes.iter_mut().find(|r| !r.breaks.is_empty()).unwrap();
    let k = r.breaks.iter().position(|b| b.kind == BreakKind::Driving).unwrap();
    r.breaks.remove(k);
    let bad = dir.join("skipped.json");
    std::fs::write(&bad, serde_json::to_string_pretty(&skipped).unwrap()).unwrap();
    let c = check(&bad);
    let out = String::from_utf8_lossy(&c.stdout).into_owned();
    assert_eq!(c.status.code(), Some(3), "{out}");
    assert!(out.contains("of driving without a break"), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

/// A small deterministic generator (no dependency on the solver's).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

#[test]
fn random_problems_with_breaks_solve_to_schedules_the_validator_accepts() {
    let mut rng = Lcg(2026);
    let (mut breaks_seen, mut lunches, mut unassigned, mut missed) = (0, 0, 0, 0);
    for case in 0..80 {
        let mut b = ProblemBuilder::new(format!("random-{case}"))
            .depot("D", Location::Planar { x: 0.0, y: 0.0 })
            .depot_hours((5 * H) as f64, (5 * H + 13 * H + rng.below(6) as i64 * H) as f64);
        let towns = 4 + rng.below(10);
        for t in 0..towns {
            let (x, y) = (
                rng.below(400_000) as f64 - 200_000.0,
                rng.below(400_000) as f64 - 200_000.0,
            );
            let windows = if rng.below(3) == 0 {
                let open = (6 + rng.below(8) as i64) * H;
                vec![[TimeSpec::Seconds(open as f64), TimeSpec::Seconds((open + 2 * H) as f64)]]
            } else {
                Vec::new()
            };
            b = b.town_spec(TownSpec {
                id: format!("t{t}"),
                name: String::new(),
                location: Location::Planar { x, y },
                demand: (1.0).into(),
                service_time_s: (rng.below(4) * 900) as f64,
                pickup: 0.0.into(),
                prize: None,
                priority: None,
                release: None,
                windows,
                drops: None,
                days: None,
                patterns: None,
                vehicle_types: None,
            });
        }
        let mut rules = vec![BreakSpec::driving(
            (2 * H + rng.below(4) as i64 * H) as f64,
            (15 * M + rng.below(4) as i64 * 10 * M) as f64,
        )];
        if rng.below(2) == 0 {
            let open = (10 + rng.below(4) as i64) * H;
            rules.push(BreakSpec::window(
                open as f64,
                (open + rng.below(3) as i64 * H) as f64,
                (rng.below(4) as i64 * 15 * M + 10 * M) as f64,
            ));
        }
        let count = 1 + rng.below(3) as i64;
        if case % 2 == 1 {
            // A fleet: a second type without breaks (the fleet search).
            b = b.vehicle_type(VehicleTypeSpec {
                count: Some(1),
                max_duration_s: Some((9 * H) as f64),
                fixed_cost: 1000.0,
                ..VehicleTypeSpec::new("car", "D", 3.0)
            });
        }
        let problem = b
            .vehicle_type(VehicleTypeSpec {
                count: Some(count),
                max_duration_s: (rng.below(2) == 0).then_some((11 * H) as f64),
                breaks: rules,
                ..VehicleTypeSpec::new("van", "D", (2 + rng.below(6)) as f64)
            })
            .build()
            .unwrap();
        let config = SolverConfig {
            seed: case,
            threads: Some(1),
            iterations: Some(300),
            ..SolverConfig::default()
        };
        let solution = solve(&problem, &config).unwrap().solution;
        let oracle = build_oracle(&problem).unwrap();
        let report = validate(&problem, oracle.as_ref(), &solution);
        assert!(report.is_feasible(), "case {case}: {:?}", report.violations);
        // Random single routes: the clock's verdict and the validator's agree.
        for _ in 0..20 {
            let mut towns: Vec<usize> = (0..problem.towns.len()).filter(|_| rng.below(2) == 0).collect();
            for i in (1..towns.len()).rev() {
                towns.swap(i, rng.below(i as u64 + 1) as usize);
            }
            if towns.is_empty() {
                continue;
            }
            let v = problem.fleet.len() - 1; // the type with breaks
            let eval = backroads::route::evaluate(&problem, oracle.as_ref(), v, &towns);
            let plan = Plan {
                routes: vec![PlannedRoute::new(v, towns)],
                unassigned: Vec::new(),
            };
            let scheduled = Solution::from_plan(&problem, oracle.as_ref(), &plan);
            let timing: Vec<Violation> = validate(&problem, oracle.as_ref(), &scheduled)
                .violations
                .into_iter()
                .filter(|x| {
                    matches!(
                        x,
                        Violation::ImpossibleTimes { .. }
                            | Violation::DrivingWithoutBreak { .. }
                            | Violation::MissingBreak { .. }
                            | Violation::BreakTooShort { .. }
                            | Violation::MisplacedBreak { .. }
                            | Violation::OutsideOpeningHours { .. }
                            | Violation::OutsideDepotHours { .. }
                            | Violation::Duration { .. }
                    )
                })
                .collect();
            match eval.broken {
                None => assert!(timing.is_empty(), "case {case}: {timing:?}"),
                Some(Broken::Break { .. }) => {
                    assert!(
                        timing.iter().any(|x| matches!(x, Violation::MissingBreak { .. })),
                        "case {case}: {timing:?}"
                    );
                    missed += 1;
                }
                Some(_) => {}
            }
        }
        let breaks = solution.routes.iter().flat_map(|r| &r.breaks);
        breaks_seen += breaks.clone().count();
        lunches += breaks.filter(|b| b.kind == BreakKind::Window).count();
        unassigned += solution.unassigned.len();
    }
    println!("{breaks_seen} breaks, {lunches} window breaks, {unassigned} towns unassigned, {missed} missed");
    assert!(
        breaks_seen > 50 && lunches > 10 && unassigned > 0,
        "{breaks_seen} {lunches} {unassigned}"
    );
}

#[test]
fn multi_day_plans_take_breaks_on_every_day() {
    // 5 hours each way: every day's route needs a break out and back.
    let text = r#"{"horizon_days": 2,
        "depots": [{"id": "D", "location": {"x": 0, "y": 0}}],
        "towns": [{"id": "T", "location": {"x": 300000, "y": 0}, "drops": 2},
                  {"id": "U", "location": {"x": 300000, "y": 5000}, "drops": 1}],
        "fleet": [{"id": "van", "depot": "D", "capacity": 5,
                   "breaks": [{"after_driving_s": 16200, "length_s": 2700}]}]}"#;
    let problem = backroads::io::read_problem_json(text, "week", None).unwrap();
    let config = SolverConfig {
        iterations: Some(200),
        ..SolverConfig::default()
    };
    let plan = backroads::horizon::plan_horizon(&problem, &config).unwrap();
    let oracle = backroads::distance::build_oracle(&problem).unwrap();
    let report = backroads::horizon::validate_horizon(&problem, oracle.as_ref(), &plan);
    assert!(report.is_feasible(), "{:?}", report.violations);
    assert!(plan.unassigned.is_empty());
    for day in &plan.days {
        for route in &day.routes {
            assert!(route.breaks.len() >= 2, "{route:?}");
        }
    }
}
