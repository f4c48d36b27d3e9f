//! The CVRPLIB X instances shipped in tests/data parse, and the best-known
//! solution of X-n101-k25 validates at its stated cost.

mod common;

use backroads::distance::build_oracle;
use backroads::io::{read_problem_file, read_solution_file, read_vrp_file};
use backroads::model::Travel;
use backroads::solution::validate;
use common::test_data;
use std::path::Path;

/// (instance, n customers, BKS) of the X rows of bks.csv (whole costs).
fn bks_rows() -> Vec<(String, usize, i64)> {
    let text = std::fs::read_to_string(test_data("cvrplib/bks.csv")).expect("bks.csv");
    text.lines()
        .skip(1)
        .filter(|l| l.split(',').nth(1) == Some("X"))
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_string(), f[2].parse().expect("n"), f[3].parse().expect("bks"))
        })
        .collect()
}

/// CAPACITY header of a .vrp, read independently of the library.
fn capacity_of(path: &Path) -> u32 {
    let text = std::fs::read_to_string(path).expect("vrp");
    text.lines()
        .find_map(|l| l.trim().strip_prefix("CAPACITY"))
        .and_then(|v| v.trim().trim_start_matches(':').trim().parse().ok())
        .expect("CAPACITY header")
}

#[test]
fn every_x_instance_parses() {
    let rows = bks_rows();
    assert_eq!(rows.len(), 12);
    let mut seen = 0;
    for entry in std::fs::read_dir(test_data("cvrplib/X")).expect("X dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "vrp") {
            continue;
        }
        seen += 1;
        let stem = path.file_stem().and_then(|s| s.to_str()).expect("name").to_string();
        let (_, n, _) = rows
            .iter()
            .find(|r| r.0 == stem)
            .unwrap_or_else(|| panic!("{stem} not in bks.csv"));
        let p = read_vrp_file(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.name, stem);
        assert_eq!(p.towns.len(), *n, "{stem}");
        assert_eq!(p.depots.len(), 1);
        assert_eq!(p.depots[0].id, "1");
        assert_eq!(p.towns[0].id, "2");
        assert_eq!(p.fleet.len(), 1);
        assert_eq!(p.fleet[0].capacity, capacity_of(&path), "{stem}");
        assert_eq!(p.fleet[0].count, None);
        assert!(matches!(p.travel, Travel::Euclidean));
        // The generic entry point agrees.
        assert_eq!(read_problem_file(&path).expect("dispatch").towns, p.towns);
    }
    assert_eq!(seen, 12);
}

#[test]
fn bks_of_x_n101_k25_validates_at_its_stated_cost() {
    let dir = test_data("cvrplib/X");
    let problem = read_vrp_file(&dir.join("X-n101-k25.vrp")).expect("problem");
    assert_eq!(problem.fleet[0].capacity, 206);
    let oracle = build_oracle(&problem).expect("oracle");
    let (solution, stated) =
        read_solution_file(&dir.join("X-n101-k25.sol"), &problem, oracle.as_ref()).expect("solution");
    assert_eq!(stated.map(|c| c.value), Some(27591.0));
    let report = validate(&problem, oracle.as_ref(), &solution);
    assert!(report.is_feasible(), "{:?}", report.violations);
    assert_eq!(report.cost, 27591);
    assert_eq!(report.routes, 26);
    assert_eq!(solution.totals.distance, 27591);
    assert_eq!(solution.totals.towns_served, 100);
    let bks = bks_rows().into_iter().find(|r| r.0 == "X-n101-k25").expect("row").2;
    assert_eq!(report.cost, bks);
}
