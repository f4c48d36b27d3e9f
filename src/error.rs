//! Typed errors for everything that can go wrong before a solve starts.
//!
//! Infeasibility found *during* a solve (a town nobody can serve) is not an
//! error: it is reported as `solution::Unassigned` data.

use std::path::PathBuf;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything the library can refuse, each naming the offending place.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A text input is malformed; `line` is 1-based when known.
    #[error("{source_name}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Parse {
        /// File name or other label of the input.
        source_name: String,
        /// 1-based line number, when the error is tied to a line.
        line: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// Two entities of the same kind share an id.
    #[error("duplicate {kind} id '{}'", crate::text::escape(id))]
    DuplicateId {
        /// "town", "depot", "vehicle type", ...
        kind: &'static str,
        /// The repeated id.
        id: String,
    },
    /// A reference to an id that does not exist.
    #[error(
        "unknown {kind} id '{}' (referenced by {})",
        crate::text::escape(id),
        crate::text::escape(referenced_by)
    )]
    UnknownId {
        /// Kind of the missing entity.
        kind: &'static str,
        /// The missing id.
        id: String,
        /// Who referenced it.
        referenced_by: String,
    },
    /// A numeric field is negative, NaN, infinite or otherwise out of range.
    #[error(
        "invalid {field} for {}: {} ({reason})",
        crate::text::escape(owner),
        crate::text::escape(value)
    )]
    InvalidValue {
        /// Entity owning the field, e.g. "town 'T7'".
        owner: String,
        /// The field name.
        field: &'static str,
        /// The offending value as text.
        value: String,
        /// Why it is rejected.
        reason: &'static str,
    },
    /// The problem is structurally unusable (no towns, no depot, no fleet...).
    #[error("invalid problem: {0}")]
    InvalidProblem(String),
    /// A size exceeds what the library accepts.
    #[error("{what} = {value} exceeds the limit of {limit}")]
    TooLarge {
        /// What is too large.
        what: &'static str,
        /// The requested size.
        value: u64,
        /// The accepted maximum.
        limit: u64,
    },
    /// A JSON document does not match the expected schema.
    #[error("{source_name}: {source}")]
    Json {
        /// File name or label.
        source_name: String,
        /// The serde error (carries line and column).
        #[source]
        source: serde_json::Error,
    },
    /// A solver setting is unusable (zero threads, ...).
    #[error("invalid solver configuration: {0}")]
    InvalidConfig(String),
    /// A solution refers to the problem inconsistently (unknown town, wrong depot...).
    #[error("solution does not match the problem: {0}")]
    SolutionMismatch(String),
    /// A vehicle's fixed stops (the state of the day) break a rule from
    /// where it is: they are kept as given, so the re-plan cannot be made.
    #[error(
        "state: the fixed stops of vehicle '{}' cannot be kept from where it is: {}",
        crate::text::escape(vehicle),
        violations.join("; ")
    )]
    FixedStopsInfeasible {
        /// The vehicle's id.
        vehicle: String,
        /// What they break, one line each.
        violations: Vec<String>,
    },
    /// An input file is refused before it is read (see `io::ReadOptions`).
    #[error("{}: {reason}", path.display())]
    FileRefused {
        /// The file concerned.
        path: PathBuf,
        /// Why it is not read.
        reason: FileRefusal,
    },
}

/// Why an input file is not read ([`Error::FileRefused`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FileRefusal {
    /// A device, FIFO, socket or directory where a file is expected.
    #[error("not a regular file (a device, FIFO, socket or directory)")]
    NotRegular,
    /// Larger than the limit for its kind of input.
    #[error("{size} bytes exceeds the limit of {limit} bytes for this kind of input (see ReadOptions)")]
    TooLarge {
        /// The file's size, bytes.
        size: u64,
        /// The accepted maximum, bytes.
        limit: u64,
    },
    /// A file referenced by a problem lies outside the problem file's folder.
    #[error(
        "outside the problem's folder '{}'; referenced files are read only inside it \
         (allow others with ReadOptions::allow_outside, CLI --allow-files-outside)",
        folder.display()
    )]
    Outside {
        /// The problem file's folder.
        folder: PathBuf,
    },
    /// A problem read from text without a folder references a file.
    #[error(
        "referenced by a problem read without a folder; give the problem's folder \
         or allow it with ReadOptions::allow_outside"
    )]
    NoFolder,
}

impl Error {
    /// Shorthand for a parse error at a line.
    pub fn parse(source_name: &str, line: Option<usize>, message: impl Into<String>) -> Self {
        Error::Parse {
            source_name: source_name.to_string(),
            line,
            message: message.into(),
        }
    }

    /// Shorthand for an I/O error on a path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
