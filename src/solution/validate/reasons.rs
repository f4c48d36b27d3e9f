//! The validator's own check of every unassigned town's reason.
//!
//! Written apart from the solver's `assign` module on purpose: it
//! re-derives, from the problem and the oracle alone, how far every vehicle
//! type gets with the town alone (the order documented on
//! [`UnassignedReason`]) and which reason that makes, and compares.

use super::Violation;
use crate::distance::{TravelOracle, is_unreachable};
use crate::model::timing::MAX_BREAKS_PER_ROUTE;
use crate::model::{BreakRule, Problem, RouteTimes, Window, shortest_with_breaks};
use crate::solution::UnassignedReason;
use petgraph::graph::DiGraph;

/// Above this many locations components are not computed: a depot and a
/// town count as connected only through direct legs.
const MAX_COMPONENT_LOCATIONS: usize = 10_000;

fn finite(oracle: &dyn TravelOracle, a: usize, b: usize) -> bool {
    if is_unreachable(oracle.distance(a, b)) {
        return false;
    }
    !matches!(oracle.duration(a, b), Some(t) if is_unreachable(t))
}

/// Strongly connected components of the finite arcs, if any depot–town
/// leg is missing (else every pair is connected).
fn components(problem: &Problem, oracle: &dyn TravelOracle) -> Option<Vec<usize>> {
    let n = problem.num_locations();
    let depots = problem.depots.len();
    let missing = (depots..n).any(|l| (0..depots).any(|d| !finite(oracle, d, l) || !finite(oracle, l, d)));
    if !missing || n > MAX_COMPONENT_LOCATIONS {
        return None;
    }
    let mut g = DiGraph::<usize, ()>::new();
    let ix: Vec<_> = (0..n).map(|i| g.add_node(i)).collect();
    for a in 0..n {
        for b in 0..n {
            if a != b && finite(oracle, a, b) {
                g.add_edge(ix[a], ix[b], ());
            }
        }
    }
    let mut comp = vec![usize::MAX; n];
    for (c, scc) in petgraph::algo::kosaraju_scc(&g).iter().enumerate() {
        for node in scc {
            comp[g[*node]] = c;
        }
    }
    Some(comp)
}

