//! Sparse road-network oracle, for networks and problems larger than a
//! county: exact road distances from every location to its `k` nearest
//! locations and between every depot and every location, an estimate from
//! coordinates for every other pair, and exact answers on request.
//!
//! # Which road oracle is used
//! [`build_oracle`](super::build_oracle) answers a [`Travel::Roads`] problem
//! with the dense [`RoadOracle`] below [`CH_ROAD_FROM`](super::CH_ROAD_FROM)
//! locations (depots and towns), with the [`ChRoadOracle`](super::ChRoadOracle)
//! (the same figures, from a contraction hierarchy) from there up to
//! [`SPARSE_ROAD_ABOVE`], and with a [`SparseRoadOracle`] above that;
//! [`build_oracle_with`](super::build_oracle_with) moves the threshold and
//! `k` ([`OracleOptions`](super::OracleOptions)).
//!
//! | oracle | searches | memory (n locations, D depots, J junctions, m arcs) |
//! |---|---|---|
//! | [`RoadOracle`] | one full Dijkstra per location | `8 n²` bytes (200 MB at 5,000) |
//! | [`SparseRoadOracle`] | one *bounded* Dijkstra per location, two full ones per depot | `12 n k + 16 D n` bytes, ~70 bytes per location, and a `12 m + 8 J` byte graph copy |
//!
//! No structure of the sparse oracle grows with `n²`. Measured on a synthetic
//! 300,000-junction grid (1.08 M arcs, 2 threads): 30,000 locations, `k = 40`
//! and 5 depots build in about 2.2 s and hold 19 MB plus the 15 MB graph copy
//! kept for [`TravelOracle::resolve_exact`]; the dense oracle needs 150 s and
//! 200 MB for 5,000 locations on the same grid.
//!
//! # What is exact
//! Snapping and the straight access legs follow [`RoadOracle`] (same code):
//! a location goes to its nearest junction, preferring the largest strongly
//! connected component within [`MAIN_COMPONENT_PREFERENCE_M`](super::road::MAIN_COMPONENT_PREFERENCE_M);
//! the legs add the two snap distances, driven at [`ACCESS_SPEED_KMH`].
//! Paths minimise time (ms), then distance (m). An answer is the dense
//! oracle's value, bit for bit, for
//! * **neighbour pairs** `a → b`, `b` among the `k` nearest other locations
//!   of `a`: a Dijkstra from `a`'s junction stops once it has settled the
//!   junctions of `k` other locations ("nearest" = junction-to-junction
//!   travel time, then distance, then lower junction index; locations
//!   sharing a junction in index order). Each row is a sorted array of at
//!   most `k` `(location, metres, milliseconds)` entries.
//! * **depot legs** `depot → x` (a full Dijkstra from each depot) and
//!   `x → depot` (a full Dijkstra over the reversed graph), so the long
//!   depot stems that dominate rural route costs are exact.
//! * pairs resolved by [`TravelOracle::resolve_exact`] (point-to-many
//!   Dijkstra, or hierarchy queries when a contraction hierarchy is attached
//!   with [`SparseRoadOracle::with_hierarchy`]; kept in an interior cache
//!   consulted before the estimate).
//!
//! [`SparseRoadOracle::is_exact`] tells which answers are exact.
//!
//! # The estimate
//! Any other pair is estimated from the locations' coordinates:
//! ```text
//! distance_m = round(haversine(a, b) × circuity)
//! time_s     = round(haversine(a, b) × circuity / speed)
//! ```
//! `circuity` is the median of `road distance / straight-line distance` and
//! `speed` the median of `road distance / road time` over all stored
//! neighbour pairs (pairs less than 1 m apart in a straight line are left
//! out of the ratio); circuity is at least 1, so an estimate is never below
//! the straight line. Neighbour pairs are short, where roads wind more and
//! the access legs weigh more, so for long pairs the estimate leans
//! pessimistic (longer and slower than the road). Without any usable pair
//! (e.g. `k` neighbours never found) [`FALLBACK_CIRCUITY`] and
//! [`FALLBACK_SPEED_KMH`] apply. [`SparseRoadOracle::circuity`] and
//! [`SparseRoadOracle::speed_kmh`] report the calibration.
//!
//! # Unreachable pairs
//! An estimate is only given when the pair is not known to be unreachable.
//! [`UNREACHABLE`] is answered, exactly, when
//! * the two junctions lie in different weakly connected components (an
//!   island: unreachable both ways);
//! * the bounded search from `a` ran out of junctions before finding `k`
//!   locations (a small island or one-way trap: its row then holds *every*
//!   location `a` can reach, and nothing else is reachable);
//! * `b` lies outside the largest strongly connected component and the
//!   backward bounded search from `b` (run for such locations only) ran out
//!   of junctions: nothing outside its row can reach `b`;
//! * a depot row or a resolved pair says so.
//!
//! A pair not covered by these rules (in practice: a one-way trap holding
//! more than `k` locations) is estimated as reachable; `resolve_exact`
//! settles it.
//!
//! # Symmetry
//! When every arc of the network has a reverse arc of the same length and
//! time, road answers are symmetric; the oracle then answers each pair from
//! whichever direction is stored, estimates symmetrically and reports
//! [`TravelOracle::is_symmetric`] = true. With a single one-way arc it is
//! false, as a pair may be exact one way and estimated the other.
//!
//! # Parallelism
//! Searches run in parallel with rayon, one per distinct snapped junction,
//! each writing its own result: the oracle does not depend on the thread
//! count.
//!
//! [`Travel::Roads`]: crate::model::Travel::Roads
//! [`RoadOracle`]: super::RoadOracle
//! [`ACCESS_SPEED_KMH`]: super::road::ACCESS_SPEED_KMH
//! [`SPARSE_ROAD_ABOVE`]: super::SPARSE_ROAD_ABOVE

use super::road::{
    self, Csr, NONE, Scratch, Snap, check_inputs, dijkstra, project, projection_scale, snap_all, with_access,
};
use super::road_ch::RoadCh;
use super::{TravelOracle, UNREACHABLE};
use crate::error::{Error, Result};
use crate::model::{Location, RoadNetwork, round_to_int};
use geo::{Distance, Haversine, Point};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Default number of nearest locations whose road distances each row keeps.
pub const DEFAULT_ROAD_NEIGHBOURS: usize = 40;

/// Largest `k` accepted (rows are `12 k` bytes per location).
pub const MAX_ROAD_NEIGHBOURS: usize = 1_000;

/// Circuity of the estimate when no neighbour pair could calibrate it.
pub const FALLBACK_CIRCUITY: f64 = 1.3;

/// Speed of the estimate (km/h) when no neighbour pair could calibrate it.
pub const FALLBACK_SPEED_KMH: f64 = 50.0;

/// Pairs closer than this straight line (metres) do not calibrate circuity.
const MIN_CALIBRATION_M: f64 = 1.0;

/// One stored leg of a row: to (or from) location `loc`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Leg {
    loc: u32,
    dist_m: u32,
    time_ms: u32,
}

