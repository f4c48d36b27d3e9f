//! Which depot serves which town, and why a town cannot be served at all.
//!
//! Every town is tried alone (depot → town → depot) with every vehicle
//! type ([`alone`]); the order of the checks and how a town's reason is
//! chosen from them are documented on [`UnassignedReason`]. The validator
//! re-derives the same reasons with code of its own.

use crate::distance::{TravelOracle, is_unreachable};
use crate::model::Problem;
use crate::solution::UnassignedReason;
use petgraph::graph::DiGraph;

/// The vehicle type each depot's routes are planned for: the largest
/// capacity, then the longest distance and shift limits (first on ties).
pub fn depot_profiles(problem: &Problem) -> Vec<Option<usize>> {
    let key = |v: usize| {
        let vt = &problem.fleet[v];
        (
            vt.capacity,
            vt.max_distance.unwrap_or(i64::MAX),
            vt.duration_limit().unwrap_or(i64::MAX),
        )
    };
    (0..problem.depots.len())
        .map(|d| {
            (0..problem.fleet.len())
                .filter(|&v| problem.fleet[v].depot == d)
                .fold(None, |best: Option<usize>, v| match best {
                    Some(b) if key(b) >= key(v) => Some(b),
                    _ => Some(v),
                })
        })
        .collect()
}

/// Most locations for which [`Reach`] computes strongly connected
/// components of the finite arcs (an `n²` scan); above it, a town counts
/// as reachable from a depot only through direct legs.
pub const MAX_COMPONENT_LOCATIONS: usize = 10_000;

/// True if the oracle can drive from `a` to `b`: a finite distance and,
/// where the oracle has times, a finite time.
pub fn arc_exists(oracle: &dyn TravelOracle, a: usize, b: usize) -> bool {
    !is_unreachable(oracle.distance(a, b)) && oracle.duration(a, b).is_none_or(|t| !is_unreachable(t))
}

/// Which locations can reach each other and come back: strongly connected
/// components of the graph of finite arcs (matrices may leave arcs out;
/// shortest-path and coordinate oracles are closed under paths, so direct
/// legs already tell).
#[derive(Debug, Clone)]
pub struct Reach {
    /// Component of every location, when some depot–town leg is missing.
    component: Option<Vec<usize>>,
}

impl Reach {
    /// Computes the components if some town lacks a direct leg to or from
    /// some depot (and the problem has at most [`MAX_COMPONENT_LOCATIONS`]
    /// locations).
    pub fn new(problem: &Problem, oracle: &dyn TravelOracle) -> Reach {
        let n = problem.num_locations();
        let depots = problem.depots.len();
        let all_direct = (depots..n).all(|l| (0..depots).all(|d| arc_exists(oracle, d, l) && arc_exists(oracle, l, d)));
        if all_direct || n > MAX_COMPONENT_LOCATIONS {
            return Reach { component: None };
        }
        let mut g = DiGraph::<(), ()>::with_capacity(n, 0);
        let nodes: Vec<_> = (0..n).map(|_| g.add_node(())).collect();
        for a in 0..n {
            for b in (0..n).filter(|&b| b != a && arc_exists(oracle, a, b)) {
                g.add_edge(nodes[a], nodes[b], ());
            }
        }
        let mut component = vec![0; n];
        for (c, members) in petgraph::algo::kosaraju_scc(&g).into_iter().enumerate() {
            for m in members {
                component[m.index()] = c;
            }
        }
        Reach {
            component: Some(component),
        }
    }

    /// True if a vehicle can get from `depot` to `loc` and on to `end`
    /// (`None`: an open route, which stays there): both direct legs, or
    /// `loc` in the start depot's component.
    pub fn connected_to(&self, oracle: &dyn TravelOracle, depot: usize, loc: usize, end: Option<usize>) -> bool {
        (arc_exists(oracle, depot, loc) && end.is_none_or(|e| arc_exists(oracle, loc, e)))
            || self.component.as_ref().is_some_and(|c| c[depot] == c[loc])
    }
}

