//! The solution the search edits: routes padded with the depot at both ends,
//! per-route prefix sums (load, forward and backward distance and time,
//! service), and per-node route and position.
//!
//! Every move is described as new routes made of *segments* of the current
//! ones (`Seg`). Pricing a concatenation of segments is O(number of segments)
//! from the prefix sums, whatever the route lengths, and one-way roads are
//! priced right because reversed segments read the backward sums. Applying a
//! move rebuilds only the routes it changes.
//!
//! With opening hours (`Cluster::windowed`) times cannot be summed: a route
//! that passes the O(1) load and distance checks is then timed stop by stop
//! with the one route rule ([`crate::model::RouteClock`]), O(route length);
//! so is every route of a type with driver breaks (the stored departures
//! and latest starts ignore breaks, so they answer only for other types).
//! The objective is each route's [`RouteType::cost`]: distance plus the
//! vehicle's fixed cost per used route for a single profile; weighted
//! distance, time and fixed costs per vehicle type in a fleet cluster, where
//! every route has a type (and so a depot), types have counts, and towns no
//! vehicle could take wait in a pool at a penalty.

use crate::model::LoadProfile;
use crate::model::timing::earliest_start;
use crate::solver::cluster::{Cluster, Limits, NO_HOME, Pricing, ROUTE_COST_CAP, RouteType};

mod load;

/// Node id within a cluster (0 = depot).
pub type Node = u32;

/// A piece of an existing route: padded positions `from..=to`, walked
/// backwards when `rev`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seg {
    /// Route index.
    pub route: u32,
    /// First padded position.
    pub from: u32,
    /// Last padded position (inclusive).
    pub to: u32,
    /// Walked from `to` back to `from`.
    pub rev: bool,
}

impl Seg {
    /// Positions `from..=to` of `route`, walked forwards.
    #[inline]
    pub fn fwd(route: usize, from: usize, to: usize) -> Seg {
        Seg {
            route: route as u32,
            from: from as u32,
            to: to as u32,
            rev: false,
        }
    }
    /// Positions `from..=to` of `route`, walked backwards.
    #[inline]
    pub fn rev(route: usize, from: usize, to: usize) -> Seg {
        Seg {
            rev: true,
            ..Seg::fwd(route, from, to)
        }
    }
    /// Positions `from..=to` of `route`, backwards if `rev`.
    #[inline]
    pub fn oriented(route: usize, from: usize, to: usize, rev: bool) -> Seg {
        Seg {
            rev,
            ..Seg::fwd(route, from, to)
        }
    }
}

/// Up to four segments forming one new route.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// The route replaced.
    pub route: u32,
    segs: [Seg; 4],
    len: u8,
}

impl Plan {
    /// Route `route` rebuilt from `parts` (at most four).
    pub fn new(route: usize, parts: &[Seg]) -> Plan {
        let mut segs = [Seg::fwd(0, 0, 0); 4];
        segs[..parts.len()].copy_from_slice(parts);
        Plan {
            route: route as u32,
            segs,
            len: parts.len() as u8,
        }
    }
    /// The segments, in walking order.
    pub fn segs(&self) -> &[Seg] {
        &self.segs[..self.len as usize]
    }
}

/// A priced change of one or two routes.
#[derive(Debug, Clone, Copy)]
pub struct Move {
    /// Change of the objective, distance plus fixed costs (negative = better).
    pub delta: i64,
    /// New routes (the first `num_plans` are used).
    pub plans: [Plan; 2],
    /// How many routes change (1 or 2).
    pub num_plans: u8,
}

impl Move {
    /// The routes the move rebuilds.
    pub fn plans(&self) -> &[Plan] {
        &self.plans[..self.num_plans as usize]
    }
}

/// One route with its prefix sums. Arrays are indexed by padded position
/// (0 and `len-1` are the depot).
#[derive(Debug, Clone, Default)]
pub struct Route {
    /// Depot, towns…, depot.
    pub nodes: Vec<Node>,
    /// Index of the route's type in [`Cluster::types`].
    pub vt: u32,
    /// Re-planning with a change penalty: towns on the route whose home is
    /// another route ([`Cluster::home`]); 0 otherwise.
    away: i64,
    /// `load[t]` = demand of `nodes[..t]`.
    load: Vec<i64>,
    /// `fd[t]` = distance of `nodes[0] → … → nodes[t]`; `bd[t]` = the same
    /// arcs walked backwards.
    fd: Vec<i64>,
    bd: Vec<i64>,
    /// Travel times, like `fd`/`bd` (empty when durations are unconstrained).
    ft: Vec<i64>,
    bt: Vec<i64>,
    /// `svc[t]` = service time of `nodes[..t]` (empty when untimed).
    svc: Vec<i64>,
    /// Windowed clusters only: `dep[t]` = earliest departure from position
    /// `t` when the route is driven from the depot ([`NEVER`] once late), and
    /// `latest[t]` = latest service start at `t` (arrival, for the final
    /// depot) from which the rest of the route is on time ([`TOO_LATE`] if
    /// none). A plan made of a prefix, short middle pieces and a suffix is
    /// then checked in O(middle length).
    dep: Vec<i64>,
    latest: Vec<i64>,
    /// Clusters whose loads follow profiles ([`Cluster::load_dims`] > 0):
    /// `lp[t * k + d]` = load profile of `nodes[..=t]` in capacity dimension
    /// `d`, `ls[t * k + d]` = of `nodes[t..]` (`k` = the dimensions; see
    /// [`crate::model::load`] and `load.rs`), so a plan of a prefix, short
    /// middle pieces and a suffix is checked in O(middle).
    lp: Vec<LoadProfile>,
    ls: Vec<LoadProfile>,
}

/// An earliest departure that does not exist (the prefix is already late).
const NEVER: i64 = i64::MAX / 4;
/// A latest start that does not exist (the suffix cannot be on time).
const TOO_LATE: i64 = i64::MIN / 4;

/// Service start at `v` for a vehicle leaving the previous stop at `time`
/// after `travel`, then its departure; `None` if every interval has closed.
#[inline]
fn serve(c: &Cluster<'_>, time: i64, travel: i64, v: usize) -> Option<i64> {
    earliest_start(c.windows(v), time.saturating_add(travel)).map(|s| s + c.service[v])
}

/// The latest service start at `v` no later than `bound` inside one of its
/// intervals, or [`TOO_LATE`].
#[inline]
fn latest_start(c: &Cluster<'_>, v: usize, bound: i64) -> i64 {
    let ws = c.windows(v);
    if ws.is_empty() {
        return bound;
    }
    match ws.iter().rev().find(|w| w.open <= bound) {
        Some(w) => bound.min(w.close),
        None => TOO_LATE,
    }
}

