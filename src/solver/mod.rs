//! The solver: split towns between depots, build routes with parallel
//! Clarke–Wright savings under several shape parameters, improve every route
//! with 2-opt and or-opt, keep the cheapest variant, and hand routes to
//! vehicles.
//!
//! Determinism: every parallel step collects results in a fixed order and
//! breaks ties by index, so the same input, configuration and thread count
//! give the same routes (the thread count does not change the result either,
//! unless a time limit cuts the variant search short).

pub mod assign;
pub mod cluster;
pub mod construct;
mod fleet;
pub mod local_search;
pub mod neighbours;

use crate::distance::{TravelOracle, build_oracle};
use crate::error::{Error, Result};
use crate::model::Problem;
use crate::solution::{Plan, Solution};
use cluster::Cluster;
pub use construct::savings::{SavingsPairs, SavingsParams, savings_routes};
use neighbours::Neighbours;
use rayon::prelude::*;
use std::time::{Duration, Instant};

/// Solver settings.
#[derive(Debug, Clone, PartialEq)]
pub struct SolverConfig {
    /// Seed for randomised phases. Construction and route improvement are
    /// deterministic today; the seed is carried for the metaheuristic.
    pub seed: u64,
    /// Worker threads; `None` = rayon's default (one per core).
    pub threads: Option<usize>,
    /// Wall-clock budget. Savings variants not started before it expires are
    /// skipped (the first variant always runs), so a binding limit can make
    /// results depend on machine speed.
    pub time_limit: Option<Duration>,
    /// Savings shape parameters to try; the best after improvement wins.
    pub savings_variants: Vec<SavingsParams>,
    /// Neighbour-list length for savings pairs and local-search moves.
    pub neighbours: usize,
}

impl Default for SolverConfig {
    fn default() -> Self {
        SolverConfig {
            seed: 0,
            threads: None,
            time_limit: None,
            savings_variants: default_savings_grid(),
            neighbours: 40,
        }
    }
}

/// The savings shape grid tried by default: λ ∈ {0.6 … 1.8}, μ ∈ {0, 0.5, 1},
/// ν ∈ {0, 0.1} (after Altınel & Öncan 2005), classic λ=1 first.
pub fn default_savings_grid() -> Vec<SavingsParams> {
    let mut grid = vec![SavingsParams::default()];
    for lambda in [0.6, 0.8, 1.0, 1.2, 1.4, 1.6, 1.8] {
        for mu in [0.0, 0.5, 1.0] {
            for nu in [0.0, 0.1] {
                let p = SavingsParams { lambda, mu, nu };
                if !grid.contains(&p) {
                    grid.push(p);
                }
            }
        }
    }
    grid
}

/// Figures about a solve.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SolveStats {
    /// Wall time of the whole solve, oracle included.
    pub elapsed: Duration,
    /// Wall time spent building the distance oracle.
    pub oracle_time: Duration,
    /// Savings variants run, summed over depots.
    pub variants_run: usize,
}

/// A solve's result: the plan, its schedule, and figures.
#[derive(Debug, Clone)]
pub struct Solved {
    /// Routes as town indices.
    pub plan: Plan,
    /// The scheduled solution.
    pub solution: Solution,
    /// Figures.
    pub stats: SolveStats,
}

/// Solves a problem, building its distance oracle first.
pub fn solve(problem: &Problem, config: &SolverConfig) -> Result<Solved> {
    let start = Instant::now();
    with_threads(config, || {
        let oracle = build_oracle(problem)?;
        let oracle_time = start.elapsed();
        let mut solved = solve_inner(problem, oracle.as_ref(), config, start)?;
        solved.stats.oracle_time = oracle_time;
        Ok(solved)
    })
}

/// Solves with an oracle the caller already has (e.g. to validate afterwards).
pub fn solve_with_oracle(problem: &Problem, oracle: &dyn TravelOracle, config: &SolverConfig) -> Result<Solved> {
    let start = Instant::now();
    with_threads(config, || solve_inner(problem, oracle, config, start))
}

