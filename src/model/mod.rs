//! The immutable problem: depots, towns, fleet and how travel is measured.
//!
//! Location indices used everywhere below the model: depots come first
//! (`0..depots.len()`), then towns (`depots.len()..`). Quantities inside the
//! model are integers (metres or instance units, seconds, demand units); floats
//! only appear in the input specs and are converted with [`round_to_int`].

pub mod breaks;
mod build;
mod builder;
pub mod day;
pub mod load;
pub mod network;
mod spec;
pub mod timing;

pub use breaks::{BreakKind, BreakRule, TakenBreak};
pub use builder::ProblemBuilder;
pub use load::{LoadProfile, PickupOrder};
pub use network::{Junction, RoadClass, RoadNetwork, RoadSegment};
pub use spec::{
    Amount, BreakSpec, DayStateSpec, DepotSpec, OsmSettlementsSpec, PositionSpec, ProblemSpec, TimeSpec, TownSpec,
    TownsCsvSpec, TravelSpec, VehicleStateSpec, VehicleTypeSpec,
};
pub use timing::{RouteClock, RouteTimes, VisitTimes, Window, shortest_schedule, shortest_with_breaks};

use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Largest number of towns a problem may hold (guards against absurd inputs).
pub const MAX_TOWNS: usize = 2_000_000;

/// The one rounding rule for floats entering the model: nearest integer,
/// halves away from zero (TSPLIB/CVRPLIB `nint` for non-negative values).
/// Saturates at the `i64` range; NaN gives 0 (inputs are validated first).
#[inline]
pub fn round_to_int(x: f64) -> i64 {
    // `(x + 0.5) as i64` truncates, i.e. floors, for x >= 0: that is TSPLIB's
    // nint and, unlike `f64::round`, compiles to plain SSE2 with no libm call
    // (this runs for every on-demand distance in the solver's hot loop).
    if x >= 0.0 { (x + 0.5) as i64 } else { x.round() as i64 }
}

/// How planar Euclidean lengths become the model's integer distances: the
/// distance convention of an instance (chosen by the reader, see
/// `io::vrplib`). Every convention has a fixed scale: model units
/// per instance unit ([`Rounding::scale`]); times and service times of the
/// instance are scaled alike, and figures are reported back in instance
/// units ([`Rounding::to_instance`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Nearest integer, halves up (TSPLIB / CVRPLIB X `nint`); scale 1.
    #[default]
    Nearest,
    /// Real-valued lengths (Golden, CMT, most of the literature), held in
    /// fixed point with [`Rounding::EXACT_SCALE`] units per instance unit
    /// and every arc rounded *up*: a route whose model sum is within a limit
    /// (itself rounded down) is within it in exact arithmetic.
    Exact,
    /// DIMACS tenths: every arc truncated to one decimal; scale 10.
    DimacsTenths,
}

impl Rounding {
    /// Model units per instance unit under [`Rounding::Exact`].
    pub const EXACT_SCALE: i64 = 10_000;

    /// Model units per instance unit.
    pub fn scale(self) -> i64 {
        match self {
            Rounding::Nearest => 1,
            Rounding::Exact => Rounding::EXACT_SCALE,
            Rounding::DimacsTenths => 10,
        }
    }

    /// The arc of planar offset `(dx, dy)` in model units.
    #[inline]
    pub fn arc(self, dx: f64, dy: f64) -> i64 {
        let sq = dx * dx + dy * dy;
        match self {
            Rounding::Nearest => round_to_int(sq.sqrt()),
            Rounding::Exact => ceil_to_int(sq.sqrt() * Rounding::EXACT_SCALE as f64),
            // sqrt(100 · d²) is one correctly rounded operation: integer
            // coordinates give the exact floor.
            Rounding::DimacsTenths => (100.0 * sq).sqrt() as i64,
        }
    }

    /// A limit (route length, shift) of `v` instance units in model units,
    /// rounded so that it never allows more than `v`: down for the scaled
    /// conventions, to the nearest integer for `nint` (as CVRPLIB).
    pub fn limit(self, v: f64) -> f64 {
        match self {
            Rounding::Nearest => v,
            _ => (v * self.scale() as f64 + 1e-9 * v.abs().max(1.0)).floor(),
        }
    }

    /// A model quantity (distance, cost) in instance units.
    pub fn to_instance(self, v: i64) -> f64 {
        v as f64 / self.scale() as f64
    }

