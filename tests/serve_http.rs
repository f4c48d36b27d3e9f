//! `backroads serve` over loopback: a real server process per test, a
//! std-only HTTP/1.1 client. Asserted facts are statuses and codes; polls
//! have generous deadlines, never speeds.
#![cfg(all(feature = "serve", feature = "cli"))]

mod common;
#[path = "common/http.rs"]
mod http;

use backroads::distance::build_oracle;
use backroads::io;
use backroads::solution::validate;
use common::{BIN, arg, read_json};
use http::{Reply, Server};
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(180);

fn small_path() -> std::path::PathBuf {
    common::example_path("small.json")
}

fn small() -> String {
    std::fs::read_to_string(small_path()).unwrap()
}

/// Checks a solution JSON against small.json with the validator.
fn assert_valid_small_solution(body: &str) {
    let problem = io::read_problem_file(&small_path()).unwrap();
    let solution = io::read_solution_json(body, "response").unwrap();
    let oracle = build_oracle(&problem).unwrap();
    let report = validate(&problem, oracle.as_ref(), &solution);
    assert!(report.is_feasible(), "{:?}", report.violations);
    assert!(!solution.routes.is_empty());
}

/// Polls a job until `done(status)` or the deadline.
fn poll(server: &Server, id: &str, done: impl Fn(&str) -> bool) -> Reply {
    let start = Instant::now();
    loop {
        let r = server.get(&format!("/v1/jobs/{id}"));
        assert_eq!(r.status, 200, "{}", r.body);
        let status = r.json()["status"].as_str().unwrap_or_default().to_string();
        if done(&status) {
            return r;
        }
        assert!(start.elapsed() < DEADLINE, "job {id} still {status}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn terminal(s: &str) -> bool {
    matches!(s, "done" | "failed" | "cancelled")
}

fn create(server: &Server, query: &str, body: &str) -> String {
    let r = server.post_json(&format!("/v1/jobs?{query}"), body);
    assert_eq!(r.status, 202, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_string();
    assert_eq!(r.header("location"), Some(format!("/v1/jobs/{id}").as_str()));
    id
}

#[test]
fn sync_solve_and_refusals() {
    let server = Server::start(
        BIN,
        &[
            "--max-towns",
            "50",
            "--max-sync-time-limit",
            "60",
            "--max-threads",
            "2",
            "--body-timeout",
            "1",
        ],
    );
    let health = server.get("/health");
    assert_eq!((health.status, health.json()["status"].as_str()), (200, Some("ok")));

    let r = server.post_json("/v1/solve?iterations=200&threads=1&seed=3", &small());
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_valid_small_solution(&r.body);
    // Exactly what `backroads solve --out` writes for the same settings.
    let out = common::scratch("serve_http", "sync-solve").join("cli.json");
    let cli = common::backroads(&[
        "solve",
        arg(&small_path()),
        "--iterations",
        "200",
        "--threads",
        "1",
        "--seed",
        "3",
        "--quiet",
        "--out",
        arg(&out),
    ]);
    assert!(cli.status.code().is_some_and(|c| c == 0 || c == 3), "{cli:?}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), r.body);
    let _ = std::fs::remove_file(&out);

    // A towns CSV with the rest of the problem in the query.
    let csv = "id,name,lat,lon,demand\na,Ahorn,50.03,11.56,3\nb,Buch,50.01,11.50,4\nc,Culm,49.99,11.55,5\n";
    let r = server.call(
        "POST",
        "/v1/solve?capacity=8&vehicles=3&iterations=100&threads=1",
        &[("Content-Type", "text/csv")],
        csv.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let s = io::read_solution_json(&r.body, "csv response").unwrap();
    assert_eq!(s.totals.towns_served, 3);
    assert!(s.routes.len() >= 2);

    let refused = |r: Reply, status: u16, code: &str| {
        assert_eq!((r.status, r.error_code().as_str()), (status, code), "{}", r.body);
        assert!(!r.json()["error"]["message"].as_str().unwrap_or_default().is_empty());
    };
    refused(server.post_json("/v1/solve", "{\"depots\": ["), 400, "malformed_json");
    refused(server.post_json("/v1/solve", "[1, 2]"), 400, "invalid_problem");
    refused(
        server.post_json("/v1/solve", &small().replacen("\"demand\": 12", "\"demand\": -12", 1)),
        422,
        "unprocessable_problem",
    );
    refused(
        server.post_json(
            "/v1/solve",
            &small().replacen(
                "\"towns\":",
                "\"towns_csv\": {\"path\": \"/etc/passwd\"}, \"towns\":",
                1,
            ),
        ),
        422,
        "file_reference_refused",
    );
    refused(
        server.post_json(
            "/v1/solve",
            &small().replacen(
                "{ \"kind\": \"haversine\", \"circuity\": 1.3 }",
                "{\"kind\": \"road_network\", \"nodes_csv\": \"../../etc/n.csv\", \"edges_csv\": \"e.csv\"}",
                1,
            ),
        ),
        422,
        "file_reference_refused",
    );
    refused(
        server.call(
            "POST",
            "/v1/solve",
            &[("Content-Type", "text/plain")],
            small().as_bytes(),
        ),
        415,
        "unsupported_media_type",
    );
    refused(
        server.call("POST", "/v1/solve", &[], small().as_bytes()),
        415,
        "unsupported_media_type",
    );
    // Declared too large: refused before the body is read.
    refused(
        server.call(
            "POST",
            "/v1/jobs",
            &[("Content-Type", "application/json"), ("Content-Length", "100000000")],
            b"",
        ),
        413,
        "body_too_large",
    );
    // A body that stops short of its length: 408 once the body timeout passed.
    refused(
        server.call(
            "POST",
            "/v1/solve",
            &[("Content-Type", "application/json"), ("Content-Length", "100")],
            b"{\"depots\"",
        ),
        408,
        "body_timeout",
    );
    let many: Vec<String> = (0..60)
        .map(|i| format!("{{\"id\": \"t{i}\", \"location\": {{\"x\": {i}, \"y\": 1}}, \"demand\": 1}}"))
        .collect();
    let big = format!(
        "{{\"depots\": [{{\"id\": \"d\", \"location\": {{\"x\": 0, \"y\": 0}}}}], \"towns\": [{}], \
         \"fleet\": [{{\"id\": \"v\", \"depot\": \"d\", \"capacity\": 10}}]}}",
        many.join(",")
    );
    refused(server.post_json("/v1/solve", &big), 413, "problem_too_large");
    refused(
        server.post_json("/v1/solve?time_limt=3", &small()),
        400,
        "invalid_parameter",
    );
    refused(
        server.post_json("/v1/solve?objective=time", &small()),
        400,
        "invalid_parameter",
    );
    refused(
        server.post_json("/v1/solve?time_limit=61", &small()),
        422,
        "time_limit_too_long",
    );
    refused(
        server.post_json("/v1/solve?threads=3", &small()),
        422,
        "too_many_threads",
    );
    refused(
        server.post_json("/v1/solve?capacity=3", &small()),
        400,
        "invalid_parameter",
    );
    refused(server.get("/v1/jobs/no-such-job"), 404, "job_not_found");
    refused(server.get("/v1/jobs/no-such-job/solution"), 404, "job_not_found");
    refused(
        server.call("DELETE", "/v1/jobs/no-such-job", &[], b""),
        404,
        "job_not_found",
    );
    refused(server.get("/v1/jobs/%FF%FE"), 404, "job_not_found");
    refused(server.get("/v2/nothing"), 404, "not_found");
    refused(server.get("/v1/solve"), 405, "method_not_allowed");

    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").unwrap_or_default().starts_with("text/html"));

    let doc = server.get("/openapi.json");
    assert_eq!(doc.status, 200);
    let doc = doc.json();
    assert!(doc["openapi"].as_str().unwrap_or_default().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/",
        "/health",
        "/openapi.json",
        "/v1/solve",
        "/v1/jobs",
        "/v1/jobs/{id}",
        "/v1/jobs/{id}/solution",
        "/v1/eta",
        "/v1/fit",
    ] {
        assert!(paths.contains_key(p), "{p} missing from {:?}", paths.keys());
    }
    assert!(paths["/v1/jobs/{id}"].get("delete").is_some());
}

/// A JSON body `{"problem": problem, name: value, ...}` of JSON texts.
fn problem_and(problem: &str, fields: &[(&str, &str)]) -> String {
    let rest: String = fields
        .iter()
        .map(|(name, value)| format!(", \"{name}\": {value}"))
        .collect();
    format!("{{\"problem\": {problem}{rest}}}")
}

/// A solve's body with a plan to start from, as JSON texts.
fn warm_body(problem: &str, initial: &str) -> String {
    problem_and(problem, &[("initial", initial)])
}

/// A warm start over HTTP: the solver's answer given back as `initial`
/// (to `/v1/solve` and to a job, run in worker processes) gives a feasible
/// plan serving at least as many towns; what cannot start a solve is
/// refused with the CLI's reasons.
#[test]
fn warm_start_from_the_solvers_answer() {
    let server = Server::start(BIN, &[]);
    let first = server.post_json("/v1/solve?iterations=200&threads=1&seed=3", &small());
    assert_eq!(first.status, 200, "{}", first.body);
    let served = |body: &str| io::read_solution_json(body, "response").unwrap().totals.towns_served;
    let body = warm_body(&small(), &first.body);
    let again = server.post_json("/v1/solve?iterations=20&threads=1&seed=4&change_penalty=100", &body);
    assert_eq!(again.status, 200, "{}", again.body);
    assert_valid_small_solution(&again.body);
    assert!(served(&again.body) >= served(&first.body));
    // As a job, the plan given as a string of its JSON text.
    let text = serde_json::to_string(&first.body).unwrap();
    let id = create(&server, "iterations=20&threads=1", &warm_body(&small(), &text));
    let r = poll(&server, &id, terminal);
    assert_eq!(r.json()["status"], "done", "{}", r.body);
    let plan = server.get(&format!("/v1/jobs/{id}/solution"));
    assert_valid_small_solution(&plan.body);
    assert!(served(&plan.body) >= served(&first.body));

    let code = |query: &str, body: &str| {
        let r = server.post_json(&format!("/v1/solve?iterations=20&threads=1{query}"), body);
        (r.status, r.error_code())
    };
    let bad = (400, "invalid_parameter".to_string());
    assert_eq!(code("&change_penalty=5", &small()), bad);
    assert_eq!(code("&change_penalty=-1", &body), bad);
    assert_eq!(code("&change_penalty=inf", &body), bad);
    assert_eq!(code("", &warm_body(&small(), "\"{not json\"")).0, 400);
    assert_eq!(
        code("", &warm_body(&small(), "[1]")),
        (400, "invalid_routes".to_string())
    );
    let extra = body.replacen('{', "{\"routes\": 1, ", 1);
    assert_eq!(code("", &extra), (400, "invalid_request".to_string()));
    let week = r#"{"name": "week", "horizon_days": 2,
        "depots": [{"id": "d", "location": {"x": 0, "y": 0}}],
        "towns": [{"id": "a", "location": {"x": 10, "y": 0}, "demand": 2, "days": [1, 2]}],
        "fleet": [{"id": "v", "depot": "d", "capacity": 10, "count": 2}]}"#;
    let r = server.post_json(
        "/v1/solve?iterations=20&threads=1",
        &warm_body(week, r#"{"routes": [{"vehicle_type": "v", "stops": ["a"]}]}"#),
    );
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (422, "unprocessable_problem"),
        "{}",
        r.body
    );
    assert!(r.body.contains("multi-day"), "{}", r.body);
}

/// The body of `POST /v1/eta`: `problem` and `routes` as JSON texts.
fn eta_body(problem: &str, routes: &str) -> String {
    problem_and(problem, &[("routes", routes)])
}

/// The strings of a JSON array.
fn strings(array: &serde_json::Value) -> Vec<&str> {
    array.as_array().unwrap().iter().filter_map(|v| v.as_str()).collect()
}

/// Plan mode of the solver's own answer: feasible, with the same routes
/// and the same times at every stop; the towns it left out are on no route.
#[test]
fn eta_of_the_solvers_answer_is_feasible_with_the_same_times() {
    let server = Server::start(BIN, &[]);
    let solved = server.post_json("/v1/solve?iterations=200&threads=1&seed=3", &small());
    assert_eq!(solved.status, 200, "{}", solved.body);
    let r = server.post_json("/v1/eta", &eta_body(&small(), &solved.body));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("content-type"), Some("application/json"));
    let (report, solution) = (r.json(), solved.json());
    assert_eq!(report["feasible"], true, "{}", r.body);
    assert_eq!(report["violations"].as_array().map(Vec::len), Some(0));
    let (timed, solved_routes) = (
        report["routes"].as_array().unwrap(),
        solution["routes"].as_array().unwrap(),
    );
    assert_eq!(timed.len(), solved_routes.len());
    assert!(!timed.is_empty());
    for (a, b) in timed.iter().zip(solved_routes) {
        for key in ["vehicle_type", "depot", "distance", "start_s", "end_s", "duration_s"] {
            assert_eq!(a[key], b[key], "{key}: {a} vs {b}");
        }
        let (sa, sb) = (a["stops"].as_array().unwrap(), b["stops"].as_array().unwrap());
        assert_eq!(sa.len(), sb.len());
        for (x, y) in sa.iter().zip(sb) {
            for key in ["town", "arrival_s", "start_s", "departure_s", "load_after"] {
                assert_eq!(x[key], y[key], "{key}: {x} vs {y}");
            }
        }
    }
    assert_eq!(report["totals"]["distance"], solution["totals"]["distance"]);
    let unassigned: Vec<&str> = solution["unassigned"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|u| u["town"].as_str().or(u.as_str()))
        .collect();
    assert!(unassigned.contains(&"far-farm"), "{unassigned:?}");
    assert_eq!(strings(&report["not_in_plan"]), unassigned);
}

/// An edited plan that breaks a rule is an answer (200, `feasible: false`,
/// the rule named); routes that do not fit the problem, bodies that are not
/// a plan mode request and a .sol are told apart.
#[test]
fn eta_names_violations_and_refuses_what_it_cannot_time() {
    let server = Server::start(BIN, &["--body-timeout", "2"]);
    // Every town of the north on one van: 66 units on a 40-unit van.
    let overloaded = r#"{"routes": [{"vehicle_type": "van-north", "stops":
        ["harsdorf", "neudrossenfeld", "theta", "euben", "eckersdorf", "heinersreuth"]}]}"#;
    let r = server.post_json("/v1/eta", &eta_body(&small(), overloaded));
    assert_eq!(r.status, 200, "{}", r.body);
    let report = r.json();
    assert_eq!(report["feasible"], false, "{}", r.body);
    let violations = strings(&report["violations"]);
    assert!(
        violations.iter().any(|v| v.contains("exceeds capacity 40")),
        "{violations:?}"
    );
    assert_eq!(report["routes"][0]["stops"].as_array().map(Vec::len), Some(6));
    assert_eq!(report["not_in_plan"], serde_json::json!(["far-farm"]));

    let refused = |r: Reply, status: u16, code: &str| {
        assert_eq!((r.status, r.error_code().as_str()), (status, code), "{}", r.body);
        r.json()["error"]["message"].as_str().unwrap_or_default().to_string()
    };
    let unknown = r#"{"routes": [{"vehicle_type": "van-north", "stops": ["harsdorf", "atlantis"]}]}"#;
    let message = refused(
        server.post_json("/v1/eta", &eta_body(&small(), unknown)),
        422,
        "unprocessable_routes",
    );
    assert!(message.contains("atlantis"), "{message}");
    refused(
        server.post_json("/v1/eta", "{\"problem\": {\"depots\": ["),
        400,
        "malformed_json",
    );
    refused(
        server.post_json("/v1/eta", &format!("{{\"problem\": {}}}", small())),
        400,
        "invalid_request",
    );
    refused(
        server.post_json("/v1/eta", &eta_body("[1]", overloaded)),
        400,
        "invalid_problem",
    );
    refused(
        server.post_json("/v1/eta", &eta_body(&small(), "[\"harsdorf\"]")),
        400,
        "invalid_routes",
    );
    refused(
        server.post_json(
            "/v1/eta",
            &eta_body(
                &small().replacen(
                    "\"towns\":",
                    "\"towns_csv\": {\"path\": \"/etc/passwd\"}, \"towns\":",
                    1,
                ),
                overloaded,
            ),
        ),
        422,
        "file_reference_refused",
    );
    refused(
        server.call("POST", "/v1/eta", &[("Content-Type", "text/csv")], b"id,lat,lon\n"),
        415,
        "unsupported_media_type",
    );
    refused(
        server.post_json("/v1/eta?time_limit=3", &eta_body(&small(), overloaded)),
        400,
        "invalid_parameter",
    );
    refused(
        server.call(
            "POST",
            "/v1/eta",
            &[("Content-Type", "application/json"), ("Content-Length", "100000000")],
            b"",
        ),
        413,
        "body_too_large",
    );
    refused(server.get("/v1/eta"), 405, "method_not_allowed");

    // A CVRPLIB .sol as a string, on a problem with one depot and one type.
    let line = r#"{"name": "line", "depots": [{"id": "d", "location": {"x": 0, "y": 0}}],
        "towns": [{"id": "a", "location": {"x": 3, "y": 4}, "demand": 2},
                  {"id": "b", "location": {"x": 6, "y": 8}, "demand": 2},
                  {"id": "c", "location": {"x": -3, "y": -4}, "demand": 2}],
        "fleet": [{"id": "v", "depot": "d", "capacity": 5}]}"#;
    let r = server.post_json("/v1/eta", &eta_body(line, r#""Route #1: 1 2\nRoute #2: 3\nCost 30\n""#));
    assert_eq!(r.status, 200, "{}", r.body);
    let report = r.json();
    assert_eq!(report["feasible"], true, "{}", r.body);
    assert_eq!(report["routes"].as_array().map(Vec::len), Some(2));
    assert_eq!(report["routes"][0]["stops"][1]["town"], "b");
    assert_eq!(report["totals"]["distance"], 30);
    // A .sol that is not one.
    refused(
        server.post_json("/v1/eta", &eta_body(line, r#""Route #1: 1 x\n""#)),
        400,
        "invalid_routes",
    );

    let doc = server.get("/openapi.json").json();
    assert!(doc["paths"]["/v1/eta"]["post"].is_object(), "{}", doc["paths"]);
    for schema in ["EtaRequest", "EtaReport"] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema} missing");
    }
}

/// The body of `POST /v1/fit`: `problem`, `plan` and `town` as JSON texts.
fn fit_body(problem: &str, plan: &str, town: &str) -> String {
    problem_and(problem, &[("plan", plan), ("town", town)])
}

/// A new town a few hundred metres from the north depot fits into the
/// solver's own plan: the places come cheapest first, each a route timed
/// with the town at its position.
#[test]
fn fit_places_a_town_near_a_depot_into_the_solvers_plan() {
    let server = Server::start(BIN, &[]);
    let solved = server.post_json("/v1/solve?iterations=200&threads=1&seed=3", &small());
    assert_eq!(solved.status, 200, "{}", solved.body);
    let town = r#"{"id": "new-shop", "location": {"lon": 11.562, "lat": 50.028}, "demand": 2,
        "service_time_s": 300}"#;
    let r = server.post_json("/v1/fit", &fit_body(&small(), &solved.body, town));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("content-type"), Some("application/json"));
    let report = r.json();
    assert_eq!(
        (&report["town"], &report["fits"]),
        (&"new-shop".into(), &true.into()),
        "{report}"
    );
    assert!(report.get("reason").is_none(), "{report}");
    let options = report["options"].as_array().unwrap();
    assert!(!options.is_empty() && options.len() <= 5, "{report}");
    let costs: Vec<f64> = options.iter().map(|o| o["added_cost"].as_f64().unwrap()).collect();
    assert!(costs.windows(2).all(|w| w[0] <= w[1]), "{costs:?}");
    let best = &options[0];
    let position = best["position"].as_u64().unwrap() as usize;
    assert_eq!(best["schedule"]["stops"][position]["town"], "new-shop", "{best}");
    assert_eq!(best["start_s"], best["schedule"]["stops"][position]["start_s"]);
    assert!(best["moved"].is_array());

    // `top` and a plan given as sequences.
    let plan = r#"{"routes": [{"vehicle_type": "van-north", "stops": ["harsdorf", "neudrossenfeld"]}]}"#;
    let body = fit_body(&small(), plan, town).replacen('{', "{\"top\": 1, ", 1);
    let r = server.post_json("/v1/fit", &body);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["options"].as_array().map(Vec::len), Some(1), "{}", r.body);
}

