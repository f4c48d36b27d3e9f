//! Contraction hierarchy over the road graph: exact many-to-many road
//! distances and times for province-scale networks.
//!
//! # Why not `fast_paths`
//! The issue suggested the `fast_paths` crate. Its 1.0.0 release keeps the
//! hierarchy's edge arrays (`edges_fwd`, `first_edge_ids_fwd`, …) private
//! to the crate, so no bucket many-to-many query and no second metric can be
//! built on top of it, and its single `usize` weight cannot hold the
//! `(time, distance)` order of the dense oracle without overflow on large
//! graphs. The hierarchy is therefore built here (Geisberger et al. 2008).
//!
//! # Weight and ties
//! Every arc carries `(time ms, length m)`, compared lexicographically: the
//! weight the dense [`RoadOracle`](super::RoadOracle) minimises (fastest
//! path, the shortest among equally fast ones). A shortcut carries the sums
//! of both metrics of the two arcs it replaces, so a table gives time *and*
//! distance without unpacking paths. Since the order is the same, every
//! answer equals the dense oracle's, bit for bit: two different optimal
//! paths have the same `(time, length)` by definition, so ties cannot make
//! the figures differ. Sums saturate instead of overflowing.
//!
//! # Preparation
//! Nodes are contracted in rounds. Each round takes an independent set:
//! every uncontracted node whose priority (twice the shortcuts added minus
//! the arcs removed, plus contracted neighbours and hierarchy depth; ties
//! by a hash of the id) is the lowest within two arcs. These are contracted
//! in parallel with rayon: their witness searches read the same graph, and
//! the shortcuts are applied afterwards in node order. A shortcut `u → w`
//! past `v` is skipped only when a witness search from `u` avoiding *every*
//! node of the round finds a path no worse than `u → v → w` (a witness
//! through another node contracted in the same round would lose its
//! middle); the search is bounded ([`WITNESS_SETTLE_LIMIT`] settled nodes),
//! which may add needless shortcuts but never drops a needed one.
//! Priorities of the neighbours of contracted nodes are simulated again (in
//! parallel) when they have at most 10 arcs; busier ones keep a stale
//! priority that is checked when they are chosen (lazy update: a chosen
//! node whose contraction turns out costlier is put back). Everything is
//! decided from per-node computations and applied in a fixed order, so the
//! hierarchy is the same for any thread count (tested).
//!
//! Inside the hierarchy nodes are renumbered by rank, so upward searches
//! walk towards the end of the arc arrays and share its hot top.
//!
//! # Queries
//! * [`RoadCh::query`]: both upward searches (with stall-on-demand), the
//!   best meeting node.
//! * [`RoadCh::pairs`]: many single pairs, one forward search per distinct
//!   source and one backward search per pair (the sparse oracle's
//!   `resolve_exact` with a hierarchy attached).
//! * [`RoadCh::many_to_many`]: the bucket algorithm of Knopp et al. (2007):
//!   an upward backward search from each target leaves `(target, cost)` in a
//!   bucket at every node it settles; an upward forward search from each
//!   source scans the buckets of the nodes it settles. Buckets are flat
//!   arrays by node. When both parts of every cost stay below 2³¹ (24 days,
//!   2.1 million km) searches and buckets use one `u64` per cost (time in the
//!   high half), whose order is the lexicographic one; otherwise the same
//!   code runs on `(u64, u64)` pairs. Parallel over targets and sources with
//!   rayon; the result does not depend on the thread count.
//!
//! # Measured
//! See `benches/road_ch.rs` and the guide (`docs/src/benchmarks/road-distances.md`,
//! section on the contraction hierarchy) for preparation and table times on a
//! synthetic grid and the North-Bayreuth extract, with the commands that
//! reproduce them.
//!
//! [`ChRoadOracle`] puts the snapping and access legs of the dense oracle
//! (same code) around it.

use super::road::{Csr, MAX_ROAD_LOCATIONS, NONE, Snap, check_inputs, seconds_of_ms, snap_all, with_access};
use super::{TravelOracle, UNREACHABLE};
use crate::error::{Error, Result};
use crate::model::{Location, RoadNetwork};
use rayon::prelude::*;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::Mutex;

/// `(time ms, length m)`, ordered lexicographically.
type Cost = (u64, u64);

/// Label of an unreached node.
const INF: Cost = (u64::MAX, u64::MAX);

fn add(a: Cost, b: Cost) -> Cost {
    (a.0.saturating_add(b.0), a.1.saturating_add(b.1))
}

/// Most nodes a witness search settles when contracting a node.
pub const WITNESS_SETTLE_LIMIT: usize = 100;

/// Most nodes a witness search settles when estimating a priority.
const PRIORITY_SETTLE_LIMIT: usize = 15;

/// Neighbours of a contracted node up to this degree (arcs in + out) get
/// their priority simulated again; busier ones are checked when chosen.
const NEIGHBOUR_UPDATE_DEGREE: usize = 10;

/// Largest number of junctions a [`RoadCh`] accepts.
pub const MAX_CH_JUNCTIONS: usize = 200_000_000;

/// Largest number of entries (`sources × targets`) of one [`ChTable`]:
/// 8 bytes each, 3.2 GB at this limit.
pub const MAX_TABLE_ENTRIES: usize = 400_000_000;

/// One arc of the hierarchy: to (or, in backward lists, from) `node`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Arc {
    node: u32,
    cost: Cost,
}

/// Adds arc `node` with `cost` to `list`, or lowers the existing one.
fn upsert(list: &mut Vec<Arc>, node: u32, cost: Cost) {
    match list.iter_mut().find(|a| a.node == node) {
        Some(a) => {
            if cost < a.cost {
                a.cost = cost;
            }
        }
        None => list.push(Arc { node, cost }),
    }
}

