//! A solution as a GeoJSON `FeatureCollection` (RFC 7946), for QGIS,
//! geojson.io, Leaflet and friends.
//!
//! Features, in this order, each with a `kind` property:
//!
//! * `"route"` — one `LineString` per route, in route order. With a road
//!   network ([`Travel::Roads`](crate::model::Travel::Roads)) it follows the
//!   fastest road path between consecutive stops, including the straight
//!   access legs between a location and its snapped junction (see
//!   [`route_polylines`]); otherwise it joins the stops with straight lines.
//!   Properties: `route` (0-based index), `vehicle_type`, `vehicle`,
//!   `depot`, `distance`, `duration_s`, `load`, `start_s`, `end_s`, `stops`
//!   (number of stops), and `end_depot` or `open` for a route that does not
//!   end at its depot.
//! * `"stop"` — one `Point` per stop: `town`, `name`, `sequence` (1-based
//!   position in its route), `arrival_s`, `start_s`, `departure_s`,
//!   `load_after`, `demand`, and the route's ids `route`, `vehicle_type`,
//!   `vehicle`, `depot`.
//! * `"depot"` — one `Point` per depot: `depot`, `name`, `routes` (number of
//!   routes starting there).
//! * `"unassigned"` — one `Point` per town not served: `town`, `name`,
//!   `demand`, `reason` (a sentence) and `reason_detail` (the
//!   [`UnassignedReason`](crate::solution::UnassignedReason) as JSON, with
//!   its `kind`).
//!
//! Times are seconds on the problem's clock, distances in the problem's
//! units (metres for geographic problems).
//!
//! The collection also carries three foreign members (allowed by RFC 7946
//! §6.1): `name` (the problem), `coordinates` (`"wgs84"` or `"planar"`) and
//! `totals` (the solution's [`Totals`](crate::solution::Totals)).
//!
//! **Coordinates.** Geographic problems write `[lon, lat]` WGS84 degrees, as
//! GeoJSON requires. Planar problems (CVRPLIB instances) write their `[x, y]`
//! instance units as given: such files are *not* WGS84 and GIS tools will
//! place them somewhere off the coast of Africa; the `coordinates` member
//! says `"planar"`.

use super::geometry::route_polylines;
use crate::distance::TravelOracle;
use crate::error::{Error, Result};
use crate::model::{Location, Problem};
use crate::solution::Solution;
use serde_json::{Value, json};
use std::io::Write;
use std::path::Path;

fn point(l: &Location) -> Value {
    match *l {
        Location::Planar { x, y } => json!([x, y]),
        Location::Geo { lon, lat } => json!([lon, lat]),
    }
}

fn feature(geometry: Value, properties: Value) -> Value {
    json!({ "type": "Feature", "geometry": geometry, "properties": properties })
}

