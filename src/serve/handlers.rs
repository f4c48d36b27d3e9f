//! The routes and their handlers.

use super::error::{ApiError, ErrorBody};
use super::jobs::{JobState, JobStatus, Jobs};
use super::limits::Limits;
use super::request::{self, SolveParams, SolveRequest};
use super::solve::Outputs;
use super::worker::RawRequest;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;
use utoipa::{IntoParams, OpenApi, ToSchema};

/// What every handler shares.
#[derive(Clone)]
pub(crate) struct AppState {
    pub jobs: Arc<Jobs>,
    pub limits: Arc<Limits>,
    /// Places for bodies being read and parsed ([`Limits::max_uploads`]).
    pub uploads: Arc<tokio::sync::Semaphore>,
}

/// The service's routes.
pub(crate) fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/health", get(health))
        .route("/openapi.json", get(openapi))
        .route("/v1/solve", axum::routing::post(solve))
        .route("/v1/jobs", axum::routing::post(create_job))
        .route("/v1/eta", axum::routing::post(super::eta::eta))
        .route("/v1/fit", axum::routing::post(super::fit::fit))
        .route("/v1/jobs/{id}", get(get_job).delete(cancel_job))
        .route("/v1/jobs/{id}/solution", get(get_solution))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such route: see GET /openapi.json",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this route does not take that method: see GET /openapi.json",
    )
}

/// `GET /health`: the service is up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// Always `ok`.
    pub status: String,
    /// Solves waiting for a worker.
    pub queued: usize,
    /// Solves running.
    pub running: usize,
}

/// `POST /v1/jobs`: the new job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct JobCreated {
    /// The job's id, for `/v1/jobs/{id}`.
    pub id: String,
    /// `queued`.
    pub status: JobState,
}

/// The formats of a solution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SolutionFormat {
    /// The solution JSON `backroads solve --out` writes.
    Json,
    /// GeoJSON FeatureCollection (routes, stops, depots, unassigned).
    Geojson,
    /// The drivers' schedule CSV.
    Csv,
}

/// Query parameters of `GET /v1/jobs/{id}/solution`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SolutionParams {
    /// `json`, `geojson` or `csv`; wins over the `Accept` header
    /// (`application/geo+json`, `text/csv`; anything else: JSON).
    #[param(inline)]
    pub format: Option<SolutionFormat>,
    /// GeoJSON of a multi-day plan: the day, 1-based (required when the
    /// plan has several days).
    pub day: Option<u32>,
}

#[utoipa::path(get, path = "/", tag = "service",
    responses((status = 200, description = "The service's web page", content_type = "text/html", body = String)))]
async fn index() -> Html<&'static str> {
    Html(include_str!("page/index.html"))
}

#[utoipa::path(get, path = "/health", tag = "service",
    responses((status = 200, description = "Up", body = Health)))]
async fn health(State(state): State<AppState>) -> axum::Json<Health> {
    let c = state.jobs.counts();
    axum::Json(Health {
        status: "ok".into(),
        queued: c.queued,
        running: c.running,
    })
}

#[utoipa::path(get, path = "/openapi.json", tag = "service",
    responses((status = 200, description = "This OpenAPI document", body = Object)))]
async fn openapi() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(super::openapi::ApiDoc::openapi())
}

fn is_length_limit(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if s.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = s.source();
    }
    false
}

/// Reads the body, refusing more than `limit` bytes (413 `body_too_large`)
/// and bodies slower than `timeout` (408 `body_timeout`).
async fn read_body(headers: &HeaderMap, body: Body, limit: usize, timeout: Duration) -> Result<Bytes, ApiError> {
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!("the body exceeds this service's limit of {limit} bytes"),
        )
    };
    let stated = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if stated.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let read = tokio::time::timeout(timeout, axum::body::to_bytes(body, limit))
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                "body_timeout",
                format!("the body did not arrive within {} s", timeout.as_secs_f64()),
            )
        })?;
    read.map_err(|e| {
        if is_length_limit(&e) {
            too_large()
        } else {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad_body",
                format!("cannot read the body: {e}"),
            )
        }
    })
}

