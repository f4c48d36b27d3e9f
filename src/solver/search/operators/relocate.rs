//! Relocate: move the string of 1..=`max_len` towns starting at `u` next to
//! `v` (right after it or right before it), forwards or reversed, into
//! `v`'s route or elsewhere in `u`'s own route (or-opt).

use super::{Operator, consider, place};
use crate::solver::search::routes::{Move, Node, Routes, Seg};

/// String relocation (1..=`max_len` towns, both orientations).
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
        for k in 1..=self.max_len {
            let e = i + k - 1;
            if e > na - 2 {
                break;
            }
            // Insert after position `after` of route b: after v, or before v.
            for after in [j, j - 1] {
                for rev in [false, true] {
                    if rev && k == 1 {
                        continue;
                    }
                    let seg = Seg::oriented(a, i, e, rev);
                    if a != b {
                        let pa = [Seg::fwd(a, 0, i - 1), Seg::fwd(a, e + 1, na - 1)];
                        let pb = [Seg::fwd(b, 0, after), seg, Seg::fwd(b, after + 1, nb - 1)];
                        consider(s, &mut best, a, &pa, Some((b, &pb)));
                    } else if after + 1 < i {
                        let pa = [
                            Seg::fwd(a, 0, after),
                            seg,
                            Seg::fwd(a, after + 1, i - 1),
                            Seg::fwd(a, e + 1, na - 1),
                        ];
                        consider(s, &mut best, a, &pa, None);
                    } else if after > e {
                        let pa = [
                            Seg::fwd(a, 0, i - 1),
                            Seg::fwd(a, e + 1, after),
                            seg,
                            Seg::fwd(a, after + 1, na - 1),
                        ];
                        consider(s, &mut best, a, &pa, None);
                    }
                }
            }
        }
        best
    }
}