impl Route {
    /// Towns on the route.
    #[inline]
    pub fn num_towns(&self) -> usize {
        self.nodes.len() - 2
    }
    /// Total distance.
    #[inline]
    pub fn distance(&self) -> i64 {
        self.fd[self.nodes.len() - 1]
    }
    /// Total demand.
    #[inline]
    pub fn load(&self) -> i64 {
        self.load[self.nodes.len()]
    }
    /// Duration incl. service (0 when untimed).
    #[inline]
    pub fn duration(&self) -> i64 {
        match self.ft.last() {
            Some(t) => t + self.svc[self.nodes.len()],
            None => 0,
        }
    }
    /// Distance of arc `nodes[t] → nodes[t+1]`.
    #[inline]
    pub fn arc(&self, t: usize) -> i64 {
        self.fd[t + 1] - self.fd[t]
    }
    /// Travel time of arc `nodes[t] → nodes[t+1]` (0 when untimed).
    #[inline]
    pub fn arc_time(&self, t: usize) -> i64 {
        if self.ft.is_empty() {
            0
        } else {
            self.ft[t + 1] - self.ft[t]
        }
    }
    /// Demand of padded positions `from..=to`.
    #[inline]
    pub fn load_of(&self, from: usize, to: usize) -> i64 {
        self.load[to + 1] - self.load[from]
    }

    /// Towns served on the route (its reload stops left out): what a
    /// stop limit counts.
    #[inline]
    pub fn stops(&self) -> i64 {
        self.num_towns() as i64 - i64::from(self.reloads())
    }

    /// Travel time of padded positions `from..=to` walked as `rev` says,
    /// in time profile `profile` (O(piece length)).
    fn travel_time_in(&self, c: &Cluster<'_>, profile: u32, from: usize, to: usize, rev: bool) -> i64 {
        let piece = &self.nodes[from..=to];
        let arc = |w: &[Node]| {
            let (a, b) = if rev { (w[1], w[0]) } else { (w[0], w[1]) };
            c.time_in(profile, a as usize, b as usize)
        };
        piece.windows(2).map(arc).sum()
    }

    fn rebuild(&mut self, c: &Cluster<'_>) {
        let n = self.nodes.len();
        // Times in the route's own profile (its type's speed).
        let profile = c.types[self.vt as usize].profile;
        let time = |a: usize, b: usize| c.time_in(profile, a, b);
        let p = &self.nodes;
        self.load.clear();
        self.load.push(0);
        self.fd.clear();
        self.fd.push(0);
        self.bd.clear();
        self.bd.push(0);
        let sym = c.is_symmetric();
        for t in 0..n {
            let v = p[t] as usize;
            self.load.push(self.load[t] + c.demand[v]);
            if t + 1 < n {
                let w = p[t + 1] as usize;
                let d = c.dist(v, w);
                self.fd.push(self.fd[t] + d);
                self.bd.push(self.bd[t] + if sym { d } else { c.dist(w, v) });
            }
        }
        self.dep.clear();
        self.latest.clear();
        if c.windowed {
            let p = &self.nodes;
            self.dep.push(c.hours_at(p[0] as usize).open);
            for t in 1..n {
                let (u, v) = (p[t - 1] as usize, p[t] as usize);
                let prev = self.dep[t - 1];
                let next = if prev >= NEVER {
                    NEVER
                } else if t == n - 1 {
                    prev + time(u, v) // back at the depot: the arrival
                } else {
                    serve(c, prev, time(u, v), v).unwrap_or(NEVER)
                };
                self.dep.push(next);
            }
            self.latest.resize(n, TOO_LATE);
            self.latest[n - 1] = c.hours_at(p[n - 1] as usize).close;
            for t in (1..n - 1).rev() {
                let (v, w) = (p[t] as usize, p[t + 1] as usize);
                let after = self.latest[t + 1];
                self.latest[t] = if after <= TOO_LATE {
                    TOO_LATE
                } else {
                    latest_start(c, v, after - time(v, w) - c.service[v])
                };
            }
            // Position 0: the latest departure from the depot.
            self.latest[0] = if n > 1 && self.latest[1] > TOO_LATE {
                self.latest[1] - time(p[0] as usize, p[1] as usize)
            } else {
                TOO_LATE
            };
        }
        self.ft.clear();
        self.bt.clear();
        self.svc.clear();
        if c.timed {
            self.ft.push(0);
            self.bt.push(0);
            self.svc.push(0);
            for t in 0..n {
                let v = p[t] as usize;
                self.svc.push(self.svc[t] + c.service[v]);
                if t + 1 < n {
                    let w = p[t + 1] as usize;
                    let tm = time(v, w);
                    self.ft.push(self.ft[t] + tm);
                    self.bt.push(self.bt[t] + if sym { tm } else { time(w, v) });
                }
            }
        }
        self.fill_loads(c);
    }
}

/// Totals of a planned route.
#[derive(Debug, Clone, Copy)]
pub struct Totals {
    /// Distance.
    pub distance: i64,
    /// Travel plus service time (0 when untimed); when windowed a lower
    /// bound until the route is timed stop by stop (waiting included).
    pub duration: i64,
    /// Load the route needs: its demand, or with pickups its peak on board
    /// (`i64::MAX` when it breaks the pickup order).
    pub load: i64,
    /// Travel plus service time, never waiting: what a type's per-second
    /// cost is charged on (as [`Route::duration`]).
    pub summed: i64,
    /// Towns on the route (reload nodes not counted).
    pub towns: i64,
    /// Reloads on the route.
    pub reloads: u32,
    /// False if an opening interval or the depot's hours are missed.
    pub on_time: bool,
    /// False if a capacity dimension after the first is over the type's
    /// capacity there.
    pub fits_extra: bool,
}

impl Default for Totals {
    fn default() -> Self {
        Totals {
            distance: 0,
            duration: 0,
            load: 0,
            summed: 0,
            towns: 0,
            reloads: 0,
            on_time: true,
            fits_extra: true,
        }
    }
}

/// The routes of one cluster under search.
#[derive(Clone)]
pub struct Routes<'c, 'a> {
    /// The cluster routed.
    pub c: &'c Cluster<'a>,
    /// Routes, possibly some empty (`[depot, depot]`).
    pub routes: Vec<Route>,
    /// Used (non-empty) routes per type: never above the type's count.
    pub in_use: Vec<u32>,
    /// Towns on no route and not being reinserted (no vehicle could take
    /// them); each costs its [`Cluster::penalty`] in `cost`.
    pub pool: Vec<Node>,
    /// Route of each node (`u32::MAX` = not routed; node 0 unused).
    pub route_of: Vec<u32>,
    /// Padded position of each node in its route.
    pub pos: Vec<u32>,
    /// The objective: sum of [`Routes::route_cost`] plus the penalties of
    /// the pool.
    pub cost: i64,
    journal: Journal,
    /// Routes changed since the last [`Routes::copy_changed_into`].
    changed: Vec<u32>,
    is_changed: Vec<bool>,
}

