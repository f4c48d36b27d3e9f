//! CVRPLIB `.sol` route files:
//!
//! ```text
//! Route #1: 31 46 35
//! Route #2: 15 22 41 20
//! Cost 27591
//! ```
//!
//! Customers are numbered `1..=n` in [`Problem::towns`] order: customer `c`
//! is town index `c - 1`. For a problem read from a `.vrp` file with the
//! usual depot 1, that is VRPLIB node `c + 1` (town id `"c+1"`), exactly the
//! CVRPLIB convention.
//!
//! Problems with several vehicle types (PyVRP's HFVRP, MDVRPTW, SDVRPTW
//! families) use the per-vehicle convention of their best-known solutions:
//! every type has a count, vehicles are numbered across the types in fleet
//! order (type 1's vehicles first), and line `Route #k` is vehicle `k`'s
//! route, empty for a vehicle left at its depot.

use super::clip;
use crate::error::{Error, Result};
use crate::model::Problem;
use crate::solution::{Plan, PlannedRoute, Solution};
use std::fmt::Write as _;

/// The `Cost` line of a `.sol` file, in the instance's units, with the
/// number of decimals it was written with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StatedCost {
    /// The number written.
    pub value: f64,
    /// Digits after its decimal point.
    pub decimals: u32,
}

impl StatedCost {
    /// True when `actual` (instance units) rounds to the stated figure at
    /// its precision: within half a unit of its last decimal.
    pub fn matches(&self, actual: f64) -> bool {
        let half = 0.5 * 10f64.powi(-(self.decimals.min(15) as i32));
        (self.value - actual).abs() <= half * (1.0 + 1e-9)
    }
}

/// A parsed `.sol` file.
#[derive(Debug, Clone, PartialEq)]
pub struct SolFile {
    /// The routes, each on the problem's first vehicle type; `unassigned` is
    /// always empty (customers the file leaves out are simply absent, and
    /// the validator reports them as missing).
    pub plan: Plan,
    /// The `Cost` line, if any (instance units, see [`crate::io::instance_cost`]).
    pub stated_cost: Option<StatedCost>,
}

/// Writes a solution as a `.sol` file: one `Route #k:` line per non-empty
/// route (k from 1), customers numbered town index + 1, then
/// `Cost <total distance>` in the instance's units ([`crate::io::show_cost`]:
/// two decimals for exact distances). Stops naming a town the problem does not have
/// cannot be numbered and are left out; validate the solution first.
pub fn write_sol(problem: &Problem, solution: &Solution) -> String {
    let index = problem.town_indices();
    let mut out = String::new();
    if let Some(first) = vehicle_numbering(problem) {
        // One line per vehicle, in fleet order.
        let total = first.last().copied().unwrap_or(0);
        let mut lines: Vec<Vec<usize>> = vec![Vec::new(); total];
        for route in &solution.routes {
            let Some(v) = problem.vehicle_type_index(&route.vehicle_type) else {
                continue;
            };
            let k = first[v] + route.vehicle as usize;
            if k < first[v + 1] {
                lines[k] = route_tokens(problem, &index, route, customer_offset(problem));
            }
        }
        for (k, towns) in lines.iter().enumerate() {
            let _ = write!(out, "Route #{}:", k + 1);
            for c in towns {
                let _ = write!(out, " {c}");
            }
            out.push('\n');
        }
        let _ = writeln!(out, "Cost {}", super::show_cost(problem, solution));
        return out;
    }
    let mut k = 0;
    for route in solution.routes.iter().filter(|r| !r.stops.is_empty()) {
        k += 1;
        let _ = write!(out, "Route #{k}:");
        for c in route_tokens(problem, &index, route, 1) {
            let _ = write!(out, " {c}");
        }
        out.push('\n');
    }
    let _ = writeln!(out, "Cost {}", super::show_cost(problem, solution));
    out
}

/// A route's numbers: customers from `offset`, and a reload as its depot's
/// number (below `offset`) where it happens, as PyVRP's multi-trip files.
fn route_tokens(
    problem: &Problem,
    index: &std::collections::HashMap<&str, usize>,
    route: &crate::solution::Route,
    offset: usize,
) -> Vec<usize> {
    let mut out = Vec::with_capacity(route.stops.len() + route.reloads.len());
    let mut reloads = route.reloads.iter().peekable();
    for (i, stop) in route.stops.iter().enumerate() {
        while let Some(r) = reloads.next_if(|r| r.before_stop <= i) {
            if let Some(d) = problem.depot_index(&r.depot).filter(|&d| d < offset) {
                out.push(d);
            }
        }
        if let Some(t) = index.get(stop.town.as_str()) {
            out.push(t + offset);
        }
    }
    out
}

