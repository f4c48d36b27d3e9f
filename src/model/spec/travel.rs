//! How travel is measured, as given in input: straight lines, road
//! networks, OpenStreetMap extracts or matrices.

use super::TimeSpec;
use crate::model::RoadNetwork;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;

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

fn default_circuity() -> f64 {
    1.0
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
    /// Opening intervals of every settlement (as [`TownSpec::windows`](super::TownSpec::windows)).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub windows: Vec<[TimeSpec; 2]>,
}

fn default_places() -> Vec<String> {
    ["village", "hamlet", "town"].map(String::from).to_vec()
}
