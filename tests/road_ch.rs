//! The contraction-hierarchy road oracle against the dense one: on the
//! North-Bayreuth OSM graph (ODbL, © OpenStreetMap contributors) and on
//! random small networks with one-way streets and disconnected parts, every
//! pair's distance and time are identical (unreachable included), and so
//! are the sparse oracle's once its pairs are resolved, with and without a
//! hierarchy attached; point queries agree with tables; the hierarchy does
//! not depend on the thread count; `build_oracle_with` selects it.

mod common;

use backroads::distance::{
    ChRoadOracle, OracleOptions, RoadCh, RoadOracle, RoadOracleKind, SparseRoadOracle, TravelOracle, build_oracle_with,
    is_unreachable,
};
use backroads::model::{Location, ProblemBuilder, RoadClass, RoadNetwork, TravelSpec, VehicleTypeSpec};
use backroads::{Error, Result};
use common::{north_bayreuth_roads, north_bayreuth_settlements};
use proptest::prelude::*;
use std::sync::Arc;

/// The 71 settlements, then every k-th junction nudged ~50 m north-east
/// (so islands and one-way traps of the extract are sampled too).
fn locations(net: &RoadNetwork, junctions: usize) -> Vec<Location> {
    let mut locs: Vec<Location> = north_bayreuth_settlements()
        .into_iter()
        .map(|(_, lon, lat)| Location::Geo { lon, lat })
        .collect();
    let step = (net.num_junctions() / junctions).max(1);
    locs.extend(net.junctions().step_by(step).take(junctions).map(|j| Location::Geo {
        lon: j.lon + 0.0005,
        lat: j.lat + 0.0003,
    }));
    locs
}

/// Every pair identical: metres, milliseconds, seconds, snaps, symmetry.
fn assert_same(dense: &RoadOracle, ch: &ChRoadOracle) -> (usize, usize) {
    let n = dense.num_locations();
    assert_eq!(ch.num_locations(), n);
    assert_eq!(ch.snaps(), dense.snaps());
    assert_eq!(ch.is_symmetric(), dense.is_symmetric());
    let mut unreachable = 0;
    for a in 0..n {
        for b in 0..n {
            assert_eq!(ch.distance(a, b), dense.distance(a, b), "distance {a} -> {b}");
            assert_eq!(ch.duration_ms(a, b), dense.duration_ms(a, b), "time {a} -> {b}");
            assert_eq!(ch.duration(a, b), dense.duration(a, b), "seconds {a} -> {b}");
            assert_eq!(is_unreachable(ch.distance(a, b)), is_unreachable(dense.distance(a, b)));
            unreachable += usize::from(is_unreachable(dense.distance(a, b)));
        }
    }
    (n * n, unreachable)
}

/// The sparse oracle (`k` neighbours, `depots` depots) against the dense
/// one: its exact answers agree before resolving; after `resolve_exact` of
/// every pair, all answers are exact and agree. Returns how many pairs were
/// estimated before.
fn assert_sparse_resolves_to_dense(dense: &RoadOracle, sparse: &SparseRoadOracle) -> usize {
    let n = dense.num_locations();
    assert_eq!(sparse.snaps(), dense.snaps());
    let mut all = Vec::new();
    let mut estimated = 0;
    for a in 0..n {
        for b in 0..n {
            if sparse.is_exact(a, b) {
                assert_eq!(sparse.distance(a, b), dense.distance(a, b), "distance {a} -> {b}");
                assert_eq!(sparse.duration_ms(a, b), dense.duration_ms(a, b), "time {a} -> {b}");
            } else {
                estimated += 1;
            }
            all.push((a, b));
        }
    }
    sparse.resolve_exact(&all);
    for a in 0..n {
        for b in 0..n {
            assert!(sparse.is_exact(a, b), "{a} -> {b} still estimated");
            assert_eq!(sparse.distance(a, b), dense.distance(a, b), "distance {a} -> {b}");
            assert_eq!(sparse.duration_ms(a, b), dense.duration_ms(a, b), "time {a} -> {b}");
            assert_eq!(sparse.duration(a, b), dense.duration(a, b), "seconds {a} -> {b}");
        }
    }
    estimated
}