/// Both parts of a cost below this fit a packed key (see [`pack`]).
const PACK_LIMIT: u64 = 1 << 31;

/// `(time, length)` as one `u64`, time in the high half, when both parts
/// are below [`PACK_LIMIT`]: the sum of two packed keys then has no carry
/// between the halves and is the packed sum, and `u64` order is the
/// lexicographic order. `None` for larger costs (handled unpacked).
fn pack(c: Cost) -> Option<u64> {
    (c.0 < PACK_LIMIT && c.1 < PACK_LIMIT).then_some((c.0 << 32) | c.1)
}

/// Inverse of [`pack`], also for sums of two packed keys.
fn unpack(k: u64) -> Cost {
    (k >> 32, k & 0xffff_ffff)
}

/// Mixes a node id into a tie-break key (splitmix64 finaliser: a bijection,
/// so distinct nodes never tie).
fn mix(v: u32) -> u64 {
    let mut z = u64::from(v).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A contraction hierarchy of a [`RoadNetwork`] (see the module docs).
///
/// Inside, nodes are numbered by contraction rank (node `r` is the junction
/// contracted `r`-th): upward searches walk towards the end of the arrays,
/// and all searches share the few, contiguous, cache-hot top nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoadCh {
    /// Rank of each junction.
    rank: Vec<u32>,
    /// Upward arcs `r → s` (`s > r`, both ranks), by `r`.
    fwd_start: Vec<usize>,
    fwd: Vec<Arc>,
    /// Upward arcs `s → r` (`s > r`), stored at `r` with `node = s`.
    bwd_start: Vec<usize>,
    bwd: Vec<Arc>,
    num_arcs: usize,
}

/// Dijkstra labels with a touched list, reused across searches.
struct Labels {
    dist: Vec<Cost>,
    touched: Vec<u32>,
    heap: BinaryHeap<Reverse<(Cost, u32)>>,
}

