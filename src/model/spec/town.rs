//! Towns as given in input: one by one ([`TownSpec`]) or from a CSV file
//! beside the problem ([`TownsCsvSpec`]).

use super::{Amount, TimeSpec};
use crate::model::Location;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// A town as given in input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TownSpec {
    /// Unique id.
    pub id: String,
    /// Human name.
    #[serde(default)]
    pub name: String,
    /// Location: planar coordinates finite and within ±10^9, geographic
    /// ones within the WGS84 ranges.
    pub location: Location,
    /// Demand in units (rounded to the nearest integer; must be >= 0): a
    /// number, or one per capacity dimension (`[kg, m3, crates]`, as long
    /// as the vehicles' `capacity`).
    #[serde(default)]
    pub demand: Amount,
    /// Service time at the town, seconds.
    #[serde(default)]
    pub service_time_s: f64,
    /// What the vehicle collects here (farm produce, returns), in demand
    /// units (rounded; >= 0, default 0), like `demand`. It stays on board
    /// to the depot.
    #[serde(default, skip_serializing_if = "Amount::is_zero")]
    pub pickup: Amount,
    /// Makes the town optional: leaving it unserved adds this prize to the
    /// objective (distance units, or money when vehicles have running
    /// costs; finite, >= 0). Absent = the town must be served.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prize: Option<f64>,
    /// A required town's priority when the fleet cannot serve every town:
    /// an integer 0..=100 (absent = 0). Leaving it out costs `1 + priority`
    /// times what leaving out a town of priority 0 costs, so it is left
    /// out last. Not with `prize` (an optional town's prize is its own
    /// penalty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<u32>,
    /// When the town's goods reach the depot (seconds or a clock time): a
    /// trip carrying them leaves no earlier. Absent = at the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release: Option<TimeSpec>,
    /// Opening intervals `[[open, close], …]` in which service may start
    /// (absent or empty = always open). Each must open before it closes;
    /// overlapping intervals are merged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub windows: Vec<[TimeSpec; 2]>,
    /// Multi-day problems: deliveries needed over the horizon (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drops: Option<u32>,
    /// Multi-day problems: days (1-based) on which the town may be served
    /// (default every day); the plan picks `drops` of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<Vec<u32>>,
    /// Multi-day problems: explicit allowed day patterns, e.g. `[[1, 4], [2, 5]]`
    /// (instead of `drops` and `days`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patterns: Option<Vec<Vec<u32>>>,
    /// Ids of the vehicle types allowed to serve the town (absent = any):
    /// site dependence, e.g. a village lane no lorry can take.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle_types: Option<Vec<String>>,
}

impl TownSpec {
    /// A town with an id (also its name), a location and a demand; no
    /// service time, always open, every other field at its default.
    ///
    /// ```
    /// use backroads::model::{Location, TimeSpec, TownSpec};
    /// let mut shop = TownSpec::new("hollfeld", Location::Geo { lon: 11.292, lat: 49.937 }, 12.0);
    /// shop.service_time_s = 600.0;
    /// shop.windows = vec![[TimeSpec::Clock("07:00".into()), TimeSpec::Clock("11:00".into())]];
    /// ```
    pub fn new(id: impl Into<String>, location: Location, demand: f64) -> TownSpec {
        let id = id.into();
        TownSpec {
            name: id.clone(),
            id,
            location,
            demand: demand.into(),
            service_time_s: 0.0,
            pickup: 0.0.into(),
            prize: None,
            priority: None,
            release: None,
            windows: Vec::new(),
            drops: None,
            days: None,
            patterns: None,
            vehicle_types: None,
        }
    }
}

/// Towns kept in a CSV file beside the problem (see `io::read_towns_csv`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TownsCsvSpec {
    /// CSV path, relative to the problem file.
    pub path: PathBuf,
    /// Demand for rows without a `demand` value.
    #[serde(default)]
    pub default_demand: f64,
    /// Service time for rows without a service-time value, seconds.
    #[serde(default)]
    pub default_service_time_s: f64,
}
