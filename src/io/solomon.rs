//! VRPTW benchmark instances: the classic Solomon text format (read here)
//! and VRPLIB `TYPE : VRPTW` files such as Gehring & Homberger's (read by
//! [`crate::io::vrplib`], which hands its rows to the same builder, so both
//! follow one convention).
//!
//! # The Solomon text format
//!
//! ```text
//! C101
//!
//! VEHICLE
//! NUMBER     CAPACITY
//!   25          200
//!
//! CUSTOMER
//! CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME
//!
//!     0       40         50          0          0       1236          0
//!     1       45         68         10        912        967         90
//! ```
//!
//! An optional name line, a `VEHICLE` line, an optional column-title line,
//! the vehicle count and capacity, a `CUSTOMER` line, an optional
//! column-title line and one row per customer: number, x, y, demand, ready
//! time, due date, service time. Customer 0 is the depot. Blank lines, tabs,
//! CRLF line ends and decimal numbers are tolerated; the keywords are
//! case-insensitive.
//!
//! # Convention: DIMACS integer tenths
//!
//! The model's quantities are integers, so the instance is scaled by 10, as
//! in the 2021 DIMACS challenge and CVRPLIB's VRPTW best-known solutions:
//! * distance = travel time = `floor(10 · euclid(i, j))` for every arc (each
//!   arc truncated to one decimal, in tenths), held as a [`Travel::Matrix`](crate::model::Travel::Matrix)
//!   whose `durations` are the same matrix;
//! * ready times, due dates and service times × 10 (rounded to the nearest
//!   integer if the file has more than one decimal);
//! * a customer's window `[10·ready, 10·due]`: service must *start* inside
//!   (early vehicles wait);
//! * the depot's ready time and due date become the depot's `hours`: vehicles
//!   leave no earlier and are back by the due date (the depot's demand and
//!   service time are ignored);
//! * the fleet is one vehicle type `"vehicle"` with the file's vehicle count
//!   (`NUMBER`, or VRPLIB `VEHICLES`; a fleet-size limit) and capacity;
//! * ids are the file's numbers: Solomon customer `c` is town `"c"` and the
//!   depot is `"0"`; VRPLIB node `v` is `"v"` (depot `"1"`);
//! * locations keep the file's planar coordinates (unscaled).
//!
//! The problem's [`Problem::rounding`] is [`Rounding::DimacsTenths`]: its
//! model figures (solution totals, validator cost) are in tenths, and the
//! figures shown in instance units ([`crate::io::show_cost`], the solve
//! summary, `.sol` `Cost`) are those / 10, the DIMACS cost (the convention of the Gehring–Homberger
//! BKS, `dimacs` in `bks.csv`). The SINTEF Solomon BKS are unrounded double
//! Euclidean distances (`exact`): [`exact_euclidean_cost`] gives that figure
//! for the same routes, [`dimacs_cost`] the DIMACS one, both from the
//! coordinates. Windows are checked on the tenths: truncated travel times are
//! never longer than the exact ones, so every route feasible in exact doubles
//! is feasible here (the converse may fail by less than 0.1 per arc).
//!
//! # Errors and limits
//! Malformed input is an [`Error::Parse`] naming the input and the 1-based
//! line: a missing `VEHICLE` section or `CUSTOMER` table, a non-numeric
//! field, a row with the wrong number of fields, a window that closes before
//! it opens, a negative demand, time or service time, a duplicate customer
//! number, a missing depot (customer 0). More than [`MAX_VRPTW_NODES`]
//! locations is an [`Error::TooLarge`], refused before the `n²` matrix is
//! allocated; coordinates must lie within ±[`MAX_VRPTW_COORDINATE`] (so
//! that every arc in tenths fits the matrix's `u32`), times within
//! [`MAX_VRPTW_TIME`].

use super::clip;
use crate::error::{Error, Result};
use crate::model::{Location, Problem, Rounding};
use crate::solution::Solution;
use std::collections::HashMap;
use std::path::Path;

pub use super::vrptw::{DIMACS_SCALE, MAX_VRPTW_COORDINATE, MAX_VRPTW_NODES, MAX_VRPTW_TIME};
use super::vrptw::{
    VrptwInstance, VrptwNode, build_problem, coordinate_problem, demand_problem, tenths, time_problem, window_problem,
};