/// Rows of legs sorted by location, in compressed sparse row form.
#[derive(Debug, Clone, Default)]
struct Rows {
    start: Vec<usize>,
    legs: Vec<Leg>,
}

impl Rows {
    fn from_rows(rows: Vec<Vec<Leg>>) -> Rows {
        let mut start = Vec::with_capacity(rows.len() + 1);
        start.push(0);
        let mut legs = Vec::with_capacity(rows.iter().map(Vec::len).sum());
        for r in rows {
            legs.extend(r);
            start.push(legs.len());
        }
        Rows { start, legs }
    }

    fn row(&self, i: usize) -> &[Leg] {
        &self.legs[self.start[i]..self.start[i + 1]]
    }

    fn find(&self, i: usize, loc: usize) -> Option<(u32, u32)> {
        let r = self.row(i);
        r.binary_search_by_key(&(loc as u32), |l| l.loc)
            .ok()
            .map(|j| (r[j].dist_m, r[j].time_ms))
    }

    fn heap_bytes(&self) -> usize {
        self.start.capacity() * size_of::<usize>() + self.legs.capacity() * size_of::<Leg>()
    }
}

/// How a pair is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// Exact `(metres, milliseconds)`, [`NONE`] = unreachable.
    Exact(u32, u32),
    /// From coordinates.
    Estimated,
}

/// Road distances and times: exact for neighbour pairs and depot legs,
/// estimated elsewhere (see the module docs).
pub struct SparseRoadOracle {
    n: usize,
    num_depots: usize,
    k: usize,
    snaps: Vec<Snap>,
    geo: Vec<Point<f64>>,
    planar: Vec<[f64; 2]>,
    /// Forward neighbour rows, one per location.
    out: Rows,
    /// True where the forward search from the location ran out of junctions.
    out_complete: Vec<bool>,
    /// Backward rows (legs *from* `loc`), for locations outside the largest
    /// strongly connected component; `in_slot[b]` indexes them, or [`NONE`].
    incoming: Rows,
    in_slot: Vec<u32>,
    in_complete: Vec<bool>,
    /// Weakly connected component of each location's junction.
    component: Vec<u32>,
    /// `depot_out[d * n + b]`: depot `d` → `b`, `(metres, ms)`.
    depot_out: Vec<(u32, u32)>,
    /// `depot_in[d * n + a]`: `a` → depot `d`.
    depot_in: Vec<(u32, u32)>,
    circuity: f64,
    /// Speed of the estimate, metres per millisecond.
    m_per_ms: f64,
    symmetric: bool,
    /// The graph, for point-to-point searches in `resolve_exact`.
    csr: Csr,
    /// A contraction hierarchy of the same graph, if attached
    /// ([`SparseRoadOracle::with_hierarchy`]): `resolve_exact` queries it
    /// instead of searching the graph.
    ch: Option<RoadCh>,
    /// Resolved pairs (normalised `(min, max)` when symmetric).
    cache: RwLock<HashMap<(u32, u32), (u32, u32)>>,
    cached: AtomicUsize,
}

impl std::fmt::Debug for SparseRoadOracle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SparseRoadOracle")
            .field("locations", &self.n)
            .field("depots", &self.num_depots)
            .field("k", &self.k)
            .field("stored_legs", &self.out.legs.len())
            .field("circuity", &self.circuity)
            .field("speed_kmh", &self.speed_kmh())
            .field("symmetric", &self.symmetric)
            .field("resolved_pairs", &self.resolved_pairs())
            .finish_non_exhaustive()
    }
}

/// Result of one bounded search: settled `(slot, time_ms, length_m)` in
/// settling order, and whether the search ran out of junctions.
struct Found {
    settled: Vec<(u32, u64, u64)>,
    exhausted: bool,
}

/// Junction slots (distinct snapped junctions) and the locations on each.
struct Slots {
    /// Slot of each junction, or [`NONE`].
    slot_of: Vec<u32>,
    /// Junction of each slot.
    junction: Vec<u32>,
    /// Locations of slot `s`: `locs[start[s]..start[s + 1]]`, ascending.
    start: Vec<usize>,
    locs: Vec<u32>,
}

impl Slots {
    fn new(num_junctions: usize, snaps: &[Snap]) -> Slots {
        let mut slot_of = vec![NONE; num_junctions];
        let mut junction = Vec::new();
        let mut count: Vec<usize> = Vec::new();
        for s in snaps {
            let slot = &mut slot_of[s.node as usize];
            if *slot == NONE {
                *slot = junction.len() as u32;
                junction.push(s.node);
                count.push(0);
            }
            count[*slot as usize] += 1;
        }
        let mut start = vec![0usize; junction.len() + 1];
        for (i, c) in count.iter().enumerate() {
            start[i + 1] = start[i] + c;
        }
        let mut next = start.clone();
        let mut locs = vec![0u32; snaps.len()];
        for (loc, s) in snaps.iter().enumerate() {
            let slot = slot_of[s.node as usize] as usize;
            locs[next[slot]] = loc as u32;
            next[slot] += 1;
        }
        Slots {
            slot_of,
            junction,
            start,
            locs,
        }
    }

    fn locs(&self, slot: usize) -> &[u32] {
        &self.locs[self.start[slot]..self.start[slot + 1]]
    }

    fn len(&self) -> usize {
        self.junction.len()
    }
}

/// Dijkstra from slot `source` until the settled slots hold at least `need`
/// locations (the source's own included), or the graph runs out.
fn bounded(csr: &Csr, slots: &Slots, source: usize, need: usize, s: &mut Scratch) -> Found {
    let mut settled = Vec::new();
    let mut count = 0usize;
    let exhausted = dijkstra(csr, slots.junction[source], s, |node, t, d| {
        let slot = slots.slot_of[node];
        if slot != NONE {
            settled.push((slot, t, d));
            count += slots.locs(slot as usize).len();
        }
        count >= need
    });
    Found { settled, exhausted }
}

/// The row of location `a` from its slot's search: the first `k` other
/// locations in settling order, as legs sorted by location.
fn row_of(a: usize, found: &Found, slots: &Slots, snaps: &[Snap], k: usize) -> Vec<Leg> {
    let mut row = Vec::with_capacity(k);
    'outer: for &(slot, t, d) in &found.settled {
        for &b in slots.locs(slot as usize) {
            if row.len() == k {
                break 'outer;
            }
            if b as usize == a {
                continue;
            }
            let (dist_m, time_ms) = with_access(t, d, snaps[a].distance_m + snaps[b as usize].distance_m);
            row.push(Leg {
                loc: b,
                dist_m,
                time_ms,
            });
        }
    }
    row.sort_unstable_by_key(|l| l.loc);
    row
}

/// Weakly connected component (smallest junction index in it) of every junction.
fn weak_components(csr: &Csr) -> Vec<u32> {
    let n = csr.num_nodes();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    fn find(parent: &mut [u32], mut x: u32) -> u32 {
        while parent[x as usize] != x {
            let up = parent[parent[x as usize] as usize];
            parent[x as usize] = up;
            x = up;
        }
        x
    }
    for u in 0..n {
        for a in csr.offsets[u]..csr.offsets[u + 1] {
            let (ru, rv) = (find(&mut parent, u as u32), find(&mut parent, csr.heads[a]));
            if ru != rv {
                let (lo, hi) = (ru.min(rv), ru.max(rv));
                parent[hi as usize] = lo;
            }
        }
    }
    (0..n as u32).map(|x| find(&mut parent, x)).collect()
}

