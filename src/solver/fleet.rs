//! Handing planned routes to real vehicles of the depot's fleet.

use crate::distance::TravelOracle;
use crate::model::Problem;
use crate::route;
use crate::solution::{Plan, PlannedRoute, UnassignedReason};
use crate::solver::assign::{Reach, alone, alone_types, town_reason};

/// Distance and duration (service and waiting included) of `towns` driven
/// from its depot by a vehicle of type `v`, if that vehicle can drive it
/// (every rule of [`route::evaluate`]).
fn drive(problem: &Problem, oracle: &dyn TravelOracle, v: usize, towns: &[usize]) -> Option<(i64, i64)> {
    let e = route::evaluate(problem, oracle, v, towns);
    e.is_feasible().then(|| (e.distance, e.duration()))
}

/// Routes in `routes` driven by vehicle type `v`.
fn used(routes: &[PlannedRoute], v: usize) -> u32 {
    routes.iter().filter(|r| r.vehicle_type == v).count() as u32
}

/// The vehicle type of depot `d` to plan left-over towns for: the largest
/// capacity (then longest limits, then input order) among the types not in
/// `tried` that still have a vehicle not given to a route in `planned`.
pub fn next_profile(problem: &Problem, d: usize, planned: &[PlannedRoute], tried: &[usize]) -> Option<usize> {
    (0..problem.fleet.len())
        .filter(|&v| problem.fleet[v].depot == d && !tried.contains(&v))
        .filter(|&v| problem.fleet[v].count.is_none_or(|c| used(planned, v) < c))
        .max_by_key(|&v| {
            let vt = &problem.fleet[v];
            (
                vt.capacity,
                vt.max_distance.unwrap_or(i64::MAX),
                vt.duration_limit().unwrap_or(i64::MAX),
                std::cmp::Reverse(v),
            )
        })
}

/// Gives each route of depot `d` the vehicle type that still has a vehicle,
/// can drive the route (load, distance, shift, opening hours) and costs
/// least by [`crate::model::VehicleType::route_cost`] (smallest capacity, then index, on
/// equal cost); routes are served heaviest first. Routes that got a vehicle
/// are appended to `out`; the towns of the others are returned with `d`.
pub fn assign_vehicles(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    d: usize,
    routes: Vec<Vec<usize>>,
    out: &mut Vec<PlannedRoute>,
) -> Vec<(usize, usize)> {
    let mut types: Vec<usize> = (0..problem.fleet.len())
        .filter(|&v| problem.fleet[v].depot == d)
        .collect();
    types.sort_by_key(|&v| (problem.fleet[v].capacity, v));
    // Vehicles already given to routes (earlier rounds) are not available.
    let mut left: Vec<Option<u32>> = types
        .iter()
        .map(|&v| problem.fleet[v].count.map(|c| c.saturating_sub(used(out, v))))
        .collect();
    let load = |r: &[usize]| r.iter().map(|&t| u64::from(problem.towns[t].demand)).sum::<u64>();
    let mut order: Vec<usize> = (0..routes.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(load(&routes[i])), i));
    let mut assigned: Vec<Option<usize>> = vec![None; routes.len()];
    for i in order {
        // The cheapest type that still has a vehicle and can drive the route
        // (smallest capacity, then input order, on equal cost).
        let mut fitting: Option<(f64, usize)> = None;
        for k in (0..types.len()).filter(|&k| left[k] != Some(0)) {
            let vt = &problem.fleet[types[k]];
            if let Some((dist, time)) = drive(problem, oracle, types[k], &routes[i]) {
                let cost = vt.route_cost(dist, time);
                if fitting.is_none_or(|(c, _)| cost < c) {
                    fitting = Some((cost, k));
                }
            }
        }
        let fitting = fitting.map(|(_, k)| k);
        if let Some(k) = fitting {
            if let Some(c) = left[k].as_mut() {
                *c -= 1;
            }
            assigned[i] = Some(types[k]);
        }
    }
    let mut orphans = Vec::new();
    for (r, v) in routes.into_iter().zip(assigned) {
        match v {
            Some(vehicle_type) => out.push(PlannedRoute::new(vehicle_type, r)),
            None => orphans.extend(r.into_iter().map(|t| (t, d))),
        }
    }
    orphans
}