/// The checks and parsing every solve request goes through: media type
/// (415), parameters (400), body size and time (413, 408), then the
/// problem (400, 413, 422), parsed off the async threads.
async fn prepare(
    state: &AppState,
    headers: &HeaderMap,
    query: Option<String>,
    body: Body,
    max_time: Duration,
) -> Result<(SolveRequest, RawRequest), ApiError> {
    let kind = request::body_kind(headers)?;
    let params = request::parse_params(query.as_deref())?;
    // The place is held until the problem is parsed (or refused).
    let (_upload, bytes) = upload(state, headers, body).await?;
    let limits = Arc::clone(&state.limits);
    off_runtime("reading the problem", move || {
        let request = request::build(kind, &bytes, &params, &limits, max_time)?;
        // Kept as it came for a solve in a worker process, which parses it again.
        let raw = RawRequest {
            kind,
            body: bytes.to_vec(),
            query,
            max_time,
        };
        Ok((request, raw))
    })
    .await
}

/// Takes a place among the bodies being read and parsed
/// ([`Limits::max_uploads`]; 503 `busy` when none frees up within the body
/// timeout) and reads the body within the size and time limits (see
/// [`read_body`]). The caller holds the place while it parses the body.
pub(crate) async fn upload(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
) -> Result<(tokio::sync::OwnedSemaphorePermit, Bytes), ApiError> {
    let busy = || {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "too many requests are being uploaded at once; try again later",
        )
    };
    let place = tokio::time::timeout(state.limits.body_timeout, Arc::clone(&state.uploads).acquire_owned())
        .await
        .map_err(|_| busy())?
        .map_err(|_| busy())?;
    let bytes = read_body(headers, body, state.limits.max_body_bytes, state.limits.body_timeout).await?;
    Ok((place, bytes))
}

/// Runs `work` on a blocking thread, never on the async runtime's; a panic
/// in it is 500 `internal_error` naming `what`, and the service lives on.
pub(crate) async fn off_runtime<T: Send + 'static>(
    what: &str,
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ApiError::internal(format!("{what} failed: {e}")))?
}

pub(crate) fn json_response(status: StatusCode, text: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], text).into_response()
}

/// Cancels and forgets a synchronous solve whose client left.
struct AbandonGuard {
    jobs: Arc<Jobs>,
    id: Option<String>,
}

impl Drop for AbandonGuard {
    fn drop(&mut self) {
        if let Some(id) = self.id.take() {
            self.jobs.abandon(&id);
        }
    }
}

/// Solves and answers with the solution JSON, synchronously.
#[utoipa::path(post, path = "/v1/solve", tag = "solve",
    params(SolveParams),
    request_body(description = "The problem: the JSON problem `backroads solve` reads (inline only: no \
        `towns_csv`, road network or OSM files), or a towns CSV (`id,lat,lon[,name,demand,service_time_s]`) \
        completed by `depot_lon`, `depot_lat`, `capacity`, `vehicles`; or, to start from a previous plan \
        (warm start, single-day problems), `{\"problem\": <the JSON problem>, \"initial\": <a solution JSON, \
        sequences, or .sol text>}` (`WarmStartBody`), with `change_penalty` as the cost of moving a town to \
        another vehicle",
        content((Object = "application/json"), (String = "text/csv"))),
    responses(
        (status = 200, description = "The solution JSON (a multi-day plan for a problem with `horizon_days`), \
            exactly what `backroads solve --out` writes. Header `x-backroads-status` is `done`, or `cancelled` \
            when the service shut down mid-solve (the best routes found)", body = Object),
        (status = 400, description = "malformed_json, invalid_problem, malformed_csv, invalid_parameter \
            (change_penalty without `initial`, or negative), invalid_request (not `{\"problem\", \"initial\"}`), \
            invalid_routes (a malformed `initial`), bad_body", body = ErrorBody),
        (status = 408, description = "body_timeout", body = ErrorBody),
        (status = 413, description = "body_too_large, problem_too_large, plan_too_large", body = ErrorBody),
        (status = 415, description = "unsupported_media_type", body = ErrorBody),
        (status = 422, description = "unprocessable_problem (also a multi-day problem with `initial`), \
            file_reference_refused, fixed_stops_infeasible (a vehicle's fixed stops break a rule from where it is), \
            time_limit_too_long, too_many_threads, solve_aborted (the solve's process ran out of its memory or ended abnormally)", body = ErrorBody),
        (status = 500, description = "internal_error", body = ErrorBody),
        (status = 503, description = "queue_full, busy, shutting_down", body = ErrorBody),
    ))]
