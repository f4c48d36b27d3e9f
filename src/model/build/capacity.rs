//! How many capacity dimensions a problem has, and which rules refuse
//! several.

use crate::error::{Error, Result};
use crate::model::load::MAX_DIMENSIONS;
use crate::model::{Amount, PickupOrder, ProblemSpec};

/// How many capacity dimensions the fleet states: every type's `capacity`
/// as long (a number is one dimension), at most [`MAX_DIMENSIONS`]. Rules
/// not yet planned with several dimensions are refused by name.
pub(super) fn capacity_dimensions(spec: &ProblemSpec) -> Result<usize> {
    let len = |a: &Amount| match a {
        Amount::One(_) => 1,
        Amount::Several(v) => v.len(),
    };
    let Some(first) = spec.fleet.first() else {
        return Ok(1);
    };
    let dims = len(&first.capacity);
    for v in &spec.fleet {
        let n = len(&v.capacity);
        if n != dims || !(1..=MAX_DIMENSIONS).contains(&n) {
            return Err(Error::InvalidValue {
                owner: format!("vehicle type '{}'", v.id),
                field: "capacity",
                value: format!("{:?}", v.capacity),
                reason: "must list 1 to 4 capacity dimensions, as many for every vehicle type",
            });
        }
    }
    if dims > 1 && spec.pickup_order == PickupOrder::DeliveriesFirst {
        return Err(Error::InvalidProblem(
            "pickup_order deliveries_first with several capacity dimensions is not supported yet".into(),
        ));
    }
    if dims > 1 && spec.horizon_days.is_some() {
        return Err(Error::InvalidProblem(
            "multi-day plans (horizon_days) with several capacity dimensions are not supported yet".into(),
        ));
    }
    Ok(dims)
}
