//! The route rules in problem space: one evaluator every planner outside the
//! search uses (vehicle hand-out, the multi-day pricer, depot assignment,
//! scheduling), and one cheapest insertion built on it.
//!
//! A route is a vehicle type (index into [`Problem::fleet`]) and a sequence
//! of towns (indices into [`Problem::towns`]), driven from the type's depot
//! to its end depot (the same one unless the type says otherwise; none for
//! open routes, which end at the last stop). [`evaluate`] walks it once with the one timing rule
//! ([`RouteClock`], see [`crate::model::timing`]) and reports its figures
//! and the first rule it breaks ([`Broken`]), checked in this order:
//!
//! 1. vehicle–town compatibility ([`crate::model::Town::allows_type`]);
//! 2. every leg reachable;
//! 3. the load rule ([`crate::model::load`]): the pickup order, then the
//!    peak load on board against the capacity (total demand without pickups);
//! 4. the most stops per route, then the distance limit;
//! 5. opening hours (some service cannot start inside an interval);
//! 6. driver breaks (a window break that cannot start inside its window);
//! 7. working hours (back after the depot closes or the type's shift ends:
//!    [`crate::model::Problem::working_hours`]);
//! 8. the shift limit (duration, service, waiting and breaks included; the
//!    type's overtime allowance on top: [`crate::model::VehicleType::duration_limit`]).
//!
//! A vehicle type's break rules are driven by the clock
//! ([`RouteClock::with_breaks`]); [`evaluate_timed`] lists the breaks taken.
//!
//! The search prices the same rules on its own node arrays; the validator
//! (`solution::validate`) keeps its own independent checks.

mod insertion;

pub use insertion::{Insertion, cheapest_insertion};

use crate::distance::{TravelOracle, is_unreachable};
use crate::model::{
    LoadProfile, Problem, RouteClock, RouteTimes, TakenBreak, VisitTimes, Window, shortest_schedule,
    shortest_with_breaks,
};

/// One vehicle's ordered towns (indices into [`Problem::towns`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedRoute {
    /// Index into [`Problem::fleet`].
    pub vehicle_type: usize,
    /// Town indices in visiting order.
    pub towns: Vec<usize>,
    /// Multi-trip routes: where the vehicle goes back to reload, in order
    /// (empty = one trip).
    pub reloads: Vec<Reload>,
}

/// A return to a depot to reload within one route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reload {
    /// The vehicle reloads before `towns[before]` (`0 < before < towns.len()`).
    pub before: usize,
    /// Index into [`Problem::depots`].
    pub depot: usize,
}

impl PlannedRoute {
    /// A one-trip route.
    pub fn new(vehicle_type: usize, towns: Vec<usize>) -> PlannedRoute {
        PlannedRoute {
            vehicle_type,
            towns,
            reloads: Vec::new(),
        }
    }
}

/// The first rule a route breaks (see the module docs for the order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Broken {
    /// Town `town` (index into [`Problem::towns`]) does not allow the
    /// route's vehicle type.
    VehicleType {
        /// The first such town on the route.
        town: usize,
    },
    /// A reload at a depot the vehicle type may not reload at (driven all
    /// the same), out of order or position, or more reloads than the type
    /// allows.
    Reloads,
    /// Some leg cannot be driven.
    Unreachable,
    /// A delivery after a pickup, or a route starting with a pickup, where
    /// the problem wants deliveries first (backhauls).
    PickupOrder,
    /// The load on board above the vehicle's capacity somewhere on the route.
    Capacity {
        /// The capacity dimension (0 = `demand` and `capacity`).
        dimension: usize,
        /// The peak load (the total demand when no town has a pickup).
        load: u64,
        /// The vehicle's capacity.
        capacity: u64,
    },
    /// More towns on the route than the vehicle type's `max_stops`.
    Stops {
        /// Towns on the route.
        stops: usize,
        /// The limit.
        max_stops: u32,
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
    /// The vehicle is back after its depot closes or its shift ends.
    DepotHours {
        /// When it is back.
        end: i64,
        /// When the depot closes or the shift ends, whichever is first.
        close: i64,
    },
    /// The route needs more than [`crate::model::timing::MAX_BREAKS_PER_ROUTE`]
    /// driver breaks.
    TooManyBreaks,
    /// A window break of the driver cannot start inside its window.
    Break {
        /// The town served when the break was missed (the route's last
        /// town if it was missed on the way back).
        town: usize,
    },
    /// Duration above the vehicle's shift (and overtime allowance).
    Shift {
        /// Route duration, seconds.
        duration_s: i64,
        /// The shift limit with the overtime allowed, seconds.
        max_duration_s: i64,
    },
}

