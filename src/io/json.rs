//! JSON problems and solutions: the serde shapes of [`ProblemSpec`] and
//! [`Solution`].

use super::files::{ReadOptions, read_input_text, resolve_files};
use crate::error::{Error, Result};
use crate::model::{Problem, ProblemSpec, Travel};
use crate::solution::Solution;
use std::path::Path;

/// Reads a problem from JSON text (the shape of [`ProblemSpec`]) with the
/// default [`ReadOptions`]: the files it references (`towns_csv`,
/// `road_network` CSVs, `osm` extract) are read relative to, and only
/// inside, `base_dir` (normally the JSON file's folder); with no
/// `base_dir` no file is read at all (see [`super::files`]).
///
/// Syntax and schema errors are [`Error::Json`], whose message carries the
/// line and column.
pub fn read_problem_json(text: &str, source_name: &str, base_dir: Option<&Path>) -> Result<Problem> {
    read_problem_json_with(text, source_name, base_dir, &ReadOptions::default())
}

/// [`read_problem_json`] with the given confinement and size limits.
pub fn read_problem_json_with(
    text: &str,
    source_name: &str,
    base_dir: Option<&Path>,
    opts: &ReadOptions,
) -> Result<Problem> {
    let spec: ProblemSpec = serde_json::from_str(text).map_err(|source| Error::Json {
        source_name: source_name.to_string(),
        source,
    })?;
    Problem::from_spec(resolve_files(spec, base_dir, opts)?)
}

/// Reads a JSON problem file (see [`read_problem_json`]); the files it
/// references are read relative to, and only inside, its folder.
pub fn read_problem_json_file(path: &Path) -> Result<Problem> {
    read_problem_json_file_with(path, &ReadOptions::default())
}

/// [`read_problem_json_file`] with the given confinement and size limits.
pub fn read_problem_json_file_with(path: &Path, opts: &ReadOptions) -> Result<Problem> {
    let text = read_input_text(path, opts.max_input_bytes)?;
    read_problem_json_with(&text, &path.display().to_string(), path.parent(), opts)
}

/// Writes a problem as pretty JSON. A problem whose road network was loaded
/// in memory cannot be written (the network is not part of the JSON shape;
/// write the spec with its `road_network` CSV paths instead) and is refused
/// with [`Error::InvalidProblem`].
pub fn write_problem_json(problem: &Problem) -> Result<String> {
    if matches!(problem.travel, Travel::Roads(_)) {
        return Err(Error::InvalidProblem(format!(
            "problem '{}' uses a loaded road network, which cannot be written as JSON; \
             write its spec with a road_network (nodes_csv, edges_csv) travel instead",
            problem.name
        )));
    }
    serde_json::to_string_pretty(&problem.to_spec()).map_err(|source| Error::Json {
        source_name: format!("problem '{}'", problem.name),
        source,
    })
}

/// Reads a solution from JSON text (the shape of [`Solution`]).
pub fn read_solution_json(text: &str, source_name: &str) -> Result<Solution> {
    serde_json::from_str(text).map_err(|source| Error::Json {
        source_name: source_name.to_string(),
        source,
    })
}