/// Refuses to describe a problem's solutions as `.sol` when the file could
/// not be read back the same way: it names neither the vehicle type nor the
/// depot of a route, so the problem must have exactly one vehicle type.
pub fn check_sol_writable(problem: &Problem) -> Result<()> {
    if problem.fleet.len() == 1 || vehicle_numbering(problem).is_some() {
        return Ok(());
    }
    Err(Error::SolutionMismatch(format!(
        "a .sol file names no vehicle type or depot: with several vehicle types it numbers vehicles, so every \
         type needs a count and at most {MAX_SOL_VEHICLES} vehicles in all (this one has {} depots and {} vehicle \
         types): write the solution as JSON (--out) instead",
        problem.depots.len(),
        problem.fleet.len()
    )))
}

/// The number of the first customer: 1 (CVRPLIB), or in the per-vehicle
/// convention the number of depots (customers are numbered after the
/// depots from 0, PyVRP's location indices; one depot gives CVRPLIB's 1).
fn customer_offset(problem: &Problem) -> usize {
    if vehicle_numbering(problem).is_some() {
        problem.depots.len()
    } else {
        1
    }
}

/// Most vehicles a per-vehicle `.sol` file lists (one line each).
pub const MAX_SOL_VEHICLES: usize = 1_000_000;

/// The per-vehicle convention of a multi-type problem: the number of the
/// first vehicle of every type (0-based, across types) and, last, the total;
/// `None` for single-type problems and fleets with an unlimited type.
fn vehicle_numbering(problem: &Problem) -> Option<Vec<usize>> {
    if problem.fleet.len() < 2 {
        return None;
    }
    let mut first = vec![0usize];
    for v in &problem.fleet {
        let next = first.last()? + v.count? as usize;
        if next > MAX_SOL_VEHICLES {
            return None;
        }
        first.push(next);
    }
    Some(first)
}