    /// A model distance in instance units as text: whole for `nint`, four
    /// decimals for `exact`, one for `dimacs`.
    pub fn show(self, v: i64) -> String {
        match self {
            Rounding::Nearest => v.to_string(),
            Rounding::Exact => format!("{:.4}", self.to_instance(v)),
            Rounding::DimacsTenths => format!("{:.1}", self.to_instance(v)),
        }
    }

    /// The command-line spelling.
    pub fn name(self) -> &'static str {
        match self {
            Rounding::Nearest => "nearest",
            Rounding::Exact => "exact",
            Rounding::DimacsTenths => "dimacs",
        }
    }
}

impl std::str::FromStr for Rounding {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Rounding, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "nearest" | "nint" => Ok(Rounding::Nearest),
            "exact" => Ok(Rounding::Exact),
            "dimacs" => Ok(Rounding::DimacsTenths),
            _ => Err(format!("unknown rounding '{s}' (expected nearest, exact or dimacs)")),
        }
    }
}

impl std::fmt::Display for Rounding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The smallest integer >= `x` (x >= 0, finite), without a libm call.
#[inline]
fn ceil_to_int(x: f64) -> i64 {
    let t = x as i64;
    if (t as f64) < x { t + 1 } else { t }
}

/// A point: planar (benchmark files) or geographic (WGS84 degrees).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Location {
    /// Planar coordinates in instance units.
    Planar {
        /// East coordinate.
        x: f64,
        /// North coordinate.
        y: f64,
    },
    /// Geographic coordinates in degrees.
    Geo {
        /// Longitude, degrees east.
        lon: f64,
        /// Latitude, degrees north.
        lat: f64,
    },
}

impl Location {
    /// True for geographic locations.
    pub fn is_geo(&self) -> bool {
        matches!(self, Location::Geo { .. })
    }
}

/// A regional depot where vehicles start and end.
#[derive(Debug, Clone, PartialEq)]
pub struct Depot {
    /// Unique id.
    pub id: String,
    /// Human name (may be empty).
    pub name: String,
    /// Where it is.
    pub location: Location,
    /// Opening hours: vehicles leave no earlier than `open` and are back by
    /// `close` ([`Window::ALWAYS`] when not given).
    pub hours: Window,
}

/// A town (or shop) to deliver to.
#[derive(Debug, Clone, PartialEq)]
pub struct Town {
    /// Unique id.
    pub id: String,
    /// Human name (may be empty).
    pub name: String,
    /// Where it is.
    pub location: Location,
    /// Demand in units (same unit as vehicle capacity): what the vehicle
    /// delivers here.
    pub demand: u32,
    /// What the vehicle collects here (farm produce, returns, empties), in
    /// the same units; it stays on board to the depot (see [`load`]).
    pub pickup: u32,
    /// Demand in the capacity dimensions after the first (volume, crates…),
    /// one per [`VehicleType::extra_capacity`]; empty with one dimension.
    pub extra_demand: Vec<u32>,
    /// Pickups in those dimensions (same length as `extra_demand`).
    pub extra_pickup: Vec<u32>,
    /// `None`: the town must be served. `Some(prize)`: the town is optional,
    /// and leaving it unserved adds `prize` to the objective (in distance
    /// units, or in money when some vehicle type has running costs).
    pub prize: Option<f64>,
    /// How much a required town's being served matters when the fleet
    /// cannot serve every town (0 = like any other, at most
    /// [`MAX_PRIORITY`]): leaving it out costs `1 + priority` times the
    /// penalty of leaving out a town of priority 0 (see the guide,
    /// `docs/src/rules/mixed-fleets.md`).
    pub priority: u32,
    /// When this town's goods reach the depot, seconds: a trip carrying
    /// them leaves no earlier (0 = ready at the start).
    pub release: i64,
    /// Time spent at the town, seconds.
    pub service_time: u32,
    /// Opening intervals in which service may start, sorted and disjoint;
    /// empty = always open. The same every day of a multi-day horizon.
    pub windows: Vec<Window>,
    /// Multi-day problems: the allowed visit patterns, each a set of days
    /// as a bit mask (bit `d` = day `d + 1`); the plan picks one. Empty for
    /// single-day problems.
    pub patterns: Vec<u64>,
    /// Indices in [`Problem::fleet`] of the vehicle types allowed to serve
    /// the town, sorted; empty = every type.
    pub allowed_types: Vec<usize>,
}