impl Labels {
    fn new(n: usize) -> Self {
        Labels {
            dist: vec![INF; n],
            touched: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    fn reset(&mut self) {
        for &v in &self.touched {
            self.dist[v as usize] = INF;
        }
        self.touched.clear();
        self.heap.clear();
    }

    fn set(&mut self, v: u32, c: Cost) {
        if self.dist[v as usize] == INF {
            self.touched.push(v);
        }
        self.dist[v as usize] = c;
    }
}

/// Per-thread scratch, made on first use and kept across parallel rounds
/// (labels over a million nodes are too big to allocate per task). Slots
/// are picked by rayon thread index; the lock only guards against two
/// pools sharing an index.
struct Pool<T> {
    slots: Vec<Mutex<Option<T>>>,
}

impl<T> Pool<T> {
    fn new() -> Self {
        Pool {
            slots: (0..rayon::current_num_threads().max(1))
                .map(|_| Mutex::new(None))
                .collect(),
        }
    }

    fn with<R>(&self, make: impl FnOnce() -> T, f: impl FnOnce(&mut T) -> R) -> R {
        let i = rayon::current_thread_index().unwrap_or(0) % self.slots.len();
        let mut slot = self.slots[i].lock().unwrap_or_else(|e| e.into_inner());
        f(slot.get_or_insert_with(make))
    }
}

/// Scratch of witness searches.
struct Witness {
    labels: Labels,
    /// `target_mark[w] == mark`: `w` is a target of the current search.
    target_mark: Vec<u32>,
    mark: u32,
    shortcuts: Vec<(u32, u32, Cost)>,
}

impl Witness {
    fn new(n: usize) -> Self {
        Witness {
            labels: Labels::new(n),
            target_mark: vec![0; n],
            mark: 0,
            shortcuts: Vec::new(),
        }
    }
}

/// The graph of the preparation: arcs between uncontracted junctions; a
/// contracted junction keeps the lists it had when contracted (its upward
/// arcs).
struct Remaining {
    out: Vec<Vec<Arc>>,
    inn: Vec<Vec<Arc>>,
}

impl Remaining {
    fn neighbours(&self, v: u32) -> impl Iterator<Item = u32> + '_ {
        self.out[v as usize].iter().chain(&self.inn[v as usize]).map(|a| a.node)
    }

    /// Bounded Dijkstra from `source` over the remaining graph, never
    /// entering a junction for which `avoid` holds, stopping past `limit`,
    /// after `max_settled` nodes or once the `targets` marked with
    /// `w.mark` are settled.
    fn witness_search(
        &self,
        w: &mut Witness,
        source: u32,
        avoid: &impl Fn(u32) -> bool,
        limit: Cost,
        max_settled: usize,
        mut targets: usize,
    ) {
        let l = &mut w.labels;
        l.reset();
        l.set(source, (0, 0));
        l.heap.push(Reverse(((0, 0), source)));
        let mut settled = 0;
        while let Some(Reverse((d, u))) = l.heap.pop() {
            if d != l.dist[u as usize] {
                continue;
            }
            if d > limit || settled >= max_settled {
                break;
            }
            settled += 1;
            if w.target_mark[u as usize] == w.mark {
                targets -= 1;
                if targets == 0 {
                    break;
                }
            }
            for a in &self.out[u as usize] {
                if avoid(a.node) {
                    continue;
                }
                let nd = add(d, a.cost);
                if nd < l.dist[a.node as usize] {
                    l.set(a.node, nd);
                    l.heap.push(Reverse((nd, a.node)));
                }
            }
        }
    }

    /// Fills `w.shortcuts` with the shortcuts contracting `v` needs: `u → x`
    /// past `v` unless a witness path avoiding `v` and every junction for
    /// which `avoid` holds is no worse.
    fn shortcuts(&self, v: u32, avoid: &impl Fn(u32) -> bool, max_settled: usize, w: &mut Witness) {
        w.shortcuts.clear();
        let (ins, outs) = (&self.inn[v as usize], &self.out[v as usize]);
        w.mark = w.mark.wrapping_add(1);
        if w.mark == 0 {
            w.target_mark.fill(0);
            w.mark = 1;
        }
        for b in outs {
            w.target_mark[b.node as usize] = w.mark;
        }
        let skip = |x: u32| x == v || avoid(x);
        for a in ins {
            let limit = outs
                .iter()
                .filter(|b| b.node != a.node)
                .map(|b| add(a.cost, b.cost))
                .max();
            let Some(limit) = limit else { continue };
            // Every target is settled at most once (the source too, first).
            self.witness_search(w, a.node, &skip, limit, max_settled, outs.len());
            for b in outs {
                if b.node == a.node {
                    continue;
                }
                let need = add(a.cost, b.cost);
                if w.labels.dist[b.node as usize] > need {
                    w.shortcuts.push((a.node, b.node, need));
                }
            }
        }
    }

    /// Arcs of `v` (in + out).
    fn degree(&self, v: u32) -> i64 {
        (self.inn[v as usize].len() + self.out[v as usize].len()) as i64
    }

    /// The part of `v`'s priority its own arcs decide: twice the shortcuts
    /// its contraction would add (estimated with a small witness search)
    /// minus its arcs.
    fn base_priority(&self, v: u32, w: &mut Witness) -> i64 {
        self.shortcuts(v, &|_| false, PRIORITY_SETTLE_LIMIT, w);
        2 * w.shortcuts.len() as i64 - self.degree(v)
    }

    /// True if `v`'s key is below the key of every uncontracted junction
    /// within two arcs (either direction).
    fn is_local_min(&self, v: u32, key: &impl Fn(u32) -> (i64, u64)) -> bool {
        let kv = key(v);
        self.neighbours(v)
            .all(|x| key(x) > kv && self.neighbours(x).all(|y| y == v || key(y) > kv))
    }
}

impl RoadCh {
    /// Builds the hierarchy of `net` over `(time, length)` arc weights.
    ///
    /// Errors: more than [`MAX_CH_JUNCTIONS`] junctions ([`Error::TooLarge`]).
    pub fn new(net: &RoadNetwork) -> Result<Self> {
        let n = net.num_junctions();
        if n > MAX_CH_JUNCTIONS {
            return Err(Error::TooLarge {
                what: "road junctions for a contraction hierarchy",
                value: n as u64,
                limit: MAX_CH_JUNCTIONS as u64,
            });
        }
        let csr = Csr::new(net);
        let mut g = Remaining {
            out: vec![Vec::new(); n],
            inn: vec![Vec::new(); n],
        };
        for tail in 0..n {
            for a in csr.offsets[tail]..csr.offsets[tail + 1] {
                let head = csr.heads[a];
                if head as usize == tail {
                    continue; // a loop never lies on a fastest path
                }
                let cost = (u64::from(csr.time_ms[a]), u64::from(csr.length_m[a]));
                upsert(&mut g.out[tail], head, cost);
                upsert(&mut g.inn[head as usize], tail as u32, cost);
            }
        }
        drop(csr);

        let pool: Pool<Witness> = Pool::new();
        let make = || Witness::new(n);
        // Priority = base (shortcut and arc terms, from the last simulated
        // contraction) + contracted neighbours + depth. `stale` bases were
        // not simulated again after the node's neighbourhood changed.
        let mut base: Vec<i64> = (0..n as u32)
            .into_par_iter()
            .map(|v| pool.with(make, |w| g.base_priority(v, w)))
            .collect();
        let mut stale = vec![false; n];
        let mut deleted = vec![0u32; n];
        let mut level = vec![0u32; n];
        let mut in_set = vec![false; n];
        let mut rank = vec![u32::MAX; n];
        let mut next_rank = 0u32;
        let mut remaining: Vec<u32> = (0..n as u32).collect();
        while !remaining.is_empty() {
            // Independent set: junctions whose priority is the lowest within
            // two arcs (ties by a hash of the id). The lowest remaining one
            // always qualifies, and no two chosen junctions are adjacent.
            let set: Vec<u32> = {
                let key = |x: u32| {
                    let x = x as usize;
                    (base[x] + i64::from(deleted[x]) + i64::from(level[x]), mix(x as u32))
                };
                remaining
                    .par_iter()
                    .copied()
                    .filter(|&v| g.is_local_min(v, &key))
                    .collect()
            };
            for &v in &set {
                in_set[v as usize] = true;
            }
            // Witness paths avoid the whole set: a path through another
            // junction contracted now would lose its middle, so a shortcut
            // may be dropped only for a witness that survives the round.
            let found: Vec<Vec<(u32, u32, Cost)>> = {
                let avoid = |x: u32| in_set[x as usize];
                set.par_iter()
                    .map(|&v| {
                        pool.with(make, |w| {
                            g.shortcuts(v, &avoid, WITNESS_SETTLE_LIMIT, w);
                            w.shortcuts.clone()
                        })
                    })
                    .collect()
            };
            let mut touched: Vec<u32> = Vec::new();
            let mut contracted: Vec<&[(u32, u32, Cost)]> = Vec::with_capacity(set.len());
            for (&v, shortcuts) in set.iter().zip(&found) {
                let vi = v as usize;
                in_set[vi] = false;
                // Lazy update: a node chosen on a stale priority is put
                // back if its contraction turns out costlier than assumed.
                if stale[vi] {
                    stale[vi] = false;
                    let fresh = 2 * shortcuts.len() as i64 - g.degree(v);
                    if fresh > base[vi] {
                        base[vi] = fresh;
                        continue;
                    }
                }
                contracted.push(shortcuts);
                rank[vi] = next_rank;
                next_rank += 1;
                for a in &g.inn[vi] {
                    let x = a.node as usize;
                    g.out[x].retain(|b| b.node != v);
                }
                for b in &g.out[vi] {
                    let x = b.node as usize;
                    g.inn[x].retain(|a| a.node != v);
                }
                let mut nb: Vec<u32> = g.neighbours(v).collect();
                nb.sort_unstable();
                nb.dedup();
                for &x in &nb {
                    deleted[x as usize] += 1;
                    level[x as usize] = level[x as usize].max(level[vi] + 1);
                }
                touched.extend(nb);
            }
            for list in contracted {
                for &(u, x, c) in list {
                    upsert(&mut g.out[u as usize], x, c);
                    upsert(&mut g.inn[x as usize], u, c);
                }
            }
            drop(found);
            touched.sort_unstable();
            touched.dedup();
            // Simulating every busy core node again after each round is
            // what makes preparation slow on grids: above
            // NEIGHBOUR_UPDATE_DEGREE arcs the base is kept (stale) and
            // checked when the node is chosen.
            let (quiet, busy): (Vec<u32>, Vec<u32>) = touched
                .into_iter()
                .partition(|&x| g.degree(x) as usize <= NEIGHBOUR_UPDATE_DEGREE);
            let fresh: Vec<i64> = quiet
                .par_iter()
                .map(|&x| pool.with(make, |w| g.base_priority(x, w)))
                .collect();
            for (&x, p) in quiet.iter().zip(fresh) {
                base[x as usize] = p;
                stale[x as usize] = false;
            }
            for x in busy {
                stale[x as usize] = true;
            }
            remaining.retain(|&v| rank[v as usize] == u32::MAX);
        }
        drop(pool);

        // Renumber by rank: node r is the junction of rank r.
        let mut order = vec![0u32; n];
        for (v, &r) in rank.iter().enumerate() {
            order[r as usize] = v as u32;
        }
        let flatten = |lists: &mut Vec<Vec<Arc>>| {
            let mut start = Vec::with_capacity(n + 1);
            start.push(0);
            let mut arcs = Vec::with_capacity(lists.iter().map(Vec::len).sum());
            for &v in &order {
                let mut l = std::mem::take(&mut lists[v as usize]);
                for a in &mut l {
                    a.node = rank[a.node as usize];
                }
                l.sort_unstable_by_key(|a| a.node);
                arcs.extend(l);
                start.push(arcs.len());
            }
            (start, arcs)
        };
        let (fwd_start, fwd) = flatten(&mut g.out);
        let (bwd_start, bwd) = flatten(&mut g.inn);
        Ok(RoadCh {
            rank,
            num_arcs: fwd.len() + bwd.len(),
            fwd_start,
            fwd,
            bwd_start,
            bwd,
        })
    }

