//! CVRPLIB `.sol` (`backroads::io::read_sol`) against X-n101-k25, then
//! scheduled and validated.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let x = backroads_fuzz::x101();
    if let Ok(sol) = backroads::io::read_sol(text, "fuzz.sol", &x.problem) {
        backroads_fuzz::schedule_and_validate(&x.problem, x.oracle.as_ref(), &sol.plan);
    }
});
