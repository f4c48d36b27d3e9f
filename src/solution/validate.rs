//! An independent check of a solution against its problem.
//!
//! Shares no code with the solver's cost bookkeeping: it walks every route
//! from the ids in the solution, recomputes distance, duration and load from
//! the oracle, and compares with the limits and with what the solution claims.

mod reasons;

pub(crate) use reasons::{Derived, check_reasons, derive_reason, judge_reason};

use super::{Solution, UnassignedReason};
use crate::distance::{TravelOracle, is_unreachable};
use crate::model::{BreakRule, Problem, VehicleType};
use crate::text::escape;

/// One thing wrong with a solution.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Violation {
    /// A route names a vehicle type the problem does not have.
    UnknownVehicleType(String),
    /// A route states another end than its vehicle type's (`end_depot`,
    /// `open`).
    WrongEnd {
        /// Route index.
        route: usize,
    },
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
    /// Load on board above capacity somewhere on the route.
    Capacity {
        /// Route index.
        route: usize,
        /// The capacity dimension (0 = `demand` and `capacity`).
        dimension: usize,
        /// The largest load on board (leaving the depot, or after a pickup).
        load: u64,
        /// Capacity.
        capacity: u64,
    },
    /// The problem wants every delivery before any pickup, and the route
    /// serves a town with a delivery after one with a pickup (or starts
    /// with a pickup).
    PickupOrder {
        /// Route index.
        route: usize,
        /// The offending town.
        town: String,
    },
    /// A reload the route cannot make: at an unknown depot, out of order,
    /// not between two stops, or more reloads than the type allows.
    BadReload {
        /// Route index.
        route: usize,
        /// What is wrong.
        why: String,
    },
    /// A reload at a depot that is not among the vehicle type's reload
    /// depots (a type without any may not reload at all). The route is
    /// still measured through that depot, as driven.
    ReloadNotAllowed {
        /// Route index.
        route: usize,
        /// The depot of the reload.
        depot: String,
        /// Vehicle type id.
        vehicle_type: String,
        /// The depots the type may reload at (ids; empty: none).
        reload_depots: Vec<String>,
    },
    /// A trip leaves its depot before the goods of one of its towns are
    /// released there.
    BeforeRelease {
        /// Route index.
        route: usize,
        /// The town.
        town: String,
        /// When the trip leaves, seconds.
        departure_s: i64,
        /// The town's release time, seconds.
        release_s: i64,
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
    /// More towns on a route than its vehicle type's `max_stops`.
    TooManyStops {
        /// Route index.
        route: usize,
        /// Towns on the route.
        stops: usize,
        /// Limit.
        limit: u32,
    },
    /// The route leaves before its vehicle type's shift starts or is back
    /// after it ends.
    OutsideShift {
        /// Route index.
        route: usize,
        /// When the shift starts, seconds.
        start_s: i64,
        /// When it ends, seconds.
        end_s: i64,
    },
    /// Route lasts longer than the shift (with its overtime allowance).
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
    /// More continuous driving than the vehicle type's driving rule allows
    /// (time on a leg outside the stated breaks counts as driving; a break
    /// or a wait at a town of the rule's length resets the count).
    DrivingWithoutBreak {
        /// Route index.
        route: usize,
        /// Where the leg driven too long ends (town or depot id).
        at: String,
        /// Continuous driving by then, seconds.
        driving_s: i64,
        /// The rule's limit, seconds.
        max_driving_s: i64,
    },
    /// The route states more breaks than a route may take
    /// ([`crate::model::timing::MAX_BREAKS_PER_ROUTE`]).
    TooManyBreaks {
        /// Route index.
        route: usize,
        /// Breaks stated.
        breaks: usize,
        /// The most a route may take.
        max_breaks: u32,
    },
    /// No stated break starts inside a break window the vehicle was out for.
    MissingBreak {
        /// Route index.
        route: usize,
        /// The window's opening, seconds.
        open_s: i64,
        /// The window's close, seconds.
        close_s: i64,
    },
    /// The break stated in a break window is shorter than the rule asks.
    BreakTooShort {
        /// Route index.
        route: usize,
        /// Stated start of the break, seconds.
        start_s: i64,
        /// Its length, seconds.
        length_s: i64,
        /// The rule's length, seconds.
        required_s: i64,
    },
    /// A stated break lies neither inside a leg nor inside a wait at a town
    /// (it overlaps a service, another break or the route's ends), or ends
    /// before it starts.
    MisplacedBreak {
        /// Route index.
        route: usize,
        /// Stated start of the break, seconds.
        start_s: i64,
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
    /// A money cost the solution states differs from the recomputed one
    /// (by more than a millionth, relative).
    WrongCost {
        /// Which cost ("route 3 cost", "total cost").
        what: String,
        /// Stated value.
        stated: f64,
        /// Recomputed value.
        actual: f64,
    },
    /// A route names a vehicle number its type does not have (numbers run
    /// from 0 to count − 1).
    NoSuchVehicle {
        /// Route index.
        route: usize,
        /// Vehicle type id.
        vehicle_type: String,
        /// The number stated.
        vehicle: u32,
    },
    /// A town is served by a vehicle type it does not allow.
    VehicleNotAllowed {
        /// Route index.
        route: usize,
        /// Town id.
        town: String,
        /// Vehicle type id.
        vehicle_type: String,
    },
    /// Two routes name the same vehicle.
    VehicleTwice {
        /// Vehicle type id.
        vehicle_type: String,
        /// The vehicle number.
        vehicle: u32,
    },
    /// An unassigned town's reason is not what the problem says.
    WrongReason {
        /// Town id.
        town: String,
        /// The reason stated.
        stated: UnassignedReason,
        /// The reason the problem gives (recomputed independently).
        expected: UnassignedReason,
    },
    /// A town listed unassigned could be served alone by a vehicle no
    /// route uses.
    ServableButUnassigned {
        /// Town id.
        town: String,
        /// A vehicle type with an unused vehicle that can serve it.
        vehicle_type: String,
    },
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Violation::UnknownVehicleType(v) => write!(f, "unknown vehicle type '{}'", escape(v)),
            Violation::WrongEnd { route } => {
                write!(f, "route {route}: its end (end_depot, open) is not its vehicle type's")
            }
            Violation::WrongDepot { route, depot } => {
                write!(f, "route {route}: depot '{}' is not the vehicle's home", escape(depot))
            }
            Violation::UnknownTown(t) => write!(f, "unknown town '{}'", escape(t)),
            Violation::ServedTwice(t) => write!(f, "town '{}' appears more than once", escape(t)),
            Violation::Missing(t) => write!(f, "town '{}' is neither served nor reported unassigned", escape(t)),
            Violation::Capacity {
                route,
                dimension: 0,
                load,
                capacity,
            } => {
                write!(f, "route {route}: load {load} exceeds capacity {capacity}")
            }
            Violation::Capacity {
                route,
                dimension,
                load,
                capacity,
            } => write!(
                f,
                "route {route}: load {load} exceeds capacity {capacity} in capacity dimension {dimension}"
            ),
            Violation::PickupOrder { route, town } => write!(
                f,
                "route {route}: town '{}' breaks deliveries-before-pickups (a delivery after a pickup, or a route starting with a pickup)",
                escape(town)
            ),
            Violation::BadReload { route, why } => write!(f, "route {route}: reload {why}"),
            Violation::ReloadNotAllowed {
                route,
                depot,
                vehicle_type,
                reload_depots,
            } => {
                write!(
                    f,
                    "route {route}: reload at depot '{}', but vehicle type '{}' may not reload ",
                    escape(depot),
                    escape(vehicle_type)
                )?;
                if reload_depots.is_empty() {
                    write!(f, "at all (it has no reload depots)")
                } else {
                    let ids: Vec<String> = reload_depots.iter().map(|d| format!("'{}'", escape(d))).collect();
                    write!(f, "there (its reload depots: {})", ids.join(", "))
                }
            }
            Violation::BeforeRelease {
                route,
                town,
                departure_s,
                release_s,
            } => write!(
                f,
                "route {route}: the trip serving '{}' leaves at {departure_s} s, before its goods are released at {release_s} s",
                escape(town)
            ),
            Violation::Distance { route, distance, limit } => {
                write!(f, "route {route}: distance {distance} exceeds limit {limit}")
            }
            Violation::Duration {
                route,
                duration_s,
                limit,
            } => write!(f, "route {route}: duration {duration_s} s exceeds shift {limit} s"),
            Violation::TooManyStops { route, stops, limit } => {
                write!(f, "route {route}: {stops} stops exceed the type's max_stops {limit}")
            }
            Violation::OutsideShift { route, start_s, end_s } => write!(
                f,
                "route {route}: works outside its vehicle type's shift {start_s}..{end_s} s"
            ),
            Violation::UnreachableLeg { route } => write!(f, "route {route}: a leg is unreachable"),
            Violation::TooManyVehicles {
                vehicle_type,
                used,
                available,
            } => write!(
                f,
                "vehicle type '{}': {used} routes but {available} vehicles",
                escape(vehicle_type)
            ),
            Violation::OutsideOpeningHours { route, town, start_s } => {
                write!(
                    f,
                    "route {route}: service at '{}' starts at {start_s} s, outside its opening hours",
                    escape(town)
                )
            }
            Violation::OutsideDepotHours { route } => {
                write!(
                    f,
                    "route {route}: leaves before the depot opens or returns after it closes"
                )
            }
            Violation::ImpossibleTimes { route, at } => {
                write!(
                    f,
                    "route {route}: the times stated at '{}' cannot be driven",
                    escape(at)
                )
            }
            Violation::DrivingWithoutBreak {
                route,
                at,
                driving_s,
                max_driving_s,
            } => write!(
                f,
                "route {route}: {driving_s} s of driving without a break by '{}', above the {max_driving_s} s allowed",
                escape(at)
            ),
            Violation::TooManyBreaks {
                route,
                breaks,
                max_breaks,
            } => write!(
                f,
                "route {route}: {breaks} breaks, more than the {max_breaks} a route may take"
            ),
            Violation::MissingBreak { route, open_s, close_s } => {
                write!(
                    f,
                    "route {route}: no break starts in the break window {open_s}-{close_s} s"
                )
            }
            Violation::BreakTooShort {
                route,
                start_s,
                length_s,
                required_s,
            } => write!(
                f,
                "route {route}: the break at {start_s} s lasts {length_s} s, shorter than the {required_s} s required"
            ),
            Violation::MisplacedBreak { route, start_s } => write!(
                f,
                "route {route}: the break at {start_s} s is not inside a leg or a wait"
            ),
            Violation::WrongFigure { what, stated, actual } => {
                write!(f, "{}: stated {stated}, recomputed {actual}", escape(what))
            }
            Violation::WrongCost { what, stated, actual } => {
                write!(f, "{}: stated {stated}, recomputed {actual}", escape(what))
            }
            Violation::VehicleNotAllowed {
                route,
                town,
                vehicle_type,
            } => write!(
                f,
                "route {route}: town '{}' does not allow vehicle type '{}'",
                escape(town),
                escape(vehicle_type)
            ),
            Violation::NoSuchVehicle {
                route,
                vehicle_type,
                vehicle,
            } => write!(
                f,
                "route {route}: vehicle type '{}' has no vehicle {vehicle}",
                escape(vehicle_type)
            ),
            Violation::VehicleTwice { vehicle_type, vehicle } => write!(
                f,
                "vehicle {vehicle} of type '{}' drives more than one route",
                escape(vehicle_type)
            ),
            Violation::WrongReason { town, stated, expected } => write!(
                f,
                "town '{}': stated reason \"{stated}\" is not true; the problem gives \"{expected}\"",
                escape(town)
            ),
            Violation::ServableButUnassigned { town, vehicle_type } => write!(
                f,
                "town '{}' is reported unassigned, but an unused vehicle of type '{}' can serve it",
                escape(town),
                escape(vehicle_type)
            ),
        }
    }
}

