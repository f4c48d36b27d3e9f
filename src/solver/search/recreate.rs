//! Recreate by greedy insertion with blinks (SISR): removed towns, in one of
//! four orders, each go to the cheapest feasible position among the routes
//! that serve its nearest towns, skipping each position with a small
//! probability; a town with no feasible position opens a new route — of the
//! vehicle type whose route alone is cheapest among those with a vehicle
//! left — and a town no route and no vehicle can take goes to the pool.

use super::SearchParams;
use super::routes::{Node, Routes, UNROUTED};
use crate::rng::SeededRng;
use crate::solver::neighbours::Neighbours;

/// Routes up to this many towns are scanned at every position; longer ones
/// only beside the inserted town's neighbours (O(k) instead of O(length),
/// which matters on routes of 100+ stops).
const FULL_SCAN_MAX: usize = 40;

/// Reusable buffers for [`recreate`].
#[derive(Default)]
pub(crate) struct Scratch {
    keyed: Vec<(i64, Node)>,
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
        insert(s, nbrs, p, rng, c, scratch);
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
        let ty = &c.types[route.vt as usize];
        let (a, b) = (route.nodes[t] as usize, route.nodes[t + 1] as usize);
        let dd = c.dist(a, vi) + c.dist(vi, b) - route.arc(t);
        let dt = if c.timed {
            c.time(a, vi) + c.time(vi, b) - route.arc_time(t) + svc
        } else {
            0
        };
        let delta = ty.per_distance * dd + ty.per_second * dt;
        if best.is_some_and(|(d, _, _)| delta >= d) || route.distance() + dd > ty.limits.max_distance {
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
    let fits = |r: usize| {
        let route = &s.routes[r];
        route.load() + q <= c.types[route.vt as usize].limits.capacity && c.serves(vi, route.vt as usize)
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
    // A new route costs its vehicle too: with a large fixed cost this is
    // what keeps the fleet small.
    let alone = if c.types.len() == 1 {
        Some((c.dist(0, vi) + c.dist(vi, 0) + c.fixed_cost, 0))
    } else {
        cheapest_alone(s, vi)
    };
    match (best, alone) {
        (Some((delta, r, t)), a) if a.is_none_or(|(cost, _)| delta <= cost) => {
            let old = &s.routes[r].nodes;
            let mut nodes = Vec::with_capacity(old.len() + 1);
            nodes.extend_from_slice(&old[..=t]);
            nodes.push(v);
            nodes.extend_from_slice(&old[t + 1..]);
            s.set_route(r, nodes);
        }
        (_, Some((_, vt))) if c.types.len() == 1 => {
            let r = s.empty_route();
            let d = c.types[vt].depot;
            s.set_route(r, vec![d, v, d]);
        }
        (_, Some((_, vt))) => match s.empty_route_of(vt) {
            Some(r) => {
                let d = c.types[vt].depot;
                s.set_route(r, vec![d, v, d]);
            }
            None => s.to_pool(v),
        },
        (_, None) => s.to_pool(v),
    }
}

/// The vehicle type with a vehicle left whose route serving `v` alone is
/// feasible and cheapest (cost, type).
fn cheapest_alone(s: &Routes<'_, '_>, v: usize) -> Option<(i64, usize)> {
    let c = s.c;
    let mut best: Option<(i64, usize)> = None;
    for (k, ty) in c.types.iter().enumerate() {
        if !s.has_vehicle(k) || !c.serves(v, k) || c.demand[v] > ty.limits.capacity {
            continue;
        }
        let d = ty.depot as usize;
        let dist = c.dist(d, v).saturating_add(c.dist(v, d));
        if dist > ty.limits.max_distance || crate::distance::is_unreachable(dist) {
            continue;
        }
        let time = if c.timed { c.summed_duration(d, &[v]) } else { 0 };
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
