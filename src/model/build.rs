//! Input specs (the serde shape of a problem) and their validation into a
//! [`Problem`]. Every rejection is a typed [`Error`] naming the offending id.
//!
//! # Range limits
//! Besides the obvious (finite, non-negative, ids unique and known), values
//! are bounded so that no route sum can overflow the solver's `i64`
//! arithmetic, even over [`MAX_TOWNS`] stops:
//! * planar coordinates within ±10^9 (distances stay below 2.9 × 10^9);
//! * haversine `circuity` within 1..=100;
//! * `speed_kmh` at least 0.1 (at most 36 s per distance unit);
//! * matrix entries, demands, capacities and service times below 2^32.
//!
//! Each violation is an [`Error::InvalidValue`] naming the owner and field.

use super::breaks::{BreakRule, MAX_BREAK_RULES, MAX_BREAK_S, check_rules};
use super::load::MAX_DIMENSIONS;
use super::timing::{END_OF_TIME, normalise_windows};
use super::{
    Depot, Location, MAX_HORIZON_DAYS, MAX_TOWNS, PickupOrder, Problem, RoadNetwork, Rounding, RouteEnd, Town, Travel,
    VehicleType, Window, round_to_int,
};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

/// A depot as given in input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepotSpec {
    /// Unique id.
    pub id: String,
    /// Human name.
    #[serde(default)]
    pub name: String,
    /// Location: planar coordinates finite and within ±10^9, geographic
    /// ones within the WGS84 ranges.
    pub location: Location,
    /// Opening hours `[open, close]`: vehicles leave no earlier and are back
    /// no later (absent = always open).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<[TimeSpec; 2]>,
}

/// A time of the problem's clock: seconds (`3600`) or a clock time
/// (`"08:30"`, `"17:45:30"`; hours may exceed 23 for later days).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TimeSpec {
    /// Seconds since the start of the planning day.
    Seconds(f64),
    /// `HH:MM` or `HH:MM:SS`.
    Clock(String),
}

impl TimeSpec {
    /// Seconds since the start of the planning day, or why not.
    pub fn seconds(&self) -> std::result::Result<i64, String> {
        match self {
            TimeSpec::Seconds(s) if s.is_finite() && *s >= 0.0 && *s < END_OF_TIME as f64 => Ok(round_to_int(*s)),
            TimeSpec::Seconds(s) => Err(format!("{s} is not a time (finite seconds >= 0)")),
            TimeSpec::Clock(text) => {
                let parts: Vec<&str> = text.trim().split(':').collect();
                let num = |p: &str, max: i64| p.parse::<i64>().ok().filter(|v| (0..=max).contains(v));
                let (h, m, sec) = match parts.as_slice() {
                    [h, m] => (num(h, 100_000), num(m, 59), Some(0)),
                    [h, m, s] => (num(h, 100_000), num(m, 59), num(s, 59)),
                    _ => (None, None, None),
                };
                match (h, m, sec) {
                    (Some(h), Some(m), Some(s)) => Ok(h * 3600 + m * 60 + s),
                    _ => Err(format!("'{text}' is not a clock time HH:MM or HH:MM:SS")),
                }
            }
        }
    }
}

fn to_window(owner: &str, field: &str, w: &[TimeSpec; 2]) -> Result<Window> {
    let err = |reason: String| Error::InvalidProblem(format!("{field} of {owner}: {reason}"));
    let open = w[0].seconds().map_err(err)?;
    let close = w[1].seconds().map_err(err)?;
    if close < open {
        return Err(err(format!("window [{open}, {close}] closes before it opens")));
    }
    Ok(Window { open, close })
}

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

impl ProblemSpec {
    /// The first field that names a file to read (`towns_csv`, a road
    /// network's CSVs, an OSM extract), or `None` for a problem that is
    /// wholly inline. `io::resolve_files` reads these; callers that take
    /// problems from untrusted sources refuse them.
    pub fn file_reference(&self) -> Option<&'static str> {
        if self.towns_csv.is_some() {
            return Some("towns_csv");
        }
        match self.travel {
            Some(TravelSpec::RoadNetwork { .. }) => Some("travel road_network (nodes_csv, edges_csv)"),
            Some(TravelSpec::Osm { .. }) => Some("travel osm (pbf)"),
            _ => None,
        }
    }
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

/// Largest prize a town may have (keeps prize sums exact in `f64` and the
/// search's integer objective in range).
pub const MAX_PRIZE: f64 = 1e12;

/// Default [`ProblemSpec::max_snap_m`], metres.
pub const DEFAULT_MAX_SNAP_M: f64 = 5_000.0;

/// Most visit patterns one town may have (`drops` among `days` expands to
/// all combinations).
pub const MAX_PATTERNS: usize = 4096;