/// No place is an answer (200, `fits: false`, the reason); a town the
/// problem already has and bodies that are not a fit request are refused.
#[test]
fn fit_says_why_nothing_fits_and_refuses_what_it_cannot_place() {
    let server = Server::start(BIN, &[]);
    let plan = r#"{"routes": [{"vehicle_type": "van-north", "stops": ["harsdorf", "neudrossenfeld"]}]}"#;
    // 100 units: more than every van (40, 30) carries.
    let heavy = r#"{"id": "big-order", "location": {"lon": 11.562, "lat": 50.028}, "demand": 100}"#;
    let r = server.post_json("/v1/fit", &fit_body(&small(), plan, heavy));
    assert_eq!(r.status, 200, "{}", r.body);
    let report = r.json();
    assert_eq!(report["fits"], false, "{report}");
    assert_eq!(report["options"].as_array().map(Vec::len), Some(0));
    assert_eq!(report["reason"]["kind"], "demand_exceeds_capacity", "{report}");
    assert_eq!(report["reason"]["max_capacity"], 40, "{report}");
    assert!(report["because"].as_str().is_some_and(|b| !b.is_empty()), "{report}");

    let refused = |r: Reply, status: u16, code: &str| {
        assert_eq!((r.status, r.error_code().as_str()), (status, code), "{}", r.body);
        r.json()["error"]["message"].as_str().unwrap_or_default().to_string()
    };
    for taken in ["theta", "north"] {
        let town = format!(r#"{{"id": "{taken}", "location": {{"lon": 11.56, "lat": 50.03}}, "demand": 1}}"#);
        let message = refused(
            server.post_json("/v1/fit", &fit_body(&small(), plan, &town)),
            422,
            "unprocessable_town",
        );
        assert!(message.contains(taken), "{message}");
    }
    let planar = r#"{"id": "new-shop", "location": {"x": 1, "y": 2}}"#;
    refused(
        server.post_json("/v1/fit", &fit_body(&small(), plan, planar)),
        422,
        "unprocessable_town",
    );
    refused(
        server.post_json("/v1/fit", "{\"problem\": {\"depots\": ["),
        400,
        "malformed_json",
    );
    refused(
        server.post_json("/v1/fit", &eta_body(&small(), plan)),
        400,
        "invalid_request",
    );
    refused(
        server.post_json("/v1/fit", &fit_body(&small(), plan, "[\"shop\"]")),
        400,
        "invalid_town",
    );
    let town = r#"{"id": "new-shop", "location": {"lon": 11.562, "lat": 50.028}}"#;
    refused(
        server.post_json(
            "/v1/fit",
            &fit_body(&small(), plan, town).replacen('{', "{\"top\": 0, ", 1),
        ),
        400,
        "invalid_request",
    );
    refused(
        server.post_json("/v1/fit", &fit_body(&small(), "[1]", town)),
        400,
        "invalid_routes",
    );
    let unknown = r#"{"routes": [{"vehicle_type": "van-north", "stops": ["atlantis"]}]}"#;
    let message = refused(
        server.post_json("/v1/fit", &fit_body(&small(), unknown, town)),
        422,
        "unprocessable_routes",
    );
    assert!(message.contains("atlantis"), "{message}");
    refused(
        server.call("POST", "/v1/fit", &[("Content-Type", "text/csv")], b"id,lat,lon\n"),
        415,
        "unsupported_media_type",
    );
    refused(
        server.post_json("/v1/fit?top=3", &fit_body(&small(), plan, town)),
        400,
        "invalid_parameter",
    );
    refused(server.get("/v1/fit"), 405, "method_not_allowed");

    let doc = server.get("/openapi.json").json();
    assert!(doc["paths"]["/v1/fit"]["post"].is_object(), "{}", doc["paths"]);
    for schema in ["FitRequest", "FitReport", "FitPlace", "MovedStop"] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema} missing");
    }
}