    /// Number of junctions.
    pub fn num_nodes(&self) -> usize {
        self.rank.len()
    }

    /// Number of arcs of the hierarchy (original arcs and shortcuts, upward
    /// forward plus upward backward).
    pub fn num_arcs(&self) -> usize {
        self.num_arcs
    }

    /// Contraction rank of each junction (0 = contracted first).
    pub fn ranks(&self) -> &[u32] {
        &self.rank
    }

    /// Heap bytes held by the hierarchy (from the vectors' capacities).
    pub fn heap_bytes(&self) -> usize {
        self.rank.capacity() * size_of::<u32>()
            + (self.fwd_start.capacity() + self.bwd_start.capacity()) * size_of::<usize>()
            + (self.fwd.capacity() + self.bwd.capacity()) * size_of::<Arc>()
    }

    /// Internal node (rank) of junction `j`, `None` out of range.
    fn node_of(&self, j: u32) -> Option<u32> {
        self.rank.get(j as usize).copied()
    }

    fn arcs(&self, forward: bool, v: usize) -> &[Arc] {
        if forward {
            &self.fwd[self.fwd_start[v]..self.fwd_start[v + 1]]
        } else {
            &self.bwd[self.bwd_start[v]..self.bwd_start[v + 1]]
        }
    }

    /// Upward search from node `source` (forward over upward arcs, or
    /// backward over reversed upward arcs), with stall-on-demand. Pushes
    /// every settled, unstalled node and its cost to `settled`, in settling
    /// order; `l.dist` keeps the label (a path cost) of every reached node.
    fn upward(&self, forward: bool, source: u32, l: &mut Labels, settled: &mut Vec<(u32, Cost)>) {
        l.reset();
        settled.clear();
        l.set(source, (0, 0));
        l.heap.push(Reverse(((0, 0), source)));
        while let Some(Reverse((d, u))) = l.heap.pop() {
            let ui = u as usize;
            if d != l.dist[ui] {
                continue;
            }
            // Stalled: a higher node reaches u more cheaply the other way.
            if self
                .arcs(!forward, ui)
                .iter()
                .any(|a| add(l.dist[a.node as usize], a.cost) < d)
            {
                continue;
            }
            settled.push((u, d));
            for a in self.arcs(forward, ui) {
                let nd = add(d, a.cost);
                if nd < l.dist[a.node as usize] {
                    l.set(a.node, nd);
                    l.heap.push(Reverse((nd, a.node)));
                }
            }
        }
    }

    /// Upward search with labels in a map (for one-off queries).
    fn upward_map(&self, forward: bool, source: u32) -> HashMap<u32, Cost> {
        let mut dist: HashMap<u32, Cost> = HashMap::new();
        let mut done: HashMap<u32, Cost> = HashMap::new();
        let mut heap = BinaryHeap::new();
        dist.insert(source, (0, 0));
        heap.push(Reverse(((0, 0), source)));
        let get = |m: &HashMap<u32, Cost>, v: u32| m.get(&v).copied().unwrap_or(INF);
        while let Some(Reverse((d, u))) = heap.pop() {
            if d != get(&dist, u) || done.contains_key(&u) {
                continue;
            }
            let ui = u as usize;
            if self
                .arcs(!forward, ui)
                .iter()
                .any(|a| add(get(&dist, a.node), a.cost) < d)
            {
                continue;
            }
            done.insert(u, d);
            for a in self.arcs(forward, ui) {
                let nd = add(d, a.cost);
                if nd < get(&dist, a.node) {
                    dist.insert(a.node, nd);
                    heap.push(Reverse((nd, a.node)));
                }
            }
        }
        done
    }

