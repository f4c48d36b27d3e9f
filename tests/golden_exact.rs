//! Real-valued distances (Golden_1, `DISTANCE 650`): routes the solver and
//! `check` call feasible are feasible in exact arithmetic, recomputed here
//! from the file's own coordinates, independently of the library.

use backroads::distance::build_oracle;
use backroads::io::{instance_cost, read_problem_file, read_solution_file};
use backroads::model::Rounding;
use backroads::solution::{Solution, validate};
use backroads::solver::{SolverConfig, solve_with_oracle};
use std::collections::HashMap;
use std::path::Path;
mod common;

use common::{backroads, scratch, test_data};

/// Node id -> (x, y) and demand, parsed from the `.vrp` text by hand.
fn nodes(path: &Path) -> (HashMap<String, (f64, f64)>, HashMap<String, u32>) {
    let text = std::fs::read_to_string(path).expect("vrp");
    let (mut xy, mut demand, mut section) = (HashMap::new(), HashMap::new(), "");
    for line in text.lines().map(str::trim) {
        let f: Vec<&str> = line.split_whitespace().collect();
        match f.as_slice() {
            [s] if s.ends_with("_SECTION") => section = s,
            [id, x, y] if section == "NODE_COORD_SECTION" => {
                xy.insert(id.to_string(), (x.parse().unwrap(), y.parse().unwrap()));
            }
            [id, q] if section == "DEMAND_SECTION" => {
                demand.insert(id.to_string(), q.parse().unwrap());
            }
            _ if !line.starts_with(|c: char| c.is_ascii_digit()) => section = "",
            _ => {}
        }
    }
    (xy, demand)
}

/// Every route's exact (f64) length and load, depot "1" at both ends.
fn exact_routes(path: &Path, s: &Solution) -> Vec<(f64, u32)> {
    let (xy, demand) = nodes(path);
    s.routes
        .iter()
        .filter(|r| !r.stops.is_empty())
        .map(|r| {
            let ids: Vec<&str> = std::iter::once("1")
                .chain(r.stops.iter().map(|s| s.town.as_str()))
                .chain(std::iter::once("1"))
                .collect();
            let length = ids
                .windows(2)
                .map(|w| {
                    let (a, b) = (xy[w[0]], xy[w[1]]);
                    (a.0 - b.0).hypot(a.1 - b.1)
                })
                .sum();
            (length, r.stops.iter().map(|s| demand[&s.town]).sum())
        })
        .collect()
}

#[test]
fn best_known_routes_validate_at_the_literature_cost() {
    let vrp = test_data("cvrplib/Golden/Golden_1.vrp");
    let p = read_problem_file(&vrp).expect("problem");
    assert_eq!(p.rounding, Rounding::Exact);
    let oracle = build_oracle(&p).expect("oracle");
    let (s, stated) = read_solution_file(&test_data("cvrplib/Golden/Golden_1.sol"), &p, oracle.as_ref()).expect("sol");
    let report = validate(&p, oracle.as_ref(), &s);
    assert!(report.is_feasible(), "{:?}", report.violations);
    let cost = instance_cost(&p, &s).unwrap();
    assert!(stated.expect("Cost line").matches(cost), "{cost}");
    let routes = exact_routes(&vrp, &s);
    assert_eq!(routes.len(), 9);
    assert!((routes.iter().map(|r| r.0).sum::<f64>() - cost).abs() < 1e-9);
}

#[test]
fn solved_routes_are_within_the_limit_in_exact_arithmetic() {
    let vrp = test_data("cvrplib/Golden/Golden_1.vrp");
    let p = read_problem_file(&vrp).expect("problem");
    let oracle = build_oracle(&p).expect("oracle");
    let config = SolverConfig {
        iterations: Some(2000),
        seed: 1,
        threads: Some(2),
        ..SolverConfig::default()
    };
    let solved = solve_with_oracle(&p, oracle.as_ref(), &config).expect("solve");
    let s = &solved.solution;
    assert!(s.unassigned.is_empty());
    assert!(validate(&p, oracle.as_ref(), s).is_feasible());
    let routes = exact_routes(&vrp, s);
    for (length, load) in &routes {
        assert!(*length <= 650.0, "route of {length} > DISTANCE 650");
        assert!(*load <= 550, "load {load}");
    }
    // The reported cost is the real-valued one, in instance units.
    let cost = instance_cost(&p, s).unwrap();
    assert!((routes.iter().map(|r| r.0).sum::<f64>() - cost).abs() < 1e-9);
    assert!((5623.0..5623.47 * 1.05).contains(&cost), "{cost}");
}

#[test]
fn check_refuses_a_route_over_the_limit_in_exact_arithmetic() {
    let dir = scratch("golden_exact", "check");
    // Depot -> 2 -> depot is 2 x 10.4 = 20.8 > 20.5, yet nint gives 20 <= 21.
    let vrp = dir.join("g.vrp");
    std::fs::write(
        &vrp,
        "NAME : g\nDIMENSION : 2\nCAPACITY : 10\nDISTANCE : 20.5\nEDGE_WEIGHT_TYPE : EUC_2D\n\
         NODE_COORD_SECTION\n1 0 0\n2 10.4 0\nDEMAND_SECTION\n1 0\n2 1\nEOF\n",
    )
    .unwrap();
    let sol = dir.join("g.sol");
    std::fs::write(&sol, "Route #1: 1\nCost 20.80\n").unwrap();
    let (v, s) = (vrp.to_str().unwrap(), sol.to_str().unwrap());
    let o = backroads(&["check", v, s]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(3), "{out}");
    assert!(out.contains("cost 20.80") && out.contains("exceeds limit"), "{out}");
    // The nint convention, asked for, still lets it through (as before).
    let o = backroads(&["check", v, s, "--rounding", "nearest"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("stated cost 20.8 differs"), "{out}");
    assert!(!out.contains("exceeds limit"), "{out}");
    // solve never returns such a route: the town cannot be served at all.
    let o = backroads(&["solve", v, "--iterations", "50", "--quiet"]);
    assert_eq!(o.status.code(), Some(3), "{}", common::stderr(&o));
    // A bad value of the flag is a usage error.
    assert_eq!(backroads(&["check", v, s, "--rounding", "ceil"]).status.code(), Some(2));
    std::fs::remove_dir_all(&dir).ok();
}
