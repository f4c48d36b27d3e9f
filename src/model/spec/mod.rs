//! Input specs: the serde shape of a problem (the JSON problem format), one
//! file per part of it. They hold what was given, unchecked;
//! [`Problem::from_spec`](super::Problem::from_spec) validates them into a
//! [`Problem`](super::Problem).

mod amount;
mod depot;
mod state;
mod time;
mod town;
mod travel;
mod vehicle;

pub use amount::Amount;
pub use depot::DepotSpec;
pub use state::{DayStateSpec, PositionSpec, VehicleStateSpec};
pub use time::TimeSpec;
pub use town::{TownSpec, TownsCsvSpec};
pub use travel::{OsmSettlementsSpec, TravelSpec};
pub use vehicle::{BreakSpec, VehicleTypeSpec};

use super::PickupOrder;
use serde::{Deserialize, Serialize};

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
    /// The state of the day for a re-plan during it: vehicles on the road,
    /// towns done, fixed and locked (absent = the day has not begun).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<DayStateSpec>,
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

/// Default [`ProblemSpec::max_snap_m`], metres.
pub const DEFAULT_MAX_SNAP_M: f64 = 5_000.0;
