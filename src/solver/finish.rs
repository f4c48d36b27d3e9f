//! The last steps of every solve, whatever path it took: exact legs,
//! routes trimmed to fit, left-over towns placed, the schedule.

use super::{SolveStats, Solved, assign, fleet};
use crate::distance::TravelOracle;
use crate::model::Problem;
use crate::solution::{Plan, Solution};
use std::time::Instant;

/// The last steps of every solve: exact legs, routes trimmed to fit,
/// left-over and indirectly reached towns placed, the schedule.
#[allow(clippy::too_many_arguments)]
pub(super) fn finish(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    reach: &assign::Reach,
    assignment: &assign::Assignment,
    mut plan: Plan,
    mut left: Vec<usize>,
    mut stats: SolveStats,
    start: Instant,
) -> Solved {
    // Sparse road oracles estimate the legs between towns that are not
    // neighbours: make the legs of the final routes exact, and give a route
    // that no longer fits its vehicle its last towns back to place again.
    oracle.resolve_exact(&plan_legs(problem, &plan));
    left.extend(fleet::trim_to_fit(problem, oracle, &mut plan));
    fleet::place_orphans(problem, oracle, reach, left, &mut plan);
    fleet::route_indirect(problem, oracle, &assignment.indirect, &mut plan);
    oracle.resolve_exact(&plan_legs(problem, &plan));
    plan.unassigned.sort_by_key(|(t, _)| *t);
    let solution = Solution::from_plan(problem, oracle, &plan);
    stats.elapsed = start.elapsed();
    Solved { plan, solution, stats }
}

/// Every leg (location pairs) the plan's routes drive, depot legs included.
fn plan_legs(problem: &Problem, plan: &Plan) -> Vec<(usize, usize)> {
    let mut legs = Vec::new();
    for r in plan.routes.iter().filter(|r| !r.towns.is_empty()) {
        let depot = problem.fleet[r.vehicle_type].depot;
        let mut stops: Vec<usize> = vec![depot];
        let mut reloads = r.reloads.iter().peekable();
        for (i, &t) in r.towns.iter().enumerate() {
            while let Some(x) = reloads.next_if(|x| x.before <= i) {
                stops.push(x.depot);
            }
            stops.push(problem.town_location(t));
        }
        stops.extend(problem.fleet[r.vehicle_type].end_depot());
        legs.extend(stops.windows(2).map(|w| (w[0], w[1])));
    }
    legs
}
