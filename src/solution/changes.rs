//! What a re-plan changed: the towns it put on another vehicle than the
//! plan it started from had them on.

use super::{Plan, Solution};
use crate::model::Problem;
use serde::Serialize;

/// Towns of a previous plan, as a re-plan left them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct VehicleChanges {
    /// Towns served by both plans.
    pub served_by_both: usize,
    /// Of those, the towns on another vehicle now (vehicles are told apart
    /// by type and number, the previous plan's routes numbered per type in
    /// their order).
    pub changed_vehicle: usize,
    /// Towns the previous plan served that the re-plan leaves unassigned.
    pub no_longer_served: usize,
}

/// Compares `solution` with the plan it started from (`previous`, read
/// against the same problem).
pub fn vehicle_changes(problem: &Problem, previous: &Plan, solution: &Solution) -> VehicleChanges {
    let mut was = vehicle_of_each_town(problem, previous);
    let towns = problem.town_indices();
    let mut changes = VehicleChanges::default();
    for route in &solution.routes {
        let k = problem.vehicle_type_index(&route.vehicle_type);
        for stop in &route.stops {
            let Some(&t) = towns.get(stop.town.as_str()) else {
                continue;
            };
            if let Some(before) = was[t].take() {
                changes.served_by_both += 1;
                if Some(before) != k.map(|k| (k, route.vehicle)) {
                    changes.changed_vehicle += 1;
                }
            }
        }
    }
    changes.no_longer_served = was.iter().filter(|w| w.is_some()).count();
    changes
}

/// Each town's vehicle in `plan`, as (vehicle type, rank of its route among
/// the routes of that type, empty routes skipped): how a plan numbers its
/// vehicles ([`Solution::from_plan`]).
pub fn vehicle_of_each_town(problem: &Problem, plan: &Plan) -> Vec<Option<(usize, u32)>> {
    let mut was = vec![None; problem.towns.len()];
    let mut rank = vec![0u32; problem.fleet.len()];
    for r in plan.routes.iter().filter(|r| !r.towns.is_empty()) {
        let Some(n) = rank.get_mut(r.vehicle_type) else {
            continue;
        };
        for &t in &r.towns {
            if let Some(w) = was.get_mut(t) {
                *w = Some((r.vehicle_type, *n));
            }
        }
        *n += 1;
    }
    was
}
