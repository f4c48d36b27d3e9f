//! Recreate by greedy insertion with blinks (SISR): removed towns, in one of
//! four orders, each go to the cheapest feasible position among the routes
//! that serve its nearest towns, skipping each position with a small
//! probability; a town with no feasible position opens a new route — of the
//! vehicle type whose route alone is cheapest among those with a vehicle
//! left — and a town no route and no vehicle can take goes to the pool.

use super::SearchParams;
use super::routes::{Node, Routes, UNROUTED};
use crate::rng::SeededRng;
use crate::solver::cluster::{NO_HOME, Pricing};
use crate::solver::neighbours::Neighbours;

/// Routes up to this many towns are scanned at every position; longer ones
/// only beside the inserted town's neighbours (O(k) instead of O(length),
/// which matters on routes of 100+ stops).
const FULL_SCAN_MAX: usize = 40;

/// Reusable buffers for [`recreate`].
#[derive(Default)]
pub(crate) struct Scratch {
    keyed: Vec<(i64, Node)>,
    reloads: Vec<Node>,
    route_seen: Vec<u32>,
    stamp: u32,
    candidates: Vec<u32>,
}

/// Inserts every town of `removed` (which is left in insertion order);
/// inserted towns and their new neighbours go to `touched`.
pub(crate) fn recreate(
    s: &mut Routes<'_, '_>,
    nbrs: &Neighbours,
    p: &SearchParams,
    rng: &mut SeededRng,
    removed: &mut [Node],
    scratch: &mut Scratch,
) {
    order(s, rng, removed, scratch);
    for &c in removed.iter() {
        // (A town may already be on a route another optional town opened.)
        if s.route_of[c as usize] == UNROUTED {
            insert(s, nbrs, p, rng, c, scratch);
        }
    }
}

/// Sorts the removed towns: random 4, largest demand 4, farthest from the
/// depot 2, closest 1 (weights from the paper).
fn order(s: &Routes<'_, '_>, rng: &mut SeededRng, removed: &mut [Node], scratch: &mut Scratch) {
    let c = s.c;
    let pick = rng.below(11);
    scratch.keyed.clear();
    for &v in removed.iter() {
        let key = match pick {
            0..=3 => rng.below(1 << 30) as i64,
            4..=7 => -c.demand[v as usize],
            8..=9 => -c.dist(0, v as usize),
            _ => c.dist(0, v as usize),
        };
        // Re-planning with a change penalty: towns the previous plan did not
        // serve (left out, or new) go first, to take the room the ruin freed.
        let homed = c.change_penalty > 0 && c.home.get(v as usize).is_some_and(|&h| h != NO_HOME);
        let key = if homed { key.saturating_add(1 << 50) } else { key };
        scratch.keyed.push((key, v));
    }
    scratch.keyed.sort_unstable();
    for (slot, &(_, v)) in removed.iter_mut().zip(&scratch.keyed) {
        *slot = v;
    }
}