/// A copy of a set of routes (e.g. the best so far), kept up to date by
/// copying only the routes that changed since the last copy: O(change), so
/// recording every new best stays cheap on 100,000-town instances.
#[derive(Clone, Default)]
pub struct Snapshot {
    routes: Vec<Vec<Node>>,
    types: Vec<u32>,
    pool: Vec<Node>,
    /// Cost of the copied routes.
    pub cost: i64,
}

impl Snapshot {
    /// Routes as town-node lists, empty routes dropped.
    pub fn to_node_lists(&self) -> Vec<Vec<usize>> {
        self.routes
            .iter()
            .filter(|r| r.len() > 2)
            .map(|r| r[1..r.len() - 1].iter().map(|&v| v as usize).collect())
            .collect()
    }

    /// Used routes as (type, town nodes), and the pooled towns.
    pub fn to_typed_lists(&self) -> (Vec<(usize, Vec<usize>)>, Vec<usize>) {
        let routes = self
            .routes
            .iter()
            .zip(&self.types)
            .filter(|(r, _)| r.len() > 2)
            .map(|(r, &t)| (t as usize, r[1..r.len() - 1].iter().map(|&v| v as usize).collect()))
            .collect();
        (routes, self.pool.iter().map(|&v| v as usize).collect())
    }
}

/// What changed since [`Routes::begin`]: the original node lists of the
/// routes touched, so a rejected step is undone in O(change), not O(n).
#[derive(Clone, Default)]
struct Journal {
    recording: bool,
    saved: Vec<(u32, Vec<Node>, u32)>,
    /// `stamp[k] == epoch` ⇔ route k is saved in this step.
    stamp: Vec<u32>,
    epoch: u32,
    routes_before: usize,
    cost_before: i64,
    pool_before: Vec<Node>,
    in_use_before: Vec<u32>,
}

/// Marker for a node that is on no route.
pub const UNROUTED: u32 = u32::MAX;

impl<'c, 'a> Routes<'c, 'a> {
    /// Builds the state from routes of town nodes (no depot padding).
    pub fn new(c: &'c Cluster<'a>, routes: &[Vec<usize>]) -> Self {
        let typed: Vec<(usize, Vec<usize>)> = routes.iter().map(|r| (0, r.clone())).collect();
        Self::typed(c, &typed, false)
    }

    /// Builds the state from routes of town nodes with their types; with
    /// `pool_missing`, towns on none of them go to the pool (fleet
    /// clusters), else they are simply not routed.
    pub fn typed(c: &'c Cluster<'a>, routes: &[(usize, Vec<usize>)], pool_missing: bool) -> Self {
        let mut s = Routes {
            c,
            routes: Vec::with_capacity(routes.len() + 8),
            in_use: vec![0; c.types.len()],
            pool: Vec::new(),
            route_of: vec![UNROUTED; c.num_nodes()],
            pos: vec![0; c.num_nodes()],
            cost: 0,
            journal: Journal::default(),
            changed: Vec::new(),
            is_changed: Vec::new(),
        };
        for (vt, r) in routes.iter().filter(|(_, r)| !r.is_empty()) {
            let (d, e) = (c.types[*vt].depot, c.types[*vt].end);
            let mut nodes = Vec::with_capacity(r.len() + 2);
            nodes.push(d);
            nodes.extend(r.iter().map(|&v| v as Node));
            nodes.push(e);
            s.push_route_of(*vt, nodes);
        }
        if pool_missing {
            for v in (1..=c.num_towns()).chain(c.first_reload..c.num_nodes()) {
                if s.route_of[v] == UNROUTED {
                    s.pool_town(v as Node);
                }
            }
        }
        s
    }

    /// Puts an unrouted town in the pool, at its penalty.
    pub fn pool_town(&mut self, v: Node) {
        debug_assert_eq!(self.route_of[v as usize], UNROUTED);
        self.pool.push(v);
        self.cost += self.c.penalty.get(v as usize).copied().unwrap_or(0);
    }

    /// Takes every pooled town out of the pool (to reinsert them).
    pub fn drain_pool(&mut self, out: &mut Vec<Node>) {
        // Spare reload nodes stay: they are stock, not towns to place.
        let first_reload = self.c.first_reload;
        self.drain_pool_where(out, |v| (v as usize) < first_reload);
    }

    /// Takes the pooled towns for which `take` holds out of the pool.
    pub fn drain_pool_where(&mut self, out: &mut Vec<Node>, mut take: impl FnMut(Node) -> bool) {
        let penalty = &self.c.penalty;
        let mut cost = self.cost;
        self.pool.retain(|&v| {
            if !take(v) {
                return true;
            }
            cost -= penalty.get(v as usize).copied().unwrap_or(0);
            out.push(v);
            false
        });
        self.cost = cost;
    }

    /// The route type of route `k`.
    #[inline]
    pub fn type_of(&self, k: usize) -> &RouteType {
        &self.c.types[self.routes[k].vt as usize]
    }

    /// Limits of route `k`'s vehicle type.
    #[inline]
    pub fn limits_of(&self, k: usize) -> Limits {
        self.type_of(k).limits
    }

    /// True if type `t` has a vehicle left for one more used route.
    #[inline]
    pub fn has_vehicle(&self, t: usize) -> bool {
        self.in_use[t] < self.c.types[t].count
    }

    /// Routes as town-node lists, empty routes dropped.
    pub fn to_node_lists(&self) -> Vec<Vec<usize>> {
        self.routes
            .iter()
            .filter(|r| r.num_towns() > 0)
            .map(|r| r.nodes[1..r.nodes.len() - 1].iter().map(|&v| v as usize).collect())
            .collect()
    }

    /// Appends a route (padded nodes) of the first type and returns its index.
    pub fn push_route(&mut self, nodes: Vec<Node>) -> usize {
        self.push_route_of(0, nodes)
    }

    /// Appends a route of type `vt` (padded nodes) and returns its index.
    pub fn push_route_of(&mut self, vt: usize, nodes: Vec<Node>) -> usize {
        let k = self.routes.len();
        let used = nodes.len() > 2;
        self.routes.push(Route {
            nodes,
            vt: vt as u32,
            ..Route::default()
        });
        self.in_use[vt] += u32::from(used);
        self.refresh(k);
        self.cost += self.route_cost(k);
        k
    }

    /// Objective of route `k`: its type's cost of its distance and duration
    /// (and, re-planning, the change penalty of its towns from elsewhere).
    #[inline]
    pub fn route_cost(&self, k: usize) -> i64 {
        let r = &self.routes[k];
        self.type_of(k).cost(r.distance(), r.duration(), r.num_towns() > 0) + self.away_cost(k)
    }

