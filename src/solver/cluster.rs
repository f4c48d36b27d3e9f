//! One depot's sub-problem in flat arrays: the view the hot loops read.
//!
//! Node 0 is the depot, nodes `1..=m` its towns. Distances and times come from
//! a dense matrix when the cluster is small enough, else from the oracle on
//! demand. No petgraph, geo or serde in here.

use crate::distance::{TravelOracle, UNREACHABLE, is_unreachable};
use crate::model::{Problem, RouteClock, RouteTimes, VehicleType, Window, round_to_int};
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
    /// Cost of each used route on top of its distance (the vehicle's fixed cost).
    pub fixed_cost: i64,
    /// Whether times matter: a shift limit or opening hours (else travel
    /// times are not computed).
    pub timed: bool,
    /// Whether some town or the depot has opening hours: routes are then
    /// timed stop by stop with [`RouteClock`] (O(route length)).
    pub windowed: bool,
    /// The depot's opening hours.
    pub depot_hours: Window,
    /// Opening intervals of node `v`: `windows[win_at[v]..win_at[v + 1]]`
    /// (both empty when the cluster is not windowed).
    win_at: Vec<u32>,
    windows: Vec<Window>,
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
        let depot_hours = problem.depots[depot].hours;
        let windowed = !depot_hours.is_always() || towns.iter().any(|&t| !problem.towns[t].windows.is_empty());
        let (mut win_at, mut windows) = (Vec::new(), Vec::new());
        if windowed {
            win_at.extend([0, 0]);
            for &t in towns {
                windows.extend_from_slice(&problem.towns[t].windows);
                win_at.push(windows.len() as u32);
            }
        }
        let timed = vehicle.max_duration.is_some() || windowed;
        let mut c = Cluster {
            oracle,
            vehicle,
            locations,
            towns: node_towns,
            demand,
            service,
            limits: Limits::of(vehicle),
            fixed_cost: vehicle.fixed_cost,
            timed,
            windowed,
            depot_hours,
            win_at,
            windows,
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

    /// Opening intervals of node `v` (empty = always open).
    #[inline]
    pub fn windows(&self, v: usize) -> &[Window] {
        if self.windowed {
            &self.windows[self.win_at[v] as usize..self.win_at[v + 1] as usize]
        } else {
            &[]
        }
    }

    /// Times of the route visiting `nodes` (towns only, no depot) under the
    /// route rule of [`crate::model::timing`].
    #[inline]
    pub fn route_times(&self, nodes: impl IntoIterator<Item = usize>) -> RouteTimes {
        let mut clock = RouteClock::new(self.depot_hours);
        let mut prev = 0;
        for v in nodes {
            clock.visit(self.time(prev, v), self.service[v], self.windows(v));
            prev = v;
        }
        clock.finish(self.time(prev, 0))
    }

    /// True if a route with this load, distance and these times is allowed.
    #[inline]
    pub fn allows(&self, load: i64, distance: i64, times: &RouteTimes) -> bool {
        times.on_time && self.limits.allows(load, distance, times.duration())
    }

    /// Distance, duration (incl. service and waiting) and load of a route
    /// of nodes, and whether it keeps every opening interval.
    pub fn route_totals(&self, route: &[usize]) -> (i64, i64, i64) {
        let (mut d, mut q, mut prev) = (0, 0, 0);
        for &v in route {
            d += self.dist(prev, v);
            q += self.demand[v];
            prev = v;
        }
        (
            d + self.dist(prev, 0),
            self.route_times(route.iter().copied()).duration(),
            q,
        )
    }

    /// The objective over routes of nodes: distance plus the fixed cost of
    /// every used route.
    pub fn routes_cost(&self, routes: &[Vec<usize>]) -> i64 {
        routes
            .iter()
            .filter(|r| !r.is_empty())
            .map(|r| self.route_totals(r).0 + self.fixed_cost)
            .sum()
    }

    /// True if the route of nodes keeps the vehicle's limits and every
    /// opening interval.
    pub fn route_ok(&self, route: &[usize]) -> bool {
        let (d, _, q) = self.route_totals(route);
        self.allows(q, d, &self.route_times(route.iter().copied()))
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
        b.vehicle_type(VehicleTypeSpec::new("v", "D", 10.0)).build().unwrap()
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
