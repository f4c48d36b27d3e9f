//! The solver end to end on the sparse road oracle (forced on a small
//! network with an island and a one-way trap, and chosen by `solve` itself
//! above the dense threshold): every solution validates. The networks are
//! the same deterministic grids as the oracle's own unit tests.

use backroads::distance::{OracleOptions, SPARSE_ROAD_ABOVE, build_oracle, build_oracle_with};
use backroads::model::{Location, Problem, ProblemBuilder, RoadClass, RoadNetwork, TravelSpec, VehicleTypeSpec};
use backroads::solution::validate;
use backroads::solver::{SavingsParams, SolverConfig, solve, solve_with_oracle};
use backroads::{Error, Result};
use geo::{Distance, Haversine, Point};
use std::sync::Arc;

/// Deterministic hash of `x` to `[0, 1)` (splitmix64).
fn unit(x: u64) -> f64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

const LON0: f64 = 10.0;
const LAT0: f64 = 50.0;
const DLON: f64 = 0.005; // ~358 m at 50°N
const DLAT: f64 = 0.003; // ~334 m

/// A `cols × rows` grid of junctions (ids `r * cols + c`): roads of
/// varied class and winding (length 1–1.4 × straight), every 20th
/// segment missing, every 9th one-way. Row 0 and column 0 are two-way
/// secondaries, so the grid stays strongly connected around the gaps.
/// With `one_way = false` every road is two-way (a symmetric network).
fn grid(cols: usize, rows: usize, one_way: bool) -> Result<RoadNetwork> {
    let mut net = RoadNetwork::new();
    let id = |r: usize, c: usize| (r * cols + c) as i64;
    for r in 0..rows {
        for c in 0..cols {
            net.add_junction(id(r, c), LON0 + c as f64 * DLON, LAT0 + r as f64 * DLAT)?;
        }
    }
    let mut seg = 0u64;
    for r in 0..rows {
        for c in 0..cols {
            for (r2, c2) in [(r, c + 1), (r + 1, c)] {
                if r2 >= rows || c2 >= cols {
                    continue;
                }
                seg += 1;
                let spine = r == 0 || c == 0;
                let h = unit(seg);
                if !spine && h < 0.05 {
                    continue;
                }
                let straight = Haversine.distance(
                    Point::new(LON0 + c as f64 * DLON, LAT0 + r as f64 * DLAT),
                    Point::new(LON0 + c2 as f64 * DLON, LAT0 + r2 as f64 * DLAT),
                );
                let length = straight * (1.0 + 0.4 * unit(seg ^ 0xabcd));
                let class = if spine || r % 10 == 5 {
                    RoadClass::Secondary
                } else if h < 0.3 {
                    RoadClass::Track
                } else if h < 0.6 {
                    RoadClass::Unclassified
                } else {
                    RoadClass::Tertiary
                };
                let oneway = one_way && !spine && seg.is_multiple_of(9);
                let (a, b) = if unit(seg ^ 0x77) < 0.5 {
                    (id(r, c), id(r2, c2))
                } else {
                    (id(r2, c2), id(r, c))
                };
                net.add_segment(a, b, length, class, None, oneway)?;
            }
        }
    }
    Ok(net)
}

/// `count` locations near pseudo-random grid junctions (up to ~100 m off).
fn scatter(cols: usize, rows: usize, count: usize, salt: u64) -> Vec<Location> {
    (0..count as u64)
        .map(|i| {
            let c = (unit(i ^ salt) * cols as f64) as usize;
            let r = (unit(i.wrapping_mul(31) ^ salt ^ 0x5555) * rows as f64) as usize;
            Location::Geo {
                lon: LON0 + c as f64 * DLON + (unit(i ^ 0x1111) - 0.5) * 0.0014,
                lat: LAT0 + r as f64 * DLAT + (unit(i ^ 0x2222) - 0.5) * 0.0014,
            }
        })
        .collect()
}

const COLS: usize = 60;
const ROWS: usize = 50;
const DEPOTS: usize = 3;

