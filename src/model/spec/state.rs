//! The state of the day as given in input: where the vehicles on the road
//! are, what they have done and must do next, and which towns are locked
//! to which vehicle (re-planning during the day; see
//! [`crate::model::day`]).

use super::{Amount, TimeSpec};
use crate::model::Location;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The state of the day: the clock and every vehicle that is not simply
/// waiting at its depot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayStateSpec {
    /// The time of the re-plan: vehicles not listed leave their depot no
    /// earlier.
    pub now: TimeSpec,
    /// Vehicles on the road, back, or down.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vehicles: Vec<VehicleStateSpec>,
    /// Towns that must be served by one vehicle listed in `vehicles`:
    /// town id → vehicle id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub locks: BTreeMap<String, String>,
}

/// One vehicle's state, as the plan it follows numbers it
/// (`vehicle_type` and `vehicle`, as `solve --out` writes routes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VehicleStateSpec {
    /// Its vehicle type id.
    pub vehicle_type: String,
    /// Which vehicle of that type (0-based, as in a solution's routes).
    pub vehicle: u32,
    /// Its name in outputs (default `"<vehicle_type>#<vehicle>"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Where it is now (absent = at its home depot).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<PositionSpec>,
    /// When its working day began (default: when its working hours open):
    /// its shift length (`max_duration_s`) counts from then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<TimeSpec>,
    /// What it has collected and carries to a depot (farm produce, returns),
    /// a number or one per capacity dimension (default 0). The goods for
    /// the towns it still serves are counted as on board from where it is.
    #[serde(default, skip_serializing_if = "Amount::is_zero")]
    pub collected: Amount,
    /// Towns it has served today: they are out of the plan.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub done: Vec<String>,
    /// Towns it serves next, first and in this order, whatever the re-plan
    /// finds (what its driver was told).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixed: Vec<String>,
    /// Distance it has driven today up to where it left its last stop, for
    /// `max_distance` (default 0); the leg it is on counts in the re-plan.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub driven: f64,
    /// Reloads it has made today, for `max_reloads` (default 0).
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    pub reloads_done: u32,
    /// Window breaks its driver has taken today: the type's first ones by
    /// opening (default 0).
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    pub window_breaks_taken: u32,
    /// From when it cannot work (a breakdown, a driver who leaves): at or
    /// before `now`, it is out of the plan and its towns go back to the
    /// pool; later, its route must end by then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unavailable_from: Option<TimeSpec>,
}

/// Where a vehicle is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
pub enum PositionSpec {
    /// At a town or depot (id).
    At {
        /// The town or depot id.
        at: String,
    },
    /// On the way from a town or depot to a town: that town is its next
    /// stop, whatever the re-plan.
    Between {
        /// `[from, to]`: ids; `to` is a town.
        between: [String; 2],
        /// Share of the leg driven, 0..=1 (default 0: just left).
        #[serde(default)]
        progress: f64,
    },
    /// At a point (coordinates of the problem's kind).
    Location {
        /// The point.
        location: Location,
    },
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

fn is_zero_u32(x: &u32) -> bool {
    *x == 0
}
