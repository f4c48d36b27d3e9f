//! Oracles computed on demand from coordinates (no matrix: O(n) memory).

use super::TravelOracle;
use crate::model::{Location, Rounding, round_to_int};
use geo::{Distance, Haversine, Point};

/// Planar Euclidean distance made an integer by a [`Rounding`] convention
/// (TSPLIB `nint` by default, see [`EuclideanOracle::with_rounding`]).
#[derive(Debug, Clone)]
pub struct EuclideanOracle {
    xy: Vec<(f64, f64)>,
    rounding: Rounding,
}

impl EuclideanOracle {
    /// From planar locations (geographic ones are read as x = lon, y = lat),
    /// distances rounded to the nearest integer.
    pub fn new(locations: &[Location]) -> Self {
        Self::with_rounding(locations, Rounding::Nearest)
    }

    /// From planar locations, distances in `rounding`'s units.
    pub fn with_rounding(locations: &[Location], rounding: Rounding) -> Self {
        let xy = locations
            .iter()
            .map(|l| match *l {
                Location::Planar { x, y } => (x, y),
                Location::Geo { lon, lat } => (lon, lat),
            })
            .collect();
        EuclideanOracle { xy, rounding }
    }
}

impl TravelOracle for EuclideanOracle {
    fn num_locations(&self) -> usize {
        self.xy.len()
    }
    #[inline]
    fn distance(&self, a: usize, b: usize) -> i64 {
        let (xa, ya) = self.xy[a];
        let (xb, yb) = self.xy[b];
        self.rounding.arc(xa - xb, ya - yb)
    }
    fn duration(&self, _: usize, _: usize) -> Option<i64> {
        None
    }
    fn is_symmetric(&self) -> bool {
        true
    }
    fn planar_point(&self, location: usize) -> Option<[f64; 2]> {
        self.xy.get(location).map(|&(x, y)| [x, y])
    }
    fn euclidean_point(&self, location: usize) -> Option<(f64, f64)> {
        // Hot loops inline `nint` only; the other conventions ask `distance`.
        (self.rounding == Rounding::Nearest)
            .then(|| self.xy.get(location).copied())
            .flatten()
    }
}

/// Great-circle distance in metres (geo's haversine) times a circuity factor.
#[derive(Debug, Clone)]
pub struct HaversineOracle {
    points: Vec<Point<f64>>,
    circuity: f64,
    /// cos(mean latitude): equirectangular projection for spatial indexes.
    lon_scale: f64,
}

impl HaversineOracle {
    /// From geographic locations; `circuity` >= 1 stretches straight lines into roads.
    pub fn new(locations: &[Location], circuity: f64) -> Self {
        let points: Vec<Point<f64>> = locations
            .iter()
            .map(|l| match *l {
                Location::Geo { lon, lat } => Point::new(lon, lat),
                Location::Planar { x, y } => Point::new(x, y),
            })
            .collect();
        let mean_lat = points.iter().map(|p| p.y()).sum::<f64>() / points.len().max(1) as f64;
        HaversineOracle {
            points,
            circuity,
            lon_scale: mean_lat.to_radians().cos(),
        }
    }
}

impl TravelOracle for HaversineOracle {
    fn num_locations(&self) -> usize {
        self.points.len()
    }
    #[inline]
    fn distance(&self, a: usize, b: usize) -> i64 {
        round_to_int(Haversine.distance(self.points[a], self.points[b]) * self.circuity)
    }
    fn duration(&self, _: usize, _: usize) -> Option<i64> {
        None
    }
    fn is_symmetric(&self) -> bool {
        true
    }
    fn planar_point(&self, location: usize) -> Option<[f64; 2]> {
        self.points.get(location).map(|p| [p.x() * self.lon_scale, p.y()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euclidean_rounds_to_nearest() {
        let o = EuclideanOracle::new(&[Location::Planar { x: 0.0, y: 0.0 }, Location::Planar { x: 1.0, y: 1.0 }]);
        assert_eq!(o.distance(0, 1), 1); // sqrt 2 = 1.414
        let o = EuclideanOracle::new(&[Location::Planar { x: 0.0, y: 0.0 }, Location::Planar { x: 1.0, y: 2.0 }]);
        assert_eq!(o.distance(1, 0), 2); // sqrt 5 = 2.236
        let o = EuclideanOracle::new(&[Location::Planar { x: 0.0, y: 0.0 }, Location::Planar { x: 2.0, y: 2.0 }]);
        assert_eq!(o.distance(0, 1), 3); // 2.83
    }

    #[test]
    fn conventions_round_the_same_arc_their_way() {
        let locs = [Location::Planar { x: 0.0, y: 0.0 }, Location::Planar { x: 1.0, y: 1.0 }];
        let at = |r| EuclideanOracle::with_rounding(&locs, r).distance(0, 1);
        // sqrt 2 = 1.41421356...
        assert_eq!(at(Rounding::Nearest), 1);
        assert_eq!(at(Rounding::Exact), 14_143); // rounded up: never shorter than the real arc
        assert_eq!(at(Rounding::DimacsTenths), 14);
        let o = EuclideanOracle::with_rounding(&[locs[0], Location::Planar { x: 3.0, y: 4.0 }], Rounding::Exact);
        assert_eq!(o.distance(1, 0), 50_000); // a whole arc stays whole
        assert_eq!(o.euclidean_point(0), None);
    }

    #[test]
    fn haversine_one_degree_latitude() {
        let o = HaversineOracle::new(
            &[
                Location::Geo { lon: 10.0, lat: 50.0 },
                Location::Geo { lon: 10.0, lat: 51.0 },
            ],
            1.0,
        );
        let d = o.distance(0, 1);
        assert!((111_000..111_400).contains(&d), "{d}");
        let o2 = HaversineOracle::new(
            &[
                Location::Geo { lon: 10.0, lat: 50.0 },
                Location::Geo { lon: 10.0, lat: 51.0 },
            ],
            1.3,
        );
        assert_eq!(
            o2.distance(1, 0),
            round_to_int(d as f64 * 1.3).clamp(d * 13 / 10 - 1, d * 13 / 10 + 1)
        );
    }
}