/// The allowed visit patterns of a town as day bit masks, or why not.
fn town_patterns(t: &TownSpec, horizon: Option<u32>) -> Result<Vec<u64>> {
    let owner = format!("town '{}'", t.id);
    let err = |what: String| Err(Error::InvalidProblem(format!("{owner}: {what}")));
    let Some(h) = horizon else {
        if t.drops.is_some() || t.days.is_some() || t.patterns.is_some() {
            return err("drops, days and patterns need the problem's horizon_days".into());
        }
        return Ok(Vec::new());
    };
    let mask = |days: &[u32]| -> Result<u64> {
        let mut m = 0u64;
        for &d in days {
            if d == 0 || d > h {
                return Err(Error::InvalidProblem(format!(
                    "{owner}: day {d} is outside the horizon 1..={h}"
                )));
            }
            m |= 1 << (d - 1);
        }
        Ok(m)
    };
    if let Some(patterns) = &t.patterns {
        if t.drops.is_some() || t.days.is_some() {
            return err("give either patterns or drops/days, not both".into());
        }
        if patterns.is_empty() {
            return err("patterns is empty: no way to serve the town".into());
        }
        if patterns.len() > MAX_PATTERNS {
            return err(format!("more than {MAX_PATTERNS} patterns"));
        }
        let mut out = Vec::with_capacity(patterns.len());
        for p in patterns {
            let m = mask(p)?;
            if m == 0 {
                return err("a pattern with no allowed day".into());
            }
            out.push(m);
        }
        out.sort_unstable();
        out.dedup();
        return Ok(out);
    }
    let allowed = match &t.days {
        Some(days) if days.is_empty() => return err("days is empty: no allowed day".into()),
        Some(days) => mask(days)?,
        None => {
            if h == 64 {
                u64::MAX
            } else {
                (1u64 << h) - 1
            }
        }
    };
    let drops = t.drops.unwrap_or(1);
    let n = allowed.count_ones();
    if drops == 0 {
        return err("drops must be at least 1".into());
    }
    if drops > n {
        return err(format!("{drops} drops but only {n} allowed days"));
    }
    // Every `drops`-subset of the allowed days, smallest masks first.
    let days: Vec<u32> = (0..64).filter(|d| allowed >> d & 1 == 1).collect();
    let mut out = Vec::new();
    let mut pick: Vec<usize> = (0..drops as usize).collect();
    loop {
        out.push(pick.iter().fold(0u64, |m, &i| m | 1 << days[i]));
        if out.len() > MAX_PATTERNS {
            return err(format!(
                "{drops} drops among {n} days give more than {MAX_PATTERNS} patterns"
            ));
        }
        // Next combination in lexicographic order.
        let k = pick.len();
        let Some(i) = (0..k).rev().find(|&i| pick[i] < days.len() - k + i) else {
            break;
        };
        pick[i] += 1;
        for j in i + 1..k {
            pick[j] = pick[j - 1] + 1;
        }
    }
    Ok(out)
}

fn default_speed() -> f64 {
    60.0
}

/// Largest absolute planar coordinate accepted (see the module docs).
const MAX_PLANAR_COORD: f64 = 1e9;
/// Largest haversine circuity factor accepted.
const MAX_CIRCUITY: f64 = 100.0;
/// Slowest vehicle speed accepted, km/h.
const MIN_SPEED_KMH: f64 = 0.1;

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
    /// [`super::load::MAX_DIMENSIONS`]).
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

/// The break rules of a vehicle type, checked (typed errors naming the
/// type and field) and ordered for the clock.
fn break_rules(owner: &str, specs: &[BreakSpec]) -> Result<Vec<BreakRule>> {
    let bad = |field: &'static str, value: String, reason: &'static str| Error::InvalidValue {
        owner: owner.to_string(),
        field,
        value,
        reason,
    };
    if specs.len() > MAX_BREAK_RULES {
        return Err(bad("breaks", specs.len().to_string(), "more than 16 break rules"));
    }
    let mut rules = Vec::with_capacity(specs.len());
    for b in specs {
        let length_s = to_count(owner, "length_s", b.length_s, true, MAX_BREAK_S)?;
        rules.push(match (&b.after_driving_s, &b.window) {
            (Some(d), None) => BreakRule::Driving {
                max_driving_s: to_count(owner, "after_driving_s", *d, true, MAX_BREAK_S)?,
                length_s,
            },
            (None, Some(w)) => BreakRule::Window {
                length_s,
                window: to_window(owner, "break window", w)?,
            },
            _ => {
                return Err(bad(
                    "breaks",
                    format!("{b:?}"),
                    "a break rule gives exactly one of after_driving_s and window",
                ));
            }
        });
    }
    check_rules(rules).map_err(|(field, value, reason)| bad(field, value, reason))
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

/// An amount in one or several capacity dimensions, as given in input: a
/// number (one dimension) or a list (one number per dimension).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Amount {
    /// One dimension.
    One(f64),
    /// One number per dimension.
    Several(Vec<f64>),
}

impl Default for Amount {
    fn default() -> Self {
        Amount::One(0.0)
    }
}

impl From<f64> for Amount {
    fn from(x: f64) -> Self {
        Amount::One(x)
    }
}

impl Amount {
    /// True for a zero in every dimension.
    pub fn is_zero(&self) -> bool {
        match self {
            Amount::One(x) => *x == 0.0,
            Amount::Several(v) => v.iter().all(|&x| x == 0.0),
        }
    }

    /// The amount in each of `dims` dimensions: a number counts for a
    /// problem of one dimension (and a zero for any), a list must have
    /// `dims` entries.
    fn per_dimension(&self, owner: &str, field: &'static str, dims: usize) -> Result<Vec<f64>> {
        match self {
            Amount::One(x) if dims == 1 || *x == 0.0 => {
                let mut v = vec![0.0; dims];
                v[0] = *x;
                Ok(v)
            }
            Amount::Several(v) if v.len() == dims => Ok(v.clone()),
            _ => Err(Error::InvalidValue {
                owner: owner.to_string(),
                field,
                value: match self {
                    Amount::One(x) => x.to_string(),
                    Amount::Several(v) => format!("{v:?}"),
                },
                reason: "must give one amount per capacity dimension (as many as the vehicles' capacity lists)",
            }),
        }
    }

    /// The input form of amounts in one or several dimensions.
    fn of(first: u32, extra: &[u32]) -> Amount {
        if extra.is_empty() {
            Amount::One(f64::from(first))
        } else {
            Amount::Several(
                std::iter::once(first)
                    .chain(extra.iter().copied())
                    .map(f64::from)
                    .collect(),
            )
        }
    }
}

fn default_true() -> bool {
    true
}

/// The settlements of an OSM extract taken as towns (ids `osm-<node id>`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OsmSettlementsSpec {
    /// Which `place=` values count (default village, hamlet, town).
    #[serde(default = "default_places")]
    pub places: Vec<String>,
    /// Demand of each settlement.
    #[serde(default)]
    pub demand: f64,
    /// Service time at each settlement, seconds.
    #[serde(default)]
    pub service_time_s: f64,
    /// Opening intervals of every settlement (as [`TownSpec::windows`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub windows: Vec<[TimeSpec; 2]>,
}

fn default_places() -> Vec<String> {
    ["village", "hamlet", "town"].map(String::from).to_vec()
}

fn default_circuity() -> f64 {
    1.0
}

