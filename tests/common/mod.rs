//! Helpers shared by the integration tests.
#![allow(dead_code)]

use backroads::model::{Location, Problem, ProblemBuilder, VehicleTypeSpec};

/// A vehicle type spec with the given limits.
pub fn vehicle(id: &str, depot: &str, capacity: f64, max_distance: Option<f64>, count: Option<i64>) -> VehicleTypeSpec {
    VehicleTypeSpec {
        count,
        max_distance,
        ..VehicleTypeSpec::new(id, depot, capacity)
    }
}

/// A planar single-depot problem from (x, y, demand) triples.
pub fn planar(depot: (f64, f64), towns: &[(f64, f64, f64)], capacity: f64, max_distance: Option<f64>) -> Problem {
    let mut b = ProblemBuilder::new("test").depot("D", Location::Planar { x: depot.0, y: depot.1 });
    for (i, &(x, y, q)) in towns.iter().enumerate() {
        b = b.town(format!("T{i}"), Location::Planar { x, y }, q, 0.0);
    }
    b.vehicle_type(vehicle("van", "D", capacity, max_distance, None))
        .build()
        .expect("valid test problem")
}

/// The path of the built `backroads` binary.
pub const BIN: &str = env!("CARGO_BIN_EXE_backroads");

/// Runs the `backroads` binary with `args`.
pub fn backroads(args: &[&str]) -> std::process::Output {
    std::process::Command::new(BIN)
        .args(args)
        .output()
        .expect("run backroads")
}

/// What a run printed on stderr.
pub fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// What a run printed on stdout.
pub fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A path as a command-line argument.
pub fn arg(p: &std::path::Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// Writes `text` to the file `name` in `dir` and returns its path.
pub fn write_file(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("scratch file written");
    p
}

/// A JSON file, parsed.
pub fn read_json(path: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("JSON file reads")).expect("valid JSON")
}

/// A file of the repository, by its path from the root.
pub fn repo_file(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// A file under `tests/data/`.
pub fn test_data(rel: &str) -> std::path::PathBuf {
    repo_file("tests/data").join(rel)
}

/// A bundled example under `examples/data/`.
pub fn example_path(name: &str) -> std::path::PathBuf {
    repo_file("examples/data").join(name)
}

/// A bundled example problem, read as `backroads solve` reads it.
pub fn example_problem(name: &str) -> Problem {
    backroads::io::read_problem_file(&example_path(name)).expect("bundled example reads")
}

/// A fresh, empty scratch folder for one test of one test file.
pub fn scratch(file: &str, test: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("backroads-{file}-{test}-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// A PyVRP-dialect instance of `tests/data/variants/` and the text of its `.sol`.
pub fn variant(name: &str) -> (Problem, String) {
    let read =
        |ext: &str| std::fs::read_to_string(test_data(&format!("variants/{name}.{ext}"))).expect("variant file reads");
    (
        backroads::io::read_vrp(&read("vrp"), name).expect("variant reads"),
        read("sol"),
    )
}

/// The North-Bayreuth OSM fixture folder, `tests/data/osm/north_bayreuth`.
pub fn north_bayreuth_dir() -> std::path::PathBuf {
    test_data("osm/north_bayreuth")
}

/// The North-Bayreuth road network, read from its fixture CSVs.
pub fn north_bayreuth_roads() -> backroads::model::RoadNetwork {
    let d = north_bayreuth_dir();
    backroads::io::read_road_csv_files(
        &d.join("nodes.csv"),
        &d.join("edges.csv"),
        &backroads::io::ReadOptions::default(),
    )
    .expect("fixture loads")
}

/// (name, lon, lat) of every North-Bayreuth settlement, by header name.
pub fn north_bayreuth_settlements() -> Vec<(String, f64, f64)> {
    let mut rdr = csv::Reader::from_path(north_bayreuth_dir().join("settlements.csv")).expect("settlements.csv opens");
    let h = rdr.headers().expect("header").clone();
    let col = |name: &str| h.iter().position(|c| c == name).expect("column present");
    let (c_name, c_lat, c_lon) = (col("name"), col("lat"), col("lon"));
    rdr.records()
        .map(|r| {
            let r = r.expect("row");
            let num = |c: usize| r[c].parse::<f64>().expect("number");
            (r[c_name].to_string(), num(c_lon), num(c_lat))
        })
        .collect()
}

/// A problem from JSON, read as `backroads solve` reads a file named `name`.
pub fn problem_json(spec: &serde_json::Value, name: &str) -> Problem {
    backroads::io::read_problem_json(&spec.to_string(), name, None).expect("valid test problem")
}

/// Solves with 3,000 iterations, seed 1, one thread, and checks the plan
/// with the validator.
pub fn solved_checked(p: &Problem) -> backroads::solution::Solution {
    let config = backroads::solver::SolverConfig {
        iterations: Some(3000),
        seed: 1,
        threads: Some(1),
        ..backroads::solver::SolverConfig::default()
    };
    let s = backroads::solver::solve(p, &config).expect("solves").solution;
    let oracle = backroads::distance::build_oracle(p).expect("oracle");
    let report = backroads::solution::validate(p, oracle.as_ref(), &s);
    assert!(report.is_feasible(), "{:?}", report.violations);
    s
}
