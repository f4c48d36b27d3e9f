//! Multi-day planning over a horizon (e.g. a week).
//!
//! A problem with [`Problem::horizon_days`] says, per town, how many drops it
//! needs and on which days (expanded into [`crate::model::Town::patterns`],
//! day bit masks). [`plan_horizon`] gives every town **one** of its allowed
//! patterns and routes every day:
//!
//! 1. **Screening** — towns that no vehicle can serve even alone (the
//!    single-day solver's reasons: capacity, shift, opening hours, distance,
//!    unreachable) are unassigned up front; opening hours and the fleet are
//!    the same every day, so no pattern would help.
//! 2. **Initial patterns** — least flexible and heaviest towns first, each
//!    takes the pattern whose days are geographically closest to the towns
//!    already there, with a load-balance penalty (the rule is in
//!    `assign`).
//! 3. **Day solves** — each day is solved as a problem of its own (the
//!    towns visited that day, see `DayProblems`) with
//!    `solve_with_oracle`, through a `SubOracle` that maps the day's
//!    location indices to the full oracle, which is built once. A town the
//!    day's solver cannot serve is taken off all its days and given the
//!    pattern (any, its first one included) with the cheapest feasible
//!    insertion into every day's routes; if none has room, it is
//!    unassigned with the solver's reason.
//! 4. **Pattern moves** — for each town in a seeded order, every other
//!    pattern is priced: the saving of removing it from the routes of the
//!    days it leaves plus the cheapest feasible insertion into the routes of
//!    the days it joins (fleet size, and every rule of
//!    [`crate::route::evaluate`]: capacity, distance, opening hours, depot
//!    hours, shift, the towns' vehicle types). The best improving pattern is applied at once. Passes repeat
//!    until none improves.
//! 5. **Re-solves** — the days the moves changed are solved again from
//!    scratch with a share of the remaining budget; a new day solution is
//!    kept only if it serves all the day's towns at a lower cost. Steps 4–5
//!    repeat (at most [`MAX_ROUNDS`] rounds) while moves are found.
//!
//! 6. **Last placements** — towns a day could not take are placed if the
//!    final routes have room on all days of one of their patterns; the
//!    others keep a reason tied to a day on which they fit nowhere, derived
//!    again as the final routes stand (see [`HorizonReason::Solver`]).
//!
//! The cost of a day is what the one-day solver charges: its route
//! distance plus the vehicles' fixed costs, or, when some vehicle type
//! costs money per kilometre or per hour, the routes' money cost
//! ([`crate::model::VehicleType::route_cost`], counted in millionths);
//! moves and re-solves are only applied when they lower it, so the final
//! plan is never worse than the first day solves (apart from the towns
//! step 6 places, which add to the cost to serve more).
//!
//! **Budget.** [`SolverConfig::iterations`] is the search budget of the
//! whole horizon (default without a time limit: [`DEFAULT_ITERATIONS`] per
//! day), [`SolverConfig::time_limit`] its wall-clock budget (oracle
//! included). The first day solves get half, shared between days by their
//! number of towns; the re-solves the rest. With an iteration budget the
//! same seed and thread count give the same plan.
//!
//! Demand is per drop: a town with demand 5 and two drops gets 5 units on
//! each of its two days. Opening hours are the same every day.
//!
//! ```
//! use backroads::distance::build_oracle;
//! use backroads::horizon::{plan_horizon, validate_horizon};
//! use backroads::io::read_problem_json;
//! use backroads::solver::SolverConfig;
//!
//! let problem = read_problem_json(
//!     r#"{
//!         "horizon_days": 5,
//!         "depots": [{"id": "depot", "location": {"x": 0, "y": 0}}],
//!         "towns": [
//!             {"id": "market", "location": {"x": 10, "y": 0}, "demand": 8, "patterns": [[1, 4], [2, 5]]},
//!             {"id": "village", "location": {"x": 0, "y": 12}, "demand": 2, "days": [2, 3]},
//!             {"id": "farm", "location": {"x": 5, "y": 5}, "demand": 1, "drops": 2}
//!         ],
//!         "fleet": [{"id": "van", "depot": "depot", "capacity": 10}]
//!     }"#,
//!     "week",
//!     None,
//! )?;
//! let config = SolverConfig { iterations: Some(500), ..SolverConfig::default() };
//! let plan = plan_horizon(&problem, &config)?;
//! assert_eq!(plan.days.len(), 5);
//! assert_eq!(plan.totals.drops, 2 + 1 + 2);
//! let market = plan.patterns.iter().find(|p| p.town == "market").unwrap();
//! assert!(market.days == [1, 4] || market.days == [2, 5]);
//!
//! let oracle = build_oracle(&problem)?;
//! assert!(validate_horizon(&problem, oracle.as_ref(), &plan).is_feasible());
//! # Ok::<(), backroads::Error>(())
//! ```

