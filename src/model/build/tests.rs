//! Validation of specs: refusals by name, and linear time on many depots.

use crate::error::{Error, Result};
use crate::model::{
    DepotSpec, Location, Problem, ProblemBuilder, ProblemSpec, TownSpec, TownsCsvSpec, TravelSpec, VehicleTypeSpec,
};

fn van(speed_kmh: f64) -> VehicleTypeSpec {
    VehicleTypeSpec {
        id: "v".into(),
        depot: "d".into(),
        count: None,
        capacity: (10.0).into(),
        speed_kmh,
        ..VehicleTypeSpec::default()
    }
}

fn planar(x: f64, y: f64) -> Location {
    Location::Planar { x, y }
}

fn invalid_field(r: Result<Problem>) -> &'static str {
    match r {
        Err(Error::InvalidValue { field, .. }) => field,
        other => panic!("expected InvalidValue, got {other:?}"),
    }
}

#[test]
fn a_town_with_a_depot_id_is_refused() {
    let r = ProblemBuilder::new("p")
        .depot("d", planar(0.0, 0.0))
        .town("d", planar(1.0, 1.0), 1.0, 0.0)
        .vehicle_type(van(60.0))
        .build();
    match r {
        Err(e @ Error::DuplicateId { .. }) => assert!(e.to_string().contains("'d'"), "{e}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn specs_naming_files_are_refused_without_reading_them() {
    let base = || {
        ProblemBuilder::new("p")
            .depot("d", Location::Geo { lon: 11.5, lat: 50.0 })
            .town("t", Location::Geo { lon: 11.6, lat: 50.0 }, 1.0, 0.0)
            .vehicle_type(van(60.0))
    };
    let mut with_csv = base().spec;
    with_csv.towns_csv = Some(TownsCsvSpec {
        path: "/proc/self/environ".into(),
        default_demand: 0.0,
        default_service_time_s: 0.0,
    });
    let roads = base().travel(TravelSpec::RoadNetwork {
        nodes_csv: "/dev/zero".into(),
        edges_csv: "/dev/zero".into(),
    });
    for r in [Problem::from_spec(with_csv), roads.build()] {
        match r {
            Err(Error::InvalidProblem(m)) => assert!(m.contains("backroads::io"), "{m}"),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn planar_coordinates_beyond_1e9_are_refused() {
    let b = |x: f64, y: f64| {
        ProblemBuilder::new("p")
            .depot("d", planar(0.0, 0.0))
            .town("t", planar(x, y), 1.0, 0.0)
            .vehicle_type(van(60.0))
    };
    assert!(b(1e9, -1e9).build().is_ok());
    assert_eq!(invalid_field(b(1e300, 0.0).build()), "x");
    assert_eq!(invalid_field(b(0.0, -1.000_001e9).build()), "y");
    assert_eq!(invalid_field(b(f64::NAN, 0.0).build()), "x");
    match b(0.0, 1e10).build() {
        Err(e @ Error::InvalidValue { .. }) => {
            let msg = e.to_string();
            assert!(msg.contains("town 't'") && msg.contains("1e9"), "{msg}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn tiny_speeds_and_huge_circuity_are_refused() {
    let b = |speed: f64| {
        ProblemBuilder::new("p")
            .depot("d", planar(0.0, 0.0))
            .town("t", planar(1.0, 1.0), 1.0, 0.0)
            .vehicle_type(van(speed))
    };
    // 5.8e-164 km/h once made travel times saturate at i64::MAX and the
    // solver's sums overflow.
    for speed in [5.8e-164, 0.0999, 0.0, -1.0, f64::INFINITY] {
        assert_eq!(invalid_field(b(speed).build()), "speed_kmh", "{speed}");
    }
    assert!(b(0.1).build().is_ok());
    assert!(b(1e300).build().is_ok());
    let geo = |circuity: f64| {
        ProblemBuilder::new("g")
            .depot("d", Location::Geo { lon: 0.0, lat: 0.0 })
            .town("t", Location::Geo { lon: 1.0, lat: 1.0 }, 1.0, 0.0)
            .vehicle_type(van(60.0))
            .travel(TravelSpec::Haversine { circuity })
            .build()
    };
    assert!(geo(100.0).is_ok());
    assert_eq!(invalid_field(geo(100.5)), "circuity");
    assert_eq!(invalid_field(geo(1e300)), "circuity");
}

#[test]
fn matrix_shape_is_checked_before_reserving_n_squared() {
    // 100,001 locations and as many empty rows: reserving n² entries
    // first would ask for 80 GB and abort the process.
    let n = 100_000;
    let mut b = ProblemBuilder::new("m").depot("d", planar(0.0, 0.0));
    for i in 0..n {
        b = b.town(i.to_string(), planar(0.0, 0.0), 1.0, 0.0);
    }
    let b = b.vehicle_type(van(60.0)).travel(TravelSpec::Matrix {
        distances: vec![Vec::new(); n + 1],
        durations: None,
    });
    match b.build() {
        Err(Error::InvalidProblem(m)) => assert!(m.contains("row 0 has 0 entries"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn many_depots_and_vehicle_types_build_in_linear_time() {
    // 50,000 depots each with a vehicle type: a scan per vehicle type
    // (2.5e9 comparisons) made this take minutes.
    let k = 50_000;
    let mut spec = ProblemSpec {
        name: "many".into(),
        ..Default::default()
    };
    for i in 0..k {
        spec.depots.push(DepotSpec {
            id: format!("d{i}"),
            name: String::new(),
            location: planar(i as f64, 0.0),
            hours: None,
        });
        let mut v = van(60.0);
        v.id = format!("v{i}");
        v.depot = format!("d{}", k - 1 - i);
        spec.fleet.push(v);
    }
    spec.towns.push(TownSpec {
        name: String::new(),
        ..TownSpec::new("t", planar(1.0, 1.0), 1.0)
    });
    let start = std::time::Instant::now();
    let p = Problem::from_spec(spec).unwrap();
    assert_eq!(p.fleet[0].depot, k - 1);
    assert!(start.elapsed().as_secs_f64() < 3.0, "{:?}", start.elapsed());
}
