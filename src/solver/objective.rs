//! What the solver minimises: the problem as given, or vehicles first.
//!
//! [`Objective::Vehicles`] is a solver setting ([`super::SolverConfig::objective`]):
//! the search runs on a copy of the problem whose vehicle types carry
//! [`vehicles_first_fixed_cost`], and the routes are then scheduled on the
//! problem itself, so a solution never states that internal fixed cost.

use super::SolveProgress;
use crate::distance::{TravelOracle, is_unreachable};
use crate::model::Problem;

/// What the solver minimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    /// The problem as given: distance, plus the vehicle types' fixed and
    /// running costs when it has them.
    #[default]
    Distance,
    /// Vehicles first, then distance: see [`vehicles_first_fixed_cost`].
    Vehicles,
}

impl std::str::FromStr for Objective {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Objective, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "distance" => Ok(Objective::Distance),
            "vehicles" => Ok(Objective::Vehicles),
            _ => Err(format!("unknown objective '{s}' (expected distance or vehicles)")),
        }
    }
}

impl std::fmt::Display for Objective {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Objective::Distance => "distance",
            Objective::Vehicles => "vehicles",
        })
    }
}

/// The fixed cost per route that makes any saved vehicle worth more than
/// any distance: the sum over towns of the longest trip through it by a
/// type of the fleet (`d(start, t) + d(t, end)`, no end leg for open
/// routes, unreachable pairs skipped),
/// plus one per town and one. Under the triangle inequality a set of routes
/// is never longer than the round trips of its towns, and the extra unit per
/// town covers the at most one unit per arc by which rounded or truncated
/// distances can break it; so one route fewer always pays. Capped at
/// `i64::MAX / 2^20` so that route counts times it cannot overflow.
/// O(towns × depots of the fleet) distance look-ups.
pub fn vehicles_first_fixed_cost(problem: &Problem, oracle: &dyn TravelOracle) -> i64 {
    let mut ends: Vec<(usize, Option<usize>)> = problem.fleet.iter().map(|v| (v.depot, v.end_depot())).collect();
    ends.sort_unstable();
    ends.dedup();
    let mut total: i64 = 1;
    for t in 0..problem.towns.len() {
        let loc = problem.town_location(t);
        let longest = ends
            .iter()
            .map(|&(d, e)| {
                oracle
                    .distance(d, loc)
                    .saturating_add(e.map_or(0, |e| oracle.distance(loc, e)))
            })
            .filter(|&r| !is_unreachable(r))
            .max()
            .unwrap_or(0);
        total = total.saturating_add(longest).saturating_add(1);
    }
    total.min(i64::MAX >> 20)
}

/// Applies `objective` to `problem`: [`Objective::Vehicles`] sets every
/// vehicle type's `fixed_cost` to [`vehicles_first_fixed_cost`] (returned),
/// so the solver minimises routes first and distance second;
/// [`Objective::Distance`] leaves the problem as it is (`None`).
pub fn apply_objective(problem: &mut Problem, oracle: &dyn TravelOracle, objective: Objective) -> Option<i64> {
    match objective {
        Objective::Distance => None,
        Objective::Vehicles => {
            let fixed = vehicles_first_fixed_cost(problem, oracle);
            for v in &mut problem.fleet {
                v.fixed_cost = fixed;
            }
            Some(fixed)
        }
    }
}

/// The search's progress with the vehicles-first fixed cost taken out: the
/// solver's `best_cost` counts `fixed` once per route, and since `fixed`
/// exceeds any total distance, the remainder is the distance.
pub fn without_fixed_cost(p: &SolveProgress, fixed: Option<i64>) -> SolveProgress {
    match fixed {
        Some(f) if f > 0 => SolveProgress {
            best_cost: p.best_cost.rem_euclid(f),
            ..*p
        },
        _ => *p,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objectives_parse() {
        assert_eq!("vehicles".parse::<Objective>(), Ok(Objective::Vehicles));
        assert_eq!(" Distance".parse::<Objective>(), Ok(Objective::Distance));
        assert!("cost".parse::<Objective>().is_err());
        assert_eq!(Objective::Vehicles.to_string(), "vehicles");
    }
}
