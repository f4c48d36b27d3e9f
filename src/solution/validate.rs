//! An independent check of a solution against its problem.
//!
//! Shares no code with the solver's cost bookkeeping: it walks every route
//! from the ids in the solution, recomputes distance, duration and load from
//! the oracle, and compares with the limits and with what the solution claims.

use super::Solution;
use crate::distance::{TravelOracle, is_unreachable};
use crate::model::{Problem, VehicleType};

/// One thing wrong with a solution.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Violation {
    /// A route names a vehicle type the problem does not have.
    UnknownVehicleType(String),
    /// A route's depot is not its vehicle type's home depot.
    WrongDepot {
        /// Route index.
        route: usize,
        /// Depot written in the route.
        depot: String,
    },
    /// A stop or unassigned entry names a town the problem does not have.
    UnknownTown(String),
    /// A town is visited more than once (or both visited and unassigned).
    ServedTwice(String),
    /// A town is neither visited nor listed as unassigned.
    Missing(String),
    /// Load above capacity.
    Capacity {
        /// Route index.
        route: usize,
        /// Load.
        load: u64,
        /// Capacity.
        capacity: u64,
    },
    /// Route longer than the vehicle's limit.
    Distance {
        /// Route index.
        route: usize,
        /// Distance.
        distance: i64,
        /// Limit.
        limit: i64,
    },
    /// Route lasts longer than the shift.
    Duration {
        /// Route index.
        route: usize,
        /// Duration, seconds.
        duration_s: i64,
        /// Limit, seconds.
        limit: i64,
    },
    /// A leg of the route cannot be driven.
    UnreachableLeg {
        /// Route index.
        route: usize,
    },
    /// More routes for a vehicle type than it has vehicles.
    TooManyVehicles {
        /// Vehicle type id.
        vehicle_type: String,
        /// Routes using it.
        used: usize,
        /// Vehicles available.
        available: u32,
    },
    /// Service starts outside every opening interval of the town.
    OutsideOpeningHours {
        /// Route index.
        route: usize,
        /// Town id.
        town: String,
        /// Stated service start, seconds.
        start_s: i64,
    },
    /// The vehicle leaves before the depot opens or is back after it closes.
    OutsideDepotHours {
        /// Route index.
        route: usize,
    },
    /// Stated times cannot be driven: an arrival earlier than the previous
    /// departure plus the travel time, a service starting before the
    /// arrival, or a departure before the service is done.
    ImpossibleTimes {
        /// Route index.
        route: usize,
        /// Town id (or the depot's, for the return).
        at: String,
    },
    /// A figure the solution states differs from the recomputed one.
    WrongFigure {
        /// Which figure ("route 3 distance", "total distance", ...).
        what: String,
        /// Stated value.
        stated: i64,
        /// Recomputed value.
        actual: i64,
    },
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Violation::UnknownVehicleType(v) => write!(f, "unknown vehicle type '{v}'"),
            Violation::WrongDepot { route, depot } => {
                write!(f, "route {route}: depot '{depot}' is not the vehicle's home")
            }
            Violation::UnknownTown(t) => write!(f, "unknown town '{t}'"),
            Violation::ServedTwice(t) => write!(f, "town '{t}' appears more than once"),
            Violation::Missing(t) => write!(f, "town '{t}' is neither served nor reported unassigned"),
            Violation::Capacity { route, load, capacity } => {
                write!(f, "route {route}: load {load} exceeds capacity {capacity}")
            }
            Violation::Distance { route, distance, limit } => {
                write!(f, "route {route}: distance {distance} exceeds limit {limit}")
            }
            Violation::Duration {
                route,
                duration_s,
                limit,
            } => write!(f, "route {route}: duration {duration_s} s exceeds shift {limit} s"),
            Violation::UnreachableLeg { route } => write!(f, "route {route}: a leg is unreachable"),
            Violation::TooManyVehicles {
                vehicle_type,
                used,
                available,
            } => write!(
                f,
                "vehicle type '{vehicle_type}': {used} routes but {available} vehicles"
            ),
            Violation::OutsideOpeningHours { route, town, start_s } => {
                write!(
                    f,
                    "route {route}: service at '{town}' starts at {start_s} s, outside its opening hours"
                )
            }
            Violation::OutsideDepotHours { route } => {
                write!(
                    f,
                    "route {route}: leaves before the depot opens or returns after it closes"
                )
            }
            Violation::ImpossibleTimes { route, at } => {
                write!(f, "route {route}: the times stated at '{at}' cannot be driven")
            }
            Violation::WrongFigure { what, stated, actual } => {
                write!(f, "{what}: stated {stated}, recomputed {actual}")
            }
        }
    }
}