impl Town {
    /// True if a vehicle of type `v` may serve the town.
    #[inline]
    pub fn allows_type(&self, v: usize) -> bool {
        self.allowed_types.is_empty() || self.allowed_types.binary_search(&v).is_ok()
    }

    /// True if the town has goods to drop in some capacity dimension (a
    /// linehaul, for [`PickupOrder::DeliveriesFirst`]).
    pub fn delivers(&self) -> bool {
        self.demand > 0 || self.extra_demand.iter().any(|&x| x > 0)
    }

    /// True if the town has goods to collect in some capacity dimension (a
    /// backhaul, for [`PickupOrder::DeliveriesFirst`]).
    pub fn collects(&self) -> bool {
        self.pickup > 0 || self.extra_pickup.iter().any(|&x| x > 0)
    }

    /// The town's demand and pickup in capacity dimension `d` (0: `demand`
    /// and `pickup`; after: the `extra_` lists, zero where absent).
    pub fn amounts(&self, d: usize) -> (u32, u32) {
        if d == 0 {
            return (self.demand, self.pickup);
        }
        (
            self.extra_demand.get(d - 1).copied().unwrap_or(0),
            self.extra_pickup.get(d - 1).copied().unwrap_or(0),
        )
    }

    /// The town as one stop of a route's load in capacity dimension `d`:
    /// that dimension's amounts, ordered by all of them (the one place the
    /// order rule learns what a town is).
    pub fn load_stop(&self, d: usize) -> LoadProfile {
        let (delivery, pickup) = self.amounts(d);
        LoadProfile::classed_stop(delivery.into(), pickup.into(), self.delivers(), self.collects())
    }
}

/// A group of identical vehicles based at one depot.
#[derive(Debug, Clone, PartialEq)]
pub struct VehicleType {
    /// Unique id.
    pub id: String,
    /// Index of the home depot in [`Problem::depots`].
    pub depot: usize,
    /// Number of vehicles; `None` = unlimited (as in CVRPLIB).
    pub count: Option<u32>,
    /// Capacity in demand units.
    pub capacity: u32,
    /// Capacity in the dimensions after the first (every type has the
    /// same number; empty with one dimension). See [`load`].
    pub extra_capacity: Vec<u32>,
    /// Longest route, in distance units (metres for geographic problems).
    pub max_distance: Option<i64>,
    /// Longest route including service, seconds (driver shift).
    pub max_duration: Option<i64>,
    /// Cruising speed, km/h, used when travel times derive from distances.
    pub speed_kmh: f64,
    /// Cost of using one vehicle of this type, in distance units: added to
    /// the objective once per route. A large value makes the solver use as
    /// few vehicles as it can (the vehicles-first objective).
    pub fixed_cost: i64,
    /// Running cost per kilometre (1,000 distance units), for choosing and
    /// reporting vehicles (see [`VehicleType::route_cost`]).
    pub cost_per_km: f64,
    /// Running cost per hour of route duration (driver wage).
    pub cost_per_hour: f64,
    /// Depots (indices into [`Problem::depots`]) where the vehicle may
    /// reload and go out again within its shift, sorted; empty = one trip.
    pub reload_depots: Vec<usize>,
    /// Seconds a reload takes at the depot.
    pub reload_time: i64,
    /// Most reloads per route (`None` = as many as fit the shift).
    pub max_reloads: Option<u32>,
    /// Driver breaks (empty = none), window rules first by opening, then
    /// the driving rule (see [`breaks`] and the route rule in [`timing`]).
    pub breaks: Vec<BreakRule>,
    /// The type's working hours (staggered shifts): its routes leave the
    /// depot no earlier than `open` and are back by `close`, on top of the
    /// depot's own hours ([`Window::ALWAYS`] = the depot's hours alone).
    pub shift: Window,
    /// Most towns served on one route (`None` = no limit); reloads are not
    /// stops.
    pub max_stops: Option<u32>,
    /// Seconds a route may run beyond `max_duration` (0 = none), each
    /// costing `cost_per_overtime_hour / 3600`.
    pub max_overtime: i64,
    /// Cost per hour of overtime, on top of `cost_per_hour`.
    pub cost_per_overtime_hour: f64,
    /// Where the type's routes end: a depot (its home depot unless stated
    /// otherwise) or the last stop (open routes).
    pub end: RouteEnd,
}