/// How far a vehicle type gets with a town alone, in the order the checks
/// run (see [`UnassignedReason`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// The town does not allow the vehicle type (never the reason: every
    /// town allows some type, which gets at least as far).
    NotAllowed,
    /// Not strongly connected with the depot.
    Unreachable,
    /// Demand above capacity.
    Capacity,
    /// Connected only through other towns.
    NoDirectRoundTrip,
    /// Round trip above the distance limit.
    Distance,
    /// Round trip longer than the depot is open.
    DepotHours,
    /// Round trip needs more breaks than a route may take.
    TooManyBreaks,
    /// No opening interval can be kept.
    OpeningHours,
    /// No opening interval can be kept leaving when the goods are released.
    Release,
    /// Round trip longer than the shift.
    Shift,
    /// Alone its trip would start with a pickup where deliveries come
    /// first: it can only be served after a delivery (so it is still
    /// planned, see [`assign_towns`]).
    PickupFirst,
    /// The vehicle can serve the town alone.
    Feasible,
}

/// The outcome of trying a town alone with one vehicle type.
#[derive(Debug, Clone, PartialEq)]
pub struct Alone {
    /// The first check failed ([`Stage::Feasible`] if none).
    pub stage: Stage,
    /// By how much it failed (0 where there is no measure).
    pub excess: i64,
    /// The reason, with this type's figures (`None` when feasible).
    pub reason: Option<UnassignedReason>,
}

impl Alone {
    fn fails(stage: Stage, excess: i64, reason: UnassignedReason) -> Alone {
        Alone {
            stage,
            excess,
            reason: Some(reason),
        }
    }
}

/// Tries town `t` alone with vehicle type `v`.
pub fn alone(problem: &Problem, oracle: &dyn TravelOracle, reach: &Reach, v: usize, t: usize) -> Alone {
    let vt = &problem.fleet[v];
    let town = &problem.towns[t];
    let (depot, loc) = (vt.depot, problem.town_location(t));
    if !town.allows_type(v) {
        return Alone {
            stage: Stage::NotAllowed,
            excess: 0,
            reason: None,
        };
    }
    if !reach.connected_to(oracle, depot, loc, vt.end_depot()) {
        return Alone::fails(Stage::Unreachable, 0, UnassignedReason::Unreachable);
    }
    // What must fit on board: the delivery, or the pickup if larger, in
    // every capacity dimension (the first that does not is the reason).
    let dims = std::iter::once((town.demand.max(town.pickup), vt.capacity)).chain(
        (0..vt.extra_capacity.len()).map(|d| (town.extra_demand[d].max(town.extra_pickup[d]), vt.extra_capacity[d])),
    );
    if let Some((dimension, (demand, capacity))) = dims.enumerate().find(|(_, (q, cap))| q > cap) {
        return Alone::fails(
            Stage::Capacity,
            i64::from(demand - capacity),
            UnassignedReason::DemandExceedsCapacity {
                demand: demand.into(),
                max_capacity: capacity.into(),
                dimension,
            },
        );
    }
    // Out from the home depot and on to the end depot (none: an open route).
    let end = vt.end_depot();
    if !(arc_exists(oracle, depot, loc) && end.is_none_or(|e| arc_exists(oracle, loc, e))) {
        return Alone::fails(Stage::NoDirectRoundTrip, 0, UnassignedReason::NoDirectRoundTrip);
    }
    let distance = oracle.distance(depot, loc) + end.map_or(0, |e| oracle.distance(loc, e));
    if let Some(max) = vt.max_distance.filter(|&m| distance > m) {
        return Alone::fails(
            Stage::Distance,
            distance - max,
            UnassignedReason::RoundTripTooLong {
                distance,
                max_distance: max,
            },
        );
    }
    let hours = problem.working_hours(v);
    let round = oracle.travel_time(vt, depot, loc)
        + i64::from(town.service_time)
        + end.map_or(0, |e| oracle.travel_time(vt, loc, e));
    let open = hours.close - hours.open;
    if round > open {
        return Alone::fails(
            Stage::DepotHours,
            round - open,
            UnassignedReason::DepotHours {
                depot: problem.depots[depot].id.clone(),
                duration_s: round,
                open_s: open,
            },
        );
    }
    // The route rule's times; compatibility is left to the callers (they
    // ask every type, see `alone_types`), so only the times are read here.
    let lone = crate::route::evaluate_timed(problem, oracle, v, &[t]);
    if lone.breaks.len() > crate::model::timing::MAX_BREAKS_PER_ROUTE as usize {
        return Alone::fails(
            Stage::TooManyBreaks,
            0,
            UnassignedReason::TooManyBreaks {
                max_breaks: crate::model::timing::MAX_BREAKS_PER_ROUTE,
            },
        );
    }
    let times = lone.evaluation.times;
    if !times.on_time {
        let without_release = crate::route::evaluate_ignoring_release(problem, oracle, v, &[t]);
        if town.release > hours.open && without_release.times.on_time {
            return Alone::fails(
                Stage::Release,
                0,
                UnassignedReason::ReleasedTooLate {
                    release_s: town.release,
                },
            );
        }
        return Alone::fails(
            Stage::OpeningHours,
            0,
            UnassignedReason::OpeningHours {
                hours: town.windows.clone(),
            },
        );
    }
    let duration = times.duration();
    if let Some(max) = vt.duration_limit().filter(|&m| duration > m) {
        return Alone::fails(
            Stage::Shift,
            duration - max,
            UnassignedReason::ShiftTooShort {
                duration_s: duration,
                max_duration_s: max,
            },
        );
    }
    if problem.pickup_order == crate::model::PickupOrder::DeliveriesFirst && town.collects() {
        return Alone::fails(Stage::PickupFirst, 0, UnassignedReason::PickupFirst);
    }
    Alone {
        stage: Stage::Feasible,
        excess: 0,
        reason: None,
    }
}