async fn solve(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let request = prepare(&state, &headers, query, body, state.limits.max_sync_time_limit).await?;
    let (id, mut done) = state.jobs.submit(request, true)?;
    let mut guard = AbandonGuard {
        jobs: Arc::clone(&state.jobs),
        id: Some(id.clone()),
    };
    // The sender lives in the job until the job is over or forgotten.
    let _ = done.wait_for(|d| *d).await;
    guard.id = None;
    let Some(finished) = state.jobs.take(&id) else {
        return Err(ApiError::internal("the solve was lost"));
    };
    match (finished.outputs, finished.error) {
        (Some(outputs), _) => {
            let mut response = json_response(StatusCode::OK, outputs.json.clone());
            let tag = if finished.state == JobState::Cancelled {
                "cancelled"
            } else {
                "done"
            };
            response
                .headers_mut()
                .insert("x-backroads-status", HeaderValue::from_static(tag));
            Ok(response)
        }
        (None, Some(e)) => Err(e),
        (None, None) => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "shutting_down",
            "the service shut down before the solve started",
        )),
    }
}

/// Queues a solve and answers with its id at once.
#[utoipa::path(post, path = "/v1/jobs", tag = "jobs",
    params(SolveParams),
    request_body(description = "The problem (or `{\"problem\", \"initial\"}`), as for `POST /v1/solve`",
        content((Object = "application/json"), (String = "text/csv"))),
    responses(
        (status = 202, description = "Accepted; poll `GET /v1/jobs/{id}` (also in the Location header)", body = JobCreated),
        (status = 400, description = "malformed_json, invalid_problem, malformed_csv, invalid_parameter \
            (change_penalty without `initial`, or negative), invalid_request (not `{\"problem\", \"initial\"}`), \
            invalid_routes (a malformed `initial`), bad_body", body = ErrorBody),
        (status = 408, description = "body_timeout", body = ErrorBody),
        (status = 413, description = "body_too_large, problem_too_large, plan_too_large", body = ErrorBody),
        (status = 415, description = "unsupported_media_type", body = ErrorBody),
        (status = 422, description = "unprocessable_problem (also a multi-day problem with `initial`), \
            file_reference_refused, fixed_stops_infeasible (a vehicle's fixed stops break a rule from where it is), \
            time_limit_too_long, too_many_threads", body = ErrorBody),
        (status = 503, description = "queue_full, busy, shutting_down", body = ErrorBody),
    ))]
async fn create_job(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let request = prepare(&state, &headers, query, body, state.limits.max_time_limit).await?;
    let (id, _) = state.jobs.submit(request, false)?;
    let location =
        HeaderValue::from_str(&format!("/v1/jobs/{id}")).map_err(|e| ApiError::internal(format!("job id: {e}")))?;
    let created = JobCreated {
        id,
        status: JobState::Queued,
    };
    Ok((
        StatusCode::ACCEPTED,
        [(header::LOCATION, location)],
        axum::Json(created),
    )
        .into_response())
}

/// The job id of the path; one that cannot be decoded names no job.
fn job_id(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    path.map(|Path(id)| id).map_err(|e| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "job_not_found",
            format!("no such job: {}", e.body_text()),
        )
    })
}