/// Takes towns off the end of every route that no longer fits its vehicle
/// (after legs were made exact) until it fits; returns them.
pub fn trim_to_fit(problem: &Problem, oracle: &dyn TravelOracle, plan: &mut Plan) -> Vec<usize> {
    let mut orphans = Vec::new();
    for r in &mut plan.routes {
        while !r.towns.is_empty() && !route::evaluate_route(problem, oracle, r).is_feasible() {
            if let Some(t) = r.towns.pop() {
                orphans.push(t);
            }
            // A reload with no town after it is dropped with the last trip.
            let len = r.towns.len();
            r.reloads.retain(|x| x.before < len);
        }
    }
    orphans
}

/// True if vehicle type `v` has a vehicle no route of `routes` uses.
pub fn has_spare(problem: &Problem, routes: &[PlannedRoute], v: usize) -> bool {
    problem.fleet[v].count.is_none_or(|c| used(routes, v) < c)
}

/// Inserts towns whose route found no vehicle one by one (largest demand
/// first) at their cheapest feasible position in any planned route, whatever
/// its depot; a town that fits nowhere gets a vehicle of its own if a type
/// that can serve it alone has one left, else it is unassigned with
/// [`UnassignedReason::NoVehicleLeft`] naming the nearest depot that could
/// serve it.
pub fn place_orphans(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    reach: &Reach,
    mut orphans: Vec<usize>,
    plan: &mut Plan,
) {
    orphans.sort_by_key(|&t| (std::cmp::Reverse(problem.towns[t].demand), t));
    for t in orphans {
        if let Some((r, i)) = cheapest_insertion(problem, oracle, &plan.routes, t) {
            plan.routes[r].towns.insert(i, t);
            continue;
        }
        let types = alone_types(problem, oracle, reach, t);
        if let Some(&v) = types.iter().find(|&&v| has_spare(problem, &plan.routes, v)) {
            plan.routes.push(PlannedRoute {
                vehicle_type: v,
                towns: vec![t],
                reloads: Vec::new(),
            });
            continue;
        }
        let loc = problem.town_location(t);
        let reason = match types
            .iter()
            .map(|&v| problem.fleet[v].depot)
            .min_by_key(|&d| (oracle.distance(d, loc).saturating_add(oracle.distance(loc, d)), d))
        {
            Some(d) => UnassignedReason::NoVehicleLeft {
                depot: problem.depots[d].id.clone(),
            },
            // Legs made exact may have broken the town's round trip.
            None => {
                let alones: Vec<_> = (0..problem.fleet.len())
                    .map(|v| alone(problem, oracle, reach, v, t))
                    .collect();
                town_reason(&alones).unwrap_or(UnassignedReason::Unreachable)
            }
        };
        plan.unassigned.push((t, reason));
    }
}

/// Towns that depots reach only through other towns: each is inserted into
/// a planned route if one has room, else given a route of its own through
/// other such towns (the shortest way out, then the shortest way back that
/// avoids the towns on the way out) on a vehicle type with a vehicle left
/// that can drive it; the rest are unassigned as
/// [`UnassignedReason::NoDirectRoundTrip`].
pub fn route_indirect(problem: &Problem, oracle: &dyn TravelOracle, towns: &[usize], plan: &mut Plan) {
    let mut pending: Vec<usize> = towns.to_vec();
    let mut served = vec![false; problem.towns.len()];
    for &t in towns {
        if served[t] {
            continue;
        }
        if let Some((r, i)) = cheapest_insertion(problem, oracle, &plan.routes, t) {
            plan.routes[r].towns.insert(i, t);
            served[t] = true;
            continue;
        }
        let pool: Vec<usize> = pending.iter().copied().filter(|&x| !served[x]).collect();
        for v in 0..problem.fleet.len() {
            if !has_spare(problem, &plan.routes, v) {
                continue;
            }
            let Some(route) = route_through(problem, oracle, problem.fleet[v].depot, t, &pool) else {
                continue;
            };
            if drive(problem, oracle, v, &route).is_some() {
                for &x in &route {
                    served[x] = true;
                }
                plan.routes.push(PlannedRoute {
                    vehicle_type: v,
                    towns: route,
                    reloads: Vec::new(),
                });
                break;
            }
        }
        pending.retain(|&x| !served[x]);
    }
    plan.unassigned.extend(
        towns
            .iter()
            .filter(|&&t| !served[t])
            .map(|&t| (t, UnassignedReason::NoDirectRoundTrip)),
    );
}

/// Most towns [`route_through`] searches paths among.
const MAX_INDIRECT_POOL: usize = 2_000;