/// Checks, in order, what stops vehicle type `v` serving town `t` alone:
/// `(rank, excess, reason)`, `None` if nothing does.
fn blocker(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    comp: Option<&[usize]>,
    v: usize,
    t: usize,
) -> Option<(u8, i64, UnassignedReason)> {
    let vt = &problem.fleet[v];
    let town = &problem.towns[t];
    let d = vt.depot;
    let l = problem.depots.len() + t;
    // Out from the home depot, on to the end depot (none: an open route).
    let end = match vt.end {
        crate::model::RouteEnd::Depot(e) => Some(e),
        crate::model::RouteEnd::LastStop => None,
    };
    let direct = finite(oracle, d, l) && end.is_none_or(|e| finite(oracle, l, e));
    if !direct && comp.is_none_or(|c| c[d] != c[l]) {
        return Some((0, 0, UnassignedReason::Unreachable));
    }
    // The delivery or the pickup, whichever is larger, must fit on board,
    // in every capacity dimension (the first that does not names it).
    let first = (town.demand.max(town.pickup), vt.capacity);
    let extra = (0..vt.extra_capacity.len()).map(|d| {
        let (q, up) = (town.extra_demand.get(d), town.extra_pickup.get(d));
        (*q.unwrap_or(&0).max(up.unwrap_or(&0)), vt.extra_capacity[d])
    });
    let over = std::iter::once(first)
        .chain(extra)
        .enumerate()
        .find(|(_, (q, cap))| q > cap);
    if let Some((dimension, (demand, capacity))) = over {
        let reason = UnassignedReason::DemandExceedsCapacity {
            demand: demand.into(),
            max_capacity: capacity.into(),
            dimension,
        };
        return Some((1, i64::from(demand - capacity), reason));
    }
    if !direct {
        return Some((2, 0, UnassignedReason::NoDirectRoundTrip));
    }
    let distance = oracle.distance(d, l) + end.map_or(0, |e| oracle.distance(l, e));
    if let Some(limit) = vt.max_distance
        && distance > limit
    {
        let reason = UnassignedReason::RoundTripTooLong {
            distance,
            max_distance: limit,
        };
        return Some((3, distance - limit, reason));
    }
    let (out, back) = (
        oracle.travel_time(vt, d, l),
        end.map_or(0, |e| oracle.travel_time(vt, l, e)),
    );
    let service = i64::from(town.service_time);
    // Leaving the home depot, back at the end depot, within the type's
    // shift: worked out here on its own.
    let close = end.map_or(Window::ALWAYS.close, |e| problem.depots[e].hours.close);
    let hours = Window {
        open: problem.depots[d].hours.open.max(vt.shift.open),
        close: close.min(vt.shift.close),
    };
    let shift_limit = vt.max_duration.map(|m| m.saturating_add(vt.max_overtime));
    let round = out + service + back;
    let open_s = hours.close - hours.open;
    if round > open_s {
        let reason = UnassignedReason::DepotHours {
            depot: problem.depots[d].id.clone(),
            duration_s: round,
            open_s,
        };
        return Some((4, round - open_s, reason));
    }
    // The vehicle leaves when the depot opens, or when the town's goods
    // are released if that is later.
    let released = town.release.max(hours.open);
    if !vt.breaks.is_empty() {
        // A driver with breaks leaves then, no later; waits count.
        let lone = |leave: i64| lone_trip_with_breaks(&vt.breaks, hours, leave, out, service, back, &town.windows);
        let (end, on_time, breaks) = lone(released);
        if breaks > MAX_BREAKS_PER_ROUTE as usize {
            let reason = UnassignedReason::TooManyBreaks {
                max_breaks: MAX_BREAKS_PER_ROUTE,
            };
            return Some((5, 0, reason));
        }
        if !on_time {
            return Some(late_reason(town, released > hours.open && lone(hours.open).1));
        }
        let mut duration = end - released;
        if let Some(shift) = shift_limit
            && duration > shift
        {
            // Leaving later may drive the wait off (the route rule's
            // departures, searched alike): the shortest on-time lone trip.
            let first = RouteTimes {
                start: released,
                end,
                on_time,
            };
            let best = shortest_with_breaks(first, |leave| {
                let (end, on_time, breaks) = lone(leave);
                RouteTimes {
                    start: leave,
                    end,
                    on_time: on_time && breaks <= MAX_BREAKS_PER_ROUTE as usize,
                }
            });
            duration = best.duration();
        }
        if let Some(shift) = shift_limit
            && duration > shift
        {
            let reason = UnassignedReason::ShiftTooShort {
                duration_s: duration,
                max_duration_s: shift,
            };
            return Some((8, duration - shift, reason));
        }
        return pickup_first(problem, t);
    }
    // Leaving at `leave`, service starts at the arrival or when an
    // interval opens; the vehicle must be back before the depot closes.
    let on_time_leaving = |leave: i64| {
        let fits = |start: i64| start + service + back <= hours.close;
        let arrival = leave + out;
        if town.windows.is_empty() {
            fits(arrival)
        } else {
            town.windows
                .iter()
                .any(|w| arrival.max(w.open) <= w.close && fits(arrival.max(w.open)))
        }
    };
    if !on_time_leaving(released) {
        return Some(late_reason(town, released > hours.open && on_time_leaving(hours.open)));
    }
    // A lone stop never waits: the vehicle may leave as late as it likes.
    if let Some(shift) = shift_limit
        && round > shift
    {
        let reason = UnassignedReason::ShiftTooShort {
            duration_s: round,
            max_duration_s: shift,
        };
        return Some((8, round - shift, reason));
    }
    pickup_first(problem, t)
}

/// The reason of a lone trip that cannot keep the town's hours: its
/// release, if leaving at the depot's opening would have (rank 7), else
/// the hours (rank 6).
fn late_reason(town: &crate::model::Town, release_is_why: bool) -> (u8, i64, UnassignedReason) {
    if release_is_why {
        (
            7,
            0,
            UnassignedReason::ReleasedTooLate {
                release_s: town.release,
            },
        )
    } else {
        let hours = town.windows.clone();
        (6, 0, UnassignedReason::OpeningHours { hours })
    }
}

/// Where deliveries come first no trip starts with a pickup: a town with
/// one cannot be served alone (rank 9).
fn pickup_first(problem: &Problem, t: usize) -> Option<(u8, i64, UnassignedReason)> {
    (problem.pickup_order == crate::model::PickupOrder::DeliveriesFirst && problem.towns[t].collects()).then_some((
        9,
        0,
        UnassignedReason::PickupFirst,
    ))
}