/// What the validator found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationReport {
    /// Total distance recomputed from the routes.
    pub cost: i64,
    /// Number of non-empty routes.
    pub routes: usize,
    /// Everything wrong; empty means feasible.
    pub violations: Vec<Violation>,
}

impl ValidationReport {
    /// True when nothing is wrong.
    pub fn is_feasible(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Checks `solution` against `problem` (legs an oracle only estimates are
/// first made exact with [`TravelOracle::resolve_exact`]): each town served at most once (and
/// every town either served or reported unassigned), capacity, distance and
/// shift limits, fleet size, and every figure the solution states.
pub fn validate(problem: &Problem, oracle: &dyn TravelOracle, solution: &Solution) -> ValidationReport {
    let town_ix = problem.town_indices();
    let mut seen = vec![false; problem.towns.len()];
    let mut v = Vec::new();
    let mut mark = |id: &str, v: &mut Vec<Violation>| match town_ix.get(id) {
        None => {
            v.push(Violation::UnknownTown(id.to_string()));
            None
        }
        Some(&i) if seen[i] => {
            v.push(Violation::ServedTwice(id.to_string()));
            Some(i)
        }
        Some(&i) => {
            seen[i] = true;
            Some(i)
        }
    };
    // Oracles that estimate some legs (sparse road networks) answer every
    // leg the solution drives exactly from here on.
    let legs: Vec<(usize, usize)> = solution
        .routes
        .iter()
        .filter_map(|r| {
            let vt = problem.fleet.iter().find(|f| f.id == r.vehicle_type)?;
            let stops: Option<Vec<usize>> = std::iter::once(Some(vt.depot))
                .chain(
                    r.stops
                        .iter()
                        .map(|s| town_ix.get(s.town.as_str()).map(|&t| problem.town_location(t))),
                )
                .chain(std::iter::once(Some(vt.depot)))
                .collect();
            stops.map(|s| s.windows(2).map(|w| (w[0], w[1])).collect::<Vec<_>>())
        })
        .flatten()
        .collect();
    oracle.resolve_exact(&legs);
    let mut used = vec![0usize; problem.fleet.len()];
    let (mut cost, mut duration_total, mut routes) = (0i64, 0i64, 0usize);
    for (r, route) in solution.routes.iter().enumerate() {
        let Some(vt_ix) = problem.fleet.iter().position(|f| f.id == route.vehicle_type) else {
            v.push(Violation::UnknownVehicleType(route.vehicle_type.clone()));
            continue;
        };
        let vt = &problem.fleet[vt_ix];
        if problem.depots[vt.depot].id != route.depot {
            v.push(Violation::WrongDepot {
                route: r,
                depot: route.depot.clone(),
            });
        }
        let towns: Vec<usize> = route.stops.iter().filter_map(|s| mark(&s.town, &mut v)).collect();
        if route.stops.is_empty() {
            continue;
        }
        routes += 1;
        used[vt_ix] += 1;
        // Walk the route: depot, towns..., depot.
        let path: Vec<usize> = std::iter::once(vt.depot)
            .chain(towns.iter().map(|&t| problem.depots.len() + t))
            .chain(std::iter::once(vt.depot))
            .collect();
        // Saturating: unreachable legs are huge and a bad route may hold many.
        let distance = path
            .windows(2)
            .fold(0i64, |a, w| a.saturating_add(oracle.distance(w[0], w[1])));
        let load: u64 = towns.iter().map(|&t| u64::from(problem.towns[t].demand)).sum();
        if path.windows(2).any(|w| is_unreachable(oracle.distance(w[0], w[1]))) {
            v.push(Violation::UnreachableLeg { route: r });
        }
        if load > u64::from(vt.capacity) {
            v.push(Violation::Capacity {
                route: r,
                load,
                capacity: vt.capacity.into(),
            });
        }
        if let Some(limit) = vt.max_distance.filter(|&l| distance > l) {
            v.push(Violation::Distance {
                route: r,
                distance,
                limit,
            });
        }
        check_times((problem, oracle, vt), r, route, &towns, &path, &mut v);
        let duration = route.end_s.saturating_sub(route.start_s);
        if let Some(limit) = vt.max_duration.filter(|&l| duration > l) {
            v.push(Violation::Duration {
                route: r,
                duration_s: duration,
                limit,
            });
        }
        compare_figures(
            &mut v,
            &format!("route {r} "),
            [
                ("distance", route.distance, distance),
                ("duration_s", route.duration_s, duration),
                ("stop count", route.stops.len() as i64, towns.len() as i64),
                ("load", route.load as i64, load as i64),
            ],
        );
        cost = cost.saturating_add(distance);
        duration_total = duration_total.saturating_add(duration);
    }
    for u in &solution.unassigned {
        mark(&u.town, &mut v);
    }
    for (i, s) in seen.iter().enumerate() {
        if !s {
            v.push(Violation::Missing(problem.towns[i].id.clone()));
        }
    }
    for (i, vt) in problem.fleet.iter().enumerate() {
        if let Some(count) = vt.count.filter(|&c| used[i] > c as usize) {
            v.push(Violation::TooManyVehicles {
                vehicle_type: vt.id.clone(),
                used: used[i],
                available: count,
            });
        }
    }
    let t = &solution.totals;
    compare_figures(
        &mut v,
        "",
        [
            ("total distance", t.distance, cost),
            ("total duration_s", t.duration_s, duration_total),
            ("vehicles used", t.vehicles_used as i64, routes as i64),
        ],
    );
    ValidationReport {
        cost,
        routes,
        violations: v,
    }
}

/// Checks the stated times of a route stop by stop: every leg long enough
/// for its travel time, service inside an opening interval and no earlier
/// than the arrival, departures after the service, depot hours kept. The
/// route's duration is then its stated `end_s - start_s`.
fn check_times(
    (problem, oracle, vt): (&Problem, &dyn TravelOracle, &VehicleType),
    r: usize,
    route: &super::Route,
    towns: &[usize],
    path: &[usize],
    v: &mut Vec<Violation>,
) {
    let hours = problem.depots[vt.depot].hours;
    if route.start_s < hours.open || route.end_s > hours.close {
        v.push(Violation::OutsideDepotHours { route: r });
    }
    if towns.len() != route.stops.len() {
        return; // unknown towns were reported already
    }
    let mut ready = route.start_s;
    let impossible = |at: &str, v: &mut Vec<Violation>| {
        v.push(Violation::ImpossibleTimes {
            route: r,
            at: at.to_string(),
        })
    };
    for (k, (stop, &t)) in route.stops.iter().zip(towns).enumerate() {
        let town = &problem.towns[t];
        let travel = oracle.travel_time(vt, path[k], path[k + 1]);
        if stop.arrival_s < ready.saturating_add(travel)
            || stop.start_s < stop.arrival_s
            || stop.departure_s < stop.start_s.saturating_add(i64::from(town.service_time))
        {
            impossible(&town.id, v);
        }
        let open = town.windows.is_empty() || town.windows.iter().any(|w| (w.open..=w.close).contains(&stop.start_s));
        if !open {
            v.push(Violation::OutsideOpeningHours {
                route: r,
                town: town.id.clone(),
                start_s: stop.start_s,
            });
        }
        ready = stop.departure_s;
    }
    let back = oracle.travel_time(vt, path[path.len() - 2], path[path.len() - 1]);
    if route.end_s < ready.saturating_add(back) {
        impossible(&problem.depots[vt.depot].id, v);
    }
}

/// Records a [`Violation::WrongFigure`] for every (name, stated, recomputed)
/// triple that disagrees.
fn compare_figures<const N: usize>(v: &mut Vec<Violation>, prefix: &str, figures: [(&str, i64, i64); N]) {
    for (what, stated, actual) in figures {
        if stated != actual {
            v.push(Violation::WrongFigure {
                what: format!("{prefix}{what}"),
                stated,
                actual,
            });
        }
    }
}
