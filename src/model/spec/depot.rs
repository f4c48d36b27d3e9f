//! A depot as given in input.

use super::TimeSpec;
use crate::model::Location;
use serde::{Deserialize, Serialize};

/// A depot as given in input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepotSpec {
    /// Unique id.
    pub id: String,
    /// Human name.
    #[serde(default)]
    pub name: String,
    /// Location: planar coordinates finite and within ±10^9, geographic
    /// ones within the WGS84 ranges.
    pub location: Location,
    /// Opening hours `[open, close]`: vehicles leave no earlier and are back
    /// no later (absent = always open).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<[TimeSpec; 2]>,
}
