//! The savings shape grid: which shapes are tried by default, how many a
//! cluster's construction may spend, and the construction itself (every
//! shape in parallel, each polished by the search's descent, the cheapest
//! kept).

use super::SolverConfig;
use super::cluster::Cluster;
use super::construct::savings::{SavingsPairs, SavingsParams, savings_routes};
use super::neighbours::Neighbours;
use super::search::{self, OperatorKind, SearchParams};
use rayon::prelude::*;
use std::time::Instant;

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

/// Towns × savings shapes a cluster's construction may spend: all 43 shapes
/// up to 4,651 towns, 6 at 30,000, 1 from 200,000.
pub const GRID_TOWN_SHAPES: usize = 200_000;

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
            polish_routes(cluster, &nbrs, &config.search, &mut routes);
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

/// The operators that polish a construction: 2-opt and relocate (strings of
/// 1–3 towns, within a route too: or-opt).
pub const POLISH_OPERATORS: [OperatorKind; 2] = [OperatorKind::TwoOpt, OperatorKind::Relocate];

/// Polishes constructed routes with the search's own descent (2-opt and
/// relocate, [`POLISH_OPERATORS`]), so every route rule the search keeps
/// (opening hours, pickups, every capacity dimension) is kept here too.
pub fn polish_routes(cluster: &Cluster<'_>, nbrs: &Neighbours, params: &SearchParams, routes: &mut Vec<Vec<usize>>) {
    *routes = search::descend(cluster, nbrs, routes, params, &POLISH_OPERATORS);
}
