//! The OpenAPI document, generated from the handlers and types.

use super::error::{ErrorBody, ErrorDetail};
use super::handlers::{Health, JobCreated, SolutionFormat};
use super::jobs::{JobProgress, JobState, JobStatus};
use super::request::ObjectiveParam;
use super::solve::Summary;
use utoipa::OpenApi;

/// The service's OpenAPI document (`GET /openapi.json`).
#[derive(OpenApi)]
#[openapi(
    info(
        title = "backroads",
        description = "Delivery routes for rural road networks: solve a problem synchronously, or queue jobs and \
                       poll them; time routes given as sequences (plan mode); find where a new order fits into a plan. Every error is `{\"error\": {\"code\", \"message\"}}`."
    ),
    paths(
        super::handlers::index,
        super::handlers::health,
        super::handlers::openapi,
        super::handlers::solve,
        super::handlers::create_job,
        super::handlers::get_job,
        super::handlers::cancel_job,
        super::handlers::get_solution,
        super::eta::eta,
        super::fit::fit,
    ),
    components(schemas(
        ErrorBody,
        ErrorDetail,
        Health,
        JobCreated,
        JobState,
        JobStatus,
        JobProgress,
        Summary,
        SolutionFormat,
        ObjectiveParam,
        super::eta::EtaRequest,
        super::request::WarmStartBody,
        crate::EtaReport,
        super::fit::FitRequest,
        crate::FitReport,
        crate::planning::FitPlace,
        crate::planning::MovedStop
    ))
)]
pub struct ApiDoc;
