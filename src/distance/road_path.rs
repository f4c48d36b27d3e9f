//! Route geometry: the junctions a vehicle actually drives through, for maps
//! and GeoJSON output.
//!
//! The [`RoadOracle`](super::RoadOracle) only keeps distance and time
//! matrices; this module recovers the roads themselves.
//!
//! * [`road_path`] / [`RoadPaths::path`]: the fastest junction sequence
//!   between two junctions, found with petgraph's [`astar()`] on
//!   [`RoadNetwork::graph`]. The cost is the same lexicographic (time, then
//!   distance) order as the oracle's search, so the path drawn is the path
//!   priced. The heuristic is admissible: the great-circle distance to the
//!   goal times the smallest milliseconds-per-metre ratio of any segment of
//!   the network (by the triangle inequality no path can be faster).
//! * [`location_xy`]: the coordinates of a location.
//!
//! The polylines of a solution's routes are drawn from these by
//! `io::route_polylines` (io/geometry.rs).
//!
//! Coordinates are `(lon, lat)` degrees for geographic problems and `(x, y)`
//! instance units for planar ones.

use crate::model::{Location, RoadNetwork};
use geo::{Distance, Haversine, Point};
use petgraph::algo::astar;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

/// Bits of the distance part of a path cost: `time_ms << DIST_BITS | length_m`,
/// so one integer comparison orders by time, then distance (as the oracle).
const DIST_BITS: u32 = 40;

/// Safety factor on the heuristic against floating-point rounding.
const HEURISTIC_SLACK: f64 = 0.999;

/// Fastest-path queries over one road network (the heuristic's bound is
/// computed once, in `O(segments)`, by [`RoadPaths::new`]).
#[derive(Debug, Clone)]
pub struct RoadPaths<'a> {
    net: &'a RoadNetwork,
    /// Lower bound on the milliseconds needed per metre of great-circle
    /// distance, over every segment.
    ms_per_m: f64,
}

impl<'a> RoadPaths<'a> {
    /// Prepares path queries on `net`.
    pub fn new(net: &'a RoadNetwork) -> Self {
        let g = net.graph();
        let mut ms_per_m = f64::INFINITY;
        for e in g.edge_references() {
            let (a, b) = (&g[e.source()], &g[e.target()]);
            let straight = Haversine.distance(Point::new(a.lon, a.lat), Point::new(b.lon, b.lat));
            if straight > 0.0 {
                ms_per_m = ms_per_m.min(f64::from(e.weight().time_ms) / straight);
            }
        }
        if !ms_per_m.is_finite() {
            // No segment with any extent: fall back to plain Dijkstra.
            ms_per_m = 0.0;
        }
        RoadPaths {
            net,
            ms_per_m: ms_per_m * HEURISTIC_SLACK,
        }
    }

    /// The network queried.
    pub fn network(&self) -> &'a RoadNetwork {
        self.net
    }

    /// The fastest path from junction `from` to junction `to` (node
    /// indices), both ends included; among equally fast paths the shortest.
    /// `Some(vec![from])` when `from == to`; `None` when `to` cannot be
    /// reached or an index is out of range.
    pub fn path(&self, from: u32, to: u32) -> Option<Vec<u32>> {
        let n = self.net.num_junctions();
        if from as usize >= n || to as usize >= n {
            return None;
        }
        let g = self.net.graph();
        let goal = NodeIndex::new(to as usize);
        let gj = g[goal];
        let goal_point = Point::new(gj.lon, gj.lat);
        let ms_per_m = self.ms_per_m;
        let heuristic = |v: NodeIndex<u32>| -> u128 {
            if v == goal || ms_per_m == 0.0 {
                return 0;
            }
            let j = g[v];
            let lb = Haversine.distance(Point::new(j.lon, j.lat), goal_point) * ms_per_m;
            // `as` saturates; the bound is far below 2^56 ms for any Earth path.
            (lb.floor().max(0.0) as u128) << DIST_BITS
        };
        let (_, nodes) = astar(
            g,
            NodeIndex::new(from as usize),
            |v| v == goal,
            |e| (u128::from(e.weight().time_ms) << DIST_BITS) | u128::from(e.weight().length_m),
            heuristic,
        )?;
        Some(nodes.into_iter().map(|v| v.index() as u32).collect())
    }
}