/// Towns of a route `depot → … → t → … → depot` whose other stops come
/// from `pool` (each at most once), by shortest distances; `None` if there
/// is none.
fn route_through(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    depot: usize,
    t: usize,
    pool: &[usize],
) -> Option<Vec<usize>> {
    let pool = &pool[..pool.len().min(MAX_INDIRECT_POOL)];
    // Nodes: 0 = depot, 1.. = pool towns (t among them).
    let mut nodes: Vec<usize> = vec![depot];
    nodes.extend(pool.iter().map(|&x| problem.town_location(x)));
    let target = 1 + pool.iter().position(|&x| x == t)?;
    let path = |from: usize, to: usize, banned: &[bool]| -> Option<Vec<usize>> {
        let n = nodes.len();
        let mut dist = vec![i64::MAX; n];
        let mut prev = vec![usize::MAX; n];
        let mut done = vec![false; n];
        dist[from] = 0;
        loop {
            let u = (0..n)
                .filter(|&i| !done[i] && dist[i] < i64::MAX)
                .min_by_key(|&i| dist[i])?;
            if u == to {
                break;
            }
            done[u] = true;
            for w in (0..n).filter(|&w| !done[w] && !banned[w]) {
                if !crate::solver::assign::arc_exists(oracle, nodes[u], nodes[w]) {
                    continue;
                }
                let d = dist[u].saturating_add(oracle.distance(nodes[u], nodes[w]));
                if d < dist[w] {
                    dist[w] = d;
                    prev[w] = u;
                }
            }
        }
        let mut p = vec![to];
        while *p.last()? != from {
            p.push(prev[*p.last()?]);
        }
        p.reverse();
        Some(p)
    };
    let out = path(0, target, &vec![false; nodes.len()])?;
    let mut banned = vec![false; nodes.len()];
    for &u in &out[1..out.len() - 1] {
        banned[u] = true;
    }
    let back = path(target, 0, &banned)?;
    let stops = out[1..].iter().chain(&back[1..back.len() - 1]);
    Some(stops.map(|&u| pool[u - 1]).collect())
}

/// The (route, position) where town `t` adds the least distance while
/// keeping the route feasible for its vehicle (ties: first route, first
/// position), by [`route::cheapest_insertion`] against the best so far.
fn cheapest_insertion(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    routes: &[PlannedRoute],
    t: usize,
) -> Option<(usize, usize)> {
    let mut best: Option<(i64, usize, usize)> = None;
    // (Routes with reloads are left alone: positions would shift the trips.)
    for (r, planned) in routes.iter().enumerate().filter(|(_, p)| p.reloads.is_empty()) {
        let below = best.map(|(added, ..)| added);
        if let Some(ins) = route::cheapest_insertion(problem, oracle, planned.vehicle_type, &planned.towns, t, below) {
            best = Some((ins.added, r, ins.position));
        }
    }
    best.map(|(_, r, i)| (r, i))
}

#[cfg(test)]
mod tests {
    use crate::model::{Location, ProblemBuilder, VehicleTypeSpec};
    use crate::solution::UnassignedReason;
    use crate::solver::{SolverConfig, solve};

    fn problem(count: i64, capacity: f64) -> crate::model::Problem {
        // Towns on opposite sides of the depot: savings are zero, so savings
        // alone plans one route per town.
        ProblemBuilder::new("opposite")
            .depot("D", Location::Planar { x: 0.0, y: 0.0 })
            .town("east", Location::Planar { x: 10.0, y: 0.0 }, 4.0, 0.0)
            .town("west", Location::Planar { x: -10.0, y: 0.0 }, 5.0, 0.0)
            .vehicle_type(VehicleTypeSpec {
                count: Some(count),
                ..VehicleTypeSpec::new("van", "D", capacity)
            })
            .build()
            .unwrap()
    }

    #[test]
    fn leftover_towns_are_inserted_when_the_fleet_runs_out() {
        let s = solve(&problem(2, 10.0), &SolverConfig::default()).unwrap().solution;
        assert_eq!(s.routes.len(), 2);
        let s = solve(&problem(1, 10.0), &SolverConfig::default()).unwrap().solution;
        assert_eq!(s.routes.len(), 1);
        assert_eq!(s.routes[0].stops.len(), 2);
        assert!(s.unassigned.is_empty());
    }

    #[test]
    fn leftover_town_that_fits_nowhere_is_unassigned() {
        let s = solve(&problem(1, 6.0), &SolverConfig::default()).unwrap().solution;
        assert_eq!(s.routes.len(), 1);
        assert_eq!(s.routes[0].stops[0].town, "west"); // the heavier route keeps the van
        assert_eq!(s.unassigned.len(), 1);
        assert_eq!(s.unassigned[0].town, "east");
        assert_eq!(
            s.unassigned[0].reason,
            UnassignedReason::NoVehicleLeft { depot: "D".into() }
        );
    }
}
