//! Shared steps of the fuzz targets: what to do with a problem a parser
//! accepted, and the fixed problems solutions are read against.

use backroads::distance::{TravelOracle, build_oracle};
use backroads::io::{read_problem_json, read_vrp};
use backroads::model::Problem;
use backroads::solution::{Plan, PlannedRoute, Solution, validate};
use backroads::solver::{SolverConfig, solve};
use std::sync::OnceLock;

/// Problems above this many towns are only parsed: building their oracle
/// and validating would slow every execution down without testing a parser.
const MAX_EXERCISED_TOWNS: usize = 200;
/// Problems up to this many towns are also solved, briefly.
const MAX_SOLVED_TOWNS: usize = 12;

/// Uses an accepted problem a little: builds its oracle, schedules and
/// validates a trivial plan (every town on one route of the first vehicle
/// type) and solves tiny problems with a short search. Results are ignored:
/// the point is that nothing panics, hangs or runs out of memory.
pub fn exercise_problem(problem: &Problem) {
    if problem.towns.len() > MAX_EXERCISED_TOWNS {
        return;
    }
    let Ok(oracle) = build_oracle(problem) else {
        return;
    };
    if !problem.fleet.is_empty() {
        let plan = Plan {
            routes: vec![PlannedRoute {
                vehicle_type: 0,
                towns: (0..problem.towns.len()).collect(),
            }],
            unassigned: Vec::new(),
        };
        schedule_and_validate(problem, oracle.as_ref(), &plan);
    }
    if problem.towns.len() <= MAX_SOLVED_TOWNS {
        let config = SolverConfig {
            iterations: Some(20),
            threads: Some(1),
            ..SolverConfig::default()
        };
        let _ = solve(problem, &config);
    }
}

/// Schedules `plan` and validates the result.
pub fn schedule_and_validate(problem: &Problem, oracle: &dyn TravelOracle, plan: &Plan) {
    let solution = Solution::from_plan(problem, oracle, plan);
    let _ = validate(problem, oracle, &solution);
}

/// A fixed problem with its oracle, built once per process.
pub struct Fixed {
    pub problem: Problem,
    pub oracle: Box<dyn TravelOracle>,
}

fn fixed(problem: Problem) -> Fixed {
    let oracle = build_oracle(&problem).expect("the fixed fuzz problem builds an oracle");
    Fixed { problem, oracle }
}

/// `examples/data/small.json`: 2 depots, 7 towns, Haversine travel.
pub fn small() -> &'static Fixed {
    static SMALL: OnceLock<Fixed> = OnceLock::new();
    SMALL.get_or_init(|| {
        let text = include_str!("../../examples/data/small.json");
        fixed(read_problem_json(text, "small.json", None).expect("small.json parses"))
    })
}

/// CVRPLIB X-n101-k25: one depot, 100 customers.
pub fn x101() -> &'static Fixed {
    static X101: OnceLock<Fixed> = OnceLock::new();
    X101.get_or_init(|| {
        let text = include_str!("../../tests/data/cvrplib/X/X-n101-k25.vrp");
        fixed(read_vrp(text, "X-n101-k25.vrp").expect("X-n101-k25 parses"))
    })
}

/// Splits one fuzz input into two files at the first NUL byte (the road
/// network target's nodes and edges CSV); no NUL gives an empty second part.
pub fn split_at_nul(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[]),
    }
}
