//! The state of the day, checked: the vehicles on the road with what they
//! have done and must do next, and the towns locked to one of them. A
//! problem holding it is re-planned from that state
//! (`planning::settle_day` turns it into the problem of the rest of the
//! day); the solver refuses it as it is.

use super::Location;

/// The checked state of the day ([`super::ProblemSpec::state`]).
#[derive(Debug, Clone, PartialEq)]
pub struct DayState {
    /// The time of the re-plan, seconds: vehicles not listed leave their
    /// depot no earlier.
    pub now: i64,
    /// Vehicles listed in the state, in input order.
    pub vehicles: Vec<VehicleState>,
}

/// One vehicle's state (see [`super::spec::VehicleStateSpec`]).
#[derive(Debug, Clone, PartialEq)]
pub struct VehicleState {
    /// Its name in outputs; unique among vehicle types, depots and towns.
    pub id: String,
    /// Index of its vehicle type in [`super::Problem::fleet`].
    pub vehicle_type: usize,
    /// Which vehicle of that type (0-based).
    pub number: u32,
    /// Where it is now.
    pub position: Position,
    /// When its working day began, seconds.
    pub started: i64,
    /// What it carries to a depot, per capacity dimension.
    pub collected: Vec<u32>,
    /// Towns (indices) it has served.
    pub done: Vec<usize>,
    /// Towns (indices) it serves next, in order.
    pub fixed: Vec<usize>,
    /// Towns (indices) locked to it.
    pub locked: Vec<usize>,
    /// Distance driven so far, model units.
    pub driven: i64,
    /// Reloads made so far.
    pub reloads_done: u32,
    /// Window breaks taken so far.
    pub window_breaks_taken: u32,
    /// From when it cannot work, seconds (`None`: all day).
    pub unavailable_from: Option<i64>,
}

impl VehicleState {
    /// True if it does no more work today: unavailable from `now` or
    /// earlier.
    pub fn is_down(&self, now: i64) -> bool {
        self.unavailable_from.is_some_and(|t| t <= now)
    }
}

/// Where a vehicle is. Location indices are the model's: depots first,
/// then towns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Position {
    /// At a depot or town (location index).
    At(usize),
    /// On the leg from a location to a town (its next stop), `progress`
    /// of it driven (0..=1).
    Between {
        /// Location index it left.
        from: usize,
        /// Town index it drives to.
        to: usize,
        /// Share of the leg driven.
        progress: f64,
    },
    /// At a point.
    Point(Location),
}