#[test]
fn ch_equals_dense_on_north_bayreuth() -> Result<()> {
    let net = north_bayreuth_roads();
    let locs = locations(&net, 230);
    assert!(locs.len() >= 300);
    let dense = RoadOracle::new(&net, &locs)?;
    let ch = ChRoadOracle::new(&net, &locs)?;
    let (pairs, unreachable) = assert_same(&dense, &ch);
    eprintln!(
        "{pairs} pairs identical ({unreachable} unreachable); hierarchy {} arcs over {} junctions",
        ch.hierarchy().num_arcs(),
        net.num_junctions()
    );
    // Snapping prefers the main component, so here every pair is reachable;
    // unreachable pairs are covered by the random networks below.
    assert_eq!(unreachable, 0);

    // A rectangular table over a subset equals the oracle's answers.
    let sources: Vec<usize> = (0..locs.len()).step_by(7).collect();
    let targets: Vec<usize> = (3..locs.len()).step_by(5).chain([0, 0]).collect();
    let t = ch.table(&sources, &targets)?;
    assert_eq!((t.num_sources(), t.num_targets()), (sources.len(), targets.len()));
    for (i, &a) in sources.iter().enumerate() {
        for (j, &b) in targets.iter().enumerate() {
            assert_eq!(t.distance(i, j), dense.distance(a, b));
            assert_eq!(t.duration_ms(i, j), dense.duration_ms(a, b));
        }
    }
    Ok(())
}

#[test]
fn point_queries_equal_the_table_on_north_bayreuth() -> Result<()> {
    let net = north_bayreuth_roads();
    let ch = RoadCh::new(&net)?;
    let nodes: Vec<u32> = (0..net.num_junctions() as u32).step_by(23).collect();
    let table = ch.many_to_many(&nodes, &nodes);
    let mut reachable = 0;
    for (i, &s) in nodes.iter().enumerate() {
        for (j, &t) in nodes.iter().enumerate() {
            let q = ch.query(s, t);
            assert_eq!(q, table[i * nodes.len() + j], "{s} -> {t}");
            reachable += usize::from(q.is_some());
        }
    }
    assert!(reachable > 0);
    // Out-of-range junctions are unreachable, not a panic.
    let big = net.num_junctions() as u32;
    assert_eq!(ch.query(0, big), None);
    assert_eq!(ch.many_to_many(&[big], &[0, big]), vec![None, None]);
    Ok(())
}

#[test]
fn dense_sparse_and_ch_agree_on_north_bayreuth() -> Result<()> {
    let net = north_bayreuth_roads();
    let locs = locations(&net, 150);
    let dense = RoadOracle::new(&net, &locs)?;
    let ch = ChRoadOracle::new(&net, &locs)?;
    assert_same(&dense, &ch);
    // k = 4 leaves most pairs estimated; resolving them through the
    // hierarchy gives the dense figures, as resolving them by Dijkstra does.
    let with_ch = SparseRoadOracle::new(&net, &locs, 2, 4)?.with_hierarchy(RoadCh::new(&net)?)?;
    assert!(with_ch.hierarchy().is_some());
    let estimated = assert_sparse_resolves_to_dense(&dense, &with_ch);
    assert!(estimated > locs.len() * locs.len() / 2, "{estimated}");
    assert_eq!(with_ch.resolved_pairs(), estimated);
    let plain = SparseRoadOracle::new(&net, &locs, 2, 4)?;
    assert!(plain.hierarchy().is_none());
    assert_eq!(assert_sparse_resolves_to_dense(&dense, &plain), estimated);
    // A hierarchy of another network is refused.
    let other = RoadCh::new(&RoadNetwork::new())?;
    assert!(matches!(
        SparseRoadOracle::new(&net, &locs, 2, 4)?.with_hierarchy(other),
        Err(Error::InvalidProblem(_))
    ));
    Ok(())
}

#[test]
fn ch_pairs_equal_point_queries() -> Result<()> {
    let net = north_bayreuth_roads();
    let ch = RoadCh::new(&net)?;
    let n = net.num_junctions() as u32;
    // Unsorted, repeated and out-of-range pairs.
    let pairs: Vec<(u32, u32)> = (0..3000u32)
        .map(|i| ((i * 7919) % n, (i * 104_729 + 11) % n))
        .chain([(0, n), (n, 0), (5, 5), (5, 5)])
        .collect();
    let got = ch.pairs(&pairs);
    assert_eq!(got.len(), pairs.len());
    for (&(s, t), &c) in pairs.iter().zip(&got) {
        assert_eq!(c, ch.query(s, t), "{s} -> {t}");
    }
    assert!(got.iter().filter(|c| c.is_some()).count() > 1000);
    assert_eq!(got[got.len() - 4..], [None, None, Some((0, 0)), Some((0, 0))]);
    assert!(ch.pairs(&[]).is_empty());
    Ok(())
}

