//! `POST /v1/fit`: where a new order fits into a plan, over HTTP. The body
//! is `{"problem", "plan", "town", "top"}`; the answer is the
//! [`FitReport`]: the `top` cheapest feasible places (each with its route's
//! new schedule and the stops it moves), or why there is none (an answer,
//! not an error).
//!
//! It runs as `/v1/eta` does (see [`super::eta`]): in the service's own
//! process on a blocking thread, no search, within the same limits (the
//! problem with the new town held to `--max-towns`).

use super::error::{ApiError, ErrorBody};
use super::eta::{inline_problem, plan_mode_route, read_plan, routes_error, routes_schema};
use super::handlers::AppState;
use super::limits::Limits;
use super::request;
use crate::FitReport;
use crate::distance::build_oracle;
use crate::error::Error;
use crate::model::{Problem, TownSpec};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::value::RawValue;
use utoipa::ToSchema;

/// Places listed when the request does not say (`top`), as `backroads fit`.
const DEFAULT_TOP: u32 = 5;
/// The most places a request may ask for, as `backroads fit --top`.
const MAX_TOP: u32 = 1000;

/// The body of `POST /v1/fit`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct FitRequest<'a> {
    /// The JSON problem, inline only, as for `POST /v1/eta`.
    #[serde(borrow)]
    #[schema(value_type = Object)]
    problem: &'a RawValue,
    /// The current plan, as `routes` of `POST /v1/eta`: the solution JSON
    /// `/v1/solve` answers, a JSON of sequences, or a string holding
    /// either JSON as text or a CVRPLIB `.sol`.
    #[serde(borrow)]
    #[schema(schema_with = routes_schema)]
    plan: &'a RawValue,
    /// The new town, as a town of the JSON problem model (`{"id",
    /// "location", "demand", "windows", …}`); its id must be new.
    #[serde(borrow)]
    #[schema(value_type = Object)]
    town: &'a RawValue,
    /// How many places to list, cheapest first: 1..=1000 (default 5).
    #[schema(minimum = 1, maximum = 1000)]
    top: Option<u32>,
}

/// Where a new order fits into a plan.
#[utoipa::path(post, path = "/v1/fit", tag = "eta",
    request_body(content = FitRequest, content_type = "application/json",
        description = "`{\"problem\": <the JSON problem>, \"plan\": <as /v1/eta's routes>, \"town\": <a town of \
            the JSON problem model>, \"top\": <1..=1000, default 5>}`"),
    responses(
        (status = 200, description = "Where the town fits: `fits`, the cheapest places first (`options`, each \
            with the route's new schedule and the stops whose service start moves), or `fits: false` with \
            `reason` and `because` when no place takes it", body = FitReport),
        (status = 400, description = "malformed_json, invalid_request (not `{\"problem\", \"plan\", \"town\", \
            \"top\"}`, or `top` outside 1..=1000), invalid_problem, invalid_town (not a town of the JSON model), \
            invalid_routes (a plan of the wrong shape, malformed .sol), invalid_parameter (this route takes \
            none), bad_body", body = ErrorBody),
        (status = 408, description = "body_timeout", body = ErrorBody),
        (status = 413, description = "body_too_large, problem_too_large (the new town included), \
            plan_too_large", body = ErrorBody),
        (status = 415, description = "unsupported_media_type (the body is JSON only)", body = ErrorBody),
        (status = 422, description = "unprocessable_problem, file_reference_refused, unprocessable_town (an id \
            the problem already has, a location of the other kind, a travel-matrix problem, which has no row \
            for it), unprocessable_routes (an unknown town, vehicle type or depot, the new town already on a \
            route, a multi-day problem)", body = ErrorBody),
        (status = 500, description = "internal_error", body = ErrorBody),
        (status = 503, description = "busy", body = ErrorBody),
    ))]
pub(crate) async fn fit(State(state): State<AppState>, request: Request) -> Result<Response, ApiError> {
    let shape = "{\"problem\": ..., \"plan\": ..., \"town\": ..., \"top\": ...}";
    plan_mode_route(&state, shape, request, |body, limits| Ok(run(body, limits)?.to_json())).await
}

/// Where the request's town fits, under `limits`: `fit_json` in steps, so
/// that the plan's size is checked before the oracle is built.
pub(crate) fn run(body: &[u8], limits: &Limits) -> Result<FitReport, ApiError> {
    let request: FitRequest<'_> = request::parse_json(
        body,
        "invalid_request",
        "a fit request {\"problem\": ..., \"plan\": ..., \"town\": ..., \"top\": ...}",
    )?;
    let top = request.top.unwrap_or(DEFAULT_TOP);
    if !(1..=MAX_TOP).contains(&top) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            format!("top must be within 1..={MAX_TOP}, got {top}"),
        ));
    }
    let problem = with_town(inline_problem(request.problem, limits)?, request.town, limits)?;
    let plan = read_plan(request.plan, "plan", &problem, limits)?;
    let oracle = build_oracle(&problem)?;
    crate::fit_new_town(&problem, oracle.as_ref(), &plan, top as usize).map_err(routes_error)
}