/// The FeatureCollection of `solution` as a JSON value (see the module docs).
///
/// Errors: [`Error::SolutionMismatch`] when a route or an unassigned entry
/// names a depot or town the problem does not have.
pub fn geojson_value(problem: &Problem, oracle: &dyn TravelOracle, solution: &Solution) -> Result<Value> {
    let lines = route_polylines(problem, oracle, solution)?;
    let towns = problem.town_indices();
    let town = |id: &str| {
        towns
            .get(id)
            .map(|&i| &problem.towns[i])
            .ok_or_else(|| Error::SolutionMismatch(format!("unknown town '{id}'")))
    };
    let stops: usize = solution.routes.iter().map(|r| r.stops.len()).sum();
    let mut features =
        Vec::with_capacity(solution.routes.len() + stops + problem.depots.len() + solution.unassigned.len());
    for (i, (route, line)) in solution.routes.iter().zip(&lines).enumerate() {
        let mut coords: Vec<[f64; 2]> = line.iter().map(|&(x, y)| [x, y]).collect();
        // A LineString needs two positions, even for a route that never leaves the depot's spot.
        if let [only] = coords[..] {
            coords.push(only);
        }
        let mut properties = json!({
            "kind": "route",
            "route": i,
            "vehicle_type": route.vehicle_type,
            "vehicle": route.vehicle,
            "depot": route.depot,
            "distance": route.distance,
            "duration_s": route.duration_s,
            "load": route.load,
            "start_s": route.start_s,
            "end_s": route.end_s,
            "stops": route.stops.len(),
        });
        if !route.breaks.is_empty() {
            // The driver's breaks: `[{start_s, end_s, kind}, …]`.
            properties["breaks"] = json!(route.breaks);
        }
        if route.pickup > 0 {
            properties["pickup"] = json!(route.pickup);
        }
        // Where the route ends when not back at its depot.
        if let Some(end) = &route.end_depot {
            properties["end_depot"] = json!(end);
        }
        if route.open {
            properties["open"] = json!(true);
        }
        if !route.reloads.is_empty() {
            // Returns to a depot: `[{before_stop, depot, arrival_s, departure_s}, …]`.
            properties["reloads"] = json!(route.reloads);
        }
        features.push(feature(
            json!({ "type": "LineString", "coordinates": coords }),
            properties,
        ));
    }
    for (i, route) in solution.routes.iter().enumerate() {
        for (k, s) in route.stops.iter().enumerate() {
            let t = town(&s.town)?;
            let mut props = json!({
                    "kind": "stop",
                    "town": s.town,
                    "name": t.name,
                    "sequence": k + 1,
                    "arrival_s": s.arrival_s,
                    "start_s": s.start_s,
                    "departure_s": s.departure_s,
                    "load_after": s.load_after,
                    "demand": t.demand,
                    "route": i,
                    "vehicle_type": route.vehicle_type,
                    "vehicle": route.vehicle,
                    "depot": route.depot,
            });
            if t.pickup > 0 {
                props["pickup"] = json!(t.pickup);
            }
            features.push(feature(
                json!({ "type": "Point", "coordinates": point(&t.location) }),
                props,
            ));
        }
    }
    for d in &problem.depots {
        let routes = solution.routes.iter().filter(|r| r.depot == d.id).count();
        features.push(feature(
            json!({ "type": "Point", "coordinates": point(&d.location) }),
            json!({ "kind": "depot", "depot": d.id, "name": d.name, "routes": routes }),
        ));
    }
    for u in &solution.unassigned {
        let t = town(&u.town)?;
        let detail = serde_json::to_value(&u.reason).unwrap_or(Value::Null);
        features.push(feature(
            json!({ "type": "Point", "coordinates": point(&t.location) }),
            json!({
                "kind": "unassigned",
                "town": u.town,
                "name": t.name,
                "demand": t.demand,
                "reason": u.reason.to_string(),
                "reason_detail": detail,
            }),
        ));
    }
    let geo = problem.depots.iter().map(|d| d.location).any(|l| l.is_geo());
    Ok(json!({
        "type": "FeatureCollection",
        "name": problem.name,
        "coordinates": if geo { "wgs84" } else { "planar" },
        "totals": solution.totals,
        "features": features,
    }))
}

fn write_to(value: &Value, writer: impl Write) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::new(writer);
    serde_json::to_writer(&mut w, value).map_err(std::io::Error::from)?;
    w.write_all(b"\n")?;
    w.flush()
}

/// Writes the FeatureCollection of `solution` (see the module docs) as one
/// line of JSON to `writer`. Errors: [`Error::SolutionMismatch`] (see
/// [`geojson_value`]) or [`Error::Io`] (path `<geojson>`) when writing fails.
pub fn write_geojson(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    solution: &Solution,
    writer: impl Write,
) -> Result<()> {
    let value = geojson_value(problem, oracle, solution)?;
    write_to(&value, writer).map_err(|e| Error::io("<geojson>", e))
}

