//! What a solve request says: the problem (a JSON problem or a towns CSV in
//! the body, or `{"problem", "initial"}` to start from a previous plan) and
//! the solver options (query parameters), checked against the [`Limits`].

use super::error::ApiError;
use super::limits::Limits;
use crate::io::{ReadOptions, TownCsvOptions, read_towns_csv, resolve_files};
use crate::model::{DepotSpec, Location, Problem, ProblemSpec, VehicleTypeSpec};
use crate::solver::{DEFAULT_ITERATIONS, Objective, SolverConfig};
use axum::http::{HeaderMap, StatusCode, header};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use utoipa::{IntoParams, ToSchema};

/// What the solver minimises (query parameter `objective`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ObjectiveParam {
    /// Total distance (or the problem's money costs), as given.
    #[default]
    Distance,
    /// Fewest routes first, then distance (single-day problems only).
    Vehicles,
}

/// Query parameters of `POST /v1/solve` and `POST /v1/jobs`. Unknown
/// parameters are refused (400 `invalid_parameter`).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SolveParams {
    /// Wall-clock budget in seconds (> 0). Absent: the service's cap
    /// (`--max-sync-time-limit` for `/v1/solve`, `--max-time-limit` for
    /// jobs) bounds the solve. Over the cap: 422 `time_limit_too_long`.
    pub time_limit: Option<f64>,
    /// Search steps (reproducible with the same seed and threads). Default
    /// without `time_limit`: 20,000; always bounded by the time cap too.
    pub iterations: Option<u64>,
    /// Seed of the search (default 0).
    pub seed: Option<u64>,
    /// Solver threads, 1..=`--max-threads` (default: `--max-threads`);
    /// more: 422 `too_many_threads`.
    pub threads: Option<usize>,
    /// `distance` (default) or `vehicles` (fewest routes first).
    #[param(inline)]
    pub objective: Option<ObjectiveParam>,
    /// Towns CSV bodies only: depot longitude (with `depot_lat`; default:
    /// the towns' centroid).
    pub depot_lon: Option<f64>,
    /// Towns CSV bodies only: depot latitude (with `depot_lon`).
    pub depot_lat: Option<f64>,
    /// Towns CSV bodies only: vehicle capacity (default 100).
    pub capacity: Option<f64>,
    /// Towns CSV bodies only: number of vehicles (default unlimited).
    pub vehicles: Option<i64>,
    /// With `initial` in the body only: what moving a town to another
    /// vehicle than the one it had in the initial plan costs, in the
    /// problem's cost units (finite, at least 0; default 0).
    pub change_penalty: Option<f64>,
}

/// The body of a solve that starts from a previous plan (a JSON body whose
/// top-level object has a `problem` field; any other JSON body is the
/// problem itself).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct WarmStartBody<'a> {
    /// The JSON problem, as a plain body gives it (inline only). A problem
    /// with `horizon_days` is refused with `initial` (422): a multi-day
    /// problem is planned from nothing.
    #[serde(borrow)]
    #[schema(value_type = Object)]
    problem: &'a RawValue,
    /// The plan to start from, read leniently against the problem (towns,
    /// vehicle types and reload depots it no longer has are left out): the
    /// solution JSON a solve answers, a JSON of sequences (`{"routes":
    /// [{"vehicle_type": "van", "stops": ["a", "b"]}]}`), or a string
    /// holding either JSON as text or a CVRPLIB `.sol`. Absent: a solve
    /// from nothing.
    #[serde(borrow, default)]
    #[schema(schema_with = super::eta::routes_schema)]
    initial: Option<&'a RawValue>,
}

/// A request ready to solve.
#[derive(Debug, Clone)]
pub struct SolveRequest {
    /// The validated problem.
    pub problem: Problem,
    /// Solver settings within the limits (the objective included).
    pub config: SolverConfig,
    /// The problem's state of the day, settled: `problem` is the problem
    /// of the rest of the day, and the answer reports each vehicle.
    pub day: Option<crate::SettledDay>,
}

/// The body's kind, from its `Content-Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// `application/json`: a JSON problem.
    Json,
    /// `text/csv`: a towns CSV.
    Csv,
}

