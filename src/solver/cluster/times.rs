//! Route times: each route timed stop by stop with [`RouteClock`], trip by
//! trip with reloads and release times, and summed travel plus service.

use super::{Cluster, RouteType};
use crate::model::{BreakRule, RouteClock, RouteTimes, Window, shortest_schedule, shortest_with_breaks};

impl<'a> Cluster<'a> {
    /// Times of the route visiting `nodes` (towns only, no depot) under the
    /// route rule of [`crate::model::timing`].
    #[inline]
    pub fn route_times<I>(&self, nodes: I) -> RouteTimes
    where
        I: IntoIterator<Item = usize>,
        I::IntoIter: Clone,
    {
        self.route_times_of(0, nodes)
    }

    /// Like [`Cluster::route_times`] for a route from and to depot node
    /// `depot`, by a driver without breaks (see [`Cluster::route_times_of`]).
    #[inline]
    pub fn route_times_from(&self, depot: usize, nodes: impl IntoIterator<Item = usize>) -> RouteTimes {
        self.clock_times((depot, depot), 0, &[], nodes)
    }

    /// True if route type `t` has driver breaks: its routes must be timed
    /// stop by stop (no shortcut through stored departures).
    #[inline]
    pub fn has_breaks(&self, t: usize) -> bool {
        !self.type_breaks[t].is_empty()
    }

    /// Times of the route of type `t` (index in [`Cluster::types`]) visiting
    /// `nodes` from and to its depot, its driver's breaks included. A route
    /// over its type's shift is given the shortest schedule
    /// ([`shortest_schedule`]) when its stops have several intervals, or
    /// ([`shortest_with_breaks`]) when its driver takes breaks.
    pub fn route_times_of<I>(&self, t: usize, nodes: I) -> RouteTimes
    where
        I: IntoIterator<Item = usize>,
        I::IntoIter: Clone,
    {
        let ty = &self.types[t];
        let (depot, end) = (ty.depot as usize, ty.end as usize);
        let nodes = nodes.into_iter();
        // A route with trips is walked from a slice: collected once here,
        // not for each departure tried below.
        let trips: Vec<usize> = if self.multi_trip { nodes.clone().collect() } else { Vec::new() };
        let walk_from = |hours: Window, breaks: &[BreakRule]| {
            if self.multi_trip {
                self.trip_times_from(hours, (depot, end), ty.profile, breaks, &trips)
            } else {
                self.one_trip_times(hours, (depot, end), ty.profile, breaks, nodes.clone())
            }
        };
        let quick = walk_from(self.hours_at(depot), self.type_breaks[t]);
        if !quick.on_time || quick.duration() <= ty.limits.max_duration {
            return quick;
        }
        // No departure drives off travel and service: a route over the
        // shift without any wait or break stays over it (and is not walked
        // again).
        if self.summed_of(t, nodes.clone()) > ty.limits.max_duration {
            return quick;
        }
        // Later departures: with breaks a later departure may also skip a
        // window break (one applies only if the vehicle is out when it
        // opens); with reloads each trip is walked from the first one's.
        if self.has_breaks(t) {
            // No forward slack with breaks: later departures are walked.
            return shortest_with_breaks(quick, |departure| {
                let hours = Window {
                    open: departure,
                    close: self.hours_at(depot).close,
                };
                walk_from(hours, self.type_breaks[t])
            });
        }
        if !self.windowed || nodes.clone().all(|v| self.windows(v).len() < 2) {
            return quick;
        }
        let pieces = 1 + nodes.clone().map(|v| self.windows(v).len()).sum::<usize>();
        shortest_schedule(self.hours_at(depot), pieces, |ready| walk_from(ready, &[]))
    }

    #[inline]
    pub(super) fn clock_times(
        &self,
        ends: (usize, usize),
        profile: u32,
        breaks: &[BreakRule],
        nodes: impl IntoIterator<Item = usize>,
    ) -> RouteTimes {
        if self.multi_trip {
            let trips: Vec<usize> = nodes.into_iter().collect();
            return self.trip_times_from(self.hours_at(ends.0), ends, profile, breaks, &trips);
        }
        self.one_trip_times(self.hours_at(ends.0), ends, profile, breaks, nodes)
    }

    /// One trip from depot node `ends.0` to depot node `ends.1`, the
    /// vehicle ready as `hours` open (the depot's own hours, or a later
    /// opening for the shortest schedule).
    #[inline]
    fn one_trip_times(
        &self,
        hours: Window,
        (depot, end): (usize, usize),
        profile: u32,
        breaks: &[BreakRule],
        nodes: impl IntoIterator<Item = usize>,
    ) -> RouteTimes {
        let time = |a: usize, b: usize| self.time_in(profile, a, b);
        let mut clock = RouteClock::new(hours).with_breaks(breaks);
        let mut prev = depot;
        for v in nodes {
            clock.visit(time(prev, v), self.service[v], self.windows(v));
            prev = v;
        }
        clock.finish(time(prev, end))
    }

    /// [`Cluster::route_times_from`] for routes with reloads (and release
    /// times), the vehicle ready as `hours` open: each trip leaves when its
    /// last goods are released; reloads with no town before or after them
    /// are skipped.
    fn trip_times_from(
        &self,
        hours: Window,
        (depot, end): (usize, usize),
        profile: u32,
        breaks: &[BreakRule],
        nodes: &[usize],
    ) -> RouteTimes {
        let time = |a: usize, b: usize| self.time_in(profile, a, b);
        let mut clock = RouteClock::new(hours).with_breaks(breaks);
        let (mut prev, mut reload, mut first, mut i) = (depot, depot, true, 0);
        while i < nodes.len() {
            let mut j = i;
            while j < nodes.len() && !self.is_depot(nodes[j]) {
                j += 1;
            }
            if j > i {
                let ready = nodes[i..j].iter().map(|&v| self.release_of(v)).max().unwrap_or(0);
                if first {
                    clock.not_before(ready);
                } else {
                    clock.reload(
                        time(prev, reload),
                        self.service[reload],
                        ready,
                        self.hours_at(reload),
                    );
                    prev = reload;
                }
                for &v in &nodes[i..j] {
                    clock.visit(time(prev, v), self.service[v], self.windows(v));
                    prev = v;
                }
                first = false;
            }
            if j < nodes.len() {
                reload = nodes[j];
            }
            i = j + 1;
        }
        clock.finish(time(prev, end))
    }

    /// Travel plus service time of a route of type `t` (no waiting): what
    /// the search prices per second.
    pub fn summed_duration(&self, t: usize, route: &[usize]) -> i64 {
        self.summed_of(t, route.iter().copied())
    }

    /// [`Cluster::summed_duration`] of the nodes `route` yields.
    fn summed_of(&self, t: usize, route: impl IntoIterator<Item = usize>) -> i64 {
        let RouteType { depot, end, profile, .. } = self.types[t];
        let mut prev = depot as usize;
        let mut sum = 0;
        for v in route {
            sum += self.time_in(profile, prev, v) + self.service[v];
            prev = v;
        }
        sum + self.time_in(profile, prev, end as usize)
    }
}
