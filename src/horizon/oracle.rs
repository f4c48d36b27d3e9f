//! One day of a horizon as a problem of its own: the towns visited that
//! day, seen through an oracle that maps the day's location indices to the
//! full problem's (no second matrix, no second Dijkstra).

use crate::distance::{Snap, TravelOracle};
use crate::model::Problem;

/// A view of a full oracle over a subset of its locations: location `i` of
/// the view is location `map[i]` of the full oracle.
pub struct SubOracle<'a> {
    full: &'a dyn TravelOracle,
    map: Vec<usize>,
    snaps: Option<Vec<Snap>>,
}

impl<'a> SubOracle<'a> {
    /// A view of `full` over the locations `map` (each index `< full.num_locations()`).
    pub fn new(full: &'a dyn TravelOracle, map: Vec<usize>) -> Self {
        let snaps = full
            .snaps()
            .map(|s| map.iter().filter_map(|&i| s.get(i).copied()).collect());
        SubOracle { full, map, snaps }
    }
}

impl TravelOracle for SubOracle<'_> {
    fn num_locations(&self) -> usize {
        self.map.len()
    }
    #[inline]
    fn distance(&self, a: usize, b: usize) -> i64 {
        self.full.distance(self.map[a], self.map[b])
    }
    #[inline]
    fn duration(&self, a: usize, b: usize) -> Option<i64> {
        self.full.duration(self.map[a], self.map[b])
    }
    fn is_symmetric(&self) -> bool {
        self.full.is_symmetric()
    }
    fn planar_point(&self, location: usize) -> Option<[f64; 2]> {
        self.map.get(location).and_then(|&i| self.full.planar_point(i))
    }
    fn euclidean_point(&self, location: usize) -> Option<(f64, f64)> {
        self.map.get(location).and_then(|&i| self.full.euclidean_point(i))
    }
    fn snaps(&self) -> Option<&[Snap]> {
        self.snaps.as_deref().filter(|s| s.len() == self.map.len())
    }
    fn resolve_exact(&self, arcs: &[(usize, usize)]) {
        let mapped: Vec<(usize, usize)> = arcs
            .iter()
            .filter_map(|&(a, b)| Some((*self.map.get(a)?, *self.map.get(b)?)))
            .collect();
        self.full.resolve_exact(&mapped);
    }
}

/// Builds the problems of single days of a horizon problem.
pub struct DayProblems<'a> {
    problem: &'a Problem,
    /// `problem` with no towns and no horizon (fields added to [`Problem`]
    /// later are carried over by the struct update below).
    shell: Problem,
}

impl<'a> DayProblems<'a> {
    /// Day problems of `problem`.
    pub fn new(problem: &'a Problem) -> Self {
        let shell = Problem {
            towns: Vec::new(),
            horizon_days: None,
            ..problem.clone()
        };
        DayProblems { problem, shell }
    }

    /// The problem of day `day`: every depot and vehicle type of the full
    /// problem, and the towns `towns` (full town indices, in this order) as
    /// single-day towns (no patterns, no horizon). Returned with the location
    /// map for a [`SubOracle`] (depots keep their indices; day town `k` is
    /// full town `towns[k]`).
    pub fn day(&self, day: u32, towns: &[usize]) -> (Problem, Vec<usize>) {
        let problem = self.problem;
        let sub_towns = towns
            .iter()
            .map(|&t| {
                let mut town = problem.towns[t].clone();
                town.patterns = Vec::new();
                town
            })
            .collect();
        let map = (0..problem.depots.len())
            .chain(towns.iter().map(|&t| problem.town_location(t)))
            .collect();
        let name = if problem.name.is_empty() {
            format!("day {day}")
        } else {
            format!("{} (day {day})", problem.name)
        };
        let sub = Problem {
            name,
            towns: sub_towns,
            ..self.shell.clone()
        };
        (sub, map)
    }
}
