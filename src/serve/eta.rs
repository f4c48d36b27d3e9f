//! `POST /v1/eta`: plan mode over HTTP. The body is `{"problem", "routes"}`;
//! the answer is the [`EtaReport`]: the routes as given with the shortest
//! legal schedule, and every rule they break (an answer, not an error).
//!
//! Plan mode runs in the service's own process, on a blocking thread, and
//! not in a worker process as solves do. Worker processes are there for the
//! search: it runs as long as its time limit and takes memory as it goes,
//! so only a process of its own (with a memory cap and a kill deadline)
//! keeps it from taking the service down. Plan mode does not search: it
//! parses, builds the oracle, times each stop once and validates, all in
//! time and memory linear in the request, and the request is bounded the
//! way `/v1/solve`'s parsing (also in process) is: the body size, the
//! problem's size limits, problems inline only (so no road network or OSM
//! extract to load: the oracle of a haversine, euclidean or matrix problem
//! is its locations or the matrices of the body), a plan held to the same
//! limits ([`check_plan_size`]), and at most [`Limits::max_uploads`]
//! requests parsed or timed at once (the upload place is held until the
//! answer is ready). A panic is caught (500) and the service lives on.

use super::error::{ApiError, ErrorBody};
use super::handlers::{AppState, json_response, off_runtime, upload};
use super::limits::Limits;
use super::request::{self, BodyKind};
use crate::EtaReport;
use crate::distance::build_oracle;
use crate::error::Error;
use crate::model::{Problem, ProblemSpec};
use crate::solution::Plan;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::sync::Arc;
use utoipa::ToSchema;

/// The body of `POST /v1/eta`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct EtaRequest<'a> {
    /// The JSON problem, as `POST /v1/solve` takes it (inline only: no
    /// `towns_csv`, road network or OSM files). A problem with
    /// `horizon_days` is refused: give the problem of the day.
    #[serde(borrow)]
    #[schema(value_type = Object)]
    problem: &'a RawValue,
    /// The routes: the solution JSON `/v1/solve` answers (its times are
    /// recomputed), a JSON of sequences (`{"routes": [{"vehicle_type":
    /// "van", "stops": ["a", "b"], "reloads": [{"before_stop": 1, "depot":
    /// "d"}]}]}`), or a string holding either JSON as text or a CVRPLIB
    /// `.sol`.
    #[serde(borrow)]
    #[schema(schema_with = routes_schema)]
    routes: &'a RawValue,
}

pub(super) fn routes_schema() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, Type};
    Schema::OneOf(
        OneOfBuilder::new()
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::Object)
                    .description(Some("`{\"routes\": [...]}`: sequences, or a solution JSON")),
            )
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .description(Some("the text of a CVRPLIB .sol, or of either JSON")),
            )
            .build(),
    )
}

/// Times routes given as sequences and validates them (plan mode).
#[utoipa::path(post, path = "/v1/eta", tag = "eta",
    request_body(content = EtaRequest, content_type = "application/json",
        description = "`{\"problem\": <the JSON problem>, \"routes\": <sequences, a solution JSON, or .sol text>}`"),
    responses(
        (status = 200, description = "The routes timed (arrival, start, departure and load at every stop, as in \
            a solution), the towns on no route, and every rule broken: `feasible` is false when there is any \
            violation", body = EtaReport),
        (status = 400, description = "malformed_json, invalid_request (not `{\"problem\", \"routes\"}`), \
            invalid_problem, invalid_routes (routes JSON of the wrong shape, malformed .sol), invalid_parameter \
            (this route takes none), bad_body", body = ErrorBody),
        (status = 408, description = "body_timeout", body = ErrorBody),
        (status = 413, description = "body_too_large, problem_too_large, plan_too_large", body = ErrorBody),
        (status = 415, description = "unsupported_media_type (the body is JSON only)", body = ErrorBody),
        (status = 422, description = "unprocessable_problem, file_reference_refused, unprocessable_routes (an \
            unknown town, vehicle type or depot, a reload outside its route, a multi-day problem)", body = ErrorBody),
        (status = 500, description = "internal_error", body = ErrorBody),
        (status = 503, description = "busy", body = ErrorBody),
    ))]
pub(crate) async fn eta(State(state): State<AppState>, request: Request) -> Result<Response, ApiError> {
    let shape = "{\"problem\": ..., \"routes\": ...}";
    plan_mode_route(&state, shape, request, |body, limits| Ok(run(body, limits)?.to_json())).await
}

