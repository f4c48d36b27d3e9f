//! Road-network oracle: snap every location to a junction, then run one
//! Dijkstra search per distinct snapped junction, in parallel, and keep dense
//! distance and time matrices.
//!
//! * **Snapping.** Each (lon, lat) location goes to its nearest junction,
//!   found in an R-tree over junction coordinates projected to local metres
//!   (equirectangular at the junctions' mean latitude; accurate for regional
//!   networks, longitudes are not wrapped at ±180°). OSM extracts are full of
//!   small islands (private drives, one-way fragments), so a junction of the
//!   largest strongly connected component is preferred when it is at most
//!   [`MAIN_COMPONENT_PREFERENCE_M`] farther than the nearest junction; a
//!   town genuinely cut off stays on its island and comes back unreachable.
//!   The reported snap distance is the haversine distance in metres.
//! * **Paths.** The search minimises travel time (ms) and, among equally fast
//!   paths, distance (m); the matrices record both along the chosen path.
//! * **Access leg.** Getting from a location to its junction is driven in a
//!   straight line at [`ACCESS_SPEED_KMH`]: the two snap distances are added
//!   to the distance, and that length at 15 km/h to the time. Two different
//!   locations snapped to the same junction are thus `snap_a + snap_b` apart.
//! * `distance(a, a) = 0` and `duration(a, a) = Some(0)`. Unreachable pairs
//!   (different components, one-way traps) answer [`UNREACHABLE`].
//!
//! Memory is `8 n²` bytes for `n` locations; at most
//! [`MAX_ROAD_LOCATIONS`] locations are accepted. Parallelism is over source
//! junctions with rayon; the result does not depend on the thread count.

use super::{TravelOracle, UNREACHABLE};
use crate::error::{Error, Result};
use crate::model::{Location, RoadNetwork, round_to_int};
use geo::{Distance, Haversine, Point};
use petgraph::visit::EdgeRef;
use rayon::prelude::*;
use rstar::RTree;
use rstar::primitives::GeomWithData;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// How a location was attached to the road network.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snap {
    /// Graph node index it was snapped to.
    pub node: u32,
    /// Straight-line (haversine) distance to that node, metres.
    pub distance_m: f64,
}

/// Speed of the straight access leg between a location and its junction, km/h.
pub const ACCESS_SPEED_KMH: f64 = 15.0;

/// Largest number of locations a [`RoadOracle`] accepts. Its two matrices are
/// dense, `8 n²` bytes: 40 MB for 2,236 locations, 3.2 GB at this limit.
pub const MAX_ROAD_LOCATIONS: usize = 20_000;

/// Matrix entry of an unreachable pair. Reachable values saturate at `u32::MAX - 1`.
pub(crate) const NONE: u32 = u32::MAX;

/// Seconds of a stored millisecond figure ([`NONE`] → [`UNREACHABLE`]),
/// rounded with [`round_to_int`]: the one rule every road oracle answers by.
#[inline]
pub(crate) fn seconds_of_ms(t: u32) -> i64 {
    match t {
        NONE => UNREACHABLE,
        t => round_to_int(f64::from(t) / 1000.0),
    }
}

/// Mean Earth radius used for the local projection, metres.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Shortest (fastest) paths over a road network, as dense matrices.
#[derive(Debug, Clone)]
pub struct RoadOracle {
    n: usize,
    snaps: Vec<Snap>,
    /// Row-major metres, [`NONE`] = unreachable.
    dist_m: Vec<u32>,
    /// Row-major milliseconds, [`NONE`] = unreachable.
    time_ms: Vec<u32>,
    symmetric: bool,
}

/// Compressed sparse row copy of the graph: the search reads only flat arrays.
pub(crate) struct Csr {
    pub(crate) offsets: Vec<usize>,
    pub(crate) heads: Vec<u32>,
    pub(crate) time_ms: Vec<u32>,
    pub(crate) length_m: Vec<u32>,
}

impl Csr {
    /// The graph's arcs, tail → head.
    pub(crate) fn new(net: &RoadNetwork) -> Self {
        Self::build(net, false)
    }

    /// The reversed graph (every arc head → tail): a search over it finds
    /// the fastest paths *to* its source.
    pub(crate) fn reversed(net: &RoadNetwork) -> Self {
        Self::build(net, true)
    }

