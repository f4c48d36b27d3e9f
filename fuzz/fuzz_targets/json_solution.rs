//! JSON solutions (`backroads::io::read_solution_json`), validated against
//! `examples/data/small.json`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(solution) = backroads::io::read_solution_json(text, "fuzz.json") {
        let small = backroads_fuzz::small();
        let _ = backroads::solution::validate(&small.problem, small.oracle.as_ref(), &solution);
    }
});
