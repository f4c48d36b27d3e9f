//! Road-network oracle. STUB: to be completed.

use super::TravelOracle;
use crate::error::{Error, Result};
use crate::model::{Location, RoadNetwork};

/// How a location was attached to the road network.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snap {
    /// Graph node index it was snapped to.
    pub node: u32,
    /// Straight-line distance to that node, metres.
    pub distance_m: f64,
}

/// Shortest paths over a road network.
#[derive(Debug, Clone)]
pub struct RoadOracle {
    snaps: Vec<Snap>,
}

impl RoadOracle {
    /// Snaps locations and computes the matrices.
    pub fn new(_net: &RoadNetwork, _locations: &[Location]) -> Result<Self> {
        Err(Error::InvalidProblem("road networks not implemented yet".into()))
    }
}

impl TravelOracle for RoadOracle {
    fn num_locations(&self) -> usize {
        self.snaps.len()
    }
    fn distance(&self, _a: usize, _b: usize) -> i64 {
        0
    }
    fn duration(&self, _a: usize, _b: usize) -> Option<i64> {
        None
    }
    fn is_symmetric(&self) -> bool {
        false
    }
    fn snaps(&self) -> Option<&[Snap]> {
        Some(&self.snaps)
    }
}
