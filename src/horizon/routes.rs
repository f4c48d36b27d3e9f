//! One day's routes as the pattern moves see them, and the two prices a
//! move needs: what removing a town from its route saves, and the cheapest
//! feasible place to insert it.
//!
//! Feasibility is checked the way the validator sees it: every candidate
//! route is evaluated with [`route::evaluate_route`] (vehicle–town
//! compatibility, reachability, capacity trip by trip, the distance limit,
//! opening hours, depot hours, shift, breaks, pickups, releases) and the
//! day is checked against the fleet size. A route keeps its reloads: a
//! town removed or inserted shifts the reloads after it (a town inserted
//! where a trip ends starts the next trip), so moves never add a reload.
//!
//! The cost of a route is what the one-day solver charges for it: its
//! distance plus its vehicle's fixed cost, or, when some vehicle type
//! costs money per kilometre or per hour, its money cost
//! ([`VehicleType::route_cost`](crate::model::VehicleType::route_cost))
//! in millionths (as the one-day solver counts money). Candidate positions
//! are ordered by an estimate of what they add and priced exactly once timed.

use crate::distance::{TravelOracle, is_unreachable};
use crate::model::Problem;
use crate::route::{self, Reload};
use crate::solution::PlannedRoute;
use crate::solver::cluster::MONEY_SCALE;

/// Most candidate positions timed per insertion: positions are tried
/// cheapest first and the first feasible one wins, so this only matters
/// when many cheap positions break opening hours or the shift.
pub const MAX_TIMED_CANDIDATES: usize = 256;

/// A route with its cached figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayRoute {
    /// Index into [`Problem::fleet`].
    pub vehicle_type: usize,
    /// Full town indices in visiting order (never empty).
    pub towns: Vec<usize>,
    /// Its reloads (before which town, at which depot).
    pub reloads: Vec<Reload>,
    /// Route distance.
    pub distance: i64,
    /// Route duration, seconds (return minus leave).
    pub duration: i64,
    /// Total demand.
    pub load: u64,
}

/// What a feasible route measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measured {
    /// Route distance.
    pub distance: i64,
    /// Route duration, seconds.
    pub duration: i64,
    /// Total demand.
    pub load: u64,
}

/// The routes of one day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayRoutes {
    /// Non-empty routes, in vehicle order.
    pub routes: Vec<DayRoute>,
}

/// Where a town goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Before position `pos` of route `route`.
    Route {
        /// Route index.
        route: usize,
        /// Position in the route (`0..=len`).
        pos: usize,
    },
    /// A new route of this vehicle type.
    NewRoute(usize),
}

/// A priced insertion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Insertion {
    /// Where.
    pub place: Place,
    /// Cost increase.
    pub delta: i64,
    /// The route after the insertion.
    pub after: Measured,
}

/// Prices moves against the full problem and oracle.
pub struct Pricer<'a> {
    /// The full problem.
    pub problem: &'a Problem,
    /// Its oracle.
    pub oracle: &'a dyn TravelOracle,
    /// Some vehicle type costs money per kilometre or per hour: costs are
    /// money in millionths, as the one-day solver counts them.
    pub money: bool,
}

impl<'a> Pricer<'a> {
    /// A pricer for `problem` (money costs when some type has them).
    pub fn new(problem: &'a Problem, oracle: &'a dyn TravelOracle) -> Self {
        Pricer {
            problem,
            oracle,
            money: problem.has_running_costs(),
        }
    }

    /// What one unit of a prize or penalty is worth in this pricer's costs.
    pub fn unit(&self) -> f64 {
        if self.money { MONEY_SCALE } else { 1.0 }
    }

    /// Cost of a route of vehicle type `vt` with this distance and duration.
    pub fn route_cost(&self, vt: usize, distance: i64, duration: i64) -> i64 {
        let v = &self.problem.fleet[vt];
        if self.money {
            // Saturating float-to-int conversion.
            (v.route_cost(distance, duration) * MONEY_SCALE).round() as i64
        } else {
            distance.saturating_add(v.fixed_cost)
        }
    }

