//! The tables a section's rows are collected into while reading: amount
//! columns, per-node rows, depot rows, matrix entries and per-vehicle rows.

use super::lexicon::WeightFormat;
use crate::error::{Error, Result};
use crate::model::Amount;
use crate::model::load::MAX_DIMENSIONS;
use std::collections::HashMap;

/// One row's amounts in up to [`MAX_DIMENSIONS`] capacity dimensions: the
/// columns after the id of `DEMAND_SECTION`, `BACKHAUL_SECTION` and
/// `CAPACITY_SECTION` (PyVRP's dialect writes one column per dimension).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Columns {
    pub(super) values: [f64; MAX_DIMENSIONS],
    pub(super) len: usize,
}

impl Columns {
    pub(super) fn one(x: f64) -> Columns {
        let mut values = [0.0; MAX_DIMENSIONS];
        values[0] = x;
        Columns { values, len: 1 }
    }

    fn as_slice(&self) -> &[f64] {
        &self.values[..self.len]
    }

    /// The model's amount: a number for one dimension, else a list.
    pub(super) fn amount(&self) -> Amount {
        if self.len == 1 {
            Amount::One(self.values[0])
        } else {
            Amount::Several(self.as_slice().to_vec())
        }
    }
}

/// Rows of a per-node section: (0-based node, line, value).
#[derive(Debug)]
pub(super) struct NodeRows<T> {
    pub(super) line: usize,
    pub(super) rows: Vec<(usize, usize, T)>,
}

impl<T> NodeRows<T> {
    /// Err when the section (`name`) already has a row for each of the `n`
    /// nodes: the row on line `no` is one too many.
    pub(super) fn room_for_row(&self, n: usize, name: &str, src: &str, no: usize) -> Result<()> {
        if self.rows.len() >= n {
            return Err(Error::parse(
                src,
                Some(no),
                format!("{name} has more rows than DIMENSION {n}"),
            ));
        }
        Ok(())
    }
}

#[derive(Debug)]
pub(super) struct DepotRows {
    pub(super) line: usize,
    pub(super) nodes: Vec<(usize, usize)>,
    /// Line of each depot node, to spot repeats without a quadratic scan.
    pub(super) first_line: HashMap<usize, usize>,
    pub(super) terminated: bool,
}

#[derive(Debug)]
pub(super) struct Weights {
    pub(super) line: usize,
    pub(super) format: WeightFormat,
    pub(super) expected: usize,
    pub(super) values: Vec<f64>,
}

/// A per-vehicle section: the keyword's line and rows of (vehicle, line, values).
pub(super) type VehicleRows = (usize, Vec<(usize, usize, Vec<f64>)>);