/// How travel is measured, as given in input.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum TravelSpec {
    /// Rounded planar Euclidean (needs planar locations).
    Euclidean,
    /// Haversine metres times `circuity` (needs geographic locations).
    Haversine {
        /// Road distance / straight-line distance, within 1..=100.
        #[serde(default = "default_circuity")]
        circuity: f64,
    },
    /// A road network in the `nodes.csv` / `edges.csv` layout of
    /// `shared/data/osm` (paths relative to the problem file).
    RoadNetwork {
        /// Junctions: `id,lat,lon[,...]`.
        nodes_csv: PathBuf,
        /// Segments: `from,to,length_m,highway,...,maxspeed_kmh,oneway,...`.
        edges_csv: PathBuf,
    },
    /// Roads read straight from an OpenStreetMap `.osm.pbf` extract (cargo
    /// feature `osm`): drivable ways, speeds from class and `maxspeed`,
    /// one-way streets, the largest strongly connected part kept.
    Osm {
        /// The extract, relative to the problem file.
        pbf: PathBuf,
        /// Track grades a van may not use (`[4, 5]` = grade4 and grade5
        /// field tracks); default none.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        avoid_tracktypes: Vec<u8>,
        /// Whether tracks may be used at all (default true).
        #[serde(default = "default_true")]
        include_tracks: bool,
        /// Also deliver to the extract's settlements (place nodes): they are
        /// appended to `towns` with these defaults.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        settlements: Option<OsmSettlementsSpec>,
    },
    /// An already loaded road network (builder use; not serialisable).
    #[serde(skip)]
    Roads(Arc<RoadNetwork>),
    /// Full matrices over all locations (depots first, then towns);
    /// `null` marks an unreachable pair.
    Matrix {
        /// Distances.
        distances: Vec<Vec<Option<f64>>>,
        /// Travel times in seconds (optional; else derived from speed).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        durations: Option<Vec<Vec<Option<f64>>>>,
    },
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

/// The complete serde shape of a problem (the JSON problem format).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProblemSpec {
    /// Problem name.
    #[serde(default)]
    pub name: String,
    /// Travel measure; absent = Euclidean for planar, Haversine for geographic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub travel: Option<TravelSpec>,
    /// Depots.
    pub depots: Vec<DepotSpec>,
    /// Towns.
    #[serde(default)]
    pub towns: Vec<TownSpec>,
    /// More towns from a CSV file, appended after `towns`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub towns_csv: Option<TownsCsvSpec>,
    /// Vehicle types.
    pub fleet: Vec<VehicleTypeSpec>,
    /// Days in the planning horizon for multi-day plans (1..=64; absent =
    /// one day). Towns then say how often and on which days they are served.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizon_days: Option<u32>,
    /// Road networks: a town farther than this from the nearest junction
    /// (metres, straight line) is unassigned as off-network, e.g. a point in
    /// the sea or a typo in the coordinates (default 5,000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_snap_m: Option<f64>,
    /// `"deliveries_first"`: on every route all deliveries come before any
    /// pickup, and no route starts with a pickup (backhauls); default
    /// `"any"`: pickups and deliveries mix.
    #[serde(default, skip_serializing_if = "PickupOrder::is_any")]
    pub pickup_order: PickupOrder,
}

/// Chained construction of a [`Problem`]; `build` validates everything.
#[derive(Debug, Clone, Default)]
pub struct ProblemBuilder {
    spec: ProblemSpec,
}

impl ProblemBuilder {
    /// Empty builder with a problem name.
    pub fn new(name: impl Into<String>) -> Self {
        ProblemBuilder {
            spec: ProblemSpec {
                name: name.into(),
                ..Default::default()
            },
        }
    }
    /// Adds a depot.
    pub fn depot(mut self, id: impl Into<String>, location: Location) -> Self {
        self.spec.depots.push(DepotSpec {
            id: id.into(),
            name: String::new(),
            location,
            hours: None,
        });
        self
    }
    /// Gives the last depot added opening hours `[open, close]`, seconds.
    pub fn depot_hours(mut self, open: f64, close: f64) -> Self {
        if let Some(d) = self.spec.depots.last_mut() {
            d.hours = Some([TimeSpec::Seconds(open), TimeSpec::Seconds(close)]);
        }
        self
    }
    /// Adds a town with a demand and service time in seconds.
    pub fn town(mut self, id: impl Into<String>, location: Location, demand: f64, service_time_s: f64) -> Self {
        self.spec.towns.push(TownSpec {
            name: String::new(),
            service_time_s,
            ..TownSpec::new(id, location, demand)
        });
        self
    }
    /// Adds a fully specified town.
    pub fn town_spec(mut self, town: TownSpec) -> Self {
        self.spec.towns.push(town);
        self
    }
    /// Adds a vehicle type.
    pub fn vehicle_type(mut self, vt: VehicleTypeSpec) -> Self {
        self.spec.fleet.push(vt);
        self
    }
    /// Sets the travel measure.
    pub fn travel(mut self, travel: TravelSpec) -> Self {
        self.spec.travel = Some(travel);
        self
    }
    /// Validates and builds.
    pub fn build(self) -> Result<Problem> {
        Problem::from_spec(self.spec)
    }
}

/// A spec that still names a file: the model does no I/O.
fn unread_file(path: &std::path::Path) -> Error {
    Error::InvalidProblem(format!(
        "the spec references the file '{}', which the model does not read: read the problem \
         through backroads::io (read_problem_file, read_problem_json or io::resolve_files)",
        path.display()
    ))
}

fn check_unique<'a>(kind: &'static str, ids: impl Iterator<Item = &'a str>) -> Result<()> {
    let mut seen = HashSet::new();
    for id in ids {
        if id.trim().is_empty() {
            return Err(Error::InvalidProblem(format!("a {kind} has an empty id")));
        }
        if !seen.insert(id) {
            return Err(Error::DuplicateId {
                kind,
                id: id.to_string(),
            });
        }
    }
    Ok(())
}