/// A `side × side` grid with varied speeds and some one-way streets.
fn grid(side: usize) -> Result<RoadNetwork> {
    let mut net = RoadNetwork::new();
    for r in 0..side {
        for c in 0..side {
            net.add_junction((r * side + c) as i64, 11.0 + c as f64 * 0.004, 50.0 + r as f64 * 0.003)?;
        }
    }
    for r in 0..side {
        for c in 0..side {
            for (r2, c2) in [(r, c + 1), (r + 1, c)] {
                if r2 < side && c2 < side {
                    let h = (r * 31 + c * 17 + r2 * 7) % 23;
                    let (a, b) = ((r * side + c) as i64, (r2 * side + c2) as i64);
                    let speed = [20.0, 30.0, 50.0, 70.0, 100.0][h % 5];
                    net.add_segment(a, b, 300.0 + 13.0 * h as f64, RoadClass::Other, Some(speed), h == 3)?;
                }
            }
        }
    }
    Ok(net)
}

#[test]
fn hierarchy_does_not_depend_on_thread_count() -> Result<()> {
    let with_threads = |net: &RoadNetwork, threads: usize| -> Result<RoadCh> {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| Error::InvalidConfig(e.to_string()))?
            .install(|| RoadCh::new(net))
    };
    for net in [north_bayreuth_roads(), grid(40)?] {
        let one = with_threads(&net, 1)?;
        for threads in [2, 3] {
            let many = with_threads(&net, threads)?;
            assert_eq!(one.ranks(), many.ranks());
            assert_eq!(one.num_arcs(), many.num_arcs());
            assert!(one == many, "hierarchies differ with {threads} threads");
        }
        // And the same tables, whatever the thread count.
        let nodes: Vec<u32> = (0..net.num_junctions() as u32).step_by(17).collect();
        let table = one.many_to_many(&nodes, &nodes);
        let again = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .map_err(|e| Error::InvalidConfig(e.to_string()))?
            .install(|| one.many_to_many(&nodes, &nodes));
        assert_eq!(table, again);
    }
    Ok(())
}

#[test]
fn huge_weights_take_the_unpacked_path_and_stay_exact() -> Result<()> {
    // 700 km at 1 km/h: 2.52e9 ms per segment, above the packed 2^31.
    let mut net = grid(6)?;
    net.add_junction(1000, 12.0, 50.0)?;
    net.add_junction(1001, 12.5, 50.0)?;
    net.add_segment(0, 1000, 700_000.0, RoadClass::Other, Some(1.0), false)?;
    net.add_segment(1000, 1001, 700_000.0, RoadClass::Other, Some(1.0), false)?;
    net.add_segment(1001, 35, 1000.0, RoadClass::Other, Some(50.0), true)?;
    let locs: Vec<Location> = net
        .junctions()
        .map(|j| Location::Geo {
            lon: j.lon + 0.0001,
            lat: j.lat,
        })
        .collect();
    let dense = RoadOracle::new(&net, &locs)?;
    let ch = ChRoadOracle::new(&net, &locs)?;
    assert_same(&dense, &ch);
    let h = ch.hierarchy();
    let far = h.query(36, 37).map(|c| c.0);
    assert_eq!(far, Some(2_520_000_000));
    Ok(())
}

#[test]
fn build_oracle_with_selects_the_ch() -> Result<()> {
    let net = north_bayreuth_roads();
    let locs = locations(&net, 30);
    let mut b = ProblemBuilder::new("nb").travel(TravelSpec::Roads(Arc::new(net.clone())));
    b = b.depot("D", locs[0]);
    let spec: VehicleTypeSpec = serde_json::from_value(serde_json::json!({
        "id": "van", "depot": "D", "capacity": 100,
    }))
    .map_err(|e| Error::InvalidConfig(e.to_string()))?;
    b = b.vehicle_type(spec);
    for (i, &l) in locs[1..].iter().enumerate() {
        b = b.town(format!("T{i}"), l, 1.0, 60.0);
    }
    let problem = b.build()?;
    let dense = RoadOracle::new(&net, &locs)?;
    // Auto from `ch_road_from` locations: the hierarchy, the dense figures.
    let auto_ch = OracleOptions {
        ch_road_from: locs.len(),
        ..OracleOptions::default()
    };
    let forced = |kind| OracleOptions {
        road_oracle: kind,
        ..OracleOptions::default()
    };
    for options in [
        forced(RoadOracleKind::Ch),
        forced(RoadOracleKind::Dense),
        forced(RoadOracleKind::SparseCh),
        auto_ch,
    ] {
        let o = build_oracle_with(&problem, &options)?;
        let n = o.num_locations();
        assert_eq!(n, locs.len());
        let all: Vec<(usize, usize)> = (0..n).flat_map(|a| (0..n).map(move |c| (a, c))).collect();
        o.resolve_exact(&all);
        for a in 0..n {
            for c in 0..n {
                assert_eq!(o.distance(a, c), dense.distance(a, c));
                assert_eq!(o.duration(a, c), dense.duration(a, c));
            }
        }
    }
    Ok(())
}

