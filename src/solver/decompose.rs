//! Decomposition of the improvement phase for large plans.
//!
//! A plan of many routes is improved region by region: the routes of each
//! depot are split into regions of nearby routes (a k-d split of their
//! centroids, rotated by a different angle every round so the borders
//! move), every region is improved as an independent sub-problem (its own
//! small `Cluster`, neighbour lists and single annealing chain: a step
//! costs O(region), never O(plan)), and the improved regions are put back.
//! Rounds repeat until the budget is spent; round `r` covers its stretch of
//! one cooling schedule for the whole solve.
//!
//! A region is a [`RegionTask`]: plain data (depot, vehicle type, routes as
//! problem town indices, budget, seed, search parameters) that serialises
//! to JSON, so a [`RegionExecutor`] may run it anywhere the same problem is
//! known: in this process on rayon's threads ([`InProcess`], the default)
//! or on other machines (the Python package runs tasks on Ray). Whatever
//! runs a task, its result is checked here before it is merged: the same
//! towns, every route within the vehicle's limits, no dearer than before.

use super::cluster::Cluster;
use super::search::{self, Budget, Flow, Shape};
use super::{SearchParams, SolverConfig};
use crate::distance::TravelOracle;
use crate::error::{Error, Result};
use crate::model::Problem;
use crate::rng::SeededRng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Default target of towns per region.
pub const DEFAULT_REGION_TOWNS: usize = 2_000;

/// Default size from which a depot's routes are improved region by region.
pub const DEFAULT_DECOMPOSE_ABOVE: usize = 8_000;

/// Rounds a budget is cut into (each at least [`MIN_ROUND`] long).
const ROUNDS: u32 = 12;

/// Shortest round of a time-limited decomposed search.
const MIN_ROUND: Duration = Duration::from_millis(500);

/// Least thread time a region gets in a round.
const MIN_REGION_TIME: Duration = Duration::from_millis(500);

/// One region to improve: routes of one depot and vehicle type, as problem
/// town indices, with the budget and seed of its search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionTask {
    /// Depot index in the problem.
    pub depot: usize,
    /// Vehicle type (index in the problem's fleet) the routes are priced with.
    pub vehicle_type: usize,
    /// The region's routes (problem town indices, no depot).
    pub routes: Vec<Vec<usize>>,
    /// Seed of the region's annealing chain.
    pub seed: u64,
    /// Search steps (reproducible), if set.
    pub iterations: Option<u64>,
    /// Wall-clock seconds from the task's start, if set.
    pub seconds: Option<f64>,
    /// Stretch of the solve's cooling schedule this task covers (fractions).
    pub cooling: (f64, f64),
    /// Regions with at most this many nodes cache dense matrices.
    pub dense_matrix_limit: usize,
    /// Parameters of the search.
    pub search: SearchParams,
    /// Run a full local-search descent over the region before the search
    /// (worth it on constructed routes; later rounds start from searched ones).
    #[serde(default = "first_descent_default")]
    pub first_descent: bool,
}

fn first_descent_default() -> bool {
    true
}

/// What a region's search returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionResult {
    /// The improved routes (problem town indices).
    pub routes: Vec<Vec<usize>>,
    /// Search steps run.
    pub iterations: u64,
    /// Steps accepted.
    pub accepted: u64,
}

impl RegionTask {
    /// The task as JSON (for executors that ship tasks elsewhere).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
    /// Reads a task written by [`RegionTask::to_json`].
    pub fn from_json(text: &str) -> Result<RegionTask> {
        read_json(text, "region task")
    }
    /// Towns in the region.
    pub fn num_towns(&self) -> usize {
        self.routes.iter().map(Vec::len).sum()
    }
}

impl RegionResult {
    /// The result as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
    /// Reads a result written by [`RegionResult::to_json`].
    pub fn from_json(text: &str) -> Result<RegionResult> {
        read_json(text, "region result")
    }
}

fn read_json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|source| Error::Json {
        source_name: what.into(),
        source,
    })
}

/// Progress of one running task, as in-process executors report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegionProgress {
    /// Index of the task in the batch.
    pub task: usize,
    /// Cost of the task's best routes so far.
    pub best_cost: i64,
    /// Steps the task has run so far.
    pub iterations: u64,
}

