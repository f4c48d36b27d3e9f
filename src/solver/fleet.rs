//! Handing planned routes to real vehicles of the depot's fleet.

use crate::distance::TravelOracle;
use crate::model::{Problem, VehicleType};
use crate::solution::{Plan, PlannedRoute, UnassignedReason};

/// Distance, duration (service included) and load of `towns` driven from
/// `depot` by a vehicle of type `vt`.
fn route_totals(problem: &Problem, oracle: &dyn TravelOracle, vt: &VehicleType, towns: &[usize]) -> (i64, i64, u64) {
    let path = std::iter::once(vt.depot)
        .chain(towns.iter().map(|&t| problem.town_location(t)))
        .chain(std::iter::once(vt.depot));
    let (mut dist, mut time, mut prev) = (0i64, 0i64, None);
    for loc in path {
        if let Some(p) = prev {
            dist = dist.saturating_add(oracle.distance(p, loc));
            time = time.saturating_add(oracle.travel_time(vt, p, loc));
        }
        prev = Some(loc);
    }
    let service: i64 = towns.iter().map(|&t| i64::from(problem.towns[t].service_time)).sum();
    let load = towns.iter().map(|&t| u64::from(problem.towns[t].demand)).sum();
    (dist, time.saturating_add(service), load)
}

fn fits(vt: &VehicleType, (dist, time, load): (i64, i64, u64)) -> bool {
    load <= u64::from(vt.capacity)
        && vt.max_distance.is_none_or(|m| dist <= m)
        && vt.max_duration.is_none_or(|m| time <= m)
}

/// Gives each route of depot `d` the smallest vehicle type (capacity, then
/// index) that still has a vehicle and satisfies the route's load, distance
/// and duration; routes are served heaviest first. Routes that got a vehicle
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
    let mut left: Vec<Option<u32>> = types.iter().map(|&v| problem.fleet[v].count).collect();
    let load = |r: &[usize]| r.iter().map(|&t| u64::from(problem.towns[t].demand)).sum::<u64>();
    let mut order: Vec<usize> = (0..routes.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(load(&routes[i])), i));
    let mut assigned: Vec<Option<usize>> = vec![None; routes.len()];
    for i in order {
        let fitting = (0..types.len()).find(|&k| {
            left[k] != Some(0)
                && fits(
                    &problem.fleet[types[k]],
                    route_totals(problem, oracle, &problem.fleet[types[k]], &routes[i]),
                )
        });
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
            Some(vehicle_type) => out.push(PlannedRoute { vehicle_type, towns: r }),
            None => orphans.extend(r.into_iter().map(|t| (t, d))),
        }
    }
    orphans
}

/// Inserts towns whose route found no vehicle one by one (largest demand
/// first) at their cheapest feasible position in any planned route, whatever
/// its depot; those that fit nowhere are unassigned with
/// [`UnassignedReason::NoVehicleLeft`] naming their depot. `orphans` holds
/// (town, depot) pairs.
pub fn place_orphans(problem: &Problem, oracle: &dyn TravelOracle, mut orphans: Vec<(usize, usize)>, plan: &mut Plan) {
    if orphans.is_empty() {
        return;
    }
    orphans.sort_by_key(|&(t, _)| (std::cmp::Reverse(problem.towns[t].demand), t));
    // Totals of every route, kept current as towns are inserted.
    let total = |r: &PlannedRoute| route_totals(problem, oracle, &problem.fleet[r.vehicle_type], &r.towns);
    let mut totals: Vec<(i64, i64, u64)> = plan.routes.iter().map(total).collect();
    for (t, d) in orphans {
        match cheapest_insertion(problem, oracle, &plan.routes, &totals, t) {
            Some((r, i)) => {
                plan.routes[r].towns.insert(i, t);
                totals[r] = total(&plan.routes[r]);
            }
            None => {
                let depot = problem.depots[d].id.clone();
                plan.unassigned.push((t, UnassignedReason::NoVehicleLeft { depot }));
            }
        }
    }
}

/// The (route, position) where town `t` adds the least distance while
/// keeping the route feasible for its vehicle (ties: first route, first
/// position); `totals` holds each route's (distance, duration, load).
fn cheapest_insertion(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    routes: &[PlannedRoute],
    totals: &[(i64, i64, u64)],
    t: usize,
) -> Option<(usize, usize)> {
    let loc = problem.town_location(t);
    let mut best: Option<(i64, usize, usize)> = None;
    for (r, (route, &(dist, time, load))) in routes.iter().zip(totals).enumerate() {
        let vt = &problem.fleet[route.vehicle_type];
        if load + u64::from(problem.towns[t].demand) > u64::from(vt.capacity) {
            continue;
        }
        let stop = |i: usize| match i {
            0 => vt.depot,
            i if i > route.towns.len() => vt.depot,
            i => problem.town_location(route.towns[i - 1]),
        };
        for i in 0..=route.towns.len() {
            // Insert between stop(i) and stop(i + 1).
            let (a, b) = (stop(i), stop(i + 1));
            let dd = oracle.distance(a, loc) + oracle.distance(loc, b) - oracle.distance(a, b);
            let dt = oracle.travel_time(vt, a, loc) + oracle.travel_time(vt, loc, b) - oracle.travel_time(vt, a, b)
                + i64::from(problem.towns[t].service_time);
            let feasible =
                vt.max_distance.is_none_or(|m| dist + dd <= m) && vt.max_duration.is_none_or(|m| time + dt <= m);
            if feasible && best.is_none_or(|(b, ..)| dd < b) {
                best = Some((dd, r, i));
            }
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
                id: "van".into(),
                depot: "D".into(),
                count: Some(count),
                capacity,
                max_distance: None,
                max_duration_s: None,
                speed_kmh: 60.0,
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
