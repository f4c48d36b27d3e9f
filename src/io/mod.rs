//! Reading and writing problems and solutions.
//!
//! | format | module | reads | writes |
//! |---|---|---|---|
//! | JSON ([`ProblemSpec`](crate::model::ProblemSpec), [`Solution`]) | [`json`] | problem, solution | problem, solution |
//! | CVRPLIB / VRPLIB `.vrp` (CVRP; VRPTW in DIMACS tenths) | [`vrplib`] | problem | planar Euclidean single-depot problem |
//! | Solomon VRPTW text (`VEHICLE` / `CUSTOMER` tables; DIMACS tenths) | [`solomon`] | problem | — |
//! | CVRPLIB `.sol` | [`sol`] | routes + stated cost | routes + cost |
//! | CSV of towns (spreadsheets, GeoNames) | [`csv_towns`] | towns | — |
//! | GeoJSON FeatureCollection (routes along the roads, stops, depots, unassigned) | [`geojson`] | — | solution |
//! | SVG map (plotters; feature `svg`) | `svg` | — | solution |
//! | CSV drivers' schedule (one row per stop, `hh:mm:ss` times) | [`schedule_csv`] | — | solution |
//! | OpenStreetMap `.osm.pbf` (feature `osm`) | `osm` | road network, settlements | network as `nodes.csv` / `edges.csv` |
//!
//! Every reader returns a typed [`Error`]: [`Error::Parse`] naming the input
//! and the 1-based line, [`Error::Json`] with line and column,
//! [`Error::TooLarge`] for absurd sizes (refused before allocating),
//! [`Error::FileRefused`] for a file that is not read (not a regular file,
//! over its size limit, outside the problem's folder), or [`Error::Io`]
//! naming the path.
//!
//! Every file is opened through [`files`]: regular files only, bounded in
//! size ([`ReadOptions`]), and a problem's referenced files only inside its
//! folder unless the caller allows more.

pub mod csv_towns;
pub mod files;
pub mod geojson;
pub mod geometry;
pub mod json;
#[cfg(feature = "osm")]
pub mod osm;
pub mod road_csv;
pub mod routes;
pub mod schedule_csv;
pub mod sol;
pub mod solomon;
#[cfg(feature = "svg")]
pub mod svg;
pub mod vrplib;
mod vrptw;

pub use csv_towns::{TownCsvOptions, read_towns_csv, read_towns_csv_file};
pub use files::{
    DEFAULT_MAX_INPUT_BYTES, DEFAULT_MAX_SOLUTION_BYTES, InputFile, MAX_CSV_LINE_BYTES, ReadOptions, confine,
    open_input, read_input_text, resolve_files,
};
pub use geojson::{geojson_value, write_geojson, write_geojson_file};
pub use geometry::{route_polylines, route_sequence};
pub use json::{
    read_problem_json, read_problem_json_file, read_problem_json_file_with, read_problem_json_with, read_solution_json,
    write_problem_json, write_solution_json,
};
pub use road_csv::{read_road_csv, read_road_csv_files};
pub use routes::{InitialPlan, read_initial_plan, read_routes};
pub use schedule_csv::{write_schedule_csv, write_schedule_csv_days, write_schedule_csv_file};
pub use sol::{SolFile, StatedCost, read_sol, write_sol};
pub use solomon::{dimacs_cost, exact_euclidean_cost, nint_cost, read_solomon, read_solomon_file};
#[cfg(feature = "svg")]
pub use svg::{SvgOptions, render_svg, write_svg, write_svg_file};
pub use vrplib::{read_vrp, read_vrp_file, read_vrp_with, write_vrp};

use crate::distance::TravelOracle;
use crate::error::{Error, Result};
use crate::model::Problem;
use crate::solution::Solution;
use std::path::Path;

/// A problem file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// The JSON problem format (serde shape of [`crate::model::ProblemSpec`]).
    Json,
    /// CVRPLIB / VRPLIB `.vrp`.
    Vrplib,
    /// Solomon VRPTW text layout (see [`solomon`]).
    Solomon,
}