/// The fastest path's junction sequence from junction `from_junction` to
/// `to_junction` (see [`RoadPaths::path`]). For many queries on one network,
/// build one [`RoadPaths`] and reuse it.
pub fn road_path(net: &RoadNetwork, from_junction: u32, to_junction: u32) -> Option<Vec<u32>> {
    RoadPaths::new(net).path(from_junction, to_junction)
}

/// The coordinates of a location: `(lon, lat)` or `(x, y)`.
pub fn location_xy(location: &Location) -> (f64, f64) {
    match *location {
        Location::Planar { x, y } => (x, y),
        Location::Geo { lon, lat } => (lon, lat),
    }
}

/// Small road-network problems shared by the output modules' tests.
#[cfg(test)]
pub(crate) mod test_support {
    use crate::model::{Location, Problem, ProblemBuilder, RoadClass, RoadNetwork, TravelSpec, VehicleTypeSpec};
    use std::sync::Arc;

    /// A 6 × 6 grid of two-way unclassified roads, 0.01° apart, junction
    /// ids `10 * row + col` at lon `11.5 + 0.01 col`, lat `50 + 0.01 row`.
    pub fn grid() -> RoadNetwork {
        let mut net = RoadNetwork::new();
        for r in 0..6 {
            for c in 0..6 {
                net.add_junction(10 * r + c, 11.5 + 0.01 * c as f64, 50.0 + 0.01 * r as f64)
                    .expect("valid junction");
            }
        }
        for r in 0..6 {
            for c in 0..6 {
                let id = 10 * r + c;
                if c < 5 {
                    net.add_segment(id, id + 1, 720.0, RoadClass::Unclassified, None, false)
                        .expect("valid segment");
                }
                if r < 5 {
                    net.add_segment(id, id + 10, 1112.0, RoadClass::Unclassified, None, false)
                        .expect("valid segment");
                }
            }
        }
        net
    }

    /// A van type at depot `D` with capacity 10, built through serde so that
    /// fields added to the spec later take their defaults.
    pub fn van(count: Option<i64>, max_duration_s: Option<f64>) -> VehicleTypeSpec {
        serde_json::from_value(serde_json::json!({
            "id": "van",
            "depot": "D",
            "count": count,
            "capacity": 10.0,
            "max_duration_s": max_duration_s,
            "speed_kmh": 50.0,
        }))
        .expect("valid vehicle type spec")
    }

    /// A planar depot and two towns `a`, `b` of demand `demand` (capacity
    /// 10): straight lines, no road network.
    pub fn planar_pair(demand: f64) -> Problem {
        ProblemBuilder::new("planar")
            .depot("D", Location::Planar { x: 0.0, y: 0.0 })
            .town("a", Location::Planar { x: 10.0, y: 0.0 }, demand, 0.0)
            .town("b", Location::Planar { x: 10.0, y: 5.0 }, demand, 0.0)
            .vehicle_type(van(None, None))
            .build()
            .expect("valid planar problem")
    }

