//! The route limits, route types and pricing path a cluster is searched
//! with.

use super::ROUTE_COST_CAP;
use crate::distance::UNREACHABLE;
use crate::model::load::MAX_DIMENSIONS;
use crate::model::VehicleType;

/// Route limits of the vehicle profile a cluster is solved with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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

    /// Capacity in dimension `d` (0 = the first).
    #[inline]
    pub fn capacity_in(&self, d: usize) -> i64 {
        if d == 0 { self.capacity } else { self.extra_capacity[d - 1] }
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
    /// Index in [`Problem::fleet`](crate::model::Problem::fleet).
    pub vehicle_type: usize,
    /// Cluster node of its depot, where its routes start.
    pub depot: u32,
    /// Cluster node where its routes end: `depot` for routes back home,
    /// another depot's node, or a node [`NOWHERE`](super::NOWHERE) for open routes.
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