fn check_location(owner: &str, loc: &Location) -> Result<()> {
    let bad = |field: &'static str, v: f64, reason: &'static str| Error::InvalidValue {
        owner: owner.to_string(),
        field,
        value: v.to_string(),
        reason,
    };
    match *loc {
        Location::Planar { x, y } => {
            for (field, v) in [("x", x), ("y", y)] {
                if !(v.is_finite() && v.abs() <= MAX_PLANAR_COORD) {
                    return Err(bad(field, v, "planar coordinates must be finite and within -1e9..=1e9"));
                }
            }
        }
        Location::Geo { lon, lat } => {
            if !(lon.is_finite() && (-180.0..=180.0).contains(&lon)) {
                return Err(bad("lon", lon, "must be within -180..180 degrees"));
            }
            if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
                return Err(bad("lat", lat, "must be within -90..90 degrees"));
            }
        }
    }
    Ok(())
}

/// Converts a non-negative finite float to an integer by the rounding rule.
fn to_count(owner: &str, field: &'static str, v: f64, positive: bool, max: i64) -> Result<i64> {
    let err = |reason| Error::InvalidValue {
        owner: owner.to_string(),
        field,
        value: v.to_string(),
        reason,
    };
    if !v.is_finite() {
        return Err(err("must be a finite number"));
    }
    if v < 0.0 {
        return Err(err("must not be negative"));
    }
    let r = round_to_int(v);
    if positive && r <= 0 {
        return Err(err("must be positive"));
    }
    if r > max {
        return Err(err("is too large"));
    }
    Ok(r)
}

fn convert_matrix(name: &'static str, rows: &[Vec<Option<f64>>], n: usize) -> Result<Arc<Vec<Option<u32>>>> {
    if rows.len() != n {
        return Err(Error::InvalidProblem(format!(
            "travel matrix '{name}' has {} rows but the problem has {n} locations (depots first, then towns)",
            rows.len()
        )));
    }
    // Check every row's length before reserving n², which is then known to
    // be the number of entries actually given.
    if let Some((i, row)) = rows.iter().enumerate().find(|(_, r)| r.len() != n) {
        return Err(Error::InvalidProblem(format!(
            "travel matrix '{name}' row {i} has {} entries, expected {n}",
            row.len()
        )));
    }
    let mut out = Vec::with_capacity(n * n);
    for (i, row) in rows.iter().enumerate() {
        for (j, v) in row.iter().enumerate() {
            out.push(match v {
                None => None,
                Some(v) => Some(to_count(
                    &format!("matrix entry [{i}][{j}]"),
                    name,
                    *v,
                    false,
                    u32::MAX as i64 - 1,
                )? as u32),
            });
        }
    }
    Ok(Arc::new(out))
}

/// How many capacity dimensions the fleet states: every type's `capacity`
/// as long (a number is one dimension), at most [`MAX_DIMENSIONS`].
fn capacity_dimensions(spec: &ProblemSpec) -> Result<usize> {
    let len = |a: &Amount| match a {
        Amount::One(_) => 1,
        Amount::Several(v) => v.len(),
    };
    let Some(first) = spec.fleet.first() else {
        return Ok(1);
    };
    let dims = len(&first.capacity);
    for v in &spec.fleet {
        let n = len(&v.capacity);
        if n != dims || !(1..=MAX_DIMENSIONS).contains(&n) {
            return Err(Error::InvalidValue {
                owner: format!("vehicle type '{}'", v.id),
                field: "capacity",
                value: format!("{:?}", v.capacity),
                reason: "must list 1 to 4 capacity dimensions, as many for every vehicle type",
            });
        }
    }
    Ok(dims)
}

