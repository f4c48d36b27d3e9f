//! A search that starts from a previous plan (re-planning): its routes are
//! repaired by the route rule where the problem changed (a town gone, an
//! order added, a van fewer, a window moved), handed to the fleet search
//! in place of a construction, and the towns no route keeps start in the
//! search's pool.

use super::cluster::{Cluster, MONEY_SCALE, NO_HOME};
use super::search::Budget;
use super::whole_fleet::{fleet_cluster, search_fleet};
use super::{Observer, SolveStats, SolverConfig, assign};
use crate::distance::TravelOracle;
use crate::model::Problem;
use crate::route;
use crate::solution::{Plan, PlannedRoute, Reload};
use std::time::Instant;

/// Plans from `initial` with the fleet search: the plan and the towns
/// still without a vehicle. `None` when the fleet search cannot take the
/// problem (no town the fleet can serve).
#[allow(clippy::too_many_arguments)]
pub(super) fn solve_from(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    config: &SolverConfig,
    assignment: &assign::Assignment,
    initial: &Plan,
    budget: Budget,
    start: Instant,
    observer: &dyn Observer,
    stats: &mut SolveStats,
) -> Option<(Plan, Vec<usize>)> {
    let (mut cluster, node_of) = fleet_cluster(problem, oracle, config, assignment)?;
    let repaired = repair(problem, oracle, initial, &node_of);
    let nodes: Vec<(usize, Vec<usize>)> = to_nodes(&cluster, &repaired, &node_of)
        .into_iter()
        .filter(|(_, r)| !r.is_empty())
        .collect();
    if config.change_penalty > 0.0 {
        // Each town's home: the search route (its index among `nodes`) of
        // the previous route it was on, repaired off it or not.
        let mut home = vec![NO_HOME; cluster.num_nodes()];
        let mut route_of_town = vec![None; problem.towns.len()];
        for (i, (_, r)) in nodes.iter().enumerate() {
            for &v in r.iter().filter(|&&v| !cluster.is_reload(v)) {
                route_of_town[cluster.towns[v]] = Some(i);
            }
        }
        for old in &initial.routes {
            // The search route that continues this previous route: where
            // most of its towns are.
            let mut votes: Vec<usize> = old
                .towns
                .iter()
                .filter_map(|&t| route_of_town.get(t).copied().flatten())
                .collect();
            votes.sort_unstable();
            let Some(slot) = votes
                .chunk_by(|a, b| a == b)
                .max_by_key(|run| (run.len(), std::cmp::Reverse(run[0])))
                .map(|run| run[0])
            else {
                continue;
            };
            for &t in &old.towns {
                if let Some(&v) = node_of.get(t).filter(|&&v| v != 0) {
                    home[v] = slot as u32;
                }
            }
        }
        let unit = if problem.has_running_costs() { MONEY_SCALE } else { 1.0 };
        let penalty = (config.change_penalty * unit).round().min((1u64 << 40) as f64) as i64;
        cluster.keep_homes(home, nodes.len(), penalty);
    }
    let (mut plan, left) = search_fleet(&cluster, &nodes, config, budget, start, observer, stats);
    in_previous_order(problem, initial, &mut plan);
    Some((plan, left))
}

/// Orders the routes so each comes where the previous route it continues
/// came (same vehicle type, most towns in common; each previous route
/// continued once): vehicles are numbered per type in route order, so a
/// re-plan keeps the vans' numbers. Routes that continue none come last.
fn in_previous_order(problem: &Problem, initial: &Plan, plan: &mut Plan) {
    // Each town's previous route, as (type, that route's rank in its type).
    let was = crate::solution::vehicle_of_each_town(problem, initial);
    // (towns in common, route, previous rank), most in common first.
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    for (i, r) in plan.routes.iter().enumerate() {
        let mut common: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
        for &t in &r.towns {
            if let Some(Some((k, j))) = was.get(t)
                && *k == r.vehicle_type
            {
                *common.entry(*j as usize).or_default() += 1;
            }
        }
        pairs.extend(common.into_iter().map(|(j, n)| (n, i, j)));
    }
    pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut continues: Vec<Option<usize>> = vec![None; plan.routes.len()];
    let mut taken = std::collections::HashSet::new();
    for (_, i, j) in pairs {
        let k = plan.routes[i].vehicle_type;
        if continues[i].is_none() && taken.insert((k, j)) {
            continues[i] = Some(j);
        }
    }
    let mut order: Vec<usize> = (0..plan.routes.len()).collect();
    order.sort_by_key(|&i| (continues[i].is_none(), continues[i].unwrap_or(usize::MAX), i));
    let mut routes: Vec<Option<PlannedRoute>> = std::mem::take(&mut plan.routes).into_iter().map(Some).collect();
    plan.routes = order.into_iter().filter_map(|i| routes[i].take()).collect();
}

