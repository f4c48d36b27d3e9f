//! Why a command failed, which decides its exit status.

/// Why a command failed: bad usage (exit 2) or bad input / I/O (exit 1).
pub(crate) enum Failure {
    Usage(String),
    Input(String),
}

impl From<String> for Failure {
    fn from(e: String) -> Failure {
        Failure::Input(e)
    }
}
