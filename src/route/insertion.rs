//! Cheapest insertion of one town into one route under every rule.

use super::{Evaluation, evaluate};
use crate::distance::TravelOracle;
use crate::model::Problem;

/// Where a town goes in a route and what it adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Insertion {
    /// Position in the route (`0..=len`): the town goes before the stop now there.
    pub position: usize,
    /// Distance added.
    pub added: i64,
    /// The route with the town inserted (feasible).
    pub evaluation: Evaluation,
}

/// The position where town `t` adds the least distance to `towns` driven by
/// vehicle type `v` while the route keeps every rule ([`evaluate`]); only
/// positions adding less than `below` are considered, when given (so a
/// caller can scan many routes against its best so far). Ties go to the
/// first position. A route without room for the demand is skipped outright;
/// otherwise only positions that would beat the best so far are evaluated
/// in full (O(route length) each).
pub fn cheapest_insertion(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    v: usize,
    towns: &[usize],
    t: usize,
    below: Option<i64>,
) -> Option<Insertion> {
    let vt = &problem.fleet[v];
    // Totals bound the load on board from below (the deliveries leave with
    // the van, the pickups come back with it).
    let sum = |f: fn(&crate::model::Town) -> u32| -> u64 {
        towns.iter().chain([&t]).map(|&x| u64::from(f(&problem.towns[x]))).sum()
    };
    if sum(|x| x.demand) > u64::from(vt.capacity) || sum(|x| x.pickup) > u64::from(vt.capacity) {
        return None;
    }
    let loc = problem.town_location(t);
    let stop = |i: usize| match i {
        0 => vt.depot,
        i if i > towns.len() => vt.depot,
        i => problem.town_location(towns[i - 1]),
    };
    let mut best: Option<Insertion> = None;
    let mut candidate = Vec::with_capacity(towns.len() + 1);
    for i in 0..=towns.len() {
        // Between stop(i) and stop(i + 1).
        let (a, b) = (stop(i), stop(i + 1));
        let added = oracle
            .distance(a, loc)
            .saturating_add(oracle.distance(loc, b))
            .saturating_sub(oracle.distance(a, b));
        let bound = best.map(|b| b.added).or(below);
        if bound.is_some_and(|b| added >= b) {
            continue;
        }
        candidate.clear();
        candidate.extend_from_slice(&towns[..i]);
        candidate.push(t);
        candidate.extend_from_slice(&towns[i..]);
        let evaluation = evaluate(problem, oracle, v, &candidate);
        if evaluation.is_feasible() {
            best = Some(Insertion {
                position: i,
                added,
                evaluation,
            });
        }
    }
    best
}