    /// The change penalty route `k` pays now (0 unless re-planning with one).
    #[inline]
    pub fn away_cost(&self, k: usize) -> i64 {
        self.c.change_penalty.saturating_mul(self.routes[k].away)
    }

    /// The change penalty of putting town `v` on route `k` (0 at home, for
    /// a new town, or without a penalty).
    #[inline]
    pub fn away_cost_at(&self, v: usize, k: usize) -> i64 {
        match self.c.home.get(v) {
            Some(&h) if h != NO_HOME && h as usize != k => self.c.change_penalty,
            _ => 0,
        }
    }

    /// Towns among `nodes` whose home is a route other than `k`.
    fn away_in(&self, k: usize, nodes: &[Node]) -> i64 {
        let home = &self.c.home;
        nodes
            .iter()
            .filter(|&&v| home.get(v as usize).is_some_and(|&h| h != NO_HOME && h as usize != k))
            .count() as i64
    }

    /// The change penalty route `k` would pay as `segs` (0 unless
    /// re-planning with one): O(length), as it reads every town's home.
    fn away_cost_of(&self, k: usize, segs: &[Seg]) -> i64 {
        if self.c.home.is_empty() {
            return 0;
        }
        let away: i64 = segs
            .iter()
            .map(|s| self.away_in(k, &self.routes[s.route as usize].nodes[s.from as usize..=s.to as usize]))
            .sum();
        self.c.change_penalty.saturating_mul(away)
    }

    /// Cost of a planned route of type `vt` with these totals.
    #[inline]
    fn planned_cost(&self, vt: usize, t: &Totals) -> i64 {
        self.c.types[vt].cost(t.distance, t.summed, t.towns > 0)
    }

    /// Replaces route `k`'s nodes and updates all caches.
    pub fn set_route(&mut self, k: usize, nodes: Vec<Node>) -> Vec<Node> {
        let vt = self.routes[k].vt as usize;
        self.set_typed_route(k, vt, nodes)
    }

    /// Replaces route `k`'s nodes and type and updates all caches.
    pub fn set_typed_route(&mut self, k: usize, vt: usize, nodes: Vec<Node>) -> Vec<Node> {
        let j = &mut self.journal;
        if j.recording && k < j.routes_before && j.stamp[k] != j.epoch {
            j.stamp[k] = j.epoch;
            j.saved
                .push((k as u32, self.routes[k].nodes.clone(), self.routes[k].vt));
        }
        let nodes = if self.c.first_reload < self.c.num_nodes() {
            self.without_idle_reloads(nodes)
        } else {
            nodes
        };
        self.cost -= self.route_cost(k);
        let r = &mut self.routes[k];
        self.in_use[r.vt as usize] -= u32::from(r.nodes.len() > 2);
        r.vt = vt as u32;
        self.in_use[vt] += u32::from(nodes.len() > 2);
        let old = std::mem::replace(&mut r.nodes, nodes);
        self.refresh(k);
        self.cost += self.route_cost(k);
        old
    }

    /// Drops reloads with no town before or after them in their route
    /// (they change neither cost nor feasibility) back into the pool.
    fn without_idle_reloads(&mut self, mut nodes: Vec<Node>) -> Vec<Node> {
        let c = self.c;
        let n = nodes.len();
        if n <= 2 || !nodes[1..n - 1].iter().any(|&v| c.is_reload(v as usize)) {
            return nodes;
        }
        let (first, last) = (nodes[0], nodes[n - 1]);
        let mut kept: Vec<Node> = Vec::with_capacity(n);
        kept.push(first);
        let mut idle = Vec::new();
        keep_working_stops(nodes[1..n - 1].iter().copied(), |v| c.is_reload(v as usize), &mut kept, |v| {
            idle.push(v)
        });
        for v in idle {
            self.route_of[v as usize] = UNROUTED;
            self.pool_town(v);
        }
        kept.push(last);
        nodes.clear();
        nodes.extend_from_slice(&kept);
        nodes
    }

    /// Takes reload node `v` out of the pool (to place it in a route).
    pub fn take_reload(&mut self, v: Node) {
        if let Some(i) = self.pool.iter().position(|&x| x == v) {
            self.pool.swap_remove(i);
        }
    }

    /// A pooled reload node route type `vt` may use, one per reload depot
    /// (the first found of each), into `out`.
    pub fn free_reloads(&self, vt: usize, out: &mut Vec<Node>) {
        out.clear();
        for &v in &self.pool {
            let vi = v as usize;
            if self.c.is_reload(vi)
                && self.c.reload_type_of(vi) == vt
                && !out
                    .iter()
                    .any(|&o| self.c.depot_location(o as usize) == self.c.depot_location(vi))
            {
                out.push(v);
            }
        }
    }

    fn refresh(&mut self, k: usize) {
        self.mark_changed(k);
        self.routes[k].rebuild(self.c);
        if !self.c.home.is_empty() {
            let away = self.away_in(k, &self.routes[k].nodes);
            self.routes[k].away = away;
        }
        let r = &self.routes[k];
        for (t, &v) in r.nodes.iter().enumerate().skip(1).take(r.nodes.len() - 2) {
            self.route_of[v as usize] = k as u32;
            self.pos[v as usize] = t as u32;
        }
    }

    fn mark_changed(&mut self, k: usize) {
        if self.is_changed.len() <= k {
            self.is_changed.resize(k + 1, false);
        }
        if !self.is_changed[k] {
            self.is_changed[k] = true;
            self.changed.push(k as u32);
        }
    }

    /// Treats every route as changed (after the state was replaced wholesale).
    pub fn mark_all_changed(&mut self) {
        for k in 0..self.routes.len() {
            self.mark_changed(k);
        }
    }

    /// Brings `snap` up to this state by copying the changed routes.
    pub fn copy_changed_into(&mut self, snap: &mut Snapshot) {
        snap.routes.truncate(self.routes.len());
        snap.routes.resize(self.routes.len(), Vec::new());
        snap.types.resize(self.routes.len(), 0);
        for k in self.changed.drain(..) {
            self.is_changed[k as usize] = false;
            if let Some(r) = self.routes.get(k as usize) {
                snap.routes[k as usize].clone_from(&r.nodes);
                snap.types[k as usize] = r.vt;
            }
        }
        snap.pool.clone_from(&self.pool);
        snap.cost = self.cost;
    }

    /// Starts recording changes so that [`Routes::rollback`] can undo them.
    pub fn begin(&mut self) {
        let j = &mut self.journal;
        j.recording = true;
        j.saved.clear();
        j.epoch = j.epoch.wrapping_add(1);
        if j.epoch == 0 {
            j.stamp.iter_mut().for_each(|x| *x = u32::MAX);
            j.epoch = 1;
        }
        j.routes_before = self.routes.len();
        j.stamp.resize(self.routes.len(), u32::MAX);
        j.cost_before = self.cost;
        j.pool_before.clone_from(&self.pool);
        j.in_use_before.clone_from(&self.in_use);
    }

