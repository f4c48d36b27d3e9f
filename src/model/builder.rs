//! [`ProblemBuilder`]: a problem put together in code, call by call, and
//! validated like any spec.

use super::{DepotSpec, Location, Problem, ProblemSpec, TimeSpec, TownSpec, TravelSpec, VehicleTypeSpec};
use crate::error::Result;

/// Chained construction of a [`Problem`]; `build` validates everything.
#[derive(Debug, Clone, Default)]
pub struct ProblemBuilder {
    pub(super) spec: ProblemSpec,
}

impl ProblemBuilder {
    /// Empty builder with a problem name.
    pub fn new(name: impl Into<String>) -> Self {
        ProblemBuilder {
            spec: ProblemSpec {
                name: name.into(),
                ..Default::default()
            },
        }
    }
    /// Adds a depot.
    pub fn depot(mut self, id: impl Into<String>, location: Location) -> Self {
        self.spec.depots.push(DepotSpec {
            id: id.into(),
            name: String::new(),
            location,
            hours: None,
        });
        self
    }
    /// Gives the last depot added opening hours `[open, close]`, seconds.
    pub fn depot_hours(mut self, open: f64, close: f64) -> Self {
        if let Some(d) = self.spec.depots.last_mut() {
            d.hours = Some([TimeSpec::Seconds(open), TimeSpec::Seconds(close)]);
        }
        self
    }
    /// Adds a town with a demand and service time in seconds.
    pub fn town(mut self, id: impl Into<String>, location: Location, demand: f64, service_time_s: f64) -> Self {
        self.spec.towns.push(TownSpec {
            name: String::new(),
            service_time_s,
            ..TownSpec::new(id, location, demand)
        });
        self
    }
    /// Adds a fully specified town.
    pub fn town_spec(mut self, town: TownSpec) -> Self {
        self.spec.towns.push(town);
        self
    }
    /// Adds a vehicle type.
    pub fn vehicle_type(mut self, vt: VehicleTypeSpec) -> Self {
        self.spec.fleet.push(vt);
        self
    }
    /// Sets the travel measure.
    pub fn travel(mut self, travel: TravelSpec) -> Self {
        self.spec.travel = Some(travel);
        self
    }
    /// Validates and builds.
    pub fn build(self) -> Result<Problem> {
        Problem::from_spec(self.spec)
    }
}