    /// Fastest path (then shortest among equally fast) from junction
    /// `source` to junction `target`: `(time ms, length m)`, or `None` when
    /// unreachable or out of range.
    pub fn query(&self, source: u32, target: u32) -> Option<(u64, u64)> {
        let (s, t) = (self.node_of(source)?, self.node_of(target)?);
        let f = self.upward_map(true, s);
        let b = self.upward_map(false, t);
        let (small, large) = if f.len() <= b.len() { (&f, &b) } else { (&b, &f) };
        small
            .iter()
            .filter_map(|(v, c)| large.get(v).map(|c2| add(*c, *c2)))
            .min()
            .filter(|c| *c != INF)
    }

    /// Many single pairs of junctions at once: `(time ms, length m)` of
    /// each, `None` when unreachable or out of range. One forward upward
    /// search per distinct source (pairs grouped by source), one backward
    /// search per pair, in parallel over sources; cheaper than a table when
    /// the pairs are few per source.
    pub fn pairs(&self, pairs: &[(u32, u32)]) -> Vec<Option<(u64, u64)>> {
        let n = self.num_nodes();
        let mut order: Vec<usize> = (0..pairs.len()).collect();
        order.sort_unstable_by_key(|&i| pairs[i]);
        let groups: Vec<&[usize]> = order.chunk_by(|&x, &y| pairs[x].0 == pairs[y].0).collect();
        let pool: Pool<PairScratch> = Pool::new();
        let make = || (Labels::new(n), Labels::new(n), Vec::new());
        let solved: Vec<Vec<(usize, Option<Cost>)>> = groups
            .par_iter()
            .map(|g| {
                pool.with(make, |(fl, bl, settled)| {
                    let Some(s) = self.node_of(pairs[g[0]].0) else {
                        return g.iter().map(|&i| (i, None)).collect();
                    };
                    self.upward(true, s, fl, settled);
                    g.iter()
                        .map(|&i| {
                            let Some(t) = self.node_of(pairs[i].1) else {
                                return (i, None);
                            };
                            self.upward(false, t, bl, settled);
                            let best = settled
                                .iter()
                                .map(|&(v, c)| add(fl.dist[v as usize], c))
                                .min()
                                .filter(|c| *c != INF);
                            (i, best)
                        })
                        .collect()
                })
            })
            .collect();
        let mut out = vec![None; pairs.len()];
        for (i, c) in solved.into_iter().flatten() {
            out[i] = c;
        }
        out
    }

    /// Junction-to-junction table: `(time ms, length m)` from every source
    /// to every target, row-major (`None` = unreachable). Out-of-range
    /// junctions are unreachable.
    pub fn many_to_many(&self, sources: &[u32], targets: &[u32]) -> Vec<Option<(u64, u64)>> {
        let mut out = vec![None; sources.len() * targets.len()];
        self.many_to_many_into(sources, targets, &mut out, |_, _, c| c);
        out
    }

