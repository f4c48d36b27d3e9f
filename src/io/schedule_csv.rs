//! The drivers' schedule as CSV: one row per stop, plus a depot departure
//! row and a depot return row per route.
//!
//! Columns, in this order ([`SCHEDULE_COLUMNS`]):
//!
//! `vehicle_type,vehicle,depot,day,stop,town,name,arrival_s,start_s,departure_s,arrival,start,departure,load_after,demand`
//!
//! * `day` — the plan's day number (1 for a single-day solution; see
//!   [`write_schedule_csv_days`] for multi-day plans).
//! * `stop` — 0 for the depot departure, `1..=n` for the stops in visiting
//!   order, `n + 1` for the return to the depot.
//! * `town`, `name` — the town's id and name; on the two depot rows the
//!   depot's id and name.
//! * `arrival_s`, `start_s` (service start, after any wait), `departure_s` —
//!   seconds on the problem's clock; `arrival`, `start`, `departure` — the
//!   same as `hh:mm:ss` (hours go past 23 for times after midnight). The
//!   depot departure row has only the departure (the route's `start_s`), the
//!   return row only the arrival (its `end_s`); the other time cells are
//!   empty.
//! * `load_after` — load on board after the row (on the departure row: the
//!   route's whole load); `demand` — the town's demand (empty on depot
//!   rows).
//!
//! * Driver breaks ([`crate::solution::Route::breaks`]) are rows of their
//!   own, in time order among the stops (a break in the wait at a town
//!   comes just before that town's row): `stop` and `town` empty, `name`
//!   `break (driving)` or `break (window)`, `start_s` / `start` the break's
//!   start and `departure_s` / `departure` its end, `load_after` the load on
//!   board then. Routes without breaks have no such rows.
//! * Reloads of multi-trip routes ([`crate::solution::Route::reloads`]) are
//!   rows of their own before the stop they precede: the depot's id, name
//!   `reload at <depot>`, arrival and departure, and the next trip's load.
//!
//! Unassigned towns do not appear (they are in the JSON solution and the
//! GeoJSON output).

use super::geometry::route_sequence_in;
use crate::error::{Error, Result};
use crate::model::Problem;
use crate::solution::{Route, Solution};
use std::io::Write;
use std::path::Path;

/// The header row, in column order.
pub const SCHEDULE_COLUMNS: [&str; 15] = [
    "vehicle_type",
    "vehicle",
    "depot",
    "day",
    "stop",
    "town",
    "name",
    "arrival_s",
    "start_s",
    "departure_s",
    "arrival",
    "start",
    "departure",
    "load_after",
    "demand",
];

