//! Solomon VRPTW text (`backroads::io::read_solomon`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(problem) = backroads::io::read_solomon(text, "fuzz.txt") {
        backroads_fuzz::exercise_problem(&problem);
    }
});
