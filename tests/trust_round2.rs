//! Issue "Trust, round 2": each case a hostile user found, through the CLI
//! and (where it applies) a live `serve` on loopback. Before the fixes
//! these ended in a 427 MB solution or an aborted server (break rules), or
//! in "internal error" (releases, deliveries first, reloads with breaks).

#![cfg(all(feature = "serve", feature = "cli"))]

mod common;
#[path = "common/http.rs"]
mod http;

use common::{BIN, arg, backroads, example_path, scratch, stderr, stdout, write_file};
use http::Server;
use serde_json::{Value, json};
use std::path::Path;

/// The 240-byte body: a break of 1 s after every second of driving.
fn one_second_breaks() -> Value {
    json!({"depots": [{"id": "d", "location": {"x": 0, "y": 0}}],
        "towns": [{"id": "t", "location": {"x": 400000, "y": 0}, "demand": 1}],
        "fleet": [{"id": "v", "depot": "d", "capacity": 10, "breaks": [{"after_driving_s": 1, "length_s": 1}]}]})
}

/// The smallest rules accepted, a near town and one so far that its round
/// trip needs more breaks than a route may take.
fn smallest_rules_far_towns() -> Value {
    json!({"depots": [{"id": "d", "location": {"x": 0, "y": 0}}],
        "towns": [{"id": "near", "location": {"x": 400000, "y": 0}, "demand": 1},
                  {"id": "far", "location": {"x": 10000000, "y": 0}, "demand": 1}],
        "fleet": [{"id": "v", "depot": "d", "capacity": 10,
                   "breaks": [{"after_driving_s": 900, "length_s": 60},
                              {"window": ["12:00", "13:00"], "length_s": 600}]}]})
}

/// Solves with a small budget: (exit code, stderr, solution JSON if written).
fn solve(problem: &Path, out: &Path) -> (Option<i32>, String, Option<Value>) {
    let _ = std::fs::remove_file(out);
    let o = backroads(&[
        "solve",
        arg(problem),
        "--iterations",
        "300",
        "--seed",
        "1",
        "--quiet",
        "--out",
        arg(out),
    ]);
    let sol = std::fs::read_to_string(out)
        .ok()
        .map(|t| serde_json::from_str(&t).unwrap());
    (o.status.code(), stderr(&o), sol)
}

fn check(problem: &Path, solution: &Path) -> (Option<i32>, String) {
    let o = backroads(&["check", arg(problem), arg(solution)]);
    (o.status.code(), stdout(&o) + &stderr(&o))
}

/// The reason kinds of the unassigned towns, by town id.
fn reasons(sol: &Value) -> Vec<(String, String)> {
    sol["unassigned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["town"].as_str().unwrap().to_string(),
                u["reason"]["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn break_rules_that_only_make_work_are_refused_and_the_smallest_stay_bounded() {
    let dir = scratch("trust2", "breaks");
    let tiny = write_file(&dir, "tiny.json", &one_second_breaks().to_string());
    let (code, err, sol) = solve(&tiny, &dir.join("tiny-out.json"));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("length_s") && err.contains("60 s"), "{err}");
    assert!(sol.is_none());

    let far = write_file(&dir, "far.json", &smallest_rules_far_towns().to_string());
    let out = dir.join("far-out.json");
    let (code, err, sol) = solve(&far, &out);
    assert_eq!(code, Some(3), "{err}");
    let sol = sol.unwrap();
    assert_eq!(reasons(&sol), vec![("far".to_string(), "too_many_breaks".to_string())]);
    let breaks = sol["routes"][0]["breaks"].as_array().unwrap().len();
    assert!((1..=256).contains(&breaks), "{breaks} breaks");
    assert!(std::fs::metadata(&out).unwrap().len() < 200_000);
    let (code, text) = check(&far, &out);
    assert_eq!(code, Some(0), "{text}");
}

#[test]
fn no_single_request_takes_the_service_down() {
    // A solve may take at most 100 MiB: the smallest accepted break rules
    // with a far town stay within it.
    let server = Server::start(BIN, &["--max-solve-memory-mb", "100"]);
    let r = server.post_json("/v1/solve?iterations=200", &one_second_breaks().to_string());
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.error_code(), "unprocessable_problem");
    assert_eq!(server.get("/health").status, 200);
    let r = server.post_json("/v1/solve?iterations=200", &smallest_rules_far_towns().to_string());
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["unassigned"][0]["reason"]["kind"], "too_many_breaks");
    drop(server);

    // A solve that needs more memory than its limit ends alone: the job
    // fails with a clear code, the service and the next jobs live on.
    let server = Server::start(BIN, &["--max-solve-memory-mb", "20", "--max-running", "1"]);
    let towns: Vec<Value> = (0..2000)
        .map(|i| json!({"id": format!("t{i}"), "location": {"x": (i * 7919) % 100_000, "y": (i * 104_729) % 100_000}, "demand": 1 + i % 9}))
        .collect();
    let big = json!({"depots": [{"id": "d", "location": {"x": 50000, "y": 50000}}],
        "towns": towns, "fleet": [{"id": "v", "depot": "d", "capacity": 100}]});
    let r = server.post_json("/v1/solve?iterations=200", &big.to_string());
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.error_code(), "solve_aborted");
    assert_eq!(server.get("/health").status, 200);
    let small = std::fs::read_to_string(example_path("small.json")).unwrap();
    let r = server.post_json("/v1/solve?iterations=200", &small);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["totals"]["towns_served"], 6);
}