/// Writes the FeatureCollection to the file `path` (created or truncated);
/// I/O errors name `path`.
pub fn write_geojson_file(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    solution: &Solution,
    path: &Path,
) -> Result<()> {
    let value = geojson_value(problem, oracle, solution)?;
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    write_to(&value, file).map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::distance::build_oracle;
    use crate::distance::road_path::test_support::grid_problem;
    use crate::solver::{SolverConfig, solve};

    fn features<'a>(v: &'a Value, kind: &str) -> Vec<&'a Value> {
        v["features"]
            .as_array()
            .expect("features array")
            .iter()
            .filter(|f| f["properties"]["kind"] == kind)
            .collect()
    }

    #[test]
    fn road_problem_round_trips() -> Result<()> {
        let problem = grid_problem();
        let oracle = build_oracle(&problem)?;
        let solution = solve(&problem, &SolverConfig::default())?.solution;
        assert!(!solution.routes.is_empty());
        assert_eq!(solution.unassigned.len(), 1);
        let mut buf = Vec::new();
        write_geojson(&problem, oracle.as_ref(), &solution, &mut buf)?;
        let v: Value = serde_json::from_slice(&buf).expect("valid JSON");
        assert_eq!(v["type"], "FeatureCollection");
        assert_eq!(v["coordinates"], "wgs84");

        let routes = features(&v, "route");
        assert_eq!(routes.len(), solution.routes.len());
        for (f, r) in routes.iter().zip(&solution.routes) {
            assert_eq!(f["geometry"]["type"], "LineString");
            let coords = f["geometry"]["coordinates"].as_array().unwrap();
            // Follows the roads: far more points than stops.
            assert!(coords.len() > r.stops.len() + 2, "{} points", coords.len());
            assert_eq!(f["properties"]["distance"], r.distance);
            assert_eq!(f["properties"]["stops"], r.stops.len());
            assert_eq!(f["properties"]["end_s"], r.end_s);
        }

        let stops = features(&v, "stop");
        let all: Vec<_> = solution
            .routes
            .iter()
            .enumerate()
            .flat_map(|(i, r)| r.stops.iter().map(move |s| (i, s)))
            .collect();
        assert_eq!(stops.len(), all.len());
        for (f, (i, s)) in stops.iter().zip(&all) {
            assert_eq!(f["geometry"]["type"], "Point");
            assert_eq!(f["properties"]["town"], s.town.as_str());
            assert_eq!(f["properties"]["arrival_s"], s.arrival_s);
            assert_eq!(f["properties"]["departure_s"], s.departure_s);
            assert_eq!(f["properties"]["route"], *i);
        }
        let named = stops.iter().find(|f| f["properties"]["town"] == "t2");
        assert_eq!(
            named.map(|f| &f["properties"]["name"]),
            Some(&json!("Oak & Ash <Farm>"))
        );

        assert_eq!(features(&v, "depot").len(), 1);
        let un = features(&v, "unassigned");
        assert_eq!(un.len(), 1);
        assert_eq!(un[0]["properties"]["town"], "far");
        assert!(un[0]["properties"]["reason"].as_str().is_some_and(|r| !r.is_empty()));
        assert!(un[0]["properties"]["reason_detail"]["kind"].is_string());
        Ok(())
    }

    #[test]
    fn planar_problem_uses_straight_lines() -> Result<()> {
        let problem = crate::distance::road_path::test_support::planar_pair(1.0);
        let oracle = build_oracle(&problem)?;
        let solution = solve(&problem, &SolverConfig::default())?.solution;
        let v = geojson_value(&problem, oracle.as_ref(), &solution)?;
        assert_eq!(v["coordinates"], "planar");
        let routes = features(&v, "route");
        assert_eq!(routes[0]["geometry"]["coordinates"].as_array().map(Vec::len), Some(4));
        Ok(())
    }

    #[test]
    fn write_errors_are_typed() -> Result<()> {
        let problem = grid_problem();
        let oracle = build_oracle(&problem)?;
        let solution = solve(&problem, &SolverConfig::default())?.solution;
        let r = write_geojson_file(
            &problem,
            oracle.as_ref(),
            &solution,
            Path::new("/nonexistent/dir/out.geojson"),
        );
        assert!(matches!(r, Err(Error::Io { ref path, .. }) if path.ends_with("out.geojson")));
        let mut bad = solution.clone();
        bad.unassigned[0].town = "ghost".into();
        assert!(matches!(
            write_geojson(&problem, oracle.as_ref(), &bad, Vec::new()),
            Err(Error::SolutionMismatch(_))
        ));
        Ok(())
    }
}
