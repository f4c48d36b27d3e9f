//! What a solve returns: routes with their schedule, totals, and the towns
//! that could not be served with the reason why.

mod changes;
mod eta;
mod fit;
mod schedule;
mod validate;

pub use changes::{VehicleChanges, vehicle_changes, vehicle_of_each_town};
pub use eta::{Eta, eta};
pub use fit::{Fit, FitOption, fit};
pub use schedule::{Plan, PlannedRoute, Reload};
pub(crate) use validate::costs_agree;
pub(crate) use validate::{Derived, check_reasons, derive_reason, judge_reason};
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
    /// Depot id where the route starts (and ends, unless `end_depot` or
    /// `open` says otherwise).
    pub depot: String,
    /// Depot id where the route ends, when it is not `depot` (the vehicle
    /// type's `end_depot`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_depot: Option<String>,
    /// The route ends at its last stop (an open route): no return leg is
    /// driven, and `end_s` is the last departure.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub open: bool,
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
    /// When it is back at the depot (its end depot; an open route: when
    /// it is done at its last stop), seconds on the problem's clock.
    #[serde(default)]
    pub end_s: i64,
    /// Total demand delivered.
    pub load: u64,
    /// Several capacity dimensions only: the demand delivered in each
    /// (the first is `load`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub loads: Vec<u64>,
    /// Total pickups collected (farm produce, returns), brought to the depot.
    #[serde(default, skip_serializing_if = "is_zero_u64")]
    pub pickup: u64,
    /// Multi-trip routes: the returns to a depot to reload, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reloads: Vec<ReloadStop>,
    /// What the route costs with its vehicle type:
    /// [`crate::model::VehicleType::route_cost`] (fixed + per km + per hour).
    #[serde(default)]
    pub cost: f64,
    /// The driver's breaks, in time order (absent when there are none):
    /// each lies inside a leg (which it lengthens) or inside a wait at a
    /// town (see [`crate::model::breaks`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breaks: Vec<Break>,
}

/// A driver's break on a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Break {
    /// When the break starts, seconds on the problem's clock.
    pub start_s: i64,
    /// When the driver goes on.
    pub end_s: i64,
    /// The rule it was taken for.
    pub kind: crate::model::BreakKind,
}

/// A return to a depot to reload, between two stops of a route.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReloadStop {
    /// The vehicle reloads before `stops[before_stop]` (0-based).
    pub before_stop: usize,
    /// Depot id.
    pub depot: String,
    /// Back at the depot, seconds.
    pub arrival_s: i64,
    /// Off again (reloaded, and the next trip's goods released).
    pub departure_s: i64,
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
///
/// # Which reason a town gets
/// The town is first tried alone (depot → town → depot) with every vehicle
/// type, whose checks run in this order: the depot can reach the town and
/// come back through the roads or matrix (strongly connected); the demand
/// fits the capacity; both direct legs exist; the round trip is within the
/// distance limit; it fits inside the depot's opening hours; a driver with
/// break rules needs no more than the most breaks a route may take;
/// service can start inside the town's opening hours with the vehicle back
/// before the depot closes, leaving when the depot opens, then leaving
/// when the town's goods are released; it fits the shift; its trip does
/// not start with a pickup where deliveries come first. A town some type can serve alone but
/// that found no vehicle is [`NoVehicleLeft`](Self::NoVehicleLeft). Otherwise
/// the reason is the check failed by the types that got furthest down this
/// list, with the figures of the one among them that came closest to
/// passing (smallest excess; first type on ties). A town farther from the
/// roads than the problem allows is [`OffNetwork`](Self::OffNetwork) before
/// any of this. `backroads check` recomputes the reason independently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum UnassignedReason {
    /// No depot with vehicles can reach the town and come back, even
    /// through other towns (another component of the road graph or of the
    /// matrix's finite arcs).
    Unreachable,
    /// The demand (or the pickup, if larger) exceeds the capacity of every
    /// vehicle that can reach it.
    DemandExceedsCapacity {
        /// The town's demand.
        demand: u64,
        /// The largest capacity of those vehicles.
        max_capacity: u64,
        /// The capacity dimension that binds (0 = `demand` and `capacity`;
        /// absent in JSON when 0).
        #[serde(default, skip_serializing_if = "is_zero_usize")]
        dimension: usize,
    },
    /// Depots reach the town only through other towns (the matrix has no
    /// direct leg out or back), and no route through them was found that
    /// fits a vehicle.
    NoDirectRoundTrip,
    /// Even a route serving only this town is longer than the distance
    /// limit of every vehicle that can carry its demand.
    RoundTripTooLong {
        /// Depot → town → depot distance (of the closest type).
        distance: i64,
        /// That type's distance limit.
        max_distance: i64,
    },
    /// Even a route serving only this town does not fit inside its depot's
    /// opening hours (within the type's shift, if it has one), for every
    /// vehicle that gets this far.
    DepotHours {
        /// The depot of the closest type.
        depot: String,
        /// Depot → town → depot, service included, seconds.
        duration_s: i64,
        /// Seconds the type may work out of the depot: between the depot's
        /// opening and closing, within the type's shift.
        open_s: i64,
    },
    /// Even a vehicle driving straight there cannot start service within
    /// the town's opening hours and be back before its depot closes (the
    /// round trip itself fits the depot's hours).
    OpeningHours {
        /// The town's opening intervals, seconds.
        hours: Vec<crate::model::Window>,
    },
    /// Even a route serving only this town needs more driver breaks than a
    /// route may take ([`crate::model::timing::MAX_BREAKS_PER_ROUTE`]).
    TooManyBreaks {
        /// The most breaks a route may take.
        max_breaks: u32,
    },
    /// A vehicle leaving when the town's goods reach the depot cannot serve
    /// it within its opening hours and be back before the depot closes
    /// (one leaving when the depot opens could).
    ReleasedTooLate {
        /// When the goods reach the depot, seconds.
        release_s: i64,
    },
    /// Deliveries come first and a trip may not start with a pickup: the
    /// town's pickup can only follow a delivery, and no route had room for
    /// it after one.
    PickupFirst,
    /// Even a route serving only this town lasts longer than the shift of
    /// every vehicle that gets this far.
    ShiftTooShort {
        /// Depot → town → depot duration, service included, seconds (of
        /// the closest type).
        duration_s: i64,
        /// That type's shift limit, seconds.
        max_duration_s: i64,
    },
    /// The town is farther from every road than the problem allows (a
    /// point in the sea, a wrong coordinate).
    OffNetwork {
        /// Straight-line distance to the nearest road junction, metres.
        snap_m: i64,
        /// The problem's limit, metres.
        max_snap_m: i64,
    },
    /// The town is optional and the plan leaves it out: serving it would
    /// cost more than its prize (which the objective pays instead).
    NotWorthItsPrize,
    /// Some vehicle type could serve the town alone, but every vehicle of
    /// every such type is already in use (and no route had room for it).
    NoVehicleLeft {
        /// A depot whose vehicles could serve it (the nearest).
        depot: String,
    },
}

