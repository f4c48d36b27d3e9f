//! What a solve returns: routes with their schedule, totals, and the towns
//! that could not be served with the reason why.

mod schedule;
mod validate;

pub use schedule::{Plan, PlannedRoute};
pub use validate::{ValidationReport, Violation, validate};

use serde::{Deserialize, Serialize};

/// A complete answer to a problem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Solution {
    /// Name of the problem solved.
    #[serde(default)]
    pub problem: String,
    /// One entry per vehicle used.
    pub routes: Vec<Route>,
    /// Towns not served, each with its reason.
    #[serde(default)]
    pub unassigned: Vec<Unassigned>,
    /// Totals over all routes.
    pub totals: Totals,
}

/// One vehicle's trip: depot → stops → depot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Route {
    /// Vehicle type id.
    pub vehicle_type: String,
    /// Which vehicle of that type (0-based).
    pub vehicle: u32,
    /// Depot id (start and end).
    pub depot: String,
    /// Stops in visiting order.
    pub stops: Vec<Stop>,
    /// Route length, distance units (metres for geographic problems).
    pub distance: i64,
    /// Seconds from leaving the depot to returning, service and waiting included.
    pub duration_s: i64,
    /// When the vehicle leaves the depot, seconds on the problem's clock
    /// (0 = the start of the planning day unless the depot opens later).
    #[serde(default)]
    pub start_s: i64,
    /// When it is back at the depot, seconds on the problem's clock.
    #[serde(default)]
    pub end_s: i64,
    /// Total demand delivered.
    pub load: u64,
    /// What the route costs with its vehicle type:
    /// [`crate::model::VehicleType::route_cost`] (fixed + per km + per hour).
    #[serde(default)]
    pub cost: f64,
}

/// A visit to a town.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stop {
    /// Town id.
    pub town: String,
    /// Arrival, seconds on the problem's clock (the vehicle leaves the depot
    /// at the route's `start_s`).
    pub arrival_s: i64,
    /// Service start: the arrival, or the opening of the town's next
    /// opening interval when the vehicle must wait.
    #[serde(default)]
    pub start_s: i64,
    /// Departure after service.
    #[serde(default)]
    pub departure_s: i64,
    /// Load still on board after this delivery.
    pub load_after: u64,
}

/// A town that is not served.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unassigned {
    /// Town id.
    pub town: String,
    /// Why.
    pub reason: UnassignedReason,
}

/// Why a town is not served.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum UnassignedReason {
    /// No depot with vehicles can reach the town and come back
    /// (e.g. another component of the road graph).
    Unreachable,
    /// The demand exceeds the capacity of every vehicle that can reach it.
    DemandExceedsCapacity {
        /// The town's demand.
        demand: u64,
        /// The largest capacity available.
        max_capacity: u64,
    },
    /// Even a route serving only this town is longer than every vehicle's limit.
    RoundTripTooLong {
        /// Shortest depot → town → depot distance.
        distance: i64,
        /// The most lenient distance limit.
        max_distance: i64,
    },
    /// Even a route serving only this town lasts longer than every shift.
    ShiftTooShort {
        /// Shortest depot → town → depot duration, service included, seconds.
        duration_s: i64,
        /// The most lenient shift limit, seconds.
        max_duration_s: i64,
    },
    /// Even a vehicle driving straight there cannot start service within
    /// the town's opening hours and be back before its depot closes.
    OpeningHours {
        /// The town's opening intervals, seconds.
        hours: Vec<crate::model::Window>,
    },
    /// The town is farther from every road than the problem allows (a
    /// point in the sea, a wrong coordinate).
    OffNetwork {
        /// Straight-line distance to the nearest road junction, metres.
        snap_m: i64,
        /// The problem's limit, metres.
        max_snap_m: i64,
    },
    /// Every vehicle of the depot serving the town is already in use.
    NoVehicleLeft {
        /// Depot id.
        depot: String,
    },
}

impl std::fmt::Display for UnassignedReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UnassignedReason::Unreachable => write!(f, "unreachable from every depot"),
            UnassignedReason::DemandExceedsCapacity { demand, max_capacity } => {
                write!(f, "demand {demand} exceeds the largest capacity {max_capacity}")
            }
            UnassignedReason::RoundTripTooLong { distance, max_distance } => {
                write!(
                    f,
                    "round trip {distance} exceeds the longest allowed route {max_distance}"
                )
            }
            UnassignedReason::ShiftTooShort {
                duration_s,
                max_duration_s,
            } => write!(
                f,
                "round trip takes {duration_s} s, longer than every shift ({max_duration_s} s)"
            ),
            UnassignedReason::OpeningHours { hours } => {
                let list: Vec<String> = hours.iter().map(|w| format!("{}-{} s", w.open, w.close)).collect();
                write!(
                    f,
                    "cannot be served within its opening hours ({}) and the depot's",
                    if list.is_empty() {
                        "always open".to_string()
                    } else {
                        list.join(", ")
                    }
                )
            }
            UnassignedReason::OffNetwork { snap_m, max_snap_m } => {
                write!(
                    f,
                    "off-network: {snap_m} m from the nearest road (limit {max_snap_m} m)"
                )
            }
            UnassignedReason::NoVehicleLeft { depot } => write!(f, "no vehicle left at depot '{depot}'"),
        }
    }
}

/// Sums over all routes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    /// Total distance.
    pub distance: i64,
    /// Total money cost of the routes (fixed, per km and per hour costs of
    /// their vehicle types; 0 when the fleet has no costs).
    #[serde(default)]
    pub cost: f64,
    /// Total duration, seconds.
    pub duration_s: i64,
    /// Vehicles used (non-empty routes).
    pub vehicles_used: usize,
    /// Towns served.
    pub towns_served: usize,
    /// Towns not served.
    pub towns_unassigned: usize,
}