/// A route's figures and verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Evaluation {
    /// Route distance (depot to depot).
    pub distance: i64,
    /// Total demand delivered.
    pub load: u64,
    /// Total pickups collected.
    pub pickup: u64,
    /// Peak load on board (the total demand when there are no pickups).
    pub peak: u64,
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
    /// Load on board after the delivery and the pickup.
    pub load_after: u64,
}

/// Evaluates `towns` driven by vehicle type `v` from its depot and back.
pub fn evaluate(problem: &Problem, oracle: &dyn TravelOracle, v: usize, towns: &[usize]) -> Evaluation {
    walk_quiet(Walked::new(problem, oracle, v, towns, &[]), Start::EARLIEST)
}

/// Whether a walk holds trips until their goods are released.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Released {
    /// Each trip leaves no earlier than its towns' release times.
    AsStated,
    /// Every good is at the depot from the start (to tell whether a release
    /// time is what makes a route late).
    AtStart,
}

/// How a walk starts: at a chosen departure (or the earliest), and whether
/// it holds trips for their goods' release.
#[derive(Debug, Clone, Copy)]
struct Start {
    departure: Option<i64>,
    released: Released,
    /// The vehicle is ready no earlier than this (when the depot opens
    /// if `None`); the clock still chooses its departure from then on.
    ready: Option<i64>,
}

impl Start {
    const EARLIEST: Start = Start {
        departure: None,
        released: Released::AsStated,
        ready: None,
    };
}

/// [`evaluate`] as if every good were at the depot from the start.
pub fn evaluate_ignoring_release(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    v: usize,
    towns: &[usize],
) -> Evaluation {
    let start = Start {
        released: Released::AtStart,
        ..Start::EARLIEST
    };
    walk_quiet(Walked::new(problem, oracle, v, towns, &[]), start)
}

/// Evaluates a planned route, its reloads included (see [`Reload`]).
pub fn evaluate_route(problem: &Problem, oracle: &dyn TravelOracle, route: &PlannedRoute) -> Evaluation {
    let walked = Walked::new(problem, oracle, route.vehicle_type, &route.towns, &route.reloads);
    walk_quiet(walked, Start::EARLIEST)
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

/// One reload of a timed route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReloadTimes {
    /// The reload (before which stop, at which depot).
    pub reload: Reload,
    /// Back at the depot.
    pub arrival: i64,
    /// Off on the next trip (after reloading and waiting for its goods).
    pub departure: i64,
}

/// A route timed stop by stop, with its driver's breaks and its reloads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimedRoute {
    /// Figures and verdict.
    pub evaluation: Evaluation,
    /// Every stop's times and load.
    pub stops: Vec<StopTimes>,
    /// The breaks taken, in time order (empty for types without rules).
    pub breaks: Vec<TakenBreak>,
    /// The reloads, in order (empty for one-trip routes).
    pub reloads: Vec<ReloadTimes>,
}

/// [`evaluate`], with the times and load of every stop and the breaks the
/// clock placed.
pub fn evaluate_timed(problem: &Problem, oracle: &dyn TravelOracle, v: usize, towns: &[usize]) -> TimedRoute {
    evaluate_route_timed(problem, oracle, &PlannedRoute::new(v, towns.to_vec()))
}

