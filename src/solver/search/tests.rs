//! Property tests of the search's bookkeeping: every operator's priced delta
//! is the true change, moves keep routes feasible, a rolled-back step leaves
//! no trace, and the search is reproducible.

use super::operators::all_operators;
use super::routes::Seg;
use super::*;
use crate::distance::build_oracle;
use crate::model::{Amount, BreakSpec, Location, Problem, ProblemBuilder, TimeSpec, TownSpec, TravelSpec, VehicleTypeSpec};
use crate::solver::construct::savings::{SavingsPairs, SavingsParams, savings_routes};
use proptest::prelude::*;

/// What a random test problem constrains besides capacity.
#[derive(Debug, Clone, Copy, Default)]
struct Shape {
    limit_distance: bool,
    limit_duration: bool,
    /// Opening hours at every town (some with two intervals) and the depot.
    windows: bool,
    /// A fixed cost per used vehicle.
    fixed_cost: bool,
    /// Driver breaks (a driving limit and a break window): every route is
    /// then timed stop by stop.
    breaks: bool,
}

fn shape() -> impl Strategy<Value = Shape> {
    (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(ld, lt, w, f, b)| Shape {
            limit_distance: ld,
            limit_duration: lt,
            windows: w,
            fixed_cost: f,
            breaks: b,
        })
}

