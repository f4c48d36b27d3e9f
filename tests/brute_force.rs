//! Differential test against exhaustive search on tiny problems.
//!
//! The exact optimum of a CVRP with ≤ 6 towns: every solution is some
//! ordering of the towns cut into consecutive routes, so the best split
//! (dynamic programming) of the best permutation is optimal.

mod common;

use backroads::distance::{TravelOracle, build_oracle};
use backroads::solution::validate;
use backroads::solver::{SolverConfig, solve};
use proptest::prelude::*;
use proptest::strategy::ValueTree;

fn permutations(items: &mut Vec<usize>, k: usize, out: &mut Vec<Vec<usize>>) {
    if k == items.len() {
        out.push(items.clone());
        return;
    }
    for i in k..items.len() {
        items.swap(k, i);
        permutations(items, k + 1, out);
        items.swap(k, i);
    }
}

/// Optimal cost by enumerating permutations and splitting each optimally.
fn brute_force(oracle: &dyn TravelOracle, demand: &[i64], capacity: i64, max_dist: i64) -> i64 {
    let n = demand.len();
    let mut perms = Vec::new();
    permutations(&mut (0..n).collect(), 0, &mut perms);
    let loc = |t: usize| t + 1; // depot is location 0
    let mut best = i64::MAX;
    for p in perms {
        // dp[i] = best cost of serving p[..i].
        let mut dp = vec![i64::MAX; n + 1];
        dp[0] = 0;
        for i in 0..n {
            if dp[i] == i64::MAX {
                continue;
            }
            let (mut load, mut dist) = (0, 0);
            for j in i..n {
                load += demand[p[j]];
                dist += if j == i {
                    oracle.distance(0, loc(p[j]))
                } else {
                    oracle.distance(loc(p[j - 1]), loc(p[j]))
                };
                let route = dist + oracle.distance(loc(p[j]), 0);
                if load > capacity || route > max_dist {
                    break;
                }
                dp[j + 1] = dp[j + 1].min(dp[i] + route);
            }
        }
        best = best.min(dp[n]);
    }
    best
}

#[test]
fn matches_or_stays_near_brute_force() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = (
        prop::collection::vec((0.0..100.0f64, 0.0..100.0f64, 1.0..10.0f64), 2..=6),
        10.0..30.0f64,
    );
    let (mut total_gap, mut optimal, mut cases) = (0.0, 0, 0);
    for _ in 0..150 {
        let (towns, cap) = strategy.new_tree(&mut runner).expect("strategy").current();
        let towns: Vec<(f64, f64, f64)> = towns
            .iter()
            .map(|&(x, y, q)| (x.round(), y.round(), q.round()))
            .collect();
        let problem = common::planar((50.0, 50.0), &towns, cap.round(), None);
        let oracle = build_oracle(&problem).expect("oracle");
        let solved = solve(&problem, &short_search()).expect("solve");
        let report = validate(&problem, oracle.as_ref(), &solved.solution);
        assert!(report.is_feasible(), "{:?}", report.violations);
        let demand: Vec<i64> = problem.towns.iter().map(|t| t.demand as i64).collect();
        let opt = brute_force(oracle.as_ref(), &demand, cap.round() as i64, i64::MAX);
        assert!(
            report.cost >= opt,
            "heuristic {} below the optimum {opt}: bookkeeping bug",
            report.cost
        );
        total_gap += 100.0 * (report.cost - opt) as f64 / opt.max(1) as f64;
        optimal += usize::from(report.cost == opt);
        cases += 1;
    }
    let mean_gap = total_gap / cases as f64;
    assert!(
        mean_gap < 3.0,
        "mean gap to the optimum on tiny instances {mean_gap:.2}%"
    );
    assert!(
        optimal * 2 > cases,
        "only {optimal}/{cases} tiny instances solved optimally"
    );
}

#[test]
fn distance_limit_respected_against_brute_force() {
    // Four towns on a line; the route limit forces a split the savings
    // merge must not ignore.
    let towns = [(10.0, 0.0, 1.0), (20.0, 0.0, 1.0), (-10.0, 0.0, 1.0), (-20.0, 0.0, 1.0)];
    let problem = common::planar((0.0, 0.0), &towns, 100.0, Some(45.0));
    let oracle = build_oracle(&problem).expect("oracle");
    let solved = solve(&problem, &short_search()).expect("solve");
    let report = validate(&problem, oracle.as_ref(), &solved.solution);
    assert!(report.is_feasible(), "{:?}", report.violations);
    let opt = brute_force(oracle.as_ref(), &[1, 1, 1, 1], 100, 45);
    assert_eq!(opt, 80);
    assert_eq!(report.cost, opt);
}

/// Construction plus a short, reproducible search.
fn short_search() -> SolverConfig {
    SolverConfig {
        iterations: Some(500),
        ..SolverConfig::default()
    }
}
