//! Opening hours, mixed fleets with costs, off-network towns and the
//! validator's time checks, end to end through the public API.

mod common;

use backroads::Error;
use backroads::distance::build_oracle;
use backroads::io::read_problem_json;
use backroads::model::Problem;
use backroads::solution::{Solution, UnassignedReason, Violation, validate};
use backroads::solver::{SolverConfig, solve};

fn config() -> SolverConfig {
    SolverConfig {
        iterations: Some(3_000),
        threads: Some(1),
        ..SolverConfig::default()
    }
}

fn parse(json: &str) -> Result<Problem, Error> {
    read_problem_json(json, "<test>", None)
}

/// Twelve shops on a line east of the depot, half open only in the
/// morning, half only in the afternoon (with a lunch break).
fn shops_with_hours() -> String {
    let mut towns = Vec::new();
    for i in 0..12 {
        let windows = if i % 2 == 0 {
            r#"[["08:00", "10:00"]]"#
        } else {
            r#"[["13:00", "14:00"], ["15:00", "16:00"]]"#
        };
        towns.push(format!(
            r#"{{"id": "s{i}", "location": {{"x": {}, "y": {}}}, "demand": 1, "service_time_s": 600, "windows": {windows}}}"#,
            (i as f64 + 1.0) * 2000.0,
            (i % 3) as f64 * 1500.0
        ));
    }
    format!(
        r#"{{"name": "hours", "depots": [{{"id": "D", "location": {{"x": 0, "y": 0}}, "hours": ["06:00", "20:00"]}}],
            "towns": [{}],
            "fleet": [{{"id": "van", "depot": "D", "capacity": 20, "max_duration_s": 36000, "speed_kmh": 36}}]}}"#,
        towns.join(",")
    )
}

#[test]
fn every_service_starts_inside_an_opening_interval() {
    let problem = parse(&shops_with_hours()).unwrap();
    let oracle = build_oracle(&problem).unwrap();
    let solved = solve(&problem, &config()).unwrap();
    let s = &solved.solution;
    assert!(s.unassigned.is_empty(), "{:?}", s.unassigned);
    let report = validate(&problem, oracle.as_ref(), s);
    assert!(report.is_feasible(), "{:?}", report.violations);
    for route in &s.routes {
        assert!(route.start_s >= 6 * 3600 && route.end_s <= 20 * 3600);
        assert!(route.duration_s <= 36_000);
        for stop in &route.stops {
            let t = problem.town_index(&stop.town).unwrap();
            let ok = problem.towns[t]
                .windows
                .iter()
                .any(|w| (w.open..=w.close).contains(&stop.start_s));
            assert!(ok, "{} starts at {}", stop.town, stop.start_s);
            assert!(stop.start_s >= stop.arrival_s && stop.departure_s == stop.start_s + 600);
        }
    }
}

#[test]
fn the_validator_catches_a_service_outside_the_opening_hours() {
    let problem = parse(&shops_with_hours()).unwrap();
    let oracle = build_oracle(&problem).unwrap();
    let mut s: Solution = solve(&problem, &config()).unwrap().solution;
    // Pretend the first stop was served an hour before it opens.
    let stop = &mut s.routes[0].stops[0];
    stop.start_s -= 3600;
    stop.arrival_s = stop.arrival_s.min(stop.start_s);
    let report = validate(&problem, oracle.as_ref(), &s);
    assert!(
        report
            .violations
            .iter()
            .any(|v| matches!(v, Violation::OutsideOpeningHours { .. })),
        "{:?}",
        report.violations
    );
}