/// Runs a batch of region tasks: the one interface between the
/// decomposition and wherever its sub-problems are solved.
pub trait RegionExecutor: Send + Sync {
    /// How many tasks run at the same time (round budgets are shared out
    /// by it: a task gets `round × parallelism × its share of the towns`).
    fn parallelism(&self) -> usize;
    /// Runs every task (each with [`improve_region`] or an equivalent) and
    /// returns their results in the tasks' order. `progress` may be called
    /// while tasks run; returning [`Flow::Stop`] asks them to stop early.
    fn run(
        &self,
        problem: &Problem,
        oracle: &dyn TravelOracle,
        tasks: &[RegionTask],
        progress: &(dyn Fn(RegionProgress) -> Flow + Sync),
    ) -> Result<Vec<RegionResult>>;
}

/// Runs region tasks on the current rayon thread pool.
#[derive(Debug, Clone, Copy, Default)]
pub struct InProcess;

impl RegionExecutor for InProcess {
    fn parallelism(&self) -> usize {
        rayon::current_num_threads().max(1)
    }

    fn run(
        &self,
        problem: &Problem,
        oracle: &dyn TravelOracle,
        tasks: &[RegionTask],
        progress: &(dyn Fn(RegionProgress) -> Flow + Sync),
    ) -> Result<Vec<RegionResult>> {
        // Biggest first, so the last tasks to start are short ones.
        let mut order: Vec<usize> = (0..tasks.len()).collect();
        order.sort_by_key(|&i| (std::cmp::Reverse(tasks[i].num_towns()), i));
        let mut results: Vec<(usize, Result<RegionResult>)> = order
            .into_par_iter()
            .with_max_len(1)
            .map(|i| {
                let observe = |p: &search::Progress| {
                    progress(RegionProgress {
                        task: i,
                        best_cost: p.best_cost,
                        iterations: p.iterations,
                    })
                };
                (i, improve_region_observed(problem, oracle, &tasks[i], &observe))
            })
            .collect();
        results.sort_by_key(|(i, _)| *i);
        results.into_iter().map(|(_, r)| r).collect()
    }
}

/// Where the regions of a decomposed search run: in this process (the
/// default) or through an embedder's [`RegionExecutor`].
#[derive(Clone, Default)]
pub enum Executor {
    /// [`InProcess`].
    #[default]
    InProcess,
    /// An embedder's executor (e.g. one that ships tasks to a cluster).
    Custom(Arc<dyn RegionExecutor>),
}

impl Executor {
    fn get(&self) -> &dyn RegionExecutor {
        match self {
            Executor::InProcess => &InProcess,
            Executor::Custom(e) => e.as_ref(),
        }
    }
}

impl fmt::Debug for Executor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Executor::InProcess => f.write_str("InProcess"),
            Executor::Custom(_) => f.write_str("Custom(..)"),
        }
    }
}

