//! An independent check of a multi-day plan.
//!
//! Every day's solution is checked by [`crate::solution::validate`] against
//! that day's problem (the towns the day's solution names, through a
//! [`SubOracle`]); then every town must be served exactly on the days of
//! one of its allowed patterns — the one the plan states — or be listed as
//! unassigned and served on no day; and the totals must add up.
//!
//! Every unassigned town's reason is re-derived (with the single-day
//! validator's own rules, not the solver's): a reason without a day on the
//! whole problem with every vehicle free; a reason tied to a day on that
//! day's problem (the towns served that day and this one) with the
//! vehicles the plan uses that day — the day must be in the horizon and
//! among the town's allowed days. A town with a day's reason must also have
//! no allowed pattern whose every day has an unused vehicle that could
//! serve it alone.

use super::{DayProblems, HorizonPlan, HorizonReason, SubOracle, mask_days};
use crate::distance::TravelOracle;
use crate::model::Problem;
use crate::solution::Derived;
use crate::solution::{UnassignedReason, Violation, check_reasons, derive_reason, judge_reason, validate};

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
    /// An unassigned town's reason without a day is not true of the
    /// problem (with every vehicle free).
    Reason(Violation),
    /// A town listed as having no allowed pattern has some.
    HasPatterns(String),
    /// An unassigned town's reason names a day outside the horizon.
    ReasonDayOutsideHorizon {
        /// Town id.
        town: String,
        /// The day named.
        day: u32,
        /// Days in the horizon.
        horizon: u32,
    },
    /// An unassigned town's reason names a day on which none of its
    /// allowed patterns would serve it.
    ReasonDayNotAllowed {
        /// Town id.
        town: String,
        /// The day named.
        day: u32,
    },
    /// An unassigned town's reason is not true of the day it names
    /// (re-derived on that day's problem, with that day's vehicles in use).
    DayReason {
        /// The day named, 1-based.
        day: u32,
        /// What.
        violation: Violation,
    },
    /// An unassigned town could be served alone, by a vehicle no route
    /// uses, on every day of one of its allowed patterns.
    ServableOnPattern {
        /// Town id.
        town: String,
        /// The days of that pattern.
        days: Vec<u32>,
    },
    /// A total the plan states differs from the recomputed one.
    WrongFigure {
        /// Which figure.
        what: String,
        /// Stated value.
        stated: i64,
        /// Recomputed value.
        actual: i64,
    },
    /// The plan's stated money cost differs from the days' recomputed one.
    WrongCost {
        /// Stated value.
        stated: f64,
        /// Recomputed value.
        actual: f64,
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
            HorizonViolation::ReasonDayOutsideHorizon { town, day, horizon } => write!(
                f,
                "town '{}': the reason names day {day}, outside the horizon 1..={horizon}",
                crate::text::escape(town)
            ),
            HorizonViolation::ReasonDayNotAllowed { town, day } => write!(
                f,
                "town '{}': the reason names day {day}, which none of its allowed patterns has",
                crate::text::escape(town)
            ),
            HorizonViolation::DayReason { day, violation } => write!(f, "day {day}: {violation}"),
            HorizonViolation::ServableOnPattern { town, days } => write!(
                f,
                "town '{}' is reported unassigned, but unused vehicles could serve it alone on every day of its pattern {{{}}}",
                crate::text::escape(town),
                list(days)
            ),
            HorizonViolation::WrongFigure { what, stated, actual } => {
                write!(f, "{what}: stated {stated}, recomputed {actual}")
            }
            HorizonViolation::WrongCost { stated, actual } => {
                write!(f, "total cost: stated {stated:.2}, recomputed {actual:.2}")
            }
        }
    }
}