/// Runs `f` on a pool with the configured thread count.
fn with_threads<T: Send>(config: &SolverConfig, f: impl FnOnce() -> Result<T> + Send) -> Result<T> {
    match config.threads {
        None => f(),
        Some(0) => Err(Error::InvalidConfig("threads must be at least 1".into())),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map_err(|e| Error::InvalidConfig(format!("cannot start {n} threads: {e}")))?
            .install(f),
    }
}

fn solve_inner(problem: &Problem, oracle: &dyn TravelOracle, config: &SolverConfig, start: Instant) -> Result<Solved> {
    if oracle.num_locations() != problem.num_locations() {
        return Err(Error::InvalidConfig(format!(
            "oracle knows {} locations, problem has {}",
            oracle.num_locations(),
            problem.num_locations()
        )));
    }
    if config.savings_variants.is_empty() {
        return Err(Error::InvalidConfig("at least one savings variant is needed".into()));
    }
    let deadline = config.time_limit.map(|t| start + t);
    let profiles = assign::depot_profiles(problem);
    let assignment = assign::assign_towns(problem, oracle, &profiles);

    // Depots in parallel; each returns its routes (node sequences → town indices).
    let per_depot: Vec<(Vec<Vec<usize>>, usize)> = assignment
        .towns_of_depot
        .par_iter()
        .enumerate()
        .map(|(d, towns)| match profiles[d] {
            Some(v) if !towns.is_empty() => {
                let cluster = Cluster::new(problem, oracle, d, towns, &problem.fleet[v]);
                let (routes, ran) = solve_cluster(&cluster, config, deadline);
                let routes = routes
                    .into_iter()
                    .map(|r| r.into_iter().map(|node| cluster.towns[node]).collect())
                    .collect();
                (routes, ran)
            }
            _ => (Vec::new(), 0),
        })
        .collect();

    let mut plan = Plan {
        routes: Vec::new(),
        unassigned: assignment.unassigned,
    };
    let mut variants_run = 0;
    let mut orphans = Vec::new();
    for (d, (routes, ran)) in per_depot.into_iter().enumerate() {
        variants_run += ran;
        orphans.extend(fleet::assign_vehicles(problem, oracle, d, routes, &mut plan.routes));
    }
    fleet::place_orphans(problem, oracle, orphans, &mut plan);
    plan.unassigned.sort_by_key(|(t, _)| *t);
    let solution = Solution::from_plan(problem, oracle, &plan);
    Ok(Solved {
        plan,
        solution,
        stats: SolveStats {
            elapsed: start.elapsed(),
            oracle_time: Duration::ZERO,
            variants_run,
        },
    })
}

/// Savings + route improvement under every configured variant (in parallel);
/// returns the cheapest routes (ties → lowest variant index) and how many
/// variants ran.
pub fn solve_cluster(
    cluster: &Cluster<'_>,
    config: &SolverConfig,
    deadline: Option<Instant>,
) -> (Vec<Vec<usize>>, usize) {
    let nbrs = Neighbours::new(cluster, config.neighbours);
    let pairs = SavingsPairs::new(cluster, &nbrs);
    let results: Vec<(i64, usize, Vec<Vec<usize>>)> = config
        .savings_variants
        .par_iter()
        .enumerate()
        .filter_map(|(k, &params)| {
            if k > 0 && deadline.is_some_and(|d| Instant::now() >= d) {
                return None;
            }
            let mut routes = savings_routes(cluster, &pairs, params);
            improve_routes(cluster, &nbrs, &mut routes);
            let cost = routes.iter().map(|r| cluster.route_totals(r).0).sum();
            Some((cost, k, routes))
        })
        .collect();
    let ran = results.len();
    let best = results
        .into_iter()
        .min_by_key(|(cost, k, _)| (*cost, *k))
        .map(|(_, _, r)| r)
        .unwrap_or_default();
    (best, ran)
}

/// 2-opt + or-opt on every route, routes in parallel.
pub fn improve_routes(cluster: &Cluster<'_>, nbrs: &Neighbours, routes: &mut [Vec<usize>]) {
    routes.par_iter_mut().for_each_init(
        || local_search::position_scratch(cluster),
        |pos, r| local_search::improve_route(cluster, nbrs, r, pos),
    );
}
