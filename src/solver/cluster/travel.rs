//! Distances and travel times between cluster nodes: the dense matrices'
//! packed entries, inline Euclidean distances and the oracle fallback.

use super::{Cluster, NOWHERE};
use crate::distance::{UNREACHABLE, is_unreachable};
use crate::model::round_to_int;

pub(super) fn pack(v: i64) -> u32 {
    if is_unreachable(v) || v >= u32::MAX as i64 {
        u32::MAX
    } else {
        v as u32
    }
}

fn unpack(v: u32) -> i64 {
    if v == u32::MAX { UNREACHABLE } else { i64::from(v) }
}

impl<'a> Cluster<'a> {
    pub(super) fn oracle_distance(&self, i: usize, j: usize) -> i64 {
        let (a, b) = (self.locations[i], self.locations[j]);
        if a == NOWHERE || b == NOWHERE {
            return 0;
        }
        self.oracle.distance(a, b)
    }

    pub(super) fn oracle_time(&self, profile: usize, i: usize, j: usize) -> i64 {
        let (a, b) = (self.locations[i], self.locations[j]);
        if a == NOWHERE || b == NOWHERE {
            return 0;
        }
        self.oracle.travel_time(self.profiles[profile], a, b)
    }

    /// True if distances are computed from planar points on the fly (no
    /// dense matrix, no oracle call).
    pub fn is_inline_euclidean(&self) -> bool {
        self.euclidean.is_some()
    }

    /// Number of nodes including the depot.
    pub fn num_nodes(&self) -> usize {
        self.locations.len()
    }

    /// True if distances (and times) are the same both ways.
    pub fn is_symmetric(&self) -> bool {
        self.symmetric
    }

    /// Distance from node `i` to node `j`.
    #[inline]
    pub fn dist(&self, i: usize, j: usize) -> i64 {
        if let Some(m) = &self.dense_dist {
            return unpack(m[i * self.locations.len() + j]);
        }
        if let Some(xy) = &self.euclidean {
            let ((xa, ya), (xb, yb)) = (xy[i], xy[j]);
            return round_to_int(((xa - xb) * (xa - xb) + (ya - yb) * (ya - yb)).sqrt());
        }
        self.oracle_distance(i, j)
    }

    /// Travel time from node `i` to node `j` (0 when durations are
    /// unconstrained) in a cluster of one time profile: the construction's
    /// and the route polish's view. A fleet cluster's routes read their own
    /// type's profile with [`Cluster::time_in`].
    #[inline]
    pub fn time(&self, i: usize, j: usize) -> i64 {
        debug_assert_eq!(self.profiles.len(), 1, "a fleet cluster's times depend on the route type");
        self.time_in(0, i, j)
    }

    /// Travel time from node `i` to node `j` in time profile `profile` (a
    /// route type's [`RouteType::profile`](super::RouteType::profile)).
    #[inline]
    pub fn time_in(&self, profile: u32, i: usize, j: usize) -> i64 {
        if !self.timed {
            return 0;
        }
        match self.dense_times.get(profile as usize) {
            Some(m) => unpack(m[i * self.locations.len() + j]),
            None => self.oracle_time(profile as usize, i, j),
        }
    }

    /// Number of time profiles (distinct speeds among the route types).
    #[inline]
    pub fn num_profiles(&self) -> usize {
        self.profiles.len()
    }

    /// Planar point of node `i` for spatial indexes, if the oracle has one.
    pub fn planar_point(&self, i: usize) -> Option<[f64; 2]> {
        let l = self.locations[i];
        if l == NOWHERE {
            return None;
        }
        self.oracle.planar_point(l)
    }
}
