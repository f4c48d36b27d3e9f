//! Intra-route local search: 2-opt and or-opt driven by neighbour lists.
//!
//! A route is held padded with the depot at both ends, with prefix sums of
//! forward and backward arc costs, so a reversal is priced in O(1) even when
//! distances are asymmetric (one-way roads). Moves are first-improvement and
//! must keep the route within its distance and duration limits.

mod or_opt;
mod two_opt;

use super::cluster::Cluster;
use super::neighbours::Neighbours;

/// Sentinel for "not in this route" in the position scratch array.
const ABSENT: u32 = u32::MAX;

/// A route under improvement.
pub(crate) struct RouteState<'c, 'a> {
    c: &'c Cluster<'a>,
    /// Depot, towns..., depot.
    p: Vec<usize>,
    /// Prefix sums over arcs p[t]→p[t+1] (forward) and p[t+1]→p[t] (backward).
    fd: Vec<i64>,
    bd: Vec<i64>,
    ft: Vec<i64>,
    bt: Vec<i64>,
    service: i64,
}

impl<'c, 'a> RouteState<'c, 'a> {
    fn new(c: &'c Cluster<'a>, route: &[usize]) -> Self {
        let mut p = Vec::with_capacity(route.len() + 2);
        p.push(0);
        p.extend_from_slice(route);
        p.push(0);
        let service = route.iter().map(|&v| c.service[v]).sum();
        let mut s = RouteState {
            c,
            p,
            fd: Vec::new(),
            bd: Vec::new(),
            ft: Vec::new(),
            bt: Vec::new(),
            service,
        };
        s.refresh();
        s
    }

    /// Recomputes prefix sums after the sequence changed.
    fn refresh(&mut self) {
        let (c, p) = (self.c, &self.p);
        let n = p.len();
        for v in [&mut self.fd, &mut self.bd, &mut self.ft, &mut self.bt] {
            v.clear();
            v.push(0);
        }
        // Backward sums equal forward ones when costs are symmetric, and
        // times are only needed when shifts are limited: skip those look-ups.
        let (sym, timed) = (c.is_symmetric(), c.timed);
        for t in 0..n - 1 {
            let (a, b) = (p[t], p[t + 1]);
            let d = c.dist(a, b);
            self.fd.push(self.fd[t] + d);
            self.bd.push(self.bd[t] + if sym { d } else { c.dist(b, a) });
            let tm = if timed { c.time(a, b) } else { 0 };
            self.ft.push(self.ft[t] + tm);
            self.bt.push(self.bt[t] + if sym || !timed { tm } else { c.time(b, a) });
        }
    }

    /// Number of towns.
    fn len(&self) -> usize {
        self.p.len() - 2
    }

    fn distance(&self) -> i64 {
        self.fd[self.p.len() - 1]
    }

    fn duration(&self) -> i64 {
        self.ft[self.p.len() - 1] + self.service
    }

    /// True if a change of (Δdistance, Δtime) improves and stays feasible.
    fn accepts(&self, dd: i64, dt: i64) -> bool {
        dd < 0
            && self.distance() + dd <= self.c.limits.max_distance
            && self.duration() + dt <= self.c.limits.max_duration
    }

    fn mark(&self, pos: &mut [u32]) {
        for (i, &v) in self.p.iter().enumerate().skip(1).take(self.len()) {
            pos[v] = i as u32;
        }
    }

    fn unmark(&self, pos: &mut [u32]) {
        for &v in &self.p[1..self.p.len() - 1] {
            pos[v] = ABSENT;
        }
    }
}

/// Improves one route in place with 2-opt and or-opt until neither finds an
/// improving feasible move. `pos` is scratch of length `cluster.num_nodes()` filled
/// with `u32::MAX`, and is left that way.
pub fn improve_route(cluster: &Cluster<'_>, nbrs: &Neighbours, route: &mut Vec<usize>, pos: &mut [u32]) {
    if route.len() < 2 {
        return;
    }
    let mut s = RouteState::new(cluster, route);
    s.mark(pos);
    // Each scan starts where the last move was found instead of at the route's
    // start: the same local optimum is reached with far fewer evaluations on
    // long routes. A full cycle of both operators without a move ends it.
    let mut cursor = 1;
    while let Some(at) =
        two_opt::apply_first(&mut s, nbrs, pos, cursor).or_else(|| or_opt::apply_first(&mut s, nbrs, pos, cursor))
    {
        cursor = at;
        s.refresh();
        s.mark(pos);
    }
    s.unmark(pos);
    route.clear();
    route.extend_from_slice(&s.p[1..s.p.len() - 1]);
}

/// A fresh position scratch array for [`improve_route`].
pub fn position_scratch(cluster: &Cluster<'_>) -> Vec<u32> {
    vec![ABSENT; cluster.num_nodes()]
}
