//! An independent check of a multi-day plan.
//!
//! Every day's solution is checked by [`crate::solution::validate`] against
//! that day's problem (the towns the day's solution names, through a
//! [`SubOracle`]); then every town must be served exactly on the days of
//! one of its allowed patterns — the one the plan states — or be listed as
//! unassigned and served on no day; and the totals must add up.

use super::{DayProblems, HorizonPlan, HorizonReason, SubOracle, mask_days};
use crate::distance::TravelOracle;
use crate::model::Problem;
use crate::solution::{Violation, check_reasons, validate};

/// One thing wrong with a multi-day plan.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum HorizonViolation {
    /// The problem has no horizon.
    NotMultiDay,
    /// The plan has a different number of days than the horizon.
    DayCount {
        /// Days in the plan.
        plan: usize,
        /// Days in the horizon.
        horizon: u32,
    },
    /// Something wrong with one day's solution.
    Day {
        /// Day, 1-based.
        day: u32,
        /// What.
        violation: Violation,
    },
    /// A town id the problem does not have (in a day, a pattern or the
    /// unassigned list).
    UnknownTown(String),
    /// A town listed twice in the patterns or unassigned lists, or in both.
    ListedTwice(String),
    /// A town served on days that are not one of its allowed patterns.
    NotAnAllowedPattern {
        /// Town id.
        town: String,
        /// Days it is served on.
        days: Vec<u32>,
    },
    /// The days a town is served on differ from the pattern the plan states.
    PatternMismatch {
        /// Town id.
        town: String,
        /// Days stated.
        stated: Vec<u32>,
        /// Days served.
        served: Vec<u32>,
    },
    /// A town listed as unassigned is served on some day.
    UnassignedButServed {
        /// Town id.
        town: String,
        /// Days it is served on.
        days: Vec<u32>,
    },
    /// A town neither served nor listed as unassigned.
    Missing(String),
    /// An unassigned town's reason is not true of the problem (checked
    /// for the reasons that hold on every day: the single-day reasons
    /// without a day, and "no allowed pattern").
    Reason(Violation),
    /// A town listed as having no allowed pattern has some.
    HasPatterns(String),
    /// A total the plan states differs from the recomputed one.
    WrongFigure {
        /// Which figure.
        what: String,
        /// Stated value.
        stated: i64,
        /// Recomputed value.
        actual: i64,
    },
}

impl std::fmt::Display for HorizonViolation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = |days: &[u32]| days.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
        match self {
            HorizonViolation::NotMultiDay => write!(f, "the problem has no horizon_days"),
            HorizonViolation::DayCount { plan, horizon } => {
                write!(f, "the plan has {plan} days, the horizon {horizon}")
            }
            HorizonViolation::Day { day, violation } => write!(f, "day {day}: {violation}"),
            HorizonViolation::UnknownTown(t) => write!(f, "unknown town '{t}'"),
            HorizonViolation::ListedTwice(t) => write!(f, "town '{t}' is listed more than once"),
            HorizonViolation::NotAnAllowedPattern { town, days } => {
                write!(
                    f,
                    "town '{town}' is served on days {{{}}}, not an allowed pattern",
                    list(days)
                )
            }
            HorizonViolation::PatternMismatch { town, stated, served } => write!(
                f,
                "town '{town}': pattern {{{}}} stated, served on {{{}}}",
                list(stated),
                list(served)
            ),
            HorizonViolation::UnassignedButServed { town, days } => {
                write!(
                    f,
                    "town '{town}' is listed unassigned but served on days {{{}}}",
                    list(days)
                )
            }
            HorizonViolation::Missing(t) => write!(
                f,
                "town '{}' is neither served nor reported unassigned",
                crate::text::escape(t)
            ),
            HorizonViolation::Reason(v) => write!(f, "{v}"),
            HorizonViolation::HasPatterns(t) => write!(
                f,
                "town '{}' is reported as having no allowed pattern, but has some",
                crate::text::escape(t)
            ),
            HorizonViolation::WrongFigure { what, stated, actual } => {
                write!(f, "{what}: stated {stated}, recomputed {actual}")
            }
        }
    }
}

/// What [`validate_horizon`] found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HorizonReport {
    /// Total distance recomputed over all days.
    pub cost: i64,
    /// Non-empty routes over all days.
    pub routes: usize,
    /// Visits over all days.
    pub drops: usize,
    /// Everything wrong; empty means feasible.
    pub violations: Vec<HorizonViolation>,
}

