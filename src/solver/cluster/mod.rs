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

mod build;
mod limits;
mod load;
mod nodes;
mod times;
mod totals;
mod travel;

#[cfg(test)]
pub(crate) mod tests;

pub use limits::{Limits, Pricing, RouteType};

use crate::distance::TravelOracle;
use crate::model::{BreakRule, LoadProfile, PickupOrder, VehicleType, Window};

/// Largest cluster (depot + towns) for which dense matrices are cached
/// (4000² × 4 B = 64 MB per matrix).
pub const DENSE_LIMIT: usize = 4000;

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
    /// [`RouteClock`](crate::model::RouteClock) (O(route length)).
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
