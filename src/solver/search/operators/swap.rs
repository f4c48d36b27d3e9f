//! Swap: exchange a string of 1–2 towns starting at `u` with a string of
//! 1–2 towns of another route that starts at `v` or right after it (so `u`
//! lands next to `v`), i.e. the (1,1), (2,1), (1,2) and (2,2) swaps.

use super::{Operator, consider_estimated, place};
use crate::solver::search::routes::{Move, Node, Routes, Seg};

/// Inter-route string swap, strings of up to two towns, kept in orientation.
pub struct Swap;

impl Operator for Swap {
    fn name(&self) -> &'static str {
        "swap"
    }

    fn best_move(&self, s: &Routes<'_, '_>, u: Node, v: Node) -> Option<Move> {
        let mut best = None;
        exchange(s, u, v, |la, lb| la <= 2 && lb <= 2, false, &mut best);
        best
    }
}

/// Prices exchanges of the string at `u` (length `la`) with the string at
/// `v` or after `v` (length `lb`) for every length pair `lengths` admits
/// (lengths up to 3). With `reverse`, each inserted string takes the cheaper
/// orientation in its new route.
pub(crate) fn exchange(
    s: &Routes<'_, '_>,
    u: Node,
    v: Node,
    lengths: impl Fn(usize, usize) -> bool,
    reverse: bool,
    best: &mut Option<Move>,
) {
    let (a, i) = place(s, u);
    let (b, j0) = place(s, v);
    if a == b {
        return;
    }
    let (ra, rb) = (&s.routes[a], &s.routes[b]);
    let (na, nb) = (ra.nodes.len(), rb.nodes.len());
    for j in [j0, j0 + 1] {
        for la in 1..=3 {
            let ea = i + la - 1;
            if ea > na - 2 {
                break;
            }
            // Route a keeps prev_a … next_a around the slot of its string.
            let (pa_node, xa_node) = (ra.nodes[i - 1], ra.nodes[ea + 1]);
            let out_a = ra.arc(i - 1) + s.inner(a, i, ea, false) + ra.arc(ea);
            for lb in 1..=3 {
                let eb = j + lb - 1;
                if eb > nb - 2 {
                    break;
                }
                if !lengths(la, lb) {
                    continue;
                }
                let (pb_node, xb_node) = (rb.nodes[j - 1], rb.nodes[eb + 1]);
                let out_b = rb.arc(j - 1) + s.inner(b, j, eb, false) + rb.arc(eb);
                // Cost of walking string (r, f..=e) between x and y, in the
                // cheaper orientation when reversal is allowed.
                let slot = |r: usize, f: usize, e: usize, x: Node, y: Node| -> (i64, bool) {
                    let nodes = &s.routes[r].nodes;
                    let fwd = s.d(x, nodes[f]) + s.inner(r, f, e, false) + s.d(nodes[e], y);
                    if reverse && e > f {
                        let bwd = s.d(x, nodes[e]) + s.inner(r, f, e, true) + s.d(nodes[f], y);
                        if bwd < fwd {
                            return (bwd, true);
                        }
                    }
                    (fwd, false)
                };
                let (in_a, rev_b) = slot(b, j, eb, pa_node, xa_node);
                let (in_b, rev_a) = slot(a, i, ea, pb_node, xb_node);
                let estimate = in_a + in_b - out_a - out_b;
                let pa = [
                    Seg::fwd(a, 0, i - 1),
                    Seg::oriented(b, j, eb, rev_b),
                    Seg::fwd(a, ea + 1, na - 1),
                ];
                let pb = [
                    Seg::fwd(b, 0, j - 1),
                    Seg::oriented(a, i, ea, rev_a),
                    Seg::fwd(b, eb + 1, nb - 1),
                ];
                consider_estimated(s, best, estimate, a, &pa, Some((b, &pb)));
            }
        }
    }
}
