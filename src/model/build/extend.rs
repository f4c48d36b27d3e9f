//! One more town on a built problem: an order that came in during the day
//! (plan mode's "where does it fit").

use super::towns::{allow_vehicle_types, build_towns};
use crate::error::{Error, Result};
use crate::model::{MAX_TOWNS, Problem, TownSpec, Travel};

impl Problem {
    /// This problem with `spec` as one more town, the last: checked as
    /// [`Problem::from_spec`] checks a town (amounts in every capacity
    /// dimension, windows, vehicle types, release, prize, priority). Every
    /// other town keeps its index.
    ///
    /// Errors: the checks' errors; [`Error::InvalidProblem`] for an id the
    /// problem already has, a location of the other kind (planar or
    /// geographic), or a travel matrix (it has no row for the new town:
    /// add the town to the problem instead).
    pub fn with_town(&self, spec: TownSpec) -> Result<Problem> {
        if self.towns.len() >= MAX_TOWNS {
            return Err(Error::TooLarge {
                what: "towns",
                value: self.towns.len() as u64 + 1,
                limit: MAX_TOWNS as u64,
            });
        }
        if matches!(self.travel, Travel::Matrix { .. }) {
            return Err(Error::InvalidProblem(format!(
                "the travel matrix has no row for the new town '{}': add it to the problem instead",
                spec.id
            )));
        }
        if self.depots.iter().any(|d| d.id == spec.id) || self.towns.iter().any(|t| t.id == spec.id) {
            return Err(Error::InvalidProblem(format!(
                "the problem already has a town or depot '{}'",
                spec.id
            )));
        }
        let (mut towns, types) = build_towns(vec![spec], self.dimensions(), self.horizon_days)?;
        let geo = self.depots.first().is_some_and(|d| d.location.is_geo());
        if let Some(t) = towns.iter().find(|t| t.location.is_geo() != geo) {
            return Err(Error::InvalidProblem(format!(
                "location of '{}' mixes planar (x, y) and geographic (lon, lat) coordinates",
                t.id
            )));
        }
        allow_vehicle_types(&mut towns, types, &self.fleet)?;
        let mut problem = self.clone();
        problem.towns.extend(towns);
        Ok(problem)
    }
}
