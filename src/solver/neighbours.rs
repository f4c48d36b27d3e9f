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
        flat.par_chunks_mut(k)
            .enumerate()
            .skip(1)
            .for_each_init(Vec::new, |cand, (i, row)| {
                cand.clear();
                match (&tree, &points) {
                    (Some(tree), Some(pts)) => cand.extend(
                        tree.nearest_neighbor_iter(&pts[i])
                            .map(|g| g.data as usize)
                            .filter(|&j| j != i)
                            .take(k + SPATIAL_SLACK)
                            .map(|j| (round_trip(i, j), j as u32)),
                    ),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::distance::build_oracle;

    #[test]
    fn spatial_lists_match_brute_force() {
        let problem = crate::solver::cluster::tests::scrambled_problem(600);
        let oracle = build_oracle(&problem).unwrap();
        let towns: Vec<usize> = (0..problem.towns.len()).collect();
        let c = Cluster::new(&problem, oracle.as_ref(), 0, &towns, &problem.fleet[0]);
        let (brute, spatial) = (Neighbours::compute(&c, 20, false), Neighbours::compute(&c, 20, true));
        for i in 1..c.num_nodes() {
            let d = |l: &[u32]| l.iter().map(|&j| c.dist(i, j as usize)).collect::<Vec<_>>();
            assert_eq!(d(brute.of(i)), d(spatial.of(i)), "node {i}");
            assert!(!spatial.of(i).contains(&(i as u32)) && !spatial.of(i).contains(&0));
        }
    }
}