/// The body kind of a request: `application/json` (or any `+json` type) or
/// `text/csv`; anything else, or none, is 415 `unsupported_media_type`.
pub fn body_kind(headers: &HeaderMap) -> Result<BodyKind, ApiError> {
    let unsupported = |what: &str| {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!("{what}: send a JSON problem as application/json or a towns CSV as text/csv"),
        )
    };
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Err(unsupported("no Content-Type"));
    };
    let Ok(value) = value.to_str() else {
        return Err(unsupported("unreadable Content-Type"));
    };
    let media = value.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match media.as_str() {
        "application/json" => Ok(BodyKind::Json),
        m if m.starts_with("application/") && m.ends_with("+json") => Ok(BodyKind::Json),
        "text/csv" | "application/csv" => Ok(BodyKind::Csv),
        _ => Err(unsupported(&format!(
            "Content-Type '{}'",
            crate::text::escape(&media.chars().take(80).collect::<String>())
        ))),
    }
}

/// Parses the query string of a solve request.
pub fn parse_params(query: Option<&str>) -> Result<SolveParams, ApiError> {
    serde_urlencoded::from_str(query.unwrap_or("")).map_err(|e| ApiError::parameter(format!("query: {e}")))
}

/// Builds the request: the problem from the body, the solver settings from
/// the parameters, both checked against `limits`; `max_time` is the time
/// cap of this kind of request.
pub fn build(
    kind: BodyKind,
    body: &[u8],
    params: &SolveParams,
    limits: &Limits,
    max_time: Duration,
) -> Result<SolveRequest, ApiError> {
    let mut config = solver_config(params, limits, max_time)?;
    let (problem, initial) = match kind {
        BodyKind::Json => json_problem(body, params, limits)?,
        BodyKind::Csv => (checked_problem(csv_spec(body, params)?, limits)?, None),
    };
    // A state of the day: the problem of the rest of the day.
    let (problem, day) = crate::settle_day(problem)?;
    let objective = match params.objective.unwrap_or_default() {
        ObjectiveParam::Distance => Objective::Distance,
        ObjectiveParam::Vehicles => Objective::Vehicles,
    };
    if objective == Objective::Vehicles && problem.horizon_days.is_some() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unprocessable_problem",
            "objective=vehicles plans single-day problems; a multi-day problem is planned by distance",
        ));
    }
    config.objective = objective;
    match (initial, params.change_penalty) {
        (None, Some(_)) => {
            return Err(ApiError::parameter(
                "change_penalty applies to a solve from a previous plan: send {\"problem\": ..., \"initial\": ...}",
            ));
        }
        (None, None) => {}
        (Some(raw), penalty) => {
            let penalty = match penalty {
                Some(p) if !(p.is_finite() && p >= 0.0) => {
                    return Err(ApiError::parameter(format!(
                        "change_penalty must be a finite cost of at least 0, got {p}"
                    )));
                }
                p => p.unwrap_or(0.0),
            };
            config.initial = Some(Arc::new(initial_plan(raw, &problem, day.as_ref(), limits)?));
            config.change_penalty = penalty;
        }
    }
    Ok(SolveRequest { problem, config, day })
}

/// The plan of `initial`, read leniently against `problem`
/// ([`crate::io::read_initial_plan`]) and held to the plan limits as
/// `/v1/eta`'s routes are; a multi-day problem is refused (422).
fn initial_plan(
    raw: &RawValue,
    problem: &Problem,
    day: Option<&crate::SettledDay>,
    limits: &Limits,
) -> Result<crate::solution::Plan, ApiError> {
    if problem.horizon_days.is_some() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unprocessable_problem",
            "initial starts single-day solves; a multi-day problem (horizon_days) is planned from nothing",
        ));
    }
    super::eta::read_plan_with(raw, "initial", limits, |text| {
        crate::SettledDay::read_initial(day, text, "initial", problem).map(|p| p.plan)
    })
}

/// The problem of a JSON body, and the raw `initial` plan when the body is
/// `{"problem", "initial"}` (told apart by its `problem` field, which no
/// problem has); a plain problem is read exactly as it always was.
fn json_problem<'a>(
    body: &'a [u8],
    params: &SolveParams,
    limits: &Limits,
) -> Result<(Problem, Option<&'a RawValue>), ApiError> {
    let trimmed = body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(body);
    let wrapped = serde_json::from_slice::<BTreeMap<String, &RawValue>>(trimmed)
        .is_ok_and(|fields| fields.contains_key("problem"));
    refuse_csv_params(params)?;
    if !wrapped {
        let spec = parse_json(body, "invalid_problem", "a problem")?;
        return Ok((checked_problem(spec, limits)?, None));
    }
    let request: WarmStartBody<'a> = parse_json(
        body,
        "invalid_request",
        "a solve request {\"problem\": ..., \"initial\": ...}",
    )?;
    let spec = parse_json(
        request.problem.get().as_bytes(),
        "invalid_problem",
        "a problem (in `problem`)",
    )?;
    Ok((checked_problem(spec, limits)?, request.initial))
}

