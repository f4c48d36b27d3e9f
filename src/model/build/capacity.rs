//! How many capacity dimensions a problem has.

use crate::error::{Error, Result};
use crate::model::load::MAX_DIMENSIONS;
use crate::model::{Amount, ProblemSpec};

/// How many capacity dimensions the fleet states: every type's `capacity`
/// as long (a number is one dimension), at most [`MAX_DIMENSIONS`].
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
    Ok(dims)
}
