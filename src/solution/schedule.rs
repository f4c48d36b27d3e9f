//! Turning a plan (which vehicle visits which towns in what order) into a
//! schedule with arrival times, loads and totals.

use super::{Break, Route, Solution, Stop, Totals, Unassigned, UnassignedReason};
use crate::distance::TravelOracle;
use crate::model::Problem;
use crate::route;
pub use crate::route::{PlannedRoute, Reload};

/// The solver's answer before scheduling.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Routes (empty ones are dropped when scheduling).
    pub routes: Vec<PlannedRoute>,
    /// Towns not served, with reasons.
    pub unassigned: Vec<(usize, UnassignedReason)>,
}

impl Solution {
    /// Schedules a plan under the route rule of [`crate::model::timing`]
    /// (timed by [`route::evaluate_stops`]; a route breaking a rule is
    /// scheduled all the same, for the validator to report):
    /// the vehicle leaves its depot when it opens, or later where that drives
    /// off waiting (the clock's forward slack), then drives, waits for opening hours, serves each
    /// town in order and returns; a driver with break rules takes the breaks the clock places
    /// ([`Route::breaks`]). Vehicles of a type are numbered in route
    /// order.
    pub fn from_plan(problem: &Problem, oracle: &dyn TravelOracle, plan: &Plan) -> Solution {
        let mut next_vehicle = vec![0u32; problem.fleet.len()];
        let mut routes = Vec::with_capacity(plan.routes.len());
        for pr in plan.routes.iter().filter(|r| !r.towns.is_empty()) {
            let vt = &problem.fleet[pr.vehicle_type];
            let depot = vt.depot;
            let timed = route::evaluate_route_timed(problem, oracle, pr);
            let eval = timed.evaluation;
            let reloads = timed
                .reloads
                .iter()
                .map(|r| super::ReloadStop {
                    before_stop: r.reload.before,
                    depot: problem.depots[r.reload.depot].id.clone(),
                    arrival_s: r.arrival,
                    departure_s: r.departure,
                })
                .collect();
            let (distance, load, pickup, times) = (eval.distance, eval.load, eval.pickup, eval.times);
            let stops: Vec<Stop> = timed
                .stops
                .iter()
                .map(|s| Stop {
                    town: problem.towns[s.town].id.clone(),
                    arrival_s: s.times.arrival,
                    start_s: s.times.start,
                    departure_s: s.times.departure,
                    load_after: s.load_after,
                })
                .collect();
            let vehicle = next_vehicle[pr.vehicle_type];
            next_vehicle[pr.vehicle_type] += 1;
            routes.push(Route {
                vehicle_type: vt.id.clone(),
                vehicle,
                depot: problem.depots[depot].id.clone(),
                end_depot: vt
                    .end_depot()
                    .filter(|&e| e != depot)
                    .map(|e| problem.depots[e].id.clone()),
                open: vt.end_depot().is_none(),
                stops,
                distance,
                duration_s: times.duration(),
                start_s: times.start,
                end_s: times.end,
                load,
                loads: if problem.dimensions() > 1 {
                    (0..problem.dimensions())
                        .map(|d| {
                            pr.towns
                                .iter()
                                .map(|&t| {
                                    let town = &problem.towns[t];
                                    u64::from(if d == 0 { town.demand } else { town.extra_demand[d - 1] })
                                })
                                .sum()
                        })
                        .collect()
                } else {
                    Vec::new()
                },
                pickup,
                reloads,
                cost: vt.route_cost(distance, times.duration()),
                breaks: timed
                    .breaks
                    .iter()
                    .map(|b| Break {
                        start_s: b.start,
                        end_s: b.end,
                        kind: b.kind,
                    })
                    .collect(),
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
            cost: routes.iter().map(|r| r.cost).sum(),
            duration_s: routes.iter().fold(0i64, |a, r| a.saturating_add(r.duration_s)),
            vehicles_used: routes.len(),
            towns_served: routes.iter().map(|r| r.stops.len()).sum(),
            towns_unassigned: unassigned.len(),
            prizes_missed: plan
                .unassigned
                .iter()
                .filter_map(|&(t, _)| problem.towns[t].prize)
                .sum(),
        };
        Solution {
            problem: problem.name.clone(),
            routes,
            unassigned,
            totals,
        }
    }
}