    fn build(net: &RoadNetwork, reverse: bool) -> Self {
        let g = net.graph();
        let n = g.node_count();
        let ends = |e: &petgraph::graph::EdgeReference<'_, crate::model::RoadSegment, u32>| {
            let (s, t) = (e.source().index(), e.target().index());
            if reverse { (t, s) } else { (s, t) }
        };
        let mut offsets = vec![0usize; n + 1];
        for e in g.edge_references() {
            offsets[ends(&e).0 + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let m = g.edge_count();
        let (mut heads, mut time_ms, mut length_m) = (vec![0u32; m], vec![0u32; m], vec![0u32; m]);
        let mut next = offsets.clone();
        // Edges in index order: the arc order within a row is deterministic.
        for e in g.edge_references() {
            let (tail, head) = ends(&e);
            let slot = &mut next[tail];
            heads[*slot] = head as u32;
            time_ms[*slot] = e.weight().time_ms;
            length_m[*slot] = e.weight().length_m;
            *slot += 1;
        }
        Csr {
            offsets,
            heads,
            time_ms,
            length_m,
        }
    }

    pub(crate) fn num_nodes(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Heap bytes held by the arrays.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.offsets.capacity() * size_of::<usize>()
            + (self.heads.capacity() + self.time_ms.capacity() + self.length_m.capacity()) * size_of::<u32>()
    }
}

/// Bits of a search key: time (ms) above distance (m) above node index, so
/// one `u128` comparison orders labels by time, then distance. Both parts
/// saturate at their caps, far above what the `u32` matrices can hold.
const DIST_BITS: u32 = 40;
const DIST_CAP: u64 = (1 << DIST_BITS) - 1;
const TIME_CAP: u64 = (1 << 56) - 1;
const UNLABELLED: u128 = u128::MAX;

fn key(t: u64, d: u64) -> u128 {
    (u128::from(t.min(TIME_CAP)) << DIST_BITS) | u128::from(d.min(DIST_CAP))
}

/// Per-thread search buffers, reset through the list of touched nodes.
pub(crate) struct Scratch {
    label: Vec<u128>,
    touched: Vec<u32>,
    heap: BinaryHeap<Reverse<u128>>,
}

impl Scratch {
    pub(crate) fn new(n: usize) -> Self {
        Scratch {
            label: vec![UNLABELLED; n],
            touched: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }
}

/// Dijkstra from `source` over (time, distance) labels in lexicographic order.
/// Returns `(time_ms, length_m)` for each target slot (`u64::MAX` pairs when
/// unreachable); stops once every target junction is settled.
pub(crate) fn search(csr: &Csr, slot_of: &[u32], num_targets: usize, source: u32, s: &mut Scratch) -> Vec<(u64, u64)> {
    let mut out = vec![(u64::MAX, u64::MAX); num_targets];
    let mut remaining = num_targets;
    if remaining == 0 {
        return out;
    }
    dijkstra(csr, source, s, |node, t, d| {
        let slot = slot_of[node];
        if slot != NONE {
            out[slot as usize] = (t, d);
            remaining -= 1;
        }
        remaining == 0
    });
    out
}

/// Dijkstra from `source` over (time ms, distance m) labels in lexicographic
/// order, ties between equal labels settled by lower node index. Calls
/// `settled(node, time_ms, length_m)` once per settled junction, in settling
/// order, and stops when it returns `true`. Returns `true` if the search ran
/// out of reachable junctions (every junction reachable from `source` was
/// settled and `settled` never asked to stop).
pub(crate) fn dijkstra(
    csr: &Csr,
    source: u32,
    s: &mut Scratch,
    mut settled: impl FnMut(usize, u64, u64) -> bool,
) -> bool {
    for &v in &s.touched {
        s.label[v as usize] = UNLABELLED;
    }
    s.touched.clear();
    s.heap.clear();
    s.label[source as usize] = 0;
    s.touched.push(source);
    s.heap.push(Reverse(u128::from(source)));
    while let Some(Reverse(item)) = s.heap.pop() {
        let (k, ui) = (item >> 32, (item & 0xffff_ffff) as usize);
        // A node is pushed again only with a strictly smaller key, so the
        // entry equal to its label is popped exactly once: that settles it.
        if k != s.label[ui] {
            continue;
        }
        let (t, d) = ((k >> DIST_BITS) as u64, (k as u64) & DIST_CAP);
        if settled(ui, t, d) {
            return false;
        }
        for a in csr.offsets[ui]..csr.offsets[ui + 1] {
            let v = csr.heads[a] as usize;
            let cand = key(t + u64::from(csr.time_ms[a]), d + u64::from(csr.length_m[a]));
            if cand < s.label[v] {
                if s.label[v] == UNLABELLED {
                    s.touched.push(v as u32);
                }
                s.label[v] = cand;
                s.heap.push(Reverse((cand << 32) | v as u128));
            }
        }
    }
    true
}

/// Projects (lon, lat) degrees to local metres (equirectangular at `cos_lat0`).
pub(crate) fn project(lon: f64, lat: f64, cos_lat0: f64) -> [f64; 2] {
    [
        EARTH_RADIUS_M * lon.to_radians() * cos_lat0,
        EARTH_RADIUS_M * lat.to_radians(),
    ]
}

pub(crate) fn saturate(x: i64) -> u32 {
    u32::try_from(x.max(0)).map_or(NONE - 1, |v| v.min(NONE - 1))
}

impl RoadOracle {
    /// Snaps `locations` (geographic) to `net` and computes the distance and
    /// time matrices (see the module docs for the rules).
    ///
    /// Errors: a network without junctions ([`Error::InvalidProblem`]), a
    /// planar location ([`Error::InvalidProblem`]), a non-finite or
    /// out-of-range coordinate ([`Error::InvalidValue`]), more than
    /// [`MAX_ROAD_LOCATIONS`] locations ([`Error::TooLarge`]).
    pub fn new(net: &RoadNetwork, locations: &[Location]) -> Result<Self> {
        if locations.len() > MAX_ROAD_LOCATIONS {
            return Err(Error::TooLarge {
                what: "locations for a dense road-network matrix",
                value: locations.len() as u64,
                limit: MAX_ROAD_LOCATIONS as u64,
            });
        }
        let points = check_inputs(net, locations)?;
        let csr = Csr::new(net);
        let snaps = snap_all(net, &points, &net.largest_strong_component());
        let n = locations.len();

        // Distinct snapped junctions, in order of first appearance.
        let mut slot_of = vec![NONE; net.num_junctions()];
        let mut sources: Vec<u32> = Vec::new();
        for s in &snaps {
            let slot = &mut slot_of[s.node as usize];
            if *slot == NONE {
                *slot = sources.len() as u32;
                sources.push(s.node);
            }
        }
        let k = sources.len();
        let rows: Vec<Vec<(u64, u64)>> = sources
            .par_iter()
            .map_init(
                || Scratch::new(csr.num_nodes()),
                |scratch, &src| search(&csr, &slot_of, k, src, scratch),
            )
            .collect();

        let mut dist_m = vec![NONE; n * n];
        let mut time_ms = vec![NONE; n * n];
        for a in 0..n {
            let row = &rows[slot_of[snaps[a].node as usize] as usize];
            for b in 0..n {
                let ab = a * n + b;
                if a == b {
                    dist_m[ab] = 0;
                    time_ms[ab] = 0;
                    continue;
                }
                let (t, d) = row[slot_of[snaps[b].node as usize] as usize];
                if t == u64::MAX {
                    continue;
                }
                (dist_m[ab], time_ms[ab]) = with_access(t, d, snaps[a].distance_m + snaps[b].distance_m);
            }
        }
        let symmetric = (0..n).all(|i| {
            (i + 1..n).all(|j| dist_m[i * n + j] == dist_m[j * n + i] && time_ms[i * n + j] == time_ms[j * n + i])
        });
        Ok(RoadOracle {
            n,
            snaps,
            dist_m,
            time_ms,
            symmetric,
        })
    }

