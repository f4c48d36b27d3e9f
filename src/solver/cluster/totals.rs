//! Route totals (distance, duration, load), route costs and feasibility.

use super::Cluster;
use crate::model::RouteTimes;

impl<'a> Cluster<'a> {
    /// True if a route with this load, distance and these times is allowed.
    #[inline]
    pub fn allows(&self, load: i64, distance: i64, times: &RouteTimes) -> bool {
        times.on_time && self.limits.allows(load, distance, times.duration())
    }

    /// Distance, duration (incl. service and waiting) and load of a route
    /// of nodes (its peak under the load rule, `i64::MAX` if it breaks the
    /// pickup order).
    pub fn route_totals(&self, route: &[usize]) -> (i64, i64, i64) {
        self.route_totals_from((0, 0), route)
    }

    /// Like [`Cluster::route_totals`] for a route from depot node `ends.0`
    /// to depot node `ends.1` (the duration of a driver without breaks:
    /// time a type's routes with [`Cluster::route_times_of`]).
    pub fn route_totals_from(&self, ends: (usize, usize), route: &[usize]) -> (i64, i64, i64) {
        let q = self.required_capacity(route.iter().copied());
        let times = self.clock_times(ends, 0, &[], route.iter().copied());
        (self.route_distance_from(ends, route), times.duration(), q)
    }

    /// Distance of a route of nodes from depot node `ends.0` to `ends.1`.
    pub fn route_distance_from(&self, (depot, end): (usize, usize), route: &[usize]) -> i64 {
        let (mut d, mut prev) = (0, depot);
        for &v in route {
            d += self.dist(prev, v);
            prev = v;
        }
        d + self.dist(prev, end)
    }

    /// The start and end depot nodes of route type `t`.
    #[inline]
    pub fn ends_of(&self, t: usize) -> (usize, usize) {
        (self.types[t].depot as usize, self.types[t].end as usize)
    }

    /// The objective over routes of nodes: distance plus the fixed cost of
    /// every used route.
    pub fn routes_cost(&self, routes: &[Vec<usize>]) -> i64 {
        routes
            .iter()
            .filter(|r| !r.is_empty())
            .map(|r| self.route_distance_from((0, 0), r) + self.fixed_cost)
            .sum()
    }

    /// True if the route of nodes keeps the vehicle's limits and every
    /// opening interval.
    pub fn route_ok(&self, route: &[usize]) -> bool {
        let (d, _, q) = self.route_totals(route);
        self.allows(q, d, &self.route_times(route.iter().copied()))
    }
}
