//! A time of the problem's clock as given in input: seconds or a clock
//! time, and how it is read.

use crate::model::round_to_int;
use crate::model::timing::END_OF_TIME;
use serde::{Deserialize, Serialize};

/// A time of the problem's clock: seconds (`3600`) or a clock time
/// (`"08:30"`, `"17:45:30"`; hours may exceed 23 for later days).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TimeSpec {
    /// Seconds since the start of the planning day.
    Seconds(f64),
    /// `HH:MM` or `HH:MM:SS`.
    Clock(String),
}

impl TimeSpec {
    /// Seconds since the start of the planning day, or why not.
    pub fn seconds(&self) -> std::result::Result<i64, String> {
        match self {
            TimeSpec::Seconds(s) if s.is_finite() && *s >= 0.0 && *s < END_OF_TIME as f64 => Ok(round_to_int(*s)),
            TimeSpec::Seconds(s) => Err(format!("{s} is not a time (finite seconds >= 0)")),
            TimeSpec::Clock(text) => {
                let parts: Vec<&str> = text.trim().split(':').collect();
                let num = |p: &str, max: i64| p.parse::<i64>().ok().filter(|v| (0..=max).contains(v));
                let (h, m, sec) = match parts.as_slice() {
                    [h, m] => (num(h, 100_000), num(m, 59), Some(0)),
                    [h, m, s] => (num(h, 100_000), num(m, 59), num(s, 59)),
                    _ => (None, None, None),
                };
                match (h, m, sec) {
                    (Some(h), Some(m), Some(s)) => Ok(h * 3600 + m * 60 + s),
                    _ => Err(format!("'{text}' is not a clock time HH:MM or HH:MM:SS")),
                }
            }
        }
    }
}