#[test]
fn a_shop_nobody_can_reach_in_time_is_unassigned_with_its_hours() {
    let json = r#"{"depots": [{"id": "D", "location": {"x": 0, "y": 0}, "hours": ["08:00", "18:00"]}],
        "towns": [
          {"id": "near", "location": {"x": 1000, "y": 0}, "demand": 1},
          {"id": "early", "location": {"x": 100000, "y": 0}, "demand": 1, "windows": [["07:00", "08:30"]]}
        ],
        "fleet": [{"id": "van", "depot": "D", "capacity": 5, "speed_kmh": 36}]}"#;
    let problem = parse(json).unwrap();
    let s = solve(&problem, &config()).unwrap().solution;
    assert_eq!(s.unassigned.len(), 1);
    assert_eq!(s.unassigned[0].town, "early");
    assert!(matches!(s.unassigned[0].reason, UnassignedReason::OpeningHours { .. }));
}

#[test]
fn windows_that_close_before_they_open_or_are_no_times_are_refused() {
    for (windows, needle) in [
        (r#"[["10:00", "09:00"]]"#, "closes before it opens"),
        (r#"[["25:99", "26:00"]]"#, "not a clock time"),
        (r#"[[-5, 100]]"#, "not a time"),
    ] {
        let json = format!(
            r#"{{"depots": [{{"id": "D", "location": {{"x": 0, "y": 0}}}}],
                "towns": [{{"id": "t", "location": {{"x": 1, "y": 0}}, "windows": {windows}}}],
                "fleet": [{{"id": "v", "depot": "D", "capacity": 1}}]}}"#
        );
        let err = parse(&json).unwrap_err().to_string();
        assert!(err.contains(needle) && err.contains("town 't'"), "{err}");
    }
}

#[test]
fn a_mixed_fleet_uses_trucks_then_vans_and_reports_money_cost() {
    // 30 towns of demand 2 = 60 units; one truck carries 40, vans 12 each.
    let towns: Vec<String> = (0..30)
        .map(|i| {
            let a = i as f64 * 0.21;
            format!(
                r#"{{"id": "t{i}", "location": {{"x": {:.1}, "y": {:.1}}}, "demand": 2}}"#,
                5000.0 * a.cos(),
                5000.0 * a.sin()
            )
        })
        .collect();
    let json = format!(
        r#"{{"depots": [{{"id": "D", "location": {{"x": 0, "y": 0}}}}],
            "towns": [{}],
            "fleet": [
              {{"id": "truck", "depot": "D", "count": 1, "capacity": 40, "fixed_cost": 100, "cost_per_km": 2}},
              {{"id": "van", "depot": "D", "count": 3, "capacity": 12, "fixed_cost": 30, "cost_per_km": 1}}
            ]}}"#,
        towns.join(",")
    );
    let problem = parse(&json).unwrap();
    let oracle = build_oracle(&problem).unwrap();
    let s = solve(&problem, &config()).unwrap().solution;
    assert!(s.unassigned.is_empty(), "{:?}", s.unassigned);
    assert!(validate(&problem, oracle.as_ref(), &s).is_feasible());
    let trucks = s.routes.iter().filter(|r| r.vehicle_type == "truck").count();
    let vans = s.routes.iter().filter(|r| r.vehicle_type == "van").count();
    assert!(
        trucks <= 1 && vans <= 3 && trucks + vans >= 2,
        "{trucks} trucks, {vans} vans"
    );
    let expected: f64 = s
        .routes
        .iter()
        .map(|r| {
            let (fixed, per_km) = if r.vehicle_type == "truck" {
                (100.0, 2.0)
            } else {
                (30.0, 1.0)
            };
            fixed + per_km * r.distance as f64 / 1000.0
        })
        .sum();
    assert!(
        (s.totals.cost - expected).abs() < 1e-6,
        "{} vs {expected}",
        s.totals.cost
    );
}

