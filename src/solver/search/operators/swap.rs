//! Swap: exchange a string of 1–2 towns starting at `u` with a string of
//! 1–2 towns of another route that starts at `v` or right after it (so `u`
//! lands next to `v`), i.e. the (1,1), (2,1), (1,2) and (2,2) swaps.

use super::{Operator, consider, place};
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
    let na = s.routes[a].nodes.len();
    let nb = s.routes[b].nodes.len();
    for j in [j0, j0 + 1] {
        for la in 1..=3 {
            let ea = i + la - 1;
            if ea > na - 2 {
                break;
            }
            for lb in 1..=3 {
                let eb = j + lb - 1;
                if eb > nb - 2 {
                    break;
                }
                if !lengths(la, lb) {
                    continue;
                }
                let mut sa = Seg::fwd(a, i, ea);
                let mut sb = Seg::fwd(b, j, eb);
                if reverse {
                    // Each side's distance depends only on the string it receives.
                    let pa = [Seg::fwd(a, 0, i - 1), sb, Seg::fwd(a, ea + 1, na - 1)];
                    let mut pa_rev = pa;
                    pa_rev[1].rev = true;
                    if lb > 1 && s.distance_delta(a, &pa_rev, None) < s.distance_delta(a, &pa, None) {
                        sb.rev = true;
                    }
                    let pb = [Seg::fwd(b, 0, j - 1), sa, Seg::fwd(b, eb + 1, nb - 1)];
                    let mut pb_rev = pb;
                    pb_rev[1].rev = true;
                    if la > 1 && s.distance_delta(b, &pb_rev, None) < s.distance_delta(b, &pb, None) {
                        sa.rev = true;
                    }
                }
                let pa = [Seg::fwd(a, 0, i - 1), sb, Seg::fwd(a, ea + 1, na - 1)];
                let pb = [Seg::fwd(b, 0, j - 1), sa, Seg::fwd(b, eb + 1, nb - 1)];
                consider(s, best, a, &pa, Some((b, &pb)));
            }
        }
    }
}