/// What the validator found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValidationReport {
    /// Total distance recomputed from the routes.
    pub cost: i64,
    /// Total money cost recomputed from the routes (fixed, per km and per
    /// hour costs of their vehicle types).
    pub money: f64,
    /// Prizes of the optional towns listed unassigned, recomputed (each
    /// town once).
    pub prizes_missed: f64,
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
                .chain(vt.end_depot().map(Some))
                .collect();
            let mut stops = stops?;
            // Reload visits (in reverse, so positions stay right).
            for x in r.reloads.iter().rev() {
                if let Some(d) = problem.depot_index(&x.depot)
                    && x.before_stop < r.stops.len()
                {
                    stops.insert(x.before_stop + 1, d);
                }
            }
            Some(stops.windows(2).map(|w| (w[0], w[1])).collect::<Vec<_>>())
        })
        .flatten()
        .collect();
    oracle.resolve_exact(&legs);
    let mut used = vec![0usize; problem.fleet.len()];
    let mut vehicles_seen = std::collections::HashSet::new();
    let (mut cost, mut duration_total, mut routes, mut served) = (0i64, 0i64, 0usize, 0usize);
    let mut money = 0.0f64;
    for (r, route) in solution.routes.iter().enumerate() {
        let Some(vt_ix) = problem.fleet.iter().position(|f| f.id == route.vehicle_type) else {
            v.push(Violation::UnknownVehicleType(route.vehicle_type.clone()));
            continue;
        };
        let vt = &problem.fleet[vt_ix];
        if vt.count.is_some_and(|c| route.vehicle >= c) {
            v.push(Violation::NoSuchVehicle {
                route: r,
                vehicle_type: vt.id.clone(),
                vehicle: route.vehicle,
            });
        } else if !vehicles_seen.insert((vt_ix, route.vehicle)) {
            v.push(Violation::VehicleTwice {
                vehicle_type: vt.id.clone(),
                vehicle: route.vehicle,
            });
        }
        if problem.depots[vt.depot].id != route.depot {
            v.push(Violation::WrongDepot {
                route: r,
                depot: route.depot.clone(),
            });
        }
        let stated_end = match (&route.end_depot, route.open) {
            (_, true) => None,
            (Some(id), false) => Some(id.as_str()),
            (None, false) => Some(route.depot.as_str()),
        };
        if stated_end != vt.end_depot().map(|e| problem.depots[e].id.as_str())
            || (route.open && route.end_depot.is_some())
        {
            v.push(Violation::WrongEnd { route: r });
        }
        let towns: Vec<usize> = route.stops.iter().filter_map(|s| mark(&s.town, &mut v)).collect();
        for &t in &towns {
            let town = &problem.towns[t];
            if !town.allowed_types.is_empty() && !town.allowed_types.contains(&vt_ix) {
                v.push(Violation::VehicleNotAllowed {
                    route: r,
                    town: town.id.clone(),
                    vehicle_type: vt.id.clone(),
                });
            }
        }
        if route.stops.is_empty() {
            continue;
        }
        routes += 1;
        used[vt_ix] += 1;
        // Reloads: known depots the type may reload at, strictly between
        // stops, in order, within the type's count.
        // (before stop, depot, index in `route.reloads`): entries refused
        // below are left out, so times are looked up by the kept index; a
        // reload at a depot the type may not use is reported but kept, so
        // the route is measured as driven.
        let mut reloads: Vec<(usize, usize, usize)> = Vec::with_capacity(route.reloads.len());
        for (i, x) in route.reloads.iter().enumerate() {
            if let Some(d) = problem.depot_index(&x.depot)
                && !vt.reload_depots.contains(&d)
            {
                v.push(Violation::ReloadNotAllowed {
                    route: r,
                    depot: x.depot.clone(),
                    vehicle_type: vt.id.clone(),
                    reload_depots: vt
                        .reload_depots
                        .iter()
                        .filter_map(|&d| problem.depots.get(d).map(|x| x.id.clone()))
                        .collect(),
                });
            }
            let why = match problem.depot_index(&x.depot) {
                None => Some(format!("at unknown depot '{}'", escape(&x.depot))),
                Some(_) if x.before_stop == 0 || x.before_stop >= route.stops.len() => {
                    Some(format!("before stop {}: not between two stops", x.before_stop))
                }
                Some(_) if reloads.last().is_some_and(|&(b, _, _)| b >= x.before_stop) => {
                    Some(format!("before stop {}: out of order", x.before_stop))
                }
                Some(d) => {
                    reloads.push((x.before_stop, d, i));
                    None
                }
            };
            if let Some(why) = why {
                v.push(Violation::BadReload { route: r, why });
            }
        }
        if vt.max_reloads.is_some_and(|m| route.reloads.len() > m as usize) {
            v.push(Violation::BadReload {
                route: r,
                why: format!(
                    "count {} above the type's limit {}",
                    route.reloads.len(),
                    vt.max_reloads.unwrap_or(0)
                ),
            });
        }
        if towns.len() != route.stops.len() {
            reloads.clear(); // unknown towns were reported: stop positions are off
        }
        // Walk the route: depot, towns (with the reload depots)..., depot.
        let mut path: Vec<usize> = vec![vt.depot];
        for (k, &t) in towns.iter().enumerate() {
            if let Some(&(_, d, _)) = reloads.iter().find(|&&(b, _, _)| b == k) {
                path.push(d);
            }
            path.push(problem.depots.len() + t);
        }
        path.extend(vt.end_depot());
        // Saturating: unreachable legs are huge and a bad route may hold many.
        let distance = path
            .windows(2)
            .fold(0i64, |a, w| a.saturating_add(oracle.distance(w[0], w[1])));
        let load: u64 = towns.iter().map(|&t| u64::from(problem.towns[t].demand)).sum();
        let pickup: u64 = towns.iter().map(|&t| u64::from(problem.towns[t].pickup)).sum();
        if path.windows(2).any(|w| is_unreachable(oracle.distance(w[0], w[1]))) {
            v.push(Violation::UnreachableLeg { route: r });
        }
        // Trips: the towns between reloads.
        let mut bounds: Vec<usize> = std::iter::once(0).chain(reloads.iter().map(|&(b, _, _)| b)).collect();
        bounds.push(towns.len());
        let mut on_board_after = Vec::with_capacity(towns.len());
        let mut peak = 0;
        // The same walk in every capacity dimension after the first.
        for (d, &capacity) in vt.extra_capacity.iter().enumerate() {
            let amount = |t: usize, pick: bool| {
                let town = &problem.towns[t];
                u64::from(
                    *if pick { &town.extra_pickup } else { &town.extra_demand }
                        .get(d)
                        .unwrap_or(&0),
                )
            };
            let mut most = 0;
            for w in bounds.windows(2) {
                let trip_towns = &towns[w[0]..w[1]];
                let mut on_board: u64 = trip_towns.iter().map(|&t| amount(t, false)).sum();
                most = most.max(on_board);
                for &t in trip_towns {
                    on_board = on_board - amount(t, false) + amount(t, true);
                    most = most.max(on_board);
                }
            }
            if most > u64::from(capacity) {
                v.push(Violation::Capacity {
                    route: r,
                    dimension: d + 1,
                    load: most,
                    capacity: capacity.into(),
                });
            }
        }
        for (trip, w) in bounds.windows(2).enumerate() {
            let trip_towns = &towns[w[0]..w[1]];
            // The load on board at every point: the trip's deliveries leave
            // with the van, each stop drops its delivery and takes on its pickup.
            let mut on_board: u64 = trip_towns.iter().map(|&t| u64::from(problem.towns[t].demand)).sum();
            peak = peak.max(on_board);
            for &t in trip_towns {
                let town = &problem.towns[t];
                on_board = on_board - u64::from(town.demand) + u64::from(town.pickup);
                peak = peak.max(on_board);
                on_board_after.push(on_board);
            }
            if problem.pickup_order == crate::model::PickupOrder::DeliveriesFirst {
                let mut picked = false;
                for (k, &t) in trip_towns.iter().enumerate() {
                    let town = &problem.towns[t];
                    // A town delivers or collects in any of its dimensions.
                    let delivers = town.demand > 0 || town.extra_demand.iter().any(|&x| x > 0);
                    let collects = town.pickup > 0 || town.extra_pickup.iter().any(|&x| x > 0);
                    if (delivers && picked) || (k == 0 && collects) {
                        v.push(Violation::PickupOrder {
                            route: r,
                            town: town.id.clone(),
                        });
                        break;
                    }
                    picked |= collects;
                }
            }
            // The trip leaves when its goods are all at the depot.
            if towns.len() == route.stops.len() {
                let leaves = if trip == 0 {
                    route.start_s
                } else {
                    route.reloads[reloads[trip - 1].2].departure_s
                };
                if let Some(&t) = trip_towns.iter().max_by_key(|&&t| problem.towns[t].release)
                    && leaves < problem.towns[t].release
                {
                    v.push(Violation::BeforeRelease {
                        route: r,
                        town: problem.towns[t].id.clone(),
                        departure_s: leaves,
                        release_s: problem.towns[t].release,
                    });
                }
            }
        }
        if peak > u64::from(vt.capacity) {
            v.push(Violation::Capacity {
                route: r,
                dimension: 0,
                load: peak,
                capacity: vt.capacity.into(),
            });
        }
        if let Some(limit) = vt.max_stops.filter(|&l| towns.len() > l as usize) {
            v.push(Violation::TooManyStops {
                route: r,
                stops: towns.len(),
                limit,
            });
        }
        if let Some(limit) = vt.max_distance.filter(|&l| distance > l) {
            v.push(Violation::Distance {
                route: r,
                distance,
                limit,
            });
        }
        check_times((problem, oracle, vt), r, route, &towns, &reloads, &mut v);
        let duration = route.end_s.saturating_sub(route.start_s);
        // Overtime, when the type allows some, lengthens the shift (and costs).
        let limit = vt.max_duration.map(|l| l.saturating_add(vt.max_overtime));
        if let Some(limit) = limit.filter(|&l| duration > l) {
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
                ("pickup", route.pickup as i64, pickup as i64),
            ],
        );
        // The demand stated per capacity dimension, when stated.
        if !route.loads.is_empty() && towns.len() == route.stops.len() {
            for (d, &stated) in route.loads.iter().enumerate() {
                let actual: u64 = towns
                    .iter()
                    .map(|&t| {
                        let town = &problem.towns[t];
                        u64::from(if d == 0 {
                            town.demand
                        } else {
                            *town.extra_demand.get(d - 1).unwrap_or(&0)
                        })
                    })
                    .sum();
                if stated != actual {
                    v.push(Violation::WrongFigure {
                        what: format!("route {r} loads[{d}]"),
                        stated: stated as i64,
                        actual: actual as i64,
                    });
                }
            }
        }
        if towns.len() == route.stops.len() {
            // What is still on board after each drop.
            for (stop, &on_board) in route.stops.iter().zip(&on_board_after) {
                if stop.load_after != on_board {
                    v.push(Violation::WrongFigure {
                        what: format!("route {r} load_after at '{}'", stop.town),
                        stated: stop.load_after as i64,
                        actual: on_board as i64,
                    });
                }
            }
        }
        let route_money = vt.fixed_cost as f64
            + vt.cost_per_km * distance as f64 / 1000.0
            + vt.cost_per_hour * duration as f64 / 3600.0
            + vt.max_duration.map_or(0.0, |regular| {
                vt.cost_per_overtime_hour * (duration - regular).max(0) as f64 / 3600.0
            });
        compare_cost(&mut v, format!("route {r} cost"), route.cost, route_money);
        money += route_money;
        cost = cost.saturating_add(distance);
        duration_total = duration_total.saturating_add(duration);
        served += route.stops.len();
    }
    let mut unassigned = Vec::with_capacity(solution.unassigned.len());
    for u in &solution.unassigned {
        if let Some(t) = mark(&u.town, &mut v) {
            unassigned.push((t, &u.reason));
        }
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
            ("towns served", t.towns_served as i64, served as i64),
            (
                "towns unassigned",
                t.towns_unassigned as i64,
                solution.unassigned.len() as i64,
            ),
        ],
    );
    compare_cost(&mut v, "total cost".into(), t.cost, money);
    // Each town once: duplicates were reported above.
    let mut listed = vec![false; problem.towns.len()];
    let mut missed = 0.0;
    for &(t, _) in &unassigned {
        if !std::mem::replace(&mut listed[t], true) {
            missed += problem.towns[t].prize.unwrap_or(0.0);
        }
    }
    compare_cost(&mut v, "prizes missed".into(), t.prizes_missed, missed);
    // Towns listed twice were reported already; check each reason once.
    unassigned.sort_by_key(|&(t, _)| t);
    unassigned.dedup_by_key(|&mut (t, _)| t);
    check_reasons(problem, oracle, &used, &unassigned, &mut v);
    ValidationReport {
        cost,
        money,
        prizes_missed: missed,
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
    reloads: &[(usize, usize, usize)],
    v: &mut Vec<Violation>,
) {
    // Leaving the home depot while it is open, back at the end depot (if
    // any) before it closes.
    let open = problem.depots[vt.depot].hours.open;
    let close = vt.end_depot().map_or(i64::MAX, |e| problem.depots[e].hours.close);
    if route.start_s < open || route.end_s > close {
        v.push(Violation::OutsideDepotHours { route: r });
    }
    let shift = vt.shift;
    if route.start_s < shift.open || route.end_s > shift.close {
        v.push(Violation::OutsideShift {
            route: r,
            start_s: shift.open,
            end_s: shift.close,
        });
    }
    if towns.len() != route.stops.len() {
        return; // unknown towns were reported already
    }
    let mut ready = route.start_s;
    let mut at = vt.depot;
    let impossible = |at: &str, v: &mut Vec<Violation>| {
        v.push(Violation::ImpossibleTimes {
            route: r,
            at: at.to_string(),
        })
    };
    // Stated breaks, by start: those inside a leg lengthen it.
    let mut breaks: Vec<(i64, i64)> = route.breaks.iter().map(|b| (b.start_s, b.end_s)).collect();
    breaks.sort_unstable();
    let within = |from: i64, to: i64| -> i64 {
        breaks
            .iter()
            .filter(|&&(s, e)| from <= s && e <= to)
            .fold(0i64, |a, &(s, e)| a.saturating_add(e - s))
    };
    for (k, (stop, &t)) in route.stops.iter().zip(towns).enumerate() {
        if let Some(&(_, d, i)) = reloads.iter().find(|&&(b, _, _)| b == k) {
            // Back to the depot, reload, leave again.
            let times = &route.reloads[i];
            let depot = &problem.depots[d];
            if times.arrival_s
                < ready
                    .saturating_add(oracle.travel_time(vt, at, d))
                    .saturating_add(within(ready, times.arrival_s))
                || times.departure_s < times.arrival_s.max(depot.hours.open).saturating_add(vt.reload_time)
            {
                impossible(&depot.id, v);
            }
            if times.arrival_s > depot.hours.close {
                v.push(Violation::OutsideDepotHours { route: r });
            }
            (ready, at) = (times.departure_s, d);
        }
        let town = &problem.towns[t];
        let loc = problem.town_location(t);
        let travel = oracle
            .travel_time(vt, at, loc)
            .saturating_add(within(ready, stop.arrival_s));
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
        (ready, at) = (stop.departure_s, loc);
    }
    // The leg to the end depot; an open route ends with its last departure
    // (or after a break the driver takes then).
    let (back, end_id) = match vt.end_depot() {
        Some(e) => (oracle.travel_time(vt, at, e), problem.depots[e].id.as_str()),
        None => (0, "the last stop"),
    };
    let back = back.saturating_add(within(ready, route.end_s));
    if route.end_s < ready.saturating_add(back) {
        impossible(end_id, v);
    }
    if !breaks.is_empty() || !vt.breaks.is_empty() {
        check_breaks((problem, vt), r, route, &breaks, (towns, reloads), v);
    }
}