/// [`evaluate_route`], with the times and load of every stop, the breaks
/// and the reloads.
pub fn evaluate_route_timed(problem: &Problem, oracle: &dyn TravelOracle, route: &PlannedRoute) -> TimedRoute {
    let mut stops = Vec::with_capacity(route.towns.len());
    let mut reloads = Vec::with_capacity(route.reloads.len());
    let mut breaks = Vec::new();
    // The clock chooses the departure (forward slack) only at the end: the
    // stops' times are those of a second walk leaving then.
    let walked = Walked::new(problem, oracle, route.vehicle_type, &route.towns, &route.reloads);
    let first = walk_quiet(walked, Start::EARLIEST);
    let departure = first.times.on_time.then_some(first.times.start);
    let start = Start {
        departure,
        ..Start::EARLIEST
    };
    let evaluation = walk_once(walked, start, |event| match event {
        Event::Stop(s) => stops.push(s),
        Event::Reload(r) => reloads.push(r),
        Event::Break(b) => breaks.push(b),
    });
    TimedRoute {
        evaluation,
        stops,
        breaks,
        reloads,
    }
}

/// What the walk reports as it goes.
enum Event {
    Stop(StopTimes),
    Reload(ReloadTimes),
    Break(TakenBreak),
}

/// What a walk drives: vehicle type `v` over `towns`, reloading as said.
#[derive(Clone, Copy)]
struct Walked<'a> {
    problem: &'a Problem,
    oracle: &'a dyn TravelOracle,
    v: usize,
    towns: &'a [usize],
    reloads: &'a [Reload],
}

impl<'a> Walked<'a> {
    fn new(
        problem: &'a Problem,
        oracle: &'a dyn TravelOracle,
        v: usize,
        towns: &'a [usize],
        reloads: &'a [Reload],
    ) -> Walked<'a> {
        Walked {
            problem,
            oracle,
            v,
            towns,
            reloads,
        }
    }
}

/// The one walk, telling no one the events: distance, load and times stop
/// by stop (trip by trip when the route reloads), then the verdict. A route
/// over its shift whose towns have several opening intervals, or whose
/// driver takes breaks, leaves at the departure of its shortest schedule
/// ([`shortest_schedule`], [`shortest_with_breaks`]), reloads or not; the
/// rule's own walk, when the departure search made it, is the answer (not
/// walked again).
fn walk_quiet(route: Walked<'_>, start: Start) -> Evaluation {
    match shortest_departure(route, start) {
        Departure::Later(departure) => walk_once(route, start.leaving_at(departure), |_| {}),
        Departure::AsTheRule(Some(walked)) => walked,
        Departure::AsTheRule(None) => walk_once(route, start, |_| {}),
    }
}

/// Where [`shortest_departure`] leaves a route.
enum Departure {
    /// At the route rule's own departure; its walk, if one was made.
    AsTheRule(Option<Evaluation>),
    /// Later: the departure of a shorter on-time schedule.
    Later(i64),
}

impl Start {
    /// This start with the departure given.
    fn leaving_at(self, departure: i64) -> Start {
        Start {
            departure: Some(departure),
            ..self
        }
    }
}

