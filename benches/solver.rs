//! Criterion benches of the hot solver loop.
//!
//! - `solve_x_n1001`: savings (λ = 1) + the polish on CVRPLIB X-n1001-k43
//!   (bundled in tests/data), oracle included, on 2 threads, no search
//!   (`iterations: Some(0)`); the search is benched in `benches/search.rs`.
//! - `savings/{1000,5000,10000,30000,100000}`: neighbour lists + savings construction on
//!   uniform random planar instances (fixed seed), 2 threads.
//! - `polish_pass_x_n1001`: the construction's polish (the search's 2-opt and
//!   relocate descent) over all savings routes of X-n1001-k43.

use backroads::distance::build_oracle;
use backroads::internals::cluster::Cluster;
use backroads::internals::neighbours::Neighbours;
use backroads::internals::{SavingsPairs, polish_routes, savings_routes};
use backroads::io::read_problem_file;
use backroads::model::{Location, Problem, ProblemBuilder, VehicleTypeSpec};
use backroads::solver::{SavingsParams, SolverConfig, solve};
mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

const THREADS: usize = 2;

fn x1001() -> Problem {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cvrplib/X/X-n1001-k43.vrp");
    read_problem_file(&path).expect("bundled X-n1001-k43.vrp")
}

/// Uniform random towns on a 1000 × 1000 square, demand 1..=10, capacity 100,
/// depot in the centre (SplitMix64 stream from a fixed seed).
fn random_problem(n: usize) -> Problem {
    let mut next = support::uniform(0x5eed);
    let mut b = ProblemBuilder::new(format!("random-{n}")).depot("depot", Location::Planar { x: 500.0, y: 500.0 });
    for i in 0..n {
        let (x, y, q) = (
            (next() * 1000.0).floor(),
            (next() * 1000.0).floor(),
            1.0 + (next() * 10.0).floor(),
        );
        b = b.town(format!("t{i}"), Location::Planar { x, y }, q, 0.0);
    }
    b.vehicle_type(VehicleTypeSpec::new("van", "depot", 100.0))
        .build()
        .expect("valid random problem")
}

fn pool() -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(THREADS)
        .build()
        .expect("thread pool")
}

fn bench_solve(c: &mut Criterion) {
    let problem = x1001();
    let config = SolverConfig {
        threads: Some(THREADS),
        savings_variants: vec![SavingsParams::default()],
        iterations: Some(0),
        ..SolverConfig::default()
    };
    c.bench_function("solve_x_n1001_savings_2opt", |b| {
        b.iter(|| solve(black_box(&problem), &config))
    });
    let grid = SolverConfig {
        threads: Some(THREADS),
        iterations: Some(0),
        ..SolverConfig::default()
    };
    let mut g = c.benchmark_group("solve_x_n1001_grid");
    g.sample_size(10);
    g.bench_function("default_grid", |b| b.iter(|| solve(black_box(&problem), &grid)));
    g.finish();
}

fn bench_savings(c: &mut Criterion) {
    let pool = pool();
    let config = SolverConfig::default();
    let mut g = c.benchmark_group("savings");
    g.sample_size(10);
    for n in [1000, 5000, 10000, 30000, 100000] {
        let problem = random_problem(n);
        let oracle = build_oracle(&problem).expect("oracle");
        let towns: Vec<usize> = (0..n).collect();
        let cluster = Cluster::new(&problem, oracle.as_ref(), 0, &towns, 0);
        g.bench_function(format!("{n}"), |b| {
            b.iter(|| {
                pool.install(|| {
                    let nbrs = Neighbours::new(&cluster, config.neighbours);
                    let pairs = SavingsPairs::new(&cluster, &nbrs);
                    savings_routes(&cluster, &pairs, SavingsParams::default())
                })
            })
        });
    }
    g.finish();
}

fn bench_polish(c: &mut Criterion) {
    let pool = pool();
    let problem = x1001();
    let oracle = build_oracle(&problem).expect("oracle");
    let towns: Vec<usize> = (0..problem.towns.len()).collect();
    let cluster = Cluster::new(&problem, oracle.as_ref(), 0, &towns, 0);
    let nbrs = Neighbours::new(&cluster, SolverConfig::default().neighbours);
    let pairs = SavingsPairs::new(&cluster, &nbrs);
    let routes = savings_routes(&cluster, &pairs, SavingsParams::default());
    c.bench_function("polish_pass_x_n1001", |b| {
        b.iter_batched(
            || routes.clone(),
            |mut r| pool.install(|| polish_routes(&cluster, &nbrs, &SolverConfig::default().search, &mut r)),
            criterion::BatchSize::SmallInput,
        )
    });
}

criterion_group!(benches, bench_solve, bench_savings, bench_polish);
criterion_main!(benches);
