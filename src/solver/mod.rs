//! The solver: split towns between depots, build routes with parallel
//! Clarke–Wright savings under several shape parameters, improve every route
//! with 2-opt and or-opt, keep the cheapest variant, and hand routes to
//! vehicles.
//!
//! Determinism: every parallel step collects results in a fixed order and
//! breaks ties by index, so the same input, configuration and thread count
//! give the same routes (the thread count does not change the result either,
//! unless a time limit cuts the variant search short).

// The search's internals are public only to the benchmarks (feature
// `internals`, re-exported by `crate::internals`).
macro_rules! internal_mod {
    ($($name:ident),*) => {$(
        #[cfg(feature = "internals")]
        pub mod $name;
        #[cfg(not(feature = "internals"))]
        pub(crate) mod $name;
    )*};
}
internal_mod!(cluster, construct, neighbours, search);
pub(crate) mod assign;
pub mod decompose;
mod fleet;
pub(crate) mod local_search;
pub mod objective;

use crate::distance::{TravelOracle, build_oracle};
use crate::error::{Error, Result};
use crate::model::Problem;
use crate::solution::{Plan, Solution};
use cluster::Cluster;
pub use construct::savings::SavingsParams;
pub(crate) use construct::savings::{SavingsPairs, savings_routes};
pub use decompose::{Decomposition, Executor, RegionExecutor};
use neighbours::Neighbours;
pub use objective::Objective;
use rayon::prelude::*;
use search::Budget;
pub use search::operators::OperatorKind;
pub use search::{Flow, SearchParams};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Solver settings.
#[derive(Debug, Clone, PartialEq)]
pub struct SolverConfig {
    /// Seed of the search's random streams.
    pub seed: u64,
    /// Worker threads; `None` = rayon's default (one per core).
    pub threads: Option<usize>,
    /// Wall-clock budget of the whole solve, oracle included. Construction
    /// gets the first tenth (savings variants not started by then are
    /// skipped; the first always runs), the search the rest. A time-limited
    /// run depends on machine speed; use `iterations` for reproducible runs.
    pub time_limit: Option<Duration>,
    /// Savings shape parameters to try; the best after improvement wins.
    pub savings_variants: Vec<SavingsParams>,
    /// Neighbour-list length for savings pairs and local-search moves.
    pub neighbours: usize,
    /// Iteration budget of the improvement phase; with it, the same seed and
    /// thread count give the same routes. Without it and without a time
    /// limit, [`DEFAULT_ITERATIONS`] are run.
    pub iterations: Option<u64>,
    /// Parameters of the improvement phase.
    pub search: SearchParams,
    /// Depots with at most this many nodes cache dense distance (and time)
    /// matrices; bigger ones compute distances on demand (sparse mode:
    /// O(n·k) memory). 0 forces sparse mode everywhere.
    pub dense_matrix_limit: usize,
    /// What to minimise: the problem's own costs, or vehicles first
    /// ([`Objective::Vehicles`]: the search adds a fixed cost per route
    /// above any distance, see [`objective::vehicles_first_fixed_cost`];
    /// the solution states the problem's own costs, and progress is
    /// reported without that fixed cost). Single-day problems only.
    pub objective: Objective,
    /// When the improvement phase goes region by region, and where the
    /// regions run ([`decompose`]).
    pub decomposition: Decomposition,
}

/// Towns × savings shapes a cluster's construction may spend: all 43 shapes
/// up to 4,651 towns, 6 at 30,000, 1 from 200,000.
pub const GRID_TOWN_SHAPES: usize = 200_000;

/// Search steps run when neither a time limit nor an iteration budget is set.
pub const DEFAULT_ITERATIONS: u64 = 20_000;