pub(crate) mod assign;
mod oracle;
mod routes;
mod validate;

#[cfg(test)]
mod tests;

pub(crate) use oracle::{DayProblems, SubOracle};
pub(crate) use routes::{DayRoutes, Insertion, Pricer};
pub use validate::{HorizonReport, HorizonViolation, validate_horizon};

use crate::distance::{TravelOracle, build_oracle};
use crate::error::{Error, Result};
use crate::model::Problem;
use crate::rng::SeededRng;
use crate::solution::{Plan, PlannedRoute, Solution, UnassignedReason};
use crate::solver::{DEFAULT_ITERATIONS, Flow, Observer, SolveProgress, SolverConfig, Unobserved, solve_observed};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// Most rounds of pattern moves and re-solves.
pub const MAX_ROUNDS: usize = 4;

/// Most passes over all towns in one round of pattern moves.
pub const MAX_PASSES: usize = 10;

/// A multi-day plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HorizonPlan {
    /// Name of the problem.
    #[serde(default)]
    pub problem: String,
    /// One solution per day, index 0 = day 1. Each is a solution of that
    /// day's problem (the towns visited that day; see `DayProblems`).
    pub days: Vec<Solution>,
    /// The pattern of every served town: its id and its days (1-based,
    /// ascending), in problem order.
    pub patterns: Vec<TownPattern>,
    /// Towns not served on any day, with the reason.
    #[serde(default)]
    pub unassigned: Vec<HorizonUnassigned>,
    /// Sums over all days.
    pub totals: HorizonTotals,
    /// Figures about the planning (not written to JSON).
    #[serde(skip)]
    pub stats: HorizonStats,
}

impl HorizonPlan {
    /// The plan as the pretty JSON `backroads solve --out` writes (with a
    /// final newline).
    pub fn to_json(&self) -> String {
        // A HorizonPlan holds only strings, integers, sequences and
        // structs, which serde_json always serialises.
        serde_json::to_string_pretty(self).expect("a HorizonPlan always serialises to JSON") + "\n"
    }
}

/// A town's chosen days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TownPattern {
    /// Town id.
    pub town: String,
    /// Days of the pattern, 1-based, ascending.
    pub days: Vec<u32>,
}

/// A town served on no day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HorizonUnassigned {
    /// Town id.
    pub town: String,
    /// Why.
    pub reason: HorizonReason,
}

/// Why a town is served on no day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum HorizonReason {
    /// The single-day solver cannot serve the town: on any day when `day` is
    /// absent (e.g. its demand exceeds every capacity, checked with every
    /// vehicle free), else on that day, and no allowed pattern had room on
    /// all its days. A day's reason is what the town gets on that day's
    /// problem (the towns served that day and this one) with the vehicles
    /// the plan uses that day: typically `no_vehicle_left` when every
    /// vehicle that could serve it alone is out that day. The day is one of
    /// the town's allowed days. An optional town the plan leaves out by
    /// choice is `not_worth_its_prize`: the cost its drops would add on
    /// the days of every allowed pattern (distance, or money when types
    /// cost money) is more than its prize per drop.
    Solver {
        /// The day (1-based), if the reason is tied to one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        day: Option<u32>,
        /// The solver's reason.
        reason: UnassignedReason,
    },
    /// The town has no allowed pattern.
    NoPattern,
}

impl std::fmt::Display for HorizonReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HorizonReason::Solver { day: None, reason } => write!(f, "{reason}"),
            HorizonReason::Solver {
                day: Some(_),
                reason: reason @ UnassignedReason::NotWorthItsPrize,
            } => write!(f, "{reason} on the days of every allowed pattern"),
            HorizonReason::Solver { day: Some(d), reason } => {
                write!(f, "day {d}: {reason}; no allowed pattern had room on all its days")
            }
            HorizonReason::NoPattern => write!(f, "no allowed visit pattern"),
        }
    }
}

/// Sums over all days of a plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HorizonTotals {
    /// Total distance over all days.
    pub distance: i64,
    /// Total money cost of the routes over all days (fixed, per km and per
    /// hour costs of their vehicle types; 0 when the fleet has no costs).
    #[serde(default)]
    pub cost: f64,
    /// Total route duration over all days, seconds.
    pub duration_s: i64,
    /// Routes (vehicle-days) over all days.
    pub routes: usize,
    /// Visits made over all days.
    pub drops: usize,
    /// Towns served (on every day of their pattern).
    pub towns_served: usize,
    /// Towns served on no day.
    pub towns_unassigned: usize,
}

