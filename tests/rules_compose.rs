//! Issue "The whole operation in one plan": rules that used to be refused
//! or failed together, planned through the CLI and checked by `check`.

#![cfg(feature = "cli")]

mod common;

use common::{arg, backroads, example_path, read_json, scratch, stderr, stdout, write_file};
use serde_json::{Value, json};
use std::path::Path;

/// Runs `solve` on the problem file `p` (seed 1), writing `out` (and the
/// `.sol` when given), then `check` on each file written, which must say
/// feasible; returns the solve's exit code.
fn solve_and_check(p: &Path, out: &Path, sol: Option<&Path>, iterations: &str, threads: &str) -> Option<i32> {
    let mut args = vec![
        "solve",
        arg(p),
        "--iterations",
        iterations,
        "--seed",
        "1",
        "--threads",
        threads,
        "--quiet",
        "--out",
        arg(out),
    ];
    if let Some(sol) = sol {
        args.extend(["--sol", arg(sol)]);
    }
    let o = backroads(&args);
    assert!(
        matches!(o.status.code(), Some(0 | 3)),
        "{}: {}",
        p.display(),
        stderr(&o)
    );
    for written in std::iter::once(out).chain(sol) {
        let c = backroads(&["check", arg(p), arg(written)]);
        let said = stdout(&c) + &stderr(&c);
        assert_eq!(c.status.code(), Some(0), "check {}: {said}", written.display());
    }
    o.status.code()
}

/// Solves `problem` (written to `dir`), writing the JSON solution and a
/// `.sol`, both checked; returns the solution.
fn solve(dir: &Path, problem: &Value) -> Value {
    let p = write_file(dir, "p.json", &problem.to_string());
    let out = dir.join("s.json");
    solve_and_check(&p, &out, Some(&dir.join("s.sol")), "2000", "1");
    read_json(&out)
}

/// Towns on a ring around the depot, with the rules each third gets.
/// [`solve`] for a multi-day problem (no `.sol`), with a smaller budget.
fn solve_week(dir: &Path, problem: &Value) -> Value {
    let p = write_file(dir, "p.json", &problem.to_string());
    let out = dir.join("s.json");
    solve_and_check(&p, &out, None, "300", "1");
    read_json(&out)
}