    /// What adding `distance` to a route of type `vt` (a new one when
    /// `new_route`) costs before it is timed, to order the candidates: its
    /// driving at the type's speed (the fixed cost only for a new route).
    fn estimate(&self, vt: usize, distance: i64, new_route: bool) -> i64 {
        let v = &self.problem.fleet[vt];
        let driving = (distance as f64 * v.seconds_per_unit()).round() as i64;
        let cost = self.route_cost(vt, distance, driving);
        if new_route {
            cost
        } else {
            cost.saturating_sub(self.route_cost(vt, 0, 0))
        }
    }

    fn cost_of(&self, vt: usize, m: &Measured) -> i64 {
        self.route_cost(vt, m.distance, m.duration)
    }

    /// Cost of a day's routes.
    pub fn day_cost(&self, day: &DayRoutes) -> i64 {
        day.routes.iter().fold(0i64, |a, r| {
            a.saturating_add(self.route_cost(r.vehicle_type, r.distance, r.duration))
        })
    }

    /// What `towns` driven by vehicle type `vt` with these reloads
    /// measures, or `None` if the route breaks a rule of
    /// [`route::evaluate_route`] (a limit, an opening interval, the depot
    /// hours, a town's vehicle types, an unreachable leg, a break, …).
    pub fn evaluate(&self, vt: usize, towns: &[usize], reloads: &[Reload]) -> Option<Measured> {
        let e = if reloads.is_empty() {
            route::evaluate(self.problem, self.oracle, vt, towns)
        } else {
            let planned = PlannedRoute {
                vehicle_type: vt,
                towns: towns.to_vec(),
                reloads: reloads.to_vec(),
            };
            route::evaluate_route(self.problem, self.oracle, &planned)
        };
        e.is_feasible().then(|| Measured {
            distance: e.distance,
            duration: e.duration(),
            load: e.load,
        })
    }

    /// A day's routes from planned routes (empty ones dropped).
    pub fn day_routes(&self, routes: impl IntoIterator<Item = PlannedRoute>) -> DayRoutes {
        DayRoutes {
            routes: routes
                .into_iter()
                .filter(|r| !r.towns.is_empty())
                .map(|r| {
                    let e = route::evaluate_route(self.problem, self.oracle, &r);
                    DayRoute {
                        vehicle_type: r.vehicle_type,
                        towns: r.towns,
                        reloads: r.reloads,
                        distance: e.distance,
                        duration: e.duration(),
                        load: e.load,
                    }
                })
                .collect(),
        }
    }

    /// Route and position of town `t` on the day, if it is served.
    pub fn find(day: &DayRoutes, t: usize) -> Option<(usize, usize)> {
        day.routes
            .iter()
            .enumerate()
            .find_map(|(r, route)| route.towns.iter().position(|&x| x == t).map(|p| (r, p)))
    }

    /// What removing town `t` from its route saves (the whole route cost if
    /// it was alone), or `None` if `t` is not served that day or the
    /// shortened route would break a limit (possible only when travel
    /// breaks the triangle inequality).
    pub fn removal_gain(&self, day: &DayRoutes, t: usize) -> Option<i64> {
        let (r, pos) = Self::find(day, t)?;
        let route = &day.routes[r];
        let before = self.route_cost(route.vehicle_type, route.distance, route.duration);
        if route.towns.len() == 1 {
            return Some(before);
        }
        let mut towns = route.towns.clone();
        towns.remove(pos);
        let reloads = reloads_without(&route.reloads, pos, towns.len());
        let after = self.evaluate(route.vehicle_type, &towns, &reloads)?;
        Some(before - self.cost_of(route.vehicle_type, &after))
    }

    /// Removes town `t` from the day (dropping its route if emptied).
    /// Returns `None` if `t` was not served that day, else whether the
    /// shortened route keeps every limit (it is kept anyway; a `false`
    /// happens only when travel breaks the triangle inequality, and the
    /// caller then solves that day again).
    pub fn remove(&self, day: &mut DayRoutes, t: usize) -> Option<bool> {
        let (r, pos) = Self::find(day, t)?;
        let route = &mut day.routes[r];
        route.towns.remove(pos);
        if route.towns.is_empty() {
            day.routes.remove(r);
            return Some(true);
        }
        route.reloads = reloads_without(&route.reloads, pos, route.towns.len());
        let planned = PlannedRoute {
            vehicle_type: route.vehicle_type,
            towns: route.towns.clone(),
            reloads: route.reloads.clone(),
        };
        let e = route::evaluate_route(self.problem, self.oracle, &planned);
        route.distance = e.distance;
        route.duration = e.duration();
        route.load = e.load;
        Some(e.is_feasible())
    }