/// Figures about a planning run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HorizonStats {
    /// Cost after the first day solves and repairs: distance + fixed
    /// costs, or money in millionths when `money`.
    pub initial_cost: i64,
    /// Cost of the final plan.
    pub final_cost: i64,
    /// Pattern moves applied.
    pub pattern_moves: usize,
    /// Day re-solves run after pattern moves.
    pub resolves: usize,
    /// Day re-solves kept (cheaper than the moved routes).
    pub resolves_kept: usize,
    /// Search steps run by all day solves.
    pub iterations: u64,
    /// Wall time of all day solves (first solves and re-solves).
    pub solve_time: Duration,
    /// Wall time of the pattern moves.
    pub move_time: Duration,
    /// Wall time, oracle included.
    pub elapsed: Duration,
    /// Time spent building the oracle.
    pub oracle_time: Duration,
    /// The costs are money (some vehicle type costs money per km or hour).
    pub money: bool,
}

impl HorizonStats {
    /// A cost of these stats as text: money with two decimals (it is
    /// counted in millionths), else the whole distance + fixed costs.
    pub fn shown(&self, cost: i64) -> String {
        if self.money {
            format!("{:.2}", cost as f64 / crate::solver::cluster::MONEY_SCALE)
        } else {
            cost.to_string()
        }
    }
}

/// Plans a multi-day problem, building its distance oracle once.
///
/// Errors: [`Error::InvalidProblem`] if the problem has no `horizon_days`;
/// [`Error::InvalidConfig`] for an unusable configuration; oracle errors.
pub fn plan_horizon(problem: &Problem, config: &SolverConfig) -> Result<HorizonPlan> {
    let start = Instant::now();
    check(problem, config)?;
    // Road oracles run Dijkstra in parallel: on the configured threads.
    let oracle = crate::solver::with_threads(config, || build_oracle(problem))?;
    let oracle_time = start.elapsed();
    let mut plan = Planner::new(problem, oracle.as_ref(), config, start, &Unobserved)?.run()?;
    plan.stats.oracle_time = oracle_time;
    Ok(plan)
}

/// Like [`plan_horizon`], with an oracle over all locations of `problem`
/// that the caller already has (e.g. to validate afterwards).
pub fn plan_horizon_with_oracle(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    config: &SolverConfig,
) -> Result<HorizonPlan> {
    plan_horizon_observed(problem, oracle, config, &Unobserved)
}

/// Like [`plan_horizon_with_oracle`], reporting progress to `observer`
/// during the day solves: `iterations` are the steps of all day solves so
/// far, `best_cost` the plan's cost (as [`HorizonStats::initial_cost`]) with the day
/// being solved at its best so far and the other days as they stand (days
/// not yet solved count nothing). When the
/// observer returns [`Flow::Stop`], the day being solved keeps its best
/// routes, every later day solve stops at its first progress report (its
/// construction is kept), and the plan is completed and returned.
pub fn plan_horizon_observed(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    config: &SolverConfig,
    observer: &dyn Observer,
) -> Result<HorizonPlan> {
    check(problem, config)?;
    Planner::new(problem, oracle, config, Instant::now(), observer)?.run()
}

fn check(problem: &Problem, config: &SolverConfig) -> Result<()> {
    if problem.horizon_days.is_none() {
        return Err(Error::InvalidProblem(
            "no horizon_days: a multi-day plan needs the number of days (use solver::solve for one day)".into(),
        ));
    }
    if let Some(h) = problem.horizon_days {
        if !(1..=crate::model::MAX_HORIZON_DAYS).contains(&h) {
            return Err(Error::InvalidProblem(format!("horizon_days {h} is not within 1..=64")));
        }
        let beyond = if h == 64 { 0 } else { u64::MAX << h };
        if let Some(t) = problem
            .towns
            .iter()
            .find(|t| t.patterns.iter().any(|&p| p & beyond != 0 || p == 0))
        {
            return Err(Error::InvalidProblem(format!(
                "town '{}': a pattern is empty or has a day outside the horizon 1..={h}",
                t.id
            )));
        }
    }
    // Each day is planned by the one-day solver and every move is priced
    // by `route::evaluate_route` (reloads kept) at the one-day solver's
    // cost (money when types cost money), so every rule of a day holds on
    // every day and a prize is weighed in the same units.
    if config.threads == Some(0) {
        return Err(Error::InvalidConfig("threads must be at least 1".into()));
    }
    if config.objective != crate::solver::Objective::Distance {
        return Err(Error::InvalidConfig(
            "multi-day problems are planned with the distance objective only".into(),
        ));
    }
    Ok(())
}