    /// The bucket query behind [`RoadCh::many_to_many`]: entry `(i, j)`,
    /// `write(i, j, cost)`, goes to `out[i * targets.len() + j]` (`out`
    /// must hold exactly `sources.len() * targets.len()` entries).
    ///
    /// Buckets are flat arrays by node (target index and cost side by
    /// side); when every backward cost fits [`pack`], costs are one `u64`
    /// each and a source's scan is an add and a compare per entry.
    fn many_to_many_into<T: Send>(
        &self,
        sources: &[u32],
        targets: &[u32],
        out: &mut [T],
        write: impl Fn(usize, usize, Option<(u64, u64)>) -> T + Sync,
    ) {
        let n = self.num_nodes();
        let nt = targets.len();
        if nt == 0 || sources.is_empty() {
            return;
        }
        let pool: Pool<Scratch> = Pool::new();
        let make = || Scratch {
            labels: Labels::new(n),
            settled: Vec::new(),
            plabels: PackedLabels::new(n),
            psettled: Vec::new(),
            packed: Vec::new(),
            wide: Vec::new(),
        };
        // Backward searches from each target, in parallel: packed when
        // every label packs (`Ok`), else unpacked (`Err`).
        type Space = std::result::Result<Vec<(u32, u64)>, Vec<(u32, Cost)>>;
        let spaces: Vec<Space> = targets
            .par_iter()
            .map(|&t| match self.node_of(t) {
                Some(t) => pool.with(make, |s| {
                    if self.upward_packed(false, t, &mut s.plabels, &mut s.psettled) {
                        Ok(s.psettled.clone())
                    } else {
                        self.upward(false, t, &mut s.labels, &mut s.settled);
                        Err(s.settled.clone())
                    }
                }),
                None => Ok(Vec::new()),
            })
            .collect();
        let packed = spaces.iter().all(|s| s.is_ok());
        // Buckets by node, entries in target order.
        let mut start = vec![0usize; n + 1];
        for s in &spaces {
            match s {
                Ok(s) => s.iter().for_each(|&(v, _)| start[v as usize + 1] += 1),
                Err(s) => s.iter().for_each(|&(v, _)| start[v as usize + 1] += 1),
            }
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut fill = start[..n].to_vec();
        let total = start[n];
        let mut bucket_target = vec![0u32; total];
        let (mut bucket_key, mut bucket_wide) = if packed {
            (vec![0u64; total], Vec::new())
        } else {
            (Vec::new(), vec![INF; total])
        };
        for (j, s) in spaces.into_iter().enumerate() {
            let entries: Box<dyn Iterator<Item = (u32, std::result::Result<u64, Cost>)>> = match s {
                Ok(s) => Box::new(s.into_iter().map(|(v, k)| (v, Ok(k)))),
                Err(s) => Box::new(s.into_iter().map(|(v, c)| (v, Err(c)))),
            };
            for (v, c) in entries {
                let e = fill[v as usize];
                fill[v as usize] += 1;
                bucket_target[e] = j as u32;
                match c {
                    Ok(k) if packed => bucket_key[e] = k,
                    Ok(k) => bucket_wide[e] = unpack(k),
                    Err(c) => bucket_wide[e] = c,
                }
            }
        }
        drop(fill);
        let bucket_cost = |e: usize| if packed { unpack(bucket_key[e]) } else { bucket_wide[e] };
        out.par_chunks_mut(nt)
            .zip(sources.par_iter().enumerate())
            .for_each(|(chunk, (i, &s))| {
                pool.with(make, |sc| {
                    let Some(s) = self.node_of(s) else {
                        for (j, slot) in chunk.iter_mut().enumerate() {
                            *slot = write(i, j, None);
                        }
                        return;
                    };
                    if packed && self.upward_packed(true, s, &mut sc.plabels, &mut sc.psettled) {
                        let row = &mut sc.packed;
                        row.clear();
                        row.resize(nt, u64::MAX);
                        for &(v, k) in &sc.psettled {
                            let r = start[v as usize]..start[v as usize + 1];
                            for (&j, &k2) in bucket_target[r.clone()].iter().zip(&bucket_key[r]) {
                                let slot = &mut row[j as usize];
                                *slot = (*slot).min(k + k2);
                            }
                        }
                        for (j, (slot, &k)) in chunk.iter_mut().zip(row.iter()).enumerate() {
                            *slot = write(i, j, (k != u64::MAX).then(|| unpack(k)));
                        }
                    } else {
                        self.upward(true, s, &mut sc.labels, &mut sc.settled);
                        let row = &mut sc.wide;
                        row.clear();
                        row.resize(nt, INF);
                        for &(v, c) in &sc.settled {
                            for e in start[v as usize]..start[v as usize + 1] {
                                let slot = &mut row[bucket_target[e] as usize];
                                *slot = (*slot).min(add(c, bucket_cost(e)));
                            }
                        }
                        for (j, (slot, &c)) in chunk.iter_mut().zip(row.iter()).enumerate() {
                            *slot = write(i, j, (c != INF).then_some(c));
                        }
                    }
                })
            });
    }

    /// [`RoadCh::upward`] over packed costs ([`pack`]): half the label
    /// memory and a one-word heap key. Returns `false`, with `settled`
    /// incomplete, as soon as an arc or a label does not pack; the caller
    /// then runs [`RoadCh::upward`].
    fn upward_packed(&self, forward: bool, source: u32, l: &mut PackedLabels, settled: &mut Vec<(u32, u64)>) -> bool {
        l.reset();
        settled.clear();
        l.dist[source as usize] = 0;
        l.touched.push(source);
        l.heap.push(Reverse((0, source)));
        while let Some(Reverse((d, u))) = l.heap.pop() {
            let ui = u as usize;
            if d != l.dist[ui] {
                continue;
            }
            // Stalled: a higher node reaches u more cheaply the other way
            // (an arc that does not pack just stalls nothing).
            if self.arcs(!forward, ui).iter().any(|a| {
                let dv = l.dist[a.node as usize];
                dv != u64::MAX && pack(a.cost).is_some_and(|k| dv + k < d)
            }) {
                continue;
            }
            settled.push((u, d));
            for a in self.arcs(forward, ui) {
                let Some(k) = pack(a.cost) else { return false };
                let nd = d + k;
                if pack(unpack(nd)).is_none() {
                    return false;
                }
                let slot = &mut l.dist[a.node as usize];
                if nd < *slot {
                    if *slot == u64::MAX {
                        l.touched.push(a.node);
                    }
                    *slot = nd;
                    l.heap.push(Reverse((nd, a.node)));
                }
            }
        }
        true
    }
}

/// Labels of [`RoadCh::upward_packed`] (`u64::MAX` = unreached).
struct PackedLabels {
    dist: Vec<u64>,
    touched: Vec<u32>,
    heap: BinaryHeap<Reverse<(u64, u32)>>,
}

impl PackedLabels {
    fn new(n: usize) -> Self {
        PackedLabels {
            dist: vec![u64::MAX; n],
            touched: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    fn reset(&mut self) {
        for &v in &self.touched {
            self.dist[v as usize] = u64::MAX;
        }
        self.touched.clear();
        self.heap.clear();
    }
}

/// Per-thread scratch of [`RoadCh::pairs`]: forward labels, backward
/// labels, settled nodes.
type PairScratch = (Labels, Labels, Vec<(u32, Cost)>);

/// Per-thread scratch of [`RoadCh::many_to_many_into`].
struct Scratch {
    labels: Labels,
    settled: Vec<(u32, Cost)>,
    plabels: PackedLabels,
    psettled: Vec<(u32, u64)>,
    packed: Vec<u64>,
    wide: Vec<Cost>,
}
/// A location-to-location table of road distances and times (see
/// [`ChRoadOracle::table`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChTable {
    rows: usize,
    cols: usize,
    /// Row-major `(metres, ms)`, [`NONE`] = unreachable.
    cells: Vec<(u32, u32)>,
}

impl ChTable {
    /// Number of sources (rows).
    pub fn num_sources(&self) -> usize {
        self.rows
    }