#[test]
fn jobs_run_and_give_every_format() {
    let server = Server::start(BIN, &[]);
    let id = create(&server, "iterations=300&threads=1", &small());
    let r = poll(&server, &id, terminal);
    let status = r.json();
    assert_eq!(status["status"], "done", "{status}");
    assert!(status["error"].is_null());
    assert_eq!(status["summary"]["days"], 1);
    assert!(status["summary"]["routes"].as_u64().unwrap() >= 1);
    assert!(status["progress"]["elapsed_s"].as_f64().is_some());

    let json = server.get(&format!("/v1/jobs/{id}/solution"));
    assert_eq!(json.status, 200);
    assert_valid_small_solution(&json.body);

    for (path, accept) in [
        (format!("/v1/jobs/{id}/solution?format=geojson"), None),
        (format!("/v1/jobs/{id}/solution"), Some("application/geo+json")),
    ] {
        let headers: Vec<(&str, &str)> = accept.map(|a| ("Accept", a)).into_iter().collect();
        let g = server.call("GET", &path, &headers, b"");
        assert_eq!(g.status, 200, "{}", g.body);
        assert_eq!(g.header("content-type"), Some("application/geo+json"));
        assert_eq!(g.json()["type"], "FeatureCollection");
    }
    for (path, accept) in [
        (format!("/v1/jobs/{id}/solution?format=csv"), None),
        (format!("/v1/jobs/{id}/solution"), Some("text/csv")),
    ] {
        let headers: Vec<(&str, &str)> = accept.map(|a| ("Accept", a)).into_iter().collect();
        let c = server.call("GET", &path, &headers, b"");
        assert_eq!(c.status, 200, "{}", c.body);
        assert!(c.header("content-type").unwrap_or_default().starts_with("text/csv"));
        assert!(c.body.lines().count() > 2, "{}", c.body);
        assert!(c.body.contains("harsdorf"), "{}", c.body);
    }
    // The first type of the Accept list the service writes wins.
    let c = server.call(
        "GET",
        &format!("/v1/jobs/{id}/solution"),
        &[("Accept", "image/png, text/csv;q=0.5, application/geo+json")],
        b"",
    );
    assert!(c.header("content-type").unwrap_or_default().starts_with("text/csv"));
    let j = server.call("GET", &format!("/v1/jobs/{id}/solution"), &[("Accept", "*/*")], b"");
    assert_eq!(j.header("content-type"), Some("application/json"));
    let bad = server.get(&format!("/v1/jobs/{id}/solution?format=svg"));
    assert_eq!((bad.status, bad.error_code().as_str()), (400, "invalid_parameter"));

    // A multi-day problem: the plan JSON, one GeoJSON per day, one CSV.
    let week = r#"{"name": "week", "horizon_days": 2,
        "depots": [{"id": "d", "location": {"x": 0, "y": 0}}],
        "towns": [
            {"id": "a", "location": {"x": 10, "y": 0}, "demand": 2, "drops": 2, "days": [1, 2]},
            {"id": "b", "location": {"x": 0, "y": 10}, "demand": 2},
            {"id": "c", "location": {"x": -10, "y": 0}, "demand": 2, "days": [2]}],
        "fleet": [{"id": "v", "depot": "d", "capacity": 10, "count": 2}]}"#;
    let id = create(&server, "iterations=100&threads=1", week);
    let r = poll(&server, &id, terminal);
    assert_eq!(r.json()["status"], "done", "{}", r.body);
    assert_eq!(r.json()["summary"]["days"], 2);
    let plan = server.get(&format!("/v1/jobs/{id}/solution"));
    assert_eq!(plan.status, 200);
    assert_eq!(plan.json()["days"].as_array().map(Vec::len), Some(2));
    let g = server.get(&format!("/v1/jobs/{id}/solution?format=geojson"));
    assert_eq!((g.status, g.error_code().as_str()), (400, "invalid_parameter"));
    let g = server.get(&format!("/v1/jobs/{id}/solution?format=geojson&day=2"));
    assert_eq!(g.status, 200, "{}", g.body);
    let c = server.get(&format!("/v1/jobs/{id}/solution?format=csv"));
    assert_eq!(c.status, 200, "{}", c.body);
}

