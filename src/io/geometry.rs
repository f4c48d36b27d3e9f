//! Route geometry for maps and GeoJSON: the polyline a vehicle drives.
//!
//! * `road_polyline`: a visiting sequence of locations as a polyline —
//!   location → its snapped junction (see [`TravelOracle::snaps`]) → the
//!   junction path ([`RoadPaths::path`]) → the next location's junction →
//!   the next location. The straight access legs match the oracle's
//!   access-leg model.
//! * [`route_polylines`]: one polyline per route of a solution, computed in
//!   parallel over routes (rayon). With a road network the polylines follow
//!   the roads; otherwise (or when the oracle has no snaps) they are
//!   straight lines between stops.
//!
//! Coordinates are `(lon, lat)` degrees for geographic problems and `(x, y)`
//! instance units for planar ones.

use crate::distance::road_path::location_xy;
use crate::distance::{RoadPaths, Snap, TravelOracle};
use crate::error::{Error, Result};
use crate::model::{Location, Problem, Travel};
use crate::solution::{Route, Solution};
use rayon::prelude::*;
use std::collections::HashMap;

fn push_point(line: &mut Vec<(f64, f64)>, p: (f64, f64)) {
    if line.last() != Some(&p) {
        line.push(p);
    }
}

/// The polyline, `(lon, lat)`, of a vehicle visiting `sequence` (location
/// indices into `locations` and `snaps`, depots first then towns) over the
/// road network: every leg is location → its junction → fastest junction
/// path → next junction → next location. A leg without a road path
/// (unreachable) is drawn straight. Consecutive repeated points are dropped.
///
/// The caller ([`route_polylines`]) checks every index of `sequence`
/// against `locations` and `snaps` first.
fn road_polyline(paths: &RoadPaths<'_>, locations: &[Location], snaps: &[Snap], sequence: &[usize]) -> Vec<(f64, f64)> {
    let net = paths.network();
    let mut line = Vec::new();
    for (i, &loc) in sequence.iter().enumerate() {
        let here = location_xy(&locations[loc]);
        push_point(&mut line, here);
        let Some(&next) = sequence.get(i + 1) else { break };
        if let Some(junctions) = paths.path(snaps[loc].node, snaps[next].node) {
            for j in junctions.into_iter().filter_map(|j| net.junction(j)) {
                push_point(&mut line, (j.lon, j.lat));
            }
        }
    }
    line
}

/// Location indices of a route: its depot, its stops, its end depot (the
/// same again unless the route states `end_depot`; none for an open route).
/// Errors with [`Error::SolutionMismatch`] on an unknown depot or town id.
pub fn route_sequence(problem: &Problem, route: &Route) -> Result<Vec<usize>> {
    let towns = problem.town_indices();
    route_sequence_in(problem, &towns, route)
}

/// [`route_sequence`] with the town index built once by the caller
/// ([`Problem::town_indices`]).
pub(crate) fn route_sequence_in(problem: &Problem, towns: &HashMap<&str, usize>, route: &Route) -> Result<Vec<usize>> {
    let depot = problem.depot_index(&route.depot).ok_or_else(|| {
        Error::SolutionMismatch(format!(
            "route of {} #{} starts at unknown depot '{}'",
            route.vehicle_type, route.vehicle, route.depot
        ))
    })?;
    let mut seq = Vec::with_capacity(route.stops.len() + 2);
    seq.push(depot);
    for s in &route.stops {
        let t = towns.get(s.town.as_str()).ok_or_else(|| {
            Error::SolutionMismatch(format!(
                "route of {} #{} visits unknown town '{}'",
                route.vehicle_type, route.vehicle, s.town
            ))
        })?;
        seq.push(problem.town_location(*t));
    }
    match (&route.end_depot, route.open) {
        (_, true) => {}
        (None, false) => seq.push(depot),
        (Some(id), false) => seq.push(problem.depot_index(id).ok_or_else(|| {
            Error::SolutionMismatch(format!(
                "route of {} #{} ends at unknown depot '{}'",
                route.vehicle_type, route.vehicle, id
            ))
        })?),
    }
    Ok(seq)
}