impl Problem {
    /// Validates a spec and builds the problem.
    ///
    /// Besides structure (ids unique and known, something to deliver, a
    /// fleet) it enforces range limits that keep every route sum far inside
    /// the solver's `i64` arithmetic: planar coordinates within ±10^9,
    /// haversine `circuity` within 1..=100, `speed_kmh` at least 0.1, and
    /// demands, capacities, service times and matrix entries below 2^32.
    /// Each violation is an [`Error::InvalidValue`] naming owner and field.
    pub fn from_spec(spec: ProblemSpec) -> Result<Problem> {
        let dims = capacity_dimensions(&spec)?;
        // The model does no I/O: io::resolve_files reads referenced files first.
        let unread = match &spec.travel {
            Some(TravelSpec::RoadNetwork { nodes_csv, .. }) => Some(nodes_csv),
            Some(TravelSpec::Osm { pbf, .. }) => Some(pbf),
            _ => spec.towns_csv.as_ref().map(|c| &c.path),
        };
        if let Some(path) = unread {
            return Err(unread_file(path));
        }
        if spec.depots.is_empty() {
            return Err(Error::InvalidProblem("no depot given".into()));
        }
        if spec.towns.is_empty() {
            return Err(Error::InvalidProblem("no town given: nothing to deliver".into()));
        }
        if spec.towns.len() > MAX_TOWNS {
            return Err(Error::TooLarge {
                what: "number of towns",
                value: spec.towns.len() as u64,
                limit: MAX_TOWNS as u64,
            });
        }
        if spec.fleet.is_empty() {
            return Err(Error::InvalidProblem("no vehicle type given".into()));
        }
        check_unique("depot", spec.depots.iter().map(|d| d.id.as_str()))?;
        check_unique("town", spec.towns.iter().map(|t| t.id.as_str()))?;
        check_unique("vehicle type", spec.fleet.iter().map(|v| v.id.as_str()))?;
        // A town and a depot sharing an id would be ambiguous in every output.
        let depot_ids: HashSet<&str> = spec.depots.iter().map(|d| d.id.as_str()).collect();
        if let Some(t) = spec.towns.iter().find(|t| depot_ids.contains(t.id.as_str())) {
            return Err(Error::DuplicateId {
                kind: "town and depot",
                id: t.id.clone(),
            });
        }

        let mut depots = Vec::with_capacity(spec.depots.len());
        for d in spec.depots {
            check_location(&format!("depot '{}'", d.id), &d.location)?;
            let owner = format!("depot '{}'", d.id);
            let hours = d.hours.as_ref().map(|h| to_window(&owner, "hours", h)).transpose()?;
            depots.push(Depot {
                id: d.id,
                name: d.name,
                location: d.location,
                hours: hours.unwrap_or(Window::ALWAYS),
            });
        }
        if let Some(h) = spec.horizon_days.filter(|h| !(1..=MAX_HORIZON_DAYS).contains(h)) {
            return Err(Error::InvalidValue {
                owner: "problem".into(),
                field: "horizon_days",
                value: h.to_string(),
                reason: "must be within 1..=64",
            });
        }
        let max_snap_m = match spec.max_snap_m {
            None => DEFAULT_MAX_SNAP_M,
            Some(m) if m.is_finite() && m >= 0.0 => m,
            Some(m) => {
                return Err(Error::InvalidValue {
                    owner: "problem".into(),
                    field: "max_snap_m",
                    value: m.to_string(),
                    reason: "must be a finite number of metres >= 0",
                });
            }
        };
        let amounts = |owner: &str, field: &'static str, a: &Amount| -> Result<(u32, Vec<u32>)> {
            let v = a.per_dimension(owner, field, dims)?;
            let mut counts = Vec::with_capacity(dims);
            for x in v {
                counts.push(to_count(owner, field, x, false, u32::MAX as i64)? as u32);
            }
            Ok((counts[0], counts.split_off(1)))
        };
        let mut towns = Vec::with_capacity(spec.towns.len());
        let mut town_types = Vec::with_capacity(spec.towns.len());
        for t in spec.towns {
            let owner = format!("town '{}'", t.id);
            check_location(&owner, &t.location)?;
            let (demand, extra_demand) = amounts(&owner, "demand", &t.demand)?;
            let service_time = to_count(&owner, "service_time_s", t.service_time_s, false, u32::MAX as i64)? as u32;
            let (pickup, extra_pickup) = amounts(&owner, "pickup", &t.pickup)?;
            let release = match &t.release {
                None => 0,
                Some(r) => r
                    .seconds()
                    .map_err(|why| Error::InvalidProblem(format!("release of {owner}: {why}")))?,
            };
            let prize = match t.prize {
                None => None,
                Some(p) if p.is_finite() && (0.0..=MAX_PRIZE).contains(&p) => Some(p),
                Some(p) => {
                    return Err(Error::InvalidValue {
                        owner,
                        field: "prize",
                        value: p.to_string(),
                        reason: "must be a finite number within 0..=1e12",
                    });
                }
            };
            let priority = match t.priority {
                Some(_) if prize.is_some() => {
                    return Err(Error::InvalidProblem(format!(
                        "{owner}: priority and prize together (an optional town's prize is its own penalty; \
                         a priority ranks required towns)"
                    )));
                }
                Some(p) if p > crate::model::MAX_PRIORITY => {
                    return Err(Error::InvalidValue {
                        owner,
                        field: "priority",
                        value: p.to_string(),
                        reason: "must be an integer within 0..=100",
                    });
                }
                p => p.unwrap_or(0),
            };
            let windows = t
                .windows
                .iter()
                .map(|w| to_window(&owner, "window", w))
                .collect::<Result<Vec<_>>>()?;
            let windows = normalise_windows(windows).map_err(|e| Error::InvalidProblem(format!("{owner}: {e}")))?;
            let patterns = town_patterns(&t, spec.horizon_days)?;
            towns.push(Town {
                id: t.id,
                name: t.name,
                location: t.location,
                demand,
                pickup,
                extra_demand,
                extra_pickup,
                prize,
                priority,
                release,
                service_time,
                windows,
                patterns,
                allowed_types: Vec::new(),
            });
            town_types.push(t.vehicle_types);
        }
        let geo = depots[0].location.is_geo();
        let mixed = depots
            .iter()
            .map(|d| (&d.id, d.location))
            .chain(towns.iter().map(|t| (&t.id, t.location)))
            .find(|(_, l)| l.is_geo() != geo);
        if let Some((id, _)) = mixed {
            return Err(Error::InvalidProblem(format!(
                "location of '{id}' mixes planar (x, y) and geographic (lon, lat) coordinates"
            )));
        }

