//! The improvement phase: ruin-and-recreate with a granular local search,
//! under simulated-annealing acceptance, anytime and time- or
//! iteration-limited.
//!
//! Each step cuts strings of towns around a random town (SISR ruin),
//! reinserts them greedily with blinks, then runs a local-search descent
//! (relocate, swap, 2-opt*, 2-opt, cross-exchange) over the towns the step
//! touched. The step is kept if its cost beats the current cost plus a
//! random threshold that shrinks with the temperature; otherwise the routes
//! it touched are restored from a journal, so a rejected step costs as much
//! as the change, not the instance.
//!
//! Parallel and reproducible: one chain per worker thread, each with its own
//! seeded random stream. Chains run fixed-length epochs; at each epoch
//! boundary every chain continues from the cheapest current solution (ties →
//! lowest chain), so the same seed, thread count and iteration budget give
//! the same routes.

mod descent;
pub mod operators;
mod recreate;
mod retype;
pub mod routes;
mod ruin;

pub use descent::Descent;
pub use routes::{Node, Routes, Snapshot};

use super::cluster::Cluster;
use super::neighbours::Neighbours;
use crate::rng::SeededRng;
pub use operators::OperatorKind;
use rayon::prelude::*;
use std::time::{Duration, Instant};

/// Parameters of the search (defaults from the SISR and FILO papers, tuned on
/// no particular instance).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SearchParams {
    /// Neighbours per town that generate local-search moves.
    pub granularity: usize,
    /// Nearest towns whose routes are candidates for a reinsertion.
    pub insertion_neighbours: usize,
    /// Length of the neighbour lists the ruin walks.
    pub ruin_neighbours: usize,
    /// Mean number of towns removed per step (SISR c̄).
    pub avg_removed: f64,
    /// Longest string removed from one route (SISR L_max).
    pub max_string: f64,
    /// Probability of a split-string removal.
    pub split_rate: f64,
    /// Stop probability per town when growing the kept block of a split string.
    pub split_depth: f64,
    /// Probability of skipping an insertion position (SISR blinks).
    pub blink_rate: f64,
    /// Start temperature, as a multiple of the mean arc cost of the
    /// constructed routes.
    pub start_temperature: f64,
    /// End temperature, likewise.
    pub final_temperature: f64,
    /// Steps each chain runs between synchronisations.
    pub epoch: u64,
    /// Operators of the local-search descent run after every recreate
    /// (empty = pure ruin-and-recreate).
    pub operators: Vec<OperatorKind>,
}

impl Default for SearchParams {
    fn default() -> Self {
        SearchParams {
            granularity: 10,
            insertion_neighbours: 40,
            ruin_neighbours: 100,
            avg_removed: 10.0,
            max_string: 10.0,
            split_rate: 0.5,
            split_depth: 0.01,
            blink_rate: 0.01,
            start_temperature: 1.0,
            final_temperature: 0.01,
            epoch: 200,
            operators: OperatorKind::DEFAULT.to_vec(),
        }
    }
}

/// When the search stops.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Budget {
    /// Wall-clock instant to stop at (best effort: checked every step).
    pub deadline: Option<Instant>,
    /// Total steps over all chains (reproducible).
    pub iterations: Option<u64>,
}

/// What an observer sees at each epoch boundary.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Best cost found so far in the cluster being searched.
    pub best_cost: i64,
    /// Steps run so far in this cluster, over all chains.
    pub iterations: u64,
    /// Time since this cluster's search started.
    pub elapsed: Duration,
}

/// Whether the search should go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Go on.
    Continue,
    /// Stop and return the best routes so far.
    Stop,
}

/// Result of one cluster's search.
#[derive(Debug, Clone)]
pub struct SearchOutcome {
    /// Best routes found (town nodes, no depot).
    pub routes: Vec<Vec<usize>>,
    /// Their total distance.
    pub cost: i64,
    /// Steps run over all chains.
    pub iterations: u64,
    /// Steps accepted.
    pub accepted: u64,
}

/// Nodes marked in the current step (`seen[v] == stamp`).
#[derive(Default)]
struct NearStamp {
    seen: Vec<u32>,
    stamp: u32,
}

/// One annealing chain.
struct Chain<'c, 'a> {
    id: usize,
    s: Routes<'c, 'a>,
    rng: SeededRng,
    descent: Descent,
    recreate: recreate::Scratch,
    removed: Vec<Node>,
    gaps: Vec<Node>,
    near: NearStamp,
    best: Snapshot,
    steps: u64,
    accepted: u64,
}