/// Writes a solution as pretty JSON.
pub fn write_solution_json(solution: &Solution) -> String {
    // A Solution holds only strings, integers, sequences and structs, which
    // serde_json always serialises.
    serde_json::to_string_pretty(solution).expect("a Solution always serialises to JSON")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::distance::build_oracle;
    use crate::model::Location;
    use crate::solution::{Plan, PlannedRoute};

    const PROBLEM: &str = r#"{
  "name": "county",
  "depots": [{"id": "D", "location": {"lon": 11.5, "lat": 50.0}}],
  "towns": [
    {"id": "a", "name": "Ahlen", "location": {"lon": 11.6, "lat": 50.1}, "demand": 3, "service_time_s": 300},
    {"id": "b", "location": {"lon": 11.4, "lat": 49.9}, "demand": 2}
  ],
  "fleet": [{"id": "van", "depot": "D", "count": 2, "capacity": 10, "max_duration_s": 28800}]
}"#;

    #[test]
    fn problem_round_trip() {
        let p = read_problem_json(PROBLEM, "p.json", None).unwrap();
        assert_eq!(p.towns.len(), 2);
        assert!(matches!(p.travel, Travel::Haversine { circuity } if circuity == 1.0));
        assert_eq!(p.fleet[0].speed_kmh, 60.0);
        let text = write_problem_json(&p).unwrap();
        let q = read_problem_json(&text, "q.json", None).unwrap();
        assert_eq!(q.name, p.name);
        assert_eq!(q.depots, p.depots);
        assert_eq!(q.towns, p.towns);
        assert_eq!(q.fleet, p.fleet);
        assert_eq!(write_problem_json(&q).unwrap(), text);
    }

    #[test]
    fn matrix_problem_round_trip() {
        let text = r#"{"travel": {"kind": "matrix", "distances": [[0, 5], [6, null]]},
            "depots": [{"id": "d", "location": {"x": 0, "y": 0}}],
            "towns": [{"id": "t", "location": {"x": 1, "y": 1}, "demand": 1}],
            "fleet": [{"id": "v", "depot": "d", "capacity": 1}]}"#;
        let p = read_problem_json(text, "m.json", None).unwrap();
        let q = read_problem_json(&write_problem_json(&p).unwrap(), "m2.json", None).unwrap();
        match (&p.travel, &q.travel) {
            (Travel::Matrix { distances: a, .. }, Travel::Matrix { distances: b, .. }) => {
                assert_eq!(a, b);
                assert_eq!(**a, vec![Some(0), Some(5), Some(6), None]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(q.towns[0].location, Location::Planar { x: 1.0, y: 1.0 });
    }

    #[test]
    fn json_errors_carry_line_and_column() {
        let bad = PROBLEM.replace("\"demand\": 2", "\"demand\": \"two\"");
        match read_problem_json(&bad, "p.json", None) {
            Err(e @ Error::Json { .. }) => {
                let msg = e.to_string();
                assert!(msg.starts_with("p.json: "), "{msg}");
                assert!(msg.contains("line 6"), "{msg}");
            }
            other => panic!("{other:?}"),
        }
        let unknown = PROBLEM.replace("\"demand\": 2", "\"demnd\": 2");
        let Err(Error::Json { source, .. }) = read_problem_json(&unknown, "p.json", None) else {
            panic!("unknown field accepted")
        };
        assert!(source.to_string().contains("demnd"), "{source}");
        assert_eq!(source.line(), 6);
        assert!(matches!(
            read_problem_json("{", "p.json", None),
            Err(Error::Json { .. })
        ));
        // Valid JSON, invalid problem: the model's typed error.
        let neg = PROBLEM.replace("\"demand\": 2", "\"demand\": -2");
        assert!(matches!(
            read_problem_json(&neg, "p.json", None),
            Err(Error::InvalidValue { field: "demand", .. })
        ));
    }

    #[test]
    fn problem_file_resolves_against_its_directory() {
        let dir = std::env::temp_dir().join(format!("backroads-io-json-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("p.json");
        std::fs::write(&path, PROBLEM).unwrap();
        let p = read_problem_json_file(&path).unwrap();
        assert_eq!(p.name, "county");
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(matches!(read_problem_json_file(&path), Err(Error::Io { .. })));
    }

    #[test]
    fn solution_round_trip() {
        let p = read_problem_json(PROBLEM, "p.json", None).unwrap();
        let oracle = build_oracle(&p).unwrap();
        let plan = Plan {
            routes: vec![PlannedRoute {
                vehicle_type: 0,
                towns: vec![1, 0],
                reloads: Vec::new(),
            }],
            unassigned: vec![],
        };
        let s = Solution::from_plan(&p, oracle.as_ref(), &plan);
        let text = write_solution_json(&s);
        assert_eq!(read_solution_json(&text, "s.json").unwrap(), s);
        assert!(matches!(
            read_solution_json("{\"routes\": 3}", "s.json"),
            Err(Error::Json { .. })
        ));
    }
}