/// What [`validate_horizon`] found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HorizonReport {
    /// Total distance recomputed over all days.
    pub cost: i64,
    /// Total money cost recomputed over all days (0 without money costs).
    pub money: f64,
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
    // Routes of each vehicle type on each day.
    let mut used = vec![vec![0usize; problem.fleet.len()]; plan.days.len().min(64)];
    let (mut cost, mut duration, mut routes, mut drops) = (0i64, 0i64, 0usize, 0usize);
    let mut money = 0.0f64;
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
        money += day_report.money;
        duration = duration.saturating_add(solution.routes.iter().fold(0i64, |a, r| a.saturating_add(r.duration_s)));
        routes += day_report.routes;
        for route in &solution.routes {
            if let Some(k) = problem.fleet.iter().position(|f| f.id == route.vehicle_type) {
                used[d][k] += 1;
            }
        }
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
    let mut on_a_day = Vec::new();
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
            HorizonReason::Solver { day: Some(day), reason } => on_a_day.push((t, *day, reason)),
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
    let served_on = DayServed {
        days: &days,
        served: &served,
        used: &used,
    };
    for &(t, day, reason) in &on_a_day {
        check_day_reason(problem, oracle, &served_on, horizon, (t, day, reason), v);
    }
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
    if !crate::solution::costs_agree(t.cost, money) {
        v.push(HorizonViolation::WrongCost {
            stated: t.cost,
            actual: money,
        });
    }
    report.cost = cost;
    report.money = money;
    report.routes = routes;
    report.drops = drops;
    report
}

/// Who is served on each day of a plan, and with how many vehicles.
struct DayServed<'a> {
    days: &'a DayProblems<'a>,
    /// Days each town is served on, as a mask.
    served: &'a [u64],
    /// Routes of each vehicle type on each day (index 0 = day 1).
    used: &'a [Vec<usize>],
}

impl DayServed<'_> {
    /// What the validator derives for town `t` on day `day`: the day's
    /// problem (the towns served that day and `t`), the vehicles in use
    /// that day. Returned with that problem and `t`'s index in it.
    fn derive(&self, problem: &Problem, oracle: &dyn TravelOracle, day: u32, t: usize) -> (Problem, usize, Derived) {
        let towns: Vec<usize> = (0..problem.towns.len())
            .filter(|&s| s == t || on_day(self.served[s], day))
            .collect();
        let k = towns.iter().position(|&s| s == t).unwrap_or_default();
        let (sub, map) = self.days.day(day, &towns);
        let sub_oracle = SubOracle::new(oracle, map);
        let none = vec![0; problem.fleet.len()];
        let used = self.used.get(day as usize - 1).unwrap_or(&none);
        let derived = derive_reason(&sub, &sub_oracle, used, k);
        (sub, k, derived)
    }
}

/// True if `mask` has day `day` (1-based; days past 64 never).
fn on_day(mask: u64, day: u32) -> bool {
    (1..=64).contains(&day) && mask >> (day - 1) & 1 == 1
}

/// Checks the reason of unassigned town `t` tied to `day`: the day is in
/// the horizon and among the town's allowed days, the reason is what that
/// day gives, and no allowed pattern could have been served by unused
/// vehicles on all its days.
fn check_day_reason(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    served_on: &DayServed<'_>,
    horizon: u32,
    (t, day, stated): (usize, u32, &UnassignedReason),
    v: &mut Vec<HorizonViolation>,
) {
    let town = &problem.towns[t];
    let allowed = town.patterns.iter().fold(0u64, |m, &p| m | p);
    let in_horizon = (1..=horizon.min(64)).contains(&day);
    if !in_horizon {
        v.push(HorizonViolation::ReasonDayOutsideHorizon {
            town: town.id.clone(),
            day,
            horizon,
        });
    } else if !on_day(allowed, day) {
        v.push(HorizonViolation::ReasonDayNotAllowed {
            town: town.id.clone(),
            day,
        });
    }
    // Whether unused vehicles could serve the town alone, per day.
    let mut servable: Vec<Option<bool>> = vec![None; 64];
    if in_horizon && on_day(allowed, day) {
        let (sub, k, derived) = served_on.derive(problem, oracle, day, t);
        let mut found = Vec::new();
        judge_reason(&sub, k, stated, &derived, &mut found);
        v.extend(
            found
                .into_iter()
                .map(|violation| HorizonViolation::DayReason { day, violation }),
        );
        servable[day as usize - 1] = Some(derived.servable());
    }
    let open = |servable: &mut Vec<Option<bool>>, d: u32| {
        *servable[d as usize - 1].get_or_insert_with(|| served_on.derive(problem, oracle, d, t).2.servable())
    };
    // An optional town may be left out by choice (its prize is paid).
    if town.prize.is_some() && *stated == UnassignedReason::NotWorthItsPrize {
        return;
    }
    for &p in town.patterns.iter().filter(|&&p| p != 0) {
        let days = mask_days(p);
        if days.iter().all(|&d| d <= horizon && open(&mut servable, d)) {
            v.push(HorizonViolation::ServableOnPattern {
                town: town.id.clone(),
                days,
            });
            break;
        }
    }
}