/// Where a vehicle type's routes end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteEnd {
    /// At this depot (index into [`Problem::depots`]); the home depot by
    /// default.
    Depot(usize),
    /// At the last stop: no return leg is driven or counted (drivers who
    /// take the van home, a subcontractor paid to the last drop).
    LastStop,
}

impl VehicleType {
    /// What a route of this distance and duration costs with this vehicle:
    /// `fixed_cost + cost_per_km × distance / 1000 + cost_per_hour × duration / 3600`.
    /// Overtime ([`VehicleType::overtime`]) adds `cost_per_overtime_hour`
    /// per hour.
    pub fn route_cost(&self, distance: i64, duration_s: i64) -> f64 {
        self.fixed_cost as f64
            + self.cost_per_km * distance as f64 / 1000.0
            + self.cost_per_hour * duration_s as f64 / 3600.0
            + self.cost_per_overtime_hour * self.overtime(duration_s) as f64 / 3600.0
    }

    /// Seconds of a route of this duration beyond the regular shift
    /// (`max_duration`); 0 without one.
    pub fn overtime(&self, duration_s: i64) -> i64 {
        self.max_duration.map_or(0, |regular| (duration_s - regular).max(0))
    }

    /// The hard limit on a route's duration: the shift plus the overtime
    /// allowed (`None` = no limit).
    pub fn duration_limit(&self) -> Option<i64> {
        self.max_duration.map(|d| d.saturating_add(self.max_overtime))
    }

    /// The depot the type's routes end at (`None`: open routes, which end
    /// at their last stop).
    pub fn end_depot(&self) -> Option<usize> {
        match self.end {
            RouteEnd::Depot(d) => Some(d),
            RouteEnd::LastStop => None,
        }
    }

    /// `hours` (when depots let the vehicle leave and come back) cut to the
    /// type's shift.
    pub fn within_shift(&self, hours: Window) -> Window {
        Window {
            open: hours.open.max(self.shift.open),
            close: hours.close.min(self.shift.close),
        }
    }

    /// True if the type's routes end where they start.
    pub fn returns_home(&self) -> bool {
        self.end == RouteEnd::Depot(self.depot)
    }

    /// Seconds per distance unit at this vehicle's speed (distance unit = metre).
    pub fn seconds_per_unit(&self) -> f64 {
        3.6 / self.speed_kmh
    }
}

/// How distances and travel times between locations are obtained.
#[derive(Debug, Clone)]
pub enum Travel {
    /// Planar Euclidean distance, made an integer by [`Problem::rounding`]
    /// (nearest integer by default, as CVRPLIB EUC_2D).
    Euclidean,
    /// Great-circle distance in metres times a road-circuity factor (>= 1).
    Haversine {
        /// Road distance / straight-line distance.
        circuity: f64,
    },
    /// Shortest (fastest) paths over a road network.
    Roads(Arc<RoadNetwork>),
    /// A full matrix given with the problem, row-major over all locations.
    Matrix {
        /// Distances; `None` entries are unreachable pairs.
        distances: Arc<Vec<Option<u32>>>,
        /// Travel times in seconds, if given.
        durations: Option<Arc<Vec<Option<u32>>>>,
    },
}

/// A validated, immutable routing problem.
#[derive(Debug, Clone)]
pub struct Problem {
    /// Name (from the file or the builder).
    pub name: String,
    /// Depots, in input order.
    pub depots: Vec<Depot>,
    /// Towns, in input order.
    pub towns: Vec<Town>,
    /// Vehicle types.
    pub fleet: Vec<VehicleType>,
    /// How travel is measured.
    pub travel: Travel,
    /// Days in the planning horizon (`None` = a single-day problem).
    pub horizon_days: Option<u32>,
    /// Road networks: towns farther than this from the nearest junction,
    /// metres, are unassigned as off-network.
    pub max_snap_m: f64,
    /// The distance convention: how Euclidean arcs are rounded and how many
    /// model units make one instance unit (readers of benchmark files set
    /// it; [`Rounding::Nearest`] otherwise).
    pub rounding: Rounding,
    /// Whether pickups may come before deliveries (see [`load`]).
    pub pickup_order: PickupOrder,
    /// The state of the day to re-plan from (`None`: the day has not
    /// begun). The solver takes a problem without one:
    /// `planning::settle_day` makes it.
    pub day: Option<Arc<day::DayState>>,
}

/// Longest multi-day horizon, days (patterns are 64-bit masks).
pub const MAX_HORIZON_DAYS: u32 = 64;