/// Reads a Solomon VRPTW instance from text; `source_name` labels errors.
///
/// ```
/// let text = "TINY\n\nVEHICLE\nNUMBER     CAPACITY\n  2     10\n\nCUSTOMER\n\
///             CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME\n\
///             0 0 0 0 0 100 0\n1 3 4 5 10 20 2\n2 0 1 5 0 90 2\n";
/// let p = backroads::io::solomon::read_solomon(text, "tiny.txt")?;
/// assert_eq!((p.towns.len(), p.fleet[0].count, p.fleet[0].capacity), (2, Some(2), 10));
/// // Times in tenths: window [10, 20] -> [100, 200], service 2 -> 20.
/// assert_eq!((p.towns[0].windows[0].open, p.towns[0].windows[0].close), (100, 200));
/// assert_eq!((p.towns[0].service_time, p.depots[0].hours.close), (20, 1000));
/// # Ok::<(), backroads::Error>(())
/// ```
pub fn read_solomon(text: &str, source_name: &str) -> Result<Problem> {
    let src = source_name;
    let err = |line: usize, msg: String| Error::parse(src, Some(line), msg);
    #[derive(PartialEq)]
    enum Stage {
        Start,
        Named,
        Vehicle { titled: bool },
        Fleet,
        Customer { titled: bool },
    }
    let mut stage = Stage::Start;
    let mut name: Option<String> = None;
    let mut vehicle_line: Option<usize> = None;
    let mut customer_line: Option<usize> = None;
    let mut fleet: Option<(u32, f64)> = None;
    let mut rows: Vec<(usize, u64, VrptwNode)> = Vec::new();
    let mut first_line: HashMap<u64, usize> = HashMap::new();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (i, raw) in text.lines().enumerate() {
        let no = i + 1;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let numeric = line.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '-' | '+' | '.'));
        let word = line.to_ascii_uppercase();
        if word == "VEHICLE" {
            if vehicle_line.is_some() {
                return Err(err(no, "VEHICLE section given twice".into()));
            }
            vehicle_line = Some(no);
            stage = Stage::Vehicle { titled: false };
            continue;
        }
        if word == "CUSTOMER" {
            if customer_line.is_some() {
                return Err(err(no, "CUSTOMER table given twice".into()));
            }
            if fleet.is_none() {
                return Err(err(
                    no,
                    "CUSTOMER table before the VEHICLE section's NUMBER and CAPACITY".into(),
                ));
            }
            customer_line = Some(no);
            stage = Stage::Customer { titled: false };
            continue;
        }
        match stage {
            Stage::Start if !numeric => {
                name = Some(line.to_string());
                stage = Stage::Named;
            }
            Stage::Start | Stage::Named => {
                return Err(err(no, format!("expected a 'VEHICLE' line, found '{}'", clip(line))));
            }
            Stage::Vehicle { titled: false } if !numeric => stage = Stage::Vehicle { titled: true },
            Stage::Vehicle { .. } if numeric => {
                let toks: Vec<&str> = line.split_whitespace().collect();
                if toks.len() != 2 {
                    return Err(err(
                        no,
                        format!("VEHICLE: expected 'NUMBER CAPACITY', found {} fields", toks.len()),
                    ));
                }
                let count = match toks[0].parse::<u64>() {
                    Ok(c) if (1..=u64::from(u32::MAX)).contains(&c) => c as u32,
                    _ => {
                        return Err(err(
                            no,
                            format!("VEHICLE NUMBER must be a whole number >= 1, got '{}'", clip(toks[0])),
                        ));
                    }
                };
                let capacity = match toks[1].parse::<f64>() {
                    Ok(c) if c.is_finite() && c > 0.0 && c <= f64::from(u32::MAX) => c,
                    _ => {
                        return Err(err(
                            no,
                            format!(
                                "VEHICLE CAPACITY must be a positive number (at most {}), got '{}'",
                                u32::MAX,
                                clip(toks[1])
                            ),
                        ));
                    }
                };
                fleet = Some((count, capacity));
                stage = Stage::Fleet;
            }
            Stage::Vehicle { .. } => {
                return Err(err(
                    no,
                    format!(
                        "VEHICLE: expected the NUMBER and CAPACITY values, found '{}'",
                        clip(line)
                    ),
                ));
            }
            Stage::Fleet => {
                return Err(err(no, format!("expected the 'CUSTOMER' line, found '{}'", clip(line))));
            }
            Stage::Customer { titled: false } if !numeric && rows.is_empty() => {
                stage = Stage::Customer { titled: true };
            }
            Stage::Customer { .. } if !numeric => {
                return Err(err(
                    no,
                    format!("CUSTOMER: expected a row of 7 numbers, found '{}'", clip(line)),
                ));
            }
            Stage::Customer { .. } => {
                let toks: Vec<&str> = line.split_whitespace().collect();
                if toks.len() != 7 {
                    return Err(err(
                        no,
                        format!(
                            "CUSTOMER: expected 7 fields (no, x, y, demand, ready time, due date, service time), found {}",
                            toks.len()
                        ),
                    ));
                }
                let id = toks[0].parse::<u64>().map_err(|_| {
                    err(
                        no,
                        format!(
                            "CUSTOMER: customer number '{}' is not a whole number >= 0",
                            clip(toks[0])
                        ),
                    )
                })?;
                const FIELDS: [&str; 7] = [
                    "",
                    "XCOORD.",
                    "YCOORD.",
                    "DEMAND",
                    "READY TIME",
                    "DUE DATE",
                    "SERVICE TIME",
                ];
                let mut v = [0.0f64; 7];
                for k in 1..7 {
                    v[k] = match toks[k].parse::<f64>() {
                        Ok(x) if x.is_finite() => x,
                        _ => {
                            return Err(err(
                                no,
                                format!("customer {id}: {} '{}' is not a number", FIELDS[k], clip(toks[k])),
                            ));
                        }
                    };
                }
                let bad = coordinate_problem("x", v[1])
                    .or_else(|| coordinate_problem("y", v[2]))
                    .or_else(|| demand_problem(v[3]))
                    .or_else(|| window_problem(v[4], v[5]))
                    .or_else(|| time_problem("service time", v[6]));
                if let Some(why) = bad {
                    return Err(err(no, format!("customer {id}: {why}")));
                }
                if let Some(first) = first_line.insert(id, no) {
                    return Err(err(no, format!("customer {id} given twice (first on line {first})")));
                }
                if rows.len() >= MAX_VRPTW_NODES {
                    return Err(Error::TooLarge {
                        what: "locations of a time-window instance",
                        value: rows.len() as u64 + 1,
                        limit: MAX_VRPTW_NODES as u64,
                    });
                }
                rows.push((
                    no,
                    id,
                    VrptwNode {
                        id: id.to_string(),
                        x: v[1],
                        y: v[2],
                        demand: v[3],
                        ready: v[4],
                        due: v[5],
                        service: v[6],
                    },
                ));
            }
        }
    }
    let Some(vehicle_line) = vehicle_line else {
        return Err(Error::parse(
            src,
            None,
            "VEHICLE section missing (expected a 'VEHICLE' line, then 'NUMBER CAPACITY' and their values)",
        ));
    };
    let Some((count, capacity)) = fleet else {
        return Err(err(
            vehicle_line,
            "VEHICLE section has no NUMBER and CAPACITY values".into(),
        ));
    };
    let Some(customer_line) = customer_line else {
        return Err(Error::parse(
            src,
            None,
            "CUSTOMER table missing (expected a 'CUSTOMER' line, then one row per customer)",
        ));
    };
    if rows.is_empty() {
        return Err(err(customer_line, "CUSTOMER table has no rows".into()));
    }
    let Some(d) = rows.iter().position(|r| r.1 == 0) else {
        return Err(err(
            customer_line,
            "CUSTOMER table has no customer 0 (the depot)".into(),
        ));
    };
    let (_, _, depot) = rows.remove(d);
    if rows.is_empty() {
        return Err(err(
            customer_line,
            "CUSTOMER table has the depot only: no customer to serve".into(),
        ));
    }
    let inst = VrptwInstance {
        name: name.unwrap_or_else(|| src.to_string()),
        depot,
        customers: rows.into_iter().map(|r| r.2).collect(),
        vehicles: Some(count),
        capacity,
    };
    build_problem(inst, src)
}