    /// Travel time from `a` to `b` in milliseconds, or [`UNREACHABLE`].
    pub fn duration_ms(&self, a: usize, b: usize) -> i64 {
        match self.time_ms[a * self.n + b] {
            NONE => UNREACHABLE,
            t => i64::from(t),
        }
    }
}

/// Checks a road oracle's inputs: a network with junctions
/// ([`Error::InvalidProblem`]), geographic locations only
/// ([`Error::InvalidProblem`]) within the WGS84 ranges
/// ([`Error::InvalidValue`]). Returns the (lon, lat) of every location.
pub(crate) fn check_inputs(net: &RoadNetwork, locations: &[Location]) -> Result<Vec<(f64, f64)>> {
    if net.num_junctions() == 0 {
        return Err(Error::InvalidProblem("the road network has no junctions".into()));
    }
    let mut points = Vec::with_capacity(locations.len());
    for (i, l) in locations.iter().enumerate() {
        match *l {
            Location::Planar { .. } => {
                return Err(Error::InvalidProblem(format!(
                    "location {i} is planar (x, y); a road network needs geographic (lon, lat) locations"
                )));
            }
            Location::Geo { lon, lat } => {
                let bad = if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
                    Some(("lat", lat))
                } else if !(lon.is_finite() && (-180.0..=180.0).contains(&lon)) {
                    Some(("lon", lon))
                } else {
                    None
                };
                if let Some((field, value)) = bad {
                    return Err(Error::InvalidValue {
                        owner: format!("location {i}"),
                        field,
                        value: value.to_string(),
                        reason: "must be WGS84 degrees (lat within -90..90, lon within -180..180)",
                    });
                }
                points.push((lon, lat));
            }
        }
    }
    Ok(points)
}

/// A junction-to-junction path of `t` ms and `d` m plus the straight access
/// legs (`access_m` metres in total, at [`ACCESS_SPEED_KMH`]), as saturated
/// `(metres, milliseconds)`.
pub(crate) fn with_access(t: u64, d: u64, access_m: f64) -> (u32, u32) {
    let ms_per_m = 3600.0 / ACCESS_SPEED_KMH;
    (
        saturate(round_to_int(d as f64 + access_m)),
        saturate(round_to_int(t as f64 + access_m * ms_per_m)),
    )
}

/// How much farther (metres) a junction of the largest strongly connected
/// component may be than the nearest junction and still be preferred.
pub const MAIN_COMPONENT_PREFERENCE_M: f64 = 500.0;

/// Cosine of the junctions' mean latitude: the scale of the local
/// equirectangular projection ([`project`]) used for snapping.
pub(crate) fn projection_scale(net: &RoadNetwork) -> f64 {
    let mean_lat = net.junctions().map(|j| j.lat).sum::<f64>() / net.num_junctions().max(1) as f64;
    mean_lat.to_radians().cos().max(1e-6)
}

/// Snaps each point (see the module docs) through R-trees in local metres;
/// the reported distance is haversine. `main` marks the junctions of the
/// largest strongly connected component ([`RoadNetwork::largest_strong_component`]).
pub(crate) fn snap_all(net: &RoadNetwork, points: &[(f64, f64)], main: &[bool]) -> Vec<Snap> {
    let junctions: Vec<_> = net.junctions().collect();
    let cos_lat0 = projection_scale(net);
    let tree_of = |keep: &dyn Fn(usize) -> bool| {
        RTree::bulk_load(
            junctions
                .iter()
                .enumerate()
                .filter(|&(i, _)| keep(i))
                .map(|(i, j)| GeomWithData::new(project(j.lon, j.lat, cos_lat0), i as u32))
                .collect(),
        )
    };
    let (all, main_tree) = (tree_of(&|_| true), tree_of(&|i| main[i]));
    let snap_to = |lon: f64, lat: f64, node: u32| {
        let j = junctions[node as usize];
        Snap {
            node,
            distance_m: Haversine.distance(Point::new(lon, lat), Point::new(j.lon, j.lat)),
        }
    };
    points
        .iter()
        .map(|&(lon, lat)| {
            let p = project(lon, lat, cos_lat0);
            // The tree holds every junction and is non-empty (checked by the caller).
            let nearest = snap_to(lon, lat, all.nearest_neighbor(&p).map_or(0, |g| g.data));
            match main_tree.nearest_neighbor(&p).map(|g| snap_to(lon, lat, g.data)) {
                Some(m) if m.distance_m <= nearest.distance_m + MAIN_COMPONENT_PREFERENCE_M => m,
                _ => nearest,
            }
        })
        .collect()
}

impl TravelOracle for RoadOracle {
    fn num_locations(&self) -> usize {
        self.n
    }
    #[inline]
    fn distance(&self, a: usize, b: usize) -> i64 {
        match self.dist_m[a * self.n + b] {
            NONE => UNREACHABLE,
            d => i64::from(d),
        }
    }
    /// Seconds, rounded from the stored milliseconds (`seconds_of_ms`).
    #[inline]
    fn duration(&self, a: usize, b: usize) -> Option<i64> {
        Some(seconds_of_ms(self.time_ms[a * self.n + b]))
    }
    fn is_symmetric(&self) -> bool {
        self.symmetric
    }
    fn snaps(&self) -> Option<&[Snap]> {
        Some(&self.snaps)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RoadClass;

    fn geo(lon: f64, lat: f64) -> Location {
        Location::Geo { lon, lat }
    }

    /// Junctions 1..=4 on a row along latitude 50, 0.01° (~715 m) apart, plus
    /// an isolated pair 8, 9 further east.
    fn net() -> Result<RoadNetwork> {
        let mut net = RoadNetwork::new();
        for (id, lon) in [(1, 11.00), (2, 11.01), (3, 11.02), (4, 11.03), (8, 11.20), (9, 11.21)] {
            net.add_junction(id, lon, 50.0)?;
        }
        Ok(net)
    }

    fn at(id: i64) -> Location {
        let lon = match id {
            1 => 11.00,
            2 => 11.01,
            3 => 11.02,
            4 => 11.03,
            8 => 11.20,
            _ => 11.21,
        };
        geo(lon, 50.0)
    }

    #[test]
    fn fastest_path_with_distance_tie_break() -> Result<()> {
        let mut n = net()?;
        // 1 -> 4 direct: 2000 m of track (15 km/h = 480 s).
        n.add_segment(1, 4, 2000.0, RoadClass::Track, None, false)?;
        // 1 -> 2 -> 4: 3600 m at 36 km/h = 360 s (faster, longer).
        n.add_segment(1, 2, 1800.0, RoadClass::Other, Some(36.0), false)?;
        n.add_segment(2, 4, 1800.0, RoadClass::Other, Some(36.0), false)?;
        // 1 -> 3 -> 4: also 360 s but 3000 m (same time, shorter): wins the tie.
        n.add_segment(1, 3, 1500.0, RoadClass::Other, Some(30.0), false)?;
        n.add_segment(3, 4, 1500.0, RoadClass::Other, Some(30.0), false)?;
        let o = RoadOracle::new(&n, &[at(1), at(4), at(2)])?;
        assert_eq!(o.num_locations(), 3);
        assert_eq!(o.distance(0, 1), 3000);
        assert_eq!(o.duration_ms(0, 1), 360_000);
        assert_eq!(o.duration(0, 1), Some(360));
        assert_eq!(o.distance(1, 0), 3000);
        assert_eq!(o.distance(2, 1), 1800);
        assert_eq!(o.distance(0, 0), 0);
        assert_eq!(o.duration(2, 2), Some(0));
        assert!(o.is_symmetric());
        Ok(())
    }

    #[test]
    fn one_way_is_asymmetric() -> Result<()> {
        let mut n = net()?;
        n.add_segment(1, 2, 1000.0, RoadClass::Other, Some(36.0), true)?;
        n.add_segment(2, 3, 1000.0, RoadClass::Other, Some(36.0), false)?;
        n.add_segment(3, 1, 1000.0, RoadClass::Other, Some(36.0), true)?;
        let o = RoadOracle::new(&n, &[at(1), at(2)])?;
        assert_eq!(o.distance(0, 1), 1000);
        assert_eq!(o.distance(1, 0), 2000);
        assert_eq!(o.duration(1, 0), Some(200));
        assert!(!o.is_symmetric());
        Ok(())
    }

    #[test]
    fn disconnected_is_unreachable() -> Result<()> {
        let mut n = net()?;
        n.add_segment(1, 2, 1000.0, RoadClass::Other, None, false)?;
        n.add_segment(8, 9, 1000.0, RoadClass::Other, None, false)?;
        // A one-way trap: 3 can reach 2, nothing reaches 3.
        n.add_segment(3, 2, 1000.0, RoadClass::Other, None, true)?;
        let o = RoadOracle::new(&n, &[at(1), at(9), at(3)])?;
        assert_eq!(o.distance(0, 1), UNREACHABLE);
        assert_eq!(o.distance(1, 0), UNREACHABLE);
        assert_eq!(o.duration(0, 1), Some(UNREACHABLE));
        assert_eq!(o.duration_ms(1, 0), UNREACHABLE);
        assert_eq!(o.distance(2, 0), 2000);
        assert_eq!(o.distance(0, 2), UNREACHABLE);
        assert!(!o.is_symmetric());
        Ok(())
    }

    #[test]
    fn snaps_to_nearest_junction_and_adds_access_leg() -> Result<()> {
        let mut n = net()?;
        n.add_segment(1, 2, 1000.0, RoadClass::Other, Some(36.0), false)?;
        n.add_segment(2, 3, 1000.0, RoadClass::Other, Some(36.0), false)?;
        // Slightly north of junction 2 (~111 m), and nearer 3 than 2.
        let locs = [geo(11.01, 50.001), geo(11.0160, 50.0)];
        let o = RoadOracle::new(&n, &locs)?;
        let snaps = o.snaps().map(<[Snap]>::to_vec).unwrap_or_default();
        assert_eq!(snaps.len(), 2);
        assert_eq!(snaps[0].node, 1); // junction id 2
        assert_eq!(snaps[1].node, 2); // junction id 3
        assert!((snaps[0].distance_m - 111.2).abs() < 0.5, "{}", snaps[0].distance_m);
        let access = snaps[0].distance_m + snaps[1].distance_m;
        assert_eq!(o.distance(0, 1), round_to_int(1000.0 + access));
        // 1000 m at 10 m/s, access at 15 km/h = 240 ms per metre.
        assert_eq!(o.duration_ms(0, 1), round_to_int(100_000.0 + access * 240.0));
        Ok(())
    }

    #[test]
    fn prefers_the_main_component_when_close() -> Result<()> {
        // Main component: a two-way loop 1-2-3. Island: junction 9, a few
        // metres from the town, reachable by a one-way stub only.
        let mut net = RoadNetwork::new();
        for (id, lon, lat) in [
            (1, 11.500, 50.000),
            (2, 11.510, 50.000),
            (3, 11.510, 50.010),
            (9, 11.5001, 50.0001),
        ] {
            net.add_junction(id, lon, lat)?;
        }
        for (a, b) in [(1, 2), (2, 3), (3, 1)] {
            net.add_segment(a, b, 1000.0, RoadClass::Unclassified, None, false)?;
        }
        net.add_segment(9, 1, 15.0, RoadClass::Service, None, true)?;
        let town = geo(11.50011, 50.00011);
        let o = RoadOracle::new(&net, &[geo(11.51, 50.01), town])?;
        assert_eq!(Some(o.snaps().unwrap()[1].node), net.junction_index(1));
        assert!(o.distance(0, 1) < UNREACHABLE && o.distance(1, 0) < UNREACHABLE);
        Ok(())
    }

    #[test]
    fn same_junction_locations() -> Result<()> {
        let mut n = net()?;
        n.add_segment(1, 2, 1000.0, RoadClass::Other, None, false)?;
        let o = RoadOracle::new(&n, &[geo(11.0, 50.0), geo(11.0, 50.0005), geo(11.0, 50.0)])?;
        let s = o.snaps().map(<[Snap]>::to_vec).unwrap_or_default();
        assert_eq!(o.distance(0, 1), round_to_int(s[1].distance_m));
        assert_eq!(o.distance(0, 2), 0);
        Ok(())
    }

    #[test]
    fn rejects_bad_inputs() -> Result<()> {
        let empty = RoadNetwork::new();
        assert!(matches!(
            RoadOracle::new(&empty, &[at(1)]),
            Err(Error::InvalidProblem(_))
        ));
        let n = net()?;
        assert!(matches!(
            RoadOracle::new(&n, &[at(1), Location::Planar { x: 1.0, y: 2.0 }]),
            Err(Error::InvalidProblem(m)) if m.contains("location 1")
        ));
        assert!(matches!(
            RoadOracle::new(&n, &[geo(f64::NAN, 50.0)]),
            Err(Error::InvalidValue { field: "lon", .. })
        ));
        let many = vec![at(1); MAX_ROAD_LOCATIONS + 1];
        assert!(matches!(RoadOracle::new(&n, &many), Err(Error::TooLarge { .. })));
        let none = RoadOracle::new(&n, &[])?;
        assert_eq!(none.num_locations(), 0);
        assert!(none.is_symmetric());
        Ok(())
    }

    #[test]
    fn junctions_without_roads() -> Result<()> {
        let n = net()?;
        let o = RoadOracle::new(&n, &[at(1), at(2)])?;
        assert_eq!(o.distance(0, 1), UNREACHABLE);
        assert_eq!(o.distance(1, 1), 0);
        Ok(())
    }
}
