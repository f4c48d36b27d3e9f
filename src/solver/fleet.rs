//! Handing planned routes to real vehicles of the depot's fleet.

use crate::distance::TravelOracle;
use crate::model::Problem;
use crate::solution::{Plan, PlannedRoute, UnassignedReason};

/// Gives each route of depot `d` the smallest vehicle type (capacity, then
/// index) that still has a vehicle and satisfies the route's load, distance
/// and duration; routes are served heaviest first. Towns of routes no vehicle
/// can take are unassigned with [`UnassignedReason::NoVehicleLeft`].
pub fn assign_vehicles(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    d: usize,
    routes: Vec<Vec<usize>>,
    plan: &mut Plan,
) {
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
        let r = &routes[i];
        let fits = |v: usize| {
            let vt = &problem.fleet[v];
            let path: Vec<usize> = std::iter::once(d)
                .chain(r.iter().map(|&t| problem.town_location(t)))
                .chain(std::iter::once(d))
                .collect();
            let dist: i64 = path.windows(2).map(|w| oracle.distance(w[0], w[1])).sum();
            let time: i64 = path.windows(2).map(|w| oracle.travel_time(vt, w[0], w[1])).sum::<i64>()
                + r.iter().map(|&t| i64::from(problem.towns[t].service_time)).sum::<i64>();
            load(r) <= u64::from(vt.capacity)
                && vt.max_distance.is_none_or(|m| dist <= m)
                && vt.max_duration.is_none_or(|m| time <= m)
        };
        if let Some(k) = (0..types.len()).find(|&k| left[k] != Some(0) && fits(types[k])) {
            if let Some(c) = left[k].as_mut() {
                *c -= 1;
            }
            assigned[i] = Some(types[k]);
        }
    }
    for (r, v) in routes.into_iter().zip(assigned) {
        match v {
            Some(vehicle_type) => plan.routes.push(PlannedRoute { vehicle_type, towns: r }),
            None => plan.unassigned.extend(r.into_iter().map(|t| {
                (
                    t,
                    UnassignedReason::NoVehicleLeft {
                        depot: problem.depots[d].id.clone(),
                    },
                )
            })),
        }
    }
}
