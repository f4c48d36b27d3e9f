//! Distances from the backend's own routing engine: the caller already has
//! a distance and duration matrix (from OSRM, Valhalla, a database...) and
//! hands it over in code. Locations are only for maps; the matrix rules.
//!
//! `cargo run --release --example own_matrix`

use backroads::model::{Location, ProblemBuilder, TravelSpec, VehicleTypeSpec};
use backroads::solver::SolverConfig;
use backroads::{Outcome, plan};

/// Rows of a matrix; `None` = no road between the two.
type Matrix = Vec<Vec<Option<f64>>>;

/// Stands in for a call to the backend's routing engine: metres and seconds
/// between all locations, depot first. `None` = no road between the two.
fn matrices_from_routing_engine(points: &[(f64, f64)]) -> (Matrix, Matrix) {
    let n = points.len();
    let mut metres = vec![vec![Some(0.0); n]; n];
    let mut seconds = vec![vec![Some(0.0); n]; n];
    for i in 0..n {
        for j in 0..n {
            let (dx, dy) = (points[i].0 - points[j].0, points[i].1 - points[j].1);
            // Winding roads: 1.4 × the straight line, uphill (north) slower.
            let d = 1.4 * (dx * dx + dy * dy).sqrt();
            metres[i][j] = Some(d.round());
            let climb = if points[j].1 > points[i].1 { 1.2 } else { 1.0 };
            seconds[i][j] = Some((d / 13.9 * climb).round()); // about 50 km/h
        }
    }
    // The island village has no road from the others.
    for i in 0..n - 1 {
        metres[i][n - 1] = None;
        metres[n - 1][i] = None;
        seconds[i][n - 1] = None;
        seconds[n - 1][i] = None;
    }
    (metres, seconds)
}

fn main() -> Result<(), backroads::Error> {
    let points = [
        (0.0, 0.0),
        (8_000.0, 1_000.0),
        (9_000.0, 7_000.0),
        (-4_000.0, 6_000.0),
        (-6_000.0, -5_000.0),
        (50_000.0, 50_000.0),
    ];
    let (distances, durations) = matrices_from_routing_engine(&points);
    let at = |i: usize| Location::Planar {
        x: points[i].0,
        y: points[i].1,
    };
    let problem = ProblemBuilder::new("own matrix")
        .depot("depot", at(0))
        .town("farm-a", at(1), 5.0, 300.0)
        .town("farm-b", at(2), 5.0, 300.0)
        .town("farm-c", at(3), 5.0, 300.0)
        .town("farm-d", at(4), 5.0, 300.0)
        .town("island", at(5), 5.0, 300.0)
        .vehicle_type(VehicleTypeSpec {
            count: Some(1),
            ..VehicleTypeSpec::new("van", "depot", 20.0)
        })
        .travel(TravelSpec::Matrix {
            distances,
            durations: Some(durations),
        })
        .build()?;
    let config = SolverConfig {
        iterations: Some(500),
        ..SolverConfig::default()
    };
    let outcome = plan(&problem, &config)?;
    let Outcome::Day(solved) = &outcome else {
        unreachable!("a single-day problem")
    };
    let s = &solved.solution;
    let oracle = backroads::distance::build_oracle(&problem)?;
    assert!(outcome.check(&problem, oracle.as_ref()).feasible);
    // The island has no road: it is unassigned, and the reason says so.
    assert_eq!(s.unassigned.len(), 1);
    println!("unassigned {}: {}", s.unassigned[0].town, s.unassigned[0].reason);
    let route: Vec<&str> = s.routes[0].stops.iter().map(|x| x.town.as_str()).collect();
    println!(
        "route: depot → {} → depot, {} m, {} s",
        route.join(" → "),
        s.routes[0].distance,
        s.routes[0].duration_s
    );
    Ok(())
}