impl HorizonReport {
    /// True when nothing is wrong.
    pub fn is_feasible(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Checks `plan` against `problem` (module docs). `oracle` covers all
/// locations of `problem`.
pub fn validate_horizon(problem: &Problem, oracle: &dyn TravelOracle, plan: &HorizonPlan) -> HorizonReport {
    let mut report = HorizonReport::default();
    let v = &mut report.violations;
    let Some(horizon) = problem.horizon_days else {
        v.push(HorizonViolation::NotMultiDay);
        return report;
    };
    if plan.days.len() != horizon as usize {
        v.push(HorizonViolation::DayCount {
            plan: plan.days.len(),
            horizon,
        });
    }
    let index = problem.town_indices();
    let days = DayProblems::new(problem);
    // Days each town is served on, as a mask.
    let mut served = vec![0u64; problem.towns.len()];
    let (mut cost, mut duration, mut routes, mut drops) = (0i64, 0i64, 0usize, 0usize);
    for (d, solution) in plan.days.iter().enumerate().take(64) {
        let day = d as u32 + 1;
        let mut towns = Vec::new();
        let names = solution
            .routes
            .iter()
            .flat_map(|r| r.stops.iter().map(|s| s.town.as_str()))
            .chain(solution.unassigned.iter().map(|u| u.town.as_str()));
        for id in names {
            match index.get(id) {
                Some(&t) => towns.push(t),
                None => v.push(HorizonViolation::UnknownTown(id.to_string())),
            }
        }
        towns.sort_unstable();
        towns.dedup();
        let (sub, map) = days.day(day, &towns);
        let sub_oracle = SubOracle::new(oracle, map);
        let day_report = validate(&sub, &sub_oracle, solution);
        v.extend(
            day_report
                .violations
                .into_iter()
                .map(|violation| HorizonViolation::Day { day, violation }),
        );
        cost = cost.saturating_add(day_report.cost);
        duration = duration.saturating_add(solution.routes.iter().fold(0i64, |a, r| a.saturating_add(r.duration_s)));
        routes += day_report.routes;
        for stop in solution.routes.iter().flat_map(|r| &r.stops) {
            if let Some(&t) = index.get(stop.town.as_str()) {
                served[t] |= 1 << d;
                drops += 1;
            }
        }
    }
    // The stated patterns and unassigned towns.
    let mut stated: Vec<Option<u64>> = vec![None; problem.towns.len()];
    let mut unassigned = vec![false; problem.towns.len()];
    for p in &plan.patterns {
        let Some(&t) = index.get(p.town.as_str()) else {
            v.push(HorizonViolation::UnknownTown(p.town.clone()));
            continue;
        };
        if stated[t].is_some() {
            v.push(HorizonViolation::ListedTwice(p.town.clone()));
        }
        stated[t] = Some(
            p.days
                .iter()
                .filter(|&&d| (1..=64).contains(&d))
                .fold(0u64, |m, &d| m | 1 << (d - 1)),
        );
    }
    let mut every_day = Vec::new();
    for u in &plan.unassigned {
        let Some(&t) = index.get(u.town.as_str()) else {
            v.push(HorizonViolation::UnknownTown(u.town.clone()));
            continue;
        };
        if unassigned[t] || stated[t].is_some() {
            v.push(HorizonViolation::ListedTwice(u.town.clone()));
        }
        unassigned[t] = true;
        match &u.reason {
            HorizonReason::Solver { day: None, reason } => every_day.push((t, reason)),
            HorizonReason::NoPattern if !problem.towns[t].patterns.is_empty() => {
                v.push(HorizonViolation::HasPatterns(u.town.clone()))
            }
            _ => {}
        }
    }
    // A reason without a day claims that no vehicle can serve the town on
    // any day, when every vehicle is free.
    let mut reasons = Vec::new();
    check_reasons(problem, oracle, &vec![0; problem.fleet.len()], &every_day, &mut reasons);
    v.extend(reasons.into_iter().map(HorizonViolation::Reason));
    let mut towns_served = 0;
    for (t, town) in problem.towns.iter().enumerate() {
        let s = served[t];
        if unassigned[t] {
            if s != 0 {
                v.push(HorizonViolation::UnassignedButServed {
                    town: town.id.clone(),
                    days: mask_days(s),
                });
            }
            continue;
        }
        match stated[t] {
            None if s == 0 => v.push(HorizonViolation::Missing(town.id.clone())),
            None => v.push(HorizonViolation::PatternMismatch {
                town: town.id.clone(),
                stated: Vec::new(),
                served: mask_days(s),
            }),
            Some(p) => {
                towns_served += 1;
                if p != s {
                    v.push(HorizonViolation::PatternMismatch {
                        town: town.id.clone(),
                        stated: mask_days(p),
                        served: mask_days(s),
                    });
                }
            }
        }
        if s != 0 && !town.patterns.contains(&s) {
            v.push(HorizonViolation::NotAnAllowedPattern {
                town: town.id.clone(),
                days: mask_days(s),
            });
        }
    }
    let t = &plan.totals;
    for (what, stated, actual) in [
        ("total distance", t.distance, cost),
        ("total duration_s", t.duration_s, duration),
        ("total routes", t.routes as i64, routes as i64),
        ("total drops", t.drops as i64, drops as i64),
        ("towns served", t.towns_served as i64, towns_served as i64),
        (
            "towns unassigned",
            t.towns_unassigned as i64,
            unassigned.iter().filter(|&&u| u).count() as i64,
        ),
    ] {
        if stated != actual {
            v.push(HorizonViolation::WrongFigure {
                what: what.into(),
                stated,
                actual,
            });
        }
    }
    report.cost = cost;
    report.routes = routes;
    report.drops = drops;
    report
}
