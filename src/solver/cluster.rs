//! A sub-problem in flat arrays: the view the hot loops read.
//!
//! Node 0 is the (first) depot, nodes `1..=m` the towns, and nodes `m+1..`
//! the other depots of a fleet cluster. Distances and times come from a
//! dense matrix when the cluster is small enough, else from the oracle on
//! demand. No petgraph, geo or serde in here.
//!
//! A cluster routes either one vehicle profile from one depot (the
//! construction's view: [`Cluster::new`]) or a whole fleet
//! ([`Cluster::fleet`]): every vehicle type of the problem is a
//! [`RouteType`] with its depot node, limits, costs and count, and a town
//! may allow only some types.
//!
//! Time profiles: vehicle types of different speeds drive the same arc in
//! different times. A cluster keeps one time profile per distinct speed
//! (profile 0 is the first type's); each route type names its profile, and
//! every time the search reads is read in its route's profile
//! ([`Cluster::time_in`]).

use crate::distance::{TravelOracle, UNREACHABLE, is_unreachable};
use crate::model::load::MAX_DIMENSIONS;
use crate::model::{
    BreakRule, LoadProfile, PickupOrder, Problem, RouteClock, RouteTimes, VehicleType, Window, round_to_int,
    shortest_schedule,
};
use rayon::prelude::*;

/// Largest cluster (depot + towns) for which dense matrices are cached
/// (4000² × 4 B = 64 MB per matrix).
pub const DENSE_LIMIT: usize = 4000;

/// Route limits of the vehicle profile a cluster is solved with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Capacity, demand units.
    pub capacity: i64,
    /// Maximum route distance ([`Limits::UNLIMITED`] when unlimited).
    pub max_distance: i64,
    /// Maximum route duration incl. service, seconds, overtime allowance
    /// included ([`Limits::UNLIMITED`] when unlimited).
    pub max_duration: i64,
    /// Most towns on a route ([`Limits::UNLIMITED`] when unlimited).
    pub max_stops: i64,
    /// Capacity in the dimensions after the first (unused ones unlimited).
    pub extra_capacity: [i64; MAX_DIMENSIONS - 1],
}

impl Limits {
    /// No limit: any route that can be driven. A route over an unreachable
    /// pair totals at least [`UNREACHABLE`], so it exceeds even this, and
    /// the search never prices (and adopts) one.
    pub const UNLIMITED: i64 = UNREACHABLE - 1;

    /// The limits of one vehicle type.
    pub fn of(vt: &VehicleType) -> Limits {
        Limits {
            capacity: i64::from(vt.capacity),
            max_distance: vt.max_distance.map_or(Limits::UNLIMITED, |d| d.min(Limits::UNLIMITED)),
            max_duration: vt.duration_limit().map_or(Limits::UNLIMITED, |d| d.min(Limits::UNLIMITED)),
            max_stops: vt.max_stops.map_or(Limits::UNLIMITED, i64::from),
            extra_capacity: std::array::from_fn(|d| vt.extra_capacity.get(d).map_or(Limits::UNLIMITED, |&c| c.into())),
        }
    }

    /// True if a route of `towns` towns keeps the stop limit.
    #[inline]
    pub fn allows_stops(&self, towns: i64) -> bool {
        towns <= self.max_stops
    }
    /// True if a route with these totals respects the limits.
    #[inline]
    pub fn allows(&self, load: i64, distance: i64, duration: i64) -> bool {
        load <= self.capacity && distance <= self.max_distance && duration <= self.max_duration
    }
}

/// One vehicle type as the search prices it: its depot node, limits,
/// integer objective weights and how many vehicles it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteType {
    /// Index in [`Problem::fleet`].
    pub vehicle_type: usize,
    /// Cluster node of its depot, where its routes start.
    pub depot: u32,
    /// Cluster node where its routes end: `depot` for routes back home,
    /// another depot's node, or a node [`NOWHERE`] for open routes.
    pub end: u32,
    /// Route limits.
    pub limits: Limits,
    /// Objective of a used route on top of its weighted distance and time.
    pub fixed: i64,
    /// Objective per distance unit.
    pub per_distance: i64,
    /// Objective per second of driving and service.
    pub per_second: i64,
    /// Objective per second beyond `regular` (overtime).
    pub per_overtime_second: i64,
    /// The regular shift, seconds: time beyond it is overtime.
    pub regular: i64,
    /// Vehicles of the type (`u32::MAX` = unlimited).
    pub count: u32,
    /// Its time profile (index into the cluster's profiles).
    pub profile: u32,
    /// Most reloads on one route (0 = one trip only).
    pub max_reloads: u32,
}

impl RouteType {
    /// The objective of a route of this type with these totals.
    #[inline]
    pub fn cost(&self, distance: i64, duration: i64, used: bool) -> i64 {
        if !used {
            return 0;
        }
        // Saturating: pruning prices candidate routes before their limits
        // are checked, over unreachable pairs too.
        let overtime = if self.per_overtime_second > 0 {
            self.per_overtime_second.saturating_mul((duration - self.regular).max(0))
        } else {
            0
        };
        // Capped: a route over a leg that cannot be driven (a ruin may
        // leave one until recreate mends it) must not overflow the sum of
        // all routes' costs.
        self.fixed
            .saturating_add(self.per_distance.saturating_mul(distance))
            .saturating_add(self.per_second.saturating_mul(duration))
            .saturating_add(overtime)
            .min(ROUTE_COST_CAP)
    }

    /// The cost change of a used route of these totals growing by `dd`
    /// distance and `dt` seconds (exact with overtime, which is not linear).
    #[inline]
    pub fn growth(&self, distance: i64, duration: i64, dd: i64, dt: i64) -> i64 {
        // Saturating: a leg that cannot be driven is near i64::MAX long.
        if self.per_overtime_second > 0 {
            let after = self.cost(distance.saturating_add(dd), duration.saturating_add(dt), true);
            after.saturating_sub(self.cost(distance, duration, true))
        } else {
            self.per_distance
                .saturating_mul(dd)
                .saturating_add(self.per_second.saturating_mul(dt))
        }
    }
}

/// How the search prices a candidate route, decided once per cluster from
/// its rules so the hot loops branch on one constant, not on every rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pricing {
    /// Capacity and maximum distance are the only limits and a route costs
    /// its distance plus a fixed cost when used (one vehicle type from one
    /// depot; no times, pickups, reloads or type restrictions): a route is
    /// priced from its load and distance sums alone.
    Plain,
    /// Any other rule set: the route's type, times, load profile and
    /// compatibility are all checked.
    General,
}