        // A map, not a scan per vehicle type: files with many depots have
        // as many vehicle types.
        let depot_ix: HashMap<&str, usize> = depots.iter().enumerate().map(|(i, d)| (d.id.as_str(), i)).collect();
        let mut fleet = Vec::with_capacity(spec.fleet.len());
        for v in spec.fleet {
            let owner = format!("vehicle type '{}'", v.id);
            let depot = depot_ix
                .get(v.depot.as_str())
                .copied()
                .ok_or_else(|| Error::UnknownId {
                    kind: "depot",
                    id: v.depot.clone(),
                    referenced_by: owner.clone(),
                })?;
            let count = match v.count {
                None => None,
                Some(c) if c <= 0 => {
                    return Err(Error::InvalidValue {
                        owner,
                        field: "count",
                        value: c.to_string(),
                        reason: "must be at least 1 (omit it for an unlimited fleet)",
                    });
                }
                Some(c) => Some(u32::try_from(c).map_err(|_| Error::InvalidValue {
                    owner: owner.clone(),
                    field: "count",
                    value: c.to_string(),
                    reason: "is too large",
                })?),
            };
            let mut capacities = Vec::with_capacity(dims);
            for x in v.capacity.per_dimension(&owner, "capacity", dims)? {
                capacities.push(to_count(&owner, "capacity", x, true, u32::MAX as i64)? as u32);
            }
            let extra_capacity = capacities.split_off(1);
            let capacity = capacities[0];
            let max_distance = v
                .max_distance
                .map(|x| to_count(&owner, "max_distance", x, true, i64::MAX / 4))
                .transpose()?;
            let max_duration = v
                .max_duration_s
                .map(|x| to_count(&owner, "max_duration_s", x, true, i64::MAX / 4))
                .transpose()?;
            if !(v.speed_kmh.is_finite() && v.speed_kmh >= MIN_SPEED_KMH) {
                return Err(Error::InvalidValue {
                    owner,
                    field: "speed_kmh",
                    value: v.speed_kmh.to_string(),
                    reason: "must be a finite number >= 0.1 (km/h)",
                });
            }
            let fixed_cost = to_count(&owner, "fixed_cost", v.fixed_cost, false, u32::MAX as i64)?;
            for (field, x) in [
                ("cost_per_km", v.cost_per_km),
                ("cost_per_hour", v.cost_per_hour),
                ("cost_per_overtime_hour", v.cost_per_overtime_hour),
            ] {
                if !(x.is_finite() && (0.0..=1e9).contains(&x)) {
                    return Err(Error::InvalidValue {
                        owner,
                        field,
                        value: x.to_string(),
                        reason: "must be a finite number within 0..=1e9",
                    });
                }
            }
            let mut reload_depots = Vec::with_capacity(v.reload_depots.len());
            for id in &v.reload_depots {
                let d = depot_ix.get(id.as_str()).copied().ok_or_else(|| Error::UnknownId {
                    kind: "depot",
                    id: id.clone(),
                    referenced_by: format!("{owner} (reload_depots)"),
                })?;
                reload_depots.push(d);
            }
            reload_depots.sort_unstable();
            reload_depots.dedup();
            let reload_time = to_count(&owner, "reload_time_s", v.reload_time_s, false, u32::MAX as i64)?;
            let breaks = break_rules(&owner, &v.breaks)?;
            let end = match (&v.end_depot, v.open) {
                (Some(_), true) => {
                    return Err(Error::InvalidValue {
                        owner,
                        field: "open",
                        value: "true".into(),
                        reason: "is given with end_depot: a route ends at a depot or at its last stop, not both",
                    });
                }
                (None, true) => RouteEnd::LastStop,
                (None, false) => RouteEnd::Depot(depot),
                (Some(id), false) => {
                    RouteEnd::Depot(depot_ix.get(id.as_str()).copied().ok_or_else(|| Error::UnknownId {
                        kind: "depot",
                        id: id.clone(),
                        referenced_by: format!("{owner} (end_depot)"),
                    })?)
                }
            };
            let shift = v.shift.as_ref().map(|w| to_window(&owner, "shift", w)).transpose()?;
            let shift = shift.unwrap_or(Window::ALWAYS);
            let end_hours = match end {
                RouteEnd::Depot(e) => depots[e].hours,
                RouteEnd::LastStop => Window::ALWAYS,
            };
            let hours = Window {
                open: depots[depot].hours.open,
                close: end_hours.close,
            };
            if hours.close < hours.open {
                return Err(Error::InvalidValue {
                    owner,
                    field: "end_depot",
                    value: v.end_depot.clone().unwrap_or_default(),
                    reason: "closes before the home depot opens: no route of the type could end there",
                });
            }
            if shift.open > hours.close || shift.close < hours.open {
                return Err(Error::InvalidValue {
                    owner,
                    field: "shift",
                    value: format!("[{}, {}]", shift.open, shift.close),
                    reason: "does not meet its depot's hours: no route of the type could leave",
                });
            }
            let max_stops = v
                .max_stops
                .map(|x| to_count(&owner, "max_stops", x as f64, true, u32::MAX as i64))
                .transpose()?
                .map(|x| x as u32);
            let max_overtime = to_count(&owner, "max_overtime_s", v.max_overtime_s, false, i64::MAX / 4)?;
            if max_overtime > 0 && max_duration.is_none() {
                return Err(Error::InvalidValue {
                    owner,
                    field: "max_overtime_s",
                    value: v.max_overtime_s.to_string(),
                    reason: "needs max_duration_s: overtime is the time beyond the shift's length",
                });
            }
            if v.cost_per_overtime_hour > 0.0 && max_overtime == 0 {
                return Err(Error::InvalidValue {
                    owner,
                    field: "cost_per_overtime_hour",
                    value: v.cost_per_overtime_hour.to_string(),
                    reason: "is given without max_overtime_s: no overtime is allowed, so it would never apply",
                });
            }
            fleet.push(VehicleType {
                id: v.id,
                reload_depots,
                reload_time,
                max_reloads: v.max_reloads,
                depot,
                count,
                capacity,
                extra_capacity,
                max_distance,
                max_duration,
                speed_kmh: v.speed_kmh,
                fixed_cost,
                cost_per_km: v.cost_per_km,
                cost_per_hour: v.cost_per_hour,
                breaks,
                shift,
                max_stops,
                max_overtime,
                cost_per_overtime_hour: v.cost_per_overtime_hour,
                end,
            });
        }

        let type_ix: HashMap<&str, usize> = fleet.iter().enumerate().map(|(i, v)| (v.id.as_str(), i)).collect();
        for (town, ids) in towns.iter_mut().zip(town_types) {
            let Some(ids) = ids else { continue };
            let owner = format!("town '{}'", town.id);
            if ids.is_empty() {
                return Err(Error::InvalidValue {
                    owner,
                    field: "vehicle_types",
                    value: "[]".into(),
                    reason: "lists no vehicle type: no vehicle could serve the town (omit it to allow every type)",
                });
            }
            let mut allowed = Vec::with_capacity(ids.len());
            for id in ids {
                let v = type_ix.get(id.as_str()).copied().ok_or_else(|| Error::UnknownId {
                    kind: "vehicle type",
                    id: id.clone(),
                    referenced_by: owner.clone(),
                })?;
                allowed.push(v);
            }
            allowed.sort_unstable();
            allowed.dedup();
            // Every type allowed is the same as no restriction.
            if allowed.len() < fleet.len() {
                town.allowed_types = allowed;
            }
        }