/// The departure of the shortest schedule when it differs from the route
/// rule's own choice and that choice is over the shift (see [`walk_quiet`]).
fn shortest_departure(route: Walked<'_>, start: Start) -> Departure {
    let Walked { problem, v, towns, .. } = route;
    let vt = &problem.fleet[v];
    let Some(max_duration) = vt.duration_limit() else {
        return Departure::AsTheRule(None);
    };
    let several = |t: &usize| problem.towns.get(*t).is_some_and(|t| t.windows.len() > 1);
    let breaks = !vt.breaks.is_empty();
    if start.departure.is_some() || !(breaks || towns.iter().any(several)) {
        return Departure::AsTheRule(None);
    }
    let walked = walk_once(route, start, |_| {});
    let quick = walked.times;
    if !quick.on_time || quick.duration() <= max_duration {
        return Departure::AsTheRule(Some(walked));
    }
    let later = |best: RouteTimes| {
        if best.start == quick.start {
            Departure::AsTheRule(Some(walked))
        } else {
            Departure::Later(best.start)
        }
    };
    if breaks {
        // No forward slack with breaks: later departures are walked.
        let best = shortest_with_breaks(quick, |departure| {
            walk_once(route, start.leaving_at(departure), |_| {}).times
        });
        return later(best);
    }
    let pieces = 1 + towns
        .iter()
        .map(|&t| problem.towns.get(t).map_or(0, |t| t.windows.len()))
        .sum::<usize>();
    let hours = problem.working_hours(v);
    let best = shortest_schedule(hours, pieces, |ready| {
        let from = Start {
            ready: Some(ready.open),
            ..start
        };
        walk_once(route, from, |_| {}).times
    });
    later(best)
}

