//! Criterion benches of the search's hot loop on CVRPLIB X-n1001-k43
//! (bundled in tests/data), from savings (λ = 1) routes:
//!
//! - `operator/<name>`: one operator's `best_move` over every granular pair
//!   (each town with its 10 nearest, the default granularity), throughput in pairs per second — the
//!   move-evaluation cost that solver variants trade against each other.
//! - `descent_x_n1001`: one full local-search descent (all operators) from
//!   the savings routes to a local optimum.
//! - `steps_x_n1001/100`: `improve` with 100 ruin–recreate–descent steps on
//!   one thread, its first full descent included.

use backroads::distance::build_oracle;
use backroads::internals::cluster::Cluster;
use backroads::internals::neighbours::Neighbours;
use backroads::internals::search::operators::all_operators;
use backroads::internals::search::{Budget, Descent, Flow, Routes, SearchParams, improve};
use backroads::internals::{SavingsPairs, savings_routes};
use backroads::io::read_problem_file;
use backroads::solver::SavingsParams;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

const GRANULARITY: usize = 10;

fn bench_search(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cvrplib/X/X-n1001-k43.vrp");
    let problem = read_problem_file(&path).expect("bundled X-n1001-k43.vrp");
    let oracle = build_oracle(&problem).expect("oracle");
    let towns: Vec<usize> = (0..problem.towns.len()).collect();
    let cluster = Cluster::new(&problem, oracle.as_ref(), 0, &towns, 0);
    let nbrs = Neighbours::new(&cluster, GRANULARITY);
    let routes = savings_routes(&cluster, &SavingsPairs::new(&cluster, &nbrs), SavingsParams::default());
    let state = Routes::new(&cluster, &routes);
    let pairs: Vec<(u32, u32)> = (1..cluster.num_nodes())
        .flat_map(|u| nbrs.of(u).iter().map(move |&v| (u as u32, v)))
        .collect();

    let mut g = c.benchmark_group("operator");
    g.throughput(Throughput::Elements(pairs.len() as u64));
    for op in all_operators() {
        g.bench_function(op.name(), |b| {
            b.iter(|| {
                pairs
                    .iter()
                    .filter_map(|&(u, v)| op.best_move(black_box(&state), u, v))
                    .count()
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("descent_x_n1001");
    g.sample_size(10);
    g.bench_function("all_operators", |b| {
        b.iter_batched(
            || state.clone(),
            |mut s| {
                let mut d = Descent::new(cluster.num_nodes(), all_operators(), GRANULARITY);
                d.push_all(&s);
                d.run(&mut s, &nbrs)
            },
            BatchSize::SmallInput,
        )
    });
    g.finish();

    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool");
    let mut g = c.benchmark_group("steps_x_n1001");
    g.sample_size(10);
    g.bench_function("100", |b| {
        b.iter(|| {
            pool.install(|| {
                let budget = Budget {
                    deadline: None,
                    iterations: Some(100),
                };
                improve(&cluster, &routes, &SearchParams::default(), budget, 1, &|_| {
                    Flow::Continue
                })
                .cost
            })
        })
    });
    g.finish();
}

criterion_group!(benches, bench_search);
criterion_main!(benches);
