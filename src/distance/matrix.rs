//! Dense matrices: given in the input, or computed from a road network.

use super::{TravelOracle, UNREACHABLE};
use std::sync::Arc;

/// Row-major distance (and optional time) matrix; `None` = unreachable.
#[derive(Debug, Clone)]
pub struct MatrixOracle {
    n: usize,
    distances: Arc<Vec<Option<u32>>>,
    durations: Option<Arc<Vec<Option<u32>>>>,
    symmetric: bool,
}

impl MatrixOracle {
    /// Wraps `n × n` matrices (lengths must be `n * n`).
    pub fn new(n: usize, distances: Arc<Vec<Option<u32>>>, durations: Option<Arc<Vec<Option<u32>>>>) -> Self {
        assert_eq!(distances.len(), n * n, "distance matrix must be n × n");
        if let Some(d) = &durations {
            assert_eq!(d.len(), n * n, "duration matrix must be n × n");
        }
        let same = |m: &[Option<u32>]| (0..n).all(|i| (i + 1..n).all(|j| m[i * n + j] == m[j * n + i]));
        let symmetric = same(&distances) && durations.as_deref().is_none_or(|d| same(d));
        MatrixOracle {
            n,
            distances,
            durations,
            symmetric,
        }
    }
}

impl TravelOracle for MatrixOracle {
    fn num_locations(&self) -> usize {
        self.n
    }
    #[inline]
    fn distance(&self, a: usize, b: usize) -> i64 {
        self.distances[a * self.n + b].map_or(UNREACHABLE, i64::from)
    }
    #[inline]
    fn duration(&self, a: usize, b: usize) -> Option<i64> {
        self.durations
            .as_ref()
            .map(|d| d[a * self.n + b].map_or(UNREACHABLE, i64::from))
    }
    fn is_symmetric(&self) -> bool {
        self.symmetric
    }
}