fn solver_config(params: &SolveParams, limits: &Limits, max_time: Duration) -> Result<SolverConfig, ApiError> {
    let time_limit = match params.time_limit {
        None => max_time,
        Some(t) if !(t.is_finite() && t > 0.0) => {
            return Err(ApiError::parameter(format!(
                "time_limit must be a positive number of seconds, got {t}"
            )));
        }
        Some(t) if t > max_time.as_secs_f64() => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "time_limit_too_long",
                format!(
                    "time_limit {t} s exceeds this service's cap of {} s for this kind of request",
                    max_time.as_secs_f64()
                ),
            ));
        }
        Some(t) => Duration::from_secs_f64(t),
    };
    let threads = match params.threads {
        None => limits.max_threads,
        Some(0) => return Err(ApiError::parameter("threads must be at least 1")),
        Some(n) if n > limits.max_threads => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "too_many_threads",
                format!("threads {n} exceeds this service's cap of {}", limits.max_threads),
            ));
        }
        Some(n) => n,
    };
    // As the CLI: without a time limit, the default iteration budget.
    let iterations = params
        .iterations
        .or(params.time_limit.is_none().then_some(DEFAULT_ITERATIONS));
    Ok(SolverConfig {
        seed: params.seed.unwrap_or(0),
        threads: Some(threads),
        time_limit: Some(time_limit),
        iterations,
        ..SolverConfig::default()
    })
}

/// The parameters that complete a towns CSV are refused with a JSON body.
fn refuse_csv_params(params: &SolveParams) -> Result<(), ApiError> {
    let csv_only = [
        ("depot_lon", params.depot_lon.is_some()),
        ("depot_lat", params.depot_lat.is_some()),
        ("capacity", params.capacity.is_some()),
        ("vehicles", params.vehicles.is_some()),
    ];
    if let Some((name, _)) = csv_only.iter().find(|(_, given)| *given) {
        return Err(ApiError::parameter(format!(
            "{name} applies to towns CSV bodies (text/csv); a JSON problem states its own depots and fleet"
        )));
    }
    Ok(())
}

/// Parses a JSON body (a UTF-8 byte order mark, as spreadsheets and some
/// editors write it, is skipped): text that is not JSON is 400
/// `malformed_json`; JSON of the wrong shape is 400 `shape_code`, its
/// message saying the JSON is not `what`.
pub(crate) fn parse_json<'a, T: Deserialize<'a>>(
    body: &'a [u8],
    shape_code: &'static str,
    what: &str,
) -> Result<T, ApiError> {
    let body = body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(body);
    serde_json::from_slice(body).map_err(|e| {
        use serde_json::error::Category;
        match e.classify() {
            Category::Syntax | Category::Eof | Category::Io => ApiError::new(
                StatusCode::BAD_REQUEST,
                "malformed_json",
                format!("the body is not valid JSON: {e}"),
            ),
            Category::Data => ApiError::new(
                StatusCode::BAD_REQUEST,
                shape_code,
                format!("the JSON is not {what}: {e}"),
            ),
        }
    })
}

/// The problem of a request, under the service's rules: within the size
/// limits (413), inline only (422 `file_reference_refused`, the file never
/// read), and valid (422 `unprocessable_problem`).
pub(crate) fn checked_problem(spec: ProblemSpec, limits: &Limits) -> Result<Problem, ApiError> {
    check_size(&spec, limits)?;
    refuse_files(&spec)?;
    // No folder and no permission: any file reference left is refused, never read.
    let spec = resolve_files(spec, None, &ReadOptions::default())?;
    Ok(Problem::from_spec(spec)?)
}

fn csv_spec(body: &[u8], params: &SolveParams) -> Result<ProblemSpec, ApiError> {
    let towns = read_towns_csv(body, "request body", &TownCsvOptions::default())?;
    let depot = match (params.depot_lon, params.depot_lat) {
        (Some(lon), Some(lat)) => Location::Geo { lon, lat },
        (None, None) if !towns.is_empty() => {
            // The plain mean of the towns' degrees: fine for a rural
            // region, not across the antimeridian.
            let (mut lon, mut lat) = (0.0, 0.0);
            for t in &towns {
                if let Location::Geo { lon: x, lat: y } = t.location {
                    lon += x;
                    lat += y;
                }
            }
            let n = towns.len() as f64;
            Location::Geo {
                lon: lon / n,
                lat: lat / n,
            }
        }
        (None, None) => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "unprocessable_problem",
                "the towns CSV has no towns",
            ));
        }
        _ => return Err(ApiError::parameter("give both depot_lon and depot_lat, or neither")),
    };
    let capacity = params.capacity.unwrap_or(100.0);
    Ok(ProblemSpec {
        name: "towns.csv".into(),
        depots: vec![DepotSpec {
            id: "depot".into(),
            name: String::new(),
            location: depot,
            hours: None,
        }],
        towns,
        fleet: vec![VehicleTypeSpec {
            count: params.vehicles,
            ..VehicleTypeSpec::new("van", "depot", capacity)
        }],
        ..ProblemSpec::default()
    })
}

