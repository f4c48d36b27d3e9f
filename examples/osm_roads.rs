//! Road routing from an OpenStreetMap extract: the problem names a
//! `.osm.pbf` file (drivable ways, speeds from road class and `maxspeed`,
//! one-way streets) and asks for the extract's villages as delivery stops;
//! distances and times are fastest paths over those roads.
//!
//! `cargo run --release --example osm_roads` (feature `osm`, on by default)

use backroads::distance::build_oracle;
use backroads::io::read_problem_file;
use backroads::model::Travel;
use backroads::solver::SolverConfig;
use backroads::{Outcome, plan_observed, solver::Unobserved};
use std::path::Path;

fn main() -> Result<(), backroads::Error> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data/north_bayreuth_osm.json");
    // Files a problem names are read only from inside its own folder.
    let problem = read_problem_file(&path)?;
    let Travel::Roads(network) = &problem.travel else {
        unreachable!("an OSM problem travels on its roads")
    };
    eprintln!(
        "{}: {} junctions, {} road segments, {} stops",
        problem.name,
        network.num_junctions(),
        network.num_segments(),
        problem.towns.len()
    );

    // One oracle for solving and checking: fastest paths from every stop.
    let oracle = build_oracle(&problem)?;
    let config = SolverConfig {
        seed: 1,
        iterations: Some(3_000),
        ..SolverConfig::default()
    };
    let Outcome::Day(solved) = plan_observed(&problem, oracle.as_ref(), &config, &Unobserved)? else {
        unreachable!("a single-day problem")
    };
    let s = &solved.solution;
    let report = backroads::solution::validate(&problem, oracle.as_ref(), s);
    assert!(report.is_feasible(), "{:?}", report.violations);
    assert!(s.totals.towns_served > 0);
    for u in &s.unassigned {
        eprintln!("unassigned {}: {}", u.town, u.reason);
    }
    println!(
        "{} routes, {:.1} km on the roads, {} stops served, {} unassigned",
        s.routes.len(),
        s.totals.distance as f64 / 1000.0,
        s.totals.towns_served,
        s.unassigned.len()
    );
    Ok(())
}