/// Optional towns left out are retried when one of this many nearest
/// towns of theirs was just removed.
const POOL_RETRY_NEIGHBOURS: usize = 8;

impl<'c, 'a> Chain<'c, 'a> {
    /// Moves the pooled towns worth another try into `removed`.
    fn unpool(&mut self, nbrs: &Neighbours) {
        let c = self.s.c;
        if c.optional.is_empty() {
            self.s.drain_pool(&mut self.removed);
            return;
        }
        // (`is_optional` is false for reload nodes: they stay pooled below.)
        self.near.stamp = self.near.stamp.wrapping_add(1);
        let stamp = self.near.stamp;
        self.near.seen.resize(c.num_nodes(), 0);
        for &v in &self.removed {
            for &w in nbrs.of(v as usize).iter().take(POOL_RETRY_NEIGHBOURS) {
                self.near.seen[w as usize] = stamp;
            }
        }
        let seen = &self.near.seen;
        // And one pooled town at random: regions with no route left have no
        // ruin beside them, yet their towns together may be worth a route.
        let lucky = match self.s.pool.len() {
            0 => u32::MAX,
            n => self.s.pool[self.rng.below(n)],
        };
        // Spare reload nodes stay pooled: they are stock, not towns.
        self.s.drain_pool_where(&mut self.removed, |v| {
            !c.is_reload(v as usize) && (!c.is_optional(v as usize) || seen[v as usize] == stamp || v == lucky)
        });
    }

    /// One ruin–recreate–descent step at temperature `temp`.
    fn step(&mut self, nbrs: &Neighbours, p: &SearchParams, temp: f64) {
        let current = self.s.cost;
        self.s.begin();
        self.removed.clear();
        self.gaps.clear();
        ruin::ruin(&mut self.s, nbrs, p, &mut self.rng, &mut self.removed, &mut self.gaps);
        // Ruin keeps reload nodes in their routes (merging two trips could
        // overload the van), so only towns come back here.
        debug_assert!(self.removed.iter().all(|&v| !self.s.c.is_reload(v as usize)));
        // Towns no vehicle could take are tried again every step; optional
        // towns left out only when the ruin freed room beside them.
        self.unpool(nbrs);
        recreate::recreate(
            &mut self.s,
            nbrs,
            p,
            &mut self.rng,
            &mut self.removed,
            &mut self.recreate,
        );
        if !p.operators.is_empty() {
            for &v in self.removed.iter().chain(&self.gaps) {
                self.descent.push(v);
            }
            self.descent.run(&mut self.s, nbrs);
        }
        if self.s.c.types.len() > 1 {
            retype::retype_routes_of(&mut self.s, &self.removed);
        }
        self.steps += 1;
        // Accept below current − T·ln U (U ∈ (0, 1]): always when better.
        let threshold = current as f64 - temp * (1.0 - self.rng.unit()).ln();
        if (self.s.cost as f64) < threshold || self.s.cost <= current {
            self.s.commit();
            self.accepted += 1;
            if self.s.cost < self.best.cost {
                self.s.copy_changed_into(&mut self.best);
            }
        } else {
            self.s.rollback();
        }
    }
}

/// Result of a fleet cluster's search.
#[derive(Debug, Clone)]
pub struct FleetOutcome {
    /// Best routes found: (index in the cluster's types, town nodes).
    pub routes: Vec<(usize, Vec<usize>)>,
    /// Towns no vehicle could take.
    pub pool: Vec<usize>,
    /// Their objective, pool penalties included (the tests compare it with
    /// a recomputation).
    #[cfg_attr(not(test), allow(dead_code))]
    pub cost: i64,
    /// Steps run over all chains.
    pub iterations: u64,
    /// Steps accepted.
    pub accepted: u64,
}

/// How many chains a search runs and which stretch of the cooling schedule
/// it covers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shape {
    /// Annealing chains (`None` = one per rayon worker thread).
    pub chains: Option<usize>,
    /// Fractions of the whole schedule at the start and the end of this
    /// search (`(0, 1)`: from the start to the final temperature). A region
    /// of a decomposed search covers only its round's stretch.
    pub cooling: (f64, f64),
    /// Start with a full local-search descent over every town.
    pub first_descent: bool,
}

impl Default for Shape {
    fn default() -> Self {
        Shape {
            chains: None,
            cooling: (0.0, 1.0),
            first_descent: true,
        }
    }
}