pub(crate) fn too_large(what: &str, value: usize, limit: usize) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "problem_too_large",
        format!("{what} = {value} exceeds this service's limit of {limit}"),
    )
}

/// Refuses problems over the size limits before anything is built.
fn check_size(spec: &ProblemSpec, limits: &Limits) -> Result<(), ApiError> {
    if spec.towns.len() > limits.max_towns {
        return Err(too_large("towns", spec.towns.len(), limits.max_towns));
    }
    // Each vehicle of a state of the day plans from a depot and as a type
    // of its own (`settle_day`): they count among both.
    let on_road = spec.state.as_ref().map_or(0, |s| s.vehicles.len());
    let depots = spec.depots.len().saturating_add(on_road);
    if depots > limits.max_depots {
        return Err(too_large(
            "depots (with one per vehicle of the state)",
            depots,
            limits.max_depots,
        ));
    }
    let vehicles = spec.fleet.iter().fold(on_road, |n, v| {
        let stated = v.count.map_or(0, |c| usize::try_from(c.max(0)).unwrap_or(usize::MAX));
        n.saturating_add(stated).saturating_add(1)
    });
    if vehicles > limits.max_vehicles {
        return Err(too_large(
            "vehicles (stated counts + one per type + the state's)",
            vehicles,
            limits.max_vehicles,
        ));
    }
    Ok(())
}