fn insert(s: &mut Routes<'_, '_>, nbrs: &Neighbours, p: &SearchParams, rng: &mut SeededRng, v: Node, sc: &mut Scratch) {
    let c = s.c;
    let vi = v as usize;
    // Candidate routes: those serving v's nearest towns.
    sc.stamp = sc.stamp.wrapping_add(1);
    if sc.route_seen.len() < s.routes.len() {
        sc.route_seen.resize(s.routes.len() + 16, 0);
    }
    sc.candidates.clear();
    for &w in nbrs.of(vi).iter().take(p.insertion_neighbours) {
        let r = s.route_of[w as usize];
        if r != UNROUTED && sc.route_seen[r as usize] != sc.stamp {
            sc.route_seen[r as usize] = sc.stamp;
            sc.candidates.push(r);
        }
    }
    let (q, svc) = (c.demand[vi], c.service[vi]);
    let mut best: Option<(i64, usize, usize)> = None;
    // Prices inserting v after position t of route r.
    let consider = |r: usize, t: usize, best: &mut Option<(i64, usize, usize)>| {
        let route = &s.routes[r];
        let (a, b) = (route.nodes[t] as usize, route.nodes[t + 1] as usize);
        let dd = c.dist(a, vi) + c.dist(vi, b) - route.arc(t);
        if c.pricing == Pricing::Plain {
            // Distance is the cost and the one limit left (`fits` checked the load).
            if best.is_none_or(|(d, _, _)| dd < d) && route.distance() + dd <= c.limits.max_distance {
                *best = Some((dd, r, t));
            }
            return;
        }
        let ty = &c.types[route.vt as usize];
        let dt = if c.timed {
            c.time_in(ty.profile, a, vi) + c.time_in(ty.profile, vi, b) - route.arc_time(t) + svc
        } else {
            0
        };
        let delta = ty.growth(route.distance(), route.duration(), dd, dt) + s.away_cost_at(vi, r);
        if best.is_some_and(|(d, _, _)| delta >= d) || route.distance() + dd > ty.limits.max_distance {
            return;
        }
        // With pickups the load depends on the position (the peak on board);
        // a summed load was checked by `fits`.
        if c.pickups && !route.load_fits_with_town(c, &ty.limits, t, vi) {
            return;
        }
        // Summed travel and service: exact untimed-window, a lower bound with waiting.
        if c.timed && route.duration() + dt > ty.limits.max_duration {
            return;
        }
        if c.windowed && !s.insertion_on_time(r, t, v) {
            return;
        }
        *best = Some((delta, r, t));
    };
    // Totals alone rule a route out (with pickups, each position is checked too).
    let (q, pq) = (q, c.pickup.get(vi).copied().unwrap_or(0));
    let fits = |r: usize| {
        let route = &s.routes[r];
        if c.pricing == Pricing::Plain {
            // One type, no pickups, no stop limit, every town allowed.
            return route.load() + q <= c.limits.capacity;
        }
        let ty = &c.types[route.vt as usize];
        let cap = ty.limits.capacity;
        let picked = route.pickup_total(c);
        // A route that may reload carries its load trip by trip.
        (ty.max_reloads > 0 || (route.load() + q <= cap && picked + pq <= cap))
            && ty.limits.allows_stops(route.stops() + 1)
            && c.serves(vi, route.vt as usize)
    };
    for &r in &sc.candidates {
        let route = &s.routes[r as usize];
        if route.num_towns() > FULL_SCAN_MAX || !fits(r as usize) {
            continue;
        }
        for t in 0..route.nodes.len() - 1 {
            if !rng.chance(p.blink_rate) {
                consider(r as usize, t, &mut best);
            }
        }
    }
    // Long routes: only the positions beside v's neighbours.
    for &w in nbrs.of(vi).iter().take(p.insertion_neighbours) {
        let r = s.route_of[w as usize];
        if r == UNROUTED {
            continue;
        }
        let route = &s.routes[r as usize];
        if route.num_towns() <= FULL_SCAN_MAX || !fits(r as usize) {
            continue;
        }
        let at = s.pos[w as usize] as usize;
        for t in [at - 1, at] {
            if !rng.chance(p.blink_rate) {
                consider(r as usize, t, &mut best);
            }
        }
    }
    // Multi-trip: a reload next to the town in a route that may reload.
    let mut with_reload: Option<(i64, usize, usize, [Node; 2])> = None;
    if c.first_reload < c.num_nodes() {
        best_reload_insertion(
            s,
            v,
            &sc.candidates,
            best.map(|b| b.0),
            &mut sc.reloads,
            &mut with_reload,
        );
    }
    // A new route costs its vehicle too: with a large fixed cost this is
    // what keeps the fleet small.
    // (A single-profile cluster: no counts, no pool; a fleet cluster has penalties.)
    let single = c.types.len() == 1 && c.penalty.is_empty();
    let alone = if single {
        Some((c.dist(0, vi) + c.dist(vi, 0) + c.fixed_cost, 0))
    } else {
        // A new route is no town's home (re-planning).
        cheapest_alone(s, vi).map(|(cost, vt)| (cost + s.away_cost_at(vi, usize::MAX), vt))
    };
    // An optional town whose cheapest place costs more than its prize stays
    // out (a required town's penalty is above any route cost).
    let cheapest = best
        .map(|b| b.0)
        .into_iter()
        .chain(alone.map(|a| a.0))
        .chain(with_reload.map(|w| w.0))
        .min();
    if c.is_optional(vi) && cheapest.is_none_or(|x| x >= c.penalty[vi]) {
        // Alone it is not worth a vehicle; with the unrouted optional towns
        // around it a new route may be.
        if let Some((_, vt)) = alone
            && open_with_neighbours(s, nbrs, v, vt)
        {
            return;
        }
        s.pool_town(v);
        return;
    }
    if let Some((delta, r, t, pair)) = with_reload
        && best.is_none_or(|b| delta < b.0)
        && alone.is_none_or(|(cost, _)| delta <= cost)
    {
        let reload = if c.is_reload(pair[0] as usize) {
            pair[0]
        } else {
            pair[1]
        };
        s.take_reload(reload);
        let old = &s.routes[r].nodes;
        let mut nodes = Vec::with_capacity(old.len() + 2);
        nodes.extend_from_slice(&old[..=t]);
        nodes.extend_from_slice(&pair);
        nodes.extend_from_slice(&old[t + 1..]);
        s.set_route(r, nodes);
        return;
    }
    match (best, alone) {
        (Some((delta, r, t)), a) if a.is_none_or(|(cost, _)| delta <= cost) => {
            let old = &s.routes[r].nodes;
            let mut nodes = Vec::with_capacity(old.len() + 1);
            nodes.extend_from_slice(&old[..=t]);
            nodes.push(v);
            nodes.extend_from_slice(&old[t + 1..]);
            s.set_route(r, nodes);
        }
        (_, Some((_, vt))) if single => {
            let r = s.empty_route();
            let (d, e) = (c.types[vt].depot, c.types[vt].end);
            s.set_route(r, vec![d, v, e]);
        }
        (_, Some((_, vt))) => match s.empty_route_of(vt) {
            Some(r) => {
                let (d, e) = (c.types[vt].depot, c.types[vt].end);
                s.set_route(r, vec![d, v, e]);
            }
            None => s.pool_town(v),
        },
        (_, None) => s.pool_town(v),
    }
}