    /// Depot just off the grid's south-west corner, six towns just off
    /// junctions (names with XML/CSV specials), and one farm 250 km away
    /// whose access leg alone exceeds the 8-hour shift (it stays unassigned).
    pub fn grid_problem() -> Problem {
        let towns = [
            ("t1", "Upper Mill", 11.5501, 50.0501, 3.0),
            ("t2", "Oak & Ash <Farm>", 11.5398, 50.0402, 2.0),
            ("t3", "Kirchdorf", 11.5102, 50.0499, 4.0),
            ("t4", "Lindenau", 11.5499, 50.0101, 4.0),
            ("t5", "Brook", 11.5301, 50.0201, 5.0),
            ("t6", "Hill", 11.5203, 50.0302, 1.0),
            ("far", "Far Farm", 13.4, 52.5, 1.0),
        ];
        let mut b = ProblemBuilder::new("grid")
            .travel(TravelSpec::Roads(Arc::new(grid())))
            .depot(
                "D",
                Location::Geo {
                    lon: 11.4999,
                    lat: 49.9999,
                },
            );
        for (id, _, lon, lat, q) in towns {
            b = b.town(id, Location::Geo { lon, lat }, q, 300.0);
        }
        let mut problem = b
            .vehicle_type(van(Some(3), Some(8.0 * 3600.0)))
            .build()
            .expect("valid grid problem");
        for (t, (_, name, ..)) in problem.towns.iter_mut().zip(towns) {
            t.name = name.to_string();
        }
        problem
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::grid;
    use super::*;
    use crate::distance::{RoadOracle, TravelOracle};
    use crate::error::Result;
    use crate::model::RoadClass;

    fn ix(net: &RoadNetwork, id: i64) -> u32 {
        net.junction_index(id).expect("junction exists")
    }

    fn ids(net: &RoadNetwork, path: &[u32]) -> Vec<i64> {
        path.iter().map(|&j| net.junction(j).map_or(-1, |j| j.id)).collect()
    }

    #[test]
    fn fastest_then_shortest_path() -> Result<()> {
        let mut net = RoadNetwork::new();
        for (id, lon) in [(1, 11.00), (2, 11.01), (3, 11.02), (4, 11.03)] {
            net.add_junction(id, lon, 50.0)?;
        }
        // As in the oracle's tie-break test: 1-3-4 is as fast as 1-2-4 and shorter.
        net.add_segment(1, 4, 2000.0, RoadClass::Track, None, false)?;
        net.add_segment(1, 2, 1800.0, RoadClass::Other, Some(36.0), false)?;
        net.add_segment(2, 4, 1800.0, RoadClass::Other, Some(36.0), false)?;
        net.add_segment(1, 3, 1500.0, RoadClass::Other, Some(30.0), false)?;
        net.add_segment(3, 4, 1500.0, RoadClass::Other, Some(30.0), false)?;
        let p = road_path(&net, ix(&net, 1), ix(&net, 4)).expect("reachable");
        assert_eq!(ids(&net, &p), [1, 3, 4]);
        assert_eq!(road_path(&net, ix(&net, 2), ix(&net, 2)), Some(vec![ix(&net, 2)]));
        assert_eq!(road_path(&net, 0, 99), None);
        Ok(())
    }

    #[test]
    fn one_way_and_unreachable() -> Result<()> {
        let mut net = RoadNetwork::new();
        for (id, lon) in [(1, 11.00), (2, 11.01), (3, 11.02), (9, 11.5)] {
            net.add_junction(id, lon, 50.0)?;
        }
        net.add_segment(1, 2, 1000.0, RoadClass::Other, None, true)?;
        net.add_segment(2, 3, 1000.0, RoadClass::Other, None, false)?;
        net.add_segment(3, 1, 1000.0, RoadClass::Other, None, true)?;
        let paths = RoadPaths::new(&net);
        assert_eq!(ids(&net, &paths.path(ix(&net, 1), ix(&net, 2)).unwrap()), [1, 2]);
        assert_eq!(ids(&net, &paths.path(ix(&net, 2), ix(&net, 1)).unwrap()), [2, 3, 1]);
        assert_eq!(paths.path(ix(&net, 1), ix(&net, 9)), None);
        Ok(())
    }

    #[test]
    fn path_times_match_the_oracle() -> Result<()> {
        let net = grid();
        let corners = [(11.5, 50.0), (11.55, 50.05), (11.52, 50.03), (11.55, 50.0)];
        let locs: Vec<Location> = corners.iter().map(|&(lon, lat)| Location::Geo { lon, lat }).collect();
        let oracle = RoadOracle::new(&net, &locs)?;
        let snaps = oracle.snaps().expect("snaps").to_vec();
        let g = net.graph();
        for a in 0..locs.len() {
            for b in 0..locs.len() {
                let p = road_path(&net, snaps[a].node, snaps[b].node).expect("grid is connected");
                let ms: u64 = p
                    .windows(2)
                    .map(|w| {
                        let e = g
                            .find_edge(NodeIndex::new(w[0] as usize), NodeIndex::new(w[1] as usize))
                            .expect("consecutive junctions are joined");
                        u64::from(g[e].time_ms)
                    })
                    .sum();
                assert_eq!(ms as i64, oracle.duration_ms(a, b), "{a} -> {b}");
            }
        }
        Ok(())
    }
}
