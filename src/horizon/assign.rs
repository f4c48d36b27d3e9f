//! The first choice of a visit pattern for every town.
//!
//! # The rule
//! Towns are taken in this order: fewest allowed patterns first (the least
//! flexible choose while every day is still open), then the largest demand
//! over the horizon (demand × drops), then input order. Each town takes the
//! pattern with the smallest
//!
//! ```text
//! cost(p) = Σ over the days d of p of  near_d + D · ((load_d + q) / L)²
//! ```
//!
//! * `near_d` — the *insertion proxy*: distance from the nearest town
//!   already given day `d` to this town, or from the nearest depot if that
//!   is shorter (or the day is still empty). Small when the day's towns stay
//!   geographically compact.
//! * `load_d + q` — the day's load so far plus this town's, where a drop's
//!   load is its demand over the mean demand plus one for the visit itself
//!   (so both the goods and the stops are balanced); `L` the mean daily load
//!   of the whole horizon (Σ load × drops / days) and `D` the mean
//!   depot-to-town distance: a day filled to the mean costs one extra depot
//!   stem and overfilled days quickly cost more (the load-balance penalty).
//!
//! Ties go to the lowest pattern index (patterns are sorted by day mask).
//! Nearest towns are found with an R-tree on the oracle's planar points
//! when it has them, by a scan otherwise.

use crate::distance::{TravelOracle, is_unreachable};
use crate::model::Problem;
use rstar::RTree;
use rstar::primitives::GeomWithData;

type Point = GeomWithData<[f64; 2], usize>;

/// Towns assigned to one day so far.
struct DayTowns {
    load: f64,
    /// Locations, when there is no spatial index.
    locations: Vec<usize>,
    tree: Option<RTree<Point>>,
}

/// The chosen pattern index of every town in `towns` (others `None`), under
/// the rule of the module docs.
pub fn initial_patterns(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    towns: &[usize],
    days: u32,
) -> Vec<Option<usize>> {
    let mut chosen = vec![None; problem.towns.len()];
    if towns.is_empty() {
        return chosen;
    }
    // Depots that have vehicles.
    let depots: Vec<usize> = (0..problem.depots.len())
        .filter(|&d| problem.fleet.iter().any(|v| v.depot == d))
        .collect();
    let stem = |t: usize| -> i64 {
        let loc = problem.town_location(t);
        depots
            .iter()
            .map(|&d| oracle.distance(d, loc))
            .filter(|&x| !is_unreachable(x))
            .min()
            .unwrap_or(0)
    };
    let stems: Vec<i64> = towns.iter().map(|&t| stem(t)).collect();
    let mean_stem = (stems.iter().map(|&s| s as f64).sum::<f64>() / stems.len() as f64).max(1.0);
    // A drop's load: its demand relative to the mean demand, plus one for
    // the visit itself.
    let mean_demand = towns.iter().map(|&t| f64::from(problem.towns[t].demand)).sum::<f64>() / towns.len() as f64;
    let weight = |t: usize| {
        if mean_demand > 0.0 {
            f64::from(problem.towns[t].demand) / mean_demand + 1.0
        } else {
            1.0
        }
    };
    let drops = |t: usize| {
        problem.towns[t]
            .patterns
            .iter()
            .map(|p| p.count_ones())
            .min()
            .unwrap_or(0)
    };
    let total: f64 = towns.iter().map(|&t| weight(t) * f64::from(drops(t))).sum();
    let mean_load = (total / f64::from(days.max(1))).max(1e-9);

    let planar = (0..problem.num_locations()).all(|l| oracle.planar_point(l).is_some());
    let mut day_towns: Vec<DayTowns> = (0..days)
        .map(|_| DayTowns {
            load: 0.0,
            locations: Vec::new(),
            tree: planar.then(RTree::new),
        })
        .collect();

    let mut order: Vec<(usize, i64)> = towns.iter().copied().zip(stems.iter().copied()).collect();
    order.sort_by(|&(a, _), &(b, _)| {
        let (ta, tb) = (&problem.towns[a], &problem.towns[b]);
        ta.patterns
            .len()
            .cmp(&tb.patterns.len())
            .then_with(|| (weight(b) * f64::from(drops(b))).total_cmp(&(weight(a) * f64::from(drops(a)))))
            .then(a.cmp(&b))
    });

    let mut near = vec![0i64; days as usize];
    for (t, stem) in order {
        let town = &problem.towns[t];
        let loc = problem.town_location(t);
        let union = town.patterns.iter().fold(0u64, |m, &p| m | p);
        for d in 0..days as usize {
            if union >> d & 1 == 1 {
                near[d] = nearest(&day_towns[d], oracle, loc).map_or(stem, |x| x.min(stem));
            }
        }
        let q = weight(t);
        let cost = |p: u64| -> f64 {
            (0..days as usize)
                .filter(|&d| p >> d & 1 == 1)
                .map(|d| {
                    let fill = (day_towns[d].load + q) / mean_load;
                    near[d] as f64 + mean_stem * fill * fill
                })
                .sum()
        };
        let best = town
            .patterns
            .iter()
            .enumerate()
            .map(|(i, &p)| (cost(p), i))
            .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let Some((_, i)) = best else { continue };
        chosen[t] = Some(i);
        let p = town.patterns[i];
        for d in (0..days as usize).filter(|&d| p >> d & 1 == 1) {
            let day = &mut day_towns[d];
            day.load += q;
            match &mut day.tree {
                Some(tree) => {
                    if let Some(xy) = oracle.planar_point(loc) {
                        tree.insert(Point::new(xy, loc));
                    }
                }
                None => day.locations.push(loc),
            }
        }
    }
    chosen
}

/// Distance from the nearest location of the day to `loc` (by the oracle;
/// "nearest" by planar points when the day has a spatial index).
fn nearest(day: &DayTowns, oracle: &dyn TravelOracle, loc: usize) -> Option<i64> {
    let d = match &day.tree {
        Some(tree) => {
            let xy = oracle.planar_point(loc)?;
            let p = tree.nearest_neighbor(&xy)?;
            oracle.distance(p.data, loc)
        }
        None => day.locations.iter().map(|&u| oracle.distance(u, loc)).min()?,
    };
    (!is_unreachable(d)).then_some(d)
}
