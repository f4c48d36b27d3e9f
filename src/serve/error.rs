//! The service's errors: every one is JSON
//! `{"error": {"code": "<stable_snake_case_code>", "message": "..."}}` with
//! its HTTP status.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The body of every error response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// A stable code and a human message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable snake_case code, e.g. `queue_full`, `job_not_found`.
    pub code: String,
    /// What happened, for people.
    pub message: String,
}

/// An error answered to a request: status, stable code, message.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable snake_case code.
    pub code: &'static str,
    /// What happened.
    pub message: String,
}

impl ApiError {
    /// An error with this status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    /// 400 `invalid_parameter`: a query parameter is unknown or malformed.
    pub fn parameter(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_parameter", message)
    }

    /// 500 `internal_error`.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error", message)
    }

    /// The JSON body.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
                message: self.message.clone(),
            },
        }
    }
}

impl From<crate::Error> for ApiError {
    /// The library's errors: sizes over a limit are 413
    /// `problem_too_large`, refused files 422 `file_reference_refused`,
    /// JSON shape errors 400 `invalid_problem`, malformed text 400
    /// `malformed_csv`, fixed stops of the state of the day that break a
    /// rule 422 `fixed_stops_infeasible`, any other refusal of the problem or the settings
    /// 422 `unprocessable_problem`; I/O errors are 500 `internal_error`.
    fn from(e: crate::Error) -> Self {
        use crate::Error as E;
        let message = e.to_string();
        match e {
            E::TooLarge { .. } => Self::new(StatusCode::PAYLOAD_TOO_LARGE, "problem_too_large", message),
            E::FileRefused { .. } => Self::new(StatusCode::UNPROCESSABLE_ENTITY, "file_reference_refused", message),
            E::Json { .. } => Self::new(StatusCode::BAD_REQUEST, "invalid_problem", message),
            E::Parse { .. } => Self::new(StatusCode::BAD_REQUEST, "malformed_csv", message),
            E::Io { .. } => Self::internal(message),
            E::FixedStopsInfeasible { .. } => {
                Self::new(StatusCode::UNPROCESSABLE_ENTITY, "fixed_stops_infeasible", message)
            }
            _ => Self::new(StatusCode::UNPROCESSABLE_ENTITY, "unprocessable_problem", message),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body())).into_response()
    }
}