/// Reads a `.sol` file against its problem (a depot's number inside a
/// route is a reload there; optional towns on no route are left out, as
/// [`crate::solution::UnassignedReason::NotWorthItsPrize`]). Every route is given the
/// problem's first vehicle type; a problem with several depots is refused
/// ([`Error::SolutionMismatch`]) unless it has exactly one vehicle type,
/// because the file does not say which depot a route starts from, and so is
/// a (hand-assembled) problem without any vehicle type.
///
/// Blank lines, tabs and CRLF line ends are accepted; `Route` and `Cost`
/// are matched case-insensitively, the `#` and the colon after `Cost` are
/// optional, and the cost may be a float (kept with its precision). Errors name the line:
/// customer number 0 or above the number of towns, non-numeric tokens, any
/// other line, a second `Cost` line, and a file without any route.
pub fn read_sol(text: &str, source_name: &str, problem: &Problem) -> Result<SolFile> {
    let numbering = vehicle_numbering(problem);
    if problem.depots.len() > 1 && problem.fleet.len() != 1 && numbering.is_none() {
        return Err(Error::SolutionMismatch(format!(
            "{source_name}: a .sol file does not say which depot a route uses, so it can only be read against \
             a problem with one depot or one vehicle type (this one has {} depots and {} vehicle types)",
            problem.depots.len(),
            problem.fleet.len()
        )));
    }
    if problem.fleet.is_empty() {
        return Err(Error::SolutionMismatch(format!(
            "{source_name}: the problem has no vehicle type to run the routes"
        )));
    }
    let n = problem.towns.len();
    let err = |line: usize, msg: String| Error::parse(source_name, Some(line), msg);
    let mut plan = Plan::default();
    let mut route_lines = 0usize;
    let mut numbers_seen = std::collections::HashSet::new();
    let offset = customer_offset(problem) as u64;
    let mut stated_cost: Option<(StatedCost, usize)> = None;
    for (i, raw) in text.lines().enumerate() {
        let no = i + 1;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(rest) = strip_prefix_ci(line, "route") {
            let rest = rest.trim_start();
            let rest = rest.strip_prefix('#').unwrap_or(rest);
            let Some((num, customers)) = rest.split_once(':') else {
                return Err(err(
                    no,
                    format!("expected 'Route #k: customers...', found '{}'", clip(line)),
                ));
            };
            let Ok(number) = num.trim().parse::<u64>() else {
                return Err(err(
                    no,
                    format!("route number '{}' is not a whole number", clip(num.trim())),
                ));
            };
            route_lines += 1;
            // Per-vehicle files: route k is vehicle k.
            let vehicle_type = match &numbering {
                None => 0,
                Some(first) => {
                    let total = *first.last().unwrap_or(&0) as u64;
                    if number < 1 || number > total {
                        return Err(err(
                            no,
                            format!("route #{number}: the problem has vehicles 1..={total}"),
                        ));
                    }
                    if !numbers_seen.insert(number) {
                        return Err(err(no, format!("route #{number} given twice")));
                    }
                    first.partition_point(|&f| (f as u64) < number) - 1
                }
            };
            let mut towns = Vec::new();
            let mut reloads = Vec::new();
            for tok in customers.split_whitespace() {
                match tok.parse::<u64>() {
                    Ok(c) if c >= offset && c < n as u64 + offset => towns.push((c - offset) as usize),
                    // A depot's number inside a route: the vehicle reloads there.
                    Ok(c) if c < offset && (c as usize) < problem.depots.len() => {
                        reloads.push(crate::solution::Reload {
                            before: towns.len(),
                            depot: c as usize,
                        })
                    }
                    Ok(c) => {
                        return Err(err(
                            no,
                            format!(
                                "customer {c} is out of range {offset}..={} (the problem has {n} towns)",
                                n as u64 + offset - 1
                            ),
                        ));
                    }
                    Err(_) => return Err(err(no, format!("customer '{}' is not a whole number", clip(tok)))),
                }
            }
            if !towns.is_empty() {
                // A depot number before the first customer or after the last
                // is no reload; the evaluator judges the others.
                let len = towns.len();
                reloads.retain(|r| r.before > 0 && r.before < len);
                plan.routes.push(PlannedRoute {
                    vehicle_type,
                    towns,
                    reloads,
                });
            }
        } else if let Some(rest) = strip_prefix_ci(line, "cost") {
            let rest = rest.trim_start();
            let value = rest.strip_prefix(':').unwrap_or(rest).trim();
            if let Some((_, first)) = stated_cost {
                return Err(err(no, format!("a second Cost line (the first is on line {first})")));
            }
            match value.parse::<f64>() {
                Ok(c) if c.is_finite() && c.abs() < 1e18 => {
                    let decimals = value
                        .split_once('.')
                        .map_or(0, |(_, f)| f.bytes().take_while(u8::is_ascii_digit).count() as u32);
                    stated_cost = Some((StatedCost { value: c, decimals }, no))
                }
                _ => return Err(err(no, format!("cost '{}' is not a number", clip(value)))),
            }
        } else if line.split_once(':').is_some_and(|(key, value)| {
            !key.is_empty() && !value.trim().is_empty() && key.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_')
        }) {
            // Other `Key: value` lines of the VRPLIB solution format
            // (`Time: 12.3`, `Optimal: True`) say nothing about the routes.
        } else {
            return Err(err(
                no,
                format!("expected 'Route #k: ...' or 'Cost ...', found '{}'", clip(line)),
            ));
        }
    }
    if route_lines == 0 {
        return Err(Error::parse(
            source_name,
            None,
            "no 'Route #k:' line: the file holds no routes",
        ));
    }
    // Prize-collecting files list only the towns served: an optional town
    // on no route is left out by choice (a required one stays missing, for
    // the validator to report).
    let mut routed = vec![false; n];
    for r in &plan.routes {
        for &t in &r.towns {
            routed[t] = true;
        }
    }
    for (t, town) in problem.towns.iter().enumerate() {
        if !routed[t] && town.prize.is_some() {
            plan.unassigned
                .push((t, crate::solution::UnassignedReason::NotWorthItsPrize));
        }
    }
    Ok(SolFile {
        plan,
        stated_cost: stated_cost.map(|(c, _)| c),
    })
}