#[test]
fn towns_released_too_late_are_unassigned_with_a_true_reason() {
    let dir = scratch("trust2", "release");
    // Goods at 23:00 for a shop that closes at 10:00; goods after the depot
    // closes; goods so late that the round trip ends after it closes.
    let problem = json!({"depots": [{"id": "d", "location": {"x": 0, "y": 0}, "hours": ["06:00", "20:00"]}],
        "towns": [{"id": "a", "location": {"x": 1000, "y": 0}, "demand": 1},
                  {"id": "shop", "location": {"x": 2000, "y": 0}, "demand": 1, "release": "23:00", "windows": [["08:00", "10:00"]]},
                  {"id": "after-close", "location": {"x": 0, "y": 3000}, "demand": 1, "release": "21:00"},
                  {"id": "near-close", "location": {"x": 0, "y": 30000}, "demand": 1, "release": "19:30"},
                  {"id": "in-time", "location": {"x": 0, "y": -3000}, "demand": 1, "release": "11:00"}],
        "fleet": [{"id": "v", "depot": "d", "capacity": 10, "count": 2}]});
    let p = write_file(&dir, "p.json", &problem.to_string());
    let out = dir.join("s.json");
    let (code, err, sol) = solve(&p, &out);
    assert_eq!(code, Some(3), "{err}");
    let sol = sol.unwrap();
    let late = |t: &str| (t.to_string(), "released_too_late".to_string());
    assert_eq!(
        reasons(&sol),
        vec![late("shop"), late("after-close"), late("near-close")]
    );
    assert_eq!(sol["totals"]["towns_served"], 2);
    let (code, text) = check(&p, &out);
    assert_eq!(code, Some(0), "{text}");
    // The reason the validator used to expect, and one with a wrong time,
    // are both false.
    for wrong in [
        json!({"kind": "opening_hours", "hours": [{"open": 28800, "close": 36000}]}),
        json!({"kind": "released_too_late", "release_s": 3600}),
    ] {
        let mut bad = sol.clone();
        bad["unassigned"][0]["reason"] = wrong.clone();
        let path = write_file(&dir, "bad.json", &bad.to_string());
        let (code, text) = check(&p, &path);
        assert_ne!(code, Some(0), "{wrong}: {text}");
        assert!(text.contains("released_too_late") || text.contains("release"), "{text}");
    }

    // The same through PyVRP's MTVRPTWR file form.
    let vrp = "NAME: late\nTYPE: MTVRPTWR\nEDGE_WEIGHT_TYPE: EUC_2D\nDIMENSION: 3\nVEHICLES: 2\nCAPACITY: 10\n\
        NODE_COORD_SECTION\n1 0 0\n2 10 0\n3 20 0\nDEMAND_SECTION\n1 0\n2 1\n3 1\n\
        TIME_WINDOW_SECTION\n1 0 1000\n2 0 1000\n3 0 100\nRELEASE_TIME_SECTION\n1 0\n2 0\n3 500\n\
        VEHICLES_RELOAD_DEPOT_SECTION\n1 1\n2 1\nDEPOT_SECTION\n1\n-1\nEOF\n";
    let p = write_file(&dir, "late.vrp", vrp);
    let (code, err, sol) = solve(&p, &out);
    assert_eq!(code, Some(3), "{err}");
    assert_eq!(
        reasons(&sol.unwrap()),
        vec![("3".to_string(), "released_too_late".to_string())]
    );
    let (code, text) = check(&p, &out);
    assert_eq!(code, Some(0), "{text}");
}