/// A job's status and progress.
#[utoipa::path(get, path = "/v1/jobs/{id}", tag = "jobs",
    params(("id" = String, Path, description = "Job id")),
    responses(
        (status = 200, description = "The job", body = JobStatus),
        (status = 404, description = "job_not_found (never created, or expired)", body = ErrorBody),
    ))]
async fn get_job(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<axum::Json<JobStatus>, ApiError> {
    state.jobs.status(&job_id(id)?).map(axum::Json)
}

/// Cancels a job.
#[utoipa::path(delete, path = "/v1/jobs/{id}", tag = "jobs",
    params(("id" = String, Path, description = "Job id")),
    responses(
        (status = 200, description = "Cancelled (it was queued), or already over: its status", body = JobStatus),
        (status = 202, description = "Running: told to stop; it becomes `cancelled` with its best solution", body = JobStatus),
        (status = 404, description = "job_not_found", body = ErrorBody),
    ))]
async fn cancel_job(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let (status, running) = state.jobs.cancel(&job_id(id)?)?;
    let code = if running { StatusCode::ACCEPTED } else { StatusCode::OK };
    Ok((code, axum::Json(status)).into_response())
}

/// The format asked for: `format` wins; else the first media type of the
/// `Accept` list that the service writes (`application/json`,
/// `application/geo+json`, `text/csv`; quality values are not weighed);
/// else JSON.
fn wanted_format(params: &SolutionParams, headers: &HeaderMap) -> SolutionFormat {
    if let Some(f) = params.format {
        return f;
    }
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    accept
        .split(',')
        .filter_map(|item| match item.split(';').next().unwrap_or("").trim() {
            "application/json" => Some(SolutionFormat::Json),
            "application/geo+json" => Some(SolutionFormat::Geojson),
            "text/csv" => Some(SolutionFormat::Csv),
            _ => None,
        })
        .next()
        .unwrap_or(SolutionFormat::Json)
}

fn render(outputs: &Outputs, format: SolutionFormat, day: Option<u32>) -> Result<Response, ApiError> {
    match format {
        SolutionFormat::Json => Ok(json_response(StatusCode::OK, outputs.json.clone())),
        SolutionFormat::Csv => {
            let text = outputs.csv.clone()?;
            Ok((
                StatusCode::OK,
                [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
                text,
            )
                .into_response())
        }
        SolutionFormat::Geojson => {
            let days = outputs.geojson.len();
            let index = match day {
                None if days == 1 => 0,
                None => {
                    return Err(ApiError::parameter(format!(
                        "the plan has {days} days: give day=1..={days} for its GeoJSON"
                    )));
                }
                Some(d) if d >= 1 && (d as usize) <= days => d as usize - 1,
                Some(d) => return Err(ApiError::parameter(format!("day {d} is not within 1..={days}"))),
            };
            let text = outputs.geojson[index].clone()?;
            Ok((StatusCode::OK, [(header::CONTENT_TYPE, "application/geo+json")], text).into_response())
        }
    }
}

/// A job's solution: JSON, GeoJSON or CSV.
#[utoipa::path(get, path = "/v1/jobs/{id}/solution", tag = "jobs",
    params(("id" = String, Path, description = "Job id"), SolutionParams),
    responses(
        (status = 200, description = "The solution", content(
            (Object = "application/json"),
            (Object = "application/geo+json"),
            (String = "text/csv"))),
        (status = 400, description = "invalid_parameter", body = ErrorBody),
        (status = 404, description = "job_not_found", body = ErrorBody),
        (status = 409, description = "job_not_done (queued or running), no_solution (failed, or cancelled before any solution)", body = ErrorBody),
    ))]
async fn get_solution(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id = job_id(id)?;
    let params: SolutionParams = serde_urlencoded::from_str(query.as_deref().unwrap_or(""))
        .map_err(|e| ApiError::parameter(format!("query: {e}")))?;
    let outputs = state.jobs.outputs(&id)?;
    render(&outputs, wanted_format(&params, &headers), params.day)
}