impl PartialEq for Executor {
    fn eq(&self, other: &Executor) -> bool {
        match (self, other) {
            (Executor::InProcess, Executor::InProcess) => true,
            (Executor::Custom(a), Executor::Custom(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// When and how the improvement phase is decomposed.
#[derive(Debug, Clone, PartialEq)]
pub struct Decomposition {
    /// Target towns per region (0 = never decompose).
    pub region_towns: usize,
    /// A solve is decomposed when one of its depots has more towns than this.
    pub above: usize,
    /// Where region tasks run.
    pub executor: Executor,
}

impl Default for Decomposition {
    fn default() -> Self {
        Decomposition {
            region_towns: DEFAULT_REGION_TOWNS,
            above: DEFAULT_DECOMPOSE_ABOVE,
            executor: Executor::InProcess,
        }
    }
}

impl Decomposition {
    /// True if a solve whose largest depot has `towns` towns is decomposed.
    pub fn applies(&self, towns: usize) -> bool {
        self.region_towns > 0 && towns > self.above
    }
}

/// Improves one region: builds its sub-problem, runs one annealing chain
/// on it within the task's budget, and returns its best routes. A task
/// naming a depot, vehicle type or town the problem lacks, a vehicle type
/// of another depot or a town twice is refused with
/// [`Error::SolutionMismatch`]; a bad budget or cooling with
/// [`Error::InvalidConfig`].
pub fn improve_region(problem: &Problem, oracle: &dyn TravelOracle, task: &RegionTask) -> Result<RegionResult> {
    improve_region_observed(problem, oracle, task, &|_| Flow::Continue)
}

fn improve_region_observed(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    task: &RegionTask,
    observe: &(dyn Fn(&search::Progress) -> Flow + Sync),
) -> Result<RegionResult> {
    let deadline = match task.seconds {
        Some(s) if !(s.is_finite() && s >= 0.0) => {
            return Err(Error::InvalidConfig(format!(
                "region task seconds {s} is not a finite non-negative number"
            )));
        }
        Some(s) => Some(Instant::now() + Duration::from_secs_f64(s.min(1e9))),
        None => None,
    };
    let (c0, c1) = task.cooling;
    if !(0.0..=1.0).contains(&c0) || !(0.0..=1.0).contains(&c1) {
        return Err(Error::InvalidConfig(format!(
            "region task cooling ({c0}, {c1}) is outside [0, 1]"
        )));
    }
    if task.depot >= problem.depots.len() {
        return Err(Error::SolutionMismatch(format!(
            "region task names depot {} of {}",
            task.depot,
            problem.depots.len()
        )));
    }
    let Some(vehicle) = problem.fleet.get(task.vehicle_type) else {
        return Err(Error::SolutionMismatch(format!(
            "region task names vehicle type {} of {}",
            task.vehicle_type,
            problem.fleet.len()
        )));
    };
    if vehicle.depot != task.depot {
        return Err(Error::SolutionMismatch(format!(
            "region task gives depot {} a vehicle type of depot {} (type {})",
            task.depot, vehicle.depot, task.vehicle_type
        )));
    }
    if !vehicle.returns_home() {
        return Err(Error::SolutionMismatch(format!(
            "region task gives vehicle type {} whose routes end elsewhere (end_depot or open): such types are planned in the fleet search",
            task.vehicle_type
        )));
    }
    let towns: Vec<usize> = task.routes.iter().flatten().copied().collect();
    let mut seen = HashMap::with_capacity(towns.len());
    for (k, &t) in towns.iter().enumerate() {
        if t >= problem.towns.len() {
            return Err(Error::SolutionMismatch(format!(
                "region task names town {t} of {}",
                problem.towns.len()
            )));
        }
        if seen.insert(t, k + 1).is_some() {
            return Err(Error::SolutionMismatch(format!("region task lists town {t} twice")));
        }
    }
    if towns.is_empty() {
        return Ok(RegionResult {
            routes: Vec::new(),
            iterations: 0,
            accepted: 0,
        });
    }
    let cluster = Cluster::with_dense_limit(
        problem,
        oracle,
        task.depot,
        &towns,
        task.vehicle_type,
        task.dense_matrix_limit,
    );
    // Cluster nodes are 1..=m in the order of `towns`.
    let mut next = 1;
    let initial: Vec<Vec<usize>> = task
        .routes
        .iter()
        .map(|r| {
            let nodes = (next..next + r.len()).collect();
            next += r.len();
            nodes
        })
        .collect();
    let budget = Budget {
        deadline,
        iterations: task.iterations,
    };
    let shape = Shape {
        chains: Some(1),
        cooling: task.cooling,
        first_descent: task.first_descent,
    };
    let out = search::improve_shaped(&cluster, &initial, &task.search, budget, task.seed, shape, observe);
    Ok(RegionResult {
        routes: out
            .routes
            .iter()
            .filter(|r| !r.is_empty())
            .map(|r| cluster.town_indices(r))
            .collect(),
        iterations: out.iterations,
        accepted: out.accepted,
    })
}

/// A depot's routes under decomposition: its cluster prices and checks them.
pub(crate) struct DepotRoutes<'c, 'a> {
    /// Depot index.
    pub depot: usize,
    /// Vehicle type the depot's routes are priced with.
    pub vehicle_type: usize,
    /// The depot's cluster (the same towns and vehicle profile).
    pub cluster: &'c Cluster<'a>,
    /// Routes as cluster nodes.
    pub routes: Vec<Vec<usize>>,
}

/// What a decomposed search did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct DecomposedRun {
    pub iterations: u64,
    pub accepted: u64,
    pub rounds: u32,
    /// True if the observer stopped it.
    pub stopped: bool,
}

/// Improves every depot's routes region by region until the budget is
/// spent (see the module documentation). `None` (nothing done) when a
/// town has no planar point to place its route with.
pub(crate) fn improve_depots(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    depots: &mut [DepotRoutes<'_, '_>],
    config: &SolverConfig,
    budget: Budget,
    observe: &(dyn Fn(i64, u64) -> Flow + Sync),
) -> Result<Option<DecomposedRun>> {
    let (decomposition, params, seed) = (&config.decomposition, &config.search, config.seed);
    let dense_matrix_limit = config.dense_matrix_limit;
    let executor = decomposition.executor.get();
    let parallel = executor.parallelism().max(1) as f64;
    let region_towns = decomposition.region_towns.max(1);
    // Town → cluster node, per depot (checks results against the depot's own arrays).
    let node_of: Vec<HashMap<usize, usize>> = depots
        .iter()
        .map(|d| (1..=d.cluster.num_towns()).map(|v| (d.cluster.towns[v], v)).collect())
        .collect();
    let Some(points) = depots
        .iter()
        .map(|d| {
            (0..=d.cluster.num_towns())
                .map(|v| d.cluster.planar_point(v))
                .collect::<Option<Vec<_>>>()
        })
        .collect::<Option<Vec<_>>>()
    else {
        return Ok(None);
    };
    let towns_total: usize = depots.iter().map(|d| d.cluster.num_towns()).sum::<usize>().max(1);
    let start = Instant::now();
    let span = budget.deadline.map(|d| d.saturating_duration_since(start));
    let total = budget.iterations;
    let mut cost: i64 = depots.iter().map(|d| d.cluster.routes_cost(&d.routes)).sum();
    let mut run = DecomposedRun::default();
    // Steps handed out so far (an iteration budget is spent by plan, so a
    // round whose regions are too small to search still counts).
    let mut planned: u64 = 0;
    let mut rng = SeededRng::new(seed, u64::MAX - 1);
    loop {
        let fraction = |at: Duration, steps: u64| match (total, span) {
            (Some(n), _) => steps as f64 / n.max(1) as f64,
            (None, Some(s)) if !s.is_zero() => at.as_secs_f64() / s.as_secs_f64(),
            _ => 1.0,
        };
        let elapsed = start.elapsed();
        let from = fraction(elapsed, planned);
        if from >= 1.0 || run.stopped {
            break;
        }
        // This round's length: a twelfth of the budget (the last takes the rest).
        let round_steps = total.map(|n| {
            let left = n - planned.min(n);
            let round = (n / u64::from(ROUNDS)).max(1);
            if left < 2 * round { left } else { round }
        });
        let angle = rng.unit() * std::f64::consts::PI;
        let owners: Vec<(usize, Vec<usize>)> = depots
            .iter()
            .enumerate()
            .flat_map(|(k, d)| {
                regions(&d.routes, &points[k], region_towns, angle)
                    .into_iter()
                    .map(move |r| (k, r))
            })
            .collect();
        // A round gives each region at least MIN_REGION_TIME of a thread, so
        // building its sub-problem stays a small part of its search.
        let least = MIN_REGION_TIME.mul_f64(owners.len() as f64 / parallel);
        let round_time = span.map(|s| {
            let left = s.saturating_sub(elapsed);
            let round = (s / ROUNDS).max(MIN_ROUND).max(least);
            if left < round * 2 { left } else { round }
        });
        let to = match (round_steps, round_time) {
            (Some(k), _) => fraction(elapsed, planned + k),
            (None, Some(t)) => fraction(elapsed + t, 0),
            _ => 1.0,
        }
        .min(1.0);
        let mut tasks = Vec::with_capacity(owners.len());
        for (k, region) in &owners {
            let d = &depots[*k];
            let routes: Vec<Vec<usize>> = region.iter().map(|&r| d.cluster.town_indices(&d.routes[r])).collect();
            let share = routes.iter().map(Vec::len).sum::<usize>() as f64 / towns_total as f64;
            tasks.push(RegionTask {
                depot: d.depot,
                vehicle_type: d.vehicle_type,
                routes,
                seed: seed ^ (u64::from(run.rounds) << 32 | tasks.len() as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15),
                iterations: round_steps.map(|n| (n as f64 * share).ceil() as u64),
                seconds: round_time.map(|t| (t.as_secs_f64() * parallel * share).min(t.as_secs_f64())),
                cooling: (from.min(1.0), to),
                // Planar distances are as quick to compute as to look up.
                dense_matrix_limit: if d.cluster.is_inline_euclidean() {
                    0
                } else {
                    dense_matrix_limit
                },
                search: params.clone(),
                first_descent: run.rounds == 0,
            });
        }
        // Live progress: the tasks' steps and savings so far on top of the round's start.
        let task_cost: Vec<i64> = owners
            .iter()
            .map(|(k, region)| {
                let d = &depots[*k];
                region
                    .iter()
                    .map(|&r| d.cluster.routes_cost(std::slice::from_ref(&d.routes[r])))
                    .sum()
            })
            .collect();
        let live_cost: Vec<AtomicI64> = task_cost.iter().map(|&c| AtomicI64::new(c)).collect();
        let live_steps: Vec<AtomicU64> = tasks.iter().map(|_| AtomicU64::new(0)).collect();
        let stop = AtomicBool::new(false);
        let progress = |p: RegionProgress| {
            if let (Some(c), Some(s)) = (live_cost.get(p.task), live_steps.get(p.task)) {
                c.store(p.best_cost, Ordering::Relaxed);
                s.store(p.iterations, Ordering::Relaxed);
            }
            let saved: i64 = task_cost
                .iter()
                .zip(&live_cost)
                .map(|(&c, l)| c - l.load(Ordering::Relaxed))
                .sum();
            let steps: u64 = live_steps.iter().map(|s| s.load(Ordering::Relaxed)).sum();
            if stop.load(Ordering::Relaxed) || observe(cost - saved, run.iterations + steps) == Flow::Stop {
                stop.store(true, Ordering::Relaxed);
                return Flow::Stop;
            }
            Flow::Continue
        };
        let results = executor.run(problem, oracle, &tasks, &progress)?;
        run.stopped = stop.load(Ordering::Relaxed);
        if results.len() != tasks.len() {
            return Err(Error::InvalidConfig(format!(
                "region executor returned {} results for {} tasks",
                results.len(),
                tasks.len()
            )));
        }
        // Check and merge: each depot's routes are rebuilt from its regions.
        let mut rebuilt: Vec<Vec<Vec<usize>>> = vec![Vec::new(); depots.len()];
        for ((task, result), (k, region)) in tasks.iter().zip(results).zip(owners) {
            let d = &depots[k];
            let before: Vec<Vec<usize>> = region.iter().map(|&r| d.routes[r].clone()).collect();
            let after = checked_routes(d.cluster, &node_of[k], task, &result)?;
            let better = d.cluster.routes_cost(&after) <= d.cluster.routes_cost(&before);
            rebuilt[k].extend(if better { after } else { before });
            run.iterations += result.iterations;
            run.accepted += result.accepted;
        }
        for (d, routes) in depots.iter_mut().zip(rebuilt) {
            d.routes = routes;
        }
        cost = depots.iter().map(|d| d.cluster.routes_cost(&d.routes)).sum();
        run.rounds += 1;
        let out_of_time = budget.deadline.is_some_and(|d| Instant::now() >= d);
        planned += round_steps.unwrap_or(0);
        let out_of_steps = total.is_some_and(|n| planned >= n);
        if !run.stopped && observe(cost, run.iterations) == Flow::Stop {
            run.stopped = true;
        }
        if out_of_time || out_of_steps || run.stopped || (total.is_none() && span.is_none()) {
            break;
        }
    }
    Ok(Some(run))
}

/// A task's result as cluster nodes of its depot, if it is the task's
/// towns again in routes the vehicle can drive.
fn checked_routes(
    cluster: &Cluster<'_>,
    node_of: &HashMap<usize, usize>,
    task: &RegionTask,
    result: &RegionResult,
) -> Result<Vec<Vec<usize>>> {
    let mismatch = |what: String| Error::SolutionMismatch(format!("region result for depot {}: {what}", task.depot));
    let mut expected: Vec<usize> = task.routes.iter().flatten().copied().collect();
    let mut got: Vec<usize> = result.routes.iter().flatten().copied().collect();
    expected.sort_unstable();
    got.sort_unstable();
    if expected != got {
        return Err(mismatch(format!(
            "{} towns back for {} sent, or not the same towns",
            got.len(),
            expected.len()
        )));
    }
    // A route handed back unchanged is not held against the executor.
    let sent: std::collections::HashSet<&[usize]> = task.routes.iter().map(Vec::as_slice).collect();
    let mut routes = Vec::with_capacity(result.routes.len());
    for (r, towns) in result.routes.iter().enumerate().filter(|(_, t)| !t.is_empty()) {
        let nodes: Vec<usize> = towns.iter().map(|t| node_of[t]).collect();
        if !cluster.route_ok(&nodes) && !sent.contains(towns.as_slice()) {
            return Err(mismatch(format!("route {r} breaks the vehicle's limits")));
        }
        routes.push(nodes);
    }
    Ok(routes)
}

/// Regions of nearby routes: a k-d split of the route centroids (rotated by
/// `angle`) until a region has at most `target` towns. Returns route
/// indices per region; empty routes are dropped.
fn regions(routes: &[Vec<usize>], points: &[[f64; 2]], target: usize, angle: f64) -> Vec<Vec<usize>> {
    let (sin, cos) = angle.sin_cos();
    let centroids: Vec<[f64; 2]> = routes
        .iter()
        .map(|r| {
            let n = r.len().max(1) as f64;
            let (x, y) = r
                .iter()
                .fold((0.0, 0.0), |(x, y), &v| (x + points[v][0], y + points[v][1]));
            let (x, y) = (x / n, y / n);
            [x * cos - y * sin, x * sin + y * cos]
        })
        .collect();
    let mut out = Vec::new();
    let mut stack = vec![(0..routes.len()).filter(|&r| !routes[r].is_empty()).collect::<Vec<_>>()];
    while let Some(mut set) = stack.pop() {
        let towns: usize = set.iter().map(|&r| routes[r].len()).sum();
        if set.len() <= 1 || towns <= target {
            if !set.is_empty() {
                out.push(set);
            }
            continue;
        }
        let extent = |axis: usize| {
            let (lo, hi) = set.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &r| {
                (lo.min(centroids[r][axis]), hi.max(centroids[r][axis]))
            });
            hi - lo
        };
        let axis = usize::from(extent(1) > extent(0));
        set.sort_by(|&a, &b| centroids[a][axis].total_cmp(&centroids[b][axis]).then(a.cmp(&b)));
        // Cut where half the towns lie on each side (at least one route each).
        let mut acc = 0;
        let mut cut = set.len() - 1;
        for (i, &r) in set.iter().enumerate() {
            acc += routes[r].len();
            if 2 * acc >= towns {
                cut = (i + 1).clamp(1, set.len() - 1);
                break;
            }
        }
        let right = set.split_off(cut);
        stack.push(right);
        stack.push(set);
    }
    out.sort_by_key(|region| region[0]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_cover_every_route_once_and_respect_the_target() {
        // 40 routes of 5 towns on a line of points.
        let points: Vec<[f64; 2]> = (0..=200).map(|i| [i as f64, (i % 7) as f64]).collect();
        let routes: Vec<Vec<usize>> = (0..40).map(|r| (1 + 5 * r..6 + 5 * r).collect()).collect();
        for angle in [0.0, 0.7, 2.0] {
            let regs = regions(&routes, &points, 30, angle);
            let mut all: Vec<usize> = regs.iter().flatten().copied().collect();
            all.sort_unstable();
            assert_eq!(all, (0..40).collect::<Vec<_>>());
            for reg in &regs {
                let towns: usize = reg.iter().map(|&r| routes[r].len()).sum();
                assert!(towns <= 30, "{towns} towns in a region");
            }
            assert!(regs.len() >= 7, "{} regions", regs.len());
        }
    }

    #[test]
    fn one_big_route_is_its_own_region() {
        let points: Vec<[f64; 2]> = (0..=10).map(|i| [i as f64, 0.0]).collect();
        let routes = vec![(1..=10).collect::<Vec<_>>(), Vec::new()];
        assert_eq!(regions(&routes, &points, 3, 0.0), vec![vec![0]]);
    }
}