/// What the plan mode routes (`/v1/eta`, `/v1/fit`) share around their
/// work: a JSON body only (415 otherwise, the message naming the route and
/// the body's `shape`), no query parameters (400 `invalid_parameter`), the
/// body read within the upload limits ([`upload`]), then `answer` on it on
/// a blocking thread ([`off_runtime`]), the upload place held until it is
/// done; 200 with the JSON `answer` gives.
pub(super) async fn plan_mode_route(
    state: &AppState,
    shape: &'static str,
    request: Request,
    answer: fn(&[u8], &Limits) -> Result<String, ApiError>,
) -> Result<Response, ApiError> {
    let route = format!("{} {}", request.method(), request.uri().path());
    let query = request.uri().query().map(str::to_string);
    let (parts, body) = request.into_parts();
    let headers = &parts.headers;
    if request::body_kind(headers)? != BodyKind::Json {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!("{route} takes application/json: {shape}"),
        ));
    }
    if query.as_deref().is_some_and(|q| !q.is_empty()) {
        return Err(ApiError::parameter(format!("{route} takes no query parameters")));
    }
    let (place, bytes) = upload(state, headers, body).await?;
    let limits = Arc::clone(&state.limits);
    let json = off_runtime("plan mode", move || {
        // The place is held until the work is done, even if the client left.
        let _place = place;
        answer(&bytes, &limits)
    })
    .await?;
    Ok(json_response(StatusCode::OK, json))
}

/// Plan mode on a request body, under `limits`.
pub(crate) fn run(body: &[u8], limits: &Limits) -> Result<EtaReport, ApiError> {
    let request: EtaRequest<'_> = request::parse_json(
        body,
        "invalid_request",
        "a plan mode request {\"problem\": ..., \"routes\": ...}",
    )?;
    let problem = inline_problem(request.problem, limits)?;
    // `eta_text` in two steps, so that the plan's size is checked before
    // the oracle is built and the routes are timed.
    let plan = read_plan(request.routes, "routes", &problem, limits)?;
    let oracle = build_oracle(&problem)?;
    Ok(crate::solution::eta(&problem, oracle.as_ref(), &plan).into())
}

/// The problem of a plan mode request (its `problem` field), parsed (400
/// `invalid_problem`) and held to the service's rules
/// ([`request::checked_problem`]).
pub(super) fn inline_problem(raw: &RawValue, limits: &Limits) -> Result<Problem, ApiError> {
    let spec: ProblemSpec = request::parse_json(raw.get().as_bytes(), "invalid_problem", "a problem (in `problem`)")?;
    // A state of the day: routes and fits are of the rest of the day.
    Ok(crate::settle_day(request::checked_problem(spec, limits)?)?.0)
}

/// The plan of field `field` of a plan mode request, read against
/// `problem` ([`routes_text`], [`routes_error`]) and held to the limits
/// ([`check_plan_size`]).
pub(super) fn read_plan(raw: &RawValue, field: &str, problem: &Problem, limits: &Limits) -> Result<Plan, ApiError> {
    read_plan_with(raw, field, limits, |text| crate::io::read_routes(text, field, problem))
}

/// A plan field (`field`) read by `read` from its text ([`routes_text`];
/// the reader's refusals as [`routes_error`] says) and held to the limits
/// ([`check_plan_size`]).
pub(super) fn read_plan_with(
    raw: &RawValue,
    field: &str,
    limits: &Limits,
    read: impl FnOnce(&str) -> crate::Result<Plan>,
) -> Result<Plan, ApiError> {
    let text = routes_text(raw, field)?;
    let plan = read(&text).map_err(routes_error)?;
    check_plan_size(&plan, limits)?;
    Ok(plan)
}

fn invalid_routes(message: String) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_routes", message)
}

/// The text a plan field (`field`) holds: an object as it came, a string
/// decoded.
fn routes_text<'a>(raw: &'a RawValue, field: &str) -> Result<Cow<'a, str>, ApiError> {
    let text = raw.get().trim_start();
    match text.as_bytes().first() {
        Some(b'{') => Ok(Cow::Borrowed(text)),
        Some(b'"') => serde_json::from_str::<String>(text)
            .map(Cow::Owned)
            .map_err(|e| invalid_routes(format!("{field}: {e}"))),
        _ => Err(invalid_routes(format!(
            "{field} must be an object ({{\"routes\": [...]}}) or a string holding .sol or JSON text"
        ))),
    }
}

