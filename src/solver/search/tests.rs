//! Property tests of the search's bookkeeping: every operator's priced delta
//! is the true change, moves keep routes feasible, a rolled-back step leaves
//! no trace, and the search is reproducible.

use super::operators::all_operators;
use super::*;
use crate::distance::build_oracle;
use crate::model::{Location, Problem, ProblemBuilder, TravelSpec, VehicleTypeSpec};
use crate::solver::construct::savings::{SavingsPairs, SavingsParams, savings_routes};
use proptest::prelude::*;

/// A random problem on an asymmetric matrix (one-way detours), with optional
/// distance and duration limits loose enough for every town alone.
fn problem(n: usize, seed: u64, capacity: f64, limit_distance: bool, limit_duration: bool) -> Problem {
    let mut rng = SeededRng::new(seed, 7);
    let pts: Vec<(f64, f64)> = (0..=n)
        .map(|_| (rng.below(1000) as f64, rng.below(1000) as f64))
        .collect();
    let mut b = ProblemBuilder::new("random").depot(
        "D",
        Location::Planar {
            x: pts[0].0,
            y: pts[0].1,
        },
    );
    for (i, &(x, y)) in pts.iter().enumerate().skip(1) {
        b = b.town(
            format!("T{i}"),
            Location::Planar { x, y },
            1.0 + rng.below(9) as f64,
            rng.below(60) as f64,
        );
    }
    let detour: Vec<Vec<f64>> = (0..=n)
        .map(|_| (0..=n).map(|_| rng.below(150) as f64).collect())
        .collect();
    let d = |i: usize, j: usize| {
        let e = ((pts[i].0 - pts[j].0).powi(2) + (pts[i].1 - pts[j].1).powi(2))
            .sqrt()
            .round();
        if i == j { 0.0 } else { e + detour[i][j] }
    };
    let distances: Vec<Vec<Option<f64>>> = (0..=n).map(|i| (0..=n).map(|j| Some(d(i, j))).collect()).collect();
    let longest_trip = (1..=n).map(|i| d(0, i) + d(i, 0)).fold(0.0, f64::max);
    b.vehicle_type(VehicleTypeSpec {
        id: "v".into(),
        depot: "D".into(),
        count: None,
        capacity,
        max_distance: limit_distance.then_some(longest_trip * 1.6),
        max_duration_s: limit_duration.then_some(longest_trip * 2.0),
        speed_kmh: 3.6,
    })
    .travel(TravelSpec::Matrix {
        distances,
        durations: None,
    })
    .build()
    .unwrap()
}

fn check_routes(s: &Routes<'_, '_>) {
    let c = s.c;
    let mut seen = vec![0; c.num_nodes()];
    for (k, r) in s.routes.iter().enumerate() {
        assert_eq!((r.nodes[0], *r.nodes.last().unwrap()), (0, 0));
        let towns: Vec<usize> = r.nodes[1..r.nodes.len() - 1].iter().map(|&v| v as usize).collect();
        let (d, t, q) = c.route_totals(&towns);
        assert!(c.limits.allows(q, d, t), "route {k} breaks limits: {q} {d} {t}");
        assert_eq!((r.distance(), r.load()), (d, q));
        for (p, &v) in towns.iter().enumerate() {
            seen[v] += 1;
            assert_eq!((s.route_of[v] as usize, s.pos[v] as usize), (k, p + 1));
        }
    }
    assert!(seen[1..].iter().all(|&x| x == 1), "every town exactly once");
    assert_eq!(s.cost, s.recomputed_cost());
}

