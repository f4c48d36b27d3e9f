//! The distance oracle: one trait, several sources.
//!
//! Every source answers integer distances (instance units, metres for
//! geographic problems) and, where it knows them, integer travel times in
//! seconds between *location indices* (depots first, then towns). When a source
//! has no times, they are derived from distance and the vehicle speed by
//! [`TravelOracle::travel_time`]. Unreachable pairs answer [`UNREACHABLE`].
//!
//! Road networks have two oracles: the dense [`RoadOracle`] (exact for every
//! pair, `8 n²` bytes) up to [`SPARSE_ROAD_ABOVE`] locations, and above it
//! the [`SparseRoadOracle`] (`O(n·k)` memory: exact to each location's `k`
//! nearest locations and to and from every depot, estimated from
//! coordinates elsewhere, exact on request through
//! [`TravelOracle::resolve_exact`]). See [`road_sparse`] for the details.
//! A third, the [`ChRoadOracle`] over a contraction hierarchy
//! ([`road_ch`]), is exact everywhere with the dense oracle's figures and
//! builds tables far faster on large networks: the default picks it from
//! [`CH_ROAD_FROM`] up to [`SPARSE_ROAD_ABOVE`] locations, and
//! [`OracleOptions::road_oracle`] forces any of them (or a sparse oracle
//! whose `resolve_exact` queries a hierarchy, [`RoadOracleKind::SparseCh`]).

mod coords;
mod matrix;
pub mod road;
pub mod road_ch;
pub mod road_path;
pub mod road_sparse;

pub use coords::{EuclideanOracle, HaversineOracle};
pub use matrix::MatrixOracle;
pub use road::{RoadOracle, Snap};
pub use road_ch::{ChRoadOracle, ChTable, RoadCh};
pub use road_path::{RoadPaths, location_xy, road_path};
pub use road_sparse::{DEFAULT_ROAD_NEIGHBOURS, SparseRoadOracle};

use crate::error::Result;
use crate::model::{Problem, Travel, VehicleType, round_to_int};

/// Distance/time of an unreachable pair: large, yet small enough that a few
/// of them can be summed in `i64` without overflow.
pub const UNREACHABLE: i64 = i64::MAX / 16;

/// True when a distance or time is the unreachable marker (or a sum with one).
pub fn is_unreachable(v: i64) -> bool {
    v >= UNREACHABLE
}

/// Distances and travel times between location indices.
pub trait TravelOracle: Send + Sync {
    /// Number of locations the oracle knows (depots + towns).
    fn num_locations(&self) -> usize;
    /// Distance from `a` to `b`, or [`UNREACHABLE`].
    fn distance(&self, a: usize, b: usize) -> i64;
    /// Travel time in seconds from `a` to `b` if the source knows times
    /// (road networks, given matrices); `None` if times derive from speed.
    fn duration(&self, a: usize, b: usize) -> Option<i64>;
    /// True if `distance(a, b) == distance(b, a)` and `duration(a, b) ==
    /// duration(b, a)` for all pairs.
    fn is_symmetric(&self) -> bool;
    /// Planar coordinates of a location in which straight-line nearness
    /// approximates this oracle's nearness (used by spatial indexes), if any.
    fn planar_point(&self, _location: usize) -> Option<[f64; 2]> {
        None
    }
    /// The (x, y) of `location` if distances are exactly the rounded planar
    /// Euclidean ones (`nint`, [`crate::model::Rounding::Nearest`]), so hot
    /// loops may compute them inline.
    fn euclidean_point(&self, _location: usize) -> Option<(f64, f64)> {
        None
    }
    /// How far each location had to be moved to reach the road network, if any.
    fn snaps(&self) -> Option<&[Snap]> {
        None
    }
    /// Makes the answers for these `(from, to)` location pairs exact, for
    /// oracles that estimate some pairs ([`SparseRoadOracle`]): they are
    /// computed now and remembered, so later `distance` / `duration` calls
    /// return exact values. A no-op for oracles that are exact everywhere.
    /// Out-of-range pairs are ignored.
    fn resolve_exact(&self, _arcs: &[(usize, usize)]) {}

    /// Travel time in seconds for a vehicle of type `vt`: the source's own
    /// time if it has one, else distance at the vehicle's speed (rounded).
    fn travel_time(&self, vt: &VehicleType, a: usize, b: usize) -> i64 {
        match self.duration(a, b) {
            Some(t) => t,
            None => {
                let d = self.distance(a, b);
                if is_unreachable(d) {
                    UNREACHABLE
                } else {
                    round_to_int(d as f64 * vt.seconds_per_unit())
                }
            }
        }
    }
}

/// Above this many locations (depots + towns), road problems get a
/// [`SparseRoadOracle`] instead of the dense [`RoadOracle`] (whose matrices
/// would take `8 n²` bytes: 200 MB at this threshold).
pub const SPARSE_ROAD_ABOVE: usize = 5_000;