impl Default for SolverConfig {
    fn default() -> Self {
        SolverConfig {
            seed: 0,
            threads: None,
            time_limit: None,
            savings_variants: default_savings_grid(),
            neighbours: 40,
            iterations: None,
            search: SearchParams::default(),
            dense_matrix_limit: cluster::DENSE_LIMIT,
            objective: Objective::Distance,
            decomposition: Decomposition::default(),
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
    /// Search steps run, summed over depots and chains.
    pub iterations: u64,
    /// Search steps accepted.
    pub accepted: u64,
}

/// How a solve is going, as told to an [`Observer`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SolveProgress {
    /// Total distance of the best routes so far, over all depots.
    pub best_cost: i64,
    /// Search steps run so far.
    pub iterations: u64,
    /// Time since the solve started.
    pub elapsed: Duration,
}

/// Watches a solve and may stop it early (the best routes so far are
/// returned). Called from the solving thread at every search epoch
/// boundary, i.e. every few milliseconds: keep it cheap.
pub trait Observer: Sync {
    /// Sees progress; returns [`Flow::Stop`] to stop the search.
    fn progress(&self, progress: &SolveProgress) -> Flow;
}

impl<F: Fn(&SolveProgress) -> Flow + Sync> Observer for F {
    fn progress(&self, progress: &SolveProgress) -> Flow {
        self(progress)
    }
}

/// An observer that never stops the solve.
pub struct Unobserved;

impl Observer for Unobserved {
    fn progress(&self, _: &SolveProgress) -> Flow {
        Flow::Continue
    }
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
        let mut solved = solve_with_objective(problem, oracle.as_ref(), config, start, &Unobserved)?;
        solved.stats.oracle_time = oracle_time;
        Ok(solved)
    })
}

/// Solves with an oracle the caller already has (e.g. to validate afterwards).
pub fn solve_with_oracle(problem: &Problem, oracle: &dyn TravelOracle, config: &SolverConfig) -> Result<Solved> {
    solve_observed(problem, oracle, config, &Unobserved)
}

/// Like [`solve_with_oracle`], reporting progress to `observer`, which may
/// stop the search early.
pub fn solve_observed(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    config: &SolverConfig,
    observer: &dyn Observer,
) -> Result<Solved> {
    let start = Instant::now();
    with_threads(config, || {
        solve_with_objective(problem, oracle, config, start, observer)
    })
}

/// Applies `config.objective`: [`Objective::Vehicles`] solves a copy of the
/// problem with the vehicles-first fixed costs, then schedules the routes on
/// `problem` itself.
fn solve_with_objective(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    config: &SolverConfig,
    start: Instant,
    observer: &dyn Observer,
) -> Result<Solved> {
    if config.objective == Objective::Distance {
        return solve_inner(problem, oracle, config, start, observer);
    }
    let mut weighted = problem.clone();
    let fixed = objective::apply_objective(&mut weighted, oracle, config.objective);
    let observer = |p: &SolveProgress| observer.progress(&objective::without_fixed_cost(p, fixed));
    let mut solved = solve_inner(&weighted, oracle, config, start, &observer)?;
    solved.solution = Solution::from_plan(problem, oracle, &solved.plan);
    Ok(solved)
}

/// Most worker threads a solve may ask for: every thread runs a search
/// chain of its own, and far more threads than cores only thrash.
pub const MAX_THREADS: usize = 256;

/// A pool of `threads` workers (`None`: rayon's global pool, one per core).
/// Refuses 0 and more than [`MAX_THREADS`] with [`Error::InvalidConfig`].
pub fn thread_pool(threads: Option<usize>) -> Result<Option<rayon::ThreadPool>> {
    match threads {
        None => Ok(None),
        Some(n) if n == 0 || n > MAX_THREADS => Err(Error::InvalidConfig(format!(
            "threads must be within 1..={MAX_THREADS}, got {n}"
        ))),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map(Some)
            .map_err(|e| Error::InvalidConfig(format!("cannot start {n} threads: {e}"))),
    }
}

/// Runs `f` on a pool with the configured thread count.
pub(crate) fn with_threads<T: Send>(config: &SolverConfig, f: impl FnOnce() -> Result<T> + Send) -> Result<T> {
    match thread_pool(config.threads)? {
        None => f(),
        Some(pool) => pool.install(f),
    }
}

