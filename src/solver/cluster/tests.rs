//! Unit tests of the cluster, and the scrambled test problem other
//! solver tests build on.

use super::*;
use crate::distance::build_oracle;
use crate::model::{Location, ProblemBuilder, VehicleTypeSpec};

/// `n` towns at scrambled but deterministic planar points, capacity 10.
pub(crate) fn scrambled_problem(n: usize) -> crate::model::Problem {
    let mut b = ProblemBuilder::new("scrambled").depot("D", Location::Planar { x: 0.5, y: 0.0 });
    for i in 0..n {
        let (x, y) = ((i * 7919 % 10007) as f64 * 0.37, (i * 104_729 % 9973) as f64 * 1.13);
        b = b.town(format!("T{i}"), Location::Planar { x, y }, 1.0, 0.0);
    }
    b.vehicle_type(VehicleTypeSpec::new("v", "D", 10.0)).build().unwrap()
}

/// A change penalty chooses among plans that serve as many towns:
/// leaving out any town costs more than moving every town of the
/// previous plan, and the penalties keep their order.
#[test]
fn a_change_penalty_never_outweighs_serving_a_town() {
    let problem = scrambled_problem(30);
    let oracle = build_oracle(&problem).unwrap();
    let towns: Vec<usize> = (0..30).collect();
    let mut c = Cluster::fleet(&problem, oracle.as_ref(), &towns, DENSE_LIMIT).unwrap();
    let before = c.penalty.clone();
    let penalty = before[1..].iter().copied().max().unwrap();
    // Twenty towns had a home (route 0); ten were new.
    let home: Vec<u32> = (0..c.num_nodes()).map(|v| if (1..=20).contains(&v) { 0 } else { NO_HOME }).collect();
    c.keep_homes(home, 1, penalty);
    for v in 1..=30 {
        assert!(c.penalty[v] > 20 * penalty, "town {v}: {} against {}", c.penalty[v], 20 * penalty);
        // A town that had a home costs the change penalty on top.
        let extra = if v <= 20 { penalty } else { 0 };
        assert_eq!(c.penalty[v] - extra, before[v] * (1 + 20 * penalty / before[1..].iter().min().unwrap()));
    }
}

#[test]
fn inline_euclidean_distances_match_the_oracle() {
    let n = DENSE_LIMIT + 10;
    let problem = scrambled_problem(n);
    let oracle = build_oracle(&problem).unwrap();
    // Towns in reverse order, so node and location indices differ.
    let towns: Vec<usize> = (0..n).rev().collect();
    let c = Cluster::new(&problem, oracle.as_ref(), 0, &towns, 0);
    assert!(c.dense_dist.is_none() && c.euclidean.is_some());
    for (i, j) in (0..c.num_nodes()).step_by(37).zip((0..c.num_nodes()).rev().step_by(41)) {
        assert_eq!(c.dist(i, j), oracle.distance(c.locations[i], c.locations[j]), "{i} {j}");
    }
}
