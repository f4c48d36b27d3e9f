//! Criterion benches of plan mode on a 2,000-town plan (issue 25's target:
//! `fit` under 50 ms):
//!
//! - `fit/2000`: where one new order fits, end to end as `backroads fit`
//!   runs it after reading its files: the problem with the new town, its
//!   distance oracle, the plan read, every position of every route and a
//!   spare vehicle evaluated, the five cheapest timed.
//! - `eta/2000`: the same plan timed and validated.
//!
//! The plan: 2,000 towns scattered over a 120 km square (haversine
//! travel), a third with lunch closures, one depot open 06:00–20:00, vans
//! of 100 units with a 10 h shift; the solver's construction (no search).

use backroads::distance::build_oracle;
use backroads::io::read_problem_json;
use backroads::model::Problem;
use backroads::solver::{SolverConfig, solve};
mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};
use std::hint::black_box;

/// The problem of the module docs (SplitMix64 stream from a fixed seed).
fn problem(n: usize) -> Problem {
    let mut next = support::uniform(0x5eed);
    let towns: Vec<Value> = (0..n)
        .map(|i| {
            let mut t = json!({
                "id": format!("t{i}"),
                "location": {"lon": 117.0 + next() * 1.3, "lat": 31.5 + next() * 1.1},
                "demand": 1 + (next() * 10.0) as u32,
                "service_time_s": 300,
            });
            if i % 3 == 0 {
                t["windows"] = json!([["08:00", "12:00"], ["14:00", "18:00"]]);
            }
            t
        })
        .collect();
    let spec = json!({
        "name": format!("plan-mode-{n}"),
        "travel": {"kind": "haversine", "circuity": 1.3},
        "depots": [{"id": "d", "location": {"lon": 117.65, "lat": 32.05}, "hours": ["06:00", "20:00"]}],
        "towns": towns,
        "fleet": [{"id": "van", "depot": "d", "capacity": 100, "speed_kmh": 60, "max_duration_s": 36000}],
    });
    read_problem_json(&spec.to_string(), "plan_mode.json", None).expect("valid bench problem")
}

fn bench_plan_mode(c: &mut Criterion) {
    let p = problem(2000);
    let config = SolverConfig {
        iterations: Some(0),
        seed: 1,
        threads: Some(2),
        ..SolverConfig::default()
    };
    let solution = solve(&p, &config).expect("solves").solution;
    let plan = serde_json::to_string(&solution).expect("solution JSON");
    let town = json!({"id": "new-order", "location": {"lon": 117.6, "lat": 31.9}, "demand": 4,
                      "service_time_s": 300, "windows": [["09:00", "16:00"]]})
    .to_string();
    let report = backroads::fit_json(&p, &plan, "plan.json", &town, 5).expect("fit");
    eprintln!(
        "plan-mode bench: {} towns on {} routes; the new order fits {} ways",
        solution.totals.towns_served,
        solution.routes.len(),
        report.options.len()
    );
    c.bench_function("fit/2000", |b| {
        b.iter(|| black_box(backroads::fit_json(&p, &plan, "plan.json", &town, 5).expect("fit")));
    });
    let oracle = build_oracle(&p).expect("oracle");
    c.bench_function("eta/2000", |b| {
        b.iter(|| black_box(backroads::eta_text(&p, oracle.as_ref(), &plan, "plan.json").expect("eta")));
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench_plan_mode
}
criterion_main!(benches);