fn solve_inner(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    config: &SolverConfig,
    start: Instant,
    observer: &dyn Observer,
) -> Result<Solved> {
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
    // Construction may use a tenth of the budget; the search gets the rest.
    let construction_deadline = config.time_limit.map(|t| start + t / 10);
    let profiles = assign::depot_profiles(problem);
    let reach = assign::Reach::new(problem, oracle);
    let assignment = assign::assign_towns(problem, oracle, &reach, &profiles);

    let clusters: Vec<Option<Cluster>> = assignment
        .towns_of_depot
        .iter()
        .enumerate()
        .map(|(d, towns)| match profiles[d] {
            Some(v) if !towns.is_empty() => Some(Cluster::with_dense_limit(
                problem,
                oracle,
                d,
                towns,
                &problem.fleet[v],
                config.dense_matrix_limit,
            )),
            _ => None,
        })
        .collect();
    // Construction: depots in parallel.
    let constructed: Vec<(Vec<Vec<usize>>, usize)> = clusters
        .par_iter()
        .map(|c| match c {
            Some(c) => solve_cluster(c, config, construction_deadline),
            None => (Vec::new(), 0),
        })
        .collect();

    let steps = match (config.iterations, config.time_limit) {
        (Some(n), _) => Some(n),
        (None, Some(_)) => None,
        (None, None) => Some(DEFAULT_ITERATIONS),
    };
    let largest = clusters.iter().flatten().map(Cluster::num_towns).max().unwrap_or(0);
    if fleet_search(problem, config.decomposition.applies(largest)) || counts_bind(problem, &constructed) {
        let routes: Vec<Vec<Vec<usize>>> = clusters
            .iter()
            .zip(&constructed)
            .map(|(c, (routes, _))| match c {
                Some(c) => routes.iter().map(|r| c.town_indices(r)).collect(),
                None => Vec::new(),
            })
            .collect();
        let mut stats = SolveStats {
            variants_run: constructed.iter().map(|(_, ran)| ran).sum(),
            ..SolveStats::default()
        };
        if let Some((mut plan, left)) = solve_fleet(
            problem,
            oracle,
            config,
            &assignment,
            routes,
            Budget {
                deadline,
                iterations: steps,
            },
            construction_deadline,
            start,
            observer,
            &mut stats,
        ) {
            plan.unassigned.extend(assignment.unassigned.iter().cloned());
            return Ok(finish(problem, oracle, &reach, &assignment, plan, left, stats, start));
        }
    }

    // Search: depots one after another, each with both cores and a share of
    // the remaining budget proportional to its towns.
    let mut remaining_towns: usize = clusters.iter().flatten().map(|c| c.num_nodes() - 1).sum();
    let mut remaining_steps = steps;
    let mut costs: Vec<i64> = clusters
        .iter()
        .zip(&constructed)
        .map(|(c, (routes, _))| c.as_ref().map_or(0, |c| c.routes_cost(routes)))
        .collect();
    let mut stats = SolveStats::default();
    let mut per_depot = Vec::with_capacity(clusters.len());
    let mut stopped = false;
    let constructed = if config.decomposition.applies(largest) {
        match improve_decomposed(
            problem,
            oracle,
            config,
            &clusters,
            constructed,
            &profiles,
            deadline,
            steps,
            start,
            observer,
            &mut stats,
        )? {
            Ok(per_depot) => {
                return finish_per_depot(
                    problem,
                    oracle,
                    config,
                    deadline,
                    &reach,
                    &assignment,
                    per_depot,
                    stats,
                    start,
                );
            }
            Err(constructed) => constructed,
        }
    } else {
        constructed
    };
    for (d, (cluster, (routes, ran))) in clusters.iter().zip(constructed).enumerate() {
        stats.variants_run += ran;
        let Some(cluster) = cluster else {
            per_depot.push(Vec::new());
            continue;
        };
        let towns = cluster.num_nodes() - 1;
        let share = |total: f64| total * towns as f64 / remaining_towns.max(1) as f64;
        let budget = Budget {
            deadline: deadline.map(|dl| {
                let now = Instant::now();
                now + dl.saturating_duration_since(now).mul_f64(share(1.0))
            }),
            iterations: remaining_steps.map(|n| share(n as f64).round() as u64),
        };
        let others: i64 = costs.iter().enumerate().filter(|&(k, _)| k != d).map(|(_, c)| c).sum();
        let routes = if stopped {
            routes
        } else {
            let cancelled = AtomicBool::new(false);
            let done_before = stats.iterations;
            let outcome = search::improve(cluster, &routes, &config.search, budget, config.seed, &|p| {
                let flow = observer.progress(&SolveProgress {
                    best_cost: others + p.best_cost,
                    iterations: done_before + p.iterations,
                    elapsed: start.elapsed(),
                });
                if flow == Flow::Stop {
                    cancelled.store(true, Ordering::Relaxed);
                }
                flow
            });
            stats.iterations += outcome.iterations;
            stats.accepted += outcome.accepted;
            costs[d] = outcome.cost;
            stopped = cancelled.load(Ordering::Relaxed);
            outcome.routes
        };
        remaining_towns -= towns;
        if let (Some(n), Some(b)) = (remaining_steps.as_mut(), budget.iterations) {
            *n = n.saturating_sub(b);
        }
        per_depot.push(routes.into_iter().map(|r| cluster.town_indices(&r)).collect::<Vec<_>>());
    }
    finish_per_depot(
        problem,
        oracle,
        config,
        deadline,
        &reach,
        &assignment,
        per_depot,
        stats,
        start,
    )
}

