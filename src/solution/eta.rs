//! Plan mode: the schedule of routes someone else chose (a dispatcher's
//! edit, yesterday's plan, another solver's answer) and everything wrong
//! with them, without optimising.
//!
//! Each route is timed by the same route rule the solver uses
//! ([`Solution::from_plan`]: the shortest schedule of the sequence, with
//! breaks, reloads and releases), so the solver's own plan gets back the
//! times `solve` reported; then the independent validator judges it. A
//! route that breaks a rule is still timed, and the rule is named.
//! Towns on no route are listed apart: a plan may cover part of the day.

use super::{Plan, Solution, Violation, validate};
use crate::distance::TravelOracle;
use crate::model::Problem;

/// The schedule of given routes and what is wrong with them.
#[derive(Debug, Clone, PartialEq)]
pub struct Eta {
    /// The routes as given, timed: arrival, start and departure at every
    /// stop, the load on board, breaks, reloads and totals.
    pub schedule: Solution,
    /// Ids of the towns on no route, in problem order.
    pub not_in_plan: Vec<String>,
    /// Every rule the routes break (towns on no route are not counted:
    /// they are in [`Eta::not_in_plan`]).
    pub violations: Vec<Violation>,
}

impl Eta {
    /// True if the routes keep every rule.
    pub fn is_feasible(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Times the routes of `plan` (its `unassigned` list is ignored) and
/// validates them.
pub fn eta(problem: &Problem, oracle: &dyn TravelOracle, plan: &Plan) -> Eta {
    let routes_only = Plan {
        routes: plan.routes.clone(),
        unassigned: Vec::new(),
    };
    let mut schedule = Solution::from_plan(problem, oracle, &routes_only);
    let mut not_in_plan = Vec::new();
    let violations = validate(problem, oracle, &schedule)
        .violations
        .into_iter()
        .filter(|v| match v {
            Violation::Missing(town) => {
                not_in_plan.push(town.clone());
                false
            }
            _ => true,
        })
        .collect();
    schedule.totals.towns_unassigned = 0;
    Eta {
        schedule,
        not_in_plan,
        violations,
    }
}