#[test]
fn deliveries_first_towns_that_would_start_a_trip_with_a_pickup() {
    let dir = scratch("trust2", "vrpb");
    // A pickup-only town and a town with both can follow the delivery.
    let problem = json!({"pickup_order": "deliveries_first",
        "depots": [{"id": "d", "location": {"x": 0, "y": 0}}],
        "towns": [{"id": "a", "location": {"x": 1000, "y": 0}, "demand": 1},
                  {"id": "p", "location": {"x": 2000, "y": 0}, "pickup": 3},
                  {"id": "both", "location": {"x": 2000, "y": 100}, "pickup": 3, "demand": 2}],
        "fleet": [{"id": "v", "depot": "d", "capacity": 10, "count": 3}]});
    let p = write_file(&dir, "p.json", &problem.to_string());
    let out = dir.join("s.json");
    let (code, err, sol) = solve(&p, &out);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(sol.unwrap()["totals"]["towns_served"], 3);
    let (code, text) = check(&p, &out);
    assert_eq!(code, Some(0), "{text}");

    // All backhauls: no trip may start, every town has the true reason.
    let vrp = "NAME: allback\nTYPE: VRPB\nDIMENSION: 3\nCAPACITY: 10\nEDGE_WEIGHT_TYPE: EUC_2D\n\
        NODE_COORD_SECTION\n1 0 0\n2 10 0\n3 0 10\nDEMAND_SECTION\n1 0\n2 0\n3 0\n\
        BACKHAUL_SECTION\n1 0\n2 3\n3 4\nDEPOT_SECTION\n1\n-1\nEOF\n";
    let p = write_file(&dir, "allback.vrp", vrp);
    let (code, err, sol) = solve(&p, &out);
    assert_eq!(code, Some(3), "{err}");
    let sol = sol.unwrap();
    let first = |t: &str| (t.to_string(), "pickup_first".to_string());
    assert_eq!(reasons(&sol), vec![first("2"), first("3")]);
    let (code, text) = check(&p, &out);
    assert_eq!(code, Some(0), "{text}");
    // Calling them servable-but-unserved is refused.
    let mut bad = sol.clone();
    bad["unassigned"][0]["reason"] = json!({"kind": "no_vehicle_left", "depot": "1"});
    let path = write_file(&dir, "bad.json", &bad.to_string());
    let (code, text) = check(&p, &path);
    assert_ne!(code, Some(0), "{text}");

    // Through the service: an answer, not an internal error.
    let server = Server::start(BIN, &[]);
    let r = server.post_json("/v1/solve?iterations=200", &problem.to_string());
    assert_eq!(r.status, 200, "{}", r.body);
}

#[test]
fn reloads_with_break_rules_compose() {
    // Two 5-hour legs each way, a reload between the towns: the driver's
    // 4-hour rule has to break one of the reload legs.
    let dir = scratch("trust2", "reload_breaks");
    let problem = json!({"depots": [{"id": "d", "location": {"x": 0, "y": 0}}],
        "towns": [{"id": "a", "location": {"x": 300000, "y": 0}, "demand": 6},
                  {"id": "b", "location": {"x": 300000, "y": 1000}, "demand": 6}],
        "fleet": [{"id": "van", "depot": "d", "capacity": 10, "count": 1, "reload_depots": ["d"],
                   "breaks": [{"after_driving_s": 14400, "length_s": 2700}]}]});
    let p = write_file(&dir, "p.json", &problem.to_string());
    let out = dir.join("s.json");
    let (code, err, sol) = solve(&p, &out);
    assert_eq!(code, Some(0), "{err}");
    let sol = sol.unwrap();
    assert_eq!(sol["unassigned"].as_array().unwrap().len(), 0, "{sol}");
    let route = &sol["routes"][0];
    let reload = &route["reloads"][0];
    let (back, off) = (
        reload["arrival_s"].as_i64().unwrap(),
        reload["departure_s"].as_i64().unwrap(),
    );
    let breaks = route["breaks"].as_array().unwrap();
    let on_reload_leg = breaks
        .iter()
        .position(|b| b["start_s"].as_i64().unwrap() >= off)
        .expect("a break after the reload");
    assert!(off >= back, "{route}");
    assert_eq!(check(&p, &out).0, Some(0), "{}", check(&p, &out).1);

    // Without the break on the reload leg the driver drives too long.
    let mut bad = sol.clone();
    bad["routes"][0]["breaks"].as_array_mut().unwrap().remove(on_reload_leg);
    let bad_path = write_file(&dir, "bad.json", &bad.to_string());
    let (code, text) = check(&p, &bad_path);
    assert_eq!(code, Some(3), "{text}");
    assert!(text.contains("without a break"), "{text}");

    let server = Server::start(BIN, &[]);
    let r = server.post_json("/v1/solve?iterations=200", &problem.to_string());
    assert_eq!(r.status, 200, "{}", r.body);
}