/// True if every arc has a reverse arc with the same time and length.
fn graph_is_symmetric(csr: &Csr) -> bool {
    let arcs = |reverse: bool| {
        let mut v: Vec<(u32, u32, u32, u32)> = (0..csr.num_nodes())
            .flat_map(|u| {
                (csr.offsets[u]..csr.offsets[u + 1]).map(move |a| {
                    let (x, y) = (u as u32, csr.heads[a]);
                    let (x, y) = if reverse { (y, x) } else { (x, y) };
                    (x, y, csr.time_ms[a], csr.length_m[a])
                })
            })
            .collect();
        v.par_sort_unstable();
        v
    };
    arcs(false) == arcs(true)
}

/// Median of `v` (upper median for even lengths), `None` when empty.
fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    let mid = v.len() / 2;
    let (_, m, _) = v.select_nth_unstable_by(mid, f64::total_cmp);
    Some(*m)
}

impl SparseRoadOracle {
    /// Snaps `locations` (geographic; the first `num_depots` are depots) to
    /// `net`, runs the bounded searches keeping `neighbours` (= `k`) legs per
    /// location and the full depot searches, and calibrates the estimate
    /// (see the module docs).
    ///
    /// Errors: a network without junctions, a planar location, more depots
    /// than locations ([`Error::InvalidProblem`]); a non-finite or
    /// out-of-range coordinate ([`Error::InvalidValue`]); `neighbours` = 0
    /// ([`Error::InvalidConfig`]); `neighbours` above
    /// [`MAX_ROAD_NEIGHBOURS`] or more than `u32::MAX - 1` locations
    /// ([`Error::TooLarge`]). No locations is fine (an empty oracle).
    pub fn new(net: &RoadNetwork, locations: &[Location], num_depots: usize, neighbours: usize) -> Result<Self> {
        let n = locations.len();
        if n >= NONE as usize {
            return Err(Error::TooLarge {
                what: "locations for a sparse road-network oracle",
                value: n as u64,
                limit: u64::from(NONE - 1),
            });
        }
        if neighbours == 0 {
            return Err(Error::InvalidConfig(
                "a sparse road oracle needs at least 1 neighbour per location".into(),
            ));
        }
        if neighbours > MAX_ROAD_NEIGHBOURS {
            return Err(Error::TooLarge {
                what: "road neighbours per location",
                value: neighbours as u64,
                limit: MAX_ROAD_NEIGHBOURS as u64,
            });
        }
        if num_depots > n {
            return Err(Error::InvalidProblem(format!(
                "{num_depots} depots but only {n} locations"
            )));
        }
        let points = check_inputs(net, locations)?;
        let k = neighbours;
        let csr = Csr::new(net);
        let main = net.largest_strong_component();
        let snaps = snap_all(net, &points, &main);
        let slots = Slots::new(net.num_junctions(), &snaps);
        let num_nodes = csr.num_nodes();

        // Forward bounded searches, one per slot.
        let need = k + 1;
        let forward: Vec<Found> = (0..slots.len())
            .into_par_iter()
            .map_init(
                || Scratch::new(num_nodes),
                |s, slot| bounded(&csr, &slots, slot, need, s),
            )
            .collect();
        let out_rows: Vec<Vec<Leg>> = (0..n)
            .into_par_iter()
            .map(|a| {
                let slot = slots.slot_of[snaps[a].node as usize] as usize;
                row_of(a, &forward[slot], &slots, &snaps, k)
            })
            .collect();
        let out_complete: Vec<bool> = (0..n)
            .map(|a| forward[slots.slot_of[snaps[a].node as usize] as usize].exhausted)
            .collect();
        drop(forward);
        let out = Rows::from_rows(out_rows);

        // Backward searches: bounded for locations off the main component,
        // full for depots.
        let off_main: Vec<usize> = (0..slots.len())
            .filter(|&s| !main[slots.junction[s] as usize])
            .collect();
        let (mut incoming, mut in_slot, mut in_complete) = (Rows::default(), vec![NONE; n], Vec::new());
        let mut depot_in = Vec::new();
        if !off_main.is_empty() || num_depots > 0 {
            let rcsr = Csr::reversed(net);
            let backward: Vec<Found> = off_main
                .par_iter()
                .map_init(
                    || Scratch::new(num_nodes),
                    |s, &slot| bounded(&rcsr, &slots, slot, need, s),
                )
                .collect();
            let mut rows = Vec::new();
            for (found, &slot) in backward.iter().zip(&off_main) {
                for &b in slots.locs(slot) {
                    in_slot[b as usize] = rows.len() as u32;
                    rows.push(row_of(b as usize, found, &slots, &snaps, k));
                    in_complete.push(found.exhausted);
                }
            }
            incoming = Rows::from_rows(rows);
            depot_in = depot_rows(&rcsr, &slots, &snaps, num_depots);
        }
        let depot_out = depot_rows(&csr, &slots, &snaps, num_depots);

        let comp = weak_components(&csr);
        let component = snaps.iter().map(|s| comp[s.node as usize]).collect();
        let geo: Vec<Point<f64>> = points.iter().map(|&(lon, lat)| Point::new(lon, lat)).collect();
        let cos_lat0 = projection_scale(net);
        let planar = points.iter().map(|&(lon, lat)| project(lon, lat, cos_lat0)).collect();

        // Calibration over the stored neighbour legs.
        let (ratios, speeds): (Vec<f64>, Vec<f64>) = (0..n)
            .into_par_iter()
            .flat_map_iter(|a| {
                let (out, geo) = (&out, &geo);
                out.row(a).iter().map(move |l| {
                    let straight = Haversine.distance(geo[a], geo[l.loc as usize]);
                    let d = f64::from(l.dist_m);
                    let ratio = if straight >= MIN_CALIBRATION_M {
                        d / straight
                    } else {
                        f64::NAN
                    };
                    let speed = if l.time_ms > 0 && l.dist_m > 0 {
                        d / f64::from(l.time_ms)
                    } else {
                        f64::NAN
                    };
                    (ratio, speed)
                })
            })
            .unzip();
        let keep = |v: Vec<f64>| v.into_iter().filter(|x| x.is_finite()).collect::<Vec<_>>();
        let circuity = median(keep(ratios)).unwrap_or(FALLBACK_CIRCUITY).clamp(1.0, 100.0);
        let m_per_ms = median(keep(speeds))
            .filter(|s| *s > 0.0)
            .unwrap_or(FALLBACK_SPEED_KMH / 3600.0);
        let symmetric = graph_is_symmetric(&csr);

        Ok(SparseRoadOracle {
            n,
            num_depots,
            k,
            snaps,
            geo,
            planar,
            out,
            out_complete,
            incoming,
            in_slot,
            in_complete,
            component,
            depot_out,
            depot_in,
            circuity,
            m_per_ms,
            symmetric,
            csr,
            ch: None,
            cache: RwLock::new(HashMap::new()),
            cached: AtomicUsize::new(0),
        })
    }