/// The lone trip depot → town → depot of a driver with break rules, leaving
/// at `leave`, worked out here on its own (the rule documented in
/// `model::timing`): the return time; whether the service starts in an
/// opening interval, every window break starts in its window and the
/// vehicle is back before the depot closes; and the breaks taken (counting
/// stops one past [`MAX_BREAKS_PER_ROUTE`]).
fn lone_trip_with_breaks(
    rules: &[BreakRule],
    hours: Window,
    leave: i64,
    out: i64,
    service: i64,
    back: i64,
    windows: &[Window],
) -> (i64, bool, usize) {
    // Window rules that apply (opening once the vehicle is out), earliest first.
    let mut lunches: Vec<(i64, i64, i64)> = rules
        .iter()
        .filter_map(|r| match *r {
            BreakRule::Window { length_s, window } if window.open >= leave => {
                Some((window.open, window.close, length_s))
            }
            _ => None,
        })
        .collect();
    lunches.sort_unstable();
    lunches.reverse(); // popped from the back, earliest first
    let limit = rules.iter().find_map(|r| match *r {
        BreakRule::Driving {
            max_driving_s,
            length_s,
        } => Some((max_driving_s, length_s)),
        BreakRule::Window { .. } => None,
    });
    let mut ok = true;
    let mut driving = 0i64;
    let mut clock = leave;
    let mut taken = 0usize;
    let most = MAX_BREAKS_PER_ROUTE as usize;
    // One leg: driving pieces between the breaks it needs.
    let leg = |len: i64,
               clock: &mut i64,
               driving: &mut i64,
               lunches: &mut Vec<(i64, i64, i64)>,
               ok: &mut bool,
               taken: &mut usize| {
        let end_driving = |clock: i64, driving: i64, len: i64| -> Option<i64> {
            limit.and_then(|(max, _)| (driving + len > max).then(|| clock + (max - driving).max(0)))
        };
        let mut len = len;
        loop {
            if *taken > most {
                *clock += len;
                return;
            }
            let lunch = lunches.last().copied().filter(|&(open, _, _)| open < *clock + len);
            let rest_at = end_driving(*clock, *driving, len);
            if let Some((open, close, length)) = lunch
                && rest_at.is_none_or(|at| open.max(*clock) <= at)
            {
                lunches.pop();
                let at = open.max(*clock);
                len -= at - *clock;
                *driving += at - *clock;
                *clock = at;
                if at > close {
                    *ok = false;
                    continue;
                }
                *clock += length;
                *taken += 1;
                if limit.is_some_and(|(_, rest)| length >= rest) {
                    *driving = 0;
                }
            } else if let (Some(at), Some((_, rest))) = (rest_at, limit) {
                len -= at - *clock;
                *clock = at + rest;
                *driving = 0;
                *taken += 1;
            } else {
                *clock += len;
                *driving += len;
                return;
            }
        }
    };
    leg(out, &mut clock, &mut driving, &mut lunches, &mut ok, &mut taken);
    let arrival = clock;
    let first_open = |from: i64| -> Option<i64> {
        if windows.is_empty() {
            return Some(from);
        }
        windows.iter().find(|w| from <= w.close).map(|w| from.max(w.open))
    };
    let mut start = first_open(arrival).unwrap_or_else(|| {
        ok = false;
        arrival
    });
    // Breaks in the wait, one after the other.
    let mut free = arrival;
    while let Some(&(open, close, length)) = lunches.last().filter(|l| l.0 <= start) {
        lunches.pop();
        let at = open.max(free);
        if at > close {
            ok = false;
            continue;
        }
        free = at + length;
        taken += 1;
        if at + length > start {
            start = first_open(at + length).unwrap_or_else(|| {
                ok = false;
                at + length
            });
        }
    }
    if limit.is_some_and(|(_, rest)| start - arrival >= rest) {
        driving = 0;
    }
    clock = start + service;
    leg(back, &mut clock, &mut driving, &mut lunches, &mut ok, &mut taken);
    (clock, ok && clock <= hours.close, taken)
}

/// What the validator derives for one town, from the problem, the oracle
/// and the vehicles in use.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Derived {
    /// Vehicle types (indices) can serve the town alone; `spare` is the
    /// first of them with a vehicle no route uses.
    Able {
        /// The types that can serve it alone.
        types: Vec<usize>,
        /// The first such type with a vehicle left.
        spare: Option<usize>,
    },
    /// No vehicle type can serve the town alone: the reason it gets.
    Blocked(UnassignedReason),
}

impl Derived {
    /// True if a vehicle no route uses could serve the town alone.
    pub(crate) fn servable(&self) -> bool {
        matches!(self, Derived::Able { spare: Some(_), .. })
    }
}

