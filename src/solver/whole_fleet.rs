//! One search over all depots and vehicle types: the per-depot
//! constructions handed to vehicles as its start, the counts kept by the
//! search.

use super::cluster::Cluster;
use super::savings_grid::solve_cluster;
use super::search::{self, Budget};
use super::{Observer, SolveProgress, SolveStats, SolverConfig, assign, fleet};
use crate::distance::TravelOracle;
use crate::model::Problem;
use crate::solution::Plan;
use std::time::Instant;

/// Plans every town the fleet can serve in one search over all depots and
/// vehicle types: the per-depot constructions are handed to vehicles
/// (cheapest type with a vehicle left that can drive the route), towns
/// without one start in the search's pool, and the search then moves
/// towns between depots and types under the counts; returns the plan and
/// the towns still without a vehicle. `None` when there is no town or no
/// vehicle type to plan (see [`fleet_cluster`]); types of different speeds
/// share the search, one time profile each.
#[allow(clippy::too_many_arguments)]
pub(super) fn solve_fleet(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    config: &SolverConfig,
    assignment: &assign::Assignment,
    constructed: Vec<Vec<Vec<usize>>>,
    budget: Budget,
    construction_deadline: Option<Instant>,
    start: Instant,
    observer: &dyn Observer,
    stats: &mut SolveStats,
) -> Option<(Plan, Vec<usize>)> {
    let (cluster, node_of) = fleet_cluster(problem, oracle, config, assignment)?;
    // Each depot's construction handed to its vehicles (cheapest type that
    // can drive a route); towns whose route found no vehicle start in the pool.
    let hand_out = |d: usize, routes: Vec<Vec<usize>>| -> Vec<(usize, Vec<usize>)> {
        let mut out = Vec::new();
        let _ = fleet::assign_vehicles(problem, oracle, d, routes, &mut out);
        out.into_iter()
            .map(|r| (r.vehicle_type, r.towns.iter().map(|&t| node_of[t]).collect()))
            .collect()
    };
    let mut per_depot: Vec<Vec<(usize, Vec<usize>)>> = constructed
        .into_iter()
        .enumerate()
        .map(|(d, r)| hand_out(d, r))
        .collect();
    let objective = |per_depot: &[Vec<(usize, Vec<usize>)>]| {
        let all: Vec<(usize, Vec<usize>)> = per_depot.iter().flatten().cloned().collect();
        search::Routes::typed(&cluster, &all, true).cost
    };
    // A mixed fleet: the construction for the largest type may not be the
    // cheapest start (small vehicles with low running costs); try each
    // other type's savings routes too and keep, depot by depot, the start
    // with the lowest objective (pool penalties included).
    let mut best = objective(&per_depot);
    for d in 0..problem.depots.len() {
        let types: Vec<usize> = (0..problem.fleet.len())
            .filter(|&v| problem.fleet[v].depot == d)
            .collect();
        let depot_towns = &assignment.towns_of_depot[d];
        if types.len() < 2 || types.len() > MAX_START_TYPES || depot_towns.is_empty() {
            continue;
        }
        for &v in &types {
            if construction_deadline.is_some_and(|dl| Instant::now() >= dl) {
                break;
            }
            let c = Cluster::with_dense_limit(problem, oracle, d, depot_towns, v, config.dense_matrix_limit);
            let (routes, ran) = solve_cluster(&c, config, construction_deadline);
            stats.variants_run += ran;
            let routes = routes.iter().map(|r| c.town_indices(r)).collect();
            let candidate = hand_out(d, routes);
            let kept = std::mem::replace(&mut per_depot[d], candidate);
            let cost = objective(&per_depot);
            if cost < best {
                best = cost;
            } else {
                per_depot[d] = kept;
            }
        }
    }
    let initial: Vec<(usize, Vec<usize>)> = per_depot.into_iter().flatten().collect();
    Some(search_fleet(&cluster, &initial, config, budget, start, observer, stats))
}

/// The fleet search's cluster over every town the fleet can serve, and each
/// town's node in it (0: not in it); `None` without such a town (or when
/// [`Cluster::fleet`] cannot take the fleet).
pub(super) fn fleet_cluster<'a>(
    problem: &'a Problem,
    oracle: &'a dyn TravelOracle,
    config: &SolverConfig,
    assignment: &assign::Assignment,
) -> Option<(Cluster<'a>, Vec<usize>)> {
    let mut towns: Vec<usize> = assignment.towns_of_depot.iter().flatten().copied().collect();
    towns.extend(assignment.leftover.iter().copied());
    if towns.is_empty() {
        return None;
    }
    let cluster = Cluster::fleet(problem, oracle, &towns, config.dense_matrix_limit)?;
    let mut node_of = vec![0usize; problem.towns.len()];
    for (i, &t) in towns.iter().enumerate() {
        node_of[t] = i + 1;
    }
    Some((cluster, node_of))
}

/// The fleet search over `cluster` from `initial` (route types and their
/// nodes): the plan, and the towns still without a vehicle.
pub(super) fn search_fleet(
    cluster: &Cluster<'_>,
    initial: &[(usize, Vec<usize>)],
    config: &SolverConfig,
    budget: Budget,
    start: Instant,
    observer: &dyn Observer,
    stats: &mut SolveStats,
) -> (Plan, Vec<usize>) {
    let outcome = search::improve_fleet(cluster, initial, &config.search, budget, config.seed, &|p| {
        observer.progress(&SolveProgress {
            best_cost: p.best_cost,
            iterations: p.iterations,
            elapsed: start.elapsed(),
        })
    });
    stats.iterations += outcome.iterations;
    stats.accepted += outcome.accepted;
    let plan = Plan {
        routes: outcome
            .routes
            .into_iter()
            .map(|(k, r)| planned_route(cluster, k, &r))
            .collect(),
        unassigned: Vec::new(),
    };
    // Optional towns the search left out stay out: their prize is cheaper.
    // (Spare reload nodes in the pool are no towns.)
    let (optional, left): (Vec<usize>, Vec<usize>) = outcome
        .pool
        .iter()
        .filter(|&&v| !cluster.is_reload(v))
        .partition(|&&v| cluster.is_optional(v));
    let mut plan = plan;
    plan.unassigned.extend(
        cluster
            .town_indices(&optional)
            .into_iter()
            .map(|t| (t, crate::solution::UnassignedReason::NotWorthItsPrize)),
    );
    (plan, cluster.town_indices(&left))
}

/// A route of cluster nodes (reload nodes included) of route type `k` as a
/// planned route of problem towns and reloads.
fn planned_route(cluster: &Cluster<'_>, k: usize, nodes: &[usize]) -> crate::solution::PlannedRoute {
    let mut route = crate::solution::PlannedRoute::new(cluster.types[k].vehicle_type, Vec::with_capacity(nodes.len()));
    for &v in nodes {
        if cluster.is_reload(v) {
            route.reloads.push(crate::solution::Reload {
                before: route.towns.len(),
                depot: cluster.depot_location(v),
            });
        } else {
            route.towns.push(cluster.towns[v]);
        }
    }
    route
}

/// Most vehicle types at one depot whose own savings construction is tried
/// as the fleet search's start.
const MAX_START_TYPES: usize = 8;
