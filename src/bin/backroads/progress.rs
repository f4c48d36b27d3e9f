//! The progress line that `solve` and `bench` print on stderr.

use backroads::solver::SolveProgress;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Prints the search's progress on stderr, at most once a second.
pub(crate) struct ProgressLine {
    last: Mutex<Option<Instant>>,
    quiet: bool,
}

impl ProgressLine {
    pub(crate) fn new(quiet: bool) -> Self {
        ProgressLine {
            last: Mutex::new(None),
            quiet,
        }
    }

    pub(crate) fn show(&self, label: &str, best_known: Option<f64>, p: &SolveProgress) {
        if self.quiet {
            return;
        }
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if last.is_some_and(|t| t.elapsed() < Duration::from_secs(1)) {
            return;
        }
        *last = Some(Instant::now());
        let gap = best_known
            .filter(|&b| b > 0.0)
            .map(|b| format!(" | gap {:.2} %", 100.0 * (p.best_cost as f64 - b) / b))
            .unwrap_or_default();
        eprintln!(
            "{label}: best {}{gap} | {} steps | {:.1} s",
            p.best_cost,
            p.iterations,
            p.elapsed.as_secs_f64()
        );
    }
}
