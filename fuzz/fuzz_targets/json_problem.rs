//! JSON problems (`backroads::io::read_problem_json`, no base directory).
#![no_main]

use backroads::model::{ProblemSpec, TravelSpec};
use libfuzzer_sys::fuzz_target;

/// Whether building the problem would open a file (a towns CSV, a road
/// network or an OSM extract): the fuzzer must not roam the disk.
fn reads_files(spec: &ProblemSpec) -> bool {
    spec.towns_csv.is_some()
        || matches!(
            spec.travel,
            Some(TravelSpec::RoadNetwork { .. } | TravelSpec::Osm { .. })
        )
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if serde_json::from_str::<ProblemSpec>(text).is_ok_and(|spec| reads_files(&spec)) {
        return;
    }
    if let Ok(problem) = backroads::io::read_problem_json(text, "fuzz.json", None) {
        backroads_fuzz::exercise_problem(&problem);
    }
});
