//! Road network model (petgraph). STUB: to be completed.

use crate::error::{Error, Result};
use std::path::Path;

/// A road junction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Junction {
    /// Source id (OSM node id).
    pub id: i64,
    /// Longitude.
    pub lon: f64,
    /// Latitude.
    pub lat: f64,
}

/// Road class of a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoadClass {
    /// Anything.
    Other,
}

/// A directed road segment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoadSegment {
    /// Length, metres.
    pub length_m: u32,
    /// Travel time, milliseconds.
    pub time_ms: u32,
    /// Class.
    pub class: RoadClass,
}

/// The road graph.
#[derive(Debug, Clone, Default)]
pub struct RoadNetwork {
    /// Directed graph of junctions and segments.
    pub graph: petgraph::graph::DiGraph<Junction, RoadSegment, u32>,
}

impl RoadNetwork {
    /// Loads nodes.csv and edges.csv.
    pub fn from_csv_files(nodes: &Path, _edges: &Path) -> Result<Self> {
        Err(Error::parse(
            &nodes.display().to_string(),
            None,
            "road networks not implemented yet",
        ))
    }
}
