//! One depot's sub-problem in flat arrays: the view the hot loops read.
//!
//! Node 0 is the depot, nodes `1..=m` its towns. Distances and times come from
//! a dense matrix when the cluster is small enough, else from the oracle on
//! demand. No petgraph, geo or serde in here.

use crate::distance::{TravelOracle, UNREACHABLE, is_unreachable};
use crate::model::{Problem, VehicleType, round_to_int};
use rayon::prelude::*;

/// Largest cluster (depot + towns) for which dense matrices are cached
/// (4000² × 4 B = 64 MB per matrix).
pub const DENSE_LIMIT: usize = 4000;

/// Route limits of the vehicle profile a cluster is solved with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Capacity, demand units.
    pub capacity: i64,
    /// Maximum route distance (`i64::MAX` when unlimited).
    pub max_distance: i64,
    /// Maximum route duration incl. service, seconds (`i64::MAX` when unlimited).
    pub max_duration: i64,
}

impl Limits {
    /// The limits of one vehicle type.
    pub fn of(vt: &VehicleType) -> Limits {
        Limits {
            capacity: i64::from(vt.capacity),
            max_distance: vt.max_distance.unwrap_or(i64::MAX),
            max_duration: vt.max_duration.unwrap_or(i64::MAX),
        }
    }
    /// True if a route with these totals respects the limits.
    #[inline]
    pub fn allows(&self, load: i64, distance: i64, duration: i64) -> bool {
        load <= self.capacity && distance <= self.max_distance && duration <= self.max_duration
    }
}

/// A depot with its towns, solved as one CVRP.
pub struct Cluster<'a> {
    oracle: &'a dyn TravelOracle,
    vehicle: &'a VehicleType,
    /// Location index of each node (node 0 = the depot).
    locations: Vec<usize>,
    /// Town index in the problem of each node (node 0 unused).
    pub towns: Vec<usize>,
    /// Demand per node (0 for the depot).
    pub demand: Vec<i64>,
    /// Service time per node, seconds.
    pub service: Vec<i64>,
    /// Limits of the vehicle profile.
    pub limits: Limits,
    /// Whether route durations are constrained (else times are not computed).
    pub timed: bool,
    symmetric: bool,
    dense_dist: Option<Vec<u32>>,
    dense_time: Option<Vec<u32>>,
    /// Node coordinates when distances are rounded Euclidean and no dense
    /// matrix is cached: computed inline, without a call through the oracle.
    euclidean: Option<Vec<(f64, f64)>>,
}

fn pack(v: i64) -> u32 {
    if is_unreachable(v) || v >= u32::MAX as i64 {
        u32::MAX
    } else {
        v as u32
    }
}

fn unpack(v: u32) -> i64 {
    if v == u32::MAX { UNREACHABLE } else { i64::from(v) }
}