#[test]
fn a_large_fixed_cost_uses_fewer_vehicles() {
    // Two villages either side of a lake, 10 km from the depot each but
    // 50 km from each other by road: distance alone wants one van per side,
    // a big fixed cost makes one van drive round the lake.
    let side = |v: usize| usize::from(v > 4); // 1..=4 west, 5..=8 east; 0 = depot
    let matrix: Vec<String> = (0..9)
        .map(|i| {
            let row: Vec<&str> = (0..9)
                .map(|j| match (i, j) {
                    _ if i == j => "0",
                    (0, _) | (_, 0) => "10000",
                    _ if side(i) == side(j) => "100",
                    _ => "50000",
                })
                .collect();
            format!("[{}]", row.join(","))
        })
        .collect();
    let towns: Vec<String> = (1..9)
        .map(|k| format!(r#"{{"id": "v{k}", "location": {{"x": {k}, "y": 0}}, "demand": 1}}"#))
        .collect();
    let json = |fixed: f64| {
        format!(
            r#"{{"travel": {{"kind": "matrix", "distances": [{}]}},
                "depots": [{{"id": "D", "location": {{"x": 0, "y": 0}}}}],
                "towns": [{}],
                "fleet": [{{"id": "van", "depot": "D", "capacity": 8, "fixed_cost": {fixed}}}]}}"#,
            matrix.join(","),
            towns.join(",")
        )
    };
    let cheap = solve(&parse(&json(0.0)).unwrap(), &config()).unwrap().solution;
    let dear = solve(&parse(&json(1_000_000.0)).unwrap(), &config()).unwrap().solution;
    assert_eq!(cheap.totals.vehicles_used, 2);
    assert_eq!(dear.totals.vehicles_used, 1);
    assert!(dear.totals.distance > cheap.totals.distance);
}

#[test]
fn a_town_in_the_sea_is_off_network() {
    // The North-Bayreuth road graph, and one town 40 km north-west of it.
    let json = r#"{"travel": {"kind": "road_network",
            "nodes_csv": "tests/data/osm/north_bayreuth/nodes.csv",
            "edges_csv": "tests/data/osm/north_bayreuth/edges.csv"},
        "max_snap_m": 2000,
        "depots": [{"id": "D", "location": {"lon": 11.501148, "lat": 50.018342}}],
        "towns": [
          {"id": "theta", "location": {"lon": 11.548107, "lat": 49.991696}, "demand": 1},
          {"id": "lost", "location": {"lon": 11.0, "lat": 50.3}, "demand": 1}
        ],
        "fleet": [{"id": "van", "depot": "D", "capacity": 5}]}"#;
    // Paths relative to the crate: read from the test's own folder.
    let base = common::repo_file("");
    let problem = backroads::io::read_problem_json(json, "<test>", Some(&base)).unwrap();
    let s = solve(&problem, &config()).unwrap().solution;
    assert_eq!(s.totals.towns_served, 1);
    match &s.unassigned[..] {
        [u] => {
            assert_eq!(u.town, "lost");
            match u.reason {
                UnassignedReason::OffNetwork { snap_m, max_snap_m } => {
                    assert!(snap_m > 20_000 && max_snap_m == 2000, "{snap_m}")
                }
                ref other => panic!("{other:?}"),
            }
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_settlement_of_the_osm_example_is_routed() {
    let problem = backroads::io::read_problem_json_file(&common::example_path("north_bayreuth_osm.json")).unwrap();
    // The towns are the extract's settlements, imported with the roads.
    assert_eq!(problem.towns.len(), 71);
    assert!(
        problem
            .towns
            .iter()
            .all(|t| t.id.starts_with("osm-") && t.windows.len() == 2)
    );
    let oracle = build_oracle(&problem).unwrap();
    let s = solve(&problem, &config()).unwrap().solution;
    assert_eq!(s.totals.towns_served, 71, "{:?}", s.unassigned);
    let report = validate(&problem, oracle.as_ref(), &s);
    assert!(report.is_feasible(), "{:?}", report.violations);
    // Both vehicle types exist; the money cost is the sum of the routes'.
    let sum: f64 = s.routes.iter().map(|r| r.cost).sum();
    assert!((s.totals.cost - sum).abs() < 1e-6 && sum > 0.0);
}