        let n = depots.len() + towns.len();
        let travel_spec = spec.travel.unwrap_or(if geo {
            TravelSpec::Haversine { circuity: 1.0 }
        } else {
            TravelSpec::Euclidean
        });
        let travel = match travel_spec {
            TravelSpec::Euclidean => {
                if geo {
                    return Err(Error::InvalidProblem(
                        "travel 'euclidean' needs planar (x, y) locations; use 'haversine' for lon/lat".into(),
                    ));
                }
                Travel::Euclidean
            }
            TravelSpec::Haversine { circuity } => {
                if !geo {
                    return Err(Error::InvalidProblem(
                        "travel 'haversine' needs geographic (lon, lat) locations".into(),
                    ));
                }
                if !(circuity.is_finite() && (1.0..=MAX_CIRCUITY).contains(&circuity)) {
                    return Err(Error::InvalidValue {
                        owner: "travel".into(),
                        field: "circuity",
                        value: circuity.to_string(),
                        reason: "must be a finite number within 1..=100",
                    });
                }
                Travel::Haversine { circuity }
            }
            TravelSpec::Roads(net) => Travel::Roads(net),
            TravelSpec::RoadNetwork { nodes_csv: path, .. } | TravelSpec::Osm { pbf: path, .. } => {
                return Err(unread_file(&path));
            }
            TravelSpec::Matrix { distances, durations } => Travel::Matrix {
                distances: convert_matrix("distances", &distances, n)?,
                durations: durations
                    .as_deref()
                    .map(|d| convert_matrix("durations", d, n))
                    .transpose()?,
            },
        };
        if matches!(travel, Travel::Roads(_)) && !geo {
            return Err(Error::InvalidProblem(
                "a road network needs geographic (lon, lat) locations".into(),
            ));
        }
        Ok(Problem {
            name: spec.name,
            depots,
            towns,
            fleet,
            travel,
            horizon_days: spec.horizon_days,
            max_snap_m,
            rounding: Rounding::Nearest,
            pickup_order: spec.pickup_order,
        })
    }

    /// The spec this problem was built from (for writing JSON). Road networks
    /// loaded from files cannot be written back and become `None`.
    pub fn to_spec(&self) -> ProblemSpec {
        let back = |m: &Arc<Vec<Option<u32>>>| {
            let n = self.num_locations();
            m.chunks(n.max(1))
                .map(|r| r.iter().map(|v| v.map(f64::from)).collect())
                .collect()
        };
        ProblemSpec {
            name: self.name.clone(),
            travel: match &self.travel {
                Travel::Euclidean => Some(TravelSpec::Euclidean),
                Travel::Haversine { circuity } => Some(TravelSpec::Haversine { circuity: *circuity }),
                Travel::Roads(_) => None,
                Travel::Matrix { distances, durations } => Some(TravelSpec::Matrix {
                    distances: back(distances),
                    durations: durations.as_ref().map(back),
                }),
            },
            depots: self
                .depots
                .iter()
                .map(|d| DepotSpec {
                    id: d.id.clone(),
                    name: d.name.clone(),
                    location: d.location,
                    hours: (!d.hours.is_always()).then_some([
                        TimeSpec::Seconds(d.hours.open as f64),
                        TimeSpec::Seconds(d.hours.close as f64),
                    ]),
                })
                .collect(),
            towns: self
                .towns
                .iter()
                .map(|t| TownSpec {
                    id: t.id.clone(),
                    name: t.name.clone(),
                    location: t.location,
                    demand: Amount::of(t.demand, &t.extra_demand),
                    service_time_s: t.service_time as f64,
                    pickup: Amount::of(t.pickup, &t.extra_pickup),
                    prize: t.prize,
                    priority: (t.priority > 0).then_some(t.priority),
                    release: (t.release > 0).then_some(TimeSpec::Seconds(t.release as f64)),
                    windows: t
                        .windows
                        .iter()
                        .map(|w| [TimeSpec::Seconds(w.open as f64), TimeSpec::Seconds(w.close as f64)])
                        .collect(),
                    drops: None,
                    days: None,
                    patterns: (!t.patterns.is_empty()).then(|| {
                        t.patterns
                            .iter()
                            .map(|&m| (0..64).filter(|d| m >> d & 1 == 1).map(|d| d + 1).collect())
                            .collect()
                    }),
                    vehicle_types: (!t.allowed_types.is_empty())
                        .then(|| t.allowed_types.iter().map(|&v| self.fleet[v].id.clone()).collect()),
                })
                .collect(),
            fleet: self
                .fleet
                .iter()
                .map(|v| VehicleTypeSpec {
                    id: v.id.clone(),
                    depot: self.depots[v.depot].id.clone(),
                    count: v.count.map(i64::from),
                    capacity: Amount::of(v.capacity, &v.extra_capacity),
                    max_distance: v.max_distance.map(|x| x as f64),
                    max_duration_s: v.max_duration.map(|x| x as f64),
                    speed_kmh: v.speed_kmh,
                    fixed_cost: v.fixed_cost as f64,
                    cost_per_km: v.cost_per_km,
                    cost_per_hour: v.cost_per_hour,
                    reload_depots: v.reload_depots.iter().map(|&d| self.depots[d].id.clone()).collect(),
                    reload_time_s: v.reload_time as f64,
                    max_reloads: v.max_reloads,
                    breaks: v.breaks.iter().map(break_spec).collect(),
                    shift: (!v.shift.is_always()).then_some([
                        TimeSpec::Seconds(v.shift.open as f64),
                        TimeSpec::Seconds(v.shift.close as f64),
                    ]),
                    max_stops: v.max_stops.map(i64::from),
                    max_overtime_s: v.max_overtime as f64,
                    cost_per_overtime_hour: v.cost_per_overtime_hour,
                    end_depot: match v.end {
                        RouteEnd::Depot(e) if e != v.depot => Some(self.depots[e].id.clone()),
                        _ => None,
                    },
                    open: v.end == RouteEnd::LastStop,
                })
                .collect(),
            towns_csv: None,
            horizon_days: self.horizon_days,
            max_snap_m: (self.max_snap_m != DEFAULT_MAX_SNAP_M).then_some(self.max_snap_m),
            pickup_order: self.pickup_order,
        }
    }
}