/// The improvement phase region by region over every depot ([`decompose`]):
/// the depots' routes as problem towns, or the constructed routes back when
/// the towns cannot be placed (no planar points).
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn improve_decomposed(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    config: &SolverConfig,
    clusters: &[Option<Cluster<'_>>],
    constructed: Vec<(Vec<Vec<usize>>, usize)>,
    profiles: &[Option<usize>],
    deadline: Option<Instant>,
    steps: Option<u64>,
    start: Instant,
    observer: &dyn Observer,
    stats: &mut SolveStats,
) -> Result<std::result::Result<Vec<Vec<Vec<usize>>>, Vec<(Vec<Vec<usize>>, usize)>>> {
    let mut depots = Vec::new();
    let mut ran = Vec::with_capacity(constructed.len());
    for (d, (cluster, (routes, variants))) in clusters.iter().zip(constructed).enumerate() {
        ran.push(variants);
        if let (Some(cluster), Some(v)) = (cluster, profiles[d]) {
            depots.push(decompose::DepotRoutes {
                depot: d,
                vehicle_type: v,
                cluster,
                routes,
            });
        }
    }
    let observe = |cost: i64, iterations: u64| {
        observer.progress(&SolveProgress {
            best_cost: cost,
            iterations,
            elapsed: start.elapsed(),
        })
    };
    let budget = Budget {
        deadline,
        iterations: steps,
    };
    let run = decompose::improve_depots(problem, oracle, &mut depots, config, budget, &observe)?;
    let Some(run) = run else {
        // Hand the constructed routes back, in depot order.
        let mut back: Vec<(Vec<Vec<usize>>, usize)> = ran.into_iter().map(|v| (Vec::new(), v)).collect();
        for d in depots {
            back[d.depot].0 = d.routes;
        }
        return Ok(Err(back));
    };
    stats.variants_run += ran.iter().sum::<usize>();
    stats.iterations += run.iterations;
    stats.accepted += run.accepted;
    let mut per_depot = vec![Vec::new(); clusters.len()];
    for d in depots {
        per_depot[d.depot] = d.routes.iter().map(|r| d.cluster.town_indices(r)).collect();
    }
    Ok(Ok(per_depot))
}

/// Vehicles for every depot's routes, then the towns left over planned
/// where a vehicle can still take them, then [`finish`].
#[allow(clippy::too_many_arguments)]
fn finish_per_depot(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    config: &SolverConfig,
    deadline: Option<Instant>,
    reach: &assign::Reach,
    assignment: &assign::Assignment,
    per_depot: Vec<Vec<Vec<usize>>>,
    mut stats: SolveStats,
    start: Instant,
) -> Result<Solved> {
    let mut plan = Plan {
        routes: Vec::new(),
        unassigned: assignment.unassigned.clone(),
    };
    let mut leftovers = Leftovers {
        problem,
        oracle,
        config,
        deadline,
        stats: &mut stats,
    };
    let mut left = assignment.leftover.clone();
    for (d, routes) in per_depot.into_iter().enumerate() {
        let orphans: Vec<usize> = fleet::assign_vehicles(problem, oracle, d, routes, &mut plan.routes)
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        left.extend(leftovers.plan_at(d, orphans, &mut plan));
    }
    // Towns the fleets of their depots could not take: planned at the
    // nearest other depot that has a vehicle left able to serve them alone,
    // until no depot takes more.
    for _ in 0..problem.depots.len() {
        let mut at_depot = vec![Vec::new(); problem.depots.len()];
        let mut unplaced = Vec::new();
        for t in left {
            let loc = problem.town_location(t);
            let nearest = assign::alone_types(problem, oracle, reach, t)
                .into_iter()
                .filter(|&v| fleet::has_spare(problem, &plan.routes, v))
                .map(|v| problem.fleet[v].depot)
                .min_by_key(|&d| (oracle.distance(d, loc).saturating_add(oracle.distance(loc, d)), d));
            match nearest {
                Some(d) => at_depot[d].push(t),
                None => unplaced.push(t),
            }
        }
        let tried = at_depot.iter().map(Vec::len).sum::<usize>();
        if tried == 0 {
            left = unplaced;
            break;
        }
        let mut still = Vec::new();
        for (d, towns) in at_depot.into_iter().enumerate().filter(|(_, t)| !t.is_empty()) {
            still.extend(leftovers.plan_at(d, towns, &mut plan));
        }
        let progress = still.len() < tried;
        unplaced.extend(still);
        left = unplaced;
        if !progress {
            break;
        }
    }
    Ok(finish(problem, oracle, reach, assignment, plan, left, stats, start))
}

/// The last steps of every solve: exact legs, routes trimmed to fit,
/// left-over and indirectly reached towns placed, the schedule.
#[allow(clippy::too_many_arguments)]
fn finish(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    reach: &assign::Reach,
    assignment: &assign::Assignment,
    mut plan: Plan,
    mut left: Vec<usize>,
    mut stats: SolveStats,
    start: Instant,
) -> Solved {
    // Sparse road oracles estimate the legs between towns that are not
    // neighbours: make the legs of the final routes exact, and give a route
    // that no longer fits its vehicle its last towns back to place again.
    oracle.resolve_exact(&plan_legs(problem, &plan));
    left.extend(fleet::trim_to_fit(problem, oracle, &mut plan));
    fleet::place_orphans(problem, oracle, reach, left, &mut plan);
    fleet::route_indirect(problem, oracle, &assignment.indirect, &mut plan);
    oracle.resolve_exact(&plan_legs(problem, &plan));
    plan.unassigned.sort_by_key(|(t, _)| *t);
    let solution = Solution::from_plan(problem, oracle, &plan);
    stats.elapsed = start.elapsed();
    Solved { plan, solution, stats }
}

/// True if the fleet belongs inside the search: several depots or vehicle
/// types, towns that name their vehicle types, pickups (the load rule is
/// the search's), optional towns (the pool's prizes), overtime at a cost
/// (priced in money only there), routes that end elsewhere than they
/// start (each type's end node is the search's) or several capacity
/// dimensions (the search's load profiles carry them). One depot with one type
/// is solved per depot as a plain CVRP (and its count applied afterwards).
/// A plan big enough to decompose (`decomposed`) whose fleet is one
/// unlimited type per depot, priced alike (national instances), is planned
/// depot by depot instead, so its depots' regions are improved apart.
fn fleet_search(problem: &Problem, decomposed: bool) -> bool {
    (problem.fleet.len() > 1 && !(decomposed && depot_fleets(problem)))
        || problem.towns.iter().any(|t| !t.allowed_types.is_empty())
        || problem.has_pickups()
        || problem.has_optional_towns()
        || problem.has_reloads()
        || problem.has_release_times()
        || problem.fleet.iter().any(|v| v.cost_per_overtime_hour > 0.0)
        || problem.has_route_ends()
        || problem.dimensions() > 1
}

/// True if some depot's construction needs more routes than its vehicle
/// types have vehicles: handing routes out afterwards would drop whole
/// routes, so the fleet search decides which towns to leave out (towns
/// served first, then cost).
fn counts_bind(problem: &Problem, constructed: &[(Vec<Vec<usize>>, usize)]) -> bool {
    constructed.iter().enumerate().any(|(d, (routes, _))| {
        let mut vehicles = 0usize;
        for v in problem.fleet.iter().filter(|v| v.depot == d) {
            match v.count {
                Some(c) => vehicles = vehicles.saturating_add(c as usize),
                None => return false,
            }
        }
        routes.len() > vehicles
    })
}

/// True if each depot has at most one vehicle type, of unlimited count,
/// all priced alike: the per-depot search then solves the same problem
/// (towns keep the depot they are assigned to), and a big plan of that kind
/// is decomposed by depot, then by route regions.
fn depot_fleets(problem: &Problem) -> bool {
    let first = &problem.fleet[0];
    let mut per_depot = vec![0usize; problem.depots.len()];
    problem.fleet.iter().all(|v| {
        per_depot[v.depot] += 1;
        per_depot[v.depot] == 1
            && v.count.is_none()
            && v.fixed_cost == first.fixed_cost
            && v.cost_per_km == first.cost_per_km
            && v.cost_per_hour == first.cost_per_hour
            && v.speed_kmh == first.speed_kmh
            && v.breaks.is_empty()
            && v.reload_depots.is_empty()
    })
}

/// Plans every town the fleet can serve in one search over all depots and
/// vehicle types: the per-depot constructions are handed to vehicles
/// (cheapest type with a vehicle left that can drive the route), towns
/// without one start in the search's pool, and the search then moves
/// towns between depots and types under the counts; returns the plan and
/// the towns still without a vehicle. `None` when the types' travel times
/// differ (see [`Cluster::fleet`]).
#[allow(clippy::too_many_arguments)]
fn solve_fleet(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    config: &SolverConfig,
    assignment: &assign::Assignment,
    constructed: Vec<Vec<Vec<usize>>>,
    budget: Budget,
    construction_deadline: Option<Instant>,
    start: Instant,
    observer: &dyn Observer,
    stats: &mut SolveStats,
) -> Option<(Plan, Vec<usize>)> {
    let mut towns: Vec<usize> = assignment.towns_of_depot.iter().flatten().copied().collect();
    towns.extend(assignment.leftover.iter().copied());
    if towns.is_empty() {
        return None;
    }
    let cluster = Cluster::fleet(problem, oracle, &towns, config.dense_matrix_limit)?;
    let mut node_of = vec![0usize; problem.towns.len()];
    for (i, &t) in towns.iter().enumerate() {
        node_of[t] = i + 1;
    }
    // Each depot's construction handed to its vehicles (cheapest type that
    // can drive a route); towns whose route found no vehicle start in the pool.
    let hand_out = |d: usize, routes: Vec<Vec<usize>>| -> Vec<(usize, Vec<usize>)> {
        let mut out = Vec::new();
        let _ = fleet::assign_vehicles(problem, oracle, d, routes, &mut out);
        out.into_iter()
            .map(|r| (r.vehicle_type, r.towns.iter().map(|&t| node_of[t]).collect()))
            .collect()
    };
    let mut per_depot: Vec<Vec<(usize, Vec<usize>)>> = constructed
        .into_iter()
        .enumerate()
        .map(|(d, r)| hand_out(d, r))
        .collect();
    let objective = |per_depot: &[Vec<(usize, Vec<usize>)>]| {
        let all: Vec<(usize, Vec<usize>)> = per_depot.iter().flatten().cloned().collect();
        search::Routes::typed(&cluster, &all, true).cost
    };
    // A mixed fleet: the construction for the largest type may not be the
    // cheapest start (small vehicles with low running costs); try each
    // other type's savings routes too and keep, depot by depot, the start
    // with the lowest objective (pool penalties included).
    let mut best = objective(&per_depot);
    for d in 0..problem.depots.len() {
        let types: Vec<usize> = (0..problem.fleet.len())
            .filter(|&v| problem.fleet[v].depot == d)
            .collect();
        let depot_towns = &assignment.towns_of_depot[d];
        if types.len() < 2 || types.len() > MAX_START_TYPES || depot_towns.is_empty() {
            continue;
        }
        for &v in &types {
            if construction_deadline.is_some_and(|dl| Instant::now() >= dl) {
                break;
            }
            let c = Cluster::with_dense_limit(
                problem,
                oracle,
                d,
                depot_towns,
                &problem.fleet[v],
                config.dense_matrix_limit,
            );
            let (routes, ran) = solve_cluster(&c, config, construction_deadline);
            stats.variants_run += ran;
            let routes = routes.iter().map(|r| c.town_indices(r)).collect();
            let candidate = hand_out(d, routes);
            let kept = std::mem::replace(&mut per_depot[d], candidate);
            let cost = objective(&per_depot);
            if cost < best {
                best = cost;
            } else {
                per_depot[d] = kept;
            }
        }
    }
    let initial: Vec<(usize, Vec<usize>)> = per_depot.into_iter().flatten().collect();
    let outcome = search::improve_fleet(&cluster, &initial, &config.search, budget, config.seed, &|p| {
        observer.progress(&SolveProgress {
            best_cost: p.best_cost,
            iterations: p.iterations,
            elapsed: start.elapsed(),
        })
    });
    stats.iterations += outcome.iterations;
    stats.accepted += outcome.accepted;
    let plan = Plan {
        routes: outcome
            .routes
            .into_iter()
            .map(|(k, r)| planned_route(&cluster, k, &r))
            .collect(),
        unassigned: Vec::new(),
    };
    // Optional towns the search left out stay out: their prize is cheaper.
    // (Spare reload nodes in the pool are no towns.)
    let (optional, left): (Vec<usize>, Vec<usize>) = outcome
        .pool
        .iter()
        .filter(|&&v| !cluster.is_reload(v))
        .partition(|&&v| cluster.is_optional(v));
    let mut plan = plan;
    plan.unassigned.extend(
        cluster
            .town_indices(&optional)
            .into_iter()
            .map(|t| (t, crate::solution::UnassignedReason::NotWorthItsPrize)),
    );
    Some((plan, cluster.town_indices(&left)))
}

/// A route of cluster nodes (reload nodes included) of route type `k` as a
/// planned route of problem towns and reloads.
fn planned_route(cluster: &Cluster<'_>, k: usize, nodes: &[usize]) -> crate::solution::PlannedRoute {
    let mut route = crate::solution::PlannedRoute::new(cluster.types[k].vehicle_type, Vec::with_capacity(nodes.len()));
    for &v in nodes {
        if cluster.is_reload(v) {
            route.reloads.push(crate::solution::Reload {
                before: route.towns.len(),
                depot: cluster.depot_location(v),
            });
        } else {
            route.towns.push(cluster.towns[v]);
        }
    }
    route
}

/// Every leg (location pairs) the plan's routes drive, depot legs included.
fn plan_legs(problem: &Problem, plan: &Plan) -> Vec<(usize, usize)> {
    let mut legs = Vec::new();
    for r in plan.routes.iter().filter(|r| !r.towns.is_empty()) {
        let depot = problem.fleet[r.vehicle_type].depot;
        let mut stops: Vec<usize> = vec![depot];
        let mut reloads = r.reloads.iter().peekable();
        for (i, &t) in r.towns.iter().enumerate() {
            while let Some(x) = reloads.next_if(|x| x.before <= i) {
                stops.push(x.depot);
            }
            stops.push(problem.town_location(t));
        }
        stops.extend(problem.fleet[r.vehicle_type].end_depot());
        legs.extend(stops.windows(2).map(|w| (w[0], w[1])));
    }
    legs
}

/// Plans towns whose route found no vehicle with the other vehicle types
/// of a depot.
struct Leftovers<'a, 's> {
    problem: &'a Problem,
    oracle: &'a dyn TravelOracle,
    config: &'a SolverConfig,
    deadline: Option<Instant>,
    stats: &'s mut SolveStats,
}

impl Leftovers<'_, '_> {
    /// Plans `towns` at depot `d` for the largest vehicle type that still
    /// has vehicles, then the next, until every type was tried; returns the
    /// towns still without a vehicle. Mixed fleets: a depot is planned for
    /// its largest vehicle first.
    fn plan_at(&mut self, d: usize, mut left: Vec<usize>, plan: &mut Plan) -> Vec<usize> {
        let (problem, oracle, config) = (self.problem, self.oracle, self.config);
        let mut tried = Vec::new();
        while !left.is_empty() {
            let Some(v) = fleet::next_profile(problem, d, &plan.routes, &tried) else {
                break;
            };
            tried.push(v);
            let cluster =
                Cluster::with_dense_limit(problem, oracle, d, &left, &problem.fleet[v], config.dense_matrix_limit);
            let (routes, _) = solve_cluster(&cluster, config, self.deadline);
            let budget = Budget {
                deadline: self.deadline,
                iterations: Some(FLEET_ROUND_STEPS),
            };
            let outcome = search::improve(&cluster, &routes, &config.search, budget, config.seed, &|_| {
                Flow::Continue
            });
            self.stats.iterations += outcome.iterations;
            let routes = outcome.routes.into_iter().map(|r| cluster.town_indices(&r)).collect();
            left = fleet::assign_vehicles(problem, oracle, d, routes, &mut plan.routes)
                .into_iter()
                .map(|(t, _)| t)
                .collect();
        }
        left
    }
}

/// Most vehicle types at one depot whose own savings construction is tried
/// as the fleet search's start.
const MAX_START_TYPES: usize = 8;

/// Search steps spent planning the towns left over for a smaller vehicle
/// type of a mixed fleet (per round).
const FLEET_ROUND_STEPS: u64 = 2_000;

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
    // Big clusters try fewer shapes: the grid's gain is small next to the
    // search's, and each shape costs a full construction.
    let towns = cluster.num_nodes().saturating_sub(1).max(1);
    let shapes = (GRID_TOWN_SHAPES / towns).max(1);
    let results: Vec<(i64, usize, Vec<Vec<usize>>)> = config
        .savings_variants
        .par_iter()
        .take(shapes)
        .enumerate()
        .filter_map(|(k, &params)| {
            if k > 0 && deadline.is_some_and(|d| Instant::now() >= d) {
                return None;
            }
            let mut routes = savings_routes(cluster, &pairs, params);
            // The route polish prices times by sums; with opening hours the
            // search's operators (which time each route) do this work.
            if !cluster.windowed {
                improve_routes(cluster, &nbrs, &mut routes);
            }
            let cost = cluster.routes_cost(&routes);
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