/// Guesses the format of a problem file: by extension (`.json`, `.vrp`,
/// case-insensitive), else by the first part of its content `head`: a
/// leading `{` means JSON, a `VEHICLE` line and a `CUSTOMER` line mean the
/// Solomon layout (any extension, usually `.txt`), a `DIMENSION` or `NAME`
/// header line means VRPLIB.
pub fn detect_format(path: &Path, head: &str) -> Option<InputFormat> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("json") => return Some(InputFormat::Json),
        Some("vrp") => return Some(InputFormat::Vrplib),
        _ => {}
    }
    let head = head.trim_start_matches('\u{feff}');
    if head.trim_start().starts_with('{') {
        return Some(InputFormat::Json);
    }
    if solomon::looks_like_solomon(head) {
        return Some(InputFormat::Solomon);
    }
    let is_header = |line: &str, key: &str| {
        line.get(..key.len()).is_some_and(|h| h.eq_ignore_ascii_case(key))
            && line[key.len()..].trim_start().starts_with(':')
    };
    head.lines()
        .map(str::trim)
        .any(|l| is_header(l, "DIMENSION") || is_header(l, "NAME"))
        .then_some(InputFormat::Vrplib)
}

/// The first few kilobytes of `text`, cut at a character boundary.
fn head_of(text: &str) -> &str {
    let mut end = text.len().min(4096);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Reads a problem file in whichever format [`detect_format`] finds, with
/// the default [`ReadOptions`]. Files a JSON problem references are read
/// relative to, and only inside, its folder (see [`files`]).
pub fn read_problem_file(path: &Path) -> Result<Problem> {
    read_problem_file_with(path, &ReadOptions::default())
}

/// [`read_problem_file`] with [`ReadOptions`]: size limits and the
/// confinement of referenced files; a distance convention (`rounding`)
/// applies to VRPLIB files (see [`vrplib`]); Solomon files are DIMACS
/// tenths only and JSON problems are in their own units, so any other
/// choice for them is refused.
pub fn read_problem_file_with(path: &Path, options: &ReadOptions) -> Result<Problem> {
    let text = read_input_text(path, options.max_input_bytes)?;
    let name = path.display().to_string();
    let format = detect_format(path, head_of(&text));
    let refuse = |what: &str| {
        Err(Error::InvalidProblem(format!(
            "{name}: {what}: a distance rounding cannot be chosen for it"
        )))
    };
    match (format, options.rounding) {
        (Some(InputFormat::Json), Some(_)) => return refuse("a JSON problem states its own distances"),
        (Some(InputFormat::Solomon), Some(r)) if r != crate::model::Rounding::DimacsTenths => {
            return refuse("Solomon VRPTW files are read in DIMACS tenths");
        }
        _ => {}
    }
    match format {
        Some(InputFormat::Json) => read_problem_json_with(&text, &name, path.parent(), options),
        Some(InputFormat::Vrplib) => read_vrp_with(&text, &name, options),
        Some(InputFormat::Solomon) => read_solomon(&text, &name),
        None => Err(Error::parse(
            &name,
            None,
            "unknown problem format: expected a .json or .vrp file (or JSON / VRPLIB / Solomon VRPTW content)",
        )),
    }
}

/// The solution's money cost when some vehicle type has running costs
/// (`cost_per_km`, `cost_per_hour`: the objective then), else its total
/// distance in the problem's own (instance) units,
/// under its [`Rounding`](crate::model::Rounding): the model's integer
/// total for `nint`, the total / 10 for DIMACS tenths, and for exact
/// distances the real-valued sum recomputed from the coordinates (the
/// literature's figure; the model's fixed-point arcs are rounded up).
pub fn instance_cost(problem: &Problem, solution: &Solution) -> Result<f64> {
    // (The objective: with optional towns, the prizes missed are added.)
    use crate::model::Rounding;
    // Vehicles with running costs: the objective is money (what PyVRP's
    // heterogeneous-fleet instances state), in instance units already.
    if problem.has_running_costs() {
        return Ok(solution.totals.cost + solution.totals.prizes_missed);
    }
    // Prizes of optional towns left out are in model distance units.
    let prizes = solution.totals.prizes_missed / problem.rounding.scale() as f64;
    match problem.rounding {
        Rounding::Exact => Ok(exact_euclidean_cost(problem, solution)? + prizes),
        r => Ok(r.to_instance(solution.totals.distance) + prizes),
    }
}

/// [`instance_cost`] as text: whole for `nint`, two decimals for exact
/// distances (as the literature states them), one for DIMACS tenths. A
/// solution naming towns the problem lacks shows its model total.
pub fn show_cost(problem: &Problem, solution: &Solution) -> String {
    use crate::model::Rounding;
    let Ok(c) = instance_cost(problem, solution) else {
        return solution.totals.distance.to_string();
    };
    if problem.has_running_costs() {
        // Money: whole when it is (PyVRP's scaled costs), else cents.
        return if c.fract() == 0.0 {
            format!("{c}")
        } else {
            format!("{c:.2}")
        };
    }
    match problem.rounding {
        Rounding::Nearest => format!("{c}"),
        Rounding::Exact => format!("{c:.2}"),
        Rounding::DimacsTenths => format!("{c:.1}"),
    }
}

/// Reads a solution file against its problem: a CVRPLIB `.sol` (scheduled
/// with [`Solution::from_plan`] through `oracle`; the second value is its
/// stated `Cost`) or a JSON solution (second value `None`). The format is
/// told by the extension (`.sol`, `.json`), else by the content (a leading
/// `{` is JSON, a `Route` line is `.sol`). The file may be at most
/// [`DEFAULT_MAX_SOLUTION_BYTES`].
pub fn read_solution_file(
    path: &Path,
    problem: &Problem,
    oracle: &dyn TravelOracle,
) -> Result<(Solution, Option<StatedCost>)> {
    read_solution_file_with(path, problem, oracle, &ReadOptions::default())
}

/// [`read_solution_file`] of at most [`ReadOptions::max_solution_bytes`].
pub fn read_solution_file_with(
    path: &Path,
    problem: &Problem,
    oracle: &dyn TravelOracle,
    opts: &ReadOptions,
) -> Result<(Solution, Option<StatedCost>)> {
    let text = read_input_text(path, opts.max_solution_bytes)?;
    let name = path.display().to_string();
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let head = head_of(&text).trim_start_matches('\u{feff}').trim_start();
    let is_json = match ext.as_deref() {
        Some("json") => true,
        Some("sol") => false,
        _ if head.starts_with('{') => true,
        _ if head.get(..5).is_some_and(|h| h.eq_ignore_ascii_case("route")) => false,
        _ => {
            return Err(Error::parse(
                &name,
                None,
                "unknown solution format: expected a .sol or .json file (or CVRPLIB / JSON content)",
            ));
        }
    };
    if is_json {
        let looks_like_plan = serde_json::from_str::<serde_json::Value>(&text)
            .is_ok_and(|v| v.get("days").is_some() && v.get("routes").is_none());
        if looks_like_plan {
            return Err(Error::SolutionMismatch(format!(
                "{name}: this is a multi-day plan, but the problem has no horizon_days"
            )));
        }
        Ok((read_solution_json(&text, &name)?, None))
    } else {
        let sol = read_sol(&text, &name, problem)?;
        Ok((Solution::from_plan(problem, oracle, &sol.plan), sol.stated_cost))
    }
}

/// Reads the plan JSON of a multi-day problem (what `solve --out` writes
/// for a problem with `horizon_days`, [`crate::horizon::HorizonPlan`]). A
/// `.sol` file or a single-day solution JSON is refused with
/// [`Error::SolutionMismatch`]: they cannot state the days.
pub fn read_horizon_plan_file(
    path: &Path,
    problem: &Problem,
    opts: &ReadOptions,
) -> Result<crate::horizon::HorizonPlan> {
    let name = path.display().to_string();
    let days = problem.horizon_days.unwrap_or(0);
    let refuse = |what: &str| {
        Err(Error::SolutionMismatch(format!(
            "{name}: {what}, but the problem is planned over {days} days: give the multi-day plan JSON \
             that `solve --out` writes for it (days, patterns, unassigned, totals)"
        )))
    };
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    if ext.as_deref() == Some("sol") {
        return refuse("a .sol file holds one day's routes");
    }
    let text = read_input_text(path, opts.max_solution_bytes)?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|source| Error::Json {
        source_name: name.clone(),
        source,
    })?;
    if value.get("days").is_none() && value.get("routes").is_some() {
        return refuse("this is a single-day solution");
    }
    serde_json::from_value(value).map_err(|source| Error::Json {
        source_name: name.clone(),
        source,
    })
}