fn with_cluster<T>(p: &Problem, f: impl FnOnce(&Cluster<'_>) -> T) -> T {
    let oracle = build_oracle(p).unwrap();
    let towns: Vec<usize> = (0..p.towns.len()).collect();
    let c = Cluster::new(p, oracle.as_ref(), 0, &towns, &p.fleet[0]);
    f(&c)
}

/// Towns in a random order, cut into routes greedily: a poor but feasible
/// start on which improving moves surely exist.
fn random_routes(c: &Cluster<'_>, seed: u64) -> Vec<Vec<usize>> {
    let mut rng = SeededRng::new(seed, 11);
    let mut towns: Vec<usize> = (1..c.num_nodes()).collect();
    for i in (1..towns.len()).rev() {
        towns.swap(i, rng.below(i + 1));
    }
    let mut routes: Vec<Vec<usize>> = vec![Vec::new()];
    for v in towns {
        let last = routes.last_mut().unwrap();
        last.push(v);
        let (d, t, q) = c.route_totals(last);
        if !c.limits.allows(q, d, t) {
            last.pop();
            routes.push(vec![v]);
        }
    }
    routes
}

fn initial(c: &Cluster<'_>) -> Vec<Vec<usize>> {
    let nbrs = Neighbours::new(c, 10);
    savings_routes(c, &SavingsPairs::new(c, &nbrs), SavingsParams::default())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn operator_deltas_are_exact(n in 6usize..40, seed in 0u64..1000, cap in 10.0f64..60.0, ld: bool, lt: bool) {
        let p = problem(n, seed, cap, ld, lt);
        with_cluster(&p, |c| {
            let mut s = Routes::new(c, &random_routes(c, seed));
            check_routes(&s);
            let mut scratch = [Vec::new(), Vec::new()];
            let mut touched = Vec::new();
            let mut applied = 0;
            for op in all_operators() {
                for (u, v) in (1..=n).flat_map(|u| (1..=n).map(move |v| (u, v))) {
                    if u == v {
                        continue;
                    }
                    if let Some(m) = op.best_move(&s, u as Node, v as Node) {
                        assert!(m.delta < 0, "{} returned a non-improving move", op.name());
                        let before = s.cost;
                        s.apply(&m, &mut scratch, &mut touched);
                        applied += 1;
                        assert_eq!(s.cost, before + m.delta, "{} priced its move wrong", op.name());
                        check_routes(&s);
                    }
                }
            }
            // Random routes always leave something to improve.
            assert!(applied > 0, "no operator found a move");
        });
    }

    #[test]
    fn rollback_restores_the_routes(n in 6usize..40, seed in 0u64..1000, cap in 10.0f64..60.0, ld: bool) {
        let p = problem(n, seed, cap, ld, false);
        with_cluster(&p, |c| {
            let params = SearchParams::default();
            let nbrs = Neighbours::new(c, 30);
            let mut s = Routes::new(c, &initial(c));
            let before = (s.to_node_lists(), s.cost);
            let (mut removed, mut gaps) = (Vec::new(), Vec::new());
            let mut rng = SeededRng::new(seed, 3);
            let mut sc = recreate::Scratch::default();
            let mut d = Descent::new(c.num_nodes(), all_operators(), 10);
            s.begin();
            ruin::ruin(&mut s, &nbrs, &params, &mut rng, &mut removed, &mut gaps);
            assert!(!removed.is_empty());
            recreate::recreate(&mut s, &nbrs, &params, &mut rng, &mut removed, &mut sc);
            removed.iter().for_each(|&v| d.push(v));
            d.run(&mut s, &nbrs);
            check_routes(&s);
            s.rollback();
            check_routes(&s);
            assert_eq!((s.to_node_lists(), s.cost), before);
        });
    }

    #[test]
    fn search_is_feasible_monotone_and_reproducible(n in 6usize..40, seed in 0u64..1000, cap in 10.0f64..60.0, lt: bool) {
        let p = problem(n, seed, cap, !lt, lt);
        with_cluster(&p, |c| {
            let init = initial(c);
            let init_cost: i64 = init.iter().map(|r| c.route_totals(r).0).sum();
            let budget = Budget { deadline: None, iterations: Some(300) };
            let run = || improve(c, &init, &SearchParams::default(), budget, seed, &|_| Flow::Continue);
            let (a, b) = (run(), run());
            assert_eq!(&a.routes, &b.routes);
            assert!(a.cost <= init_cost);
            assert_eq!(a.iterations, 300);
            let s = Routes::new(c, &a.routes);
            check_routes(&s);
            assert_eq!(s.cost, a.cost);
        });
    }
}

#[test]
fn observer_can_stop_the_search() {
    let p = problem(60, 5, 30.0, false, false);
    with_cluster(&p, |c| {
        let budget = Budget {
            deadline: None,
            iterations: Some(1_000_000),
        };
        let out = improve(c, &initial(c), &SearchParams::default(), budget, 1, &|pr| {
            if pr.iterations >= 1000 {
                Flow::Stop
            } else {
                Flow::Continue
            }
        });
        assert!(out.iterations >= 1000 && out.iterations < 1_000_000);
    });
}
