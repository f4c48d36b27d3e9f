//! Checks every subject shares: ids unique, locations in range, floats to
//! bounded integers, time windows, and no file left unread.

use crate::error::{Error, Result};
use crate::model::spec::TimeSpec;
use crate::model::{Location, Window, round_to_int};
use std::collections::HashSet;

/// Largest absolute planar coordinate accepted (see the module docs).
const MAX_PLANAR_COORD: f64 = 1e9;

/// A spec that still names a file: the model does no I/O.
pub(super) fn unread_file(path: &std::path::Path) -> Error {
    Error::InvalidProblem(format!(
        "the spec references the file '{}', which the model does not read: read the problem \
         through backroads::io (read_problem_file, read_problem_json or io::resolve_files)",
        path.display()
    ))
}

pub(super) fn check_unique<'a>(kind: &'static str, ids: impl Iterator<Item = &'a str>) -> Result<()> {
    let mut seen = HashSet::new();
    for id in ids {
        if id.trim().is_empty() {
            return Err(Error::InvalidProblem(format!("a {kind} has an empty id")));
        }
        if !seen.insert(id) {
            return Err(Error::DuplicateId {
                kind,
                id: id.to_string(),
            });
        }
    }
    Ok(())
}

pub(super) fn check_location(owner: &str, loc: &Location) -> Result<()> {
    let bad = |field: &'static str, v: f64, reason: &'static str| Error::InvalidValue {
        owner: owner.to_string(),
        field,
        value: v.to_string(),
        reason,
    };
    match *loc {
        Location::Planar { x, y } => {
            for (field, v) in [("x", x), ("y", y)] {
                if !(v.is_finite() && v.abs() <= MAX_PLANAR_COORD) {
                    return Err(bad(field, v, "planar coordinates must be finite and within -1e9..=1e9"));
                }
            }
        }
        Location::Geo { lon, lat } => {
            if !(lon.is_finite() && (-180.0..=180.0).contains(&lon)) {
                return Err(bad("lon", lon, "must be within -180..180 degrees"));
            }
            if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
                return Err(bad("lat", lat, "must be within -90..90 degrees"));
            }
        }
    }
    Ok(())
}

/// Converts a non-negative finite float to an integer by the rounding rule.
pub(super) fn to_count(owner: &str, field: &'static str, v: f64, positive: bool, max: i64) -> Result<i64> {
    let err = |reason| Error::InvalidValue {
        owner: owner.to_string(),
        field,
        value: v.to_string(),
        reason,
    };
    if !v.is_finite() {
        return Err(err("must be a finite number"));
    }
    if v < 0.0 {
        return Err(err("must not be negative"));
    }
    let r = round_to_int(v);
    if positive && r <= 0 {
        return Err(err("must be positive"));
    }
    if r > max {
        return Err(err("is too large"));
    }
    Ok(r)
}

pub(super) fn to_window(owner: &str, field: &str, w: &[TimeSpec; 2]) -> Result<Window> {
    let err = |reason: String| Error::InvalidProblem(format!("{field} of {owner}: {reason}"));
    let open = w[0].seconds().map_err(err)?;
    let close = w[1].seconds().map_err(err)?;
    if close < open {
        return Err(err(format!("window [{open}, {close}] closes before it opens")));
    }
    Ok(Window { open, close })
}