/// Seconds as `hh:mm:ss` (at least two hour digits, more past 99 hours; a
/// leading `-` for negative times).
pub fn clock(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.unsigned_abs();
    format!("{sign}{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// Where CSV errors are reported.
fn csv_error(label: &Path, e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => Error::io(label, e),
        other => Error::io(label, std::io::Error::other(format!("{other:?}"))),
    }
}

/// Writes the rows of one route; `seq` is its location sequence (depot,
/// towns, depot) from [`route_sequence_in`], which has checked every id.
fn write_route<W: Write>(
    w: &mut csv::Writer<W>,
    problem: &Problem,
    seq: &[usize],
    day: u32,
    route: &Route,
) -> std::result::Result<(), csv::Error> {
    let depot = &problem.depots[seq[0]];
    let (vehicle, day) = (route.vehicle.to_string(), day.to_string());
    let head = [
        route.vehicle_type.as_str(),
        vehicle.as_str(),
        route.depot.as_str(),
        day.as_str(),
    ];
    let row = |stop: usize, town: &str, name: &str, times: [Option<i64>; 3], load: u64, demand: Option<u32>| {
        let secs = times.map(|t| t.map(|t| t.to_string()).unwrap_or_default());
        let clocks = times.map(|t| t.map(clock).unwrap_or_default());
        let mut r: Vec<String> = head.iter().map(|s| s.to_string()).collect();
        r.extend([stop.to_string(), town.to_string(), name.to_string()]);
        r.extend(secs);
        r.extend(clocks);
        r.extend([load.to_string(), demand.map(|d| d.to_string()).unwrap_or_default()]);
        r
    };
    // What a trip leaves the depot with: its towns' deliveries.
    let trip_load = |from: usize| -> u64 {
        let to = route
            .reloads
            .iter()
            .map(|r| r.before_stop)
            .find(|&b| b > from)
            .unwrap_or(route.stops.len());
        seq[1 + from..1 + to.min(seq.len() - 1)]
            .iter()
            .map(|&loc| u64::from(problem.towns[loc - problem.depots.len()].demand))
            .sum()
    };
    w.write_record(row(
        0,
        &depot.id,
        &depot.name,
        [None, None, Some(route.start_s)],
        if route.reloads.is_empty() {
            route.load
        } else {
            trip_load(0)
        },
        None,
    ))?;
    let mut reloads = route.reloads.iter().peekable();
    let mut breaks = route.breaks.iter().peekable();
    let mut on_board = route.load;
    let break_row = |b: &crate::solution::Break, load: u64| {
        let mut r = row(
            0,
            "",
            &format!("break ({})", b.kind.name()),
            [None, Some(b.start_s), Some(b.end_s)],
            load,
            None,
        );
        r[4].clear(); // no stop number
        r
    };
    for (k, (s, &loc)) in route.stops.iter().zip(&seq[1..]).enumerate() {
        let t = &problem.towns[loc - problem.depots.len()];
        while let Some(r) = reloads.next_if(|r| r.before_stop <= k) {
            // Back at the depot: produce unloaded, the next trip loaded.
            on_board = trip_load(k);
            let name = format!("reload at {}", r.depot);
            let mut rec = row(
                0,
                &r.depot,
                &name,
                [Some(r.arrival_s), None, Some(r.departure_s)],
                on_board,
                None,
            );
            rec[4].clear(); // no stop number
            w.write_record(rec)?;
        }
        while let Some(b) = breaks.next_if(|b| b.end_s <= s.start_s) {
            w.write_record(break_row(b, on_board))?;
        }
        on_board = s.load_after;
        w.write_record(row(
            k + 1,
            &t.id,
            &t.name,
            [Some(s.arrival_s), Some(s.start_s), Some(s.departure_s)],
            s.load_after,
            Some(t.demand),
        ))?;
    }
    for b in breaks {
        w.write_record(break_row(b, on_board))?;
    }
    let left = route.stops.last().map_or(route.load, |s| s.load_after);
    w.write_record(row(
        route.stops.len() + 1,
        &depot.id,
        &depot.name,
        [Some(route.end_s), None, None],
        left,
        None,
    ))?;
    Ok(())
}

fn write_days<W: Write>(problem: &Problem, days: &[(u32, &Solution)], writer: W, label: &Path) -> Result<()> {
    let towns = problem.town_indices();
    let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(writer);
    w.write_record(SCHEDULE_COLUMNS).map_err(|e| csv_error(label, e))?;
    for &(day, solution) in days {
        for route in &solution.routes {
            let seq = route_sequence_in(problem, &towns, route)?;
            write_route(&mut w, problem, &seq, day, route).map_err(|e| csv_error(label, e))?;
        }
    }
    w.flush().map_err(|e| Error::io(label, e))
}

/// Writes the schedule of a multi-day plan: each `(day, solution)` pair's
/// routes, in the order given, with `day` in the `day` column (see the
/// module docs for the columns). Errors: [`Error::SolutionMismatch`] when a
/// route names an unknown depot or town, [`Error::Io`] (path `<schedule>`)
/// when writing fails.
pub fn write_schedule_csv_days(problem: &Problem, days: &[(u32, &Solution)], writer: impl Write) -> Result<()> {
    write_days(problem, days, writer, Path::new("<schedule>"))
}

/// Writes the schedule of a single-day solution (`day` = 1); see
/// [`write_schedule_csv_days`].
pub fn write_schedule_csv(problem: &Problem, solution: &Solution, writer: impl Write) -> Result<()> {
    write_schedule_csv_days(problem, &[(1, solution)], writer)
}

/// Writes the single-day schedule to the file `path` (created or
/// truncated); I/O errors name `path`.
pub fn write_schedule_csv_file(problem: &Problem, solution: &Solution, path: &Path) -> Result<()> {
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    write_days(problem, &[(1, solution)], file, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::distance::road_path::test_support::grid_problem;
    use crate::solver::{SolverConfig, solve};

    #[test]
    fn clock_format() {
        assert_eq!(clock(0), "00:00:00");
        assert_eq!(clock(3661), "01:01:01");
        assert_eq!(clock(8 * 3600 + 30 * 60), "08:30:00");
        assert_eq!(clock(26 * 3600 + 59), "26:00:59");
        assert_eq!(clock(-90), "-00:01:30");
    }

    #[test]
    fn one_row_per_stop_plus_two_per_route() -> Result<()> {
        let problem = grid_problem();
        let solution = solve(&problem, &SolverConfig::default())?.solution;
        let mut buf = Vec::new();
        write_schedule_csv(&problem, &solution, &mut buf)?;
        let mut rdr = csv::Reader::from_reader(buf.as_slice());
        let header: Vec<String> = rdr.headers().expect("header").iter().map(str::to_string).collect();
        assert_eq!(header, SCHEDULE_COLUMNS);
        let rows: Vec<csv::StringRecord> = rdr
            .records()
            .collect::<std::result::Result<_, _>>()
            .expect("rows parse");
        let stops: usize = solution.routes.iter().map(|r| r.stops.len()).sum();
        assert_eq!(rows.len(), stops + 2 * solution.routes.len());

        let col = |name: &str| SCHEDULE_COLUMNS.iter().position(|c| *c == name).unwrap();
        let mut it = rows.iter();
        for route in &solution.routes {
            let first = it.next().unwrap();
            assert_eq!(&first[col("stop")], "0");
            assert_eq!(&first[col("town")], route.depot.as_str());
            assert_eq!(&first[col("departure_s")], route.start_s.to_string().as_str());
            assert_eq!(&first[col("departure")], clock(route.start_s).as_str());
            assert_eq!(&first[col("arrival_s")], "");
            assert_eq!(&first[col("day")], "1");
            for (k, s) in route.stops.iter().enumerate() {
                let r = it.next().unwrap();
                assert_eq!(&r[col("stop")], (k + 1).to_string().as_str());
                assert_eq!(&r[col("town")], s.town.as_str());
                assert_eq!(r[col("arrival_s")].parse::<i64>().ok(), Some(s.arrival_s));
                assert_eq!(&r[col("arrival")], clock(s.arrival_s).as_str());
                assert_eq!(r[col("start_s")].parse::<i64>().ok(), Some(s.start_s));
                assert_eq!(r[col("departure_s")].parse::<i64>().ok(), Some(s.departure_s));
                assert_eq!(r[col("load_after")].parse::<u64>().ok(), Some(s.load_after));
                let t = &problem.towns[problem.town_index(&s.town).unwrap()];
                assert_eq!(&r[col("name")], t.name.as_str());
                assert_eq!(r[col("demand")].parse::<u32>().ok(), Some(t.demand));
            }
            let last = it.next().unwrap();
            assert_eq!(&last[col("stop")], (route.stops.len() + 1).to_string().as_str());
            assert_eq!(r_i64(&last[col("arrival_s")]), Some(route.end_s));
            assert_eq!(&last[col("demand")], "");
        }
        Ok(())
    }

    fn r_i64(s: &str) -> Option<i64> {
        s.parse().ok()
    }

    #[test]
    fn days_and_errors() -> Result<()> {
        let problem = grid_problem();
        let solution = solve(&problem, &SolverConfig::default())?.solution;
        let mut buf = Vec::new();
        write_schedule_csv_days(&problem, &[(1, &solution), (2, &solution)], &mut buf)?;
        let text = String::from_utf8(buf).expect("UTF-8");
        let day_col = SCHEDULE_COLUMNS.iter().position(|c| *c == "day").unwrap();
        let mut rdr = csv::Reader::from_reader(text.as_bytes());
        let days: Vec<String> = rdr.records().map(|r| r.expect("row")[day_col].to_string()).collect();
        assert_eq!(days.iter().filter(|d| *d == "1").count(), days.len() / 2);
        assert_eq!(days.last().map(String::as_str), Some("2"));

        let mut bad = solution.clone();
        bad.routes[0].stops[0].town = "ghost".into();
        assert!(matches!(
            write_schedule_csv(&problem, &bad, Vec::new()),
            Err(Error::SolutionMismatch(m)) if m.contains("ghost")
        ));
        let r = write_schedule_csv_file(&problem, &solution, Path::new("/nonexistent/dir/schedule.csv"));
        assert!(matches!(r, Err(Error::Io { ref path, .. }) if path.ends_with("schedule.csv")));
        Ok(())
    }
}