impl std::fmt::Display for UnassignedReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UnassignedReason::Unreachable => write!(f, "unreachable: no depot with vehicles can get there and back"),
            UnassignedReason::DemandExceedsCapacity {
                demand,
                max_capacity,
                dimension: 0,
            } => {
                write!(
                    f,
                    "capacity: demand {demand} exceeds the largest capacity {max_capacity} of the vehicles that can reach it"
                )
            }
            UnassignedReason::DemandExceedsCapacity {
                demand,
                max_capacity,
                dimension,
            } => write!(
                f,
                "capacity: demand {demand} in capacity dimension {dimension} exceeds the largest capacity {max_capacity} there of the vehicles that can reach it"
            ),
            UnassignedReason::NoDirectRoundTrip => write!(
                f,
                "no direct round trip: depots reach it only through other towns, and no such route fits a vehicle"
            ),
            UnassignedReason::RoundTripTooLong { distance, max_distance } => {
                write!(
                    f,
                    "distance limit: the round trip alone is {distance}, above the longest allowed route {max_distance}"
                )
            }
            UnassignedReason::DepotHours {
                depot,
                duration_s,
                open_s,
            } => write!(
                f,
                "depot hours: the round trip alone takes {duration_s} s, but depot '{}' is open {open_s} s (within the vehicles' shift)",
                crate::text::escape(depot)
            ),
            UnassignedReason::ShiftTooShort {
                duration_s,
                max_duration_s,
            } => write!(
                f,
                "shift: the round trip alone takes {duration_s} s, longer than the longest shift {max_duration_s} s"
            ),
            UnassignedReason::OpeningHours { hours } => {
                let list: Vec<String> = hours.iter().map(|w| format!("{}-{} s", w.open, w.close)).collect();
                write!(
                    f,
                    "opening hours: service cannot start within the town's hours ({}) with the vehicle back before its depot closes or its shift ends",
                    if list.is_empty() {
                        "always open".to_string()
                    } else {
                        list.join(", ")
                    }
                )
            }
            UnassignedReason::TooManyBreaks { max_breaks } => write!(
                f,
                "breaks: the round trip alone needs more than {max_breaks} driver breaks, the most a route may take"
            ),
            UnassignedReason::ReleasedTooLate { release_s } => write!(
                f,
                "release: leaving when its goods arrive at {release_s} s, service cannot start within the town's hours with the vehicle back before its depot closes or its shift ends"
            ),
            UnassignedReason::PickupFirst => write!(
                f,
                "deliveries first: a trip may not start with its pickup, and no route had room for it after a delivery"
            ),
            UnassignedReason::OffNetwork { snap_m, max_snap_m } => {
                write!(
                    f,
                    "off-network: {snap_m} m from the nearest road (limit {max_snap_m} m)"
                )
            }
            UnassignedReason::NotWorthItsPrize => write!(
                f,
                "optional: serving it would cost more than its prize, which the plan forgoes"
            ),
            UnassignedReason::NoVehicleLeft { depot } => write!(
                f,
                "no vehicle left: every vehicle that could serve it is in use (nearest such depot '{}')",
                crate::text::escape(depot)
            ),
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
    /// Prizes of the optional towns not served: the objective is the cost
    /// (distance, or money with running costs) plus this.
    #[serde(default, skip_serializing_if = "is_zero_f64")]
    pub prizes_missed: f64,
}

fn is_zero_usize(x: &usize) -> bool {
    *x == 0
}

fn is_zero_u64(x: &u64) -> bool {
    *x == 0
}

fn is_zero_f64(x: &f64) -> bool {
    *x == 0.0
}
