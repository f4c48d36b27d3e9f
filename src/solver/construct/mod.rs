//! Route construction heuristics.

pub mod savings;
