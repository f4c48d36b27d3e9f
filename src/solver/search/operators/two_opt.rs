//! 2-opt inside one route: reverse the stretch between `u` and `v` so that
//! they become adjacent.

use super::{Operator, consider, place};
use crate::solver::search::routes::{Move, Node, Routes, Seg};

/// Intra-route segment reversal.
pub struct TwoOpt;

impl Operator for TwoOpt {
    fn name(&self) -> &'static str {
        "2-opt"
    }

    fn best_move(&self, s: &Routes<'_, '_>, u: Node, v: Node) -> Option<Move> {
        let (a, i) = place(s, u);
        let (b, j) = place(s, v);
        if a != b {
            return None;
        }
        let (i, j) = (i.min(j), i.max(j));
        let n = s.routes[a].nodes.len();
        let mut best = None;
        // Reverse (i, j]: arcs (i, j) and (i+1, j+1).
        let p = [Seg::fwd(a, 0, i), Seg::rev(a, i + 1, j), Seg::fwd(a, j + 1, n - 1)];
        consider(s, &mut best, a, &p, None);
        // Reverse [i, j): arcs (i-1, j-1) and (i, j).
        let p = [Seg::fwd(a, 0, i - 1), Seg::rev(a, i, j - 1), Seg::fwd(a, j, n - 1)];
        consider(s, &mut best, a, &p, None);
        best
    }
}
