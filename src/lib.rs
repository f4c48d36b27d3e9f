//! backroads: last-mile delivery routes across rural road networks.
#![warn(missing_docs)]

pub mod distance;
pub mod error;
pub mod io;
pub mod model;
pub mod quality;
pub mod solution;
pub mod solver;

pub use error::{Error, Result};