/// Reads a Solomon file (see [`read_solomon`]).
pub fn read_solomon_file(path: &Path) -> Result<Problem> {
    let text = super::read_input_text(path, super::DEFAULT_MAX_INPUT_BYTES)?;
    read_solomon(&text, &path.display().to_string())
}

/// True if `head` (the start of a file) looks like the Solomon layout: a
/// `VEHICLE` line and a `CUSTOMER` line.
pub fn looks_like_solomon(head: &str) -> bool {
    let has = |kw: &str| head.lines().any(|l| l.trim().eq_ignore_ascii_case(kw));
    has("VEHICLE") && has("CUSTOMER")
}

/// Sums `arc` over every leg (depot → stops → depot) of the solution's
/// routes, measured between the problem's planar coordinates.
fn planar_cost(
    problem: &Problem,
    solution: &Solution,
    mut arc: impl FnMut((f64, f64), (f64, f64)) -> f64,
) -> Result<f64> {
    let point = |loc: Location, id: &str| match loc {
        Location::Planar { x, y } => Ok((x, y)),
        Location::Geo { .. } => Err(Error::InvalidProblem(format!(
            "'{id}' has geographic coordinates: the Euclidean cost needs planar ones"
        ))),
    };
    let towns: HashMap<&str, Location> = problem.towns.iter().map(|t| (t.id.as_str(), t.location)).collect();
    let depots: HashMap<&str, Location> = problem.depots.iter().map(|d| (d.id.as_str(), d.location)).collect();
    let mut total = 0.0;
    for route in solution.routes.iter().filter(|r| !r.stops.is_empty()) {
        let depot = depots
            .get(route.depot.as_str())
            .ok_or_else(|| Error::SolutionMismatch(format!("unknown depot '{}'", route.depot)))?;
        let depot = point(*depot, &route.depot)?;
        let mut prev = depot;
        for stop in &route.stops {
            let loc = towns
                .get(stop.town.as_str())
                .ok_or_else(|| Error::SolutionMismatch(format!("unknown town '{}'", stop.town)))?;
            let p = point(*loc, &stop.town)?;
            total += arc(prev, p);
            prev = p;
        }
        total += arc(prev, depot);
    }
    Ok(total)
}

