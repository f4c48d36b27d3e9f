//! The route rules in problem space: one evaluator every planner outside the
//! search uses (vehicle hand-out, the multi-day pricer, depot assignment,
//! scheduling), and one cheapest insertion built on it.
//!
//! A route is a vehicle type (index into [`Problem::fleet`]) and a sequence
//! of towns (indices into [`Problem::towns`]), driven from the type's depot
//! and back. [`evaluate`] walks it once with the one timing rule
//! ([`RouteClock`], see [`crate::model::timing`]) and reports its figures
//! and the first rule it breaks ([`Broken`]), checked in this order:
//!
//! 1. vehicle–town compatibility ([`crate::model::Town::allows_type`]);
//! 2. every leg reachable;
//! 3. capacity (total demand);
//! 4. the distance limit;
//! 5. opening hours (some service cannot start inside an interval);
//! 6. driver breaks (a window break that cannot start inside its window);
//! 7. depot hours (back after the depot closes);
//! 8. the shift limit (duration, service, waiting and breaks included).
//!
//! A vehicle type's break rules are driven by the clock
//! ([`RouteClock::with_breaks`]); [`evaluate_timed`] lists the breaks taken.
//!
//! The search prices the same rules on its own node arrays; the validator
//! (`solution::validate`) keeps its own independent checks.

mod insertion;

pub use insertion::{Insertion, cheapest_insertion};

use crate::distance::{TravelOracle, is_unreachable};
use crate::model::{Problem, RouteClock, RouteTimes, TakenBreak, VisitTimes};

/// The first rule a route breaks (see the module docs for the order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Broken {
    /// Town `town` (index into [`Problem::towns`]) does not allow the
    /// route's vehicle type.
    VehicleType {
        /// The first such town on the route.
        town: usize,
    },
    /// Some leg cannot be driven.
    Unreachable,
    /// Total demand above the vehicle's capacity.
    Capacity {
        /// Total demand.
        load: u64,
        /// The vehicle's capacity.
        capacity: u64,
    },
    /// Route distance above the vehicle's limit.
    Distance {
        /// Route distance.
        distance: i64,
        /// The limit.
        max_distance: i64,
    },
    /// Service at town `town` cannot start inside one of its opening intervals.
    OpeningHours {
        /// The first such town on the route.
        town: usize,
    },
    /// The vehicle is back after its depot closes.
    DepotHours {
        /// When it is back.
        end: i64,
        /// When the depot closes.
        close: i64,
    },
    /// A window break of the driver cannot start inside its window.
    Break {
        /// The town served when the break was missed (the route's last
        /// town if it was missed on the way back).
        town: usize,
    },
    /// Duration above the vehicle's shift.
    Shift {
        /// Route duration, seconds.
        duration_s: i64,
        /// The shift limit, seconds.
        max_duration_s: i64,
    },
}

/// A route's figures and verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Evaluation {
    /// Route distance (depot to depot).
    pub distance: i64,
    /// Total demand.
    pub load: u64,
    /// Leave, return and whether every time rule held.
    pub times: RouteTimes,
    /// The first rule broken, `None` if the route is feasible.
    pub broken: Option<Broken>,
}

impl Evaluation {
    /// Return minus leave, seconds.
    pub fn duration(&self) -> i64 {
        self.times.duration()
    }

    /// True if no rule is broken.
    pub fn is_feasible(&self) -> bool {
        self.broken.is_none()
    }
}

/// One stop of a timed route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StopTimes {
    /// Index into [`Problem::towns`].
    pub town: usize,
    /// Arrival, service start and departure.
    pub times: VisitTimes,
    /// Load on board after the delivery.
    pub load_after: u64,
}

/// Evaluates `towns` driven by vehicle type `v` from its depot and back.
pub fn evaluate(problem: &Problem, oracle: &dyn TravelOracle, v: usize, towns: &[usize]) -> Evaluation {
    walk(problem, oracle, v, towns, None, |_, _| {}, |_| {})
}

/// [`evaluate`], with the times and load of every stop.
pub fn evaluate_stops(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    v: usize,
    towns: &[usize],
) -> (Evaluation, Vec<StopTimes>) {
    let timed = evaluate_timed(problem, oracle, v, towns);
    (timed.evaluation, timed.stops)
}

