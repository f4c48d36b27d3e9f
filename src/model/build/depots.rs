//! Depots: location and opening hours.

use super::checks::{check_location, to_window};
use crate::error::Result;
use crate::model::{Depot, DepotSpec, Window};

/// The checked depots, in input order.
pub(super) fn build_depots(specs: Vec<DepotSpec>) -> Result<Vec<Depot>> {
    let mut depots = Vec::with_capacity(specs.len());
    for d in specs {
        check_location(&format!("depot '{}'", d.id), &d.location)?;
        let owner = format!("depot '{}'", d.id);
        let hours = d.hours.as_ref().map(|h| to_window(&owner, "hours", h)).transpose()?;
        depots.push(Depot {
            id: d.id,
            name: d.name,
            location: d.location,
            hours: hours.unwrap_or(Window::ALWAYS),
        });
    }
    Ok(depots)
}
