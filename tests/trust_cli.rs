//! Issue "Trust": `check` verifies every figure and reason, towns that can
//! be served are served, and bad flag values are usage errors. Each test
//! reproduces a case that passed wrongly before.

mod common;

use common::{arg, backroads, example_path, read_json, scratch, stderr, stdout, test_data, write_file};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn write_json(dir: &Path, name: &str, v: &Value) -> PathBuf {
    write_file(dir, name, &serde_json::to_string_pretty(v).unwrap())
}

/// Solves `problem` with a small budget, writes the solution JSON, returns it.
fn solve(problem: &Path, out: &Path) -> Value {
    let o = backroads(&[
        "solve",
        arg(problem),
        "--iterations",
        "300",
        "--quiet",
        "--out",
        arg(out),
    ]);
    assert!(matches!(o.status.code(), Some(0 | 3)), "{}", stderr(&o));
    read_json(out)
}

/// `check` on a solution given as JSON: (exit code, stdout).
fn check(problem: &Path, solution: &Value, dir: &Path) -> (Option<i32>, String) {
    let path = write_json(dir, "checked.json", solution);
    let o = backroads(&["check", arg(problem), arg(&path)]);
    (o.status.code(), stdout(&o))
}

fn near_far() -> Value {
    json!({"name": "near-far",
        "depots": [{"id": "near", "location": {"x": 0, "y": 0}}, {"id": "far", "location": {"x": 100, "y": 0}}],
        "travel": {"kind": "euclidean"},
        "towns": [{"id": "a", "location": {"x": 1, "y": 0}, "demand": 3},
                  {"id": "b", "location": {"x": -1, "y": 0}, "demand": 3},
                  {"id": "c", "location": {"x": 0, "y": 2}, "demand": 3}],
        "fleet": [{"id": "small", "depot": "near", "count": 1, "capacity": 3},
                  {"id": "big", "depot": "far", "capacity": 100}]})
}

#[test]
fn towns_beyond_the_near_depots_fleet_go_to_another_depot() {
    let dir = scratch("trust", "near_far");
    let problem = write_json(&dir, "p.json", &near_far());
    let sol = solve(&problem, &dir.join("s.json"));
    assert_eq!(sol["totals"]["towns_served"], 3, "{sol}");
    assert_eq!(sol["unassigned"].as_array().unwrap().len(), 0);
    let (code, out) = check(&problem, &sol, &dir);
    assert_eq!(code, Some(0), "{out}");
}

#[test]
fn towns_reachable_only_through_other_towns_are_served() {
    let dir = scratch("trust", "asymmetric");
    let problem = write_json(
        &dir,
        "p.json",
        &json!({"travel": {"kind": "matrix", "distances": [[0, 5, null], [null, 0, 2], [6, null, 0]]},
            "depots": [{"id": "d", "location": {"x": 0, "y": 0}}],
            "towns": [{"id": "T0", "location": {"x": 1, "y": 0}, "demand": 1},
                      {"id": "T1", "location": {"x": 2, "y": 0}, "demand": 1}],
            "fleet": [{"id": "v", "depot": "d", "capacity": 10}]}),
    );
    let sol = solve(&problem, &dir.join("s.json"));
    assert_eq!(sol["totals"]["towns_served"], 2, "{sol}");
    assert_eq!(sol["totals"]["distance"], 13, "{sol}");
    // Calling them unreachable is false: they are strongly connected.
    let mut lie = sol.clone();
    lie["routes"] = json!([]);
    lie["unassigned"] = json!([{"town": "T0", "reason": {"kind": "unreachable"}},
                               {"town": "T1", "reason": {"kind": "unreachable"}}]);
    lie["totals"] = json!({"distance": 0, "cost": 0.0, "duration_s": 0, "vehicles_used": 0,
                           "towns_served": 0, "towns_unassigned": 2});
    let (code, out) = check(&problem, &lie, &dir);
    assert_eq!(code, Some(3), "{out}");
    assert!(out.contains("stated reason"), "{out}");
}