    /// Keeps the changes made since [`Routes::begin`].
    pub fn commit(&mut self) {
        self.journal.recording = false;
        self.journal.saved.clear();
    }

    /// Undoes every change made since [`Routes::begin`].
    pub fn rollback(&mut self) {
        self.journal.recording = false;
        let saved = std::mem::take(&mut self.journal.saved);
        self.routes.truncate(self.journal.routes_before);
        for (k, nodes, vt) in saved {
            self.routes[k as usize].nodes = nodes;
            self.routes[k as usize].vt = vt;
            self.refresh(k as usize);
        }
        self.cost = self.journal.cost_before;
        std::mem::swap(&mut self.pool, &mut self.journal.pool_before);
        std::mem::swap(&mut self.in_use, &mut self.journal.in_use_before);
        for &v in &self.pool {
            self.route_of[v as usize] = UNROUTED;
        }
    }

    /// Index of an empty route to fill, creating one if there is none.
    pub fn empty_route(&mut self) -> usize {
        match self.routes.iter().position(|r| r.num_towns() == 0) {
            Some(k) => k,
            None => self.push_route(vec![0, self.c.types[0].end]),
        }
    }

    /// An empty route of type `vt` to fill (an empty route of another type
    /// is given this type, else one is added), or `None` if every vehicle
    /// of the type is in use.
    pub fn empty_route_of(&mut self, vt: usize) -> Option<usize> {
        if !self.has_vehicle(vt) {
            return None;
        }
        let (d, e) = (self.c.types[vt].depot, self.c.types[vt].end);
        match self.routes.iter().position(|r| r.num_towns() == 0) {
            Some(k) => {
                if self.routes[k].vt as usize != vt || self.routes[k].nodes != [d, e] {
                    self.set_typed_route(k, vt, vec![d, e]);
                }
                Some(k)
            }
            None => Some(self.push_route_of(vt, vec![d, e])),
        }
    }

    /// Drops empty routes (outside a recorded step only).
    pub fn compact(&mut self) {
        debug_assert!(!self.journal.recording);
        if self.routes.iter().all(|r| r.num_towns() > 0) {
            return;
        }
        // Re-planning keeps the previous plan's routes (the vans towns call
        // home) even when empty: they stay where they were, in front.
        let homes = self.c.homes;
        let mut k = 0;
        self.routes.retain(|r| {
            k += 1;
            r.num_towns() > 0 || k <= homes
        });
        for k in 0..self.routes.len() {
            self.refresh(k);
        }
        self.journal.stamp.clear();
    }

    /// Distance between two nodes.
    #[inline]
    pub fn d(&self, a: Node, b: Node) -> i64 {
        self.c.dist(a as usize, b as usize)
    }

    /// Distance along route `r` from position `f` to `e`, walked backwards
    /// when `rev`.
    #[inline]
    pub fn inner(&self, r: usize, f: usize, e: usize, rev: bool) -> i64 {
        let r = &self.routes[r];
        if rev { r.bd[e] - r.bd[f] } else { r.fd[e] - r.fd[f] }
    }

    /// Node at the start of a segment as walked.
    #[inline]
    pub fn seg_first(&self, s: Seg) -> Node {
        let r = &self.routes[s.route as usize];
        r.nodes[if s.rev { s.to } else { s.from } as usize]
    }

    /// Node at the end of a segment as walked.
    #[inline]
    pub fn seg_last(&self, s: Seg) -> Node {
        let r = &self.routes[s.route as usize];
        r.nodes[if s.rev { s.from } else { s.to } as usize]
    }

    /// Totals of the route made by walking `segs` in order, driven by a
    /// vehicle of type `vt` (whose depot replaces the segments' end depots).
    pub fn price(&self, vt: usize, segs: &[Seg]) -> Totals {
        let c = self.c;
        let speed = c.types[vt].profile;
        let mut t = Totals::default();
        if c.multi_depot {
            self.depot_correction((c.types[vt].depot, c.types[vt].end), speed, segs, &mut t);
        }
        let mut prev: Option<Node> = None;
        for &s in segs {
            let r = &self.routes[s.route as usize];
            let (f, e) = (s.from as usize, s.to as usize);
            if !c.pickups {
                t.load += r.load_of(f, e);
            }
            t.towns += (e - f + 1) as i64;
            let first = if s.rev { r.nodes[e] } else { r.nodes[f] };
            if let Some(p) = prev {
                t.distance += c.dist(p as usize, first as usize);
                if c.timed {
                    t.duration += c.time_in(speed, p as usize, first as usize);
                }
            }
            t.distance += if s.rev { r.bd[e] - r.bd[f] } else { r.fd[e] - r.fd[f] };
            if c.timed {
                t.duration += if c.types[r.vt as usize].profile == speed {
                    if s.rev { r.bt[e] - r.bt[f] } else { r.ft[e] - r.ft[f] }
                } else {
                    // A piece of a route of another speed: its stored
                    // times are not this type's, so it is walked.
                    r.travel_time_in(c, speed, f, e, s.rev)
                };
                t.duration += r.svc[e + 1] - r.svc[f];
            }
            prev = Some(if s.rev { r.nodes[f] } else { r.nodes[e] });
        }
        t.towns -= 2; // the depot at both ends
        t.summed = t.duration;
        if c.pickups {
            self.price_loads(vt, segs, &mut t);
        }
        t
    }

    /// The change of distance and time when the first and last depots met
    /// while walking `segs` are replaced by `start` and `end` (a route moved
    /// to a type based elsewhere, or ending elsewhere): only the arcs at the
    /// two ends change.
    fn depot_correction(&self, (start, end): (Node, Node), profile: u32, segs: &[Seg], t: &mut Totals) {
        let c = self.c;
        let ends = [segs.first(), segs.last()];
        for (k, s) in ends.into_iter().enumerate() {
            let Some(&s) = s else { continue };
            let depot = if k == 0 { start } else { end };
            let r = &self.routes[s.route as usize];
            let (f, e) = (s.from as usize, s.to as usize);
            // The depot end of the walk and its neighbour inside the segment
            // (or in the next segment when the segment is the depot alone).
            let (end, inner) = match (k, s.rev) {
                (0, false) => (f, f + 1),
                (0, true) => (e, e.wrapping_sub(1)),
                (_, false) => (e, e.wrapping_sub(1)),
                (_, true) => (f, f + 1),
            };
            let old = r.nodes[end];
            if old == depot || !c.is_depot(old as usize) {
                continue;
            }
            if f == e {
                // A lone depot: the connecting arc is priced against the
                // neighbouring segment below.
                let next = if k == 0 {
                    segs.get(1)
                } else {
                    segs.len().checked_sub(2).map(|i| &segs[i])
                };
                if let Some(&n) = next {
                    let w = if k == 0 { self.seg_first(n) } else { self.seg_last(n) } as usize;
                    let (a, b) = if k == 0 { (old as usize, w) } else { (w, old as usize) };
                    let (na, nb) = if k == 0 {
                        (depot as usize, w)
                    } else {
                        (w, depot as usize)
                    };
                    t.distance += c.dist(na, nb) - c.dist(a, b);
                    if c.timed {
                        t.duration += c.time_in(profile, na, nb) - c.time_in(profile, a, b);
                    }
                }
                continue;
            }
            let w = r.nodes[inner] as usize;
            let (a, b, na, nb) = if k == 0 {
                (old as usize, w, depot as usize, w)
            } else {
                (w, old as usize, w, depot as usize)
            };
            t.distance += c.dist(na, nb) - c.dist(a, b);
            if c.timed {
                t.duration += c.time_in(profile, na, nb) - c.time_in(profile, a, b);
            }
        }
    }