    /// Number of targets (columns).
    pub fn num_targets(&self) -> usize {
        self.cols
    }

    /// Distance in metres from source row `i` to target column `j`, or
    /// [`UNREACHABLE`] (also for out-of-range indices).
    pub fn distance(&self, i: usize, j: usize) -> i64 {
        Self::value(self.cell(i, j).0)
    }

    /// Travel time in milliseconds from row `i` to column `j`, or [`UNREACHABLE`].
    pub fn duration_ms(&self, i: usize, j: usize) -> i64 {
        Self::value(self.cell(i, j).1)
    }

    fn cell(&self, i: usize, j: usize) -> (u32, u32) {
        if i >= self.rows || j >= self.cols {
            return (NONE, NONE);
        }
        self.cells[i * self.cols + j]
    }

    fn value(x: u32) -> i64 {
        match x {
            NONE => UNREACHABLE,
            x => i64::from(x),
        }
    }

    /// Heap bytes of the table (8 per entry).
    pub fn heap_bytes(&self) -> usize {
        self.cells.capacity() * size_of::<(u32, u32)>()
    }
}

/// Road oracle over a contraction hierarchy: exact for every pair, the
/// same figures as the dense [`RoadOracle`](super::RoadOracle) (same
/// snapping and access legs, same path order).
///
/// Up to [`MAX_ROAD_LOCATIONS`] locations the whole `n × n` table is
/// computed up front with the bucket many-to-many query (`8 n²` bytes);
/// above that, each answer is a point query on the hierarchy (exact, but
/// far slower per call: fine for [`ChRoadOracle::table`] on subsets, not
/// for a solver's inner loop).
#[derive(Debug, Clone)]
pub struct ChRoadOracle {
    n: usize,
    snaps: Vec<Snap>,
    ch: RoadCh,
    full: Option<ChTable>,
    symmetric: bool,
}

impl ChRoadOracle {
    /// Snaps `locations` to `net` like the dense oracle, builds the
    /// hierarchy and, up to [`MAX_ROAD_LOCATIONS`] locations, the full table.
    ///
    /// Errors: as [`RoadOracle::new`](super::RoadOracle::new) for the
    /// inputs (except the location limit), [`Error::TooLarge`] above
    /// [`MAX_CH_JUNCTIONS`] junctions.
    pub fn new(net: &RoadNetwork, locations: &[Location]) -> Result<Self> {
        let points = check_inputs(net, locations)?;
        let ch = RoadCh::new(net)?;
        Ok(Self::with_hierarchy(net, &points, ch))
    }

    /// Like [`ChRoadOracle::new`] with a hierarchy already built for `net`
    /// (it must be [`RoadCh::new`] of this same network).
    pub fn with_ch(net: &RoadNetwork, locations: &[Location], ch: RoadCh) -> Result<Self> {
        let points = check_inputs(net, locations)?;
        if ch.num_nodes() != net.num_junctions() {
            return Err(Error::InvalidProblem(format!(
                "the contraction hierarchy has {} junctions, the road network {}",
                ch.num_nodes(),
                net.num_junctions()
            )));
        }
        Ok(Self::with_hierarchy(net, &points, ch))
    }

    fn with_hierarchy(net: &RoadNetwork, points: &[(f64, f64)], ch: RoadCh) -> Self {
        let snaps = snap_all(net, points, &net.largest_strong_component());
        let n = snaps.len();
        let mut o = ChRoadOracle {
            n,
            snaps,
            ch,
            full: None,
            symmetric: false,
        };
        if n <= MAX_ROAD_LOCATIONS {
            let all: Vec<usize> = (0..n).collect();
            let t = o.compute_table(&all, &all);
            o.symmetric = (0..n).all(|i| (i + 1..n).all(|j| t.cells[i * n + j] == t.cells[j * n + i]));
            o.full = Some(t);
        }
        o
    }

    /// The hierarchy.
    pub fn hierarchy(&self) -> &RoadCh {
        &self.ch
    }

    /// Distances and times from each of `sources` to each of `targets`
    /// (location indices), by one many-to-many query.
    ///
    /// Errors: an index out of range ([`Error::InvalidProblem`]), more than
    /// [`MAX_TABLE_ENTRIES`] entries ([`Error::TooLarge`]).
    pub fn table(&self, sources: &[usize], targets: &[usize]) -> Result<ChTable> {
        if let Some(&bad) = sources.iter().chain(targets).find(|&&x| x >= self.n) {
            return Err(Error::InvalidProblem(format!(
                "location {bad} is out of range ({} locations)",
                self.n
            )));
        }
        let entries = sources.len().saturating_mul(targets.len());
        if entries > MAX_TABLE_ENTRIES {
            return Err(Error::TooLarge {
                what: "entries of a road table",
                value: entries as u64,
                limit: MAX_TABLE_ENTRIES as u64,
            });
        }
        Ok(self.compute_table(sources, targets))
    }

    fn compute_table(&self, sources: &[usize], targets: &[usize]) -> ChTable {
        let node = |locs: &[usize]| locs.iter().map(|&l| self.snaps[l].node).collect::<Vec<u32>>();
        let (rows, cols) = (sources.len(), targets.len());
        let mut cells = vec![(NONE, NONE); rows * cols];
        self.ch
            .many_to_many_into(&node(sources), &node(targets), &mut cells, |i, j, c| {
                let (a, b) = (sources[i], targets[j]);
                match c {
                    _ if a == b => (0, 0),
                    Some((t, d)) => with_access(t, d, self.snaps[a].distance_m + self.snaps[b].distance_m),
                    None => (NONE, NONE),
                }
            });
        ChTable { rows, cols, cells }
    }