/// Highest [`Town::priority`].
pub const MAX_PRIORITY: u32 = 100;

impl Problem {
    /// Number of locations (depots + towns).
    pub fn num_locations(&self) -> usize {
        self.depots.len() + self.towns.len()
    }

    /// Location index of town `t`.
    pub fn town_location(&self, t: usize) -> usize {
        self.depots.len() + t
    }

    /// All locations, depots first.
    pub fn locations(&self) -> Vec<Location> {
        self.depots
            .iter()
            .map(|d| d.location)
            .chain(self.towns.iter().map(|t| t.location))
            .collect()
    }

    /// Town index by id, for readers of solutions and writers that look
    /// many towns up (one map instead of a scan per stop).
    pub fn town_indices(&self) -> std::collections::HashMap<&str, usize> {
        self.towns.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect()
    }

    /// Index of the town with this id, if any.
    pub fn town_index(&self, id: &str) -> Option<usize> {
        self.towns.iter().position(|t| t.id == id)
    }

    /// Index of the depot with this id, if any.
    pub fn depot_index(&self, id: &str) -> Option<usize> {
        self.depots.iter().position(|d| d.id == id)
    }

    /// True if some town has opening hours, some depot has hours or some
    /// vehicle type a shift: routes must then be timed stop by stop (see
    /// [`timing`]).
    pub fn has_windows(&self) -> bool {
        self.towns.iter().any(|t| !t.windows.is_empty())
            || self.depots.iter().any(|d| !d.hours.is_always())
            || self.fleet.iter().any(|v| !v.shift.is_always())
    }

    /// Capacity dimensions (1 = the usual single capacity; at most
    /// [`load::MAX_DIMENSIONS`]).
    pub fn dimensions(&self) -> usize {
        1 + self.fleet.first().map_or(0, |v| v.extra_capacity.len())
    }

    /// True if some town has a pickup (in any capacity dimension).
    pub fn has_pickups(&self) -> bool {
        self.towns.iter().any(Town::collects)
    }

    /// True if some vehicle type may reload and make several trips.
    pub fn has_reloads(&self) -> bool {
        self.fleet.iter().any(|v| !v.reload_depots.is_empty())
    }

    /// True if some town's goods are released after the start of the day.
    pub fn has_release_times(&self) -> bool {
        self.towns.iter().any(|t| t.release > 0)
    }

    /// True if some town is optional (has a prize).
    pub fn has_optional_towns(&self) -> bool {
        self.towns.iter().any(|t| t.prize.is_some())
    }

    /// True if some vehicle type costs money per kilometre or per hour:
    /// the objective is then money ([`VehicleType::route_cost`]).
    pub fn has_running_costs(&self) -> bool {
        self.fleet
            .iter()
            .any(|v| v.cost_per_km > 0.0 || v.cost_per_hour > 0.0 || v.cost_per_overtime_hour > 0.0)
    }

    /// When vehicle type `k` may work: it leaves no earlier than its depot
    /// opens and its shift starts, and is back (at its end depot; open
    /// routes: done) by the time its end depot closes and its shift ends.
    /// The input reader refuses a shift that does not meet these hours.
    pub fn working_hours(&self, k: usize) -> Window {
        let vt = &self.fleet[k];
        let start = self.depots[vt.depot].hours;
        let end = vt.end_depot().map_or(Window::ALWAYS, |d| self.depots[d].hours);
        vt.within_shift(Window {
            open: start.open,
            close: end.close,
        })
    }

    /// True if some vehicle type ends its routes elsewhere than it starts
    /// them (another depot, or the last stop).
    pub fn has_route_ends(&self) -> bool {
        self.fleet.iter().any(|v| !v.returns_home())
    }

    /// True if some vehicle type has break rules.
    pub fn has_breaks(&self) -> bool {
        self.fleet.iter().any(|v| !v.breaks.is_empty())
    }

    /// Index of the vehicle type with this id, if any.
    pub fn vehicle_type_index(&self, id: &str) -> Option<usize> {
        self.fleet.iter().position(|v| v.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::round_to_int;

    #[test]
    fn rounding_rule() {
        assert_eq!(round_to_int(2.5), 3);
        assert_eq!(round_to_int(2.4999), 2);
        assert_eq!(round_to_int(0.0), 0);
        assert_eq!(round_to_int(-2.5), -3);
        assert_eq!(round_to_int(-2.4), -2);
        assert_eq!(round_to_int(1e300), i64::MAX);
    }
}
