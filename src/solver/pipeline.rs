//! One solve from start to end: towns to depots, every depot's construction,
//! then the search path that fits the problem ([`super::search_path`]): one
//! search over the whole fleet, region by region, or depot by depot.

use super::by_regions::improve_decomposed;
use super::cluster::Cluster;
use super::finish::finish;
use super::per_depot::finish_per_depot;
use super::savings_grid::solve_cluster;
use super::search::{self, Budget, Flow};
use super::search_path::{counts_bind, fleet_search};
use super::warm_start::solve_from;
use super::whole_fleet::solve_fleet;
use super::{DEFAULT_ITERATIONS, Observer, SolveProgress, SolveStats, Solved, SolverConfig, assign};
use crate::distance::TravelOracle;
use crate::error::{Error, Result};
use crate::model::Problem;
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

pub(super) fn solve_inner(
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
    // The front ends check this too, to answer in their own terms; here it
    // holds for every caller of the library.
    if !(config.change_penalty.is_finite() && config.change_penalty >= 0.0) {
        return Err(Error::InvalidConfig(format!(
            "change_penalty must be a finite cost of at least 0, got {}",
            config.change_penalty
        )));
    }
    if config.change_penalty > 0.0 && config.initial.is_none() {
        return Err(Error::InvalidConfig(
            "change_penalty applies to a solve from a previous plan (initial)".into(),
        ));
    }
    let deadline = config.time_limit.map(|t| start + t);
    // Construction may use a tenth of the budget; the search gets the rest.
    let construction_deadline = config.time_limit.map(|t| start + t / 10);
    let profiles = assign::depot_profiles(problem);
    let reach = assign::Reach::new(problem, oracle);
    let assignment = assign::assign_towns(problem, oracle, &reach, &profiles);
    let steps = match (config.iterations, config.time_limit) {
        (Some(n), _) => Some(n),
        (None, Some(_)) => None,
        (None, None) => Some(DEFAULT_ITERATIONS),
    };
    let budget = Budget {
        deadline,
        iterations: steps,
    };
    // A warm start replaces the construction with the previous plan.
    if let Some(initial) = &config.initial {
        let mut stats = SolveStats::default();
        let started = solve_from(
            problem,
            oracle,
            config,
            &assignment,
            initial,
            budget,
            start,
            observer,
            &mut stats,
        );
        if let Some((mut plan, left)) = started {
            plan.unassigned.extend(assignment.unassigned.iter().cloned());
            return Ok(finish(problem, oracle, &reach, &assignment, plan, left, stats, start));
        }
    }

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
                v,
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
            budget,
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