#[test]
fn made_up_reasons_and_dropped_routes_are_rejected() {
    let dir = scratch("trust", "made_up");
    let problem = write_json(&dir, "p.json", &near_far());
    let sol = solve(&problem, &dir.join("s.json"));
    // Everything unassigned as unreachable on a planar problem.
    let mut all = sol.clone();
    all["routes"] = json!([]);
    all["unassigned"] = json!(
        ["a", "b", "c"]
            .iter()
            .map(|t| json!({"town": t, "reason": {"kind": "unreachable"}}))
            .collect::<Vec<_>>()
    );
    all["totals"] = json!({"distance": 0, "cost": 0.0, "duration_s": 0, "vehicles_used": 0,
                           "towns_served": 0, "towns_unassigned": 3});
    let (code, out) = check(&problem, &all, &dir);
    assert_eq!(code, Some(3), "{out}");
    assert!(out.contains("an unused vehicle of type"), "{out}");
    // One route dropped, its towns called no_vehicle_left / off_network.
    for reason in [
        json!({"kind": "no_vehicle_left", "depot": "near"}),
        json!({"kind": "off_network", "snap_m": 9000, "max_snap_m": 5000}),
    ] {
        let mut dropped = sol.clone();
        let route = dropped["routes"].as_array_mut().unwrap().pop().unwrap();
        let towns: Vec<Value> = route["stops"]
            .as_array()
            .unwrap()
            .iter()
            .map(|st| st["town"].clone())
            .collect();
        dropped["unassigned"] = json!(
            towns
                .iter()
                .map(|t| json!({"town": t, "reason": reason}))
                .collect::<Vec<_>>()
        );
        let t = &mut dropped["totals"];
        t["distance"] = json!(t["distance"].as_i64().unwrap() - route["distance"].as_i64().unwrap());
        t["duration_s"] = json!(t["duration_s"].as_i64().unwrap() - route["duration_s"].as_i64().unwrap());
        t["cost"] = json!(t["cost"].as_f64().unwrap() - route["cost"].as_f64().unwrap());
        t["vehicles_used"] = json!(t["vehicles_used"].as_i64().unwrap() - 1);
        t["towns_served"] = json!(t["towns_served"].as_i64().unwrap() - towns.len() as i64);
        t["towns_unassigned"] = json!(towns.len());
        let (code, out) = check(&problem, &dropped, &dir);
        assert_eq!(code, Some(3), "{reason}: {out}");
    }
}

#[test]
fn every_stated_figure_is_recomputed() {
    let dir = scratch("trust", "figures");
    let problem = write_json(&dir, "p.json", &near_far());
    let sol = solve(&problem, &dir.join("s.json"));
    let (code, out) = check(&problem, &sol, &dir);
    assert_eq!(code, Some(0), "{out}");
    type Edit = fn(&mut Value);
    let edits: [(&str, Edit); 6] = [
        // On the one-van type (the fleet search may plan everything on the
        // unlimited one).
        ("vehicle 57", |v| {
            v["routes"][0]["vehicle_type"] = json!("small");
            v["routes"][0]["depot"] = json!("near");
            v["routes"][0]["vehicle"] = json!(57)
        }),
        ("load_after", |v| {
            let x = v["routes"][0]["stops"][0]["load_after"].as_u64().unwrap();
            v["routes"][0]["stops"][0]["load_after"] = json!(x + 1)
        }),
        ("route cost", |v| v["routes"][0]["cost"] = json!(123.5)),
        ("total cost", |v| v["totals"]["cost"] = json!(99.0)),
        ("towns served", |v| v["totals"]["towns_served"] = json!(7)),
        ("towns unassigned", |v| v["totals"]["towns_unassigned"] = json!(1)),
    ];
    for (what, edit) in edits {
        let mut bad = sol.clone();
        edit(&mut bad);
        let (code, out) = check(&problem, &bad, &dir);
        assert_eq!(code, Some(3), "{what}: {out}");
        if what == "vehicle 57" {
            assert!(out.contains("has no vehicle 57"), "{out}");
        }
    }
    // The same vehicle on two routes.
    let mut twice = sol.clone();
    let routes = twice["routes"].as_array_mut().unwrap();
    if routes.len() == 1 {
        // Split the one route in two on the same vehicle.
        let mut second = routes[0].clone();
        let stops = routes[0]["stops"].as_array().unwrap().clone();
        routes[0]["stops"] = json!(stops[..1]);
        second["stops"] = json!(stops[1..]);
        routes.push(second);
    }
    let first = twice["routes"][0].clone();
    twice["routes"][1]["vehicle_type"] = first["vehicle_type"].clone();
    twice["routes"][1]["depot"] = first["depot"].clone();
    twice["routes"][1]["vehicle"] = first["vehicle"].clone();
    let (code, out) = check(&problem, &twice, &dir);
    assert_eq!(code, Some(3), "{out}");
    assert!(out.contains("drives more than one route"), "{out}");
}

