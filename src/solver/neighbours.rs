//! k-nearest-neighbour lists over a cluster's towns: the granular candidate
//! sets for savings pairs and local-search moves.

use super::cluster::Cluster;
use rayon::prelude::*;

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
        let n = cluster.len();
        let k = k.min(n.saturating_sub(2));
        let mut flat = vec![0u32; n * k];
        if k > 0 {
            flat.par_chunks_mut(k)
                .enumerate()
                .skip(1)
                .for_each_init(Vec::new, |cand, (i, row)| {
                    cand.clear();
                    cand.extend(
                        (1..n)
                            .filter(|&j| j != i)
                            .map(|j| (cluster.dist(i, j).saturating_add(cluster.dist(j, i)), j as u32)),
                    );
                    cand.select_nth_unstable(k - 1);
                    cand[..k].sort_unstable();
                    for (slot, &(_, j)) in row.iter_mut().zip(cand.iter()) {
                        *slot = j;
                    }
                });
        }
        Neighbours { k, flat }
    }

    /// Neighbours of node `i`, nearest first.
    #[inline]
    pub fn of(&self, i: usize) -> &[u32] {
        if i == 0 || self.k == 0 {
            &[]
        } else {
            &self.flat[i * self.k..(i + 1) * self.k]
        }
    }

    /// List length.
    pub fn k(&self) -> usize {
        self.k
    }
}