/// One walk from the given start, telling `at` each event.
fn walk_once(route: Walked<'_>, start: Start, mut at: impl FnMut(Event)) -> Evaluation {
    let Walked {
        problem,
        oracle,
        v,
        towns,
        reloads,
    } = route;
    let Start {
        departure,
        released,
        ready,
    } = start;
    let vt = &problem.fleet[v];
    let depot = vt.depot;
    let hours = problem.working_hours(v);
    let mut clock = match (departure, ready) {
        (Some(at), _) => RouteClock::departing_at(hours, at),
        (None, Some(ready)) => RouteClock::new(Window {
            open: ready.max(hours.open),
            close: hours.close,
        }),
        (None, None) => RouteClock::new(hours),
    }
    .with_breaks(&vt.breaks);
    let (mut distance, mut load, mut prev) = (0i64, 0u64, depot);
    let mut incompatible = None;
    let mut late = None;
    let mut missed = None;
    let mut bad_reload = reloads.len() > vt.max_reloads.map_or(usize::MAX, |m| m as usize);
    let mut profile = LoadProfile::EMPTY;
    // The capacity dimensions after the first, each under the same rule.
    let mut extra = vec![LoadProfile::EMPTY; vt.extra_capacity.len()];
    let mut pickup = 0u64;
    let mut breaks_taken = 0u32;
    let mut at = |e: Event| {
        if let Event::Break(_) = e {
            breaks_taken += 1;
        }
        at(e)
    };
    // Trip boundaries: the positions where a trip starts.
    let mut next_reload = 0;
    let trip_end = |from: usize, next: usize| {
        reloads
            .get(next)
            .map_or(towns.len(), |r| r.before.clamp(from, towns.len()))
    };
    let ready = |from: usize, to: usize| match released {
        Released::AsStated => towns[from..to]
            .iter()
            .map(|&t| problem.towns[t].release)
            .max()
            .unwrap_or(0),
        Released::AtStart => 0,
    };
    let mut end = trip_end(0, 0);
    clock.not_before(ready(0, end));
    let mut on_board: u64 = towns[..end].iter().map(|&t| u64::from(problem.towns[t].demand)).sum();
    for (i, &t) in towns.iter().enumerate() {
        while next_reload < reloads.len() && reloads[next_reload].before <= i {
            let r = reloads[next_reload];
            next_reload += 1;
            // A reload out of place or at no depot is skipped; one at a depot
            // the type may not reload at is driven as stated (and broken).
            let placed = r.before == i && i > 0 && r.depot < problem.depots.len();
            if !placed || !vt.reload_depots.contains(&r.depot) {
                bad_reload = true;
            }
            if !placed {
                continue;
            }
            let d = r.depot;
            distance = distance.saturating_add(oracle.distance(prev, d));
            end = trip_end(i, next_reload);
            let arrival = clock.reload_noting(
                oracle.travel_time(vt, prev, d),
                vt.reload_time,
                ready(i, end),
                problem.depots[d].hours,
                &mut |b| at(Event::Break(b)),
            );
            if !clock.on_time() && late.is_none() {
                late = Some(t);
            }
            at(Event::Reload(ReloadTimes {
                reload: r,
                arrival,
                departure: clock.now(),
            }));
            profile = profile.then(LoadProfile::RELOAD);
            extra.iter_mut().for_each(|p| *p = p.then(LoadProfile::RELOAD));
            on_board = towns[i..end].iter().map(|&x| u64::from(problem.towns[x].demand)).sum();
            prev = d;
        }
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
            &mut |b| at(Event::Break(b)),
        );
        if late.is_none() && !clock.services_on_time() {
            late = Some(t);
        }
        if missed.is_none() && !clock.breaks_kept() {
            missed = Some(t);
        }
        on_board = on_board.saturating_sub(u64::from(town.demand)) + u64::from(town.pickup);
        at(Event::Stop(StopTimes {
            town: t,
            times,
            load_after: on_board,
        }));
        load += u64::from(town.demand);
        pickup += u64::from(town.pickup);
        profile = profile.then(town.load_stop(0));
        for (d, p) in extra.iter_mut().enumerate() {
            *p = p.then(town.load_stop(d + 1));
        }
        prev = loc;
    }
    bad_reload |= next_reload < reloads.len();
    // The leg to the end depot (none for an open route).
    let (home_distance, home_time) = match vt.end_depot() {
        Some(end) => (oracle.distance(prev, end), oracle.travel_time(vt, prev, end)),
        None => (0, 0),
    };
    distance = distance.saturating_add(home_distance);
    let last = towns.last().copied().unwrap_or(0);
    let times = clock.finish_noting(home_time, &mut |b| at(Event::Break(b)));
    let missed = missed.or((!times.on_time && late.is_none() && times.end <= hours.close).then_some(last));
    let duration_s = times.duration();
    let needed = profile.required_capacity(problem.pickup_order);
    let broken = if let Some(town) = incompatible {
        Some(Broken::VehicleType { town })
    } else if bad_reload {
        Some(Broken::Reloads)
    } else if is_unreachable(distance) {
        Some(Broken::Unreachable)
    } else if !profile.keeps(problem.pickup_order) {
        Some(Broken::PickupOrder)
    } else if needed > i64::from(vt.capacity) {
        Some(Broken::Capacity {
            dimension: 0,
            load: needed as u64,
            capacity: vt.capacity.into(),
        })
    } else if let Some((d, need)) = extra
        .iter()
        .map(|p| p.required_capacity(problem.pickup_order))
        .enumerate()
        .find(|&(d, need)| need > i64::from(vt.extra_capacity[d]))
    {
        Some(Broken::Capacity {
            dimension: d + 1,
            load: need as u64,
            capacity: vt.extra_capacity[d].into(),
        })
    } else if let Some(max_stops) = vt.max_stops.filter(|&m| towns.len() > m as usize) {
        Some(Broken::Stops {
            stops: towns.len(),
            max_stops,
        })
    } else if let Some(max_distance) = vt.max_distance.filter(|&m| distance > m) {
        Some(Broken::Distance { distance, max_distance })
    } else if let Some(town) = late {
        Some(Broken::OpeningHours { town })
    } else if breaks_taken > crate::model::timing::MAX_BREAKS_PER_ROUTE {
        Some(Broken::TooManyBreaks)
    } else if let Some(town) = missed {
        Some(Broken::Break { town })
    } else if !times.on_time {
        Some(Broken::DepotHours {
            end: times.end,
            close: hours.close,
        })
    } else {
        vt.duration_limit()
            .filter(|&m| duration_s > m)
            .map(|max_duration_s| Broken::Shift {
                duration_s,
                max_duration_s,
            })
    };
    Evaluation {
        distance,
        load,
        pickup,
        peak: profile.required_capacity(crate::model::PickupOrder::Any) as u64,
        times,
        broken,
    }
}

#[cfg(test)]
mod tests;
