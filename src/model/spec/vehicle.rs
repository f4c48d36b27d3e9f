//! Vehicle types as given in input, with their driver-break rules.

use super::{Amount, TimeSpec};
use serde::{Deserialize, Serialize};

fn default_speed() -> f64 {
    60.0
}

/// A vehicle type as given in input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VehicleTypeSpec {
    /// Unique id.
    pub id: String,
    /// Id of the home depot.
    pub depot: String,
    /// Number of vehicles; absent = unlimited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<i64>,
    /// Capacity in demand units: a number, or one per capacity dimension
    /// (`[kg, m3, crates]`; every type the same length, at most
    /// [`MAX_DIMENSIONS`](crate::model::load::MAX_DIMENSIONS)).
    pub capacity: Amount,
    /// Longest route, distance units (metres for geographic problems).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_distance: Option<f64>,
    /// Longest route including service (driver shift), seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_duration_s: Option<f64>,
    /// Speed in km/h for travel times derived from distances; finite and
    /// at least 0.1 (default 60).
    #[serde(default = "default_speed")]
    pub speed_kmh: f64,
    /// Cost of using one vehicle, in distance units, added once per route
    /// (default 0: the objective is total distance).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub fixed_cost: f64,
    /// Running cost per km (1,000 distance units); default 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub cost_per_km: f64,
    /// Running cost per hour of route duration; default 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub cost_per_hour: f64,
    /// Ids of depots where the vehicle may reload and go out again within
    /// its shift (multi-trip; absent = one trip per route).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reload_depots: Vec<String>,
    /// Seconds a reload takes (default 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub reload_time_s: f64,
    /// Most reloads per route (absent = no limit but the shift).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_reloads: Option<u32>,
    /// Driver breaks (absent = none): see [`BreakSpec`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breaks: Vec<BreakSpec>,
    /// Working hours `[start, end]` (staggered shifts, e.g.
    /// `["05:00", "13:00"]`): routes leave no earlier than the start and
    /// are back by the end, within the depot's hours (absent = the depot's
    /// hours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shift: Option<[TimeSpec; 2]>,
    /// Most towns served on one route (absent = no limit; reloads are not
    /// stops).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_stops: Option<i64>,
    /// Seconds a route may run beyond `max_duration_s` (default 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub max_overtime_s: f64,
    /// Cost per hour of overtime (default 0), on top of `cost_per_hour`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub cost_per_overtime_hour: f64,
    /// Id of the depot where routes end (absent = the home depot).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_depot: Option<String>,
    /// Routes end at their last stop: no return leg is driven or counted
    /// (default false; not with `end_depot`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub open: bool,
}

impl Default for VehicleTypeSpec {
    /// [`VehicleTypeSpec::new`] with no id, depot or capacity: the rules'
    /// defaults, for literals that set the rest.
    fn default() -> Self {
        VehicleTypeSpec::new("", "", 0.0)
    }
}

impl VehicleTypeSpec {
    /// An unlimited fleet of `capacity` vans at `depot`: no distance or
    /// shift limit, 60 km/h, no costs besides distance.
    pub fn new(id: impl Into<String>, depot: impl Into<String>, capacity: f64) -> Self {
        VehicleTypeSpec {
            id: id.into(),
            depot: depot.into(),
            count: None,
            capacity: capacity.into(),
            max_distance: None,
            max_duration_s: None,
            speed_kmh: default_speed(),
            fixed_cost: 0.0,
            cost_per_km: 0.0,
            cost_per_hour: 0.0,
            reload_depots: Vec::new(),
            reload_time_s: 0.0,
            max_reloads: None,
            breaks: Vec::new(),
            shift: None,
            max_stops: None,
            max_overtime_s: 0.0,
            cost_per_overtime_hour: 0.0,
            end_depot: None,
            open: false,
        }
    }
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

/// One driver-break rule as given in input: either
/// `{"after_driving_s": 16200, "length_s": 2700}` (no more than 4 h 30 of
/// driving without a 45-minute break) or
/// `{"window": ["12:00", "13:00"], "length_s": 1800}` (a 30-minute break
/// starting between noon and one, if the vehicle is out at noon). See
/// [`crate::model::breaks`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreakSpec {
    /// Length of the break, seconds (positive, at most a week).
    pub length_s: f64,
    /// A driving-time rule: the longest continuous driving, seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_driving_s: Option<f64>,
    /// A window rule: when the break may start `[open, close]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<[TimeSpec; 2]>,
}

impl BreakSpec {
    /// No more than `max_driving_s` of driving without a break of `length_s`.
    pub fn driving(max_driving_s: f64, length_s: f64) -> BreakSpec {
        BreakSpec {
            length_s,
            after_driving_s: Some(max_driving_s),
            window: None,
        }
    }

    /// A break of `length_s` starting within `[open, close]`, seconds.
    pub fn window(open: f64, close: f64, length_s: f64) -> BreakSpec {
        BreakSpec {
            length_s,
            after_driving_s: None,
            window: Some([TimeSpec::Seconds(open), TimeSpec::Seconds(close)]),
        }
    }
}
