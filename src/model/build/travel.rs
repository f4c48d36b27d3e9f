//! How travel is measured: the travel spec against the kind of locations,
//! and matrices checked and converted.

use super::checks::{to_count, unread_file};
use crate::error::{Error, Result};
use crate::model::{Travel, TravelSpec};
use std::sync::Arc;

/// Largest haversine circuity factor accepted.
const MAX_CIRCUITY: f64 = 100.0;

fn convert_matrix(name: &'static str, rows: &[Vec<Option<f64>>], n: usize) -> Result<Arc<Vec<Option<u32>>>> {
    if rows.len() != n {
        return Err(Error::InvalidProblem(format!(
            "travel matrix '{name}' has {} rows but the problem has {n} locations (depots first, then towns)",
            rows.len()
        )));
    }
    // Check every row's length before reserving n², which is then known to
    // be the number of entries actually given.
    if let Some((i, row)) = rows.iter().enumerate().find(|(_, r)| r.len() != n) {
        return Err(Error::InvalidProblem(format!(
            "travel matrix '{name}' row {i} has {} entries, expected {n}",
            row.len()
        )));
    }
    let mut out = Vec::with_capacity(n * n);
    for (i, row) in rows.iter().enumerate() {
        for (j, v) in row.iter().enumerate() {
            out.push(match v {
                None => None,
                Some(v) => Some(to_count(
                    &format!("matrix entry [{i}][{j}]"),
                    name,
                    *v,
                    false,
                    u32::MAX as i64 - 1,
                )? as u32),
            });
        }
    }
    Ok(Arc::new(out))
}

/// The checked travel measure over `n` locations (`geo`: geographic
/// locations); absent, Euclidean for planar and haversine for geographic.
pub(super) fn build_travel(given: Option<TravelSpec>, geo: bool, n: usize) -> Result<Travel> {
    let travel_spec = given.unwrap_or(if geo {
        TravelSpec::Haversine { circuity: 1.0 }
    } else {
        TravelSpec::Euclidean
    });
    let travel = match travel_spec {
        TravelSpec::Euclidean => {
            if geo {
                return Err(Error::InvalidProblem(
                    "travel 'euclidean' needs planar (x, y) locations; use 'haversine' for lon/lat".into(),
                ));
            }
            Travel::Euclidean
        }
        TravelSpec::Haversine { circuity } => {
            if !geo {
                return Err(Error::InvalidProblem(
                    "travel 'haversine' needs geographic (lon, lat) locations".into(),
                ));
            }
            if !(circuity.is_finite() && (1.0..=MAX_CIRCUITY).contains(&circuity)) {
                return Err(Error::InvalidValue {
                    owner: "travel".into(),
                    field: "circuity",
                    value: circuity.to_string(),
                    reason: "must be a finite number within 1..=100",
                });
            }
            Travel::Haversine { circuity }
        }
        TravelSpec::Roads(net) => Travel::Roads(net),
        TravelSpec::RoadNetwork { nodes_csv: path, .. } | TravelSpec::Osm { pbf: path, .. } => {
            return Err(unread_file(&path));
        }
        TravelSpec::Matrix { distances, durations } => Travel::Matrix {
            distances: convert_matrix("distances", &distances, n)?,
            durations: durations
                .as_deref()
                .map(|d| convert_matrix("durations", d, n))
                .transpose()?,
        },
    };
    if matches!(travel, Travel::Roads(_)) && !geo {
        return Err(Error::InvalidProblem(
            "a road network needs geographic (lon, lat) locations".into(),
        ));
    }
    Ok(travel)
}
