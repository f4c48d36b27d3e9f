//! The improvement phase region by region over every depot: the bridge
//! from a solve's per-depot routes to [`super::decompose`] and back.

use super::cluster::Cluster;
use super::decompose;
use super::search::Budget;
use super::{Observer, SolveProgress, SolveStats, SolverConfig};
use crate::distance::TravelOracle;
use crate::error::Result;
use crate::model::Problem;
use std::time::Instant;

/// The improvement phase region by region over every depot ([`decompose`]):
/// the depots' routes as problem towns, or the constructed routes back when
/// the towns cannot be placed (no planar points).
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
pub(super) fn improve_decomposed(
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
