//! k-nearest-neighbour lists over a cluster's towns: the granular candidate
//! sets for savings pairs and local-search moves.

use super::cluster::Cluster;
use rayon::prelude::*;
use rstar::RTree;
use rstar::primitives::GeomWithData;

/// Above this many nodes, clusters with planar points find candidates with
/// an R-tree instead of scanning all pairs (O(n log n) instead of O(n²)).
const SPATIAL_INDEX_FROM: usize = 1500;

/// Extra R-tree candidates fetched beyond `k`, re-ranked by the oracle so
/// rounding ties and projection error do not drop a true neighbour.
const SPATIAL_SLACK: usize = 8;

/// Fewest rows per parallel piece of work.
const PARALLEL_ROWS: usize = 4096;

/// For every town node, its `k` nearest other town nodes, nearest first
/// (ties broken by node index). The depot (node 0) has an empty list.
#[derive(Debug, Clone)]
pub struct Neighbours {
    k: usize,
    flat: Vec<u32>,
}

impl Neighbours {
    /// Computes the lists (rows in parallel). Distance is the round-trip
    /// `d(i,j) + d(j,i)`, which is symmetric even on one-way road networks.
    pub fn new(cluster: &Cluster<'_>, k: usize) -> Neighbours {
        Self::compute(cluster, k, cluster.num_nodes() >= SPATIAL_INDEX_FROM)
    }

    fn compute(cluster: &Cluster<'_>, k: usize, spatial: bool) -> Neighbours {
        // Towns are nodes 1..=m; depots (0 and m+1..) have no list and are on none.
        let n = cluster.num_towns() + 1;
        let k = k.min(n.saturating_sub(2));
        let mut flat = vec![0u32; n * k];
        if k == 0 {
            return Neighbours { k, flat };
        }
        let round_trip = |i: usize, j: usize| cluster.dist(i, j).saturating_add(cluster.dist(j, i));
        let points: Option<Vec<[f64; 2]>> = if spatial {
            (0..n).map(|i| cluster.planar_point(i)).collect()
        } else {
            None
        };
        let tree = points.as_ref().map(|pts| {
            RTree::bulk_load(
                pts.iter()
                    .enumerate()
                    .skip(1)
                    .map(|(i, &p)| GeomWithData::new(p, i as u32))
                    .collect(),
            )
        });
        // A first search radius holding about k + slack towns at the mean density.
        let radius2 = points.as_ref().map_or(0.0, |pts| {
            let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
            for p in &pts[1..] {
                for a in 0..2 {
                    lo[a] = lo[a].min(p[a]);
                    hi[a] = hi[a].max(p[a]);
                }
            }
            let area = ((hi[0] - lo[0]) * (hi[1] - lo[1])).max(0.0);
            area * (k + SPATIAL_SLACK) as f64 / (std::f64::consts::PI * (n - 1) as f64)
        });
        // Rows in pieces of at least PARALLEL_ROWS: a region's lists (see
        // `decompose`) are built on its own thread, which then cannot wander
        // off into other regions' searches while it waits for helpers.
        flat.par_chunks_mut(k)
            .with_min_len(PARALLEL_ROWS)
            .enumerate()
            .skip(1)
            .for_each_init(Vec::new, |cand, (i, row)| {
                cand.clear();
                match (&tree, &points) {
                    (Some(tree), Some(pts)) => {
                        // The k + slack nearest by planar distance: a radius query
                        // (no priority queue), widened until it holds enough towns.
                        let want = (k + SPATIAL_SLACK).min(n - 2);
                        let p = pts[i];
                        let mut r2 = radius2;
                        let mut near: Vec<(f64, u32)> = Vec::new();
                        loop {
                            near.clear();
                            near.extend(
                                tree.locate_within_distance(p, r2)
                                    .filter(|g| g.data as usize != i)
                                    .map(|g| (planar2(&p, g.geom()), g.data)),
                            );
                            if near.len() >= want || !r2.is_finite() {
                                break;
                            }
                            r2 = if r2 > 0.0 { r2 * 4.0 } else { f64::INFINITY };
                        }
                        if near.len() > want {
                            near.select_nth_unstable_by(want - 1, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                            near.truncate(want);
                        }
                        cand.extend(near.iter().map(|&(_, j)| (round_trip(i, j as usize), j)));
                    }
                    _ => cand.extend((1..n).filter(|&j| j != i).map(|j| (round_trip(i, j), j as u32))),
                }
                cand.select_nth_unstable(k - 1);
                cand[..k].sort_unstable();
                for (slot, &(_, j)) in row.iter_mut().zip(cand.iter()) {
                    *slot = j;
                }
            });
        Neighbours { k, flat }
    }

    /// Neighbours of node `i`, nearest first.
    #[inline]
    pub fn of(&self, i: usize) -> &[u32] {
        if i == 0 || self.k == 0 || (i + 1) * self.k > self.flat.len() {
            &[]
        } else {
            &self.flat[i * self.k..(i + 1) * self.k]
        }
    }
}

fn planar2(a: &[f64; 2], b: &[f64; 2]) -> f64 {
    (a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::distance::build_oracle;

    #[test]
    fn spatial_lists_match_brute_force() {
        let problem = crate::solver::cluster::tests::scrambled_problem(600);
        let oracle = build_oracle(&problem).unwrap();
        let towns: Vec<usize> = (0..problem.towns.len()).collect();
        let c = Cluster::new(&problem, oracle.as_ref(), 0, &towns, 0);
        let (brute, spatial) = (Neighbours::compute(&c, 20, false), Neighbours::compute(&c, 20, true));
        for i in 1..c.num_nodes() {
            let d = |l: &[u32]| l.iter().map(|&j| c.dist(i, j as usize)).collect::<Vec<_>>();
            assert_eq!(d(brute.of(i)), d(spatial.of(i)), "node {i}");
            assert!(!spatial.of(i).contains(&(i as u32)) && !spatial.of(i).contains(&0));
        }
    }
}
