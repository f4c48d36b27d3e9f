//! Relocate: move the string of 1..=`max_len` towns starting at `u` next to
//! `v` — right after `v` (walked forwards, so `v → u`) or right before it
//! (walked backwards, so `u → v`) — into `v`'s route or elsewhere in `u`'s
//! own route (or-opt).

use super::{Operator, consider_estimated, place};
use crate::solver::search::routes::{Move, Node, Routes, Seg};

/// String relocation (1..=`max_len` towns, either orientation).
pub struct Relocate {
    /// Longest string moved, in towns.
    pub max_len: usize,
}

impl Operator for Relocate {
    fn name(&self) -> &'static str {
        "relocate"
    }

    fn best_move(&self, s: &Routes<'_, '_>, u: Node, v: Node) -> Option<Move> {
        let (a, i) = place(s, u);
        let (b, j) = place(s, v);
        let na = s.routes[a].nodes.len();
        let nb = s.routes[b].nodes.len();
        let mut best = None;
        let (ra, rb) = (&s.routes[a], &s.routes[b]);
        for k in 1..=self.max_len {
            let e = i + k - 1;
            if e > na - 2 {
                break;
            }
            // Taking the string out of route a saves this much.
            let (first, last) = (ra.nodes[i], ra.nodes[e]);
            let (prev, next) = (ra.nodes[i - 1], ra.nodes[e + 1]);
            let saved = ra.arc(i - 1) + s.inner(a, i, e, false) + ra.arc(e) - s.d(prev, next);
            // Insert after position `after` of route b: after v, or before v.
            for after in [j, j - 1] {
                if a == b && after + 1 >= i && after <= e {
                    continue;
                }
                let (x, y) = (rb.nodes[after], rb.nodes[after + 1]);
                // Granular: the string must touch v with u — after v it
                // starts with u, before v it ends with u (walked reversed).
                let rev = after + 1 == j && k > 1;
                let (head, tail) = if rev { (last, first) } else { (first, last) };
                let added = s.d(x, head) + s.inner(a, i, e, rev) + s.d(tail, y) - rb.arc(after);
                let estimate = added - saved;
                let seg = Seg::oriented(a, i, e, rev);
                if a != b {
                    let pa = [Seg::fwd(a, 0, i - 1), Seg::fwd(a, e + 1, na - 1)];
                    let pb = [Seg::fwd(b, 0, after), seg, Seg::fwd(b, after + 1, nb - 1)];
                    consider_estimated(s, &mut best, estimate, a, &pa, Some((b, &pb)));
                } else if after + 1 < i {
                    let pa = [
                        Seg::fwd(a, 0, after),
                        seg,
                        Seg::fwd(a, after + 1, i - 1),
                        Seg::fwd(a, e + 1, na - 1),
                    ];
                    consider_estimated(s, &mut best, estimate, a, &pa, None);
                } else {
                    let pa = [
                        Seg::fwd(a, 0, i - 1),
                        Seg::fwd(a, e + 1, after),
                        seg,
                        Seg::fwd(a, after + 1, na - 1),
                    ];
                    consider_estimated(s, &mut best, estimate, a, &pa, None);
                }
            }
        }
        best
    }
}