impl<'a> Cluster<'a> {
    /// Builds the cluster of `depot` with `towns` (problem town indices),
    /// solved with vehicle profile `vehicle`.
    pub fn new(
        problem: &Problem,
        oracle: &'a dyn TravelOracle,
        depot: usize,
        towns: &[usize],
        vehicle: &'a VehicleType,
    ) -> Cluster<'a> {
        Self::with_dense_limit(problem, oracle, depot, towns, vehicle, DENSE_LIMIT)
    }

    /// Like [`Cluster::new`], caching dense matrices only when the cluster
    /// has at most `dense_limit` nodes (0 = always compute on demand).
    pub fn with_dense_limit(
        problem: &Problem,
        oracle: &'a dyn TravelOracle,
        depot: usize,
        towns: &[usize],
        vehicle: &'a VehicleType,
        dense_limit: usize,
    ) -> Cluster<'a> {
        let mut locations = vec![depot];
        locations.extend(towns.iter().map(|&t| problem.town_location(t)));
        let mut node_towns = vec![usize::MAX];
        node_towns.extend_from_slice(towns);
        let demand = std::iter::once(0)
            .chain(towns.iter().map(|&t| i64::from(problem.towns[t].demand)))
            .collect();
        let service = std::iter::once(0)
            .chain(towns.iter().map(|&t| i64::from(problem.towns[t].service_time)))
            .collect();
        let timed = vehicle.max_duration.is_some();
        let mut c = Cluster {
            oracle,
            vehicle,
            locations,
            towns: node_towns,
            demand,
            service,
            limits: Limits::of(vehicle),
            timed,
            symmetric: oracle.is_symmetric(),
            dense_dist: None,
            dense_time: None,
            euclidean: None,
        };
        let n = c.num_nodes();
        if n <= dense_limit {
            let rows = |f: &(dyn Fn(usize, usize) -> i64 + Sync)| -> Vec<u32> {
                let mut m = vec![0u32; n * n];
                m.par_chunks_mut(n)
                    .enumerate()
                    .for_each(|(i, row)| row.iter_mut().enumerate().for_each(|(j, x)| *x = pack(f(i, j))));
                m
            };
            c.dense_dist = Some(rows(&|i, j| c.oracle_distance(i, j)));
            if timed {
                c.dense_time = Some(rows(&|i, j| c.oracle_time(i, j)));
            }
        } else {
            c.euclidean = c.locations.iter().map(|&l| oracle.euclidean_point(l)).collect();
        }
        c
    }

    fn oracle_distance(&self, i: usize, j: usize) -> i64 {
        self.oracle.distance(self.locations[i], self.locations[j])
    }

    fn oracle_time(&self, i: usize, j: usize) -> i64 {
        self.oracle
            .travel_time(self.vehicle, self.locations[i], self.locations[j])
    }

    /// Number of nodes including the depot.
    pub fn num_nodes(&self) -> usize {
        self.locations.len()
    }

    /// True if distances (and times) are the same both ways.
    pub fn is_symmetric(&self) -> bool {
        self.symmetric
    }

    /// Distance from node `i` to node `j`.
    #[inline]
    pub fn dist(&self, i: usize, j: usize) -> i64 {
        if let Some(m) = &self.dense_dist {
            return unpack(m[i * self.locations.len() + j]);
        }
        if let Some(xy) = &self.euclidean {
            let ((xa, ya), (xb, yb)) = (xy[i], xy[j]);
            return round_to_int(((xa - xb) * (xa - xb) + (ya - yb) * (ya - yb)).sqrt());
        }
        self.oracle_distance(i, j)
    }

    /// Travel time from node `i` to node `j` (0 when durations are unconstrained).
    #[inline]
    pub fn time(&self, i: usize, j: usize) -> i64 {
        if !self.timed {
            return 0;
        }
        match &self.dense_time {
            Some(m) => unpack(m[i * self.locations.len() + j]),
            None => self.oracle_time(i, j),
        }
    }

    /// Planar point of node `i` for spatial indexes, if the oracle has one.
    pub fn planar_point(&self, i: usize) -> Option<[f64; 2]> {
        self.oracle.planar_point(self.locations[i])
    }

    /// Distance, duration (incl. service) and load of a route of nodes.
    pub fn route_totals(&self, route: &[usize]) -> (i64, i64, i64) {
        let (mut d, mut t, mut q, mut prev) = (0, 0, 0, 0);
        for &v in route {
            d += self.dist(prev, v);
            t += self.time(prev, v) + self.service[v];
            q += self.demand[v];
            prev = v;
        }
        (d + self.dist(prev, 0), t + self.time(prev, 0), q)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::distance::build_oracle;
    use crate::model::{Location, ProblemBuilder, VehicleTypeSpec};

    /// `n` towns at scrambled but deterministic planar points, capacity 10.
    pub(crate) fn scrambled_problem(n: usize) -> crate::model::Problem {
        let mut b = ProblemBuilder::new("scrambled").depot("D", Location::Planar { x: 0.5, y: 0.0 });
        for i in 0..n {
            let (x, y) = ((i * 7919 % 10007) as f64 * 0.37, (i * 104_729 % 9973) as f64 * 1.13);
            b = b.town(format!("T{i}"), Location::Planar { x, y }, 1.0, 0.0);
        }
        b.vehicle_type(VehicleTypeSpec {
            id: "v".into(),
            depot: "D".into(),
            count: None,
            capacity: 10.0,
            max_distance: None,
            max_duration_s: None,
            speed_kmh: 60.0,
        })
        .build()
        .unwrap()
    }

    #[test]
    fn inline_euclidean_distances_match_the_oracle() {
        let n = DENSE_LIMIT + 10;
        let problem = scrambled_problem(n);
        let oracle = build_oracle(&problem).unwrap();
        // Towns in reverse order, so node and location indices differ.
        let towns: Vec<usize> = (0..n).rev().collect();
        let c = Cluster::new(&problem, oracle.as_ref(), 0, &towns, &problem.fleet[0]);
        assert!(c.dense_dist.is_none() && c.euclidean.is_some());
        for (i, j) in (0..c.num_nodes()).step_by(37).zip((0..c.num_nodes()).rev().step_by(41)) {
            assert_eq!(c.dist(i, j), oracle.distance(c.locations[i], c.locations[j]), "{i} {j}");
        }
    }
}
