//! Where a new order fits: every position of every route of a plan, and a
//! vehicle not on the road yet, priced and checked by the route rule
//! ([`route::evaluate_route`]); the cheapest feasible ones, or the true
//! reason there is none.
//!
//! The cost is the plan's objective: money when some vehicle type has
//! running costs ([`crate::model::VehicleType::route_cost`], with a new
//! route's fixed cost), else distance (plus a new route's fixed cost). Every candidate is evaluated exactly: a plan of 2,000 towns has
//! about as many positions, each one route walk.

use super::{Plan, PlannedRoute, Reload, UnassignedReason, derive_reason, validate::Derived};
use crate::distance::TravelOracle;
use crate::error::{Error, Result};
use crate::model::Problem;
use crate::route::{self, Evaluation};

/// One place the new town can go.
#[derive(Debug, Clone, PartialEq)]
pub struct FitOption {
    /// Index into [`Problem::fleet`].
    pub vehicle_type: usize,
    /// Index into the plan's routes; `None` for a vehicle not on the road
    /// yet.
    pub route: Option<usize>,
    /// The town becomes stop `position` of the route (0-based).
    pub position: usize,
    /// What the plan's objective gains (money, or distance units).
    pub added_cost: f64,
    /// Distance added.
    pub added_distance: i64,
    /// Route duration added, seconds.
    pub added_duration_s: i64,
    /// The route with the town in it.
    pub planned: PlannedRoute,
}

/// The answer of [`fit`].
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// The town asked about (index into [`Problem::towns`]).
    pub town: usize,
    /// The cheapest feasible places, cheapest first (ties: lowest route,
    /// position, vehicle type).
    pub options: Vec<FitOption>,
    /// Why there is none, when no place takes the town.
    pub reason: Option<UnassignedReason>,
}

/// The `top` (at least one) cheapest feasible insertions of town `town` into the routes of
/// `plan`, or why there is none.
///
/// Errors: [`Error::SolutionMismatch`] if the town is already on a route.
pub fn fit(problem: &Problem, oracle: &dyn TravelOracle, plan: &Plan, town: usize, top: usize) -> Result<Fit> {
    if let Some(r) = plan.routes.iter().position(|r| r.towns.contains(&town)) {
        return Err(Error::SolutionMismatch(format!(
            "town '{}' is already on route {r}",
            problem.towns[town].id
        )));
    }
    let money = problem.has_running_costs();
    let cost = |vt: usize, e: &Evaluation| -> f64 {
        let v = &problem.fleet[vt];
        if money {
            v.route_cost(e.distance, e.duration())
        } else {
            e.distance as f64
        }
    };
    let mut used = vec![0usize; problem.fleet.len()];
    let mut options = Vec::new();
    for (r, route) in plan.routes.iter().enumerate() {
        if route.towns.is_empty() {
            continue;
        }
        used[route.vehicle_type] += 1;
        let before = route::evaluate_route(problem, oracle, route);
        for position in 0..=route.towns.len() {
            for planned in insertions(route, town, position) {
                let after = route::evaluate_route(problem, oracle, &planned);
                if after.is_feasible() {
                    options.push(FitOption {
                        vehicle_type: route.vehicle_type,
                        route: Some(r),
                        position,
                        added_cost: cost(route.vehicle_type, &after) - cost(route.vehicle_type, &before),
                        added_distance: after.distance.saturating_sub(before.distance),
                        added_duration_s: after.duration().saturating_sub(before.duration()),
                        planned,
                    });
                }
            }
        }
    }
    for (vt, v) in problem.fleet.iter().enumerate() {
        if v.count.is_some_and(|c| used[vt] >= c as usize) {
            continue;
        }
        let planned = PlannedRoute::new(vt, vec![town]);
        let after = route::evaluate_route(problem, oracle, &planned);
        if after.is_feasible() {
            // Money includes the fixed cost already; distance adds it.
            let fixed = if money { 0.0 } else { v.fixed_cost as f64 };
            options.push(FitOption {
                vehicle_type: vt,
                route: None,
                position: 0,
                added_cost: cost(vt, &after) + fixed,
                added_distance: after.distance,
                added_duration_s: after.duration(),
                planned,
            });
        }
    }
    options.sort_by(|a, b| {
        a.added_cost
            .total_cmp(&b.added_cost)
            .then(a.route.unwrap_or(usize::MAX).cmp(&b.route.unwrap_or(usize::MAX)))
            .then(a.position.cmp(&b.position))
            .then(a.vehicle_type.cmp(&b.vehicle_type))
    });
    // The reason is for no place at all, whatever `top` keeps.
    let nowhere = options.is_empty();
    options.truncate(top.max(1));
    let reason = nowhere.then(|| match derive_reason(problem, oracle, &used, town) {
        Derived::Blocked(reason) => reason,
        // Some type could serve it alone, but none has a vehicle left and
        // no route has room.
        Derived::Able { types, .. } => UnassignedReason::NoVehicleLeft {
            depot: problem.depots[problem.fleet[types[0]].depot].id.clone(),
        },
    });
    Ok(Fit { town, options, reason })
}

/// `route` with `town` as stop `position`: one way, or two where a reload
/// sits at that point (the town ends the trip before it, or starts the
/// trip after it).
fn insertions(route: &PlannedRoute, town: usize, position: usize) -> Vec<PlannedRoute> {
    let mut towns = Vec::with_capacity(route.towns.len() + 1);
    towns.extend_from_slice(&route.towns[..position]);
    towns.push(town);
    towns.extend_from_slice(&route.towns[position..]);
    let shifted = |after_reload: bool| -> Vec<Reload> {
        route
            .reloads
            .iter()
            .map(|x| Reload {
                before: if x.before > position || (x.before == position && !after_reload) {
                    x.before + 1
                } else {
                    x.before
                },
                depot: x.depot,
            })
            .collect()
    };
    let mut out = vec![PlannedRoute {
        vehicle_type: route.vehicle_type,
        towns: towns.clone(),
        reloads: shifted(false),
    }];
    if route.reloads.iter().any(|x| x.before == position) {
        out.push(PlannedRoute {
            vehicle_type: route.vehicle_type,
            towns,
            reloads: shifted(true),
        });
    }
    out
}