    /// The cheapest feasible insertion of town `t` into the day: any
    /// position of any route, or a new route of a vehicle type with a
    /// vehicle left that day. Positions are timed cheapest first (at most
    /// [`MAX_TIMED_CANDIDATES`]); ties go to the lowest route, position and
    /// vehicle type. The order is by an estimate; the first feasible
    /// candidate is priced by its real cost change.
    pub fn best_insertion(&self, day: &DayRoutes, t: usize) -> Option<Insertion> {
        let problem = self.problem;
        let oracle = self.oracle;
        let town = &problem.towns[t];
        let loc = problem.town_location(t);
        let demand = u64::from(town.demand);
        // (estimated delta, place)
        let mut candidates: Vec<(i64, Place)> = Vec::new();
        for (r, route) in day.routes.iter().enumerate() {
            let v = &problem.fleet[route.vehicle_type];
            // One trip carries at most the capacity (a route with reloads
            // is checked trip by trip below).
            if route.reloads.is_empty() && route.load + demand > u64::from(v.capacity) {
                continue;
            }
            // The leg from `a` to `b` (none to the end of an open route).
            let leg = |a: usize, b: Option<usize>| b.map_or(0, |b| oracle.distance(a, b));
            let mut prev = v.depot;
            for pos in 0..=route.towns.len() {
                let next = match route.towns.get(pos) {
                    Some(&x) => Some(problem.town_location(x)),
                    None => v.end_depot(),
                };
                let added = oracle
                    .distance(prev, loc)
                    .saturating_add(leg(loc, next))
                    .saturating_sub(leg(prev, next));
                prev = next.unwrap_or(loc);
                let distance = route.distance.saturating_add(added);
                if is_unreachable(added) || v.max_distance.is_some_and(|m| distance > m) {
                    continue;
                }
                candidates.push((
                    self.estimate(route.vehicle_type, added, false),
                    Place::Route { route: r, pos },
                ));
            }
        }
        let mut used = vec![0u32; problem.fleet.len()];
        for r in &day.routes {
            used[r.vehicle_type] += 1;
        }
        for (vt, v) in problem.fleet.iter().enumerate() {
            if v.count.is_some_and(|c| used[vt] >= c) || demand > u64::from(v.capacity) {
                continue;
            }
            let distance = oracle
                .distance(v.depot, loc)
                .saturating_add(v.end_depot().map_or(0, |e| oracle.distance(loc, e)));
            if is_unreachable(distance) {
                continue;
            }
            candidates.push((self.estimate(vt, distance, true), Place::NewRoute(vt)));
        }
        candidates.sort_by_key(|&(delta, place)| {
            let key = match place {
                Place::Route { route, pos } => (0, route, pos),
                Place::NewRoute(vt) => (1, vt, 0),
            };
            (delta, key)
        });
        let mut towns = Vec::new();
        let mut reloads: Vec<Reload>;
        // The cheapest candidates are timed; opening a new route (one town,
        // always last by cost when vehicles have a fixed cost) is always tried.
        let timed = candidates
            .iter()
            .enumerate()
            .filter(|&(i, c)| i < MAX_TIMED_CANDIDATES || matches!(c.1, Place::NewRoute(_)))
            .map(|(_, c)| c);
        for &(_, place) in timed {
            let (vt, list, with): (usize, &[usize], &[Reload]) = match place {
                Place::Route { route, pos } => {
                    let rt = &day.routes[route];
                    towns.clear();
                    towns.extend_from_slice(&rt.towns[..pos]);
                    towns.push(t);
                    towns.extend_from_slice(&rt.towns[pos..]);
                    reloads = reloads_with(&rt.reloads, pos);
                    (rt.vehicle_type, &towns, &reloads)
                }
                Place::NewRoute(vt) => (vt, std::slice::from_ref(&t), &[]),
            };
            if let Some(after) = self.evaluate(vt, list, with) {
                // The real change: a reload's legs or the timing may differ
                // from the estimate.
                let before = match place {
                    Place::Route { route, .. } => {
                        let rt = &day.routes[route];
                        self.route_cost(vt, rt.distance, rt.duration)
                    }
                    Place::NewRoute(_) => 0,
                };
                let delta = self.cost_of(vt, &after).saturating_sub(before);
                return Some(Insertion { place, delta, after });
            }
        }
        None
    }