/// The routes of `initial` that still hold: each route keeps, in its order,
/// every town and reload that leaves it feasible under the route rule
/// ([`route::evaluate_route`]); a town the search does not plan (one no
/// vehicle can serve), or met again, is left out, and so are the routes of
/// a type beyond its count.
fn repair(problem: &Problem, oracle: &dyn TravelOracle, initial: &Plan, node_of: &[usize]) -> Vec<PlannedRoute> {
    let mut seen = vec![false; problem.towns.len()];
    let mut used = vec![0u32; problem.fleet.len()];
    let mut out = Vec::with_capacity(initial.routes.len());
    for old in &initial.routes {
        let k = old.vehicle_type;
        let Some(v) = problem.fleet.get(k) else { continue };
        if v.count.is_some_and(|c| used[k] >= c) {
            continue;
        }
        let mut kept = PlannedRoute::new(k, Vec::with_capacity(old.towns.len()));
        let mut reloads = old.reloads.iter().peekable();
        for (i, &t) in old.towns.iter().enumerate() {
            // A reload waits for the town after it.
            let mut reload = None;
            while let Some(r) = reloads.next_if(|r| r.before <= i) {
                reload = Some(r.depot);
            }
            if t >= problem.towns.len() || node_of[t] == 0 || seen[t] {
                continue;
            }
            kept.towns.push(t);
            let mut fits = false;
            if let Some(depot) = reload.filter(|_| kept.towns.len() > 1) {
                kept.reloads.push(Reload {
                    before: kept.towns.len() - 1,
                    depot,
                });
                fits = route::evaluate_route(problem, oracle, &kept).is_feasible();
                if !fits {
                    kept.reloads.pop();
                }
            }
            if !fits {
                fits = route::evaluate_route(problem, oracle, &kept).is_feasible();
            }
            if fits {
                seen[t] = true;
            } else {
                kept.towns.pop();
            }
        }
        if !kept.towns.is_empty() {
            used[k] += 1;
            out.push(kept);
        }
    }
    out
}

/// Repaired routes as the fleet search's route types and nodes: each
/// reload becomes a free reload node of the route's type at its depot (with
/// none left, the route ends before the reload).
fn to_nodes(cluster: &Cluster<'_>, routes: &[PlannedRoute], node_of: &[usize]) -> Vec<(usize, Vec<usize>)> {
    let mut taken = vec![false; cluster.num_nodes()];
    routes
        .iter()
        .map(|r| {
            let mut nodes = Vec::with_capacity(r.towns.len() + r.reloads.len());
            'towns: for (i, &t) in r.towns.iter().enumerate() {
                for reload in r.reloads.iter().filter(|x| x.before == i) {
                    let free = (cluster.first_reload..cluster.num_nodes()).find(|&v| {
                        !taken[v]
                            && cluster.reload_type_of(v) == r.vehicle_type
                            && cluster.depot_location(v) == reload.depot
                    });
                    match free {
                        Some(v) => {
                            taken[v] = true;
                            nodes.push(v);
                        }
                        // No reload node left: the route ends before it
                        // (its towns start in the pool).
                        None => break 'towns,
                    }
                }
                nodes.push(node_of[t]);
            }
            (r.vehicle_type, nodes)
        })
        .collect()
}
