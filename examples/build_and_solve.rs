//! Build a problem in code, solve it, validate the routes and print the
//! solution as JSON — the whole embedding in one page.
//!
//! `cargo run --release --example build_and_solve`

use backroads::distance::build_oracle;
use backroads::model::{Location, ProblemBuilder, TimeSpec, TownSpec, VehicleTypeSpec};
use backroads::solution::validate;
use backroads::solver::SolverConfig;
use backroads::{Outcome, plan};

fn main() -> Result<(), backroads::Error> {
    // A depot and five village shops (WGS84 lon/lat); one shop only takes
    // deliveries in the morning.
    let shop = |id: &str, lon: f64, lat: f64, demand: f64| (id.to_string(), Location::Geo { lon, lat }, demand);
    let shops = [
        shop("hollfeld", 11.292, 49.937, 12.0),
        shop("wonsees", 11.301, 49.976, 8.0),
        shop("kasendorf", 11.352, 50.037, 10.0),
        shop("thurnau", 11.393, 50.026, 14.0),
        shop("mistelgau", 11.466, 49.912, 9.0),
    ];
    let mut builder = ProblemBuilder::new("five shops")
        .depot(
            "bayreuth",
            Location::Geo {
                lon: 11.578,
                lat: 49.948,
            },
        )
        .depot_hours(6.0 * 3600.0, 20.0 * 3600.0);
    for (id, location, demand) in shops {
        let mut town = TownSpec::new(id.as_str(), location, demand);
        town.service_time_s = 600.0;
        if id == "thurnau" {
            town.windows = vec![[TimeSpec::Seconds(7.0 * 3600.0), TimeSpec::Seconds(11.0 * 3600.0)]];
        }
        builder = builder.town_spec(town);
    }
    let problem = builder
        .vehicle_type(VehicleTypeSpec {
            count: Some(2),
            max_duration_s: Some(8.0 * 3600.0),
            speed_kmh: 60.0,
            ..VehicleTypeSpec::new("van", "bayreuth", 30.0)
        })
        .build()?;

    // Same seed, thread count and iteration budget: same routes, every run.
    let config = SolverConfig {
        seed: 7,
        threads: Some(1),
        iterations: Some(2_000),
        ..SolverConfig::default()
    };
    let outcome = plan(&problem, &config)?;
    let Outcome::Day(solved) = &outcome else {
        unreachable!("a problem without horizon_days is planned as one day")
    };

    // Never trust, always check: the validator recomputes every figure.
    let oracle = build_oracle(&problem)?;
    let report = validate(&problem, oracle.as_ref(), &solved.solution);
    assert!(report.is_feasible(), "{:?}", report.violations);
    assert_eq!(solved.solution.totals.towns_served, 5);

    for route in &solved.solution.routes {
        let stops: Vec<&str> = route.stops.iter().map(|s| s.town.as_str()).collect();
        eprintln!(
            "{} #{}: {} ({} m)",
            route.vehicle_type,
            route.vehicle,
            stops.join(" → "),
            route.distance
        );
    }
    println!("{}", outcome.to_json());
    Ok(())
}
