//! Dense matrices: given in the input, or computed from a road network.

use super::{TravelOracle, UNREACHABLE};
use crate::error::{Error, Result};
use std::sync::Arc;

/// Row-major distance (and optional time) matrix; `None` = unreachable.
/// The diagonal is never read: a location to itself is no travel (TSPLIB
/// files often put 9999 or other filler there, and the search's pricing
/// assumes zero).
#[derive(Debug, Clone)]
pub struct MatrixOracle {
    n: usize,
    distances: Arc<Vec<Option<u32>>>,
    durations: Option<Arc<Vec<Option<u32>>>>,
    symmetric: bool,
}

impl MatrixOracle {
    /// Wraps `n × n` matrices (lengths must be `n * n`).
    /// Fails if a matrix is not `n × n`.
    pub fn new(n: usize, distances: Arc<Vec<Option<u32>>>, durations: Option<Arc<Vec<Option<u32>>>>) -> Result<Self> {
        let size = n.checked_mul(n);
        for (name, len) in [
            ("distance", Some(distances.len())),
            ("duration", durations.as_ref().map(|d| d.len())),
        ] {
            if let Some(len) = len.filter(|&l| Some(l) != size) {
                return Err(Error::InvalidProblem(format!(
                    "{name} matrix has {len} entries, expected {n} × {n}"
                )));
            }
        }
        let same = |m: &[Option<u32>]| (0..n).all(|i| (i + 1..n).all(|j| m[i * n + j] == m[j * n + i]));
        let symmetric = same(&distances) && durations.as_deref().is_none_or(|d| same(d));
        Ok(MatrixOracle {
            n,
            distances,
            durations,
            symmetric,
        })
    }
}

impl TravelOracle for MatrixOracle {
    fn num_locations(&self) -> usize {
        self.n
    }
    #[inline]
    fn distance(&self, a: usize, b: usize) -> i64 {
        if a == b {
            return 0;
        }
        self.distances[a * self.n + b].map_or(UNREACHABLE, i64::from)
    }
    #[inline]
    fn duration(&self, a: usize, b: usize) -> Option<i64> {
        self.durations.as_ref().map(|d| {
            if a == b {
                0
            } else {
                d[a * self.n + b].map_or(UNREACHABLE, i64::from)
            }
        })
    }
    fn is_symmetric(&self) -> bool {
        self.symmetric
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_shape_is_an_error_not_a_panic() {
        assert!(MatrixOracle::new(2, Arc::new(vec![Some(0); 3]), None).is_err());
        assert!(MatrixOracle::new(2, Arc::new(vec![Some(0); 4]), Some(Arc::new(vec![None; 5]))).is_err());
        let m = MatrixOracle::new(2, Arc::new(vec![Some(0), Some(5), None, Some(0)]), None).unwrap();
        assert_eq!(m.distance(0, 1), 5);
        assert_eq!(m.distance(1, 0), UNREACHABLE);
        assert!(!m.is_symmetric());
    }

    #[test]
    fn the_diagonal_is_no_travel() {
        let m = MatrixOracle::new(
            2,
            Arc::new(vec![Some(9999), Some(5), Some(5), None]),
            Some(Arc::new(vec![Some(7); 4])),
        )
        .unwrap();
        assert_eq!((m.distance(0, 0), m.distance(1, 1)), (0, 0));
        assert_eq!(m.duration(1, 1), Some(0));
        assert_eq!(m.duration(0, 1), Some(7));
    }
}
