//! Output helpers of `solve`: the problem's label in summaries and the
//! writing of a text file with its path in the error.

use backroads::text::escape;
use std::path::Path;

/// The problem's name, or the input path when it has none, escaped.
pub(crate) fn problem_label(problem: &backroads::model::Problem, input: &Path) -> String {
    let name = if problem.name.is_empty() {
        input.display().to_string()
    } else {
        problem.name.clone()
    };
    escape(&name).into_owned()
}

pub(crate) fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}
