//! Output helpers: the problem's label in summaries, the writing of a text
//! file with its path in the error, and plan mode's report.

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

/// Writes a plan-mode report's JSON to `out` (if given) and, with `json`,
/// prints it instead of the summary `summary` prints; the exit status is 0
/// when `ok`, else 3.
pub(crate) fn report(
    json: &str,
    out: Option<&Path>,
    print_json: bool,
    ok: bool,
    summary: impl FnOnce(),
) -> Result<std::process::ExitCode, String> {
    if let Some(path) = out {
        write(path, json)?;
    }
    if print_json {
        print!("{json}");
    } else {
        summary();
    }
    Ok(if ok {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::from(3)
    })
}