/// `line` without `prefix` (ASCII case-insensitive), if it starts with it.
fn strip_prefix_ci<'a>(line: &'a str, prefix: &str) -> Option<&'a str> {
    let head = line.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &line[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::distance::build_oracle;
    use crate::io::vrplib::read_vrp;
    use crate::solution::validate;

    fn problem(n: usize) -> Problem {
        let mut text = format!(
            "NAME : p\nDIMENSION : {}\nCAPACITY : 100\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n",
            n + 1
        );
        for v in 1..=n + 1 {
            text += &format!("{v} {} {}\n", v * 3, (v * 7) % 11);
        }
        text += "DEMAND_SECTION\n1 0\n";
        for v in 2..=n + 1 {
            text += &format!("{v} {}\n", v % 5 + 1);
        }
        text += "DEPOT_SECTION\n1\n-1\nEOF\n";
        read_vrp(&text, "p.vrp").unwrap()
    }

    fn parse_err(text: &str, p: &Problem) -> (Option<usize>, String) {
        match read_sol(text, "s.sol", p) {
            Err(Error::Parse {
                source_name,
                line,
                message,
            }) => {
                assert_eq!(source_name, "s.sol");
                (line, message)
            }
            other => panic!("expected a parse error, got {other:?}"),
        }
    }

    #[test]
    fn reads_crlf_tabs_blank_lines_and_float_cost() {
        let p = problem(6);
        let text = "\r\nRoute #1:\t3 1 2\r\n\r\nroute #2: 6\t5 4 \r\nCost: 123.6\r\n";
        let sol = read_sol(text, "s.sol", &p).unwrap();
        assert_eq!(
            sol.stated_cost,
            Some(StatedCost {
                value: 123.6,
                decimals: 1
            })
        );
        assert!(sol.plan.unassigned.is_empty());
        let routes: Vec<(usize, Vec<usize>)> = sol
            .plan
            .routes
            .iter()
            .map(|r| (r.vehicle_type, r.towns.clone()))
            .collect();
        assert_eq!(routes, [(0, vec![2, 0, 1]), (0, vec![5, 4, 3])]);
        assert_eq!(read_sol("Route #1: 1 2 3 4 5 6\n", "s", &p).unwrap().stated_cost, None);
    }

    #[test]
    fn round_trip_through_write() {
        let p = problem(7);
        let oracle = build_oracle(&p).unwrap();
        let plan = Plan {
            routes: vec![
                PlannedRoute {
                    vehicle_type: 0,
                    towns: vec![4, 2, 6],
                    reloads: Vec::new(),
                },
                PlannedRoute {
                    vehicle_type: 0,
                    towns: vec![],
                    reloads: Vec::new(),
                },
                PlannedRoute {
                    vehicle_type: 0,
                    towns: vec![0, 1, 3, 5],
                    reloads: Vec::new(),
                },
            ],
            unassigned: vec![],
        };
        let s = Solution::from_plan(&p, oracle.as_ref(), &plan);
        let text = write_sol(&p, &s);
        assert!(text.starts_with("Route #1: 5 3 7\nRoute #2: 1 2 4 6\nCost "), "{text}");
        let back = read_sol(&text, "s.sol", &p).unwrap();
        assert_eq!(back.stated_cost.map(|c| c.value), Some(s.totals.distance as f64));
        let nonempty: Vec<PlannedRoute> = plan.routes.iter().filter(|r| !r.towns.is_empty()).cloned().collect();
        assert_eq!(back.plan.routes, nonempty);
        let again = Solution::from_plan(&p, oracle.as_ref(), &back.plan);
        assert_eq!(again, s);
        assert!(validate(&p, oracle.as_ref(), &again).is_feasible());
    }

    #[test]
    fn exact_costs_are_written_and_read_with_their_decimals() {
        // Real-valued coordinates: the exact convention, costs in instance units.
        let text = "NAME : g\nDIMENSION : 3\nCAPACITY : 10\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n\
                    1 0 0\n2 0.5 0\n3 0 1.25\nDEMAND_SECTION\n1 0\n2 1\n3 1\nEOF\n";
        let p = read_vrp(text, "g.vrp").unwrap();
        assert_eq!(p.rounding, crate::model::Rounding::Exact);
        let oracle = build_oracle(&p).unwrap();
        let sol = read_sol("Route #1: 1 2\nCost 3.10\n", "s", &p).unwrap();
        let s = Solution::from_plan(&p, oracle.as_ref(), &sol.plan);
        // 0.5 + hypot(0.5, 1.25) + 1.25 = 3.0963...
        let want = 0.5 + 0.5f64.hypot(1.25) + 1.25;
        let cost = crate::io::instance_cost(&p, &s).unwrap();
        assert!((cost - want).abs() < 1e-12, "{cost}");
        let stated = sol.stated_cost.unwrap();
        assert_eq!(stated.decimals, 2);
        assert!(stated.matches(cost));
        assert!(
            !StatedCost {
                value: 3.09,
                decimals: 2
            }
            .matches(cost)
        );
        let written = write_sol(&p, &s);
        assert!(written.ends_with("Cost 3.10\n"), "{written}");
        assert!(read_sol(&written, "w", &p).unwrap().stated_cost.unwrap().matches(cost));
    }

    #[test]
    fn left_out_customers_are_missing_not_unassigned() {
        let p = problem(3);
        let oracle = build_oracle(&p).unwrap();
        let sol = read_sol("Route #1: 1 3\nCost 10\n", "s", &p).unwrap();
        assert!(sol.plan.unassigned.is_empty());
        let s = Solution::from_plan(&p, oracle.as_ref(), &sol.plan);
        let report = validate(&p, oracle.as_ref(), &s);
        assert_eq!(report.violations, vec![crate::solution::Violation::Missing("3".into())]);
    }

    #[test]
    fn errors_name_the_line() {
        let p = problem(4);
        // 0 is the depot: inside a route, a reload (PyVRP's multi-trip files).
        let sol = read_sol("Route #1: 1 0 2\nRoute #2: 0 3 0\n", "s", &p).unwrap();
        let reloads: Vec<_> = sol.plan.routes.iter().map(|r| r.reloads.clone()).collect();
        assert_eq!(
            reloads,
            vec![vec![crate::solution::Reload { before: 1, depot: 0 }], Vec::new()]
        );
        let (line, msg) = parse_err("Route #1: 1 5\n", &p);
        assert_eq!(line, Some(1));
        assert!(msg.contains("customer 5 is out of range 1..=4"), "{msg}");
        let (line, msg) = parse_err("\nRoute #1: 1 two\n", &p);
        assert_eq!(line, Some(2));
        assert!(msg.contains("'two'"), "{msg}");
        let (line, msg) = parse_err("Route #1: 1 -2\n", &p);
        assert_eq!(line, Some(1));
        assert!(msg.contains("'-2'"), "{msg}");
        let (line, msg) = parse_err("Route #x: 1\n", &p);
        assert_eq!(line, Some(1));
        assert!(msg.contains("route number"), "{msg}");
        let (line, msg) = parse_err("Route #1 1 2\n", &p);
        assert_eq!(line, Some(1));
        assert!(msg.contains("expected 'Route #k"), "{msg}");
        let (line, msg) = parse_err("Route #1: 1\nhello world\n", &p);
        assert_eq!(line, Some(2));
        assert!(msg.contains("hello world"), "{msg}");
        let (line, msg) = parse_err("Route #1: 1\nCost abc\n", &p);
        assert_eq!(line, Some(2));
        assert!(msg.contains("cost 'abc'"), "{msg}");
        let (line, msg) = parse_err("Route #1: 1\nCost 3\nCost 4\n", &p);
        assert_eq!(line, Some(3));
        assert!(msg.contains("line 2"), "{msg}");
        let (line, msg) = parse_err("\n\nCost 4\n", &p);
        assert_eq!(line, None);
        assert!(msg.contains("no routes"), "{msg}");
        let (line, _) = parse_err("", &p);
        assert_eq!(line, None);
    }

    #[test]
    fn multi_depot_needs_a_single_vehicle_type() {
        let text = "DIMENSION : 4\nCAPACITY : 9\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 1 0\n3 2 0\n4 3 0\n\
                    DEMAND_SECTION\n1 0\n2 1\n3 1\n4 0\nDEPOT_SECTION\n1 4 -1\n";
        let p = read_vrp(text, "md").unwrap();
        assert!(matches!(
            read_sol("Route #1: 1 2\n", "s", &p),
            Err(Error::SolutionMismatch(_))
        ));
        let mut one = p.clone();
        one.fleet.truncate(1);
        assert_eq!(read_sol("Route #1: 1 2\n", "s", &one).unwrap().plan.routes.len(), 1);
        // A hand-assembled problem without vehicle types: refused, not a
        // plan naming vehicle type 0 that does not exist.
        one.fleet.clear();
        one.depots.truncate(1);
        assert!(matches!(
            read_sol("Route #1: 1 2\n", "s", &one),
            Err(Error::SolutionMismatch(_))
        ));
    }
}