/// Improves `initial` routes of `cluster` until the budget is spent.
/// `observe` is called at every epoch boundary and may stop the search.
pub fn improve(
    cluster: &Cluster<'_>,
    initial: &[Vec<usize>],
    params: &SearchParams,
    budget: Budget,
    seed: u64,
    observe: &(dyn Fn(&Progress) -> Flow + Sync),
) -> SearchOutcome {
    improve_shaped(cluster, initial, params, budget, seed, Shape::default(), observe)
}

/// [`improve`] with a given number of chains and stretch of the cooling
/// schedule.
pub fn improve_shaped(
    cluster: &Cluster<'_>,
    initial: &[Vec<usize>],
    params: &SearchParams,
    budget: Budget,
    seed: u64,
    shape: Shape,
    observe: &(dyn Fn(&Progress) -> Flow + Sync),
) -> SearchOutcome {
    let (best, iterations, accepted) = run(Routes::new(cluster, initial), params, budget, seed, shape, observe);
    SearchOutcome {
        routes: best.to_node_lists(),
        cost: best.cost,
        iterations,
        accepted,
    }
}

/// One local-search descent over `routes` with `operators` (each town
/// paired with its `params.granularity` nearest in `nbrs`), until no
/// operator finds an improving feasible move: the construction's polish,
/// priced by the same segment rules as the search (every route rule kept).
pub fn descend(
    cluster: &Cluster<'_>,
    nbrs: &Neighbours,
    routes: &[Vec<usize>],
    params: &SearchParams,
    operators: &[OperatorKind],
) -> Vec<Vec<usize>> {
    let mut s = Routes::new(cluster, routes);
    descend_all(&mut s, nbrs, params, operators);
    s.to_node_lists()
}

/// A full descent over every routed town of `s` (see [`descend`]).
fn descend_all(s: &mut Routes<'_, '_>, nbrs: &Neighbours, params: &SearchParams, operators: &[OperatorKind]) {
    let ops = operators.iter().map(|k| k.build()).collect();
    let mut descent = Descent::new(s.c.num_nodes(), ops, params.granularity);
    descent.push_all(s);
    descent.run(s, nbrs);
}

/// Improves typed `initial` routes of a fleet cluster ([`Cluster::fleet`]):
/// towns on none of them start in the pool, and vehicle counts are hard
/// limits throughout.
pub fn improve_fleet(
    cluster: &Cluster<'_>,
    initial: &[(usize, Vec<usize>)],
    params: &SearchParams,
    budget: Budget,
    seed: u64,
    observe: &(dyn Fn(&Progress) -> Flow + Sync),
) -> FleetOutcome {
    let mut s = Routes::typed(cluster, initial, true);
    // The pool first gets a greedy try, so the search starts complete if it can.
    let mut pooled = Vec::new();
    s.drain_pool(&mut pooled);
    let nbrs = Neighbours::new(cluster, params.insertion_neighbours);
    let mut rng = SeededRng::new(seed, u64::MAX);
    let mut scratch = recreate::Scratch::default();
    recreate::recreate(&mut s, &nbrs, params, &mut rng, &mut pooled, &mut scratch);
    let (best, iterations, accepted) = run(s, params, budget, seed, Shape::default(), observe);
    let (routes, pool) = best.to_typed_lists();
    FleetOutcome {
        routes,
        pool,
        cost: best.cost,
        iterations,
        accepted,
    }
}

