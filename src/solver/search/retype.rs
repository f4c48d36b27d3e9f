//! Retype: give a whole route to another vehicle type — another size,
//! cost structure or depot — when that type has a vehicle left, may serve
//! every town on it, keeps the limits, and costs less. The segment pricing
//! prices the route under the new type (depot arcs included), so a retype
//! is O(types) for untimed routes.

use super::routes::{Routes, Seg, UNROUTED};

/// Best improving retype of route `k`: (new type, cost change).
fn best_retype(s: &Routes<'_, '_>, k: usize) -> Option<(usize, i64)> {
    let r = &s.routes[k];
    if r.num_towns() == 0 {
        return None;
    }
    let whole = [Seg::fwd(k, 0, r.nodes.len() - 1)];
    // The change penalty stays with the route whatever its type.
    let current = s.route_cost(k) - s.away_cost(k);
    let mut best: Option<(usize, i64)> = None;
    for t in 0..s.c.types.len() {
        if t == r.vt as usize || !s.has_vehicle(t) {
            continue;
        }
        if let Some(delta) = s.retype_delta(t, &whole, current)
            && delta < best.map_or(0, |(_, d)| d)
        {
            best = Some((t, delta));
        }
    }
    best
}

/// Retypes route `k` if some type serves it for less; returns whether it did.
fn retype(s: &mut Routes<'_, '_>, k: usize) -> bool {
    let Some((t, _)) = best_retype(s, k) else {
        return false;
    };
    let (d, e) = (s.c.types[t].depot, s.c.types[t].end);
    let mut nodes = s.routes[k].nodes.clone();
    let last = nodes.len() - 1;
    (nodes[0], nodes[last]) = (d, e);
    s.set_typed_route(k, t, nodes);
    true
}

/// Tries a retype of every used route.
pub(crate) fn retype_all(s: &mut Routes<'_, '_>) {
    for k in 0..s.routes.len() {
        retype(s, k);
    }
}

/// Tries a retype of the routes that now hold one of `towns`.
pub(crate) fn retype_routes_of(s: &mut Routes<'_, '_>, towns: &[u32]) {
    let mut seen: Vec<u32> = Vec::new();
    for &v in towns {
        let r = s.route_of[v as usize];
        if r != UNROUTED && !seen.contains(&r) {
            seen.push(r);
            retype(s, r as usize);
        }
    }
}
