//! Local-search descent restricted to a work list of nodes: only the towns a
//! ruin-and-recreate step touched (and the ends of every arc a move changes)
//! are examined, so one descent costs in proportion to the change, not to the
//! size of the instance.

use super::operators::Operator;
use super::routes::{Move, Node, Routes, UNROUTED};
use crate::solver::neighbours::Neighbours;
use std::collections::VecDeque;

/// A reusable descent: operators, work list and scratch buffers.
pub struct Descent {
    ops: Vec<Box<dyn Operator>>,
    /// How many of each node's neighbours generate moves.
    granularity: usize,
    queue: VecDeque<Node>,
    queued: Vec<bool>,
    scratch: [Vec<Node>; 2],
    touched: Vec<Node>,
    /// Moves applied since creation.
    pub moves: u64,
}

impl Descent {
    /// A descent over `num_nodes` nodes with these operators, each node
    /// paired with its `granularity` nearest towns.
    pub fn new(num_nodes: usize, ops: Vec<Box<dyn Operator>>, granularity: usize) -> Descent {
        Descent {
            ops,
            granularity,
            queue: VecDeque::new(),
            queued: vec![false; num_nodes],
            scratch: [Vec::new(), Vec::new()],
            touched: Vec::new(),
            moves: 0,
        }
    }

    /// Queues a node for examination.
    #[inline]
    pub fn push(&mut self, v: Node) {
        if v != 0 && !self.queued[v as usize] {
            self.queued[v as usize] = true;
            self.queue.push_back(v);
        }
    }

    /// Queues every routed town.
    pub fn push_all(&mut self, s: &Routes<'_, '_>) {
        for r in &s.routes {
            for &v in &r.nodes[1..r.nodes.len() - 1] {
                self.push(v);
            }
        }
    }

    /// Improves `s` until no queued node has an improving move; returns the
    /// number of moves applied.
    pub fn run(&mut self, s: &mut Routes<'_, '_>, nbrs: &Neighbours) -> u64 {
        let start = self.moves;
        while let Some(u) = self.queue.pop_front() {
            self.queued[u as usize] = false;
            if s.route_of[u as usize] == UNROUTED {
                continue;
            }
            if let Some(m) = self.best_for(s, nbrs, u) {
                self.touched.clear();
                let before = s.cost;
                s.apply(&m, &mut self.scratch, &mut self.touched);
                debug_assert_eq!(s.cost - before, m.delta, "move priced wrong: {:?}", m.plans());
                self.moves += 1;
                let touched = std::mem::take(&mut self.touched);
                for &v in &touched {
                    self.push(v);
                }
                self.touched = touched;
                self.push(u);
            }
        }
        self.moves - start
    }

    /// First neighbour of `u` with an improving move (the best move over all
    /// operators for that pair).
    fn best_for(&self, s: &Routes<'_, '_>, nbrs: &Neighbours, u: Node) -> Option<Move> {
        for &v in nbrs.of(u as usize).iter().take(self.granularity) {
            if s.route_of[v as usize] == UNROUTED {
                continue;
            }
            let mut best: Option<Move> = None;
            for op in &self.ops {
                if let Some(m) = op.best_move(s, u, v)
                    && best.as_ref().is_none_or(|b| m.delta < b.delta)
                {
                    best = Some(m);
                }
            }
            if best.is_some() {
                return best;
            }
        }
        None
    }
}
