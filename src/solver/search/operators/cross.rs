//! CROSS-exchange (Taillard et al. 1997): swap strings of up to `max_len`
//! towns between two routes, each inserted in its cheaper orientation. The
//! short, unreversed cases are left to [`super::Swap`].

use super::Operator;
use super::swap::exchange;
use crate::solver::search::routes::{Move, Node, Routes};

/// Inter-route string exchange with reversal, strings of up to `max_len`
/// (at most 3) towns.
pub struct CrossExchange {
    /// Longest string moved, in towns.
    pub max_len: usize,
}

impl Operator for CrossExchange {
    fn name(&self) -> &'static str {
        "cross"
    }

    fn best_move(&self, s: &Routes<'_, '_>, u: Node, v: Node) -> Option<Move> {
        let mut best = None;
        let max = self.max_len.min(3);
        exchange(
            s,
            u,
            v,
            |la, lb| la <= max && lb <= max && (la > 1 || lb > 1),
            true,
            &mut best,
        );
        best
    }
}