    /// Attaches a contraction hierarchy of the same network (built by
    /// [`RoadCh::new`]): from then on [`TravelOracle::resolve_exact`]
    /// answers each pair with two upward searches of the hierarchy instead
    /// of a Dijkstra over the graph (same figures, far fewer settled
    /// junctions for long legs). The stored rows and the estimate are
    /// unchanged.
    ///
    /// Errors: a hierarchy over a different number of junctions
    /// ([`Error::InvalidProblem`]).
    pub fn with_hierarchy(mut self, ch: RoadCh) -> Result<Self> {
        if ch.num_nodes() != self.csr.num_nodes() {
            return Err(Error::InvalidProblem(format!(
                "the contraction hierarchy has {} junctions, the road network {}",
                ch.num_nodes(),
                self.csr.num_nodes()
            )));
        }
        self.ch = Some(ch);
        Ok(self)
    }

    /// The attached contraction hierarchy, if any.
    pub fn hierarchy(&self) -> Option<&RoadCh> {
        self.ch.as_ref()
    }

    /// Number of depots (locations `0..num_depots()`).
    pub fn num_depots(&self) -> usize {
        self.num_depots
    }

    /// The `k` of the rows: at most this many legs are stored per location.
    pub fn neighbours_per_row(&self) -> usize {
        self.k
    }

    /// Locations whose road distance from `a` is stored (its up to `k`
    /// nearest by road), in increasing index order.
    pub fn neighbours_of(&self, a: usize) -> impl ExactSizeIterator<Item = usize> + '_ {
        self.out.row(a).iter().map(|l| l.loc as usize)
    }

    /// True if `distance(a, b)` and `duration(a, b)` are exact road values
    /// (or known unreachable), false if estimated.
    pub fn is_exact(&self, a: usize, b: usize) -> bool {
        matches!(self.answer(a, b), Answer::Exact(..))
    }

    /// Travel time from `a` to `b` in milliseconds (estimated where
    /// [`SparseRoadOracle::is_exact`] is false), or [`UNREACHABLE`].
    pub fn duration_ms(&self, a: usize, b: usize) -> i64 {
        match self.answer(a, b) {
            Answer::Exact(_, NONE) => UNREACHABLE,
            Answer::Exact(_, t) => i64::from(t),
            Answer::Estimated => round_to_int(self.estimate_m(a, b) / self.m_per_ms),
        }
    }

    /// Road distance / straight-line distance used by the estimate.
    pub fn circuity(&self) -> f64 {
        self.circuity
    }

    /// Speed of the estimate, km/h.
    pub fn speed_kmh(&self) -> f64 {
        self.m_per_ms * 3600.0
    }

    /// Number of pairs resolved by [`TravelOracle::resolve_exact`] so far.
    pub fn resolved_pairs(&self) -> usize {
        self.cached.load(Ordering::Acquire)
    }

    /// Approximate heap bytes held by the oracle (rows, depot rows, graph
    /// copy, the hierarchy if attached, per-location data and the
    /// resolved-pair cache).
    pub fn heap_bytes(&self) -> usize {
        let per_loc = size_of::<Snap>()
            + size_of::<Point<f64>>()
            + size_of::<[f64; 2]>()
            + size_of::<bool>()
            + 2 * size_of::<u32>();
        self.out.heap_bytes()
            + self.incoming.heap_bytes()
            + self.in_complete.capacity()
            + (self.depot_out.capacity() + self.depot_in.capacity()) * size_of::<(u32, u32)>()
            + self.csr.heap_bytes()
            + self.ch.as_ref().map_or(0, RoadCh::heap_bytes)
            + self.n * per_loc
            + self.resolved_pairs() * (2 * size_of::<(u32, u32)>() + 8)
    }

    /// Exact answer of `a → b` if one is stored, in this direction only.
    fn stored(&self, a: usize, b: usize) -> Option<(u32, u32)> {
        if a < self.num_depots {
            return Some(self.depot_out[a * self.n + b]);
        }
        if b < self.num_depots {
            return Some(self.depot_in[b * self.n + a]);
        }
        if let Some(x) = self.out.find(a, b) {
            return Some(x);
        }
        match self.in_slot[b] {
            NONE => None,
            s => self.incoming.find(s as usize, a),
        }
    }

    /// True if `a → b` is known unreachable without a stored leg.
    fn known_unreachable(&self, a: usize, b: usize) -> bool {
        self.component[a] != self.component[b]
            || self.out_complete[a]
            || (self.in_slot[b] != NONE && self.in_complete[self.in_slot[b] as usize])
    }

    fn cache_key(&self, a: usize, b: usize) -> (u32, u32) {
        if self.symmetric && b < a {
            (b as u32, a as u32)
        } else {
            (a as u32, b as u32)
        }
    }

    fn answer(&self, a: usize, b: usize) -> Answer {
        if a == b {
            return Answer::Exact(0, 0);
        }
        let stored = self
            .stored(a, b)
            .or_else(|| if self.symmetric { self.stored(b, a) } else { None });
        if let Some((d, t)) = stored {
            return Answer::Exact(d, t);
        }
        if self.known_unreachable(a, b) || (self.symmetric && self.known_unreachable(b, a)) {
            return Answer::Exact(NONE, NONE);
        }
        if self.cached.load(Ordering::Acquire) > 0 {
            let cache = self.cache.read().unwrap_or_else(|e| e.into_inner());
            if let Some(&(d, t)) = cache.get(&self.cache_key(a, b)) {
                return Answer::Exact(d, t);
            }
        }
        Answer::Estimated
    }

    /// Straight line × circuity, metres (symmetric when the oracle is).
    fn estimate_m(&self, a: usize, b: usize) -> f64 {
        let (a, b) = if self.symmetric && b < a { (b, a) } else { (a, b) };
        Haversine.distance(self.geo[a], self.geo[b]) * self.circuity
    }

    /// Exact `(metres, ms)` of `a → targets[i]` for each target (from one
    /// point-to-many Dijkstra that stops once all are settled).
    fn search_from(&self, a: usize, targets: &[u32], s: &mut Scratch) -> Vec<(u32, u32)> {
        let mut junctions: Vec<u32> = targets.iter().map(|&b| self.snaps[b as usize].node).collect();
        junctions.sort_unstable();
        junctions.dedup();
        let mut found = vec![(u64::MAX, u64::MAX); junctions.len()];
        let mut remaining = junctions.len();
        dijkstra(&self.csr, self.snaps[a].node, s, |node, t, d| {
            if let Ok(i) = junctions.binary_search(&(node as u32)) {
                found[i] = (t, d);
                remaining -= 1;
            }
            remaining == 0
        });
        targets
            .iter()
            .map(|&b| {
                let j = self.snaps[b as usize].node;
                let (t, d) = junctions.binary_search(&j).map_or((u64::MAX, u64::MAX), |i| found[i]);
                if t == u64::MAX {
                    (NONE, NONE)
                } else {
                    with_access(t, d, self.snaps[a].distance_m + self.snaps[b as usize].distance_m)
                }
            })
            .collect()
    }
}