    /// The towns of the route made by walking `segs` (and its reloads),
    /// the depots at its ends left out.
    pub(super) fn seg_towns<'s>(&'s self, segs: &'s [Seg]) -> impl Iterator<Item = usize> + Clone + 's {
        segs.iter().flat_map(move |s| {
            let nodes = &self.routes[s.route as usize].nodes;
            let (f, e, rev) = (s.from as usize, s.to as usize, s.rev);
            (0..=e - f)
                .map(move |i| nodes[if rev { e - i } else { f + i }] as usize)
                .filter(|&v| !self.c.is_depot(v) || self.c.is_reload(v))
        })
    }

    /// A plan that leaves a reload idle (first or last in its route, or
    /// right after another) is built without it ([`Routes::set_route`] puts
    /// it back in the pool), so it is priced without it: its detour and its
    /// reload time, which a type paid by the hour would otherwise pay. Only a
    /// reload at a segment's end can become idle (routes hold none), so the
    /// walk is rebuilt only then.
    fn price_without_idle_reloads(&self, vt: usize, segs: &[Seg], t: &mut Totals) {
        let c = self.c;
        if c.first_reload >= c.num_nodes() {
            return;
        }
        let reload_at_end = |s: &Seg| c.is_reload(self.seg_first(*s) as usize) || c.is_reload(self.seg_last(*s) as usize);
        if !segs.iter().any(reload_at_end) {
            return;
        }
        let mut kept: Vec<usize> = Vec::new();
        let mut idle = 0;
        keep_working_stops(self.seg_towns(segs), |v| c.is_reload(v), &mut kept, |_| idle += 1);
        if idle == 0 {
            return;
        }
        let (depot, end) = c.ends_of(vt);
        let (mut distance, mut prev) = (0, depot);
        for &v in kept.iter().chain([&end]) {
            distance += c.dist(prev, v);
            prev = v;
        }
        t.distance = distance;
        if c.timed {
            t.summed = c.summed_duration(vt, &kept);
        }
    }

    /// True if a route with these totals is allowed; when windowed, also
    /// times the route of `segs` stop by stop (filling in its duration).
    #[inline]
    fn allowed(&self, vt: usize, t: &mut Totals, segs: &[Seg]) -> bool {
        self.price_without_idle_reloads(vt, segs, t);
        if !self.feasible_for(vt, t) {
            return false;
        }
        // Reloads: within the type's limit, and never a route of reloads only.
        if t.reloads > 0 && (t.reloads > self.c.types[vt].max_reloads || t.towns == 0) {
            return false;
        }
        if self.c.restricted() && !self.compatible(vt, segs) {
            return false;
        }
        let ends = self.c.ends_of(vt);
        if self.c.windowed
            && !self.c.multi_trip
            && self.c.types[vt].limits.max_duration == Limits::UNLIMITED
            && !self.c.has_breaks(vt)
            && self.one_profile(vt, segs)
        {
            // No shift limit: only being on time matters, and the stored
            // departures and latest starts answer that for the end pieces.
            t.on_time = self.on_time(ends, self.c.types[vt].profile, segs);
            return t.on_time;
        }
        if self.c.windowed {
            let times = self.c.route_times_of(vt, self.seg_towns(segs));
            t.on_time = times.on_time;
            t.duration = times.duration();
            return self.feasible_for(vt, t);
        }
        true
    }

    /// True if type `vt` may serve every town the segments bring from
    /// routes of other types. A one-type cluster with site dependence (a
    /// type's own construction in the fleet search) holds the towns its
    /// type may not serve each alone, for the fleet hand-out: there every
    /// town is checked, so no move merges one.
    fn compatible(&self, vt: usize, segs: &[Seg]) -> bool {
        let every_town = self.c.types.len() == 1 && self.c.restricted();
        segs.iter().all(|s| {
            let nodes = &self.routes[s.route as usize].nodes[s.from as usize..=s.to as usize];
            (!every_town && self.routes[s.route as usize].vt as usize == vt)
                || nodes.iter().all(|&v| {
                    let v = v as usize;
                    (self.c.is_depot(v) && !self.c.is_reload(v)) || self.c.serves(v, vt)
                })
        })
    }

    /// True if the route made of `segs` keeps every opening interval and
    /// the depot's hours: a forward prefix is read from `dep`, a forward
    /// suffix from `latest`, and only the pieces between are walked. Every
    /// piece must come from a route of time profile `profile` (see
    /// [`Routes::one_profile`]): the stored times are in its profile.
    pub(super) fn on_time(&self, (depot, end): (usize, usize), profile: u32, segs: &[Seg]) -> bool {
        let c = self.c;
        let travel = |a: usize, b: usize| c.time_in(profile, a, b);
        let Some((&last, rest)) = segs.split_last() else {
            return true;
        };
        let (open, close) = (c.hours_at(depot).open, c.hours_at(end).close);
        // Stored departures hold for a prefix from the same start depot,
        // stored latest starts for a suffix to the same end.
        let same_start = |s: &Seg| self.routes[s.route as usize].nodes[0] as usize == depot;
        let same_end = |s: &Seg| self.routes[s.route as usize].nodes.last().is_some_and(|&x| x as usize == end);
        let (mut time, mut prev, mut pieces) = (open, depot, rest);
        if let Some((&first, tail)) = rest
            .split_first()
            .filter(|(f, _)| !f.rev && f.from == 0 && same_start(f))
        {
            let r = &self.routes[first.route as usize];
            time = r.dep[first.to as usize];
            if time >= NEVER {
                return false;
            }
            prev = r.nodes[first.to as usize] as usize;
            pieces = tail;
        }
        // `seg_towns` leaves the depot out.
        let step = |v: usize, time: &mut i64, prev: &mut usize| -> bool {
            match serve(c, *time, travel(*prev, v), v) {
                Some(d) => {
                    (*time, *prev) = (d, v);
                    true
                }
                None => false,
            }
        };
        for s in pieces {
            for v in self.seg_towns(std::slice::from_ref(s)) {
                if !step(v, &mut time, &mut prev) {
                    return false;
                }
            }
        }
        let r = &self.routes[last.route as usize];
        if !last.rev && last.to as usize == r.nodes.len() - 1 && same_end(&last) {
            let f = last.from as usize;
            let v = r.nodes[f] as usize;
            if c.is_depot(v) {
                return time.saturating_add(travel(prev, end)) <= close;
            }
            return time.saturating_add(travel(prev, v)) <= r.latest[f];
        }
        for v in self.seg_towns(std::slice::from_ref(&last)) {
            if !step(v, &mut time, &mut prev) {
                return false;
            }
        }
        time.saturating_add(travel(prev, end)) <= close
    }