/// The annealing chains from state `s`: the best snapshot, steps and acceptances.
fn run(
    mut s: Routes<'_, '_>,
    params: &SearchParams,
    budget: Budget,
    seed: u64,
    shape: Shape,
    observe: &(dyn Fn(&Progress) -> Flow + Sync),
) -> (Snapshot, u64, u64) {
    let start = Instant::now();
    let cluster = s.c;
    let towns = cluster.num_towns();
    let fallback = |s: &mut Routes<'_, '_>| {
        s.mark_all_changed();
        let mut snap = Snapshot::default();
        s.copy_changed_into(&mut snap);
        (snap, 0, 0)
    };
    if towns < 2 || budget.iterations == Some(0) {
        return fallback(&mut s);
    }
    // One list serves ruin, recreate and the descent (which reads only its
    // first `granularity` entries).
    let nbrs = Neighbours::new(
        cluster,
        params
            .ruin_neighbours
            .max(params.insertion_neighbours)
            .max(params.granularity),
    );
    let ops = || params.operators.iter().map(|k| k.build()).collect::<Vec<_>>();
    let local_search = !params.operators.is_empty();

    // A first full descent from the construction.
    if local_search && shape.first_descent {
        descend_all(&mut s, &nbrs, params, &params.operators);
        s.compact();
    }
    if cluster.types.len() > 1 {
        retype::retype_all(&mut s);
    }
    let used = s.routes.iter().filter(|r| r.num_towns() > 0).count();
    let penalties: i64 = s.pool.iter().map(|&v| cluster.penalty[v as usize]).sum();
    let mean_arc = (s.cost - penalties) as f64 / (towns + used) as f64;
    let (t0, t1) = (params.start_temperature * mean_arc, params.final_temperature * mean_arc);
    let (from, to) = shape.cooling;
    let cooled = |fraction: f64| from + (to - from) * fraction.min(1.0);

    let threads = shape.chains.unwrap_or_else(rayon::current_num_threads).max(1);
    s.mark_all_changed();
    let mut start_copy = Snapshot::default();
    s.copy_changed_into(&mut start_copy);
    let mut chains: Vec<Chain> = (0..threads)
        .map(|id| Chain {
            id,
            s: s.clone(),
            rng: SeededRng::new(seed, id as u64),
            descent: Descent::new(cluster.num_nodes(), ops(), params.granularity),
            recreate: recreate::Scratch::default(),
            removed: Vec::new(),
            gaps: Vec::new(),
            near: NearStamp::default(),
            best: start_copy.clone(),
            steps: 0,
            accepted: 0,
        })
        .collect();
    let search_start = Instant::now();
    let span = budget.deadline.map(|d| d.saturating_duration_since(search_start));
    let per_epoch = params.epoch.max(1);
    let total = budget.iterations;

    let mut done: u64 = 0;
    loop {
        // Each chain's share of this epoch, so an iteration budget is met exactly.
        let quota: Vec<u64> = (0..threads as u64)
            .map(|k| match total {
                Some(n) => {
                    let left = n - done;
                    let share = left.min(per_epoch * threads as u64);
                    share / threads as u64 + u64::from(k < share % threads as u64)
                }
                None => per_epoch,
            })
            .collect();
        let done_before = done;
        chains.par_iter_mut().for_each(|ch| {
            for k in 0..quota[ch.id] {
                let fraction = match (total, span) {
                    (Some(n), _) => (done_before + k * threads as u64) as f64 / n as f64,
                    (None, Some(span)) if !span.is_zero() => {
                        let el = search_start.elapsed();
                        if el >= span {
                            break;
                        }
                        el.as_secs_f64() / span.as_secs_f64()
                    }
                    _ => 1.0,
                };
                if total.is_some() && budget.deadline.is_some_and(|d| Instant::now() >= d) {
                    break;
                }
                let temp = t0 * (t1 / t0).powf(cooled(fraction));
                ch.step(&nbrs, params, temp);
            }
        });
        done = chains.iter().map(|c| c.steps).sum();
        // Synchronise: everyone continues from the cheapest current solution
        // (a lone chain has nothing to copy: no O(n) work per epoch).
        let best = (0..threads).min_by_key(|&k| (chains[k].best.cost, k)).unwrap_or(0);
        let best_cost = chains[best].best.cost;
        if threads > 1 {
            sync_chains(&mut chains, best);
        }
        let flow = observe(&Progress {
            best_cost,
            iterations: done,
            elapsed: start.elapsed(),
        });
        let out_of_time = budget.deadline.is_some_and(|d| Instant::now() >= d);
        let out_of_steps = total.is_some_and(|n| done >= n);
        let no_budget = total.is_none() && span.is_none_or(|s| s.is_zero());
        if flow == Flow::Stop || out_of_time || out_of_steps || no_budget || done == done_before {
            break;
        }
    }
    let best = (0..threads).min_by_key(|&k| (chains[k].best.cost, k)).unwrap_or(0);
    let accepted = chains.iter().map(|c| c.accepted).sum();
    (std::mem::take(&mut chains[best].best), done, accepted)
}

/// Every chain continues from the cheapest current solution and keeps the
/// best solution of all.
fn sync_chains(chains: &mut [Chain<'_, '_>], best: usize) {
    let lead = (0..chains.len()).min_by_key(|&k| (chains[k].s.cost, k)).unwrap_or(0);
    let lead_state = chains[lead].s.clone();
    let best_routes = chains[best].best.clone();
    for ch in chains.iter_mut() {
        if ch.id != lead {
            ch.s = lead_state.clone();
        }
        if ch.id != best {
            ch.best.clone_from(&best_routes);
        }
        // The copy and the state now differ in unknown routes.
        if ch.id != lead || ch.id != best {
            ch.s.mark_all_changed();
        }
    }
}

#[cfg(test)]
mod tests;