/// A resolved pair: `(from, to)` and `(metres, ms)`.
type ResolvedPair = ((u32, u32), (u32, u32));

/// `(metres, ms)` between every depot and every location, `[d * n + x]`,
/// from full searches over `csr` (forward: depot → x; reversed: x → depot).
fn depot_rows(csr: &Csr, slots: &Slots, snaps: &[Snap], num_depots: usize) -> Vec<(u32, u32)> {
    let n = snaps.len();
    let rows: Vec<Vec<(u32, u32)>> = (0..num_depots)
        .into_par_iter()
        .map_init(
            || Scratch::new(csr.num_nodes()),
            |s, d| {
                let found = road::search(csr, &slots.slot_of, slots.len(), snaps[d].node, s);
                (0..n)
                    .map(|x| {
                        if x == d {
                            return (0, 0);
                        }
                        match found[slots.slot_of[snaps[x].node as usize] as usize] {
                            (u64::MAX, _) => (NONE, NONE),
                            (t, dist) => with_access(t, dist, snaps[d].distance_m + snaps[x].distance_m),
                        }
                    })
                    .collect()
            },
        )
        .collect();
    rows.concat()
}

impl TravelOracle for SparseRoadOracle {
    fn num_locations(&self) -> usize {
        self.n
    }

    fn distance(&self, a: usize, b: usize) -> i64 {
        match self.answer(a, b) {
            Answer::Exact(NONE, _) => UNREACHABLE,
            Answer::Exact(d, _) => i64::from(d),
            Answer::Estimated => round_to_int(self.estimate_m(a, b)),
        }
    }

    /// Seconds, rounded from milliseconds with [`round_to_int`] (exact
    /// pairs) or from the estimate.
    fn duration(&self, a: usize, b: usize) -> Option<i64> {
        Some(match self.answer(a, b) {
            Answer::Exact(_, NONE) => UNREACHABLE,
            Answer::Exact(_, t) => round_to_int(f64::from(t) / 1000.0),
            Answer::Estimated => round_to_int(self.estimate_m(a, b) / self.m_per_ms / 1000.0),
        })
    }

    fn is_symmetric(&self) -> bool {
        self.symmetric || self.n <= 1
    }

    /// The location in local metres (the snapping projection), so that
    /// spatial indexes find near candidates.
    fn planar_point(&self, location: usize) -> Option<[f64; 2]> {
        self.planar.get(location).copied()
    }

    fn snaps(&self) -> Option<&[Snap]> {
        Some(&self.snaps)
    }

