//! Or-opt: move a segment of 1–3 consecutive towns elsewhere in the same
//! route, possibly reversed. Insertion points are generated next to the
//! neighbours of the segment's end towns.

use super::{ABSENT, RouteState};
use crate::solver::neighbours::Neighbours;

/// Longest segment moved.
const MAX_SEGMENT: usize = 3;

/// Applies the first improving feasible or-opt move; false if none.
pub(super) fn apply_first(s: &mut RouteState<'_, '_>, nbrs: &Neighbours, pos: &[u32]) -> bool {
    let len = s.len();
    let c = s.c;
    for seg in 1..=MAX_SEGMENT.min(len - 1) {
        for a in 1..=len + 1 - seg {
            let e = a + seg - 1; // segment p[a..=e]
            let p = &s.p;
            let (prev, next) = (p[a - 1], p[e + 1]);
            let inner_d = [s.fd[e] - s.fd[a], s.bd[e] - s.bd[a]];
            let inner_t = [s.ft[e] - s.ft[a], s.bt[e] - s.bt[a]];
            let rm_d = c.dist(prev, p[a]) + inner_d[0] + c.dist(p[e], next) - c.dist(prev, next);
            let rm_t = c.time(prev, p[a]) + inner_t[0] + c.time(p[e], next) - c.time(prev, next);
            for &end in &[p[a], p[e]] {
                for &v in nbrs.of(end) {
                    let pv = pos[v as usize];
                    if pv == ABSENT || (a..=e).contains(&(pv as usize)) {
                        continue;
                    }
                    let pv = pv as usize;
                    // Insert between p[k] and p[k+1], for k = pv (after v) and pv − 1 (before v).
                    for k in [pv, pv - 1] {
                        if (a - 1..=e).contains(&k) {
                            continue;
                        }
                        let (x, y) = (p[k], p[k + 1]);
                        for rev in [0usize, 1] {
                            let (h, t) = if rev == 0 { (p[a], p[e]) } else { (p[e], p[a]) };
                            let dd = c.dist(x, h) + inner_d[rev] + c.dist(t, y) - c.dist(x, y) - rm_d;
                            let dt = c.time(x, h) + inner_t[rev] + c.time(t, y) - c.time(x, y) - rm_t;
                            if s.accepts(dd, dt) {
                                apply(s, a, e, k, rev == 1);
                                return true;
                            }
                        }
                    }
                }
            }
        }
    }
    false
}

/// Moves p[a..=e] to sit between p[k] and p[k+1] (k outside a−1..=e).
fn apply(s: &mut RouteState<'_, '_>, a: usize, e: usize, k: usize, reversed: bool) {
    let mut seg: Vec<usize> = s.p[a..=e].to_vec();
    if reversed {
        seg.reverse();
    }
    let mut out = Vec::with_capacity(s.p.len());
    for (i, &v) in s.p.iter().enumerate() {
        if (a..=e).contains(&i) {
            continue;
        }
        out.push(v);
        if i == k {
            out.extend_from_slice(&seg);
        }
    }
    s.p = out;
}
