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
//! * `road_polyline`: a visiting sequence of locations as a polyline —
//!   location → its snapped junction (see [`TravelOracle::snaps`]) → the
//!   junction path → the next location's junction → the next location. The
//!   straight access legs match the oracle's access-leg model.
//! * [`route_polylines`]: one polyline per route of a solution, computed in
//!   parallel over routes (rayon). With a road network the polylines follow
//!   the roads; otherwise (or when the oracle has no snaps) they are
//!   straight lines between stops.
//!
//! Coordinates are `(lon, lat)` degrees for geographic problems and `(x, y)`
//! instance units for planar ones.

use super::{Snap, TravelOracle};
use crate::error::{Error, Result};
use crate::model::{Location, Problem, RoadNetwork, Travel};
use crate::solution::{Route, Solution};
use geo::{Distance, Haversine, Point};
use petgraph::algo::astar;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use rayon::prelude::*;
use std::collections::HashMap;

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

fn push_point(line: &mut Vec<(f64, f64)>, p: (f64, f64)) {
    if line.last() != Some(&p) {
        line.push(p);
    }
}

/// The polyline, `(lon, lat)`, of a vehicle visiting `sequence` (location
/// indices into `locations` and `snaps`, depots first then towns) over the
/// road network: every leg is location → its junction → fastest junction
/// path → next junction → next location. A leg without a road path
/// (unreachable) is drawn straight. Consecutive repeated points are dropped.
///
/// The caller ([`route_polylines`]) checks every index of `sequence`
/// against `locations` and `snaps` first.
fn road_polyline(paths: &RoadPaths<'_>, locations: &[Location], snaps: &[Snap], sequence: &[usize]) -> Vec<(f64, f64)> {
    let net = paths.network();
    let mut line = Vec::new();
    for (i, &loc) in sequence.iter().enumerate() {
        let here = location_xy(&locations[loc]);
        push_point(&mut line, here);
        let Some(&next) = sequence.get(i + 1) else { break };
        if let Some(junctions) = paths.path(snaps[loc].node, snaps[next].node) {
            for j in junctions.into_iter().filter_map(|j| net.junction(j)) {
                push_point(&mut line, (j.lon, j.lat));
            }
        }
    }
    line
}

/// Location indices of a route: its depot, its stops, its depot again.
/// Errors with [`Error::SolutionMismatch`] on an unknown depot or town id.
pub fn route_sequence(problem: &Problem, route: &Route) -> Result<Vec<usize>> {
    let towns = problem.town_indices();
    route_sequence_in(problem, &towns, route)
}

/// [`route_sequence`] with the town index built once by the caller
/// ([`Problem::town_indices`]).
pub(crate) fn route_sequence_in(problem: &Problem, towns: &HashMap<&str, usize>, route: &Route) -> Result<Vec<usize>> {
    let depot = problem.depot_index(&route.depot).ok_or_else(|| {
        Error::SolutionMismatch(format!(
            "route of {} #{} starts at unknown depot '{}'",
            route.vehicle_type, route.vehicle, route.depot
        ))
    })?;
    let mut seq = Vec::with_capacity(route.stops.len() + 2);
    seq.push(depot);
    for s in &route.stops {
        let t = towns.get(s.town.as_str()).ok_or_else(|| {
            Error::SolutionMismatch(format!(
                "route of {} #{} visits unknown town '{}'",
                route.vehicle_type, route.vehicle, s.town
            ))
        })?;
        seq.push(problem.town_location(*t));
    }
    seq.push(depot);
    Ok(seq)
}

/// One polyline per route of `solution`, in route order: following the road
/// network when `problem.travel` is [`Travel::Roads`] and `oracle` reports
/// one snap per location, straight lines between stops otherwise. Routes
/// are processed in parallel. Errors with [`Error::SolutionMismatch`] when a
/// route names an unknown depot or town.
pub fn route_polylines(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    solution: &Solution,
) -> Result<Vec<Vec<(f64, f64)>>> {
    let towns = problem.town_indices();
    let sequences = solution
        .routes
        .iter()
        .map(|r| route_sequence_in(problem, &towns, r))
        .collect::<Result<Vec<_>>>()?;
    let locations = problem.locations();
    let roads = match (&problem.travel, oracle.snaps()) {
        (Travel::Roads(net), Some(snaps)) if snaps.len() == locations.len() => Some((RoadPaths::new(net), snaps)),
        _ => None,
    };
    Ok(match roads {
        Some((paths, snaps)) => sequences
            .par_iter()
            .map(|seq| road_polyline(&paths, &locations, snaps, seq))
            .collect(),
        None => sequences
            .iter()
            .map(|seq| {
                let mut line = Vec::with_capacity(seq.len());
                for &l in seq {
                    push_point(&mut line, location_xy(&locations[l]));
                }
                line
            })
            .collect(),
    })
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
    use super::test_support::{grid, grid_problem};
    use super::*;
    use crate::distance::{RoadOracle, build_oracle};
    use crate::model::RoadClass;
    use crate::solver::{SolverConfig, solve};

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

    #[test]
    fn route_polylines_follow_the_roads() -> Result<()> {
        let problem = grid_problem();
        let oracle = build_oracle(&problem)?;
        let solved = solve(&problem, &SolverConfig::default())?;
        let lines = route_polylines(&problem, oracle.as_ref(), &solved.solution)?;
        assert_eq!(lines.len(), solved.solution.routes.len());
        for (line, route) in lines.iter().zip(&solved.solution.routes) {
            assert!(line.len() > route.stops.len() + 2, "{line:?}");
            assert_eq!(line.first(), Some(&(11.4999, 49.9999)));
            assert_eq!(line.last(), Some(&(11.4999, 49.9999)));
            // Every stop's own location is on the polyline.
            for s in &route.stops {
                let t = &problem.towns[problem.town_index(&s.town).unwrap()];
                assert!(line.contains(&location_xy(&t.location)), "{}", s.town);
            }
            // Between the access legs, the polyline only moves along grid roads.
            let on_grid = |p: &(f64, f64)| {
                let (c, r) = ((p.0 - 11.5) / 0.01, (p.1 - 50.0) / 0.01);
                (c - c.round()).abs() < 1e-6 && (r - r.round()).abs() < 1e-6
            };
            for w in line.windows(2).filter(|w| on_grid(&w[0]) && on_grid(&w[1])) {
                let moved = ((w[0].0 - w[1].0).abs() > 1e-9) as u8 + ((w[0].1 - w[1].1).abs() > 1e-9) as u8;
                assert_eq!(moved, 1, "{w:?} is not a grid segment");
            }
        }
        Ok(())
    }

    #[test]
    fn straight_lines_without_roads_and_unknown_towns() -> Result<()> {
        let problem = super::test_support::planar_pair(1.0);
        let oracle = build_oracle(&problem)?;
        let mut sol = solve(&problem, &SolverConfig::default())?.solution;
        let lines = route_polylines(&problem, oracle.as_ref(), &sol)?;
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].len(), 4);
        assert_eq!(lines[0][0], (0.0, 0.0));
        sol.routes[0].stops[0].town = "nowhere".into();
        assert!(matches!(
            route_polylines(&problem, oracle.as_ref(), &sol),
            Err(Error::SolutionMismatch(m)) if m.contains("nowhere")
        ));
        Ok(())
    }
}