/// The input shape of a checked break rule.
fn break_spec(rule: &BreakRule) -> BreakSpec {
    match *rule {
        BreakRule::Driving {
            max_driving_s,
            length_s,
        } => BreakSpec::driving(max_driving_s as f64, length_s as f64),
        BreakRule::Window { length_s, window } => {
            BreakSpec::window(window.open as f64, window.close as f64, length_s as f64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn van(speed_kmh: f64) -> VehicleTypeSpec {
        VehicleTypeSpec {
            id: "v".into(),
            depot: "d".into(),
            count: None,
            capacity: (10.0).into(),
            max_distance: None,
            max_duration_s: None,
            speed_kmh,
            fixed_cost: 0.0,
            cost_per_km: 0.0,
            cost_per_hour: 0.0,
            reload_depots: Vec::new(),
            reload_time_s: 0.0,
            max_reloads: None,
            breaks: Vec::new(),
            ..VehicleTypeSpec::default()
        }
    }

    fn planar(x: f64, y: f64) -> Location {
        Location::Planar { x, y }
    }

    fn invalid_field(r: Result<Problem>) -> &'static str {
        match r {
            Err(Error::InvalidValue { field, .. }) => field,
            other => panic!("expected InvalidValue, got {other:?}"),
        }
    }

    #[test]
    fn a_town_with_a_depot_id_is_refused() {
        let r = ProblemBuilder::new("p")
            .depot("d", planar(0.0, 0.0))
            .town("d", planar(1.0, 1.0), 1.0, 0.0)
            .vehicle_type(van(60.0))
            .build();
        match r {
            Err(e @ Error::DuplicateId { .. }) => assert!(e.to_string().contains("'d'"), "{e}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn specs_naming_files_are_refused_without_reading_them() {
        let base = || {
            ProblemBuilder::new("p")
                .depot("d", Location::Geo { lon: 11.5, lat: 50.0 })
                .town("t", Location::Geo { lon: 11.6, lat: 50.0 }, 1.0, 0.0)
                .vehicle_type(van(60.0))
        };
        let mut with_csv = base().spec;
        with_csv.towns_csv = Some(TownsCsvSpec {
            path: "/proc/self/environ".into(),
            default_demand: 0.0,
            default_service_time_s: 0.0,
        });
        let roads = base().travel(TravelSpec::RoadNetwork {
            nodes_csv: "/dev/zero".into(),
            edges_csv: "/dev/zero".into(),
        });
        for r in [Problem::from_spec(with_csv), roads.build()] {
            match r {
                Err(Error::InvalidProblem(m)) => assert!(m.contains("backroads::io"), "{m}"),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn planar_coordinates_beyond_1e9_are_refused() {
        let b = |x: f64, y: f64| {
            ProblemBuilder::new("p")
                .depot("d", planar(0.0, 0.0))
                .town("t", planar(x, y), 1.0, 0.0)
                .vehicle_type(van(60.0))
        };
        assert!(b(1e9, -1e9).build().is_ok());
        assert_eq!(invalid_field(b(1e300, 0.0).build()), "x");
        assert_eq!(invalid_field(b(0.0, -1.000_001e9).build()), "y");
        assert_eq!(invalid_field(b(f64::NAN, 0.0).build()), "x");
        match b(0.0, 1e10).build() {
            Err(e @ Error::InvalidValue { .. }) => {
                let msg = e.to_string();
                assert!(msg.contains("town 't'") && msg.contains("1e9"), "{msg}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn tiny_speeds_and_huge_circuity_are_refused() {
        let b = |speed: f64| {
            ProblemBuilder::new("p")
                .depot("d", planar(0.0, 0.0))
                .town("t", planar(1.0, 1.0), 1.0, 0.0)
                .vehicle_type(van(speed))
        };
        // 5.8e-164 km/h once made travel times saturate at i64::MAX and the
        // solver's sums overflow.
        for speed in [5.8e-164, 0.0999, 0.0, -1.0, f64::INFINITY] {
            assert_eq!(invalid_field(b(speed).build()), "speed_kmh", "{speed}");
        }
        assert!(b(0.1).build().is_ok());
        assert!(b(1e300).build().is_ok());
        let geo = |circuity: f64| {
            ProblemBuilder::new("g")
                .depot("d", Location::Geo { lon: 0.0, lat: 0.0 })
                .town("t", Location::Geo { lon: 1.0, lat: 1.0 }, 1.0, 0.0)
                .vehicle_type(van(60.0))
                .travel(TravelSpec::Haversine { circuity })
                .build()
        };
        assert!(geo(100.0).is_ok());
        assert_eq!(invalid_field(geo(100.5)), "circuity");
        assert_eq!(invalid_field(geo(1e300)), "circuity");
    }

    #[test]
    fn matrix_shape_is_checked_before_reserving_n_squared() {
        // 100,001 locations and as many empty rows: reserving n² entries
        // first would ask for 80 GB and abort the process.
        let n = 100_000;
        let mut b = ProblemBuilder::new("m").depot("d", planar(0.0, 0.0));
        for i in 0..n {
            b = b.town(i.to_string(), planar(0.0, 0.0), 1.0, 0.0);
        }
        let b = b.vehicle_type(van(60.0)).travel(TravelSpec::Matrix {
            distances: vec![Vec::new(); n + 1],
            durations: None,
        });
        match b.build() {
            Err(Error::InvalidProblem(m)) => assert!(m.contains("row 0 has 0 entries"), "{m}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn many_depots_and_vehicle_types_build_in_linear_time() {
        // 50,000 depots each with a vehicle type: a scan per vehicle type
        // (2.5e9 comparisons) made this take minutes.
        let k = 50_000;
        let mut spec = ProblemSpec {
            name: "many".into(),
            ..Default::default()
        };
        for i in 0..k {
            spec.depots.push(DepotSpec {
                id: format!("d{i}"),
                name: String::new(),
                location: planar(i as f64, 0.0),
                hours: None,
            });
            let mut v = van(60.0);
            v.id = format!("v{i}");
            v.depot = format!("d{}", k - 1 - i);
            spec.fleet.push(v);
        }
        spec.towns.push(TownSpec {
            name: String::new(),
            ..TownSpec::new("t", planar(1.0, 1.0), 1.0)
        });
        let start = std::time::Instant::now();
        let p = Problem::from_spec(spec).unwrap();
        assert_eq!(p.fleet[0].depot, k - 1);
        assert!(start.elapsed().as_secs_f64() < 3.0, "{:?}", start.elapsed());
    }
}