/// The test network (3,000 grid junctions) plus an island of four
/// junctions 0.5° west and a one-way trap junction `T` 2 km north of
/// the grid, whose only road leaves it. Locations: 3 depots, 300
/// towns, one on the island (last but one) and one at `T` (last).
fn fixture() -> Result<(RoadNetwork, Vec<Location>)> {
    let mut net = grid(COLS, ROWS, true)?;
    for (i, (dx, dy)) in [(0.0, 0.0), (0.01, 0.0), (0.01, 0.01), (0.0, 0.01)]
        .into_iter()
        .enumerate()
    {
        net.add_junction(900_000 + i as i64, LON0 - 0.5 + dx, LAT0 + dy)?;
    }
    for (a, b) in [(0, 1), (1, 2), (2, 3), (3, 0)] {
        net.add_segment(900_000 + a, 900_000 + b, 800.0, RoadClass::Unclassified, None, false)?;
    }
    let top = LAT0 + (ROWS - 1) as f64 * DLAT;
    net.add_junction(800_000, LON0 + 10.0 * DLON, top + 0.018)?;
    net.add_segment(
        800_000,
        ((ROWS - 1) * COLS + 10) as i64,
        2100.0,
        RoadClass::Track,
        None,
        true,
    )?;
    let mut locs = scatter(COLS, ROWS, DEPOTS + 300, 7);
    locs.push(Location::Geo {
        lon: LON0 - 0.5 + 0.005,
        lat: LAT0 + 0.0001,
    });
    locs.push(Location::Geo {
        lon: LON0 + 10.0 * DLON,
        lat: top + 0.0181,
    });
    Ok((net, locs))
}

fn road_problem(net: RoadNetwork, locs: &[Location], depots: usize) -> Result<Problem> {
    let mut b = ProblemBuilder::new("grid").travel(TravelSpec::Roads(Arc::new(net)));
    for (i, &l) in locs[..depots].iter().enumerate() {
        b = b.depot(format!("D{i}"), l);
    }
    for (i, &l) in locs[depots..].iter().enumerate() {
        b = b.town(format!("T{i}"), l, 1.0 + (i % 5) as f64, 120.0);
    }
    for d in 0..depots {
        let spec: VehicleTypeSpec = serde_json::from_value(serde_json::json!({
            "id": format!("van{d}"),
            "depot": format!("D{d}"),
            "capacity": 60,
            "max_duration_s": 10 * 3600,
        }))
        .map_err(|e| Error::InvalidConfig(e.to_string()))?;
        b = b.vehicle_type(spec);
    }
    b.build()
}

#[test]
fn solve_end_to_end_in_sparse_mode_validates() -> Result<()> {
    let config = SolverConfig {
        seed: 7,
        threads: Some(2),
        iterations: Some(3_000),
        savings_variants: vec![SavingsParams::default()],
        ..SolverConfig::default()
    };
    // Forced sparse mode on the fixture (island and trap towns included).
    let (net, locs) = fixture()?;
    let problem = road_problem(net, &locs, DEPOTS)?;
    let oracle = build_oracle_with(
        &problem,
        &OracleOptions {
            sparse_road_above: 10,
            road_neighbours: 12,
            ..OracleOptions::default()
        },
    )?;
    let solved = solve_with_oracle(&problem, oracle.as_ref(), &config)?;
    let report = validate(&problem, oracle.as_ref(), &solved.solution);
    assert!(report.is_feasible(), "{:?}", report.violations);
    assert!(!solved.plan.routes.is_empty());
    let unassigned: Vec<usize> = solved.plan.unassigned.iter().map(|&(t, _)| t).collect();
    assert_eq!(unassigned, vec![300, 301]); // the island and the trap

    // `solve` itself, above the default threshold (5,000 locations).
    let (cols, rows) = (100, 80);
    let net = grid(cols, rows, true)?;
    let locs = scatter(cols, rows, SPARSE_ROAD_ABOVE + 1, 11);
    let problem = road_problem(net, &locs, 2)?;
    let solved = solve(&problem, &config)?;
    let oracle = build_oracle(&problem)?;
    assert!(oracle.planar_point(1).is_some());
    let report = validate(&problem, oracle.as_ref(), &solved.solution);
    assert!(report.is_feasible(), "{:?}", report.violations);
    assert!(solved.plan.unassigned.is_empty(), "{:?}", solved.plan.unassigned.len());
    Ok(())
}