/// Objective units per unit of money when vehicle types have running
/// costs (micro-units: 0.35 per km is 350 per kilometre of metres).
pub const MONEY_SCALE: f64 = 1e6;

/// No home route ([`Cluster::home`]).
pub const NO_HOME: u32 = u32::MAX;

/// Most a route can cost in the search: far above any drivable route, low
/// enough that thousands of such routes still sum inside `i64`.
pub const ROUTE_COST_CAP: i64 = 1 << 52;

/// The location of the end node of open routes: every leg to or from it is
/// free (a route that ends at its last stop drives no return leg).
pub const NOWHERE: usize = usize::MAX;

/// The per-node arrays of a cluster: node 0 and nodes after the towns are
/// depots (no demand, service or windows), nodes `1..=m` the towns.
struct NodeArrays {
    towns: Vec<usize>,
    demand: Vec<i64>,
    pickup: Vec<i64>,
    service: Vec<i64>,
    windowed: bool,
    win_at: Vec<u32>,
    windows: Vec<Window>,
}

impl NodeArrays {
    /// `hours`: the hours of every depot of the cluster, node 0's first;
    /// `breaks`: some route type has break rules (routes are then timed
    /// stop by stop, as with opening hours).
    fn new(problem: &Problem, towns: &[usize], hours: &[Window], breaks: bool) -> NodeArrays {
        let extra = hours.len().saturating_sub(1);
        let per_town = |f: &dyn Fn(usize) -> i64| -> Vec<i64> {
            std::iter::once(0)
                .chain(towns.iter().map(|&t| f(t)))
                .chain(std::iter::repeat_n(0, extra))
                .collect()
        };
        let mut node_towns = vec![usize::MAX];
        node_towns.extend_from_slice(towns);
        node_towns.extend(std::iter::repeat_n(usize::MAX, extra));
        let windowed = breaks
            || hours.iter().any(|h| !h.is_always())
            || towns.iter().any(|&t| !problem.towns[t].windows.is_empty());
        let (mut win_at, mut windows) = (Vec::new(), Vec::new());
        if windowed {
            win_at.extend([0, 0]);
            for &t in towns {
                windows.extend_from_slice(&problem.towns[t].windows);
                win_at.push(windows.len() as u32);
            }
            win_at.extend(std::iter::repeat_n(windows.len() as u32, extra));
        }
        NodeArrays {
            towns: node_towns,
            demand: per_town(&|t| i64::from(problem.towns[t].demand)),
            pickup: per_town(&|t| i64::from(problem.towns[t].pickup)),
            service: per_town(&|t| i64::from(problem.towns[t].service_time)),
            windowed,
            win_at,
            windows,
        }
    }
}

/// A sub-problem solved as one routing problem.
pub struct Cluster<'a> {
    oracle: &'a dyn TravelOracle,
    /// One vehicle type per time profile (profile 0 first): travel times
    /// are the oracle's for that type.
    profiles: Vec<&'a VehicleType>,
    /// Location index of each node (node 0 = the depot).
    locations: Vec<usize>,
    /// Town index in the problem of each node (node 0 unused).
    pub towns: Vec<usize>,
    /// Demand (delivery) per node (0 for the depot).
    pub demand: Vec<i64>,
    /// Pickup per node (0 for the depot; empty when no town has one).
    pub pickup: Vec<i64>,
    /// Some town has a pickup: loads follow [`LoadProfile`], not sums.
    pub pickups: bool,
    /// Capacity dimensions after the first (0 for the usual one capacity,
    /// and in per-depot constructions, which leave them to the fleet search).
    pub extra_dims: usize,
    /// Load profile of each node alone in each of those dimensions,
    /// node-major (`extra_stop[v * extra_dims + d]`).
    pub extra_stop: Vec<LoadProfile>,
    /// Load profile of each node alone in the first dimension, when a
    /// town's place in the order rule comes from several dimensions
    /// ([`crate::model::Town::load_stop`]); empty otherwise (the profile
    /// follows `demand` and `pickup`).
    pub first_stop: Vec<LoadProfile>,
    /// The order rule for pickups ([`PickupOrder`]).
    pub pickup_order: PickupOrder,
    /// Re-planning with a change penalty: each node's home, the index of the
    /// search route it was on in the previous plan ([`NO_HOME`] for depots,
    /// reloads and new towns); empty otherwise.
    pub home: Vec<u32>,
    /// How many routes the previous plan has (the first routes of the
    /// search, kept even when empty).
    pub homes: usize,
    /// What a town costs on a route other than its home, in objective units.
    pub change_penalty: i64,
    /// Multi-trip clusters: reload nodes are `first_reload..num_nodes`
    /// (copies of a depot a type may reload at; [`Cluster::num_nodes`]
    /// when there are none). They count as depots; spare ones wait in the
    /// search's pool at no cost.
    pub first_reload: usize,
    /// Route type allowed to use each reload node (index from `first_reload`).
    reload_type: Vec<u32>,
    /// Release time per node (empty when every town is ready at the start).
    release: Vec<i64>,
    /// Routes may reload or towns have release times: routes are timed
    /// trip by trip ([`Cluster::route_times_from`]), never by the stored
    /// departures and latest starts.
    pub multi_trip: bool,
    /// Optional towns (with a prize): their [`Cluster::penalty`] is the
    /// prize, and the search may leave them out (empty when none).
    pub optional: Vec<bool>,
    /// Service time per node, seconds.
    pub service: Vec<i64>,
    /// Limits of the vehicle profile (of the first type in a fleet cluster).
    pub limits: Limits,
    /// Cost of each used route on top of its distance (the vehicle's fixed cost).
    pub fixed_cost: i64,
    /// The vehicle types routes may have (one for a single-profile cluster).
    pub types: Vec<RouteType>,
    /// Towns `1..=m` (m = `num_towns`).
    num_towns: usize,
    /// Opening hours per depot node: index 0 for node 0, `k` for node `m + k`.
    hours: Vec<Window>,
    /// Vehicle–town compatibility: `allowed[v * words + t / 64]` bit `t % 64`
    /// is set if type `t` may serve node `v` (empty = every type everywhere).
    allowed: Vec<u64>,
    words: usize,
    /// Objective weights differ between types or depots differ: operators'
    /// own distance estimates are not the objective then.
    pub uniform: bool,
    /// Some type pays per second: distance alone does not bound a move's gain.
    pub time_cost: bool,
    /// Some type has a fixed cost per used route: only then does emptying
    /// or opening a route change the objective beyond its arcs.
    pub fixed_costs: bool,
    /// The pricing path the search takes, chosen once the rules are set.
    pub pricing: Pricing,
    /// Routes of different types may start at different depots.
    pub multi_depot: bool,
    /// Objective of leaving a town unrouted (fleet clusters: more than any
    /// route cost it could save, so served demand comes first).
    pub penalty: Vec<i64>,
    /// Whether times matter: a shift limit or opening hours (else travel
    /// times are not computed).
    pub timed: bool,
    /// Whether some town or the depot has opening hours, or some type has
    /// driver breaks: routes are then timed stop by stop with
    /// [`RouteClock`] (O(route length)).
    pub windowed: bool,
    /// Break rules of each route type (empty slices when none).
    type_breaks: Vec<&'a [BreakRule]>,
    /// The depot's opening hours.
    pub depot_hours: Window,
    /// Opening intervals of node `v`: `windows[win_at[v]..win_at[v + 1]]`
    /// (both empty when the cluster is not windowed).
    win_at: Vec<u32>,
    windows: Vec<Window>,
    symmetric: bool,
    dense_dist: Option<Vec<u32>>,
    /// Dense times, one matrix per profile (empty when not cached).
    dense_times: Vec<Vec<u32>>,
    /// Node coordinates when distances are rounded Euclidean and no dense
    /// matrix is cached: computed inline, without a call through the oracle.
    euclidean: Option<Vec<(f64, f64)>>,
}

