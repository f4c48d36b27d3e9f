//! The end of the per-depot path: every depot's routes handed to its
//! vehicles, and the towns left over planned with other vehicle types or
//! at other depots.

use super::cluster::Cluster;
use super::finish::finish;
use super::savings_grid::solve_cluster;
use super::search::{self, Budget, Flow};
use super::{SolveStats, Solved, SolverConfig, assign, fleet};
use crate::distance::TravelOracle;
use crate::error::Result;
use crate::model::Problem;
use crate::solution::Plan;
use std::time::Instant;

/// Vehicles for every depot's routes, then the towns left over planned
/// where a vehicle can still take them, then [`finish`].
#[allow(clippy::too_many_arguments)]
pub(super) fn finish_per_depot(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    config: &SolverConfig,
    deadline: Option<Instant>,
    reach: &assign::Reach,
    assignment: &assign::Assignment,
    per_depot: Vec<Vec<Vec<usize>>>,
    mut stats: SolveStats,
    start: Instant,
) -> Result<Solved> {
    let mut plan = Plan {
        routes: Vec::new(),
        unassigned: assignment.unassigned.clone(),
    };
    let mut leftovers = Leftovers {
        problem,
        oracle,
        config,
        deadline,
        stats: &mut stats,
    };
    let mut left = assignment.leftover.clone();
    for (d, routes) in per_depot.into_iter().enumerate() {
        let orphans: Vec<usize> = fleet::assign_vehicles(problem, oracle, d, routes, &mut plan.routes)
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        left.extend(leftovers.plan_at(d, orphans, &mut plan));
    }
    // Towns the fleets of their depots could not take: planned at the
    // nearest other depot that has a vehicle left able to serve them alone,
    // until no depot takes more.
    for _ in 0..problem.depots.len() {
        let mut at_depot = vec![Vec::new(); problem.depots.len()];
        let mut unplaced = Vec::new();
        for t in left {
            let loc = problem.town_location(t);
            let nearest = assign::alone_types(problem, oracle, reach, t)
                .into_iter()
                .filter(|&v| fleet::has_spare(problem, &plan.routes, v))
                .map(|v| problem.fleet[v].depot)
                .min_by_key(|&d| (oracle.distance(d, loc).saturating_add(oracle.distance(loc, d)), d));
            match nearest {
                Some(d) => at_depot[d].push(t),
                None => unplaced.push(t),
            }
        }
        let tried = at_depot.iter().map(Vec::len).sum::<usize>();
        if tried == 0 {
            left = unplaced;
            break;
        }
        let mut still = Vec::new();
        for (d, towns) in at_depot.into_iter().enumerate().filter(|(_, t)| !t.is_empty()) {
            still.extend(leftovers.plan_at(d, towns, &mut plan));
        }
        let progress = still.len() < tried;
        unplaced.extend(still);
        left = unplaced;
        if !progress {
            break;
        }
    }
    Ok(finish(problem, oracle, reach, assignment, plan, left, stats, start))
}

/// Plans towns whose route found no vehicle with the other vehicle types
/// of a depot.
struct Leftovers<'a, 's> {
    problem: &'a Problem,
    oracle: &'a dyn TravelOracle,
    config: &'a SolverConfig,
    deadline: Option<Instant>,
    stats: &'s mut SolveStats,
}

impl Leftovers<'_, '_> {
    /// Plans `towns` at depot `d` for the largest vehicle type that still
    /// has vehicles, then the next, until every type was tried; returns the
    /// towns still without a vehicle. Mixed fleets: a depot is planned for
    /// its largest vehicle first.
    fn plan_at(&mut self, d: usize, mut left: Vec<usize>, plan: &mut Plan) -> Vec<usize> {
        let (problem, oracle, config) = (self.problem, self.oracle, self.config);
        let mut tried = Vec::new();
        while !left.is_empty() {
            let Some(v) = fleet::next_profile(problem, d, &plan.routes, &tried) else {
                break;
            };
            tried.push(v);
            let cluster = Cluster::with_dense_limit(problem, oracle, d, &left, v, config.dense_matrix_limit);
            let (routes, _) = solve_cluster(&cluster, config, self.deadline);
            let budget = Budget {
                deadline: self.deadline,
                iterations: Some(FLEET_ROUND_STEPS),
            };
            let outcome = search::improve(&cluster, &routes, &config.search, budget, config.seed, &|_| {
                Flow::Continue
            });
            self.stats.iterations += outcome.iterations;
            let routes = outcome.routes.into_iter().map(|r| cluster.town_indices(&r)).collect();
            left = fleet::assign_vehicles(problem, oracle, d, routes, &mut plan.routes)
                .into_iter()
                .map(|(t, _)| t)
                .collect();
        }
        left
    }
}

/// Search steps spent planning the towns left over for a smaller vehicle
/// type of a mixed fleet (per round).
const FLEET_ROUND_STEPS: u64 = 2_000;