/// A random problem on an asymmetric matrix (one-way detours), with optional
/// distance and duration limits and opening hours loose enough for every
/// town alone.
fn problem(n: usize, seed: u64, capacity: f64, shape: Shape) -> Problem {
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
    let mut towns = Vec::new();
    for (i, &(x, y)) in pts.iter().enumerate().skip(1) {
        let demand = 1.0 + rng.below(9) as f64;
        towns.push(TownSpec {
            name: String::new(),
            service_time_s: rng.below(60) as f64,
            ..TownSpec::new(format!("T{i}"), Location::Planar { x, y }, demand)
        });
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
    if shape.windows {
        // Times are distances here (speed 3.6 km/h = 1 s per unit). Each
        // window stays open past the direct drive from the depot.
        let mut latest_return = 0.0f64;
        for (i, t) in towns.iter_mut().enumerate() {
            let i = i + 1;
            let open = rng.below(3000) as f64;
            // Breaks on the way there may take 60 + 100 + 60 s.
            let margin = if shape.breaks { 300.0 } else { 0.0 };
            let close = open.max(d(0, i)) + 100.0 + rng.below(600) as f64 + margin;
            t.windows.push([TimeSpec::Seconds(open), TimeSpec::Seconds(close)]);
            if rng.chance(0.3) {
                let later = close + 200.0 + rng.below(1000) as f64;
                t.windows
                    .push([TimeSpec::Seconds(later), TimeSpec::Seconds(later + 300.0)]);
            }
            let last_close = t.windows.iter().filter_map(|w| w[1].seconds().ok()).max().unwrap_or(0) as f64;
            latest_return = latest_return.max(last_close + t.service_time_s + d(i, 0));
        }
        // Breaks lengthen every trip (and their drivers leave at the opening).
        b = b.depot_hours(0.0, latest_return + 1.0 + if shape.breaks { 3000.0 } else { 0.0 });
    }
    for t in towns {
        b = b.town_spec(t);
    }
    let (limit_distance, limit_duration) = (shape.limit_distance, shape.limit_duration);
    b.vehicle_type(VehicleTypeSpec {
        id: "v".into(),
        depot: "D".into(),
        count: None,
        capacity: capacity.into(),
        max_distance: limit_distance.then_some(longest_trip * 1.6),
        // With opening hours a shift must also cover the wait for the latest one.
        max_duration_s: limit_duration.then_some(
            longest_trip * 2.0 + if shape.windows { 5000.0 } else { 0.0 } + if shape.breaks { 3000.0 } else { 0.0 },
        ),
        speed_kmh: 3.6,
        fixed_cost: if shape.fixed_cost { 500.0 } else { 0.0 },
        cost_per_km: 0.0,
        cost_per_hour: 0.0,
        reload_depots: Vec::new(),
        reload_time_s: 0.0,
        max_reloads: None,
        // Times are distances (1 s per unit): routes drive for thousands.
        breaks: if shape.breaks {
            vec![
                BreakSpec::driving(900.0, 60.0),
                BreakSpec::window(1000.0, 2500.0, 100.0),
            ]
        } else {
            Vec::new()
        },
        ..VehicleTypeSpec::new("v", "D", capacity)
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
        assert!(c.route_ok(&towns), "route {k} breaks limits or hours: {q} {d} {t}");
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
    let c = Cluster::new(p, oracle.as_ref(), 0, &towns, 0);
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
        if !c.route_ok(last) {
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
    fn operator_deltas_are_exact(n in 6usize..40, seed in 0u64..1000, cap in 10.0f64..60.0, sh in shape()) {
        let p = problem(n, seed, cap, sh);
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
    fn plain_pricing_agrees_with_the_general_path(n in 6usize..30, seed in 0u64..1000, cap in 10.0f64..60.0, ld in any::<bool>(), f in any::<bool>()) {
        let sh = Shape { limit_distance: ld, fixed_cost: f, ..Shape::default() };
        let p = problem(n, seed, cap, sh);
        with_cluster(&p, |c| {
            assert_eq!(c.pricing, crate::solver::cluster::Pricing::Plain);
            let s = Routes::new(c, &random_routes(c, seed));
            let len = |k: usize| s.routes[k].nodes.len();
            let mut priced = 0;
            for a in 0..s.routes.len() {
                for b in (0..s.routes.len()).filter(|&b| b != a) {
                    for (i, j) in (0..len(a) - 1).flat_map(|i| (0..len(b) - 1).map(move |j| (i, j))) {
                        // Tails swapped (2-opt*), and b's head reversed into a.
                        let tails = [Seg::fwd(a, 0, i), Seg::fwd(b, j + 1, len(b) - 1)];
                        let head = [Seg::fwd(a, 0, i), Seg::rev(b, 1, j.max(1)), Seg::fwd(a, i + 1, len(a) - 1)];
                        for plan in [&tails[..], &head[..]] {
                            let general = s.general_rebuilt_delta(a, plan);
                            prop_assert_eq!(s.plain_rebuilt_delta(a, plan), general);
                            priced += usize::from(general.is_some());
                        }
                    }
                }
            }
            prop_assert!(s.routes.len() < 2 || priced > 0, "no feasible plan priced");
            Ok(())
        })?;
    }

    #[test]
    fn stored_timing_agrees_with_walking_the_route(n in 6usize..30, seed in 0u64..1000, cap in 10.0f64..60.0) {
        let sh = Shape { windows: true, ..Shape::default() };
        let p = problem(n, seed, cap, sh);
        with_cluster(&p, |c| {
            let s = Routes::new(c, &random_routes(c, seed));
            let walked = |segs: &[Seg]| c.route_times(s.seg_towns(segs)).on_time;
            let mut checked = 0;
            for (a, ra) in s.routes.iter().enumerate() {
                let la = ra.nodes.len() - 1;
                // Reversals inside a route (2-opt) and whole-route copies.
                for i in 1..la {
                    for j in i..la {
                        let plan = [Seg::fwd(a, 0, i - 1), Seg::rev(a, i, j), Seg::fwd(a, j + 1, la)];
                        assert_eq!(s.on_time((0, 0), 0, &plan), walked(&plan), "{plan:?}");
                        checked += 1;
                    }
                }
                assert!(s.on_time((0, 0), 0, &[Seg::fwd(a, 0, la)]));
                // Tails exchanged with every other route (2-opt*), and a
                // town of route b moved into route a (relocate).
                for (b, rb) in s.routes.iter().enumerate().filter(|&(b, _)| b != a) {
                    let lb = rb.nodes.len() - 1;
                    for i in 0..la {
                        for j in 1..=lb {
                            let plan = [Seg::fwd(a, 0, i), Seg::fwd(b, j, lb)];
                            assert_eq!(s.on_time((0, 0), 0, &plan), walked(&plan), "{plan:?}");
                            if j < lb {
                                let plan = [Seg::fwd(a, 0, i), Seg::fwd(b, j, j), Seg::fwd(a, i + 1, la)];
                                assert_eq!(s.on_time((0, 0), 0, &plan), walked(&plan), "{plan:?}");
                                let ins = s.insertion_on_time(a, i, rb.nodes[j]);
                                assert_eq!(ins, walked(&plan), "insert {j} of {b} after {i} of {a}");
                            }
                            checked += 1;
                        }
                    }
                }
            }
            assert!(checked > 0);
        });
    }

    #[test]
    fn rollback_restores_the_routes(n in 6usize..40, seed in 0u64..1000, cap in 10.0f64..60.0, sh in shape()) {
        let p = problem(n, seed, cap, sh);
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
    fn search_is_feasible_monotone_and_reproducible(n in 6usize..40, seed in 0u64..1000, cap in 10.0f64..60.0, sh in shape()) {
        let p = problem(n, seed, cap, sh);
        with_cluster(&p, |c| {
            let init = initial(c);
            assert!(init.iter().all(|r| c.route_ok(r)), "construction breaks a limit or an opening interval");
            let init_cost = c.routes_cost(&init);
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

    /// The construction's polish is the search's descent: from a poor start
    /// it keeps every town once and every rule (opening hours with two
    /// intervals, breaks, distance and shift limits), and never costs more.
    #[test]
    fn the_polish_keeps_every_rule_and_never_costs_more(n in 6usize..40, seed in 0u64..1000, cap in 10.0f64..60.0, sh in shape()) {
        let p = problem(n, seed, cap, sh);
        with_cluster(&p, |c| {
            let mut routes = random_routes(c, seed);
            let before = c.routes_cost(&routes);
            let nbrs = Neighbours::new(c, 40);
            crate::solver::polish_routes(c, &nbrs, &SearchParams::default(), &mut routes);
            let s = Routes::new(c, &routes);
            check_routes(&s);
            assert!(c.routes_cost(&routes) <= before);
        });
    }
}

#[test]
fn observer_can_stop_the_search() {
    let p = problem(60, 5, 30.0, Shape::default());
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

/// A random fleet problem: two or three depots, three vehicle types per
/// depot of different sizes, counts and running costs (and in a third of
/// them speeds; in some, routes that end elsewhere, stop limits and
/// shifts), some towns that allow only some types, optional opening hours;
/// planar distances.
fn fleet_problem(n: usize, seed: u64, windows: bool, money: bool) -> Problem {
    let mut rng = SeededRng::new(seed, 17);
    let depots = 2 + rng.below(2);
    let mut b = ProblemBuilder::new("fleet");
    for d in 0..depots {
        let (x, y) = (rng.below(1000) as f64, rng.below(1000) as f64);
        b = b.depot(format!("D{d}"), Location::Planar { x, y });
    }
    if windows {
        b = b.depot_hours(0.0, 20_000.0);
    }
    // Half the windowed problems: the middle type's drivers take breaks.
    let breaks = windows && seed.is_multiple_of(2);
    // A third of the problems: the types drive at different speeds (one
    // time profile each).
    let speeds: [f64; 3] = if seed.is_multiple_of(3) { [3.6, 7.2, 2.7] } else { [3.6; 3] };
    let mut types = Vec::new();
    for d in 0..depots {
        for (k, cap) in [10.0, 25.0, 40.0].into_iter().enumerate() {
            let id = format!("v{d}-{k}");
            types.push(id.clone());
            b = b.vehicle_type(VehicleTypeSpec {
                id,
                depot: format!("D{d}"),
                count: Some(1 + rng.below(3) as i64),
                // Some problems: a second capacity dimension.
                capacity: if seed % 6 == 4 {
                    Amount::Several(vec![cap, cap / 2.0 + 5.0])
                } else {
                    cap.into()
                },
                max_distance: None,
                max_duration_s: windows.then_some(15_000.0),
                speed_kmh: speeds[k],
                fixed_cost: 100.0 * k as f64,
                cost_per_km: if money { 1000.0 + 500.0 * k as f64 } else { 0.0 },
                cost_per_hour: if money && k == 1 { 36.0 } else { 0.0 },
                reload_depots: Vec::new(),
                reload_time_s: 0.0,
                max_reloads: None,
                breaks: if breaks && k == 1 {
                    vec![
                        BreakSpec::driving(2000.0, 100.0),
                        BreakSpec::window(5000.0, 9000.0, 200.0),
                    ]
                } else {
                    Vec::new()
                },
                // Some problems: routes that end at the next depot, open
                // routes, a stop limit, a staggered shift.
                end_depot: (seed % 4 == 1 && k == 2).then(|| format!("D{}", (d + 1) % depots)),
                open: seed % 4 == 3 && k == 0,
                max_stops: (seed % 5 == 2 && k == 0).then_some(4),
                shift: (windows && seed % 5 == 3 && k == 1)
                    .then_some([TimeSpec::Seconds(2000.0), TimeSpec::Seconds(18_000.0)]),
                ..VehicleTypeSpec::new("", "", cap)
            });
        }
    }
    for i in 0..n {
        let (x, y) = (rng.below(1000) as f64, rng.below(1000) as f64);
        let mut windows_of = Vec::new();
        if windows {
            let open = rng.below(8000) as f64;
            windows_of.push([TimeSpec::Seconds(open), TimeSpec::Seconds(open + 3000.0)]);
        }
        let vehicle_types = rng.chance(0.3).then(|| {
            let mut some: Vec<String> = types.iter().filter(|_| rng.chance(0.5)).cloned().collect();
            if some.is_empty() {
                some.push(types[rng.below(types.len())].clone());
            }
            some
        });
        b = b.town_spec(TownSpec {
            id: format!("T{i}"),
            name: String::new(),
            location: Location::Planar { x, y },
            demand: {
                let q = 1.0 + rng.below(9) as f64;
                if seed % 6 == 4 {
                    Amount::Several(vec![q, (q * 3.0) % 7.0])
                } else {
                    q.into()
                }
            },
            service_time_s: rng.below(60) as f64,
            pickup: 0.0.into(),
            prize: None,
            priority: None,
            release: None,
            windows: windows_of,
            drops: None,
            days: None,
            patterns: None,
            vehicle_types,
        });
    }
    b.build().unwrap()
}

/// Every route keeps its type's depot, limits and towns; counts hold; every
/// town is on one route or in the pool; the stored cost is the recomputed one.
fn check_fleet(s: &Routes<'_, '_>) {
    let c = s.c;
    let mut seen = vec![0; c.num_nodes()];
    let mut used = vec![0u32; c.types.len()];
    for (k, r) in s.routes.iter().enumerate() {
        let t = &c.types[r.vt as usize];
        assert_eq!(
            (r.nodes[0], *r.nodes.last().unwrap()),
            (t.depot, t.end),
            "route {k} left its depot"
        );
        let towns: Vec<usize> = r.nodes[1..r.nodes.len() - 1].iter().map(|&v| v as usize).collect();
        if towns.is_empty() {
            continue;
        }
        used[r.vt as usize] += 1;
        assert!(c.load_fits(&t.limits, &towns), "route {k} over a capacity dimension");
        assert!(t.limits.allows_stops(r.stops()), "route {k} over its stop limit");
        let (d, _, q) = c.route_totals_from((t.depot as usize, t.end as usize), &towns);
        let times = c.route_times_of(r.vt as usize, towns.iter().copied());
        assert!(
            times.on_time && t.limits.allows(q, d, times.duration()),
            "route {k} breaks its type's limits"
        );
        assert!(
            towns.iter().all(|&v| c.serves(v, r.vt as usize)),
            "route {k} serves a town that refuses its type"
        );
        for &v in &towns {
            seen[v] += 1;
        }
    }
    for &v in &s.pool {
        seen[v as usize] += 1;
    }
    assert!(
        seen[1..=c.num_towns()].iter().all(|&x| x == 1),
        "every town once, on a route or pooled"
    );
    assert!(
        used.iter().zip(&c.types).all(|(&u, t)| u <= t.count),
        "a count is exceeded"
    );
    assert_eq!(s.in_use, used);
    assert_eq!(s.cost, s.recomputed_cost());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn fleet_moves_are_priced_exactly_and_keep_every_rule(
        n in 8usize..50, seed in 0u64..1000, windows in any::<bool>(), money in any::<bool>()
    ) {
        let p = fleet_problem(n, seed, windows, money);
        let oracle = build_oracle(&p).unwrap();
        let towns: Vec<usize> = (0..n).collect();
        let c = Cluster::fleet(&p, oracle.as_ref(), &towns, 4000).unwrap();
        // Start with everything pooled; greedy recreate, then every operator.
        let mut s = Routes::typed(&c, &[], true);
        check_fleet(&s);
        let params = SearchParams::default();
        let nbrs = Neighbours::new(&c, 30);
        let mut rng = SeededRng::new(seed, 5);
        let mut sc = recreate::Scratch::default();
        let mut removed = Vec::new();
        s.drain_pool(&mut removed);
        recreate::recreate(&mut s, &nbrs, &params, &mut rng, &mut removed, &mut sc);
        check_fleet(&s);
        let (mut scratch, mut touched) = ([Vec::new(), Vec::new()], Vec::new());
        for op in all_operators() {
            for (u, v) in (1..=n).flat_map(|u| (1..=n).map(move |v| (u, v))) {
                if u == v || s.route_of[u] == routes::UNROUTED || s.route_of[v] == routes::UNROUTED {
                    continue;
                }
                if let Some(m) = op.best_move(&s, u as Node, v as Node) {
                    prop_assert!(m.delta < 0);
                    let before = s.cost;
                    s.apply(&m, &mut scratch, &mut touched);
                    prop_assert_eq!(s.cost, before + m.delta, "{} priced its move wrong", op.name());
                    check_fleet(&s);
                }
            }
        }
        let before = s.cost;
        retype::retype_all(&mut s);
        prop_assert!(s.cost <= before);
        check_fleet(&s);
        // A rolled-back ruin-and-recreate leaves no trace.
        let snapshot = (s.to_typed_lists(), s.cost);
        s.begin();
        let mut gaps = Vec::new();
        removed.clear();
        ruin::ruin(&mut s, &nbrs, &params, &mut rng, &mut removed, &mut gaps);
        s.drain_pool(&mut removed);
        recreate::recreate(&mut s, &nbrs, &params, &mut rng, &mut removed, &mut sc);
        retype::retype_routes_of(&mut s, &removed);
        check_fleet(&s);
        s.rollback();
        check_fleet(&s);
        prop_assert_eq!((s.to_typed_lists(), s.cost), snapshot);
    }

    #[test]
    fn fleet_search_is_reproducible_and_feasible(n in 8usize..40, seed in 0u64..1000, windows in any::<bool>()) {
        let p = fleet_problem(n, seed, windows, seed % 2 == 0);
        let oracle = build_oracle(&p).unwrap();
        let towns: Vec<usize> = (0..n).collect();
        let c = Cluster::fleet(&p, oracle.as_ref(), &towns, 4000).unwrap();
        let budget = Budget { deadline: None, iterations: Some(300) };
        let run = || improve_fleet(&c, &[], &SearchParams::default(), budget, seed, &|_| Flow::Continue);
        let (a, b) = (run(), run());
        prop_assert_eq!(&a.routes, &b.routes);
        prop_assert_eq!(&a.pool, &b.pool);
        let s = Routes::typed(&c, &a.routes, true);
        check_fleet(&s);
        prop_assert_eq!(s.cost, a.cost);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// The whole solver on fleet problems, checked by the independent
    /// validator (counts, compatibility, reasons, costs).
    #[test]
    fn fleet_solves_validate(n in 8usize..60, seed in 0u64..1000, windows in any::<bool>(), money in any::<bool>()) {
        let p = fleet_problem(n, seed, windows, money);
        let oracle = build_oracle(&p).unwrap();
        let config = crate::solver::SolverConfig {
            iterations: Some(500),
            threads: Some(2),
            seed,
            ..Default::default()
        };
        let solved = crate::solver::solve_with_oracle(&p, oracle.as_ref(), &config).unwrap();
        let report = crate::solution::validate(&p, oracle.as_ref(), &solved.solution);
        prop_assert!(report.violations.is_empty(), "{:?}", report.violations);
    }
}