/// Days of a mask, 1-based, ascending.
pub fn mask_days(mask: u64) -> Vec<u32> {
    (0..64).filter(|d| mask >> d & 1 == 1).map(|d| d + 1).collect()
}

/// The state of a planning run.
struct Planner<'a> {
    problem: &'a Problem,
    oracle: &'a dyn TravelOracle,
    config: &'a SolverConfig,
    pricer: Pricer<'a>,
    days_problems: DayProblems<'a>,
    horizon: u32,
    start: Instant,
    deadline: Option<Instant>,
    /// Search steps still to spend (`None` = time-limited only).
    iterations_left: Option<u64>,
    /// Pattern index of each town, `None` while unplaced or unassigned.
    chosen: Vec<Option<usize>>,
    /// Why a town is unassigned.
    reasons: Vec<Option<HorizonReason>>,
    days: Vec<DayRoutes>,
    /// Number of day solves run so far (seeds each solve's stream).
    solves: u64,
    stats: HorizonStats,
    observer: &'a dyn Observer,
    /// The observer asked to stop.
    stopped: std::sync::atomic::AtomicBool,
}

impl<'a> Planner<'a> {
    fn new(
        problem: &'a Problem,
        oracle: &'a dyn TravelOracle,
        config: &'a SolverConfig,
        start: Instant,
        observer: &'a dyn Observer,
    ) -> Result<Self> {
        if oracle.num_locations() != problem.num_locations() {
            return Err(Error::InvalidConfig(format!(
                "oracle knows {} locations, problem has {}",
                oracle.num_locations(),
                problem.num_locations()
            )));
        }
        let horizon = problem.horizon_days.unwrap_or(1);
        let iterations_left = match (config.iterations, config.time_limit) {
            (Some(n), _) => Some(n),
            (None, Some(_)) => None,
            (None, None) => Some(DEFAULT_ITERATIONS.saturating_mul(u64::from(horizon))),
        };
        Ok(Planner {
            problem,
            oracle,
            config,
            pricer: Pricer::new(problem, oracle),
            days_problems: DayProblems::new(problem),
            horizon,
            start,
            deadline: config.time_limit.map(|t| start + t),
            iterations_left,
            chosen: vec![None; problem.towns.len()],
            reasons: vec![None; problem.towns.len()],
            days: vec![DayRoutes::default(); horizon as usize],
            solves: 0,
            stats: HorizonStats::default(),
            observer,
            stopped: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// Past the deadline, or the observer asked to stop.
    fn out_of_time(&self) -> bool {
        self.stopped.load(std::sync::atomic::Ordering::Relaxed) || self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    fn pattern(&self, t: usize) -> Option<u64> {
        self.chosen[t].map(|i| self.problem.towns[t].patterns[i])
    }

    fn towns_of_day(&self, d: usize) -> Vec<usize> {
        (0..self.problem.towns.len())
            .filter(|&t| self.pattern(t).is_some_and(|p| p >> d & 1 == 1))
            .collect()
    }

    fn total_cost(&self) -> i64 {
        self.days
            .iter()
            .fold(0i64, |a, d| a.saturating_add(self.pricer.day_cost(d)))
    }

    fn run(mut self) -> Result<HorizonPlan> {
        let problem = self.problem;
        // 1. Screening.
        let profiles = crate::solver::assign::depot_profiles(problem);
        let reach = crate::solver::assign::Reach::new(problem, self.oracle);
        let screen = crate::solver::assign::assign_towns(problem, self.oracle, &reach, &profiles);
        for (t, reason) in screen.unassigned {
            self.reasons[t] = Some(HorizonReason::Solver { day: None, reason });
        }
        for (t, town) in problem.towns.iter().enumerate() {
            if town.patterns.is_empty() && self.reasons[t].is_none() {
                self.reasons[t] = Some(HorizonReason::NoPattern);
            }
        }
        // 2. Initial patterns.
        let servable: Vec<usize> = (0..problem.towns.len())
            .filter(|&t| self.reasons[t].is_none())
            .collect();
        self.chosen = assign::initial_patterns(problem, self.oracle, &servable, self.horizon);

        // 3. Day solves with half the budget.
        let all_days: Vec<usize> = (0..self.horizon as usize).collect();
        let first_share = self.iterations_left.map(|n| n / 2);
        let first_deadline = self.deadline.map(|dl| {
            let now = Instant::now();
            now + dl.saturating_duration_since(now) / 2
        });
        let mut pending = Vec::new();
        for (d, routes, unserved) in self.solve_days(&all_days, first_share, first_deadline)? {
            self.days[d] = routes;
            pending.extend(unserved.into_iter().map(|(t, r)| (t, d, r)));
        }
        self.settle(pending)?;
        self.stats.initial_cost = self.total_cost();
        self.stats.money = self.pricer.money;

        // 4-5. Pattern moves and re-solves.
        let mut rng = SeededRng::new(self.config.seed, 0x484f_5249_5a4f_4e00);
        for round in 0..MAX_ROUNDS {
            if self.out_of_time() {
                break;
            }
            let moves_start = Instant::now();
            let changed = self.pattern_moves(&mut rng);
            self.stats.move_time += moves_start.elapsed();
            if changed.is_empty() {
                break;
            }
            let last = round + 1 == MAX_ROUNDS;
            let share = self.iterations_left.map(|n| if last { n } else { n / 2 });
            let deadline = self.deadline.map(|dl| {
                let now = Instant::now();
                if last {
                    dl
                } else {
                    now + dl.saturating_duration_since(now) / 2
                }
            });
            for (d, routes, unserved) in self.solve_days(&changed, share, deadline)? {
                self.stats.resolves += 1;
                let better = unserved.is_empty()
                    && self.pricer.day_feasible(&routes)
                    && self.pricer.day_cost(&routes) < self.pricer.day_cost(&self.days[d]);
                if better {
                    self.days[d] = routes;
                    self.stats.resolves_kept += 1;
                }
            }
        }
        // 6. Towns some day could not take, against the final routes.
        self.recheck_day_reasons();
        self.stats.final_cost = self.total_cost();
        Ok(self.finish())
    }

    /// True if town `t` is unassigned with a reason tied to a day.
    fn unassigned_on_a_day(&self, t: usize) -> bool {
        self.chosen[t].is_none() && matches!(self.reasons[t], Some(HorizonReason::Solver { day: Some(_), .. }))
    }

    /// Step 6 (module docs): the moves and re-solves may have freed room,
    /// so every town unassigned with a day's reason is placed if some
    /// pattern now has room on all its days; for the rest the reason is
    /// derived again, as the final routes stand, on a day where the town
    /// fits nowhere (the day first named if it still does not fit).
    fn recheck_day_reasons(&mut self) {
        // Placing a town only takes room, so this ends.
        loop {
            let mut placed = false;
            for t in 0..self.problem.towns.len() {
                if self.unassigned_on_a_day(t) && self.place_anywhere(t) {
                    self.reasons[t] = None;
                    placed = true;
                }
            }
            if !placed {
                break;
            }
        }
        for t in 0..self.problem.towns.len() {
            let Some(HorizonReason::Solver { day: Some(named), .. }) = self.reasons[t] else {
                continue;
            };
            if self.chosen[t].is_some() {
                continue;
            }
            let allowed = self.problem.towns[t].patterns.iter().fold(0u64, |m, &p| m | p);
            let fits = |d: usize| self.pricer.best_insertion(&self.days[d], t).is_some();
            let named = (named as usize)
                .checked_sub(1)
                .filter(|&d| d < 64 && allowed >> d & 1 == 1);
            let day = named.filter(|&d| !fits(d)).or_else(|| {
                let first = *self.problem.towns[t].patterns.first()?;
                (0..self.horizon as usize).find(|&d| first >> d & 1 == 1 && !fits(d))
            });
            // An optional town may fit everywhere and still be left out:
            // its prize does not pay for its drops.
            let optional = self.problem.towns[t].prize.is_some();
            let day = day.or_else(|| optional.then_some(named).flatten()).or_else(|| {
                let first = *self.problem.towns[t].patterns.first()?;
                (0..self.horizon as usize)
                    .find(|&d| first >> d & 1 == 1)
                    .filter(|_| optional)
            });
            // No such day only if the town was placed above.
            if let Some(d) = day {
                let reason = match self.day_reason(d, t) {
                    UnassignedReason::NoVehicleLeft { .. } if optional => UnassignedReason::NotWorthItsPrize,
                    reason => reason,
                };
                self.reasons[t] = Some(HorizonReason::Solver {
                    day: Some(d as u32 + 1),
                    reason,
                });
            }
        }
    }

    /// Why unplaced town `t` cannot join day `d` as its routes stand, with
    /// the single-day solver's rules on the day's problem (the towns of the
    /// day and `t`): the reason no vehicle type can serve it alone, else
    /// that every vehicle of the types that could is in use.
    fn day_reason(&self, d: usize, t: usize) -> UnassignedReason {
        use crate::solver::assign::{Reach, alone, off_network, town_reason};
        let mut towns = self.towns_of_day(d);
        let k = towns.partition_point(|&s| s < t);
        towns.insert(k, t);
        let (sub, map) = self.days_problems.day(d as u32 + 1, &towns);
        let sub_oracle = SubOracle::new(self.oracle, map);
        if let Some(reason) = off_network(&sub, &sub_oracle, k) {
            return reason;
        }
        let reach = Reach::new(&sub, &sub_oracle);
        let alones: Vec<_> = (0..sub.fleet.len())
            .map(|v| alone(&sub, &sub_oracle, &reach, v, k))
            .collect();
        let loc = sub.town_location(k);
        let nearest = alones
            .iter()
            .enumerate()
            .filter(|(_, a)| a.stage == crate::solver::assign::Stage::Feasible)
            .map(|(v, _)| sub.fleet[v].depot)
            .min_by_key(|&dep| {
                let round = sub_oracle
                    .distance(dep, loc)
                    .saturating_add(sub_oracle.distance(loc, dep));
                (round, dep)
            });
        match nearest {
            Some(dep) => UnassignedReason::NoVehicleLeft {
                depot: sub.depots[dep].id.clone(),
            },
            None => town_reason(&alones).unwrap_or(UnassignedReason::Unreachable),
        }
    }

    /// Solves `days` from scratch, sharing `iterations` and the time up to
    /// `deadline` between them by their number of towns. Returns each day's
    /// routes and the towns its solver could not serve.
    #[allow(clippy::type_complexity)]
    fn solve_days(
        &mut self,
        days: &[usize],
        iterations: Option<u64>,
        deadline: Option<Instant>,
    ) -> Result<Vec<(usize, DayRoutes, Vec<(usize, UnassignedReason)>)>> {
        let towns: Vec<Vec<usize>> = days.iter().map(|&d| self.towns_of_day(d)).collect();
        let mut remaining_towns: usize = towns.iter().map(Vec::len).sum();
        let mut remaining_iters = iterations;
        let mut out = Vec::with_capacity(days.len());
        for (&d, towns) in days.iter().zip(towns) {
            if towns.is_empty() {
                out.push((d, DayRoutes::default(), Vec::new()));
                continue;
            }
            let share = towns.len() as f64 / remaining_towns.max(1) as f64;
            let iters = remaining_iters.map(|n| (n as f64 * share).round() as u64);
            let time = deadline.map(|dl| dl.saturating_duration_since(Instant::now()).mul_f64(share));
            let cfg = SolverConfig {
                seed: self.config.seed ^ self.solves.wrapping_mul(0x9E37_79B9_7F4A_7C15),
                iterations: iters,
                time_limit: time,
                ..self.config.clone()
            };
            self.solves += 1;
            let (sub, map) = self.days_problems.day(d as u32 + 1, &towns);
            let sub_oracle = SubOracle::new(self.oracle, map);
            let solve_start = Instant::now();
            let done = self.stats.iterations;
            // The plan's cost with this day at the solver's best: the other
            // days as they stand (solved in this call, or as before).
            let others = (0..self.days.len()).filter(|&e| e != d).fold(0i64, |a, e| {
                let routes = out
                    .iter()
                    .find(|(f, _, _)| *f == e)
                    .map_or(&self.days[e], |(_, r, _)| r);
                a.saturating_add(self.pricer.day_cost(routes))
            });
            let watch = |p: &SolveProgress| {
                use std::sync::atomic::Ordering::Relaxed;
                if self.stopped.load(Relaxed) {
                    return Flow::Stop;
                }
                let flow = self.observer.progress(&SolveProgress {
                    best_cost: others.saturating_add(p.best_cost),
                    iterations: done.saturating_add(p.iterations),
                    elapsed: self.start.elapsed(),
                });
                if flow == Flow::Stop {
                    self.stopped.store(true, Relaxed);
                }
                flow
            };
            let solved = solve_observed(&sub, &sub_oracle, &cfg, &watch)?;
            self.stats.solve_time += solve_start.elapsed();
            self.stats.iterations += solved.stats.iterations;
            if let (Some(n), Some(used)) = (remaining_iters.as_mut(), iters) {
                *n = n.saturating_sub(used);
            }
            if let (Some(n), Some(used)) = (self.iterations_left.as_mut(), iters) {
                *n = n.saturating_sub(used);
            }
            remaining_towns -= towns.len();
            let routes = self
                .pricer
                .day_routes(solved.plan.routes.into_iter().map(|r| PlannedRoute {
                    vehicle_type: r.vehicle_type,
                    towns: r.towns.into_iter().map(|k| towns[k]).collect(),
                    reloads: r.reloads,
                }));
            let unserved = solved.plan.unassigned.into_iter().map(|(k, r)| (towns[k], r)).collect();
            out.push((d, routes, unserved));
        }
        Ok(out)
    }

    /// Places the towns some day's solver could not serve: off all their
    /// days, then into the pattern with the cheapest feasible insertion
    /// on every day, else unassigned. Days left broken by a removal (only
    /// possible without the triangle inequality) are solved again, and what
    /// they cannot serve is placed the same way.
    fn settle(&mut self, mut pending: Vec<(usize, usize, UnassignedReason)>) -> Result<()> {
        // Each round either places towns feasibly or unassigns them; after a
        // few rounds towns are unassigned at once, so this ends.
        let mut round = 0;
        while !pending.is_empty() {
            round += 1;
            pending.sort_by_key(|&(t, d, _)| (t, d));
            pending.dedup_by_key(|p| p.0);
            let mut broken = Vec::new();
            for (t, d, reason) in std::mem::take(&mut pending) {
                let Some(old) = self.pattern(t) else { continue };
                self.chosen[t] = None;
                for day in (0..self.horizon as usize).filter(|&day| old >> day & 1 == 1) {
                    if self.pricer.remove(&mut self.days[day], t) == Some(false) && !broken.contains(&day) {
                        broken.push(day);
                    }
                }
                let placed = round <= 3 && self.place_anywhere(t);
                if !placed {
                    self.reasons[t] = Some(HorizonReason::Solver {
                        day: Some(d as u32 + 1),
                        reason,
                    });
                }
            }
            broken.retain(|&d| !self.pricer.day_feasible(&self.days[d]));
            broken.sort_unstable();
            if !broken.is_empty() {
                let (share, deadline) = (self.iterations_left.map(|n| n / 4), self.deadline);
                for (d, routes, unserved) in self.solve_days(&broken, share, deadline)? {
                    self.days[d] = routes;
                    pending.extend(unserved.into_iter().map(|(t, r)| (t, d, r)));
                }
            }
        }
        Ok(())
    }

    /// Gives unplaced town `t` the allowed pattern with the cheapest
    /// feasible insertions on all its days (into the routes as they are),
    /// and inserts it. False if no pattern has room on every day.
    fn place_anywhere(&mut self, t: usize) -> bool {
        let patterns = &self.problem.towns[t].patterns;
        // (cost, pattern index, insertion per day)
        type Placing = (i64, usize, Vec<(usize, Insertion)>);
        let mut best: Option<Placing> = None;
        // Cheapest insertions, computed once per day.
        let mut cache: Vec<Option<Option<Insertion>>> = vec![None; self.horizon as usize];
        for (i, &p) in patterns.iter().enumerate() {
            let mut total = 0i64;
            let mut inserts = Vec::new();
            let mut ok = true;
            for d in (0..self.horizon as usize).filter(|&d| p >> d & 1 == 1) {
                match *cache[d].get_or_insert_with(|| self.pricer.best_insertion(&self.days[d], t)) {
                    Some(ins) => {
                        total = total.saturating_add(ins.delta);
                        inserts.push((d, ins));
                    }
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            // An optional town goes only where its drops earn their prize.
            let unit = self.pricer.unit();
            let worth = self.problem.towns[t]
                .prize
                .is_none_or(|prize| total as f64 <= prize * unit * inserts.len() as f64);
            if ok && worth && best.as_ref().is_none_or(|b| total < b.0) {
                best = Some((total, i, inserts));
            }
        }
        let Some((_, i, inserts)) = best else { return false };
        for (d, ins) in inserts {
            self.pricer.insert(&mut self.days[d], t, ins);
        }
        self.chosen[t] = Some(i);
        true
    }

    /// Passes of pattern moves (module docs, step 4) until none improves or
    /// [`MAX_PASSES`]; returns the days changed, ascending.
    fn pattern_moves(&mut self, rng: &mut SeededRng) -> Vec<usize> {
        let mut changed = 0u64;
        let mut movable: Vec<usize> = (0..self.problem.towns.len())
            .filter(|&t| self.chosen[t].is_some() && self.problem.towns[t].patterns.len() > 1)
            .collect();
        for _ in 0..MAX_PASSES {
            // Fisher–Yates with the seeded stream.
            for i in (1..movable.len()).rev() {
                movable.swap(i, rng.below(i + 1));
            }
            let mut improved = false;
            for &t in &movable {
                if self.out_of_time() {
                    return mask_days(changed).iter().map(|&d| d as usize - 1).collect();
                }
                if let Some(days) = self.best_move(t) {
                    changed |= days;
                    improved = true;
                    self.stats.pattern_moves += 1;
                }
            }
            if !improved {
                break;
            }
        }
        mask_days(changed).iter().map(|&d| d as usize - 1).collect()
    }

    /// Moves town `t` to its best other pattern if that lowers the cost;
    /// returns the mask of the days changed.
    fn best_move(&mut self, t: usize) -> Option<u64> {
        let cur_i = self.chosen[t]?;
        let patterns = &self.problem.towns[t].patterns;
        let cur = patterns[cur_i];
        let h = self.horizon as usize;
        // Savings of leaving each current day.
        let mut gains = vec![None; h];
        for (d, gain) in gains.iter_mut().enumerate().filter(|&(d, _)| cur >> d & 1 == 1) {
            *gain = self.pricer.removal_gain(&self.days[d], t);
        }
        // Cheapest insertions, computed once per day.
        let mut inserts: Vec<Option<Option<Insertion>>> = vec![None; h];
        let mut best: Option<(i64, usize)> = None;
        for (i, &p) in patterns.iter().enumerate() {
            if i == cur_i {
                continue;
            }
            let mut delta = 0i64;
            let mut ok = true;
            for d in 0..h {
                let (was, will) = (cur >> d & 1 == 1, p >> d & 1 == 1);
                if was && !will {
                    match gains[d] {
                        Some(g) => delta = delta.saturating_sub(g),
                        None => ok = false,
                    }
                } else if will && !was {
                    let ins = *inserts[d].get_or_insert_with(|| self.pricer.best_insertion(&self.days[d], t));
                    match ins {
                        Some(ins) => delta = delta.saturating_add(ins.delta),
                        None => ok = false,
                    }
                }
                if !ok {
                    break;
                }
            }
            if ok && delta < 0 && best.is_none_or(|(b, _)| delta < b) {
                best = Some((delta, i));
            }
        }
        let (_, i) = best?;
        let p = patterns[i];
        for (d, ins) in inserts.into_iter().enumerate() {
            let (was, will) = (cur >> d & 1 == 1, p >> d & 1 == 1);
            if was && !will {
                self.pricer.remove(&mut self.days[d], t);
            } else if will
                && !was
                && let Some(Some(ins)) = ins
            {
                self.pricer.insert(&mut self.days[d], t, ins);
            }
        }
        self.chosen[t] = Some(i);
        Some(cur ^ p)
    }

    /// The plan: day solutions scheduled on each day's problem, patterns,
    /// unassigned towns and totals.
    fn finish(mut self) -> HorizonPlan {
        let problem = self.problem;
        let mut solutions = Vec::with_capacity(self.days.len());
        for (d, day) in self.days.iter().enumerate() {
            // The day's towns in problem order; routes name them by their
            // index in this list.
            let mut towns: Vec<usize> = day.routes.iter().flat_map(|r| r.towns.iter().copied()).collect();
            towns.sort_unstable();
            let (sub, map) = self.days_problems.day(d as u32 + 1, &towns);
            let sub_oracle = SubOracle::new(self.oracle, map);
            let index = |t: usize| towns.binary_search(&t).unwrap_or_default();
            let plan = Plan {
                routes: day
                    .routes
                    .iter()
                    .map(|r| PlannedRoute {
                        vehicle_type: r.vehicle_type,
                        towns: r.towns.iter().map(|&t| index(t)).collect(),
                        reloads: r.reloads.clone(),
                    })
                    .collect(),
                unassigned: Vec::new(),
            };
            solutions.push(Solution::from_plan(&sub, &sub_oracle, &plan));
        }
        let patterns: Vec<TownPattern> = (0..problem.towns.len())
            .filter_map(|t| {
                self.pattern(t).map(|p| TownPattern {
                    town: problem.towns[t].id.clone(),
                    days: mask_days(p),
                })
            })
            .collect();
        let unassigned: Vec<HorizonUnassigned> = (0..problem.towns.len())
            .filter(|&t| self.chosen[t].is_none())
            .map(|t| HorizonUnassigned {
                town: problem.towns[t].id.clone(),
                reason: self.reasons[t].clone().unwrap_or(HorizonReason::NoPattern),
            })
            .collect();
        let totals = HorizonTotals {
            distance: solutions.iter().fold(0i64, |a, s| a.saturating_add(s.totals.distance)),
            cost: solutions.iter().map(|s| s.totals.cost).sum(),
            duration_s: solutions
                .iter()
                .fold(0i64, |a, s| a.saturating_add(s.totals.duration_s)),
            routes: solutions.iter().map(|s| s.totals.vehicles_used).sum(),
            drops: solutions.iter().map(|s| s.totals.towns_served).sum(),
            towns_served: patterns.len(),
            towns_unassigned: unassigned.len(),
        };
        self.stats.elapsed = self.start.elapsed();
        HorizonPlan {
            problem: problem.name.clone(),
            days: solutions,
            patterns,
            unassigned,
            totals,
            stats: self.stats,
        }
    }
}