#[test]
fn reasons_name_the_limit_that_binds() {
    let dir = scratch("trust", "reasons");
    // Town "late" is 72 km away at 36 km/h (2 h each way): the depot is
    // open 3 h and the shift is 3 h; the depot's hours bind first.
    let problem = write_json(
        &dir,
        "p.json",
        &json!({"depots": [{"id": "D", "location": {"x": 0, "y": 0}, "hours": [0, 10800]}],
            "towns": [{"id": "near", "location": {"x": 1000, "y": 0}, "demand": 1},
                      {"id": "late", "location": {"x": 72000, "y": 0}, "demand": 1}],
            "fleet": [{"id": "van", "depot": "D", "capacity": 5, "speed_kmh": 36, "max_duration_s": 10800}]}),
    );
    let o = backroads(&[
        "solve",
        arg(&problem),
        "--iterations",
        "100",
        "--quiet",
        "--out",
        arg(&dir.join("s.json")),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("unassigned late: depot hours"), "{err}");
    assert!(!err.contains("always open"), "{err}");
    // Durations all null with valid distances: unreachable, not opening hours.
    let null_times = write_json(
        &dir,
        "m.json",
        &json!({"travel": {"kind": "matrix", "distances": [[0, 5], [5, 0]], "durations": [[0, null], [null, 0]]},
            "depots": [{"id": "d", "location": {"x": 0, "y": 0}}],
            "towns": [{"id": "t", "location": {"x": 1, "y": 0}, "demand": 1}],
            "fleet": [{"id": "v", "depot": "d", "capacity": 10}]}),
    );
    let o = backroads(&["solve", arg(&null_times), "--iterations", "10", "--quiet"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("unassigned t: unreachable"), "{err}");
}

#[test]
fn ids_cannot_forge_output_lines() {
    let dir = scratch("trust", "forged");
    let problem = write_json(
        &dir,
        "p.json",
        &json!({"depots": [{"id": "D", "location": {"x": 0, "y": 0}}],
            "towns": [{"id": "ok", "location": {"x": 1, "y": 0}, "demand": 1},
                      {"id": "x\nerror: everything is fine\n", "location": {"x": 2, "y": 0}, "demand": 50}],
            "fleet": [{"id": "van", "depot": "D", "capacity": 5}]}),
    );
    let o = backroads(&["solve", arg(&problem), "--iterations", "10", "--quiet"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(
        err.contains("unassigned x\\nerror: everything is fine\\n: capacity"),
        "{err}"
    );
    assert!(!err.lines().any(|l| l.starts_with("error: everything")), "{err}");
}

#[test]
fn bad_flag_values_are_usage_errors() {
    let vrp = test_data("cvrplib/X/X-n101-k25.vrp");
    for args in [
        ["--time-limit", "nan"],
        ["--time-limit", "-1"],
        ["--time-limit", "1e12"],
        ["--threads", "0"],
        ["--threads", "100000"],
        ["--threads", "18446744073709551615"],
        ["--best-known", "inf"],
    ] {
        let start = std::time::Instant::now();
        let o = backroads(&["solve", arg(&vrp), args[0], args[1]]);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        // Refused before any work (generous bound: only a hang would miss it).
        assert!(start.elapsed().as_secs() < 30, "{args:?}");
    }
}

#[test]
fn bench_refuses_non_finite_best_known_costs() {
    let dir = scratch("trust", "bks_nan");
    let vrp = test_data("cvrplib/X/X-n101-k25.vrp");
    for value in ["NaN", "inf", "-5"] {
        let bks = dir.join("bks.csv");
        std::fs::write(&bks, format!("instance,bks\nX-n101-k25,{value}\n")).unwrap();
        let o = backroads(&["bench", arg(&vrp), "--bks", arg(&bks), "--iterations", "10", "--quiet"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{value}: {err}");
        assert!(err.contains("not a finite, non-negative number"), "{value}: {err}");
        assert!(!stdout(&o).contains("NaN"), "{value}");
    }
}

#[test]
fn the_vehicles_objective_reports_the_problems_own_costs() {
    let dir = scratch("trust", "objective");
    let small = example_path("small.json");
    let out = dir.join("s.json");
    let o = backroads(&[
        "solve",
        arg(&small),
        "--objective",
        "vehicles",
        "--iterations",
        "300",
        "--quiet",
        "--out",
        arg(&out),
    ]);
    assert!(matches!(o.status.code(), Some(0 | 3)), "{}", stderr(&o));
    let sol: Value = read_json(&out);
    // check recomputes every route's cost from the problem's own fleet.
    let c = backroads(&["check", arg(&small), arg(&out)]);
    assert_eq!(c.status.code(), Some(0), "{}", stdout(&c));
    let total = sol["totals"]["cost"].as_f64().unwrap();
    assert!(total < 100_000.0, "internal fixed cost leaked: {total}");
}

#[test]
fn two_depot_vrp_does_not_write_an_unreadable_sol() {
    let dir = scratch("trust", "two_depots");
    let vrp = dir.join("two.vrp");
    std::fs::write(
        &vrp,
        "NAME : two\nDIMENSION : 4\nCAPACITY : 10\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n\
         1 0 0\n2 100 0\n3 1 1\n4 99 1\nDEMAND_SECTION\n1 0\n2 0\n3 2\n4 2\nDEPOT_SECTION\n1\n2\n-1\nEOF\n",
    )
    .unwrap();
    let sol = dir.join("two.sol");
    let o = backroads(&["solve", arg(&vrp), "--iterations", "50", "--quiet", "--sol", arg(&sol)]);
    let err = stderr(&o);
    if o.status.code() == Some(0) {
        // A file that was written must be one check accepts.
        let c = backroads(&["check", arg(&vrp), arg(&sol)]);
        assert_eq!(c.status.code(), Some(0), "{}{}", stdout(&c), stderr(&c));
    } else {
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains("write the solution as JSON"), "{err}");
        assert!(!sol.exists());
    }
}

#[test]
fn check_reads_and_verifies_multi_day_plans() {
    let dir = scratch("trust", "horizon");
    let week = example_path("iowa_week.json");
    let plan_path = dir.join("plan.json");
    let o = backroads(&[
        "solve",
        arg(&week),
        "--iterations",
        "400",
        "--quiet",
        "--out",
        arg(&plan_path),
    ]);
    assert!(matches!(o.status.code(), Some(0 | 3)), "{}", stderr(&o));
    let c = backroads(&["check", arg(&week), arg(&plan_path)]);
    assert_eq!(c.status.code(), Some(0), "{}{}", stdout(&c), stderr(&c));
    // A drop missing on one day.
    let mut plan: Value = read_json(&plan_path);
    let day = plan["days"].as_array_mut().unwrap().iter_mut().find(|d| {
        d["routes"]
            .as_array()
            .is_some_and(|r| r.iter().any(|r| r["stops"].as_array().unwrap().len() > 1))
    });
    let day = day.expect("a day with a route of two stops");
    let route = day["routes"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|r| r["stops"].as_array().unwrap().len() > 1)
        .unwrap();
    route["stops"].as_array_mut().unwrap().pop();
    let (code, out) = check(&week, &plan, &dir);
    assert_eq!(code, Some(3), "{out}");
    // A single-day format for a multi-day problem is a clear error.
    let sol = dir.join("one.sol");
    std::fs::write(&sol, "Route #1: 1 2\nCost 10\n").unwrap();
    let c = backroads(&["check", arg(&week), arg(&sol)]);
    assert_eq!(c.status.code(), Some(1));
    assert!(stderr(&c).contains("planned over"), "{}", stderr(&c));
}

#[test]
fn referenced_files_stay_inside_the_problems_folder() {
    let dir = scratch("trust", "environ");
    std::fs::write(dir.join("secret.csv"), "TOPSECRET_LINE,1,2\n").unwrap();
    for path in ["/proc/self/environ", "../secret.csv"] {
        let sub = dir.join("p");
        std::fs::create_dir_all(&sub).unwrap();
        let problem = write_json(
            &sub,
            "p.json",
            &json!({"depots": [{"id": "D", "location": {"lon": 11.5, "lat": 50.0}}],
                "towns_csv": {"path": path},
                "fleet": [{"id": "van", "depot": "D", "capacity": 5}]}),
        );
        let o = backroads(&["solve", arg(&problem), "--iterations", "10", "--quiet"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{path}: {err}");
        assert!(err.starts_with("error: "), "{path}: {err}");
        assert!(!err.contains("PATH=") && !err.contains("TOPSECRET"), "{path}: {err}");
    }
}

#[test]
fn devices_are_refused_not_read() {
    let vrp = test_data("cvrplib/X/X-n101-k25.vrp");
    for args in [
        vec![
            "bench",
            arg(&vrp),
            "--bks",
            "/dev/zero",
            "--iterations",
            "10",
            "--quiet",
        ],
        vec!["solve", "/dev/zero"],
        vec!["check", arg(&vrp), "/dev/urandom"],
    ] {
        let start = std::time::Instant::now();
        let o = backroads(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("error: "), "{args:?}: {err}");
        assert!(start.elapsed().as_secs() < 30, "{args:?}");
    }
}

/// A `.sol` route through the depot when the vehicle type may not reload:
/// a typed "may not reload" violation, and the cost of the route as driven.
#[test]
fn a_sol_reload_the_type_may_not_make_is_named_and_driven() {
    let dir = scratch("trust", "sol_reload");
    let vrp = dir.join("r.vrp");
    std::fs::write(
        &vrp,
        "NAME : r\nDIMENSION : 4\nCAPACITY : 10\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n\
         1 0 0\n2 10 0\n3 0 10\n4 3 4\nDEMAND_SECTION\n1 0\n2 6\n3 6\n4 1\nDEPOT_SECTION\n1\n-1\nEOF\n",
    )
    .unwrap();
    let sol = dir.join("r.sol");
    // Through the depot: 10 + 10 + 10 + 7 + 5 = 42 (36 without the visit).
    std::fs::write(&sol, "Route #1: 1 0 2 3\nCost 42\n").unwrap();
    let c = backroads(&["check", arg(&vrp), arg(&sol)]);
    let out = stdout(&c);
    assert_eq!(c.status.code(), Some(3), "{out}");
    assert!(out.starts_with("cost 42 | routes 1\n"), "{out}");
    assert!(
        out.contains("reload at depot '1', but vehicle type 'vehicle' may not reload at all"),
        "{out}"
    );
    // Each trip fits the van: the reload is the only thing wrong.
    assert_eq!(out.lines().filter(|l| l.starts_with("violation")).count(), 1, "{out}");
}

/// `check` prints the recomputed cost, not one built from stated totals.
#[test]
fn check_prints_the_recomputed_cost_not_the_stated_totals() {
    let dir = scratch("trust", "recomputed_cost");
    let problem = write_json(
        &dir,
        "p.json",
        &json!({"name": "prizes", "depots": [{"id": "D", "location": {"x": 0, "y": 0}}],
            "travel": {"kind": "euclidean"},
            "towns": [{"id": "a", "location": {"x": 3, "y": 4}, "demand": 1},
                      {"id": "b", "location": {"x": 500, "y": 0}, "demand": 1, "prize": 21},
                      {"id": "c", "location": {"x": 0, "y": 800}, "demand": 1, "prize": 1000}],
            "fleet": [{"id": "van", "depot": "D", "capacity": 10}]}),
    );
    let route = json!({"vehicle_type": "van", "vehicle": 0, "depot": "D",
        "stops": [{"town": "a", "arrival_s": 0, "start_s": 0, "departure_s": 0, "load_after": 0}],
        "distance": 10, "duration_s": 0, "start_s": 0, "end_s": 0, "load": 1, "cost": 0.0});
    let unassigned = json!([{"town": "b", "reason": {"kind": "not_worth_its_prize"}},
                            {"town": "c", "reason": {"kind": "not_worth_its_prize"}}]);
    let totals = |missed: f64| {
        json!({"distance": 10, "cost": 0.0, "duration_s": 0, "vehicles_used": 1, "towns_served": 1,
               "towns_unassigned": 2, "prizes_missed": missed})
    };
    let sol = |missed: f64| json!({"problem": "prizes", "routes": [route], "unassigned": unassigned, "totals": totals(missed)});
    let (code, out) = check(&problem, &sol(1021.0), &dir);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.starts_with("cost 1031 | routes 1\n"), "{out}");
    // A stated prize total 1000 short: the cost is still 10 + 1021.
    let (code, out) = check(&problem, &sol(21.0), &dir);
    assert_eq!(code, Some(3), "{out}");
    assert!(out.starts_with("cost 1031 | routes 1\n"), "{out}");
    assert!(
        out.contains("violation: prizes missed: stated 21, recomputed 1021"),
        "{out}"
    );

    // Money: a stated total cost is not the printed one either.
    let mut money = read_json(&problem);
    money["fleet"][0]["cost_per_km"] = json!(1000.0);
    let problem = write_json(&dir, "money.json", &money);
    let mut stated = sol(1021.0);
    stated["routes"][0]["cost"] = json!(10.0);
    stated["totals"]["cost"] = json!(10.0);
    let (code, out) = check(&problem, &stated, &dir);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.starts_with("cost 1031 | routes 1\n"), "{out}");
    stated["routes"][0]["cost"] = json!(0.0);
    stated["totals"]["cost"] = json!(0.0);
    let (code, out) = check(&problem, &stated, &dir);
    assert_eq!(code, Some(3), "{out}");
    assert!(out.starts_with("cost 1031 | routes 1\n"), "{out}");
}

/// `generate --out` writes what the extension says, or refuses clearly.
#[test]
fn generate_writes_the_format_its_extension_names() {
    let dir = scratch("trust", "generate_ext");
    // Rural as JSON: the same problem as the .vrp.
    let (json_path, vrp_path) = (dir.join("g.json"), dir.join("g.vrp"));
    for path in [&json_path, &vrp_path] {
        let o = backroads(&["generate", "--towns", "10", "--seed", "4", "--out", arg(path)]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let json: Value = read_json(&json_path);
    assert_eq!(json["name"], "rural-n10-s4");
    assert_eq!(json["towns"].as_array().unwrap().len(), 10);
    assert_eq!(json["depots"].as_array().unwrap().len(), 1);
    assert!(
        std::fs::read_to_string(&vrp_path)
            .unwrap()
            .starts_with("NAME : rural-n10-s4\n")
    );
    let summary = |path: &Path| {
        let o = backroads(&["solve", arg(path), "--iterations", "100", "--threads", "1"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let err = stderr(&o);
        err.lines()
            .find(|l| l.contains("| routes"))
            .unwrap()
            .split(" | ")
            .take(3)
            .collect::<Vec<_>>()
            .join(" | ")
    };
    assert_eq!(
        summary(&json_path).replace("rural-n10-s4: ", ""),
        summary(&vrp_path).replace("rural-n10-s4: ", "")
    );

    // National with several depots: no VRPLIB, a clear input error, no file.
    let bad = dir.join("n.vrp");
    let o = backroads(&["generate", "--towns", "20", "--provinces", "2", "--out", arg(&bad)]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.starts_with("error: ") && err.contains("as VRPLIB (.vrp)"), "{err}");
    assert!(!bad.exists());
    // One depot fits VRPLIB.
    let one = dir.join("one.vrp");
    let o = backroads(&["generate", "--towns", "20", "--provinces", "1", "--out", arg(&one)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        std::fs::read_to_string(&one)
            .unwrap()
            .starts_with("NAME : national-n20-p1-d1-s1\n")
    );
    let o = backroads(&["solve", arg(&one), "--iterations", "50", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let national = dir.join("n.json");
    let o = backroads(&["generate", "--towns", "20", "--provinces", "2", "--out", arg(&national)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: Value = read_json(&national);
    assert_eq!(json["depots"].as_array().unwrap().len(), 2);
}

/// As the guide's CLI reference says (`docs/src/cli.md`): `--sol` is written for several vehicle types when
/// every type has a count (one line per vehicle), refused otherwise.
#[test]
fn sol_is_written_for_several_counted_vehicle_types() {
    let dir = scratch("trust", "sol_types");
    let mut counted = near_far();
    counted["fleet"][1]["count"] = json!(2);
    let problem = write_json(&dir, "counted.json", &counted);
    let sol = dir.join("counted.sol");
    let solve_to_sol = |problem: &std::path::Path, sol: &std::path::Path| {
        backroads(&[
            "solve",
            arg(problem),
            "--iterations",
            "200",
            "--quiet",
            "--sol",
            arg(sol),
        ])
    };
    let o = solve_to_sol(&problem, &sol);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(&sol).unwrap();
    // Vehicle 1 is `small`, 2 and 3 are `big`'s.
    assert_eq!(text.lines().filter(|l| l.starts_with("Route #")).count(), 3, "{text}");
    let c = backroads(&["check", arg(&problem), arg(&sol)]);
    assert_eq!(c.status.code(), Some(0), "{}{}", stdout(&c), stderr(&c));
    // `big` without a count: the vehicles cannot be numbered.
    let problem = write_json(&dir, "uncounted.json", &near_far());
    let sol = dir.join("uncounted.sol");
    let o = solve_to_sol(&problem, &sol);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("every type needs a count"), "{}", stderr(&o));
}