/// The solution's total distance as unrounded double-precision Euclidean
/// distances between the problem's planar coordinates: the convention of the
/// SINTEF Solomon best-known solutions (`exact` in `bks.csv`). For a problem
/// read from a VRPTW file this is in instance units, not tenths; it is at
/// least the reported cost / 10, since every arc there is truncated.
pub fn exact_euclidean_cost(problem: &Problem, solution: &Solution) -> Result<f64> {
    planar_cost(problem, solution, |a, b| (a.0 - b.0).hypot(a.1 - b.1))
}

/// The solution's total distance with every arc rounded to the nearest
/// integer (TSPLIB `nint`, the CVRPLIB X convention), from the problem's
/// planar coordinates, whatever convention the problem was read in.
pub fn nint_cost(problem: &Problem, solution: &Solution) -> Result<f64> {
    planar_cost(problem, solution, |a, b| {
        Rounding::Nearest.arc(a.0 - b.0, a.1 - b.1) as f64
    })
}

/// The solution's total distance in the DIMACS convention, every arc
/// truncated to one decimal, from the problem's planar coordinates (`dimacs`
/// in `bks.csv`; the Gehring–Homberger BKS). For a problem read from a VRPTW
/// file it equals the reported cost / 10.
pub fn dimacs_cost(problem: &Problem, solution: &Solution) -> Result<f64> {
    // Sum whole tenths (the very arcs the problem was built with), divide
    // once: no drift from adding 0.1s.
    let total = planar_cost(problem, solution, |a, b| f64::from(tenths(a, b)))?;
    Ok(total / DIMACS_SCALE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::distance::build_oracle;
    use crate::io::read_problem_file;
    use crate::model::{Travel, Window};
    use crate::solution::validate;
    use crate::solver::{SolverConfig, solve_with_oracle};
    use std::path::PathBuf;

    fn data(rel: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/solomon")
            .join(rel)
    }

    fn read(rel: &str) -> Problem {
        read_problem_file(&data(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    const TINY: &str = "TINY\r\n\r\nVEHICLE\r\nNUMBER     CAPACITY\r\n  3\t10\r\n\r\nCUSTOMER\r\n\
CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME\r\n \r\n\
    0   0   0   0    0   1000   0\r\n\
    1   3   4   5   10     20   2\r\n\
    2   1   1   5    0    900   2\r\n\
    3   0   2   4   50    300   2\r\n";

    fn parse_err(text: &str) -> (Option<usize>, String) {
        match read_solomon(text, "t.txt") {
            Err(Error::Parse {
                source_name,
                line,
                message,
            }) => {
                assert_eq!(source_name, "t.txt");
                (line, message)
            }
            other => panic!("expected a parse error, got {other:?}"),
        }
    }

    #[test]
    fn reads_the_tiny_instance_in_tenths() {
        let p = read_solomon(TINY, "t.txt").unwrap();
        assert_eq!(p.name, "TINY");
        assert_eq!(p.depots[0].id, "0");
        assert_eq!(p.depots[0].hours, Window { open: 0, close: 10_000 });
        let ids: Vec<&str> = p.towns.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["1", "2", "3"]);
        assert_eq!(p.towns[0].windows, vec![Window { open: 100, close: 200 }]);
        assert_eq!(p.towns[0].service_time, 20);
        assert_eq!(
            (p.fleet[0].count, p.fleet[0].capacity, p.fleet[0].fixed_cost),
            (Some(3), 10, 0)
        );
        let oracle = build_oracle(&p).unwrap();
        // 0 -> 1: 5.0 -> 50; 0 -> 2: 1.414 -> 14; 1 -> 2: sqrt(13) = 3.606 -> 36.
        assert_eq!(oracle.distance(0, 1), 50);
        assert_eq!(oracle.distance(0, 2), 14);
        assert_eq!(oracle.distance(1, 2), 36);
        assert_eq!(oracle.distance(2, 1), 36);
        assert_eq!(oracle.duration(1, 2), Some(36));
        assert_eq!(oracle.travel_time(&p.fleet[0], 1, 2), 36);
        // Also without a name line, with decimals.
        let p = read_solomon(
            &TINY.replace("TINY\r\n", "").replace("\n3   0   2", "\n3   0.5 2"),
            "n.txt",
        )
        .unwrap();
        assert_eq!(p.name, "n.txt");
        assert_eq!(p.towns[2].location, Location::Planar { x: 0.5, y: 2.0 });
    }

    #[test]
    fn reads_the_four_solomon_files() {
        for (name, capacity, depot_due) in [
            ("C101", 200, 1236),
            ("R101", 200, 230),
            ("RC101", 200, 240),
            ("R201", 1000, 1000),
        ] {
            let p = read(&format!("solomon100/{name}.txt"));
            assert_eq!(p.name, name);
            assert_eq!(p.towns.len(), 100, "{name}");
            assert_eq!(p.depots.len(), 1);
            assert_eq!(p.fleet.len(), 1);
            assert_eq!((p.fleet[0].count, p.fleet[0].capacity), (Some(25), capacity), "{name}");
            assert_eq!(
                p.depots[0].hours,
                Window {
                    open: 0,
                    close: 10 * depot_due
                },
                "{name}"
            );
            assert!(p.towns.iter().all(|t| t.windows.len() == 1), "{name}");
            assert!(matches!(p.travel, Travel::Matrix { durations: Some(_), .. }));
        }
        // C101 customer 1: 45 68 10 912 967 90.
        let p = read("solomon100/C101.txt");
        let t = &p.towns[0];
        assert_eq!((t.id.as_str(), t.demand, t.service_time), ("1", 10, 900));
        assert_eq!(
            t.windows,
            vec![Window {
                open: 9120,
                close: 9670
            }]
        );
        assert_eq!(t.location, Location::Planar { x: 45.0, y: 68.0 });
        assert_eq!(p.towns[99].id, "100");
        // R201 customer 2: 35 17 7 143 282 10.
        let p = read("solomon100/R201.txt");
        let t = &p.towns[1];
        assert_eq!((t.demand, t.service_time), (7, 100));
        assert_eq!(
            t.windows,
            vec![Window {
                open: 1430,
                close: 2820
            }]
        );
    }

    #[test]
    fn reads_the_three_gehring_homberger_files() {
        for (name, service, depot_due) in [
            ("C1_10_1", 900, 18240),
            ("R1_10_1", 100, 19250),
            ("RC1_10_1", 100, 18210),
        ] {
            let p = read(&format!("gehring_homberger/{name}.vrp"));
            assert_eq!(p.name, name);
            assert_eq!(p.towns.len(), 1000, "{name}");
            assert_eq!((p.fleet[0].count, p.fleet[0].capacity), (Some(250), 200), "{name}");
            assert!(p.towns.iter().all(|t| t.service_time == service), "{name}");
            assert_eq!(p.depots[0].id, "1");
            assert_eq!(
                p.depots[0].hours,
                Window {
                    open: 0,
                    close: depot_due
                },
                "{name}"
            );
            assert!(p.towns.iter().all(|t| t.windows.len() == 1), "{name}");
        }
        // C1_10_1 node 2: 387 297, demand 10, window 200 270.
        let p = read("gehring_homberger/C1_10_1.vrp");
        let t = &p.towns[0];
        assert_eq!((t.id.as_str(), t.demand), ("2", 10));
        assert_eq!(
            t.windows,
            vec![Window {
                open: 2000,
                close: 2700
            }]
        );
        let oracle = build_oracle(&p).unwrap();
        // Depot (250, 250) to node 2 (387, 297): 144.837... -> 1448.
        assert_eq!(oracle.distance(0, 1), 1448);
    }

    #[test]
    fn malformed_input_names_the_line() {
        let cases: [(String, usize, &str); 10] = [
            (
                TINY.replace("3   0   2   4   50    300", "3   0   2   4   350    300"),
                13,
                "window closes before it opens",
            ),
            (
                TINY.replace("\n2   1   1   5 ", "\n2   1   1   -5 "),
                12,
                "negative demand",
            ),
            (
                TINY.replace("\n2   1   1   5 ", "\n2   1   x   5 "),
                12,
                "YCOORD. 'x' is not a number",
            ),
            (
                TINY.replace("\n3   0   2", "\n2   0   2"),
                13,
                "customer 2 given twice (first on line 12)",
            ),
            (TINY.replace("   900   2", "   900"), 12, "expected 7 fields"),
            (
                TINY.replace("  3\t10", "  0\t10"),
                5,
                "NUMBER must be a whole number >= 1",
            ),
            (
                TINY.replace("  3\t10", "  3\t-10"),
                5,
                "CAPACITY must be a positive number",
            ),
            (
                TINY.replace("\n0   0   0   0    0", "\n9   0   0   0    0"),
                7,
                "no customer 0",
            ),
            (
                TINY.replace("\n1   3   4   5   10", "\n1   3   4   5   -10"),
                11,
                "ready time -10",
            ),
            (format!("{TINY}EOF\n"), 14, "expected a row of 7 numbers"),
        ];
        for (text, want_line, want) in cases {
            let (line, msg) = parse_err(&text);
            assert_eq!(line, Some(want_line), "{msg}");
            assert!(msg.contains(want), "{msg} (wanted '{want}')");
        }
        let (line, msg) = parse_err(&TINY[..TINY.find("CUSTOMER\r\n").unwrap()]);
        assert_eq!(line, None);
        assert!(msg.contains("CUSTOMER table missing"), "{msg}");
        let (line, msg) = parse_err("C101\n\n");
        assert_eq!(line, None);
        assert!(msg.contains("VEHICLE section missing"), "{msg}");
        let (line, msg) = parse_err("C101\nVEHICLE\nNUMBER CAPACITY\nCUSTOMER\n0 0 0 0 0 1 0\n");
        assert_eq!(line, Some(4));
        assert!(
            msg.contains("before the VEHICLE section's NUMBER and CAPACITY"),
            "{msg}"
        );
        let (line, msg) = parse_err(&TINY[..TINY.find(" \r\n0").unwrap()]);
        assert_eq!(line, Some(7));
        assert!(msg.contains("no rows"), "{msg}");
        let (line, msg) = parse_err(&TINY.replace("\n1   3   4", "\n1   3e9   4"));
        assert_eq!(line, Some(11));
        assert!(msg.contains("x coordinate"), "{msg}");
    }

    #[test]
    fn absurd_sizes_are_too_large_before_the_matrix() {
        let mut text = String::from("VEHICLE\n1 1\nCUSTOMER\n");
        for i in 0..=MAX_VRPTW_NODES {
            text.push_str(&format!("{i} 0 0 0 0 1 0\n"));
        }
        assert!(matches!(
            read_solomon(&text, "big"),
            Err(Error::TooLarge { limit, .. }) if limit == MAX_VRPTW_NODES as u64
        ));
    }

    #[test]
    fn corrupted_input_never_panics() {
        for cut in 0..TINY.len() {
            let _ = read_solomon(&TINY[..cut], "cut");
        }
        let bytes = TINY.as_bytes();
        for i in 0..bytes.len() {
            for c in [b'-', b'9', b' ', b'\n', b'x', b'0', b'.'] {
                let mut m = bytes.to_vec();
                m[i] = c;
                if let Ok(text) = String::from_utf8(m) {
                    let _ = read_solomon(&text, "mutated");
                }
            }
        }
    }

    #[test]
    fn c101_solves_within_its_windows_and_fleet() {
        let p = read("solomon100/C101.txt");
        let oracle = build_oracle(&p).unwrap();
        let config = SolverConfig {
            iterations: Some(2000),
            seed: 1,
            threads: Some(2),
            ..SolverConfig::default()
        };
        let solved = solve_with_oracle(&p, oracle.as_ref(), &config).unwrap();
        let s = &solved.solution;
        let report = validate(&p, oracle.as_ref(), s);
        assert!(report.is_feasible(), "{:?}", report.violations);
        assert!(s.unassigned.is_empty(), "{:?}", s.unassigned);
        assert!(report.routes <= 25, "{} routes", report.routes);
        // Every service starts inside its window (the validator checks it too).
        for route in &s.routes {
            for stop in &route.stops {
                let t = &p.towns[p.town_index(&stop.town).unwrap()];
                assert!(t.windows.iter().any(|w| (w.open..=w.close).contains(&stop.start_s)));
            }
        }
        let exact = exact_euclidean_cost(&p, s).unwrap();
        let dimacs = dimacs_cost(&p, s).unwrap();
        assert_eq!(dimacs, report.cost as f64 / 10.0);
        assert!(exact >= report.cost as f64 / 10.0, "{exact} < {}", report.cost);
        // Truncation loses less than 0.1 per arc.
        let arcs: usize = s.routes.iter().map(|r| r.stops.len() + 1).sum();
        assert!(exact < dimacs + 0.1 * arcs as f64);
        // The optimum is 828.94 (10 routes): a short search lands near it.
        assert!((828.9..1.3 * 828.94).contains(&exact), "{exact}");
    }

    #[test]
    fn exact_and_dimacs_costs_of_a_hand_made_route() {
        let p = read_solomon(TINY, "t.txt").unwrap();
        let oracle = build_oracle(&p).unwrap();
        let plan = crate::solution::Plan {
            routes: vec![crate::solution::PlannedRoute {
                vehicle_type: 0,
                towns: vec![0, 1],
                reloads: Vec::new(),
            }],
            unassigned: vec![],
        };
        let s = Solution::from_plan(&p, oracle.as_ref(), &plan);
        // 0 -> (3,4) -> (1,1) -> 0: 5 + sqrt(13) + sqrt(2).
        let want = 5.0 + 13f64.sqrt() + 2f64.sqrt();
        assert!((exact_euclidean_cost(&p, &s).unwrap() - want).abs() < 1e-12);
        assert_eq!(dimacs_cost(&p, &s).unwrap(), 10.0);
        assert_eq!(s.totals.distance, 50 + 36 + 14);
    }
}
