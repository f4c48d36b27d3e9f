//! An amount in one or several capacity dimensions, as given in input.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// An amount in one or several capacity dimensions, as given in input: a
/// number (one dimension) or a list (one number per dimension).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Amount {
    /// One dimension.
    One(f64),
    /// One number per dimension.
    Several(Vec<f64>),
}

impl Default for Amount {
    fn default() -> Self {
        Amount::One(0.0)
    }
}

impl From<f64> for Amount {
    fn from(x: f64) -> Self {
        Amount::One(x)
    }
}

impl Amount {
    /// True for a zero in every dimension.
    pub fn is_zero(&self) -> bool {
        match self {
            Amount::One(x) => *x == 0.0,
            Amount::Several(v) => v.iter().all(|&x| x == 0.0),
        }
    }

    /// The amount in each of `dims` dimensions: a number counts for a
    /// problem of one dimension (and a zero for any), a list must have
    /// `dims` entries.
    pub(in crate::model) fn per_dimension(&self, owner: &str, field: &'static str, dims: usize) -> Result<Vec<f64>> {
        match self {
            Amount::One(x) if dims == 1 || *x == 0.0 => {
                let mut v = vec![0.0; dims];
                v[0] = *x;
                Ok(v)
            }
            Amount::Several(v) if v.len() == dims => Ok(v.clone()),
            _ => Err(Error::InvalidValue {
                owner: owner.to_string(),
                field,
                value: match self {
                    Amount::One(x) => x.to_string(),
                    Amount::Several(v) => format!("{v:?}"),
                },
                reason: "must give one amount per capacity dimension (as many as the vehicles' capacity lists)",
            }),
        }
    }

    /// The input form of amounts in one or several dimensions.
    pub(in crate::model) fn of(first: u32, extra: &[u32]) -> Amount {
        if extra.is_empty() {
            Amount::One(f64::from(first))
        } else {
            Amount::Several(
                std::iter::once(first)
                    .chain(extra.iter().copied())
                    .map(f64::from)
                    .collect(),
            )
        }
    }
}