/// One polyline per route of `solution`, in route order: following the road
/// network when `problem.travel` is [`Travel::Roads`] and `oracle` reports
/// one snap per location, straight lines between stops otherwise. Routes
/// are processed in parallel. Errors with [`Error::SolutionMismatch`] when a
/// route names an unknown depot or town.
pub fn route_polylines(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    solution: &Solution,
) -> Result<Vec<Vec<(f64, f64)>>> {
    let towns = problem.town_indices();
    let sequences = solution
        .routes
        .iter()
        .map(|r| {
            // The line drives back to the depot at every reload.
            let mut seq = route_sequence_in(problem, &towns, r)?;
            for x in r.reloads.iter().rev() {
                if let Some(d) = problem.depot_index(&x.depot)
                    && x.before_stop < r.stops.len()
                {
                    seq.insert(x.before_stop + 1, d);
                }
            }
            Ok(seq)
        })
        .collect::<Result<Vec<_>>>()?;
    let locations = problem.locations();
    let roads = match (&problem.travel, oracle.snaps()) {
        (Travel::Roads(net), Some(snaps)) if snaps.len() == locations.len() => Some((RoadPaths::new(net), snaps)),
        _ => None,
    };
    Ok(match roads {
        Some((paths, snaps)) => sequences
            .par_iter()
            .map(|seq| road_polyline(&paths, &locations, snaps, seq))
            .collect(),
        None => sequences
            .iter()
            .map(|seq| {
                let mut line = Vec::with_capacity(seq.len());
                for &l in seq {
                    push_point(&mut line, location_xy(&locations[l]));
                }
                line
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::distance::build_oracle;
    use crate::distance::road_path::test_support::grid_problem;
    use crate::solver::{SolverConfig, solve};

    #[test]
    fn route_polylines_follow_the_roads() -> Result<()> {
        let problem = grid_problem();
        let oracle = build_oracle(&problem)?;
        let solved = solve(&problem, &SolverConfig::default())?;
        let lines = route_polylines(&problem, oracle.as_ref(), &solved.solution)?;
        assert_eq!(lines.len(), solved.solution.routes.len());
        for (line, route) in lines.iter().zip(&solved.solution.routes) {
            assert!(line.len() > route.stops.len() + 2, "{line:?}");
            assert_eq!(line.first(), Some(&(11.4999, 49.9999)));
            assert_eq!(line.last(), Some(&(11.4999, 49.9999)));
            // Every stop's own location is on the polyline.
            for s in &route.stops {
                let t = &problem.towns[problem.town_index(&s.town).unwrap()];
                assert!(line.contains(&location_xy(&t.location)), "{}", s.town);
            }
            // Between the access legs, the polyline only moves along grid roads.
            let on_grid = |p: &(f64, f64)| {
                let (c, r) = ((p.0 - 11.5) / 0.01, (p.1 - 50.0) / 0.01);
                (c - c.round()).abs() < 1e-6 && (r - r.round()).abs() < 1e-6
            };
            for w in line.windows(2).filter(|w| on_grid(&w[0]) && on_grid(&w[1])) {
                let moved = ((w[0].0 - w[1].0).abs() > 1e-9) as u8 + ((w[0].1 - w[1].1).abs() > 1e-9) as u8;
                assert_eq!(moved, 1, "{w:?} is not a grid segment");
            }
        }
        Ok(())
    }

    #[test]
    fn straight_lines_without_roads_and_unknown_towns() -> Result<()> {
        let problem = crate::distance::road_path::test_support::planar_pair(1.0);
        let oracle = build_oracle(&problem)?;
        let mut sol = solve(&problem, &SolverConfig::default())?.solution;
        let lines = route_polylines(&problem, oracle.as_ref(), &sol)?;
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].len(), 4);
        assert_eq!(lines[0][0], (0.0, 0.0));
        sol.routes[0].stops[0].town = "nowhere".into();
        assert!(matches!(
            route_polylines(&problem, oracle.as_ref(), &sol),
            Err(Error::SolutionMismatch(m)) if m.contains("nowhere")
        ));
        Ok(())
    }
}