/// Shortens an offending token for an error message (at most 60
/// characters) and escapes its control characters, so that input text can
/// neither flood a message nor forge lines in it.
pub(crate) fn clip(s: &str) -> String {
    const MAX: usize = 60;
    let mut t = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == MAX {
            t.push('…');
            break;
        }
        if c.is_control() {
            t.extend(c.escape_default());
        } else {
            t.push(c);
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::distance::build_oracle;

    #[test]
    fn detects_formats() {
        let p = Path::new;
        assert_eq!(detect_format(p("a.JSON"), "NAME : x"), Some(InputFormat::Json));
        assert_eq!(detect_format(p("a.vrp"), "{"), Some(InputFormat::Vrplib));
        assert_eq!(
            detect_format(p("a.txt"), "\u{feff}  {\"name\": 1}"),
            Some(InputFormat::Json)
        );
        assert_eq!(
            detect_format(p("a"), "NAME : \tX-n101-k25\t\r\nTYPE : CVRP"),
            Some(InputFormat::Vrplib)
        );
        assert_eq!(
            detect_format(p("a.txt"), "COMMENT: hi\nDIMENSION:5\n"),
            Some(InputFormat::Vrplib)
        );
        assert_eq!(detect_format(p("a.txt"), "VEHICLE\nNUMBER CAPACITY\n"), None);
        assert_eq!(
            detect_format(
                p("C101.txt"),
                "C101\r\n\r\nVEHICLE\r\nNUMBER CAPACITY\r\n 25 200\r\n\r\nCUSTOMER\r\n"
            ),
            Some(InputFormat::Solomon)
        );
        assert_eq!(
            detect_format(p("c101"), "vehicle\n25 200\n  customer  \n0 1 1 0 0 10 0\n"),
            Some(InputFormat::Solomon)
        );
        assert_eq!(detect_format(p("a.txt"), "NAMES are: x"), None);
    }

    #[test]
    fn reads_files_by_format() {
        let dir = std::env::temp_dir().join(format!("backroads-io-mod-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let vrp = "NAME : t\nDIMENSION : 3\nCAPACITY : 5\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n\
                   1 0 0\n2 3 4\n3 0 4\nDEMAND_SECTION\n1 0\n2 2\n3 2\nEOF\n";
        let vrp_path = dir.join("t.instance");
        std::fs::write(&vrp_path, vrp).unwrap();
        let p = read_problem_file(&vrp_path).unwrap();
        assert_eq!(p.towns.len(), 2);
        let oracle = build_oracle(&p).unwrap();

        let sol_path = dir.join("t.sol");
        std::fs::write(&sol_path, "Route #1: 1 2\nCost 12\n").unwrap();
        let (s, cost) = read_solution_file(&sol_path, &p, oracle.as_ref()).unwrap();
        assert_eq!(
            (s.totals.distance, cost),
            (
                12,
                Some(StatedCost {
                    value: 12.0,
                    decimals: 0
                })
            )
        );

        let json_path = dir.join("t.out");
        std::fs::write(&json_path, write_solution_json(&s)).unwrap();
        let (s2, cost) = read_solution_file(&json_path, &p, oracle.as_ref()).unwrap();
        assert_eq!((s2, cost), (s, None));

        let json_problem = dir.join("t.json");
        std::fs::write(&json_problem, write_problem_json(&p).unwrap()).unwrap();
        assert_eq!(read_problem_file(&json_problem).unwrap().towns, p.towns);

        let other = dir.join("t.txt");
        std::fs::write(&other, "hello\n").unwrap();
        assert!(matches!(read_problem_file(&other), Err(Error::Parse { .. })));
        assert!(matches!(
            read_solution_file(&other, &p, oracle.as_ref()),
            Err(Error::Parse { .. })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(matches!(read_problem_file(&vrp_path), Err(Error::Io { .. })));
    }
}