/// The library's refusals of the routes: malformed ones are 400
/// `invalid_routes`, routes that do not fit the problem 422
/// `unprocessable_routes`.
pub(super) fn routes_error(e: Error) -> ApiError {
    match e {
        Error::Json { .. } | Error::Parse { .. } => invalid_routes(e.to_string()),
        Error::SolutionMismatch(_) => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unprocessable_routes", e.to_string())
        }
        other => other.into(),
    }
}

/// A plan is held to the problem's limits: as many stops, and as many
/// reloads, as the service takes towns (a plan that serves every town once
/// has no more), and as many routes as it takes towns or vehicles, whichever
/// is more; past them 413 `plan_too_large`.
fn check_plan_size(plan: &Plan, limits: &Limits) -> Result<(), ApiError> {
    let stops: usize = plan.routes.iter().map(|r| r.towns.len()).sum();
    let reloads: usize = plan.routes.iter().map(|r| r.reloads.len()).sum();
    let max_routes = limits.max_towns.max(limits.max_vehicles);
    let over = [
        ("stops", stops, limits.max_towns),
        ("reloads", reloads, limits.max_towns),
        ("routes", plan.routes.len(), max_routes),
    ];
    match over.iter().find(|(_, n, limit)| n > limit) {
        Some((what, n, limit)) => Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "plan_too_large",
            format!("the plan's {what} = {n} exceed this service's limit of {limit}"),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Two towns on a line from a depot, one van (the fit tests' too).
    pub(in crate::serve) const PROBLEM: &str = r#"{"depots": [{"id": "d", "location": {"x": 0, "y": 0}}],
        "towns": [{"id": "a", "location": {"x": 3, "y": 4}, "demand": 1},
                  {"id": "b", "location": {"x": 6, "y": 8}, "demand": 1}],
        "fleet": [{"id": "v", "depot": "d", "capacity": 5}]}"#;

    fn code(body: &str, limits: &Limits) -> Option<(u16, &'static str)> {
        run(body.as_bytes(), limits).err().map(|e| (e.status.as_u16(), e.code))
    }

    #[test]
    fn requests_are_checked() {
        let limits = Limits::default();
        let body = |routes: &str| format!("{{\"problem\": {PROBLEM}, \"routes\": {routes}}}");
        let r = run(body(r#"{"routes": [{"stops": ["a", "b"]}]}"#).as_bytes(), &limits).unwrap();
        assert!(r.feasible, "{:?}", r.violations);
        let r = run(body(r#""Route #1: 2 1\n""#).as_bytes(), &limits).unwrap();
        assert_eq!(r.routes[0].stops[0].town, "b");
        let r = run(body(r#""{\"routes\": [{\"stops\": [\"a\"]}]}""#).as_bytes(), &limits).unwrap();
        assert_eq!(r.not_in_plan, vec!["b".to_string()]);
        assert_eq!(code("{", &limits), Some((400, "malformed_json")));
        assert_eq!(
            code(&format!("{{\"problem\": {PROBLEM}}}"), &limits),
            Some((400, "invalid_request"))
        );
        assert_eq!(code(&body("[1]"), &limits), Some((400, "invalid_routes")));
        assert_eq!(code(&body(r#"{"routes": 3}"#), &limits), Some((400, "invalid_routes")));
        assert_eq!(
            code(&body(r#""Route #1: x\n""#), &limits),
            Some((400, "invalid_routes"))
        );
        assert_eq!(
            code(&body(r#"{"routes": [{"stops": ["zz"]}]}"#), &limits),
            Some((422, "unprocessable_routes"))
        );
        let bad = r#"{"problem": [1], "routes": {"routes": []}}"#;
        assert_eq!(code(bad, &limits), Some((400, "invalid_problem")));
        let small = Limits {
            max_towns: 1,
            ..Limits::default()
        };
        assert_eq!(
            code(&body(r#"{"routes": []}"#), &small),
            Some((413, "problem_too_large"))
        );
        let twice = Limits {
            max_towns: 2,
            ..Limits::default()
        };
        assert_eq!(
            code(&body(r#"{"routes": [{"stops": ["a", "b", "a"]}]}"#), &twice),
            Some((413, "plan_too_large"))
        );
    }
}
