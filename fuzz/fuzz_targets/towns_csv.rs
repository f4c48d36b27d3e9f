//! CSV of towns (`backroads::io::read_towns_csv`); accepted towns are built
//! into a one-depot Haversine problem and exercised.
#![no_main]

use backroads::io::{TownCsvOptions, read_towns_csv};
use backroads::model::{DepotSpec, Problem, ProblemSpec, TravelSpec, VehicleTypeSpec};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(towns) = read_towns_csv(data, "fuzz.csv", &TownCsvOptions::default()) else {
        return;
    };
    let Some(first) = towns.first() else {
        return;
    };
    let spec = ProblemSpec {
        name: "csv".into(),
        depots: vec![DepotSpec {
            id: "fuzz-depot".into(),
            name: String::new(),
            location: first.location,
            hours: None,
        }],
        fleet: vec![VehicleTypeSpec {
            max_duration_s: Some(36_000.0),
            ..VehicleTypeSpec::new("van", "fuzz-depot", 50.0)
        }],
        towns,
        travel: Some(TravelSpec::Haversine { circuity: 1.2 }),
        ..ProblemSpec::default()
    };
    if let Ok(problem) = Problem::from_spec(spec) {
        backroads_fuzz::exercise_problem(&problem);
    }
});