/// Checks the stated breaks of a route against its type's rules, on the
/// stated times alone: every break inside a leg or a wait and apart from
/// the others; no more continuous driving than the driving rule allows
/// (time on a leg outside the stated breaks counts as driving; a break or a
/// wait at a town of at least the rule's length resets the count, service
/// does not); and for every window rule whose window opens while the
/// vehicle is out (`start_s <= open < end_s`), a break of at least its
/// length starting inside the window. `breaks`: `(start, end)`, sorted.
fn check_breaks(
    (problem, vt): (&Problem, &VehicleType),
    r: usize,
    route: &super::Route,
    breaks: &[(i64, i64)],
    (towns, reloads): (&[usize], &[(usize, usize, usize)]),
    v: &mut Vec<Violation>,
) {
    let max_breaks = crate::model::timing::MAX_BREAKS_PER_ROUTE;
    if breaks.len() > max_breaks as usize {
        // Nothing further is worth checking (nor costs unbounded work).
        v.push(Violation::TooManyBreaks {
            route: r,
            breaks: breaks.len(),
            max_breaks,
        });
        return;
    }
    // Legs and waits: the spans a break may lie in.
    let mut spans = Vec::with_capacity(2 * route.stops.len() + 1);
    let mut ready = route.start_s;
    for stop in &route.stops {
        spans.push((ready, stop.arrival_s));
        spans.push((stop.arrival_s, stop.start_s));
        ready = stop.departure_s;
    }
    spans.push((ready, route.end_s));
    let mut prev_end = i64::MIN;
    for &(s, e) in breaks {
        let inside = spans.iter().any(|&(a, b)| a <= s && e <= b);
        if e <= s || s < prev_end || !inside {
            v.push(Violation::MisplacedBreak { route: r, start_s: s });
        }
        prev_end = prev_end.max(e);
    }
    for rule in &vt.breaks {
        if let BreakRule::Window { length_s, window } = *rule {
            if !(route.start_s <= window.open && window.open < route.end_s) {
                continue;
            }
            let mut starting = breaks
                .iter()
                .filter(|&&(s, _)| (window.open..=window.close).contains(&s));
            match starting.clone().find(|&&(s, e)| e - s >= length_s) {
                Some(_) => {}
                None => match starting.next() {
                    Some(&(s, e)) => v.push(Violation::BreakTooShort {
                        route: r,
                        start_s: s,
                        length_s: e - s,
                        required_s: length_s,
                    }),
                    None => v.push(Violation::MissingBreak {
                        route: r,
                        open_s: window.open,
                        close_s: window.close,
                    }),
                },
            }
        }
    }
    let Some((max_driving_s, rest)) = vt.breaks.iter().find_map(|b| match *b {
        BreakRule::Driving {
            max_driving_s,
            length_s,
        } => Some((max_driving_s, length_s)),
        BreakRule::Window { .. } => None,
    }) else {
        return;
    };
    // Walk the legs: driving between breaks, reset by long enough rests.
    let mut driving = 0i64;
    let mut ready = route.start_s;
    // Where each leg ends: a stop (its service start and departure), a
    // reload (the time there beyond the reload itself is a wait), the depot.
    let mut ends = Vec::with_capacity(route.stops.len() + reloads.len() + 1);
    for (k, (s, &t)) in route.stops.iter().zip(towns).enumerate() {
        for &(_, d, i) in reloads.iter().filter(|&&(b, _, _)| b == k) {
            let at = &route.reloads[i];
            let waits_from = at.departure_s.saturating_sub(vt.reload_time);
            ends.push((
                at.arrival_s,
                Some((waits_from, at.departure_s)),
                problem.depots[d].id.as_str(),
            ));
        }
        ends.push((
            s.arrival_s,
            Some((s.start_s, s.departure_s)),
            problem.towns[t].id.as_str(),
        ));
    }
    let end_id = vt
        .end_depot()
        .map_or("the last stop", |e| problem.depots[e].id.as_str());
    ends.push((route.end_s, None, end_id));
    for (arrival, stop, at) in ends {
        let mut cursor = ready;
        for &(s, e) in breaks.iter().filter(|&&(s, e)| ready <= s && e <= arrival) {
            driving = driving.saturating_add((s - cursor).max(0));
            if driving > max_driving_s {
                break;
            }
            if e - s >= rest {
                driving = 0;
            }
            cursor = cursor.max(e);
        }
        if driving <= max_driving_s {
            driving = driving.saturating_add((arrival - cursor).max(0));
        }
        if driving > max_driving_s {
            v.push(Violation::DrivingWithoutBreak {
                route: r,
                at: at.to_string(),
                driving_s: driving,
                max_driving_s,
            });
            return;
        }
        if let Some((start, departure)) = stop {
            if start - arrival >= rest {
                driving = 0;
            }
            ready = departure;
        }
    }
}

/// True when a stated money cost equals the recomputed one up to float
/// rounding (a millionth, relative, of at least 1).
pub(crate) fn costs_agree(stated: f64, actual: f64) -> bool {
    (stated - actual).abs() <= 1e-6 * actual.abs().max(1.0)
}

/// Records a [`Violation::WrongCost`] if `stated` is off by more than a
/// millionth of the recomputed cost (costs are sums of floats).
fn compare_cost(v: &mut Vec<Violation>, what: String, stated: f64, actual: f64) {
    if !costs_agree(stated, actual) {
        v.push(Violation::WrongCost { what, stated, actual });
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