/// The cheapest insertion of town `v` together with a spare reload (just
/// before or just after it) into one of `candidates` whose type may reload
/// once more: (delta, route, position, the two nodes in order). Only
/// candidates cheaper than `bound` are timed.
fn best_reload_insertion(
    s: &Routes<'_, '_>,
    v: Node,
    candidates: &[u32],
    bound: Option<i64>,
    free: &mut Vec<Node>,
    best: &mut Option<(i64, usize, usize, [Node; 2])>,
) {
    let c = s.c;
    let vi = v as usize;
    for &r in candidates {
        let r = r as usize;
        let route = &s.routes[r];
        let vt = route.vt as usize;
        let ty = &c.types[vt];
        if route.reloads() >= ty.max_reloads || !c.serves(vi, vt) || !ty.limits.allows_stops(route.stops() + 1) {
            continue;
        }
        s.free_reloads(vt, free);
        for &reload in free.iter() {
            let ri = reload as usize;
            for t in 0..route.nodes.len() - 1 {
                let (a, b) = (route.nodes[t] as usize, route.nodes[t + 1] as usize);
                for pair in [[reload, v], [v, reload]] {
                    let (x, y) = (pair[0] as usize, pair[1] as usize);
                    let dd = c.dist(a, x) + c.dist(x, y) + c.dist(y, b) - route.arc(t);
                    let dt = if c.timed {
                        let time = |i: usize, j: usize| c.time_in(ty.profile, i, j);
                        time(a, x) + time(x, y) + time(y, b) - route.arc_time(t) + c.service[vi] + c.service[ri]
                    } else {
                        0
                    };
                    let delta = ty.growth(route.distance(), route.duration(), dd, dt) + s.away_cost_at(v as usize, r);
                    let beaten = best.map(|b| b.0).into_iter().chain(bound).any(|b| delta >= b);
                    if beaten || route.distance() + dd > ty.limits.max_distance {
                        continue;
                    }
                    if !route.load_fits_with(c, &ty.limits, t, &pair) {
                        continue;
                    }
                    if c.timed && route.duration() + dt > ty.limits.max_duration {
                        continue;
                    }
                    if !s.insertions_on_time(r, t, &pair) {
                        continue;
                    }
                    *best = Some((delta, r, t, pair));
                }
            }
        }
    }
}