    /// True if every piece of `segs` comes from a route in type `vt`'s time
    /// profile (always, when all types drive at one speed).
    #[inline]
    fn one_profile(&self, vt: usize, segs: &[Seg]) -> bool {
        let c = self.c;
        c.num_profiles() == 1
            || segs
                .iter()
                .all(|s| c.types[self.routes[s.route as usize].vt as usize].profile == c.types[vt].profile)
    }

    /// True if route `r` with town `v` inserted after padded position `t`
    /// keeps every opening interval and the shift limit (always true when
    /// the cluster has no opening hours: the summed checks decide then).
    pub(super) fn insertion_on_time(&self, r: usize, t: usize, v: Node) -> bool {
        self.insertions_on_time(r, t, &[v])
    }

    /// [`Routes::insertion_on_time`] for several nodes inserted together
    /// after padded position `t` (e.g. a town and a reload).
    pub(super) fn insertions_on_time(&self, r: usize, t: usize, new: &[Node]) -> bool {
        let route = &self.routes[r];
        if !self.c.windowed {
            return true;
        }
        let max_duration = self.limits_of(r).max_duration;
        if let [v] = *new
            && max_duration == Limits::UNLIMITED
            && !self.c.multi_trip
            && !self.c.has_breaks(route.vt as usize)
        {
            let (u, w) = (route.nodes[t] as usize, route.nodes[t + 1] as usize);
            let (vi, dep) = (v as usize, route.dep[t]);
            let profile = self.c.types[route.vt as usize].profile;
            return dep < NEVER
                && serve(self.c, dep, self.c.time_in(profile, u, vi), vi)
                    .is_some_and(|d| d.saturating_add(self.c.time_in(profile, vi, w)) <= route.latest[t + 1]);
        }
        let nodes = &route.nodes;
        let towns = nodes[1..=t]
            .iter()
            .chain(new)
            .chain(&nodes[t + 1..nodes.len() - 1])
            .map(|&x| x as usize);
        let times = self.c.route_times_of(route.vt as usize, towns);
        times.on_time && times.duration() <= max_duration
    }

    /// True if a route of type `vt` with these totals is allowed (load,
    /// distance, the summed duration, and the on-time flag).
    #[inline]
    pub fn feasible_for(&self, vt: usize, t: &Totals) -> bool {
        let limits = &self.c.types[vt].limits;
        t.on_time && t.fits_extra && limits.allows(t.load, t.distance, t.duration) && limits.allows_stops(t.towns)
    }

    /// Prices a move that replaces route `a` by `pa` (and route `b` by `pb`):
    /// `Some(move)` if every new route is feasible.
    pub fn evaluate(&self, a: usize, pa: &[Seg], b: Option<(usize, &[Seg])>) -> Option<Move> {
        let mut delta = self.rebuilt_delta(a, pa)?;
        let mut m = Move {
            delta: 0,
            plans: [Plan::new(a, pa), Plan::new(a, &[])],
            num_plans: 1,
        };
        if let Some((b, pb)) = b {
            delta += self.rebuilt_delta(b, pb)?;
            m.plans[1] = Plan::new(b, pb);
            m.num_plans = 2;
        }
        m.delta = delta;
        Some(m)
    }

    /// Cost change of rebuilding route `k` (keeping its type) as `segs`;
    /// `None` if the new route breaks a rule.
    #[inline]
    fn rebuilt_delta(&self, k: usize, segs: &[Seg]) -> Option<i64> {
        match self.c.pricing {
            Pricing::Plain => self.plain_rebuilt_delta(k, segs),
            Pricing::General => self.general_rebuilt_delta(k, segs),
        }
    }

    /// [`Routes::rebuilt_delta`] under [`Pricing::General`]: every rule of
    /// the route's type is checked.
    #[inline]
    pub(super) fn general_rebuilt_delta(&self, k: usize, segs: &[Seg]) -> Option<i64> {
        let vt = self.routes[k].vt as usize;
        let mut t = self.price(vt, segs);
        if !self.allowed(vt, &mut t, segs) {
            return None;
        }
        Some(self.planned_cost(vt, &t) + self.away_cost_of(k, segs) - self.route_cost(k))
    }

    /// [`Routes::rebuilt_delta`] under [`Pricing::Plain`]: the load and
    /// distance sums decide, and the cost is distance plus the fixed cost
    /// (as [`RouteType::cost`] gives it for such a type).
    #[inline]
    pub(super) fn plain_rebuilt_delta(&self, k: usize, segs: &[Seg]) -> Option<i64> {
        let (mut load, mut distance, mut nodes) = (0, 0, 0);
        let mut prev: Option<Node> = None;
        for &s in segs {
            let r = &self.routes[s.route as usize];
            let (f, e) = (s.from as usize, s.to as usize);
            load += r.load_of(f, e);
            nodes += e - f + 1;
            let first = if s.rev { r.nodes[e] } else { r.nodes[f] };
            if let Some(p) = prev {
                distance += self.c.dist(p as usize, first as usize);
            }
            distance += if s.rev { r.bd[e] - r.bd[f] } else { r.fd[e] - r.fd[f] };
            prev = Some(if s.rev { r.nodes[f] } else { r.nodes[e] });
        }
        let ty = &self.c.types[0];
        if load > ty.limits.capacity || distance > ty.limits.max_distance {
            return None;
        }
        let cost = |distance: i64, used: bool| {
            if used {
                ty.fixed.saturating_add(distance).min(ROUTE_COST_CAP)
            } else {
                0
            }
        };
        let old = &self.routes[k];
        // Two of the nodes are the depot at both ends.
        Some(cost(distance, nodes > 2) - cost(old.distance(), old.num_towns() > 0))
    }

    /// Cost change of giving a whole route (walked as `segs`) to type `vt`,
    /// when it costs `current` now; `None` if `vt` may not drive it.
    pub fn retype_delta(&self, vt: usize, segs: &[Seg], current: i64) -> Option<i64> {
        let mut t = self.price(vt, segs);
        // `allowed` checks compatibility too: the segments come from a
        // route of another type.
        if !self.allowed(vt, &mut t, segs) {
            return None;
        }
        Some(self.planned_cost(vt, &t) - current)
    }