#[test]
fn cancel_running_and_queued_jobs() {
    let server = Server::start(BIN, &["--max-running", "1", "--queue", "4"]);
    // Solved until its (long) time limit unless cancelled.
    let long = create(&server, "time_limit=150&threads=1", &small());
    poll(&server, &long, |s| s == "running");
    let queued = create(&server, "time_limit=150&threads=1", &small());
    let r = server.get(&format!("/v1/jobs/{long}/solution"));
    assert_eq!((r.status, r.error_code().as_str()), (409, "job_not_done"));
    let r = server.get(&format!("/v1/jobs/{queued}"));
    assert_eq!(r.json()["status"], "queued");

    let r = server.call("DELETE", &format!("/v1/jobs/{queued}"), &[], b"");
    assert_eq!((r.status, r.json()["status"].as_str()), (200, Some("cancelled")));
    let r = server.get(&format!("/v1/jobs/{queued}/solution"));
    assert_eq!((r.status, r.error_code().as_str()), (409, "no_solution"));

    let r = server.call("DELETE", &format!("/v1/jobs/{long}"), &[], b"");
    assert!(r.status == 202 || r.status == 200, "{}", r.body);
    let r = poll(&server, &long, terminal);
    let status = r.json();
    assert_eq!(status["status"], "cancelled", "{status}");
    // It keeps the best solution found so far.
    assert!(status["summary"].is_object(), "{status}");
    let s = server.get(&format!("/v1/jobs/{long}/solution"));
    assert_eq!(s.status, 200, "{}", s.body);
    assert_valid_small_solution(&s.body);
    // Cancelling again changes nothing.
    let r = server.call("DELETE", &format!("/v1/jobs/{long}"), &[], b"");
    assert_eq!((r.status, r.json()["status"].as_str()), (200, Some("cancelled")));
}