fn pack(v: i64) -> u32 {
    if is_unreachable(v) || v >= u32::MAX as i64 {
        u32::MAX
    } else {
        v as u32
    }
}

fn unpack(v: u32) -> i64 {
    if v == u32::MAX { UNREACHABLE } else { i64::from(v) }
}

impl<'a> Cluster<'a> {
    /// Builds the cluster of `depot` with `towns` (problem town indices),
    /// solved with vehicle profile `vehicle`.
    pub fn new(
        problem: &Problem,
        oracle: &'a dyn TravelOracle,
        depot: usize,
        towns: &[usize],
        vehicle: &'a VehicleType,
    ) -> Cluster<'a> {
        Self::with_dense_limit(problem, oracle, depot, towns, vehicle, DENSE_LIMIT)
    }

    /// Like [`Cluster::new`], caching dense matrices only when the cluster
    /// has at most `dense_limit` nodes (0 = always compute on demand).
    pub fn with_dense_limit(
        problem: &Problem,
        oracle: &'a dyn TravelOracle,
        depot: usize,
        towns: &[usize],
        vehicle: &'a VehicleType,
        dense_limit: usize,
    ) -> Cluster<'a> {
        let mut locations = vec![depot];
        locations.extend(towns.iter().map(|&t| problem.town_location(t)));
        // Routes here go back to `depot` (a type that ends elsewhere gets
        // its real ends in the fleet search; this is its construction).
        let depot_hours = vehicle.within_shift(problem.depots[depot].hours);
        let NodeArrays {
            towns: node_towns,
            demand,
            pickup,
            service,
            windowed,
            win_at,
            windows,
        } = NodeArrays::new(problem, towns, &[depot_hours], !vehicle.breaks.is_empty());
        let timed = vehicle.max_duration.is_some() || windowed;
        let vehicle_type = problem.fleet.iter().position(|v| std::ptr::eq(v, vehicle)).unwrap_or(0);
        // Read off the cluster's own towns: O(cluster), not O(problem).
        let pickups = pickup.iter().any(|&p| p > 0);
        let c = Cluster {
            oracle,
            profiles: vec![vehicle],
            locations,
            towns: node_towns,
            demand,
            pickups,
            pickup: if pickups { pickup } else { Vec::new() },
            extra_dims: 0,
            extra_stop: Vec::new(),
            first_stop: Vec::new(),
            pickup_order: problem.pickup_order,
            home: Vec::new(),
            homes: 0,
            change_penalty: 0,
            optional: Vec::new(),
            first_reload: usize::MAX,
            reload_type: Vec::new(),
            release: Vec::new(),
            multi_trip: false,
            service,
            limits: Limits::of(vehicle),
            fixed_cost: vehicle.fixed_cost,
            types: vec![RouteType {
                vehicle_type,
                depot: 0,
                end: 0,
                limits: Limits::of(vehicle),
                fixed: vehicle.fixed_cost,
                per_distance: 1,
                per_second: 0,
                per_overtime_second: 0,
                regular: Limits::UNLIMITED,
                count: u32::MAX,
                max_reloads: 0,
                profile: 0,
            }],
            num_towns: towns.len(),
            hours: vec![depot_hours],
            allowed: Vec::new(),
            words: 0,
            uniform: true,
            time_cost: false,
            fixed_costs: vehicle.fixed_cost != 0,
            pricing: Pricing::General,
            multi_depot: false,
            penalty: Vec::new(),
            timed,
            windowed,
            type_breaks: vec![&vehicle.breaks],
            depot_hours,
            win_at,
            windows,
            symmetric: oracle.is_symmetric(),
            dense_dist: None,
            dense_times: Vec::new(),
            euclidean: None,
        };
        let mut c = c.with_matrices(dense_limit);
        c.class_towns_by_every_dimension(problem);
        c.pricing = c.pricing_rules();
        c
    }

    /// The whole fleet of `problem` over `towns`: every vehicle type is a
    /// [`RouteType`] from its own depot, with its count as a hard limit.
    /// Types of different speeds get their own time profiles.
    pub fn fleet(
        problem: &'a Problem,
        oracle: &'a dyn TravelOracle,
        towns: &[usize],
        dense_limit: usize,
    ) -> Option<Cluster<'a>> {
        let fleet = &problem.fleet;
        fleet.first()?;
        // One profile per distinct speed, in first-use order.
        let mut profiles: Vec<&VehicleType> = Vec::new();
        let profile_of: Vec<u32> = fleet
            .iter()
            .map(|v| {
                let same = profiles.iter().position(|p| p.speed_kmh == v.speed_kmh);
                same.unwrap_or_else(|| {
                    profiles.push(v);
                    profiles.len() - 1
                }) as u32
            })
            .collect();
        // Depot nodes in first-use order, one per place and working hours:
        // where each type starts, then where it ends (the same node for
        // routes back home; [`NOWHERE`] for open routes). Types with
        // staggered shifts get a node each, so every rule keyed on a route's
        // depot node sees its hours. Node 0 is where the first type starts.
        let m = towns.len();
        let mut depots: Vec<(usize, Window)> = Vec::new();
        let mut node_of = |place: usize, k: usize| -> u32 {
            let key = (place, problem.working_hours(k));
            let j = depots.iter().position(|&x| x == key).unwrap_or_else(|| {
                depots.push(key);
                depots.len() - 1
            });
            if j == 0 { 0 } else { (m + j) as u32 }
        };
        let start_nodes: Vec<u32> = (0..fleet.len()).map(|k| node_of(fleet[k].depot, k)).collect();
        let end_nodes: Vec<u32> = (0..fleet.len())
            .map(|k| node_of(fleet[k].end_depot().unwrap_or(NOWHERE), k))
            .collect();
        let mut locations = vec![depots[0].0];
        locations.extend(towns.iter().map(|&t| problem.town_location(t)));
        locations.extend(depots[1..].iter().map(|&(d, _)| d));
        let extra = depots.len() - 1;
        let mut hours: Vec<Window> = depots.iter().map(|&(_, h)| h).collect();
        // Reload nodes: per type that may reload, per reload depot, enough
        // copies for every trip it could need beyond the first.
        let first_reload = m + 1 + extra;
        let mut reload_type = Vec::new();
        let mut reload_service = Vec::new();
        let total =
            |f: fn(&crate::model::Town) -> u32| -> i64 { towns.iter().map(|&t| i64::from(f(&problem.towns[t]))).sum() };
        let goods = total(|t| t.demand).max(total(|t| t.pickup));
        // All reload nodes together stay within a small multiple of the
        // towns, shared between the types and depots that reload: the node
        // matrices grow with their square.
        let reload_pairs: usize = fleet.iter().map(|v| v.reload_depots.len()).sum();
        let share = (2 * m + 16) / reload_pairs.max(1);
        for (k, v) in fleet.iter().enumerate() {
            if v.reload_depots.is_empty() {
                continue;
            }
            let trips = (goods / i64::from(v.capacity.max(1)) + 1) as usize;
            let vehicles = v.count.map_or(trips, |c| c as usize);
            let per_depot = (trips + vehicles)
                .min(m.max(1))
                .min(v.max_reloads.map_or(usize::MAX, |r| r as usize * vehicles))
                .min(share.max(1));
            for &d in &v.reload_depots {
                for _ in 0..per_depot {
                    locations.push(d);
                    hours.push(problem.depots[d].hours);
                    reload_type.push(k as u32);
                    reload_service.push(v.reload_time);
                }
            }
        }
        let NodeArrays {
            towns: node_towns,
            demand,
            pickup,
            service,
            windowed,
            win_at,
            windows,
        } = NodeArrays::new(problem, towns, &hours, problem.has_breaks());
        let mut service = service;
        for (i, &r) in reload_service.iter().enumerate() {
            service[first_reload + i] = r;
        }
        let release: Vec<i64> = if problem.has_release_times() {
            let mut r = vec![0; locations.len()];
            for (i, &t) in towns.iter().enumerate() {
                r[i + 1] = problem.towns[t].release;
            }
            r
        } else {
            Vec::new()
        };
        // Trips are timed stop by stop (the stored fast paths assume one trip).
        let multi_trip = !reload_type.is_empty() || !release.is_empty();
        let (windowed, win_at) = if multi_trip && !windowed {
            (true, vec![0; locations.len() + 1])
        } else {
            (windowed, win_at)
        };
        let money = problem.has_running_costs();
        let types: Vec<RouteType> = fleet
            .iter()
            .enumerate()
            .map(|(k, v)| {
                let (fixed, per_distance, per_second, per_overtime_second) = if money {
                    (
                        round_to_int(v.fixed_cost as f64 * MONEY_SCALE),
                        round_to_int(v.cost_per_km * MONEY_SCALE / 1000.0),
                        round_to_int(v.cost_per_hour * MONEY_SCALE / 3600.0),
                        round_to_int(v.cost_per_overtime_hour * MONEY_SCALE / 3600.0),
                    )
                } else {
                    (v.fixed_cost, 1, 0, 0)
                };
                RouteType {
                    vehicle_type: k,
                    depot: start_nodes[k],
                    end: end_nodes[k],
                    limits: Limits::of(v),
                    fixed,
                    per_distance,
                    per_second,
                    per_overtime_second,
                    regular: v.max_duration.map_or(Limits::UNLIMITED, |d| d.min(Limits::UNLIMITED)),
                    count: v.count.unwrap_or(u32::MAX),
                    profile: profile_of[k],
                    max_reloads: if v.reload_depots.is_empty() {
                        0
                    } else {
                        v.max_reloads.unwrap_or(u32::MAX)
                    },
                }
            })
            .collect();
        let timed = windowed
            || types
                .iter()
                .any(|t| t.limits.max_duration < Limits::UNLIMITED || t.per_second > 0);
        let restricted = towns.iter().any(|&t| !problem.towns[t].allowed_types.is_empty())
            || (!reload_type.is_empty() && types.len() > 1);
        let words = if restricted { types.len().div_ceil(64) } else { 0 };
        let mut allowed = Vec::new();
        if restricted {
            allowed = vec![u64::MAX; locations.len() * words];
            for (i, &k) in reload_type.iter().enumerate() {
                let row = &mut allowed[(first_reload + i) * words..(first_reload + i + 1) * words];
                row.iter_mut().for_each(|w| *w = 0);
                row[k as usize / 64] |= 1 << (k % 64);
            }
            for (i, &t) in towns.iter().enumerate() {
                let row = &mut allowed[(i + 1) * words..(i + 2) * words];
                row.iter_mut().for_each(|w| *w = 0);
                for k in 0..types.len() {
                    if problem.towns[t].allows_type(k) {
                        row[k / 64] |= 1 << (k % 64);
                    }
                }
            }
        }
        let uniform = depots.len() == 1
            && types
                .iter()
                .all(|t| t.per_distance == 1 && t.per_second == 0 && t.per_overtime_second == 0);
        let c = Cluster {
            oracle,
            profiles,
            locations,
            towns: node_towns,
            demand,
            pickups: problem.has_pickups(),
            pickup: if problem.has_pickups() { pickup } else { Vec::new() },
            extra_dims: 0,
            extra_stop: Vec::new(),
            first_stop: Vec::new(),
            pickup_order: problem.pickup_order,
            home: Vec::new(),
            homes: 0,
            change_penalty: 0,
            optional: Vec::new(),
            first_reload: usize::MAX,
            reload_type: Vec::new(),
            release: Vec::new(),
            multi_trip: false,
            service,
            limits: types[0].limits,
            fixed_cost: types[0].fixed,
            time_cost: types.iter().any(|t| t.per_second > 0),
            fixed_costs: types.iter().any(|t| t.fixed != 0),
            pricing: Pricing::General,
            types,
            num_towns: m,
            depot_hours: hours[0],
            hours,
            allowed,
            words,
            uniform,
            multi_depot: depots.len() > 1,
            penalty: Vec::new(),
            timed,
            windowed,
            type_breaks: fleet.iter().map(|v| v.breaks.as_slice()).collect(),
            win_at,
            windows,
            symmetric: oracle.is_symmetric(),
            dense_dist: None,
            dense_times: Vec::new(),
            euclidean: None,
        };
        let mut c = c.with_matrices(dense_limit);
        c.first_reload = first_reload;
        c.reload_type = reload_type;
        c.release = release;
        c.multi_trip = multi_trip;
        // Reloads split the load into trips: loads follow profiles then.
        c.pickups |= !c.reload_type.is_empty();
        // Several capacity dimensions: each after the first has its profiles.
        let k = problem.dimensions() - 1;
        if k > 0 {
            c.pickups = true;
            c.extra_dims = k;
            c.extra_stop = (0..c.num_nodes())
                .flat_map(|v| (1..=k).map(move |d| (v, d)))
                .map(|(v, d)| c.node_load(problem, v, d))
                .collect();
        }
        c.class_towns_by_every_dimension(problem);
        c.penalty = c.unrouted_penalties(problem);
        if problem.has_optional_towns() {
            // An optional town left out costs its prize, in objective units.
            let unit = if money { MONEY_SCALE } else { 1.0 };
            c.optional = vec![false; c.num_nodes()];
            for v in 1..=m {
                if let Some(prize) = problem.towns[c.towns[v]].prize {
                    c.optional[v] = true;
                    c.penalty[v] = round_to_int(prize * unit).min(1 << 50);
                }
            }
        }
        c.pricing = c.pricing_rules();
        Some(c)
    }

    /// The pricing path for this cluster's rules (once all are set).
    fn pricing_rules(&self) -> Pricing {
        let plain_cost = match self.types.as_slice() {
            [t] => t.per_distance == 1 && t.per_second == 0,
            _ => false,
        };
        let plain_rules = !self.timed
            && !self.windowed
            && !self.multi_trip
            && !self.pickups
            && !self.multi_depot
            && !self.restricted()
            && self.first_reload >= self.num_nodes()
            && self.types.iter().all(|t| t.limits.max_stops == Limits::UNLIMITED);
        if plain_cost && plain_rules {
            Pricing::Plain
        } else {
            Pricing::General
        }
    }

    /// Leaving a town out must cost more than any route could save by it
    /// (twice the dearest round trip of any type plus its fixed cost), so
    /// a plan that serves one town more is always the better one: towns
    /// served first, then cost. A town of priority `p` costs `1 + p` such
    /// units. Capped so a pool's sum stays in range.
    fn unrouted_penalties(&self, problem: &Problem) -> Vec<i64> {
        let m = self.num_towns;
        let worst = (1..=m)
            .into_par_iter()
            .map(|v| {
                self.types
                    .iter()
                    .map(|t| {
                        let (d, e) = (t.depot as usize, t.end as usize);
                        let (dist, time) = (
                            self.dist(d, v).saturating_add(self.dist(v, e)),
                            self.time_in(t.profile, d, v).saturating_add(self.time_in(t.profile, v, e)),
                        );
                        if is_unreachable(dist) {
                            return 0;
                        }
                        t.cost(dist.min(1 << 40), time.min(1 << 40) + self.service[v], true)
                    })
                    .max()
                    .unwrap_or(0)
            })
            .max()
            .unwrap_or(0);
        let unit = worst.saturating_mul(2).saturating_add(1).min(1 << 40);
        (0..self.num_nodes())
            .map(|v| {
                if (1..=m).contains(&v) {
                    let priority = problem.towns[self.towns[v]].priority.min(crate::model::MAX_PRIORITY);
                    unit.saturating_mul(1 + i64::from(priority))
                } else {
                    0
                }
            })
            .collect()
    }

    fn with_matrices(mut self, dense_limit: usize) -> Cluster<'a> {
        let (oracle, timed) = (self.oracle, self.timed);
        let n = self.num_nodes();
        if n <= dense_limit {
            let rows = |f: &(dyn Fn(usize, usize) -> i64 + Sync)| -> Vec<u32> {
                let mut m = vec![0u32; n * n];
                // At least ~4 M entries per piece: a region's matrices are
                // filled on its own thread (see `Neighbours::new`).
                m.par_chunks_mut(n)
                    .with_min_len((1 << 22) / n.max(1))
                    .enumerate()
                    .for_each(|(i, row)| row.iter_mut().enumerate().for_each(|(j, x)| *x = pack(f(i, j))));
                m
            };
            let c = &self;
            let dist = rows(&|i, j| c.oracle_distance(i, j));
            let times = if timed {
                (0..c.profiles.len())
                    .map(|p| rows(&|i, j| c.oracle_time(p, i, j)))
                    .collect()
            } else {
                Vec::new()
            };
            self.dense_dist = Some(dist);
            self.dense_times = times;
        } else {
            // Open routes' end node has no point: it is priced through the oracle path.
            self.euclidean = self
                .locations
                .iter()
                .map(|&l| if l == NOWHERE { None } else { oracle.euclidean_point(l) })
                .collect();
        }
        self
    }

    /// The problem's town indices of town nodes (a route or a list of nodes).
    pub fn town_indices(&self, nodes: &[usize]) -> Vec<usize> {
        nodes.iter().map(|&node| self.towns[node]).collect()
    }

    /// Number of towns (nodes `1..=num_towns`).
    #[inline]
    pub fn num_towns(&self) -> usize {
        self.num_towns
    }

    /// True for depot nodes.
    #[inline]
    pub fn is_depot(&self, v: usize) -> bool {
        v == 0 || v > self.num_towns
    }

    /// Opening hours of depot node `d`.
    #[inline]
    pub fn hours_at(&self, d: usize) -> Window {
        if d == 0 {
            self.hours[0]
        } else {
            self.hours[d - self.num_towns]
        }
    }

    /// True if node `v` is a reload node.
    #[inline]
    pub fn is_reload(&self, v: usize) -> bool {
        v >= self.first_reload
    }

    /// The route type that may use reload node `v`.
    #[inline]
    pub fn reload_type_of(&self, v: usize) -> usize {
        self.reload_type[v - self.first_reload] as usize
    }

    /// The problem's depot index of depot node `v` (reload nodes included).
    #[inline]
    pub fn depot_location(&self, v: usize) -> usize {
        self.locations[v]
    }

    /// Release time of node `v` (0 for depots and towns ready at the start).
    #[inline]
    pub fn release_of(&self, v: usize) -> i64 {
        self.release.get(v).copied().unwrap_or(0)
    }

    /// True if node `v` is an optional town.
    #[inline]
    pub fn is_optional(&self, v: usize) -> bool {
        self.optional.get(v).copied().unwrap_or(false)
    }

    /// The load profile of node `v` alone (nothing for a depot).
    #[inline]
    pub fn stop_load(&self, v: usize) -> LoadProfile {
        if self.is_reload(v) {
            return LoadProfile::RELOAD;
        }
        if self.is_depot(v) {
            return LoadProfile::EMPTY;
        }
        if let Some(&p) = self.first_stop.get(v) {
            return p;
        }
        LoadProfile::stop(self.demand[v], self.pickup.get(v).copied().unwrap_or(0))
    }

    /// Re-planning: node `v`'s home is search route `home[v]` (the first
    /// `homes` routes are the previous plan's), and a town elsewhere, or
    /// left out, costs `penalty`. Every move is then priced on the general
    /// path.
    pub fn keep_homes(&mut self, home: Vec<u32>, homes: usize, penalty: i64) {
        if penalty <= 0 {
            return;
        }
        // Towns served first still: leaving out a required town costs more
        // than moving every town the previous plan served, so the penalty
        // only chooses among plans that serve as many (the penalties keep
        // their ratios, so priorities rank as before). A prize is the
        // user's own worth of an optional town, and stays.
        let moves = penalty.saturating_mul(home.iter().filter(|&&h| h != NO_HOME).count() as i64);
        let least = (1..self.penalty.len())
            .filter(|&v| !self.is_optional(v))
            .map(|v| self.penalty[v])
            .filter(|&p| p > 0)
            .min();
        if let Some(least) = least {
            let factor = 1 + moves / least;
            // Sums over every node must still fit in an i64.
            let cap = (1i64 << 60) / self.penalty.len() as i64;
            for v in 1..self.penalty.len() {
                if !self.is_optional(v) {
                    let p = self.penalty[v];
                    self.penalty[v] = p.saturating_mul(factor).min(cap.max(p));
                }
            }
        }
        // Leaving out a town the previous plan served changes the plan
        // too: it costs the penalty on top of its own.
        for (v, &h) in home.iter().enumerate() {
            if h != NO_HOME
                && let Some(p) = self.penalty.get_mut(v)
            {
                *p = p.saturating_add(penalty);
            }
        }
        self.home = home;
        self.homes = homes;
        self.change_penalty = penalty;
        self.pricing = Pricing::General;
    }

    /// With several capacity dimensions and deliveries first, a town's
    /// place in the order comes from all its dimensions: keeps each node's
    /// first-dimension profile so classed, and follows profiles (not sums).
    fn class_towns_by_every_dimension(&mut self, problem: &Problem) {
        if problem.dimensions() == 1 || self.pickup_order != PickupOrder::DeliveriesFirst {
            return;
        }
        self.pickups = true;
        self.first_stop = (0..self.num_nodes()).map(|v| self.node_load(problem, v, 0)).collect();
    }

    /// Node `v` alone in capacity dimension `d`: a reload ends a trip, a
    /// depot carries nothing, a town is [`crate::model::Town::load_stop`].
    fn node_load(&self, problem: &Problem, v: usize, d: usize) -> LoadProfile {
        if self.is_reload(v) {
            LoadProfile::RELOAD
        } else if self.is_depot(v) {
            LoadProfile::EMPTY
        } else {
            problem.towns[self.towns[v]].load_stop(d)
        }
    }

    /// The load profile of node `v` alone in capacity dimension `d + 1`.
    #[inline]
    pub fn extra_load(&self, v: usize, d: usize) -> LoadProfile {
        self.extra_stop[v * self.extra_dims + d]
    }

    /// True if a route of `nodes` (towns, reload nodes) fits `limits` in
    /// every capacity dimension after the first.
    pub fn extra_fits(&self, limits: &Limits, nodes: &[usize]) -> bool {
        (0..self.extra_dims).all(|d| {
            nodes
                .iter()
                .fold(LoadProfile::EMPTY, |p, &v| p.then(self.extra_load(v, d)))
                .required_capacity(self.pickup_order)
                <= limits.extra_capacity[d]
        })
    }

    /// The load a route of `nodes` (towns) needs under the load rule: its
    /// peak, or `i64::MAX` when it breaks the pickup order.
    pub fn required_capacity(&self, nodes: impl IntoIterator<Item = usize>) -> i64 {
        if !self.pickups {
            return nodes.into_iter().map(|v| self.demand[v]).sum();
        }
        nodes
            .into_iter()
            .fold(LoadProfile::EMPTY, |p, v| p.then(self.stop_load(v)))
            .required_capacity(self.pickup_order)
    }

    /// True if some town restricts the vehicle types that may serve it.
    #[inline]
    pub fn restricted(&self) -> bool {
        self.words > 0
    }

    /// True if route type `t` may serve node `v`.
    #[inline]
    pub fn serves(&self, v: usize, t: usize) -> bool {
        self.words == 0 || self.allowed[v * self.words + t / 64] >> (t % 64) & 1 == 1
    }

    fn oracle_distance(&self, i: usize, j: usize) -> i64 {
        let (a, b) = (self.locations[i], self.locations[j]);
        if a == NOWHERE || b == NOWHERE {
            return 0;
        }
        self.oracle.distance(a, b)
    }

    fn oracle_time(&self, profile: usize, i: usize, j: usize) -> i64 {
        let (a, b) = (self.locations[i], self.locations[j]);
        if a == NOWHERE || b == NOWHERE {
            return 0;
        }
        self.oracle.travel_time(self.profiles[profile], a, b)
    }

    /// True if distances are computed from planar points on the fly (no
    /// dense matrix, no oracle call).
    pub fn is_inline_euclidean(&self) -> bool {
        self.euclidean.is_some()
    }

    /// Number of nodes including the depot.
    pub fn num_nodes(&self) -> usize {
        self.locations.len()
    }

    /// True if distances (and times) are the same both ways.
    pub fn is_symmetric(&self) -> bool {
        self.symmetric
    }

    /// Distance from node `i` to node `j`.
    #[inline]
    pub fn dist(&self, i: usize, j: usize) -> i64 {
        if let Some(m) = &self.dense_dist {
            return unpack(m[i * self.locations.len() + j]);
        }
        if let Some(xy) = &self.euclidean {
            let ((xa, ya), (xb, yb)) = (xy[i], xy[j]);
            return round_to_int(((xa - xb) * (xa - xb) + (ya - yb) * (ya - yb)).sqrt());
        }
        self.oracle_distance(i, j)
    }

    /// Travel time from node `i` to node `j` (0 when durations are
    /// unconstrained) in a cluster of one time profile: the construction's
    /// and the route polish's view. A fleet cluster's routes read their own
    /// type's profile with [`Cluster::time_in`].
    #[inline]
    pub fn time(&self, i: usize, j: usize) -> i64 {
        debug_assert_eq!(self.profiles.len(), 1, "a fleet cluster's times depend on the route type");
        self.time_in(0, i, j)
    }

    /// Travel time from node `i` to node `j` in time profile `profile` (a
    /// route type's [`RouteType::profile`]).
    #[inline]
    pub fn time_in(&self, profile: u32, i: usize, j: usize) -> i64 {
        if !self.timed {
            return 0;
        }
        match self.dense_times.get(profile as usize) {
            Some(m) => unpack(m[i * self.locations.len() + j]),
            None => self.oracle_time(profile as usize, i, j),
        }
    }

    /// Number of time profiles (distinct speeds among the route types).
    #[inline]
    pub fn num_profiles(&self) -> usize {
        self.profiles.len()
    }

    /// Planar point of node `i` for spatial indexes, if the oracle has one.
    pub fn planar_point(&self, i: usize) -> Option<[f64; 2]> {
        let l = self.locations[i];
        if l == NOWHERE {
            return None;
        }
        self.oracle.planar_point(l)
    }

    /// Opening intervals of node `v` (empty = always open).
    #[inline]
    pub fn windows(&self, v: usize) -> &[Window] {
        if self.windowed {
            &self.windows[self.win_at[v] as usize..self.win_at[v + 1] as usize]
        } else {
            &[]
        }
    }

    /// Times of the route visiting `nodes` (towns only, no depot) under the
    /// route rule of [`crate::model::timing`].
    #[inline]
    pub fn route_times<I>(&self, nodes: I) -> RouteTimes
    where
        I: IntoIterator<Item = usize>,
        I::IntoIter: Clone,
    {
        self.route_times_of(0, nodes)
    }

    /// Like [`Cluster::route_times`] for a route from and to depot node
    /// `depot`, by a driver without breaks (see [`Cluster::route_times_of`]).
    #[inline]
    pub fn route_times_from(&self, depot: usize, nodes: impl IntoIterator<Item = usize>) -> RouteTimes {
        self.clock_times((depot, depot), 0, &[], nodes)
    }

    /// True if route type `t` has driver breaks: its routes must be timed
    /// stop by stop (no shortcut through stored departures).
    #[inline]
    pub fn has_breaks(&self, t: usize) -> bool {
        !self.type_breaks[t].is_empty()
    }

    /// Times of the route of type `t` (index in [`Cluster::types`]) visiting
    /// `nodes` from and to its depot, its driver's breaks included. A route
    /// over its type's shift is given the shortest schedule
    /// ([`shortest_schedule`]) when its stops have several intervals.
    pub fn route_times_of<I>(&self, t: usize, nodes: I) -> RouteTimes
    where
        I: IntoIterator<Item = usize>,
        I::IntoIter: Clone,
    {
        let ty = &self.types[t];
        let (depot, end) = (ty.depot as usize, ty.end as usize);
        let nodes = nodes.into_iter();
        let quick = self.clock_times((depot, end), ty.profile, self.type_breaks[t], nodes.clone());
        if !quick.on_time || quick.duration() <= ty.limits.max_duration || !self.windowed || self.multi_trip {
            return quick;
        }
        if self.has_breaks(t) || nodes.clone().all(|v| self.windows(v).len() < 2) {
            return quick;
        }
        let pieces = 1 + nodes.clone().map(|v| self.windows(v).len()).sum::<usize>();
        shortest_schedule(self.hours_at(depot), pieces, |ready| {
            self.one_trip_times(ready, (depot, end), ty.profile, &[], nodes.clone())
        })
    }

    #[inline]
    fn clock_times(
        &self,
        ends: (usize, usize),
        profile: u32,
        breaks: &[BreakRule],
        nodes: impl IntoIterator<Item = usize>,
    ) -> RouteTimes {
        if self.multi_trip {
            return self.trip_times_from(ends, profile, breaks, nodes.into_iter().collect());
        }
        self.one_trip_times(self.hours_at(ends.0), ends, profile, breaks, nodes)
    }

    /// One trip from depot node `ends.0` to depot node `ends.1`, the
    /// vehicle ready as `hours` open (the depot's own hours, or a later
    /// opening for the shortest schedule).
    #[inline]
    fn one_trip_times(
        &self,
        hours: Window,
        (depot, end): (usize, usize),
        profile: u32,
        breaks: &[BreakRule],
        nodes: impl IntoIterator<Item = usize>,
    ) -> RouteTimes {
        let time = |a: usize, b: usize| self.time_in(profile, a, b);
        let mut clock = RouteClock::new(hours).with_breaks(breaks);
        let mut prev = depot;
        for v in nodes {
            clock.visit(time(prev, v), self.service[v], self.windows(v));
            prev = v;
        }
        clock.finish(time(prev, end))
    }

    /// [`Cluster::route_times_from`] for routes with reloads (and release
    /// times): each trip leaves when its last goods are released; reloads
    /// with no town before or after them are skipped.
    fn trip_times_from(
        &self,
        (depot, end): (usize, usize),
        profile: u32,
        breaks: &[BreakRule],
        nodes: Vec<usize>,
    ) -> RouteTimes {
        let time = |a: usize, b: usize| self.time_in(profile, a, b);
        let mut clock = RouteClock::new(self.hours_at(depot)).with_breaks(breaks);
        let (mut prev, mut reload, mut first, mut i) = (depot, depot, true, 0);
        while i < nodes.len() {
            let mut j = i;
            while j < nodes.len() && !self.is_depot(nodes[j]) {
                j += 1;
            }
            if j > i {
                let ready = nodes[i..j].iter().map(|&v| self.release_of(v)).max().unwrap_or(0);
                if first {
                    clock.not_before(ready);
                } else {
                    clock.reload(
                        time(prev, reload),
                        self.service[reload],
                        ready,
                        self.hours_at(reload),
                    );
                    prev = reload;
                }
                for &v in &nodes[i..j] {
                    clock.visit(time(prev, v), self.service[v], self.windows(v));
                    prev = v;
                }
                first = false;
            }
            if j < nodes.len() {
                reload = nodes[j];
            }
            i = j + 1;
        }
        clock.finish(time(prev, end))
    }

    /// Travel plus service time of a route of type `t` (no waiting): what
    /// the search prices per second.
    pub fn summed_duration(&self, t: usize, route: &[usize]) -> i64 {
        let RouteType { depot, end, profile, .. } = self.types[t];
        let mut prev = depot as usize;
        let mut sum = 0;
        for &v in route {
            sum += self.time_in(profile, prev, v) + self.service[v];
            prev = v;
        }
        sum + self.time_in(profile, prev, end as usize)
    }

    /// True if a route with this load, distance and these times is allowed.
    #[inline]
    pub fn allows(&self, load: i64, distance: i64, times: &RouteTimes) -> bool {
        times.on_time && self.limits.allows(load, distance, times.duration())
    }

    /// Distance, duration (incl. service and waiting) and load of a route
    /// of nodes (its peak under the load rule, `i64::MAX` if it breaks the
    /// pickup order).
    pub fn route_totals(&self, route: &[usize]) -> (i64, i64, i64) {
        self.route_totals_from((0, 0), route)
    }

    /// Like [`Cluster::route_totals`] for a route from depot node `ends.0`
    /// to depot node `ends.1` (the duration of a driver without breaks:
    /// time a type's routes with [`Cluster::route_times_of`]).
    pub fn route_totals_from(&self, (depot, end): (usize, usize), route: &[usize]) -> (i64, i64, i64) {
        let (mut d, mut prev) = (0, depot);
        for &v in route {
            d += self.dist(prev, v);
            prev = v;
        }
        let q = self.required_capacity(route.iter().copied());
        let times = self.clock_times((depot, end), 0, &[], route.iter().copied());
        (d + self.dist(prev, end), times.duration(), q)
    }

    /// The start and end depot nodes of route type `t`.
    #[inline]
    pub fn ends_of(&self, t: usize) -> (usize, usize) {
        (self.types[t].depot as usize, self.types[t].end as usize)
    }

    /// The objective over routes of nodes: distance plus the fixed cost of
    /// every used route.
    pub fn routes_cost(&self, routes: &[Vec<usize>]) -> i64 {
        routes
            .iter()
            .filter(|r| !r.is_empty())
            .map(|r| self.route_totals(r).0 + self.fixed_cost)
            .sum()
    }

    /// True if the route of nodes keeps the vehicle's limits and every
    /// opening interval.
    pub fn route_ok(&self, route: &[usize]) -> bool {
        let (d, _, q) = self.route_totals(route);
        self.allows(q, d, &self.route_times(route.iter().copied()))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::distance::build_oracle;
    use crate::model::{Location, ProblemBuilder, VehicleTypeSpec};

    /// `n` towns at scrambled but deterministic planar points, capacity 10.
    pub(crate) fn scrambled_problem(n: usize) -> crate::model::Problem {
        let mut b = ProblemBuilder::new("scrambled").depot("D", Location::Planar { x: 0.5, y: 0.0 });
        for i in 0..n {
            let (x, y) = ((i * 7919 % 10007) as f64 * 0.37, (i * 104_729 % 9973) as f64 * 1.13);
            b = b.town(format!("T{i}"), Location::Planar { x, y }, 1.0, 0.0);
        }
        b.vehicle_type(VehicleTypeSpec::new("v", "D", 10.0)).build().unwrap()
    }

    /// A change penalty chooses among plans that serve as many towns:
    /// leaving out any town costs more than moving every town of the
    /// previous plan, and the penalties keep their order.
    #[test]
    fn a_change_penalty_never_outweighs_serving_a_town() {
        let problem = scrambled_problem(30);
        let oracle = build_oracle(&problem).unwrap();
        let towns: Vec<usize> = (0..30).collect();
        let mut c = Cluster::fleet(&problem, oracle.as_ref(), &towns, DENSE_LIMIT).unwrap();
        let before = c.penalty.clone();
        let penalty = before[1..].iter().copied().max().unwrap();
        // Twenty towns had a home (route 0); ten were new.
        let home: Vec<u32> = (0..c.num_nodes()).map(|v| if (1..=20).contains(&v) { 0 } else { NO_HOME }).collect();
        c.keep_homes(home, 1, penalty);
        for v in 1..=30 {
            assert!(c.penalty[v] > 20 * penalty, "town {v}: {} against {}", c.penalty[v], 20 * penalty);
            // A town that had a home costs the change penalty on top.
            let extra = if v <= 20 { penalty } else { 0 };
            assert_eq!(c.penalty[v] - extra, before[v] * (1 + 20 * penalty / before[1..].iter().min().unwrap()));
        }
    }

    #[test]
    fn inline_euclidean_distances_match_the_oracle() {
        let n = DENSE_LIMIT + 10;
        let problem = scrambled_problem(n);
        let oracle = build_oracle(&problem).unwrap();
        // Towns in reverse order, so node and location indices differ.
        let towns: Vec<usize> = (0..n).rev().collect();
        let c = Cluster::new(&problem, oracle.as_ref(), 0, &towns, &problem.fleet[0]);
        assert!(c.dense_dist.is_none() && c.euclidean.is_some());
        for (i, j) in (0..c.num_nodes()).step_by(37).zip((0..c.num_nodes()).rev().step_by(41)) {
            assert_eq!(c.dist(i, j), oracle.distance(c.locations[i], c.locations[j]), "{i} {j}");
        }
    }
}