    /// Cost delta of a move without the limit checks, for pruning before the
    /// full check: exactly [`Routes::evaluate`]'s delta when it is feasible
    /// (windowed routes are priced on travel plus service either way), or
    /// above it when the move leaves a reload idle (evaluate prices the
    /// route without it).
    pub fn distance_delta(&self, a: usize, pa: &[Seg], b: Option<(usize, &[Seg])>) -> i64 {
        if self.c.uniform {
            let mut d = self.seg_distance(pa) - self.routes[a].distance();
            if let Some((b, pb)) = b {
                d += self.seg_distance(pb) - self.routes[b].distance();
            }
            // Re-planning only: the hot path reads no homes.
            if !self.c.home.is_empty() {
                d += self.away_cost_of(a, pa) - self.away_cost(a);
                if let Some((b, pb)) = b {
                    d += self.away_cost_of(b, pb) - self.away_cost(b);
                }
            }
            return d + self.fixed_delta(a, pa, b);
        }
        // Weights, time costs or depots differ between routes: the segment
        // price (depot arcs included) gives the exact cost, limits unchecked.
        let change = |k: usize, segs: &[Seg]| {
            let vt = self.routes[k].vt as usize;
            self.planned_cost(vt, &self.price(vt, segs)) + self.away_cost_of(k, segs) - self.route_cost(k)
        };
        change(a, pa).saturating_add(b.map_or(0, |(b, pb)| change(b, pb)))
    }

    /// Change of fixed costs when route `a` becomes `pa` (and `b` becomes
    /// `pb`): a route emptied saves its vehicle, a route opened pays one.
    // Always inlined: on the plain path it is one flag read per candidate
    // move, and as a call it cost 2 % of a plain CVRP's instructions.
    #[inline(always)]
    pub fn fixed_delta(&self, a: usize, pa: &[Seg], b: Option<(usize, &[Seg])>) -> i64 {
        // Called for every candidate move: skip the route lookups when no
        // type has a fixed cost.
        if !self.c.fixed_costs {
            return 0;
        }
        let used = |segs: &[Seg]| segs.iter().map(|s| (s.to - s.from + 1) as usize).sum::<usize>() > 2;
        let change = |k: usize, segs: &[Seg]| {
            let fixed = self.type_of(k).fixed;
            i64::from(used(segs)) * fixed - i64::from(self.routes[k].num_towns() > 0) * fixed
        };
        change(a, pa).saturating_add(b.map_or(0, |(b, pb)| change(b, pb)))
    }

    fn seg_distance(&self, segs: &[Seg]) -> i64 {
        let mut d = 0;
        let mut prev: Option<Node> = None;
        for &s in segs {
            let r = &self.routes[s.route as usize];
            let (f, e) = (s.from as usize, s.to as usize);
            let first = if s.rev { r.nodes[e] } else { r.nodes[f] };
            if let Some(p) = prev {
                d += self.c.dist(p as usize, first as usize);
            }
            d += if s.rev { r.bd[e] - r.bd[f] } else { r.fd[e] - r.fd[f] };
            prev = Some(if s.rev { r.nodes[f] } else { r.nodes[e] });
        }
        d
    }

    /// Applies a move; `touched` receives the nodes at the ends of every
    /// segment (the nodes whose arcs changed).
    pub fn apply(&mut self, m: &Move, scratch: &mut [Vec<Node>; 2], touched: &mut Vec<Node>) {
        // Build every new route from the old ones before replacing any.
        for (k, plan) in m.plans().iter().enumerate() {
            let buf = &mut scratch[k];
            buf.clear();
            for &s in plan.segs() {
                let r = &self.routes[s.route as usize];
                let part = &r.nodes[s.from as usize..=s.to as usize];
                if s.rev {
                    buf.extend(part.iter().rev());
                } else {
                    buf.extend_from_slice(part);
                }
                touched.push(self.seg_first(s));
                touched.push(self.seg_last(s));
            }
        }
        for (k, plan) in m.plans().iter().enumerate() {
            let mut nodes = std::mem::take(&mut scratch[k]);
            if self.c.multi_depot {
                // The route keeps its vehicle, so its start and end depots.
                let old = &self.routes[plan.route as usize].nodes;
                let (d, e) = (old[0], old[old.len() - 1]);
                let last = nodes.len() - 1;
                (nodes[0], nodes[last]) = (d, e);
            }
            scratch[k] = self.set_route(plan.route as usize, nodes);
        }
    }

    /// Recomputes the cost from scratch (for checks).
    pub fn recomputed_cost(&self) -> i64 {
        let c = self.c;
        let routes: i64 = self
            .routes
            .iter()
            .filter(|r| r.num_towns() > 0)
            .map(|r| {
                let towns: Vec<usize> = r.nodes[1..r.nodes.len() - 1].iter().map(|&v| v as usize).collect();
                let t = &c.types[r.vt as usize];
                let (d, _, _) = c.route_totals_from((t.depot as usize, t.end as usize), &towns);
                let duration = if c.timed {
                    c.summed_duration(r.vt as usize, &towns)
                } else {
                    0
                };
                t.cost(d, duration, true)
            })
            .sum();
        routes + self.pool.iter().map(|&v| c.penalty[v as usize]).sum::<i64>()
    }

    /// Used routes as (type, town nodes), and the pooled towns.
    pub fn to_typed_lists(&self) -> (Vec<(usize, Vec<usize>)>, Vec<usize>) {
        let routes = self
            .routes
            .iter()
            .filter(|r| r.num_towns() > 0)
            .map(|r| {
                (
                    r.vt as usize,
                    r.nodes[1..r.nodes.len() - 1].iter().map(|&v| v as usize).collect(),
                )
            })
            .collect();
        (routes, self.pool.iter().map(|&v| v as usize).collect())
    }
}

/// Appends the stops of a route (depots excluded) to `kept` without its
/// idle reloads — a reload first, last or right after another carries
/// nothing — and hands each idle one to `idle`. The one rule for idle
/// reloads: `set_route` drops them and pricing prices without them.
fn keep_working_stops<T: Copy>(
    stops: impl IntoIterator<Item = T>,
    is_reload: impl Fn(T) -> bool,
    kept: &mut Vec<T>,
    mut idle: impl FnMut(T),
) {
    let start = kept.len();
    for v in stops {
        if is_reload(v) && kept[start..].last().is_none_or(|&p| is_reload(p)) {
            idle(v);
            continue;
        }
        kept.push(v);
    }
    while kept.len() > start && kept.last().is_some_and(|&v| is_reload(v)) {
        if let Some(v) = kept.pop() {
            idle(v);
        }
    }
}