#[test]
fn table_rejects_bad_indices() -> Result<()> {
    let net = north_bayreuth_roads();
    let locs = locations(&net, 5);
    let ch = ChRoadOracle::new(&net, &locs)?;
    assert!(matches!(ch.table(&[0], &[locs.len()]), Err(Error::InvalidProblem(_))));
    let empty = ch.table(&[], &[0, 1])?;
    assert_eq!(empty.num_sources(), 0);
    assert!(is_unreachable(empty.distance(0, 0)));
    assert!(matches!(
        ChRoadOracle::new(&RoadNetwork::new(), &locs),
        Err(Error::InvalidProblem(_))
    ));
    Ok(())
}

/// A random network: `n` junctions near (11°, 50°) and segments
/// `(from, to, length, speed, one-way)`; locations near random junctions.
fn random_net(coords: &[(f64, f64)], segments: &[(usize, usize, f64, f64, bool)]) -> Result<RoadNetwork> {
    let mut net = RoadNetwork::new();
    for (i, &(dx, dy)) in coords.iter().enumerate() {
        net.add_junction(i as i64, 11.0 + dx, 50.0 + dy)?;
    }
    for &(a, b, len, speed, oneway) in segments {
        let (a, b) = (a % coords.len(), b % coords.len());
        net.add_segment(a as i64, b as i64, len, RoadClass::Other, Some(speed), oneway)?;
    }
    Ok(net)
}

#[test]
fn random_networks_meet_unreachable_pairs() {
    // The same generator as below, one fixed case: two junctions, no road.
    let net = random_net(&[(0.0, 0.0), (0.1, 0.0)], &[]).expect("valid network");
    let locs = [
        Location::Geo { lon: 11.0, lat: 50.0 },
        Location::Geo { lon: 11.1, lat: 50.0 },
    ];
    let dense = RoadOracle::new(&net, &locs).expect("dense builds");
    let ch = ChRoadOracle::new(&net, &locs).expect("ch builds");
    assert_eq!(assert_same(&dense, &ch), (4, 2));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn ch_equals_dense_on_random_networks(
        coords in prop::collection::vec((0.0..0.2f64, 0.0..0.1f64), 2..60),
        segments in prop::collection::vec(
            // Few distinct lengths and speeds: equal-time paths of different
            // lengths happen, so the tie-break is exercised; 700 km at 1 km/h
            // exceeds the packed costs of the table (the unpacked path).
            (0usize..60, 0usize..60, prop::sample::select(vec![0.0, 100.0, 250.0, 500.0, 1000.0, 1234.5, 700_000.0]),
             prop::sample::select(vec![1.0, 10.0, 30.0, 36.0, 50.0, 90.0]), prop::bool::weighted(0.3)),
            0..150),
        picks in prop::collection::vec((0usize..60, -0.002..0.002f64, -0.002..0.002f64), 1..40),
        depots in 0usize..3,
        k in 1usize..6,
    ) {
        let net = random_net(&coords, &segments).expect("valid network");
        let locs: Vec<Location> = picks
            .iter()
            .map(|&(j, dx, dy)| {
                let (x, y) = coords[j % coords.len()];
                Location::Geo { lon: 11.0 + x + dx, lat: 50.0 + y + dy }
            })
            .collect();
        let dense = RoadOracle::new(&net, &locs).expect("dense builds");
        let ch = ChRoadOracle::new(&net, &locs).expect("ch builds");
        assert_same(&dense, &ch);
        // The sparse oracle, resolved through the hierarchy, agrees too.
        let sparse = SparseRoadOracle::new(&net, &locs, depots.min(locs.len()), k)
            .expect("sparse builds")
            .with_hierarchy(ch.hierarchy().clone())
            .expect("same network");
        assert_sparse_resolves_to_dense(&dense, &sparse);
        // Point queries agree with the junction table and the pair query.
        let h = ch.hierarchy();
        let nodes: Vec<u32> = (0..net.num_junctions() as u32).collect();
        let table = h.many_to_many(&nodes, &nodes);
        let all: Vec<(u32, u32)> = nodes.iter().flat_map(|&s| nodes.iter().map(move |&t| (s, t))).collect();
        prop_assert_eq!(&h.pairs(&all), &table);
        for &s in &nodes {
            for &t in &nodes {
                prop_assert_eq!(h.query(s, t), table[s as usize * nodes.len() + t as usize]);
            }
        }
    }
}