/// Problems come inline only: a problem naming a file (towns CSV, road
/// network CSVs, OSM extract) is refused, and the file never read.
fn refuse_files(spec: &ProblemSpec) -> Result<(), ApiError> {
    match spec.file_reference() {
        Some(what) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "file_reference_refused",
            format!(
                "the problem references a file ({what}); this service takes problems inline only: \
                 put the towns in `towns` (or send a towns CSV as text/csv) and use a travel kind \
                 without files (euclidean, haversine, matrix)"
            ),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"{"depots": [{"id": "d", "location": {"x": 0, "y": 0}}],
        "towns": [{"id": "a", "location": {"x": 3, "y": 4}, "demand": 1}],
        "fleet": [{"id": "v", "depot": "d", "capacity": 5}]}"#;

    fn build_json(body: &str, query: &str) -> Result<SolveRequest, ApiError> {
        let params = parse_params(Some(query))?;
        build(
            BodyKind::Json,
            body.as_bytes(),
            &params,
            &Limits::default(),
            Duration::from_secs(30),
        )
    }

    #[test]
    fn requests_are_checked() {
        let r = build_json(SMALL, "time_limit=2&seed=3&objective=vehicles").unwrap();
        assert_eq!(r.config.time_limit, Some(Duration::from_secs(2)));
        assert_eq!((r.config.seed, r.config.iterations), (3, None));
        assert_eq!(r.config.objective, Objective::Vehicles);
        let r = build_json(SMALL, "").unwrap();
        assert_eq!(r.config.iterations, Some(DEFAULT_ITERATIONS));
        let code = |body: &str, q: &str| build_json(body, q).err().map(|e| (e.status.as_u16(), e.code));
        assert_eq!(code(SMALL, "time_limt=2"), Some((400, "invalid_parameter")));
        assert_eq!(code(SMALL, "time_limit=abc"), Some((400, "invalid_parameter")));
        assert_eq!(code(SMALL, "time_limit=-1"), Some((400, "invalid_parameter")));
        assert_eq!(code(SMALL, "time_limit=31"), Some((422, "time_limit_too_long")));
        assert_eq!(code(SMALL, "threads=100000"), Some((422, "too_many_threads")));
        assert_eq!(code(SMALL, "capacity=3"), Some((400, "invalid_parameter")));
        assert_eq!(code(SMALL, "objective=time"), Some((400, "invalid_parameter")));
        assert_eq!(code("{", ""), Some((400, "malformed_json")));
        assert_eq!(code("[1]", ""), Some((400, "invalid_problem")));
        let neg = SMALL.replace("\"demand\": 1", "\"demand\": -1");
        assert_eq!(code(&neg, ""), Some((422, "unprocessable_problem")));
        let file = SMALL.replace("\"towns\"", "\"towns_csv\": {\"path\": \"/etc/passwd\"}, \"towns\"");
        assert_eq!(code(&file, ""), Some((422, "file_reference_refused")));
        let roads = SMALL.replace(
            "\"depots\"",
            "\"travel\": {\"kind\": \"road_network\", \"nodes_csv\": \"n.csv\", \"edges_csv\": \"e.csv\"}, \"depots\"",
        );
        assert_eq!(code(&roads, ""), Some((422, "file_reference_refused")));
        let osm = SMALL.replace(
            "\"depots\"",
            "\"travel\": {\"kind\": \"osm\", \"pbf\": \"x.pbf\"}, \"depots\"",
        );
        assert_eq!(code(&osm, ""), Some((422, "file_reference_refused")));
    }

    #[test]
    fn towns_csv_bodies_make_a_problem() {
        let csv = "id,lat,lon,demand\na,50.0,11.0,3\nb,50.2,11.2,4\n";
        let params = parse_params(Some("capacity=10&vehicles=2")).unwrap();
        let r = build(
            BodyKind::Csv,
            csv.as_bytes(),
            &params,
            &Limits::default(),
            Duration::from_secs(5),
        )
        .unwrap();
        assert_eq!(r.problem.towns.len(), 2);
        assert_eq!(r.problem.depots[0].location, Location::Geo { lon: 11.1, lat: 50.1 });
        let params = parse_params(Some("depot_lon=11")).unwrap();
        let e = build(
            BodyKind::Csv,
            csv.as_bytes(),
            &params,
            &Limits::default(),
            Duration::from_secs(5),
        )
        .unwrap_err();
        assert_eq!(e.code, "invalid_parameter");
        let e = build(
            BodyKind::Csv,
            b"x,y\n1,2\n",
            &SolveParams::default(),
            &Limits::default(),
            Duration::from_secs(5),
        )
        .unwrap_err();
        assert_eq!(e.status.as_u16(), 400);
        let limits = Limits {
            max_towns: 1,
            ..Limits::default()
        };
        let e = build(
            BodyKind::Csv,
            csv.as_bytes(),
            &SolveParams::default(),
            &limits,
            Duration::from_secs(5),
        )
        .unwrap_err();
        assert_eq!((e.status.as_u16(), e.code), (413, "problem_too_large"));
    }

    /// Each vehicle of a state of the day becomes a depot and a vehicle
    /// type when settled: they count against the limits before that.
    #[test]
    fn the_vehicles_of_a_state_count_against_the_limits() {
        let vehicles: Vec<String> = (0..3)
            .map(|i| format!(r#"{{"vehicle_type": "van", "vehicle": {i}, "started": 0}}"#))
            .collect();
        let body = format!(
            r#"{{"depots": [{{"id": "d", "location": {{"x": 0, "y": 0}}}}],
                "towns": [{{"id": "a", "location": {{"x": 10, "y": 0}}, "demand": 1}}],
                "fleet": [{{"id": "van", "depot": "d", "capacity": 5, "count": 3}}],
                "state": {{"now": 100, "vehicles": [{}]}}}}"#,
            vehicles.join(",")
        );
        let build_with = |limits: &Limits| {
            build(
                BodyKind::Json,
                body.as_bytes(),
                &SolveParams::default(),
                limits,
                Duration::from_secs(5),
            )
        };
        assert!(build_with(&Limits::default()).is_ok());
        let few_depots = Limits {
            max_depots: 3,
            ..Limits::default()
        };
        let e = build_with(&few_depots).unwrap_err();
        assert_eq!((e.status.as_u16(), e.code), (413, "problem_too_large"), "{}", e.message);
        let few_vehicles = Limits {
            max_vehicles: 6,
            ..Limits::default()
        };
        let e = build_with(&few_vehicles).unwrap_err();
        assert_eq!((e.status.as_u16(), e.code), (413, "problem_too_large"), "{}", e.message);
    }

    #[test]
    fn content_types() {
        let mut h = HeaderMap::new();
        assert_eq!(body_kind(&h).unwrap_err().status.as_u16(), 415);
        h.insert(header::CONTENT_TYPE, "application/json; charset=utf-8".parse().unwrap());
        assert_eq!(body_kind(&h).unwrap(), BodyKind::Json);
        h.insert(header::CONTENT_TYPE, "Text/CSV".parse().unwrap());
        assert_eq!(body_kind(&h).unwrap(), BodyKind::Csv);
        h.insert(header::CONTENT_TYPE, "text/plain".parse().unwrap());
        assert_eq!(body_kind(&h).unwrap_err().code, "unsupported_media_type");
    }
}