    /// Computes the exact road distance and time of every given pair that is
    /// still estimated and caches them: later `distance` / `duration` calls
    /// answer them exactly. With a hierarchy attached
    /// ([`SparseRoadOracle::with_hierarchy`]) each pair is a hierarchy query;
    /// without, one point-to-many Dijkstra per distinct source; sources in
    /// parallel either way. Pairs out of range, already exact or repeated
    /// are skipped.
    fn resolve_exact(&self, arcs: &[(usize, usize)]) {
        let mut todo: Vec<(u32, u32)> = arcs
            .iter()
            .filter(|&&(a, b)| a < self.n && b < self.n && a != b)
            .filter(|&&(a, b)| self.answer(a, b) == Answer::Estimated)
            .map(|&(a, b)| self.cache_key(a, b))
            .collect();
        todo.sort_unstable();
        todo.dedup();
        if todo.is_empty() {
            return;
        }
        let solved: Vec<Vec<ResolvedPair>> = if let Some(ch) = &self.ch {
            let junctions: Vec<(u32, u32)> = todo
                .iter()
                .map(|&(a, b)| (self.snaps[a as usize].node, self.snaps[b as usize].node))
                .collect();
            let found = ch.pairs(&junctions);
            vec![
                todo.iter()
                    .zip(found)
                    .map(|(&(a, b), c)| {
                        let v = match c {
                            Some((t, d)) => with_access(
                                t,
                                d,
                                self.snaps[a as usize].distance_m + self.snaps[b as usize].distance_m,
                            ),
                            None => (NONE, NONE),
                        };
                        ((a, b), v)
                    })
                    .collect(),
            ]
        } else {
            let groups: Vec<&[(u32, u32)]> = todo.chunk_by(|x, y| x.0 == y.0).collect();
            groups
                .par_iter()
                .map_init(
                    || Scratch::new(self.csr.num_nodes()),
                    |s, g| {
                        let targets: Vec<u32> = g.iter().map(|&(_, b)| b).collect();
                        let values = self.search_from(g[0].0 as usize, &targets, s);
                        g.iter().copied().zip(values).collect()
                    },
                )
                .collect()
        };
        let mut cache = self.cache.write().unwrap_or_else(|e| e.into_inner());
        cache.extend(solved.into_iter().flatten());
        self.cached.store(cache.len(), Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::distance::{OracleOptions, RoadOracle, build_oracle, build_oracle_with, is_unreachable};
    use crate::model::{ProblemBuilder, RoadClass, TravelSpec, VehicleTypeSpec};
    use std::sync::Arc;

    /// Deterministic hash of `x` to `[0, 1)` (splitmix64).
    fn unit(x: u64) -> f64 {
        let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }

    const LON0: f64 = 10.0;
    const LAT0: f64 = 50.0;
    const DLON: f64 = 0.005; // ~358 m at 50°N
    const DLAT: f64 = 0.003; // ~334 m

    /// A `cols × rows` grid of junctions (ids `r * cols + c`): roads of
    /// varied class and winding (length 1–1.4 × straight), every 20th
    /// segment missing, every 9th one-way. Row 0 and column 0 are two-way
    /// secondaries, so the grid stays strongly connected around the gaps.
    /// With `one_way = false` every road is two-way (a symmetric network).
    fn grid(cols: usize, rows: usize, one_way: bool) -> Result<RoadNetwork> {
        let mut net = RoadNetwork::new();
        let id = |r: usize, c: usize| (r * cols + c) as i64;
        for r in 0..rows {
            for c in 0..cols {
                net.add_junction(id(r, c), LON0 + c as f64 * DLON, LAT0 + r as f64 * DLAT)?;
            }
        }
        let mut seg = 0u64;
        for r in 0..rows {
            for c in 0..cols {
                for (r2, c2) in [(r, c + 1), (r + 1, c)] {
                    if r2 >= rows || c2 >= cols {
                        continue;
                    }
                    seg += 1;
                    let spine = r == 0 || c == 0;
                    let h = unit(seg);
                    if !spine && h < 0.05 {
                        continue;
                    }
                    let straight = Haversine.distance(
                        Point::new(LON0 + c as f64 * DLON, LAT0 + r as f64 * DLAT),
                        Point::new(LON0 + c2 as f64 * DLON, LAT0 + r2 as f64 * DLAT),
                    );
                    let length = straight * (1.0 + 0.4 * unit(seg ^ 0xabcd));
                    let class = if spine || r % 10 == 5 {
                        RoadClass::Secondary
                    } else if h < 0.3 {
                        RoadClass::Track
                    } else if h < 0.6 {
                        RoadClass::Unclassified
                    } else {
                        RoadClass::Tertiary
                    };
                    let oneway = one_way && !spine && seg.is_multiple_of(9);
                    let (a, b) = if unit(seg ^ 0x77) < 0.5 {
                        (id(r, c), id(r2, c2))
                    } else {
                        (id(r2, c2), id(r, c))
                    };
                    net.add_segment(a, b, length, class, None, oneway)?;
                }
            }
        }
        Ok(net)
    }

    /// `count` locations near pseudo-random grid junctions (up to ~100 m off).
    fn scatter(cols: usize, rows: usize, count: usize, salt: u64) -> Vec<Location> {
        (0..count as u64)
            .map(|i| {
                let c = (unit(i ^ salt) * cols as f64) as usize;
                let r = (unit(i.wrapping_mul(31) ^ salt ^ 0x5555) * rows as f64) as usize;
                Location::Geo {
                    lon: LON0 + c as f64 * DLON + (unit(i ^ 0x1111) - 0.5) * 0.0014,
                    lat: LAT0 + r as f64 * DLAT + (unit(i ^ 0x2222) - 0.5) * 0.0014,
                }
            })
            .collect()
    }

    const COLS: usize = 60;
    const ROWS: usize = 50;
    const DEPOTS: usize = 3;
    const K: usize = 8;

    /// The test network (3,000 grid junctions) plus an island of four
    /// junctions 0.5° west and a one-way trap junction `T` 2 km north of
    /// the grid, whose only road leaves it. Locations: 3 depots, 300
    /// towns, one on the island (last but one) and one at `T` (last).
    fn fixture() -> Result<(RoadNetwork, Vec<Location>)> {
        let mut net = grid(COLS, ROWS, true)?;
        for (i, (dx, dy)) in [(0.0, 0.0), (0.01, 0.0), (0.01, 0.01), (0.0, 0.01)]
            .into_iter()
            .enumerate()
        {
            net.add_junction(900_000 + i as i64, LON0 - 0.5 + dx, LAT0 + dy)?;
        }
        for (a, b) in [(0, 1), (1, 2), (2, 3), (3, 0)] {
            net.add_segment(900_000 + a, 900_000 + b, 800.0, RoadClass::Unclassified, None, false)?;
        }
        let top = LAT0 + (ROWS - 1) as f64 * DLAT;
        net.add_junction(800_000, LON0 + 10.0 * DLON, top + 0.018)?;
        net.add_segment(
            800_000,
            ((ROWS - 1) * COLS + 10) as i64,
            2100.0,
            RoadClass::Track,
            None,
            true,
        )?;
        let mut locs = scatter(COLS, ROWS, DEPOTS + 300, 7);
        locs.push(Location::Geo {
            lon: LON0 - 0.5 + 0.005,
            lat: LAT0 + 0.0001,
        });
        locs.push(Location::Geo {
            lon: LON0 + 10.0 * DLON,
            lat: top + 0.0181,
        });
        Ok((net, locs))
    }

    fn straight(a: &Location, b: &Location) -> f64 {
        let p = |l: &Location| match *l {
            Location::Geo { lon, lat } => Point::new(lon, lat),
            Location::Planar { x, y } => Point::new(x, y),
        };
        Haversine.distance(p(a), p(b))
    }

    #[test]
    fn neighbour_rows_and_depot_legs_match_the_dense_oracle() -> Result<()> {
        let (net, locs) = fixture()?;
        let dense = RoadOracle::new(&net, &locs)?;
        let sparse = SparseRoadOracle::new(&net, &locs, DEPOTS, K)?;
        let n = locs.len();
        assert_eq!(sparse.num_locations(), n);
        assert!(!sparse.is_symmetric());
        assert_eq!(sparse.snaps(), dense.snaps());
        let mut stored = 0;
        for a in 0..n {
            for b in sparse.neighbours_of(a) {
                stored += 1;
                assert!(sparse.is_exact(a, b));
                assert_eq!(sparse.distance(a, b), dense.distance(a, b), "{a} -> {b}");
                assert_eq!(sparse.duration_ms(a, b), dense.duration_ms(a, b), "{a} -> {b}");
                assert_eq!(sparse.duration(a, b), dense.duration(a, b), "{a} -> {b}");
            }
        }
        assert!(stored >= (n - 2) * K, "{stored}");
        for d in 0..DEPOTS {
            for x in 0..n {
                for (a, b) in [(d, x), (x, d)] {
                    assert!(sparse.is_exact(a, b));
                    assert_eq!(sparse.distance(a, b), dense.distance(a, b), "{a} -> {b}");
                    assert_eq!(sparse.duration_ms(a, b), dense.duration_ms(a, b), "{a} -> {b}");
                }
            }
        }
        // Every exact answer, stored or derived (unreachable), is the dense one.
        for a in 0..n {
            for b in 0..n {
                if sparse.is_exact(a, b) {
                    assert_eq!(sparse.distance(a, b), dense.distance(a, b), "{a} -> {b}");
                    assert_eq!(sparse.duration(a, b), dense.duration(a, b), "{a} -> {b}");
                }
            }
        }
        Ok(())
    }

    #[test]
    fn estimates_are_at_least_the_straight_line_and_reachable() -> Result<()> {
        let (net, locs) = fixture()?;
        let dense = RoadOracle::new(&net, &locs)?;
        let sparse = SparseRoadOracle::new(&net, &locs, DEPOTS, K)?;
        assert!(
            sparse.circuity() >= 1.0 && sparse.circuity() < 3.0,
            "{}",
            sparse.circuity()
        );
        assert!((10.0..120.0).contains(&sparse.speed_kmh()), "{}", sparse.speed_kmh());
        let (n, mut estimated, mut error) = (locs.len(), 0usize, 0.0);
        for a in 0..n {
            for b in 0..n {
                if sparse.is_exact(a, b) {
                    continue;
                }
                estimated += 1;
                let d = sparse.distance(a, b);
                assert!(!is_unreachable(d), "{a} -> {b}");
                assert!(d as f64 >= straight(&locs[a], &locs[b]).floor(), "{a} -> {b}: {d}");
                let t = sparse.duration(a, b).unwrap_or(UNREACHABLE);
                assert!(!is_unreachable(t) && t > 0, "{a} -> {b}: {t}");
                // The pairs estimated here are reachable on the real network.
                assert!(!is_unreachable(dense.distance(a, b)), "{a} -> {b}");
                error += (d as f64 / dense.distance(a, b) as f64).ln();
            }
        }
        assert!(estimated > n * n / 2, "{estimated}");
        // Calibrated on short pairs, the estimate is in the right range.
        let mean = (error / estimated as f64).exp();
        assert!((0.8..1.6).contains(&mean), "{mean}");
        Ok(())
    }

    #[test]
    fn islands_and_one_way_traps_are_known_unreachable() -> Result<()> {
        let (net, locs) = fixture()?;
        let sparse = SparseRoadOracle::new(&net, &locs, DEPOTS, K)?;
        let (n, island, trap) = (locs.len(), locs.len() - 2, locs.len() - 1);
        for x in 0..n - 2 {
            for (a, b) in [(x, island), (island, x), (x, trap)] {
                assert!(sparse.is_exact(a, b), "{a} -> {b}");
                assert_eq!(sparse.distance(a, b), UNREACHABLE, "{a} -> {b}");
                assert_eq!(sparse.duration(a, b), Some(UNREACHABLE), "{a} -> {b}");
            }
            // Out of the trap is fine.
            assert!(!is_unreachable(sparse.distance(trap, x)));
        }
        assert_eq!(sparse.neighbours_of(island).len(), 0);
        assert_eq!(sparse.distance(island, island), 0);
        Ok(())
    }

    #[test]
    fn resolve_exact_caches_dense_values() -> Result<()> {
        let (net, locs) = fixture()?;
        let dense = RoadOracle::new(&net, &locs)?;
        let sparse = SparseRoadOracle::new(&net, &locs, DEPOTS, K)?;
        let n = locs.len();
        let mut pairs: Vec<(usize, usize)> = (0..400)
            .map(|i| ((i * 37) % n, (i * 101 + 13) % n))
            .filter(|&(a, b)| a != b && !sparse.is_exact(a, b))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        assert!(pairs.len() > 100);
        // Exact, out-of-range and repeated pairs are skipped.
        let already = (DEPOTS, sparse.neighbours_of(DEPOTS).next().unwrap_or(0));
        pairs.extend([(0, 5), already, (n, 0), (0, n + 7), (4, 4), pairs[0]]);
        let distinct = pairs.len() - 6;
        sparse.resolve_exact(&pairs);
        assert_eq!(sparse.resolved_pairs(), distinct);
        for &(a, b) in &pairs[..distinct] {
            assert!(sparse.is_exact(a, b));
            assert_eq!(sparse.distance(a, b), dense.distance(a, b), "{a} -> {b}");
            assert_eq!(sparse.duration(a, b), dense.duration(a, b), "{a} -> {b}");
            assert_eq!(sparse.duration_ms(a, b), dense.duration_ms(a, b), "{a} -> {b}");
        }
        sparse.resolve_exact(&pairs);
        assert_eq!(sparse.resolved_pairs(), distinct);
        sparse.resolve_exact(&[]);
        Ok(())
    }

    #[test]
    fn rows_hold_at_most_k_legs() -> Result<()> {
        let (net, locs) = fixture()?;
        let n = locs.len();
        let (small, big) = (
            SparseRoadOracle::new(&net, &locs, DEPOTS, 4)?,
            SparseRoadOracle::new(&net, &locs, DEPOTS, 16)?,
        );
        for (o, k) in [(&small, 4), (&big, 16)] {
            assert_eq!(o.neighbours_per_row(), k);
            for a in 0..n {
                assert!(o.neighbours_of(a).len() <= k);
                assert!(!o.neighbours_of(a).any(|b| b == a));
            }
            // Rows, depot rows and per-location data: O(n k + D n), far below n².
            let rows_bytes = o.heap_bytes() - o.csr.heap_bytes();
            assert!(rows_bytes <= n * (12 * k + 16 * DEPOTS + 200), "{rows_bytes}");
        }
        let legs = |o: &SparseRoadOracle| (0..n).map(|a| o.neighbours_of(a).len()).sum::<usize>();
        // Everyone but the island finds k others.
        assert_eq!(legs(&small), (n - 1) * 4);
        assert_eq!(legs(&big), (n - 1) * 16);
        Ok(())
    }

    #[test]
    fn result_does_not_depend_on_thread_count() -> Result<()> {
        let (net, locs) = fixture()?;
        let build = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .map_err(|e| Error::InvalidConfig(e.to_string()))?
                .install(|| SparseRoadOracle::new(&net, &locs, DEPOTS, K))
        };
        let (one, two) = (build(1)?, build(2)?);
        assert_eq!(one.circuity(), two.circuity());
        assert_eq!(one.speed_kmh(), two.speed_kmh());
        let n = locs.len();
        for a in 0..n {
            for b in 0..n {
                assert_eq!(one.distance(a, b), two.distance(a, b));
                assert_eq!(one.duration_ms(a, b), two.duration_ms(a, b));
            }
        }
        Ok(())
    }

    #[test]
    fn two_way_networks_are_symmetric() -> Result<()> {
        let net = grid(30, 30, false)?;
        let locs = scatter(30, 30, 120, 3);
        let dense = RoadOracle::new(&net, &locs)?;
        let sparse = SparseRoadOracle::new(&net, &locs, 2, 5)?;
        assert!(dense.is_symmetric() && sparse.is_symmetric());
        let n = locs.len();
        for a in 0..n {
            for b in 0..n {
                assert_eq!(sparse.distance(a, b), sparse.distance(b, a));
                assert_eq!(sparse.duration(a, b), sparse.duration(b, a));
                assert_eq!(sparse.is_exact(a, b), sparse.is_exact(b, a));
                if sparse.is_exact(a, b) {
                    assert_eq!(sparse.distance(a, b), dense.distance(a, b));
                }
            }
        }
        sparse.resolve_exact(&[(50, 7), (7, 50)]);
        assert_eq!(sparse.distance(50, 7), dense.distance(50, 7));
        assert_eq!(sparse.distance(7, 50), dense.distance(7, 50));
        Ok(())
    }

    #[test]
    fn rejects_bad_inputs_without_panicking() -> Result<()> {
        let empty = RoadNetwork::new();
        let geo = Location::Geo { lon: 10.0, lat: 50.0 };
        assert!(matches!(
            SparseRoadOracle::new(&empty, &[geo], 0, K),
            Err(Error::InvalidProblem(_))
        ));
        let net = grid(4, 4, true)?;
        assert!(matches!(
            SparseRoadOracle::new(&net, &[geo, Location::Planar { x: 1.0, y: 2.0 }], 1, K),
            Err(Error::InvalidProblem(m)) if m.contains("location 1")
        ));
        assert!(matches!(
            SparseRoadOracle::new(
                &net,
                &[Location::Geo {
                    lon: 10.0,
                    lat: f64::NAN
                }],
                0,
                K
            ),
            Err(Error::InvalidValue { field: "lat", .. })
        ));
        assert!(matches!(
            SparseRoadOracle::new(&net, &[geo], 2, K),
            Err(Error::InvalidProblem(_))
        ));
        assert!(matches!(
            SparseRoadOracle::new(&net, &[geo], 0, 0),
            Err(Error::InvalidConfig(_))
        ));
        assert!(matches!(
            SparseRoadOracle::new(&net, &[geo], 0, MAX_ROAD_NEIGHBOURS + 1),
            Err(Error::TooLarge { .. })
        ));
        let none = SparseRoadOracle::new(&net, &[], 0, K)?;
        assert_eq!(none.num_locations(), 0);
        assert!(none.is_symmetric());
        none.resolve_exact(&[(0, 1)]);
        let one = SparseRoadOracle::new(&net, &[geo], 1, K)?;
        assert_eq!(one.distance(0, 0), 0);
        // Junctions without roads: nobody is found, everything is unreachable.
        let mut bare = RoadNetwork::new();
        bare.add_junction(1, 10.0, 50.0)?;
        bare.add_junction(2, 10.01, 50.0)?;
        let far = Location::Geo { lon: 10.01, lat: 50.0 };
        let o = SparseRoadOracle::new(&bare, &[geo, far, geo], 0, K)?;
        assert_eq!(o.distance(0, 1), UNREACHABLE);
        assert_eq!(o.duration(1, 0), Some(UNREACHABLE));
        assert_eq!(o.distance(0, 2), 0);
        assert_eq!(o.circuity(), FALLBACK_CIRCUITY);
        assert_eq!(o.speed_kmh(), FALLBACK_SPEED_KMH);
        o.resolve_exact(&[(0, 1), (1, 2)]);
        assert_eq!(o.resolved_pairs(), 0);
        Ok(())
    }

    fn road_problem(net: RoadNetwork, locs: &[Location], depots: usize) -> Result<crate::model::Problem> {
        let mut b = ProblemBuilder::new("grid").travel(TravelSpec::Roads(Arc::new(net)));
        for (i, &l) in locs[..depots].iter().enumerate() {
            b = b.depot(format!("D{i}"), l);
        }
        for (i, &l) in locs[depots..].iter().enumerate() {
            b = b.town(format!("T{i}"), l, 1.0 + (i % 5) as f64, 120.0);
        }
        for d in 0..depots {
            let spec: VehicleTypeSpec = serde_json::from_value(serde_json::json!({
                "id": format!("van{d}"),
                "depot": format!("D{d}"),
                "capacity": 60,
                "max_duration_s": 10 * 3600,
            }))
            .map_err(|e| Error::InvalidConfig(e.to_string()))?;
            b = b.vehicle_type(spec);
        }
        b.build()
    }

    #[test]
    fn build_oracle_switches_to_sparse_above_the_threshold() -> Result<()> {
        let (net, locs) = fixture()?;
        let n = locs.len();
        let dense = RoadOracle::new(&net, &locs)?;
        let problem = road_problem(net, &locs, DEPOTS)?;
        let differs = |o: &dyn TravelOracle| (0..n).any(|a| (0..n).any(|b| o.distance(a, b) != dense.distance(a, b)));
        let at = |above: usize| {
            build_oracle_with(
                &problem,
                &OracleOptions {
                    sparse_road_above: above,
                    road_neighbours: 4,
                    ..OracleOptions::default()
                },
            )
        };
        // At the threshold: the dense oracle, every pair exact.
        assert!(!differs(at(n)?.as_ref()));
        // Above it: the sparse one (estimates differ), with a planar point.
        let sparse = at(n - 1)?;
        assert!(differs(sparse.as_ref()));
        assert!(sparse.planar_point(0).is_some());
        // The defaults keep a county-sized problem dense.
        assert!(n <= crate::distance::SPARSE_ROAD_ABOVE);
        assert!(!differs(build_oracle(&problem)?.as_ref()));
        assert_eq!(OracleOptions::default().road_neighbours, DEFAULT_ROAD_NEIGHBOURS);
        Ok(())
    }

    /// Peak resident set of this process (Linux), for the scale figures.
    fn peak_rss() -> String {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|st| {
                st.lines()
                    .find(|l| l.starts_with("VmHWM"))
                    .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
            })
            .unwrap_or_else(|| "unknown".into())
    }