/// The towns a multi-day plan leaves out, with the kind of their reason.
fn left_out(plan: &Value) -> Vec<(&str, &str)> {
    plan["unassigned"]
        .as_array()
        .map(|u| {
            u.iter()
                .map(|u| {
                    (
                        u["town"].as_str().unwrap(),
                        u["reason"]["reason"]["kind"].as_str().unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn ring_towns(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| {
            let a = i as f64 * 2.4;
            let r = 20_000.0 + 4000.0 * (i % 5) as f64;
            let mut t = json!({"id": format!("t{i}"),
                "location": {"x": (r * a.cos()).round(), "y": (r * a.sin()).round()},
                "demand": 3 + i % 4, "service_time_s": 300});
            match i % 3 {
                // Closed over lunch.
                0 => t["windows"] = json!([["08:00", "12:00"], ["14:00", "18:00"]]),
                // Goods on the 10:00 lorry; produce to pick up.
                1 => {
                    t["release"] = json!("10:00");
                    t["pickup"] = json!(2);
                }
                // An optional hamlet.
                _ => t["prize"] = json!(40_000),
            }
            t
        })
        .collect()
}

#[test]
fn mixed_speeds_compose_with_reloads_releases_prizes_and_breaks() {
    let dir = scratch("rules_compose", "mixed_speeds");
    let problem = json!({
        "depots": [{"id": "d", "location": {"x": 0, "y": 0}, "hours": ["06:00", "20:00"]}],
        "towns": ring_towns(24),
        "fleet": [
            {"id": "truck", "depot": "d", "capacity": 40, "count": 1, "speed_kmh": 55,
             "max_duration_s": 39600, "breaks": [{"after_driving_s": 16200, "length_s": 2700}]},
            {"id": "van", "depot": "d", "capacity": 15, "count": 2, "speed_kmh": 75,
             "max_duration_s": 36000, "reload_depots": ["d"], "reload_time_s": 600,
             "breaks": [{"after_driving_s": 16200, "length_s": 2700}]}
        ]
    });
    let sol = solve(&dir, &problem);
    // Only optional hamlets may be left out: the fleet has room for the rest.
    for u in sol["unassigned"].as_array().unwrap() {
        let id = u["town"].as_str().unwrap();
        let i: usize = id[1..].parse().unwrap();
        assert_eq!(i % 3, 2, "a required town is unassigned: {u}");
    }
    let types: Vec<&str> = sol["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["vehicle_type"].as_str().unwrap())
        .collect();
    assert!(types.contains(&"van"), "{types:?}");
}

#[test]
fn the_shortest_schedule_serves_a_shop_in_its_later_interval() {
    // `a` is open 07:00–07:30 and 12:00–12:55 and must come before `b`,
    // which opens at 13:00; the shift is 2 hours. Leaving at 07:20 (the
    // first interval) waits five hours at `b`; leaving at 12:40 does not.
    let dir = scratch("rules_compose", "shortest_schedule");
    let problem = json!({
        "depots": [{"id": "d", "location": {"x": 0, "y": 0}, "hours": ["06:00", "20:00"]}],
        "towns": [
            {"id": "a", "location": {"x": 10000, "y": 0}, "demand": 1,
             "windows": [["07:00", "07:30"], ["12:00", "12:55"]]},
            {"id": "b", "location": {"x": 20000, "y": 0}, "demand": 1, "windows": [["13:00", "18:00"]]}
        ],
        "fleet": [{"id": "van", "depot": "d", "capacity": 10, "count": 1, "max_duration_s": 7200}]
    });
    let sol = solve(&dir, &problem);
    assert_eq!(sol["unassigned"].as_array().unwrap().len(), 0, "{sol}");
    let route = &sol["routes"][0];
    assert_eq!(route["start_s"], json!(12 * 3600 + 40 * 60), "{route}");
    assert_eq!(route["end_s"], json!(13 * 3600 + 20 * 60), "{route}");
}

#[test]
fn a_week_with_breaks_pickups_release_times_reloads_and_mixed_speeds() {
    let dir = scratch("rules_compose", "week");
    let towns: Vec<Value> = ring_towns(18)
        .into_iter()
        .enumerate()
        .map(|(i, mut t)| {
            // No prizes in a week yet: the hamlets need two drops instead.
            if let Some(o) = t.as_object_mut() {
                o.remove("prize");
            }
            match i % 3 {
                2 => {
                    t["drops"] = json!(2);
                    t["days"] = json!([1, 2, 3, 4, 5]);
                }
                1 => t["patterns"] = json!([[1, 3, 5], [2, 4]]),
                _ => t["days"] = json!([i % 5 + 1]),
            }
            t
        })
        .collect();
    let problem = json!({
        "horizon_days": 5,
        "depots": [{"id": "d", "location": {"x": 0, "y": 0}, "hours": ["06:00", "20:00"]}],
        "towns": towns,
        "fleet": [
            {"id": "truck", "depot": "d", "capacity": 40, "count": 1, "speed_kmh": 55,
             "max_duration_s": 39600, "breaks": [{"after_driving_s": 16200, "length_s": 2700}]},
            {"id": "van", "depot": "d", "capacity": 15, "count": 2, "speed_kmh": 75,
             "max_duration_s": 36000, "reload_depots": ["d"], "reload_time_s": 600,
             "breaks": [{"window": ["12:00", "14:00"], "length_s": 1800}]}
        ]
    });
    let p = write_file(&dir, "p.json", &problem.to_string());
    let out = dir.join("s.json");
    assert_eq!(solve_and_check(&p, &out, None, "2000", "1"), Some(0));
    let plan: Value = read_json(&out);
    // Every town is served on the days of one of its patterns (the check
    // above), and the drivers' breaks are in the week's routes.
    let days = plan["days"].as_array().unwrap();
    assert_eq!(days.len(), 5);
    let breaks = days
        .iter()
        .flat_map(|d| d["routes"].as_array().unwrap())
        .filter(|r| r["breaks"].as_array().is_some_and(|b| !b.is_empty()))
        .count();
    assert!(breaks > 0, "no route took a break");
}

#[test]
fn the_anhui_examples_plan_every_rule_and_check() {
    let dir = scratch("rules_compose", "anhui");
    for name in ["anhui_all_rules.json", "anhui_week.json"] {
        // Exit 0: all served, 3: some towns unassigned (with reasons).
        solve_and_check(&example_path(name), &dir.join(name), None, "1000", "2");
    }
}

#[test]
fn a_week_leaves_out_only_the_hamlets_not_worth_their_prize() {
    let dir = scratch("rules_compose", "week_prizes");
    let problem = json!({"horizon_days": 3,
        "depots": [{"id": "d", "location": {"x": 0, "y": 0}}],
        "towns": [
            {"id": "near", "location": {"x": 1000, "y": 0}, "demand": 1, "prize": 5000, "drops": 2},
            {"id": "far", "location": {"x": 90000, "y": 0}, "demand": 1, "prize": 10, "drops": 1},
            {"id": "shop", "location": {"x": 2000, "y": 500}, "demand": 1, "drops": 3}],
        "fleet": [{"id": "van", "depot": "d", "capacity": 10, "count": 1}]});
    let plan = solve_week(&dir, &problem);
    assert_eq!(left_out(&plan), vec![("far", "not_worth_its_prize")], "{plan}");

    // With money costs the prizes are weighed in money, as on one day: 0.5
    // a km makes the far hamlet's 180 km cost 90, above its prize of 10,
    // while the near one's 2 km a drop stay within 5,000.
    let mut money = problem.clone();
    money["fleet"][0]["cost_per_km"] = json!(0.5);
    let plan = solve_week(&dir, &money);
    assert_eq!(left_out(&plan), vec![("far", "not_worth_its_prize")], "{plan}");
    let km = plan["totals"]["distance"].as_f64().unwrap() / 1000.0;
    let cost = plan["totals"]["cost"].as_f64().unwrap();
    assert!((cost - 0.5 * km).abs() < 1e-6, "{cost} for {km} km");
    // A prize above what the far hamlet's drop costs brings it in.
    money["towns"][1]["prize"] = json!(200);
    let plan = solve_week(&dir, &money);
    assert!(left_out(&plan).is_empty(), "{plan}");
}