/// What stops town `t` being served alone, given `used[v]` routes of each
/// vehicle type `v` (components of the problem's finite arcs computed here).
pub(crate) fn derive_reason(problem: &Problem, oracle: &dyn TravelOracle, used: &[usize], t: usize) -> Derived {
    derive(problem, oracle, components(problem, oracle).as_deref(), used, t)
}

fn derive(problem: &Problem, oracle: &dyn TravelOracle, comp: Option<&[usize]>, used: &[usize], t: usize) -> Derived {
    let l = problem.depots.len() + t;
    if let Some(snap) = oracle.snaps().and_then(|s| s.get(l))
        && snap.distance_m > problem.max_snap_m
    {
        return Derived::Blocked(UnassignedReason::OffNetwork {
            snap_m: snap.distance_m.round() as i64,
            max_snap_m: problem.max_snap_m.round() as i64,
        });
    }
    // Only the vehicle types the town allows may serve it.
    let allowed = &problem.towns[t].allowed_types;
    let kinds: Vec<usize> = (0..problem.fleet.len())
        .filter(|k| allowed.is_empty() || allowed.contains(k))
        .collect();
    let blockers: Vec<_> = kinds.iter().map(|&k| blocker(problem, oracle, comp, k, t)).collect();
    let types: Vec<usize> = kinds
        .iter()
        .zip(&blockers)
        .filter(|(_, b)| b.is_none())
        .map(|(&k, _)| k)
        .collect();
    if !types.is_empty() {
        let spare = types.iter().copied().find(|&k| {
            problem.fleet[k]
                .count
                .is_none_or(|c| used.get(k).copied().unwrap_or(0) < c as usize)
        });
        return Derived::Able { types, spare };
    }
    let mut best: Option<&(u8, i64, UnassignedReason)> = None;
    for b in blockers.iter().flatten() {
        let better = match best {
            None => true,
            Some(x) => b.0 > x.0 || (b.0 == x.0 && b.1 < x.1),
        };
        if better {
            best = Some(b);
        }
    }
    // Every town allows some type, so some blocker is there.
    Derived::Blocked(best.map_or(UnassignedReason::Unreachable, |b| b.2.clone()))
}

/// Compares the reason stated for town `t` with what was derived for it,
/// recording what is wrong.
pub(crate) fn judge_reason(
    problem: &Problem,
    t: usize,
    stated: &UnassignedReason,
    derived: &Derived,
    v: &mut Vec<Violation>,
) {
    let town = &problem.towns[t];
    let wrong = |expected: UnassignedReason, v: &mut Vec<Violation>| {
        if *stated != expected {
            v.push(Violation::WrongReason {
                town: town.id.clone(),
                stated: stated.clone(),
                expected,
            });
        }
    };
    match derived {
        // An optional town that could follow a delivery may be left out by choice.
        Derived::Blocked(UnassignedReason::PickupFirst)
            if town.prize.is_some() && *stated == UnassignedReason::NotWorthItsPrize => {}
        Derived::Blocked(expected) => wrong(expected.clone(), v),
        // An optional town may be left out by choice (its prize is paid).
        Derived::Able { .. } if town.prize.is_some() && *stated == UnassignedReason::NotWorthItsPrize => {}
        Derived::Able { spare: Some(k), .. } => v.push(Violation::ServableButUnassigned {
            town: town.id.clone(),
            vehicle_type: problem.fleet[*k].id.clone(),
        }),
        Derived::Able { types, spare: None } => {
            let depot_of = |k: usize| &problem.depots[problem.fleet[k].depot].id;
            let named = match stated {
                UnassignedReason::NoVehicleLeft { depot } => types.iter().any(|&k| depot_of(k) == depot),
                _ => false,
            };
            if !named && let Some(&k) = types.first() {
                wrong(
                    UnassignedReason::NoVehicleLeft {
                        depot: depot_of(k).clone(),
                    },
                    v,
                );
            }
        }
    }
}

/// Checks every `(town, stated reason)` pair; `used[v]` is the number of
/// routes of vehicle type `v`.
pub(crate) fn check_reasons(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    used: &[usize],
    unassigned: &[(usize, &UnassignedReason)],
    v: &mut Vec<Violation>,
) {
    if unassigned.is_empty() {
        return;
    }
    let comp = components(problem, oracle);
    for &(t, stated) in unassigned {
        let derived = derive(problem, oracle, comp.as_deref(), used, t);
        judge_reason(problem, t, stated, &derived, v);
    }
}