/// From this many locations up to [`SPARSE_ROAD_ABOVE`], `Auto` answers a
/// road problem with the [`ChRoadOracle`] instead of the dense
/// [`RoadOracle`]: the same figures, bit for bit, and cheaper once the
/// Dijkstra per location costs more than preparing the hierarchy. Measured
/// (`benches/road_ch.rs`, 2 loaded cores) the break-even lies near 70
/// locations on the North-Bayreuth extract, 600 on a 100,000-junction grid
/// and 400 on a 250,000-junction grid (grids are the hierarchy's worst
/// case); 1,000 keeps a margin. On a 1,000,000-junction grid preparation
/// (932 s) exceeds 5,000 Dijkstras (about 821 s), so there it is the slower
/// choice. Above [`SPARSE_ROAD_ABOVE`] the sparse
/// oracle stays the choice: its build takes seconds where a province
/// hierarchy takes minutes.
pub const CH_ROAD_FROM: usize = 1_000;

/// Which oracle answers a road-network problem ([`OracleOptions::road_oracle`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RoadOracleKind {
    /// The dense [`RoadOracle`] below [`OracleOptions::ch_road_from`]
    /// locations, the [`ChRoadOracle`] from there up to
    /// [`OracleOptions::sparse_road_above`], the [`SparseRoadOracle`] above
    /// (the default).
    #[default]
    Auto,
    /// Always the dense [`RoadOracle`] (refuses more than
    /// [`road::MAX_ROAD_LOCATIONS`] locations).
    Dense,
    /// Always the [`SparseRoadOracle`].
    Sparse,
    /// Always the [`ChRoadOracle`]: exact, a contraction hierarchy and, up
    /// to [`road::MAX_ROAD_LOCATIONS`] locations, a full table.
    Ch,
    /// Always the [`SparseRoadOracle`], with a contraction hierarchy
    /// attached ([`SparseRoadOracle::with_hierarchy`]) so that
    /// [`TravelOracle::resolve_exact`] answers long legs by hierarchy
    /// queries instead of Dijkstra searches.
    SparseCh,
}

/// Choices of [`build_oracle_with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OracleOptions {
    /// Road problems with more locations than this use the
    /// [`SparseRoadOracle`], the others the dense [`RoadOracle`]
    /// (default [`SPARSE_ROAD_ABOVE`]; the dense oracle refuses more than
    /// [`road::MAX_ROAD_LOCATIONS`]).
    pub sparse_road_above: usize,
    /// Exact road legs kept per location by the sparse oracle (its `k`,
    /// default [`DEFAULT_ROAD_NEIGHBOURS`]).
    pub road_neighbours: usize,
    /// Which road oracle to build (default [`RoadOracleKind::Auto`]).
    pub road_oracle: RoadOracleKind,
    /// With [`RoadOracleKind::Auto`], road problems with at least this many
    /// locations (and no more than `sparse_road_above`) use the
    /// [`ChRoadOracle`] (default [`CH_ROAD_FROM`]).
    pub ch_road_from: usize,
}

impl Default for OracleOptions {
    fn default() -> Self {
        OracleOptions {
            sparse_road_above: SPARSE_ROAD_ABOVE,
            road_neighbours: DEFAULT_ROAD_NEIGHBOURS,
            road_oracle: RoadOracleKind::Auto,
            ch_road_from: CH_ROAD_FROM,
        }
    }
}

/// Builds the oracle the problem asks for, with the default
/// [`OracleOptions`]. Road networks run Dijkstra from every location in
/// parallel below [`CH_ROAD_FROM`] locations, build a contraction hierarchy
/// and its table from there, and bounded searches above
/// [`SPARSE_ROAD_ABOVE`]; the others compute on demand.
pub fn build_oracle(problem: &Problem) -> Result<Box<dyn TravelOracle>> {
    build_oracle_with(problem, &OracleOptions::default())
}

/// Like [`build_oracle`], with explicit [`OracleOptions`].
pub fn build_oracle_with(problem: &Problem, options: &OracleOptions) -> Result<Box<dyn TravelOracle>> {
    let locations = problem.locations();
    Ok(match &problem.travel {
        Travel::Euclidean => Box::new(EuclideanOracle::with_rounding(&locations, problem.rounding)),
        Travel::Haversine { circuity } => Box::new(HaversineOracle::new(&locations, *circuity)),
        Travel::Roads(net) => {
            let sparse = match options.road_oracle {
                RoadOracleKind::Auto if locations.len() > options.sparse_road_above => true,
                RoadOracleKind::Auto if locations.len() >= options.ch_road_from => {
                    return Ok(Box::new(ChRoadOracle::new(net, &locations)?));
                }
                RoadOracleKind::Auto => false,
                RoadOracleKind::Sparse => true,
                RoadOracleKind::Dense => false,
                RoadOracleKind::Ch => return Ok(Box::new(ChRoadOracle::new(net, &locations)?)),
                RoadOracleKind::SparseCh => {
                    let sparse = SparseRoadOracle::new(net, &locations, problem.depots.len(), options.road_neighbours)?;
                    return Ok(Box::new(sparse.with_hierarchy(RoadCh::new(net)?)?));
                }
            };
            if sparse {
                Box::new(SparseRoadOracle::new(
                    net,
                    &locations,
                    problem.depots.len(),
                    options.road_neighbours,
                )?)
            } else {
                Box::new(RoadOracle::new(net, &locations)?)
            }
        }
        Travel::Matrix { distances, durations } => Box::new(MatrixOracle::new(
            locations.len(),
            distances.clone(),
            durations.clone(),
        )?),
    })
}