    /// `(metres, ms)` of one pair, [`NONE`] when unreachable.
    fn pair(&self, a: usize, b: usize) -> (u32, u32) {
        if a == b {
            return (0, 0);
        }
        if let Some(t) = &self.full {
            return t.cells[a * self.n + b];
        }
        match self.ch.query(self.snaps[a].node, self.snaps[b].node) {
            Some((t, d)) => with_access(t, d, self.snaps[a].distance_m + self.snaps[b].distance_m),
            None => (NONE, NONE),
        }
    }

    /// Travel time from `a` to `b` in milliseconds, or [`UNREACHABLE`].
    pub fn duration_ms(&self, a: usize, b: usize) -> i64 {
        match self.pair(a, b).1 {
            NONE => UNREACHABLE,
            t => i64::from(t),
        }
    }
}

impl TravelOracle for ChRoadOracle {
    fn num_locations(&self) -> usize {
        self.n
    }
    fn distance(&self, a: usize, b: usize) -> i64 {
        match self.pair(a, b).0 {
            NONE => UNREACHABLE,
            d => i64::from(d),
        }
    }
    /// Seconds, rounded from the stored milliseconds (`seconds_of_ms`).
    fn duration(&self, a: usize, b: usize) -> Option<i64> {
        Some(seconds_of_ms(self.pair(a, b).1))
    }
    /// Computed over the full table; `false` when there is none (above
    /// [`MAX_ROAD_LOCATIONS`] locations).
    fn is_symmetric(&self) -> bool {
        self.symmetric
    }
    fn snaps(&self) -> Option<&[Snap]> {
        Some(&self.snaps)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::distance::RoadOracle;
    use crate::model::RoadClass;

    fn at(lon: f64) -> Location {
        Location::Geo { lon, lat: 50.0 }
    }

    /// Junctions 1..=4 on a row along latitude 50, 0.01° apart.
    fn net() -> Result<RoadNetwork> {
        let mut net = RoadNetwork::new();
        for (id, lon) in [(1, 11.00), (2, 11.01), (3, 11.02), (4, 11.03)] {
            net.add_junction(id, lon, 50.0)?;
        }
        Ok(net)
    }

    #[test]
    fn equal_times_resolve_to_the_shorter_path_like_dense() -> Result<()> {
        let mut n = net()?;
        n.add_segment(1, 4, 2000.0, RoadClass::Track, None, false)?;
        // 1 -> 2 -> 4 and 1 -> 3 -> 4: both 360 s, 3600 m and 3000 m.
        n.add_segment(1, 2, 1800.0, RoadClass::Other, Some(36.0), false)?;
        n.add_segment(2, 4, 1800.0, RoadClass::Other, Some(36.0), false)?;
        n.add_segment(1, 3, 1500.0, RoadClass::Other, Some(30.0), false)?;
        n.add_segment(3, 4, 1500.0, RoadClass::Other, Some(30.0), false)?;
        let locs = [at(11.00), at(11.03), at(11.01)];
        let ch = ChRoadOracle::new(&n, &locs)?;
        let dense = RoadOracle::new(&n, &locs)?;
        assert_eq!(ch.distance(0, 1), 3000);
        assert_eq!(ch.duration_ms(0, 1), 360_000);
        for a in 0..3 {
            for b in 0..3 {
                assert_eq!(ch.distance(a, b), dense.distance(a, b));
                assert_eq!(ch.duration(a, b), dense.duration(a, b));
            }
        }
        // Junction queries: 1 -> 4 is (360 s, 3000 m).
        assert_eq!(ch.hierarchy().query(0, 3), Some((360_000, 3000)));
        assert_eq!(ch.hierarchy().query(2, 2), Some((0, 0)));
        Ok(())
    }

    #[test]
    fn one_way_traps_and_islands_are_unreachable() -> Result<()> {
        let mut n = net()?;
        n.add_segment(1, 2, 1000.0, RoadClass::Other, None, false)?;
        n.add_segment(3, 2, 1000.0, RoadClass::Other, None, true)?;
        let ch = RoadCh::new(&n)?;
        assert_eq!(ch.num_nodes(), 4);
        assert!(ch.query(2, 0).is_some());
        assert_eq!(ch.query(0, 2), None);
        assert_eq!(ch.query(0, 3), None);
        assert_eq!(ch.query(3, 0), None);
        let t = ch.many_to_many(&[0, 2, 3], &[0, 2, 3]);
        assert_eq!(t[1], None); // 1 -> 3
        assert!(t[3].is_some()); // 3 -> 1
        assert_eq!(t[8], Some((0, 0))); // 4 -> 4
        assert!(ch.heap_bytes() > 0);
        assert_eq!(ch.ranks().len(), 4);
        Ok(())
    }

    #[test]
    fn parallel_arcs_keep_the_best_and_loops_are_dropped() {
        let mut l = Vec::new();
        upsert(&mut l, 3, (10, 5));
        upsert(&mut l, 3, (10, 4));
        upsert(&mut l, 3, (11, 0));
        upsert(&mut l, 2, (1, 1));
        assert_eq!(l, vec![Arc { node: 3, cost: (10, 4) }, Arc { node: 2, cost: (1, 1) }]);
        assert_eq!(add((u64::MAX, 1), (1, u64::MAX)), (u64::MAX, u64::MAX));
    }

    #[test]
    fn empty_inputs() -> Result<()> {
        let empty = RoadNetwork::new();
        let ch = RoadCh::new(&empty)?;
        assert_eq!(ch.num_nodes(), 0);
        assert_eq!(ch.query(0, 0), None);
        assert!(ch.many_to_many(&[], &[]).is_empty());
        assert!(matches!(
            ChRoadOracle::new(&empty, &[at(11.0)]),
            Err(Error::InvalidProblem(_))
        ));
        let o = ChRoadOracle::new(&net()?, &[])?;
        assert_eq!(o.num_locations(), 0);
        assert!(o.is_symmetric());
        Ok(())
    }
}