    /// Applies an insertion found by [`Pricer::best_insertion`] on the same day.
    pub fn insert(&self, day: &mut DayRoutes, t: usize, ins: Insertion) {
        let demand = u64::from(self.problem.towns[t].demand);
        match ins.place {
            Place::Route { route, pos } => {
                let r = &mut day.routes[route];
                r.towns.insert(pos, t);
                r.reloads = reloads_with(&r.reloads, pos);
                r.distance = ins.after.distance;
                r.duration = ins.after.duration;
                r.load += demand;
            }
            Place::NewRoute(vt) => day.routes.push(DayRoute {
                vehicle_type: vt,
                towns: vec![t],
                reloads: Vec::new(),
                distance: ins.after.distance,
                duration: ins.after.duration,
                load: demand,
            }),
        }
    }

    /// True if every route of the day keeps every limit and the day uses no
    /// more vehicles of a type than the fleet has.
    pub fn day_feasible(&self, day: &DayRoutes) -> bool {
        let mut used = vec![0u32; self.problem.fleet.len()];
        for r in &day.routes {
            used[r.vehicle_type] += 1;
        }
        let fleet_ok = self
            .problem
            .fleet
            .iter()
            .zip(&used)
            .all(|(v, &u)| v.count.is_none_or(|c| u <= c));
        fleet_ok
            && day
                .routes
                .iter()
                .all(|r| self.evaluate(r.vehicle_type, &r.towns, &r.reloads).is_some())
    }
}

/// The reloads of a route once its town at `pos` is gone (`len` towns
/// left): later reloads move up one; one left at the start, at the end or
/// next to another (an empty trip) is dropped.
fn reloads_without(reloads: &[Reload], pos: usize, len: usize) -> Vec<Reload> {
    let mut out: Vec<Reload> = Vec::with_capacity(reloads.len());
    for &r in reloads {
        let before = if r.before > pos { r.before - 1 } else { r.before };
        if before == 0 || before >= len || out.last().is_some_and(|l| l.before == before) {
            continue;
        }
        out.push(Reload { before, ..r });
    }
    out
}

/// The reloads of a route once a town is inserted at `pos`: reloads after
/// it move down one; a town inserted where a trip ends starts the next one.
fn reloads_with(reloads: &[Reload], pos: usize) -> Vec<Reload> {
    reloads
        .iter()
        .map(|&r| Reload {
            before: if r.before > pos { r.before + 1 } else { r.before },
            ..r
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(before: &[usize]) -> Vec<Reload> {
        before.iter().map(|&before| Reload { before, depot: 0 }).collect()
    }

    #[test]
    fn reloads_follow_the_towns_removed_and_inserted() {
        // Towns 0 1 | 2 3 | 4 (reloads before 2 and 4).
        let r = at(&[2, 4]);
        assert_eq!(reloads_without(&r, 0, 4), at(&[1, 3]));
        // Removing town 3 leaves town 2 alone in its trip: kept.
        assert_eq!(reloads_without(&r, 3, 4), at(&[2, 3]));
        // Removing both of a trip's towns empties it: one reload goes.
        assert_eq!(reloads_without(&reloads_without(&r, 2, 4), 2, 3), at(&[2]));
        // The last trip emptied: its reload goes too.
        assert_eq!(reloads_without(&r, 4, 4), at(&[2]));
        assert_eq!(reloads_with(&r, 2), at(&[2, 5]));
        assert_eq!(reloads_with(&r, 0), at(&[3, 5]));
        assert_eq!(reloads_with(&r, 5), at(&[2, 4]));
    }
}
