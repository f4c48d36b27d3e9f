//! Turning a plan (which vehicle visits which towns in what order) into a
//! schedule with arrival times, loads and totals.

use super::{Route, Solution, Stop, Totals, Unassigned, UnassignedReason};
use crate::distance::TravelOracle;
use crate::model::Problem;

/// One vehicle's ordered towns (indices into [`Problem::towns`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedRoute {
    /// Index into [`Problem::fleet`].
    pub vehicle_type: usize,
    /// Town indices in visiting order.
    pub towns: Vec<usize>,
}

/// The solver's answer before scheduling.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Routes (empty ones are dropped when scheduling).
    pub routes: Vec<PlannedRoute>,
    /// Towns not served, with reasons.
    pub unassigned: Vec<(usize, UnassignedReason)>,
}

impl Solution {
    /// Schedules a plan: the vehicle leaves its depot at time 0, drives,
    /// serves each town in order and returns. Vehicles of a type are numbered
    /// in route order.
    pub fn from_plan(problem: &Problem, oracle: &dyn TravelOracle, plan: &Plan) -> Solution {
        let mut next_vehicle = vec![0u32; problem.fleet.len()];
        let mut routes = Vec::with_capacity(plan.routes.len());
        for pr in plan.routes.iter().filter(|r| !r.towns.is_empty()) {
            let vt = &problem.fleet[pr.vehicle_type];
            let depot = vt.depot;
            let load: u64 = pr.towns.iter().map(|&t| u64::from(problem.towns[t].demand)).sum();
            let (mut distance, mut time, mut on_board) = (0i64, 0i64, load);
            let mut prev = depot;
            let mut stops = Vec::with_capacity(pr.towns.len());
            for &t in &pr.towns {
                let loc = problem.town_location(t);
                distance = distance.saturating_add(oracle.distance(prev, loc));
                time = time.saturating_add(oracle.travel_time(vt, prev, loc));
                on_board -= u64::from(problem.towns[t].demand);
                stops.push(Stop {
                    town: problem.towns[t].id.clone(),
                    arrival_s: time,
                    load_after: on_board,
                });
                time = time.saturating_add(i64::from(problem.towns[t].service_time));
                prev = loc;
            }
            distance = distance.saturating_add(oracle.distance(prev, depot));
            time = time.saturating_add(oracle.travel_time(vt, prev, depot));
            let vehicle = next_vehicle[pr.vehicle_type];
            next_vehicle[pr.vehicle_type] += 1;
            routes.push(Route {
                vehicle_type: vt.id.clone(),
                vehicle,
                depot: problem.depots[depot].id.clone(),
                stops,
                distance,
                duration_s: time,
                load,
            });
        }
        let unassigned: Vec<Unassigned> = plan
            .unassigned
            .iter()
            .map(|(t, reason)| Unassigned {
                town: problem.towns[*t].id.clone(),
                reason: reason.clone(),
            })
            .collect();
        let totals = Totals {
            distance: routes.iter().fold(0i64, |a, r| a.saturating_add(r.distance)),
            duration_s: routes.iter().fold(0i64, |a, r| a.saturating_add(r.duration_s)),
            vehicles_used: routes.len(),
            towns_served: routes.iter().map(|r| r.stops.len()).sum(),
            towns_unassigned: unassigned.len(),
        };
        Solution {
            problem: problem.name.clone(),
            routes,
            unassigned,
            totals,
        }
    }
}
