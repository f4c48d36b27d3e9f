//! Ruin by adjacent string removal (SISR, Christiaens & Vanden Berghe 2020):
//! pick a random town, then walk its nearest towns and cut from each route
//! met a string of consecutive towns (sometimes with a kept block inside —
//! the "split string"), until enough routes are cut.

use super::SearchParams;
use super::routes::{Node, Routes, UNROUTED};
use crate::rng::SeededRng;
use crate::solver::neighbours::Neighbours;

/// Removes strings around a random seed town. Removed towns go to `removed`;
/// the towns left beside each cut go to `gaps`.
pub(crate) fn ruin(
    s: &mut Routes<'_, '_>,
    nbrs: &Neighbours,
    p: &SearchParams,
    rng: &mut SeededRng,
    removed: &mut Vec<Node>,
    gaps: &mut Vec<Node>,
) {
    let (towns, used) = s
        .routes
        .iter()
        .filter(|r| r.num_towns() > 0)
        .fold((0usize, 0usize), |(t, u), r| (t + r.num_towns(), u + 1));
    if towns == 0 {
        return;
    }
    let avg_len = towns as f64 / used as f64;
    let ls_max = p.max_string.min(avg_len);
    let ks_max = 4.0 * p.avg_removed / (1.0 + ls_max) - 1.0;
    let ks = (1.0 + rng.unit() * ks_max).floor().max(1.0) as usize;

    let seed = random_routed(s, rng);
    let mut ruined: Vec<u32> = Vec::with_capacity(ks);
    for c in std::iter::once(seed).chain(nbrs.of(seed as usize).iter().copied()) {
        if ruined.len() >= ks {
            break;
        }
        let t = s.route_of[c as usize];
        if t == UNROUTED || ruined.contains(&t) {
            continue;
        }
        let len = s.routes[t as usize].num_towns();
        let lt_max = (len as f64).min(ls_max);
        let lt = ((1.0 + rng.unit() * lt_max).floor() as usize).clamp(1, len);
        if lt >= 2 && lt < len && rng.chance(p.split_rate) {
            remove_split_string(s, t as usize, c, lt, p.split_depth, rng, removed, gaps);
        } else {
            remove_string(s, t as usize, c, lt, rng, removed, gaps);
        }
        ruined.push(t);
    }
}

/// A uniformly random town on some route.
fn random_routed(s: &Routes<'_, '_>, rng: &mut SeededRng) -> Node {
    loop {
        let v = 1 + rng.below(s.route_of.len() - 1);
        if s.route_of[v] != UNROUTED {
            return v as Node;
        }
    }
}

/// Start of a window of `w` towns of a route of `len` towns that contains
/// padded position `p`, uniformly among such windows.
fn window_start(p: usize, w: usize, len: usize, rng: &mut SeededRng) -> usize {
    let lo = (p + 1).saturating_sub(w).max(1);
    let hi = p.min(len + 1 - w);
    lo + rng.below(hi - lo + 1)
}

fn remove_string(
    s: &mut Routes<'_, '_>,
    t: usize,
    c: Node,
    l: usize,
    rng: &mut SeededRng,
    removed: &mut Vec<Node>,
    gaps: &mut Vec<Node>,
) {
    let r = &s.routes[t];
    let start = window_start(s.pos[c as usize] as usize, l, r.num_towns(), rng);
    let mut nodes = Vec::with_capacity(r.nodes.len() - l);
    nodes.extend_from_slice(&r.nodes[..start]);
    // Reloads stay where they are: without one, two trips would merge and
    // could overload the van (taking towns out never does).
    let c = s.c;
    nodes.extend(r.nodes[start..start + l].iter().filter(|&&v| c.is_reload(v as usize)));
    nodes.extend_from_slice(&r.nodes[start + l..]);
    removed.extend(r.nodes[start..start + l].iter().filter(|&&v| !c.is_reload(v as usize)));
    gaps.push(r.nodes[start - 1]);
    gaps.push(r.nodes[start + l]);
    for &v in &r.nodes[start..start + l] {
        if !c.is_reload(v as usize) {
            s.route_of[v as usize] = UNROUTED;
        }
    }
    s.set_route(t, nodes);
}

#[allow(clippy::too_many_arguments)]
fn remove_split_string(
    s: &mut Routes<'_, '_>,
    t: usize,
    c: Node,
    l: usize,
    depth: f64,
    rng: &mut SeededRng,
    removed: &mut Vec<Node>,
    gaps: &mut Vec<Node>,
) {
    let r = &s.routes[t];
    let len = r.num_towns();
    // Kept block of m towns: m grows while a coin with P(stop) = depth says go on.
    let mut m = 1;
    while m < len - l && !rng.chance(depth) {
        m += 1;
    }
    let w = l + m;
    let start = window_start(s.pos[c as usize] as usize, w, len, rng);
    let keep_at = start + rng.below(l + 1);
    let c = s.c;
    let mut nodes = Vec::with_capacity(r.nodes.len() - l);
    nodes.extend_from_slice(&r.nodes[..start]);
    // The kept block, and reloads wherever they were (see `remove_string`).
    for (k, &v) in r.nodes[start..start + w].iter().enumerate() {
        let kept = (keep_at..keep_at + m).contains(&(start + k));
        if kept || c.is_reload(v as usize) {
            nodes.push(v);
        } else {
            removed.push(v);
            s.route_of[v as usize] = UNROUTED;
        }
    }
    nodes.extend_from_slice(&r.nodes[start + w..]);
    gaps.extend_from_slice(&[
        r.nodes[start - 1],
        r.nodes[keep_at],
        r.nodes[keep_at + m - 1],
        r.nodes[start + w],
    ]);
    s.set_route(t, nodes);
}
