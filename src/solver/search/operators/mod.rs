//! Local-search operators. Each one prices, for a granular pair `(u, v)`
//! (`v` among `u`'s nearest towns), the moves that bring `u` next to `v`,
//! and returns the best improving feasible one. Moves are built from
//! segments of the current routes (see [`super::routes`]), so every
//! evaluation is O(1) whatever the route lengths.

mod cross;
mod relocate;
mod swap;
mod two_opt;
mod two_opt_star;

pub use cross::CrossExchange;
pub use relocate::Relocate;
pub use swap::Swap;
pub use two_opt::TwoOpt;
pub use two_opt_star::TwoOptStar;

use super::routes::{Move, Node, Routes, Seg};

/// A neighbourhood of the local search.
pub trait Operator: Send + Sync {
    /// Short name for benches and logs.
    fn name(&self) -> &'static str;
    /// The best improving feasible move around the pair `(u, v)`, if any.
    /// Both nodes are routed and distinct.
    fn best_move(&self, s: &Routes<'_, '_>, u: Node, v: Node) -> Option<Move>;
}

/// The operators by name, so a configuration can pick a set (in JSON by
/// the names the CLI's `--operators` takes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OperatorKind {
    /// `Relocate` of strings of 1–3 towns.
    Relocate,
    /// `Swap` (1,1), (2,1), (1,2), (2,2).
    Swap,
    /// `TwoOptStar`.
    #[serde(rename = "2-opt*")]
    TwoOptStar,
    /// `TwoOpt`.
    #[serde(rename = "2-opt")]
    TwoOpt,
    /// `CrossExchange` of strings of up to 3 towns.
    Cross,
}

impl OperatorKind {
    /// Every operator.
    pub const ALL: [OperatorKind; 5] = [
        OperatorKind::Relocate,
        OperatorKind::Swap,
        OperatorKind::TwoOptStar,
        OperatorKind::TwoOpt,
        OperatorKind::Cross,
    ];

    /// The default set: all but cross-exchange, which costs as much as the
    /// other four together per pair and did not pay for itself in the
    /// measurements recorded in the guide (`docs/src/benchmarks/quality.md`).
    pub const DEFAULT: [OperatorKind; 4] = [
        OperatorKind::Relocate,
        OperatorKind::Swap,
        OperatorKind::TwoOptStar,
        OperatorKind::TwoOpt,
    ];

    /// The operator itself.
    pub fn build(self) -> Box<dyn Operator> {
        match self {
            OperatorKind::Relocate => Box::new(Relocate { max_len: 3 }),
            OperatorKind::Swap => Box::new(Swap),
            OperatorKind::TwoOptStar => Box::new(TwoOptStar),
            OperatorKind::TwoOpt => Box::new(TwoOpt),
            OperatorKind::Cross => Box::new(CrossExchange { max_len: 3 }),
        }
    }
}

/// Every operator, cheapest first.
#[cfg(any(test, feature = "internals"))]
pub fn all_operators() -> Vec<Box<dyn Operator>> {
    OperatorKind::ALL.iter().map(|k| k.build()).collect()
}

/// Keeps the better of `best` and the move replacing route `a` by `pa` (and
/// route `b` by `pb`), if that move improves on `best` and is feasible. The
/// distance is checked first because it rejects most candidates.
#[inline]
pub fn consider(s: &Routes<'_, '_>, best: &mut Option<Move>, a: usize, pa: &[Seg], b: Option<(usize, &[Seg])>) {
    let bound = best.as_ref().map_or(0, |m| m.delta);
    if s.distance_delta(a, pa, b) >= bound {
        return;
    }
    if let Some(m) = s.evaluate(a, pa, b) {
        *best = Some(m);
    }
}

/// [`consider`] kept out of [`consider_estimated`], so the estimate's hot
/// path stays small enough to inline into the operators.
#[inline(never)]
fn consider_out_of_line(
    s: &Routes<'_, '_>,
    best: &mut Option<Move>,
    a: usize,
    pa: &[Seg],
    b: Option<(usize, &[Seg])>,
) {
    consider(s, best, a, pa, b);
}

/// Like [`consider`], for operators that price the distance change
/// themselves from the few arcs it touches (`estimate`): only a candidate
/// that looks better than `best` is priced in full, and the full price
/// decides. Always inlined: it runs for every candidate of the busiest
/// operators.
#[inline(always)]
pub fn consider_estimated(
    s: &Routes<'_, '_>,
    best: &mut Option<Move>,
    estimate: i64,
    a: usize,
    pa: &[Seg],
    b: Option<(usize, &[Seg])>,
) {
    if !s.c.uniform {
        // Weights or depots differ between routes: the operator's distance
        // estimate is not the objective; the segment price is.
        return consider_out_of_line(s, best, a, pa, b);
    }
    let bound = best.as_ref().map_or(0, |m| m.delta);
    // Emptying or opening a route changes the fixed costs too.
    let estimate = estimate + s.fixed_delta(a, pa, b);
    if estimate >= bound {
        return;
    }
    if let Some(m) = s.evaluate(a, pa, b)
        && m.delta < bound
    {
        debug_assert_eq!(
            m.delta, estimate,
            "operator's own pricing disagrees with the segment pricing"
        );
        *best = Some(m);
    }
}

/// Route index and padded position of a routed node.
#[inline]
pub fn place(s: &Routes<'_, '_>, v: Node) -> (usize, usize) {
    (s.route_of[v as usize] as usize, s.pos[v as usize] as usize)
}