/// The problem with the new town (its last): a town of the wrong shape is
/// 400 `invalid_town`, one the problem cannot take 422
/// `unprocessable_town`, one past the town limit 413 `problem_too_large`.
fn with_town(problem: Problem, town: &RawValue, limits: &Limits) -> Result<Problem, ApiError> {
    let spec: TownSpec = request::parse_json(town.get().as_bytes(), "invalid_town", "a town (in `town`)")?;
    let towns = problem.towns.len() + 1;
    if towns > limits.max_towns {
        return Err(request::too_large(
            "towns (the new one included)",
            towns,
            limits.max_towns,
        ));
    }
    problem.with_town(spec).map_err(|e| match e {
        Error::TooLarge { .. } => e.into(),
        e => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unprocessable_town", e.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::super::eta::tests::PROBLEM;
    use super::*;

    const PLAN: &str = r#"{"routes": [{"stops": ["a", "b"]}]}"#;

    fn body(town: &str, rest: &str) -> String {
        format!("{{\"problem\": {PROBLEM}, \"plan\": {PLAN}, \"town\": {town}{rest}}}")
    }

    fn code(body: &str, limits: &Limits) -> Option<(u16, &'static str)> {
        run(body.as_bytes(), limits).err().map(|e| (e.status.as_u16(), e.code))
    }

    #[test]
    fn requests_are_checked() {
        let limits = Limits::default();
        let near = r#"{"id": "c", "location": {"x": 3, "y": 3}, "demand": 1}"#;
        let r = run(body(near, "").as_bytes(), &limits).unwrap();
        assert!(r.fits);
        assert_eq!(r.town, "c");
        let best = &r.options[0];
        assert_eq!(best.schedule.stops[best.position].town, "c");
        let r = run(body(near, ", \"top\": 1").as_bytes(), &limits).unwrap();
        assert_eq!(r.options.len(), 1);
        let heavy = r#"{"id": "c", "location": {"x": 3, "y": 3}, "demand": 9}"#;
        let r = run(body(heavy, "").as_bytes(), &limits).unwrap();
        assert!(!r.fits && r.options.is_empty() && r.because.is_some());

        assert_eq!(code("{", &limits), Some((400, "malformed_json")));
        assert_eq!(
            code(&format!("{{\"problem\": {PROBLEM}, \"plan\": {PLAN}}}"), &limits),
            Some((400, "invalid_request"))
        );
        for top in ["0", "1001", "-1", "2.5"] {
            let rest = format!(", \"top\": {top}");
            assert_eq!(
                code(&body(near, &rest), &limits),
                Some((400, "invalid_request")),
                "{top}"
            );
        }
        assert_eq!(code(&body("[1]", ""), &limits), Some((400, "invalid_town")));
        assert_eq!(
            code(
                &body(r#"{"id": "c", "location": {"x": 1, "y": 1}, "colour": 1}"#, ""),
                &limits
            ),
            Some((400, "invalid_town"))
        );
        for taken in ["a", "d"] {
            let town = format!(r#"{{"id": "{taken}", "location": {{"x": 1, "y": 1}}}}"#);
            let e = run(body(&town, "").as_bytes(), &limits).unwrap_err();
            assert_eq!((e.status.as_u16(), e.code), (422, "unprocessable_town"));
            assert!(e.message.contains(&format!("'{taken}'")), "{}", e.message);
        }
        let geo = r#"{"id": "c", "location": {"lon": 11, "lat": 50}}"#;
        assert_eq!(code(&body(geo, ""), &limits), Some((422, "unprocessable_town")));
        let negative = r#"{"id": "c", "location": {"x": 1, "y": 1}, "demand": -1}"#;
        assert_eq!(code(&body(negative, ""), &limits), Some((422, "unprocessable_town")));
        // The plan naming the new town: read, then refused by fit.
        let on_route = format!(
            "{{\"problem\": {PROBLEM}, \"plan\": {{\"routes\": [{{\"stops\": [\"a\", \"c\"]}}]}}, \"town\": {near}}}"
        );
        assert_eq!(code(&on_route, &limits), Some((422, "unprocessable_routes")));
        let unknown = format!(
            "{{\"problem\": {PROBLEM}, \"plan\": {{\"routes\": [{{\"stops\": [\"zz\"]}}]}}, \"town\": {near}}}"
        );
        assert_eq!(code(&unknown, &limits), Some((422, "unprocessable_routes")));
        let bad_plan = format!("{{\"problem\": {PROBLEM}, \"plan\": [1], \"town\": {near}}}");
        assert_eq!(code(&bad_plan, &limits), Some((400, "invalid_routes")));
        let sol = format!("{{\"problem\": {PROBLEM}, \"plan\": \"Route #1: 2 1\\n\", \"town\": {near}}}");
        assert!(run(sol.as_bytes(), &limits).unwrap().fits);
        let bad = format!("{{\"problem\": [1], \"plan\": {PLAN}, \"town\": {near}}}");
        assert_eq!(code(&bad, &limits), Some((400, "invalid_problem")));

        let two = Limits {
            max_towns: 2,
            ..Limits::default()
        };
        assert_eq!(code(&body(near, ""), &two), Some((413, "problem_too_large")));
        let matrix = r#"{"travel": {"kind": "matrix", "distances": [[0, 1], [1, 0]]},
            "depots": [{"id": "d", "location": {"x": 0, "y": 0}}],
            "towns": [{"id": "a", "location": {"x": 3, "y": 4}, "demand": 1}],
            "fleet": [{"id": "v", "depot": "d", "capacity": 5}]}"#;
        let m = format!("{{\"problem\": {matrix}, \"plan\": {{\"routes\": []}}, \"town\": {near}}}");
        assert_eq!(code(&m, &limits), Some((422, "unprocessable_town")));
    }
}