/// A route timed stop by stop, with its driver's breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimedRoute {
    /// Figures and verdict.
    pub evaluation: Evaluation,
    /// Every stop's times and load.
    pub stops: Vec<StopTimes>,
    /// The breaks taken, in time order (empty for types without rules).
    pub breaks: Vec<TakenBreak>,
}

/// [`evaluate_stops`], with the breaks the clock placed.
pub fn evaluate_timed(problem: &Problem, oracle: &dyn TravelOracle, v: usize, towns: &[usize]) -> TimedRoute {
    let load: u64 = towns.iter().map(|&t| u64::from(problem.towns[t].demand)).sum();
    let mut on_board = load;
    let mut stops = Vec::with_capacity(towns.len());
    let mut breaks = Vec::new();
    // The clock chooses the departure (forward slack) only at the end: the
    // stops' times are those of a second walk leaving then.
    let first = walk(problem, oracle, v, towns, None, |_, _| {}, |_| {});
    let departure = first.times.on_time.then_some(first.times.start);
    let evaluation = walk(
        problem,
        oracle,
        v,
        towns,
        departure,
        |t, times| {
            on_board -= u64::from(problem.towns[t].demand);
            stops.push(StopTimes {
                town: t,
                times,
                load_after: on_board,
            });
        },
        |b| breaks.push(b),
    );
    TimedRoute {
        evaluation,
        stops,
        breaks,
    }
}

/// The one walk: distance, load and times stop by stop, then the verdict.
fn walk(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    v: usize,
    towns: &[usize],
    departure: Option<i64>,
    mut at_stop: impl FnMut(usize, VisitTimes),
    mut at_break: impl FnMut(TakenBreak),
) -> Evaluation {
    let vt = &problem.fleet[v];
    let depot = vt.depot;
    let hours = problem.depots[depot].hours;
    let mut clock = match departure {
        Some(at) => RouteClock::departing_at(hours, at),
        None => RouteClock::new(hours),
    }
    .with_breaks(&vt.breaks);
    let (mut distance, mut load, mut prev) = (0i64, 0u64, depot);
    let mut incompatible = None;
    let mut late = None;
    let mut missed = None;
    for &t in towns {
        let loc = problem.town_location(t);
        let town = &problem.towns[t];
        if incompatible.is_none() && !town.allows_type(v) {
            incompatible = Some(t);
        }
        distance = distance.saturating_add(oracle.distance(prev, loc));
        let times = clock.visit_noting(
            oracle.travel_time(vt, prev, loc),
            i64::from(town.service_time),
            &town.windows,
            &mut at_break,
        );
        if late.is_none() && !clock.services_on_time() {
            late = Some(t);
        }
        if missed.is_none() && !clock.breaks_kept() {
            missed = Some(t);
        }
        at_stop(t, times);
        load += u64::from(town.demand);
        prev = loc;
    }
    distance = distance.saturating_add(oracle.distance(prev, depot));
    let last = towns.last().copied().unwrap_or(0);
    let times = clock.finish_noting(oracle.travel_time(vt, prev, depot), &mut at_break);
    let missed = missed.or((!times.on_time && late.is_none() && times.end <= hours.close).then_some(last));
    let duration_s = times.duration();
    let broken = if let Some(town) = incompatible {
        Some(Broken::VehicleType { town })
    } else if is_unreachable(distance) {
        Some(Broken::Unreachable)
    } else if load > u64::from(vt.capacity) {
        Some(Broken::Capacity {
            load,
            capacity: vt.capacity.into(),
        })
    } else if let Some(max_distance) = vt.max_distance.filter(|&m| distance > m) {
        Some(Broken::Distance { distance, max_distance })
    } else if let Some(town) = late {
        Some(Broken::OpeningHours { town })
    } else if let Some(town) = missed {
        Some(Broken::Break { town })
    } else if !times.on_time {
        Some(Broken::DepotHours {
            end: times.end,
            close: hours.close,
        })
    } else {
        vt.max_duration
            .filter(|&m| duration_s > m)
            .map(|max_duration_s| Broken::Shift {
                duration_s,
                max_duration_s,
            })
    };
    Evaluation {
        distance,
        load,
        times,
        broken,
    }
}

#[cfg(test)]
mod tests;