/// Unrouted optional towns among this many nearest of a town may join a
/// route it opens.
const OPEN_NEIGHBOURS: usize = 16;

/// Opens a route of type `vt` for optional town `v` together with unrouted
/// optional towns near it, each put at its cheapest feasible position if
/// that costs less than its prize, when the route then costs less than the
/// prizes it collects (a route worth opening, though no town alone is);
/// returns whether it did.
fn open_with_neighbours(s: &mut Routes<'_, '_>, nbrs: &Neighbours, v: Node, vt: usize) -> bool {
    let c = s.c;
    let ty = &c.types[vt];
    let (d, e) = c.ends_of(vt);
    let mut route: Vec<usize> = vec![v as usize];
    let mut prizes = c.penalty[v as usize];
    let mut trial = Vec::with_capacity(OPEN_NEIGHBOURS + 1);
    let cost_of = |r: &[usize]| -> Option<i64> {
        let dist = c.route_distance_from((d, e), r);
        let times = c.route_times_of(vt, r.iter().copied());
        let ok = c.load_fits(&ty.limits, r)
            && ty.limits.allows_stops(r.len() as i64)
            && dist <= ty.limits.max_distance
            && times.on_time
            && times.duration() <= ty.limits.max_duration
            && r.iter().all(|&x| c.serves(x, vt));
        let summed = if c.timed { c.summed_duration(vt, r) } else { 0 };
        ok.then(|| ty.cost(dist, summed, true))
    };
    let Some(mut cost) = cost_of(&route) else {
        return false;
    };
    for &w in nbrs.of(v as usize).iter().take(OPEN_NEIGHBOURS) {
        let wi = w as usize;
        if s.route_of[wi] != UNROUTED || !c.is_optional(wi) {
            continue;
        }
        let mut best: Option<(i64, usize)> = None;
        for at in 0..=route.len() {
            trial.clear();
            trial.extend_from_slice(&route[..at]);
            trial.push(wi);
            trial.extend_from_slice(&route[at..]);
            if let Some(x) = cost_of(&trial)
                && x - cost < c.penalty[wi]
                && best.is_none_or(|(b, _)| x < b)
            {
                best = Some((x, at));
            }
        }
        if let Some((x, at)) = best {
            route.insert(at, wi);
            cost = x;
            prizes += c.penalty[wi];
        }
    }
    if route.len() < 2 || cost >= prizes {
        return false;
    }
    let Some(k) = s.empty_route_of(vt) else {
        return false;
    };
    // Towns taken from the pool leave it (the others are still to insert).
    for &w in &route[1..] {
        if let Some(i) = s.pool.iter().position(|&x| x as usize == w) {
            s.pool.swap_remove(i);
            s.cost -= c.penalty[w];
        }
    }
    let mut nodes = Vec::with_capacity(route.len() + 2);
    nodes.push(d as Node);
    nodes.extend(route.iter().map(|&x| x as Node));
    nodes.push(e as Node);
    s.set_route(k, nodes);
    true
}

/// The vehicle type with a vehicle left whose route serving `v` alone is
/// feasible and cheapest (cost, type).
fn cheapest_alone(s: &Routes<'_, '_>, v: usize) -> Option<(i64, usize)> {
    let c = s.c;
    let mut best: Option<(i64, usize)> = None;
    for (k, ty) in c.types.iter().enumerate() {
        if !s.has_vehicle(k)
            || !c.serves(v, k)
            || !c.load_fits(&ty.limits, &[v])
        {
            continue;
        }
        let (d, e) = c.ends_of(k);
        let dist = c.dist(d, v).saturating_add(c.dist(v, e));
        if dist > ty.limits.max_distance || crate::distance::is_unreachable(dist) {
            continue;
        }
        let time = if c.timed { c.summed_duration(k, &[v]) } else { 0 };
        if c.timed {
            let times = c.route_times_of(k, [v]);
            if !times.on_time || times.duration() > ty.limits.max_duration {
                continue;
            }
        }
        let cost = ty.cost(dist, time, true);
        if best.is_none_or(|(b, _)| cost < b) {
            best = Some((cost, k));
        }
    }
    best
}