#[test]
fn a_full_queue_refuses_and_loses_nothing() {
    let server = Server::start(BIN, &["--max-running", "1", "--queue", "1"]);
    let mut accepted = Vec::new();
    let mut refused = 0;
    for _ in 0..6 {
        let r = server.post_json("/v1/jobs?time_limit=1&threads=1", &small());
        match r.status {
            202 => accepted.push(r.json()["id"].as_str().unwrap().to_string()),
            503 => {
                assert_eq!(r.error_code(), "queue_full", "{}", r.body);
                refused += 1;
            }
            other => panic!("unexpected {other}: {}", r.body),
        }
    }
    assert!(refused >= 1, "accepted {}", accepted.len());
    assert!(!accepted.is_empty());
    for id in &accepted {
        let r = poll(&server, id, terminal);
        assert_eq!(r.json()["status"], "done", "{}", r.body);
        assert_eq!(server.get(&format!("/v1/jobs/{id}/solution")).status, 200);
    }
}

#[test]
fn finished_jobs_expire() {
    let server = Server::start(BIN, &["--job-ttl", "1"]);
    let id = create(&server, "iterations=50&threads=1", &small());
    poll(&server, &id, terminal);
    let start = Instant::now();
    loop {
        let r = server.get(&format!("/v1/jobs/{id}"));
        if r.status == 404 {
            assert_eq!(r.error_code(), "job_not_found");
            break;
        }
        assert_eq!(r.status, 200);
        assert!(start.elapsed() < DEADLINE, "job {id} never expired");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn sigterm_stops_gracefully_with_status_0() {
    let mut server = Server::start(BIN, &["--max-running", "1", "--max-sync-time-limit", "150"]);
    // A synchronous solve in flight answers with its best routes.
    let addr = server.addr.clone();
    let body = small();
    let sync = std::thread::spawn(move || {
        http::request(
            &addr,
            "POST",
            "/v1/solve?time_limit=150&threads=1",
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        )
    });
    let start = Instant::now();
    while server.get("/health").json()["running"] != 1 {
        assert!(start.elapsed() < DEADLINE, "the synchronous solve never ran");
        std::thread::sleep(Duration::from_millis(50));
    }
    let queued = create(&server, "time_limit=150&threads=1", &small());
    assert_eq!(server.get(&format!("/v1/jobs/{queued}")).json()["status"], "queued");
    let status = server.terminate(DEADLINE).expect("the server did not exit");
    assert!(status.success(), "{status:?}");
    let reply = sync.join().unwrap().expect("the synchronous solve got an answer");
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.header("x-backroads-status"), Some("cancelled"));
    assert_valid_small_solution(&reply.body);
}

#[test]
fn towns_csv_jobs_and_multi_day_cancel() {
    let server = Server::start(BIN, &["--max-running", "1"]);
    let csv = "id,lat,lon,demand\na,50.03,11.56,3\nb,50.01,11.50,4\n";
    let r = server.call(
        "POST",
        "/v1/jobs?depot_lon=11.53&depot_lat=50.0&iterations=50&threads=1",
        &[("Content-Type", "text/csv; charset=utf-8")],
        csv.as_bytes(),
    );
    assert_eq!(r.status, 202, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_string();
    assert_eq!(poll(&server, &id, terminal).json()["status"], "done");
    let c = server.call(
        "GET",
        &format!("/v1/jobs/{id}/solution"),
        &[("Accept", "text/csv")],
        b"",
    );
    assert_eq!(c.status, 200);
    assert!(c.body.contains("depot"), "{}", c.body);

    // A multi-day job stops when cancelled and keeps what it has.
    let week = r#"{"name": "week", "horizon_days": 3,
        "depots": [{"id": "d", "location": {"x": 0, "y": 0}}],
        "towns": [
            {"id": "a", "location": {"x": 10, "y": 0}, "demand": 2, "drops": 2, "days": [1, 2, 3]},
            {"id": "b", "location": {"x": 0, "y": 10}, "demand": 2},
            {"id": "c", "location": {"x": -10, "y": 0}, "demand": 2, "days": [2]}],
        "fleet": [{"id": "v", "depot": "d", "capacity": 10, "count": 2}]}"#;
    let id = create(&server, "time_limit=150&threads=1", week);
    poll(&server, &id, |s| s != "queued");
    let r = server.call("DELETE", &format!("/v1/jobs/{id}"), &[], b"");
    assert!(r.status == 200 || r.status == 202, "{}", r.body);
    let r = poll(&server, &id, terminal);
    let state = r.json()["status"].as_str().unwrap_or_default().to_string();
    assert!(state == "cancelled" || state == "done", "{}", r.body);
    if r.json()["summary"].is_object() {
        let plan = server.get(&format!("/v1/jobs/{id}/solution"));
        assert_eq!(plan.status, 200, "{}", plan.body);
        assert_eq!(plan.json()["days"].as_array().map(Vec::len), Some(3));
    }
    let vehicles = server.post_json("/v1/jobs?objective=vehicles", week);
    assert_eq!(
        (vehicles.status, vehicles.error_code().as_str()),
        (422, "unprocessable_problem")
    );
}

/// The `sh` block after the marker comment `<!-- run by tests/serve_http.rs`
/// in a Markdown file of the repository.
fn marked_http_snippet(file: &str) -> String {
    let text = std::fs::read_to_string(common::repo_file(file)).unwrap();
    let marker = text
        .find("<!-- run by tests/serve_http.rs")
        .unwrap_or_else(|| panic!("{file} marks its HTTP snippet"));
    let block = &text[marker..];
    let start = block.find("```sh\n").expect("an sh block follows the marker") + 6;
    block[start..start + block[start..].find("```").unwrap()].to_string()
}

/// Runs a marked HTTP snippet with bash in a fresh folder holding
/// `examples/data/small.json`, against `server`; returns the folder and
/// what the snippet printed.
fn run_http_snippet(server: &Server, file: &str, name: &str) -> (std::path::PathBuf, String) {
    let snippet = marked_http_snippet(file);
    let dir = common::scratch("serve_http", &format!("{name}-http"));
    std::fs::create_dir_all(dir.join("examples/data")).unwrap();
    std::fs::copy(small_path(), dir.join("examples/data/small.json")).unwrap();
    let out = std::process::Command::new("bash")
        .args(["-euo", "pipefail", "-c", &snippet])
        .current_dir(&dir)
        .env("BACKROADS_URL", format!("http://{}", server.addr))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{file}:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The HTTP snippets of the README (a solve and plan mode) and of the
/// guide's HTTP chapter (`docs/src/http-api.md`: a solve, a job and its
/// GeoJSON, a warm start, plan mode, where a new town fits) run as written
/// against a real server and leave what they say they write.
#[test]
fn http_snippets_run() {
    if std::process::Command::new("curl").arg("--version").output().is_err() {
        eprintln!("curl is not installed: the README's and the guide's HTTP snippets are not run");
        return;
    }
    let server = Server::start(BIN, &[]);

    let (dir, _) = run_http_snippet(&server, "README.md", "readme");
    assert_valid_small_solution(&std::fs::read_to_string(dir.join("solution.json")).unwrap());
    let eta = read_json(&dir.join("eta.json"));
    assert_eq!(eta["feasible"], true, "{eta}");
    std::fs::remove_dir_all(&dir).ok();

    let (dir, printed) = run_http_snippet(&server, "docs/src/http-api.md", "guide");
    // The job's status, printed once it is over.
    assert!(printed.contains("done"), "{printed}");
    assert_valid_small_solution(&std::fs::read_to_string(dir.join("solution.json")).unwrap());
    let geojson = read_json(&dir.join("routes.geojson"));
    assert_eq!(geojson["type"], "FeatureCollection");
    assert_valid_small_solution(&std::fs::read_to_string(dir.join("resolved.json")).unwrap());
    let eta = read_json(&dir.join("eta.json"));
    assert_eq!(eta["feasible"], true, "{eta}");
    let fit = read_json(&dir.join("fit.json"));
    assert_eq!(
        (&fit["town"], &fit["fits"]),
        (&"new-shop".into(), &true.into()),
        "{fit}"
    );
    let best = &fit["options"][0];
    let position = best["position"].as_u64().unwrap() as usize;
    assert_eq!(best["schedule"]["stops"][position]["town"], "new-shop", "{fit}");
    std::fs::remove_dir_all(&dir).ok();
}

/// Clients that open a connection and send nothing are disconnected after
/// `--header-timeout`, so they cannot hold `--max-connections` for ever:
/// with both places taken by silent clients, a real request still gets its
/// answer once they are dropped.
#[test]
fn silent_clients_are_dropped_and_the_connection_cap_holds() {
    use std::io::Read as _;
    let server = Server::start(BIN, &["--max-connections", "2", "--header-timeout", "1"]);
    let silent: Vec<std::net::TcpStream> = (0..2)
        .map(|_| std::net::TcpStream::connect(&server.addr).unwrap())
        .collect();
    // The third client waits in the backlog, then is served.
    let r = server.get("/health");
    assert_eq!(r.status, 200, "{}", r.body);
    for mut s in silent {
        s.set_read_timeout(Some(DEADLINE)).unwrap();
        let mut buf = [0u8; 256];
        // Closed by the server: end of stream (or a reset), never a hang.
        let n = s.read(&mut buf).unwrap_or(0);
        assert!(
            n == 0 || String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 408"),
            "{:?}",
            &buf[..n]
        );
    }
}
