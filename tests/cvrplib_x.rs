//! Solve every bundled CVRPLIB X instance and validate the result.

mod common;

use backroads::distance::build_oracle;
use backroads::io::read_problem_file;
use backroads::quality::read_bks;
use backroads::solution::validate;
use backroads::solver::{SolverConfig, solve_with_oracle};
use common::test_data;

#[test]
fn every_x_instance_feasible_and_close_to_bks() {
    let root = test_data("cvrplib");
    let bks = read_bks(&root.join("bks.csv")).expect("bks.csv");
    let mut files: Vec<_> = std::fs::read_dir(root.join("X"))
        .expect("X folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "vrp"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 12);
    // A short, reproducible search: 3,000 steps per instance.
    let config = SolverConfig {
        iterations: Some(3000),
        seed: 1,
        threads: Some(2),
        ..SolverConfig::default()
    };
    let mut gaps = Vec::new();
    for f in files {
        let name = f.file_stem().unwrap().to_string_lossy().to_string();
        let problem = read_problem_file(&f).expect("parse");
        let oracle = build_oracle(&problem).expect("oracle");
        let solved = solve_with_oracle(&problem, oracle.as_ref(), &config).expect("solve");
        let report = validate(&problem, oracle.as_ref(), &solved.solution);
        assert!(report.is_feasible(), "{name}: {:?}", report.violations);
        assert!(solved.solution.unassigned.is_empty(), "{name}");
        assert_eq!(report.cost, solved.solution.totals.distance, "{name}");
        let best = bks[&name];
        assert!(
            report.cost as f64 >= best,
            "{name}: cost {} below BKS {best}",
            report.cost
        );
        let gap = 100.0 * (report.cost as f64 - best) / best;
        assert!(gap < 6.0, "{name}: gap {gap:.2}%");
        gaps.push(gap);
    }
    let mean = gaps.iter().sum::<f64>() / gaps.len() as f64;
    // Savings + 2-opt alone gives ≈3.9%; the search must clearly improve on it.
    assert!(mean <= 3.0, "mean gap {mean:.2}% above 3%");
}

/// Sparse mode (distances on demand, no matrix) gives the same routes as the
/// dense cache for the same seed, threads and iterations.
#[test]
fn sparse_mode_gives_the_same_routes_as_dense_matrices() {
    let path = test_data("cvrplib/X/X-n143-k7.vrp");
    let problem = read_problem_file(&path).expect("parse");
    let oracle = build_oracle(&problem).expect("oracle");
    let run = |dense_matrix_limit| {
        let config = SolverConfig {
            iterations: Some(1000),
            seed: 3,
            threads: Some(2),
            dense_matrix_limit,
            ..SolverConfig::default()
        };
        solve_with_oracle(&problem, oracle.as_ref(), &config)
            .expect("solve")
            .plan
    };
    assert_eq!(run(0), run(usize::MAX));
}
