//! 2-opt*: exchange the tails of two routes so that `u` and `v` become
//! adjacent, either keeping both routes' directions or (the "split" variant)
//! joining head to head and tail to tail with one part reversed.

use super::{Operator, consider, place};
use crate::solver::search::routes::{Move, Node, Routes, Seg};

/// Inter-route tail exchange.
pub struct TwoOptStar;

impl Operator for TwoOptStar {
    fn name(&self) -> &'static str {
        "2-opt*"
    }

    fn best_move(&self, s: &Routes<'_, '_>, u: Node, v: Node) -> Option<Move> {
        let (a, i) = place(s, u);
        let (b, j) = place(s, v);
        if a == b {
            return None;
        }
        let na = s.routes[a].nodes.len();
        let nb = s.routes[b].nodes.len();
        let mut best = None;
        // u → v: a's head up to u, then v and b's tail.
        let pa = [Seg::fwd(a, 0, i), Seg::fwd(b, j, nb - 1)];
        let pb = [Seg::fwd(b, 0, j - 1), Seg::fwd(a, i + 1, na - 1)];
        consider(s, &mut best, a, &pa, Some((b, &pb)));
        // v → u: b's head up to v, then u and a's tail.
        let pa = [Seg::fwd(a, 0, i - 1), Seg::fwd(b, j + 1, nb - 1)];
        let pb = [Seg::fwd(b, 0, j), Seg::fwd(a, i, na - 1)];
        consider(s, &mut best, a, &pa, Some((b, &pb)));
        // Split: a's head to u, then b's head walked back from v; a's tail
        // walked back from its end, then b's tail.
        let pa = [Seg::fwd(a, 0, i), Seg::rev(b, 0, j)];
        let pb = [Seg::rev(a, i + 1, na - 1), Seg::fwd(b, j + 1, nb - 1)];
        consider(s, &mut best, a, &pa, Some((b, &pb)));
        best
    }
}