    /// Build time and memory at province scale. Run with
    /// `cargo test --release road_sparse::tests::scale_figures -- --ignored --nocapture`.
    #[test]
    #[ignore = "slow (~7 minutes, mostly the dense comparison); prints build figures"]
    fn scale_figures() -> Result<()> {
        use std::time::Instant;
        let side = 548; // 300,304 junctions
        let t = Instant::now();
        let net = grid(side, side, true)?;
        println!(
            "grid: {} junctions, {} arcs, built in {:.1?}",
            net.num_junctions(),
            net.num_segments(),
            t.elapsed()
        );
        let threads = rayon::current_num_threads();
        for (count, k) in [(30_000, DEFAULT_ROAD_NEIGHBOURS), (5_000, DEFAULT_ROAD_NEIGHBOURS)] {
            let locs = scatter(side, side, count, 5);
            let t = Instant::now();
            let o = SparseRoadOracle::new(&net, &locs, 5, k)?;
            let built = t.elapsed();
            println!(
                "sparse: {count} locations, k = {k}, 5 depots, {threads} threads: {built:.2?}, \
                 {:.1} MB ({:.1} MB without the graph copy); circuity {:.3}, speed {:.1} km/h",
                o.heap_bytes() as f64 / 1e6,
                (o.heap_bytes() - o.csr.heap_bytes()) as f64 / 1e6,
                o.circuity(),
                o.speed_kmh()
            );
            println!("  peak resident set so far: {}", peak_rss());
            // Near pairs, as in a solution: each sampled town to the nearest
            // town (straight line) whose answer is still an estimate.
            let near: Vec<(usize, usize)> = (0..1_000)
                .map(|i| (i * 7919) % count)
                .filter_map(|a| {
                    (0..count)
                        .filter(|&b| b != a && !o.is_exact(a, b))
                        .min_by(|&x, &y| straight(&locs[a], &locs[x]).total_cmp(&straight(&locs[a], &locs[y])))
                        .map(|b| (a, b))
                })
                .collect();
            let far: Vec<(usize, usize)> = (0..1_000)
                .map(|i| ((i * 7919) % count, (i * 104_729 + 1) % count))
                .filter(|&(a, b)| !o.is_exact(a, b))
                .collect();
            for (what, pairs) in [("near", near), ("far", far)] {
                let estimates: Vec<i64> = pairs.iter().map(|&(a, b)| o.distance(a, b)).collect();
                let before = o.resolved_pairs();
                let t = Instant::now();
                o.resolve_exact(&pairs);
                let took = t.elapsed();
                let ratios: Vec<f64> = pairs
                    .iter()
                    .zip(&estimates)
                    .map(|(&(a, b), &e)| e as f64 / o.distance(a, b) as f64)
                    .collect();
                println!(
                    "  resolve_exact: {} {what} pairs in {took:.2?}; estimate / exact: median {:.3}",
                    o.resolved_pairs() - before,
                    median(ratios).unwrap_or(f64::NAN)
                );
            }
        }
        let locs = scatter(side, side, 5_000, 5);
        let t = Instant::now();
        let dense = RoadOracle::new(&net, &locs)?;
        println!(
            "dense RoadOracle: 5000 locations: {:.2?}, {:.1} MB of matrices",
            t.elapsed(),
            8.0 * 5000.0 * 5000.0 / 1e6
        );
        assert_eq!(dense.num_locations(), 5_000);
        Ok(())
    }
}
