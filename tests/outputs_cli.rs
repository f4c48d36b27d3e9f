//! `backroads solve --geojson --svg --schedule`: the three solution outputs
//! written from the command line, on the bundled road-network example.

use std::path::PathBuf;
mod common;

use common::{backroads, stderr};

fn example() -> PathBuf {
    common::example_path("north_bayreuth.json")
}

fn scratch(test: &str) -> PathBuf {
    common::scratch("outputs", test)
}

#[test]
fn solve_writes_geojson_svg_and_schedule() {
    let dir = scratch("all");
    let (geojson, svg, schedule, json) = (
        dir.join("routes.geojson"),
        dir.join("map.svg"),
        dir.join("schedule.csv"),
        dir.join("solution.json"),
    );
    let input = example();
    let o = backroads(&[
        "solve",
        input.to_str().unwrap(),
        "--iterations",
        "2000",
        "--quiet",
        "--geojson",
        geojson.to_str().unwrap(),
        "--svg",
        svg.to_str().unwrap(),
        "--schedule",
        schedule.to_str().unwrap(),
        "--out",
        json.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let solution: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("solution written")).expect("solution JSON");
    let routes = solution["routes"].as_array().expect("routes");
    let stops: usize = routes.iter().map(|r| r["stops"].as_array().map_or(0, Vec::len)).sum();
    assert_eq!(stops, 70);

    // GeoJSON: one LineString per route following the roads, one Point per stop.
    let g: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&geojson).expect("geojson written")).expect("GeoJSON parses");
    assert_eq!(g["type"], "FeatureCollection");
    let features = g["features"].as_array().expect("features");
    let lines: Vec<_> = features
        .iter()
        .filter(|f| f["geometry"]["type"] == "LineString")
        .collect();
    assert_eq!(lines.len(), routes.len());
    for (line, route) in lines.iter().zip(routes) {
        let points = line["geometry"]["coordinates"].as_array().map_or(0, Vec::len);
        let n = route["stops"].as_array().map_or(0, Vec::len);
        assert!(points > n + 2, "{points} points for {n} stops");
    }
    let stop_points: Vec<_> = features.iter().filter(|f| f["properties"]["kind"] == "stop").collect();
    assert_eq!(stop_points.len(), stops);
    let arrivals: Vec<&serde_json::Value> = routes
        .iter()
        .flat_map(|r| r["stops"].as_array().into_iter().flatten())
        .map(|s| &s["arrival_s"])
        .collect();
    for (p, a) in stop_points.iter().zip(arrivals) {
        assert_eq!(&p["properties"]["arrival_s"], a);
    }

    // SVG: a document with one polyline per route.
    let text = std::fs::read_to_string(&svg).expect("svg written");
    assert!(text.starts_with("<svg"));
    assert!(text.trim_end().ends_with("</svg>"));
    assert_eq!(text.matches("<polyline").count(), routes.len());

    // Schedule: one row per stop plus two per route, parsed back.
    let mut rdr = csv::Reader::from_path(&schedule).expect("schedule written");
    assert_eq!(
        rdr.headers().expect("header").iter().collect::<Vec<_>>(),
        [
            "vehicle_type",
            "vehicle",
            "depot",
            "day",
            "stop",
            "town",
            "name",
            "arrival_s",
            "start_s",
            "departure_s",
            "arrival",
            "start",
            "departure",
            "load_after",
            "demand"
        ]
    );
    let rows = rdr.records().collect::<Result<Vec<_>, _>>().expect("rows parse");
    assert_eq!(rows.len(), stops + 2 * routes.len());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn unwritable_output_is_one_error_line() {
    let input = example();
    for flag in ["--geojson", "--svg", "--schedule"] {
        let o = backroads(&[
            "solve",
            input.to_str().unwrap(),
            "--iterations",
            "200",
            "--quiet",
            flag,
            "/nonexistent/dir/out.file",
        ]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{flag}: {err}");
        assert!(!err.contains("panicked"), "{flag}: {err}");
        let errors: Vec<_> = err.lines().filter(|l| l.starts_with("error: ")).collect();
        assert_eq!(errors.len(), 1, "{flag}: {err}");
        assert!(errors[0].contains("/nonexistent/dir/out.file"), "{flag}: {err}");
    }
}