/// The off-network reason of town `t`, if its snap is beyond the limit.
pub fn off_network(problem: &Problem, oracle: &dyn TravelOracle, t: usize) -> Option<UnassignedReason> {
    let snap = oracle.snaps()?.get(problem.town_location(t))?;
    (snap.distance_m > problem.max_snap_m).then(|| UnassignedReason::OffNetwork {
        snap_m: snap.distance_m.round() as i64,
        max_snap_m: problem.max_snap_m.round() as i64,
    })
}

/// A town's reason from its per-type outcomes (`None` if some type can
/// serve it alone): the furthest stage, the smallest excess there, the
/// first type on ties.
pub fn town_reason(alones: &[Alone]) -> Option<UnassignedReason> {
    if alones.iter().any(|a| a.stage == Stage::Feasible) {
        return None;
    }
    let furthest = alones.iter().map(|a| a.stage).max()?;
    alones
        .iter()
        .filter(|a| a.stage == furthest)
        .min_by_key(|a| a.excess)
        .and_then(|a| a.reason.clone())
}

/// Result of splitting towns between depots.
#[derive(Debug, Clone, Default)]
pub struct Assignment {
    /// Towns of each depot, in problem order.
    pub towns_of_depot: Vec<Vec<usize>>,
    /// Towns some vehicle type can serve alone, but no depot's planning
    /// profile (see [`depot_profiles`]): planned with the other types.
    pub leftover: Vec<usize>,
    /// Towns depots reach only through other towns.
    pub indirect: Vec<usize>,
    /// Towns no vehicle type can serve alone, with the reason.
    pub unassigned: Vec<(usize, UnassignedReason)>,
}

/// Sends each town to the nearest depot (round trip by the oracle, lowest
/// index on ties) whose planning vehicle can serve it alone, or could but
/// for a trip starting with its pickup (it is then planned after a
/// delivery, or unassigned [`UnassignedReason::PickupFirst`] at the end);
/// the others are leftovers, indirect or unassigned with their reason.
pub fn assign_towns(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    reach: &Reach,
    profiles: &[Option<usize>],
) -> Assignment {
    let mut a = Assignment {
        towns_of_depot: vec![Vec::new(); problem.depots.len()],
        ..Assignment::default()
    };
    for t in 0..problem.towns.len() {
        if let Some(reason) = off_network(problem, oracle, t) {
            a.unassigned.push((t, reason));
            continue;
        }
        let loc = problem.town_location(t);
        let alones: Vec<Alone> = (0..problem.fleet.len())
            .map(|v| alone(problem, oracle, reach, v, t))
            .collect();
        let best = profiles
            .iter()
            .enumerate()
            .filter_map(|(d, p)| p.filter(|&v| alones[v].stage >= Stage::PickupFirst).map(|_| d))
            .min_by_key(|&d| (oracle.distance(d, loc).saturating_add(oracle.distance(loc, d)), d));
        match (best, town_reason(&alones)) {
            (Some(d), _) => a.towns_of_depot[d].push(t),
            (None, None) => a.leftover.push(t),
            (None, Some(UnassignedReason::NoDirectRoundTrip)) => a.indirect.push(t),
            (None, Some(reason)) => a.unassigned.push((t, reason)),
        }
    }
    a
}

/// Vehicle types that can serve town `t` alone.
pub fn alone_types(problem: &Problem, oracle: &dyn TravelOracle, reach: &Reach, t: usize) -> Vec<usize> {
    (0..problem.fleet.len())
        .filter(|&v| alone(problem, oracle, reach, v, t).stage == Stage::Feasible)
        .collect()
}
