//! The command-line contract: bad input ends in one clear line and a
//! non-zero exit, never a panic; good input solves and checks.

use std::path::Path;
mod common;

use common::{backroads, example_path, scratch, stderr, test_data};

/// Solving `file` fails with exit 1 and a single `error:` line containing `needle`.
fn rejects(file: &str, needle: &str) {
    let path = test_data(file);
    let o = backroads(&["solve", path.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{file}: {err}");
    assert!(!err.contains("panicked"), "{file}: {err}");
    assert_eq!(err.trim().lines().count(), 1, "{file}: expected one line, got {err}");
    assert!(err.starts_with("error: "), "{file}: {err}");
    assert!(
        err.to_lowercase().contains(&needle.to_lowercase()),
        "{file}: '{needle}' not in {err}"
    );
}

#[test]
fn truncated_file() {
    rejects("bad/truncated.vrp", "DEMAND_SECTION missing");
}

#[test]
fn wrong_dimension() {
    rejects("bad/wrong_dimension.vrp", "DIMENSION");
}

#[test]
fn unknown_edge_weight_type() {
    rejects("bad/unknown_edge_weight_type.vrp", "MAN_3D");
}

#[test]
fn negative_demand() {
    rejects("bad/negative_demand.vrp", "negative");
}

#[test]
fn absurd_dimension_does_not_allocate() {
    rejects("bad/absurd_dimension.vrp", "1000000000000");
}

#[test]
fn duplicate_ids() {
    rejects("bad/duplicate_ids.json", "duplicate town id 'A'");
}

#[test]
fn empty_problem() {
    rejects("bad/empty.json", "no town");
}

#[test]
fn zero_capacity_fleet() {
    rejects("bad/zero_capacity.json", "capacity");
}

#[test]
fn unknown_depot_reference() {
    rejects("bad/unknown_depot.json", "unknown depot id 'Nowhere'");
}

#[test]
fn malformed_json() {
    rejects("bad/malformed.json", "malformed.json");
}

#[test]
fn missing_file() {
    rejects("bad/does_not_exist.vrp", "does_not_exist.vrp");
}

#[test]
fn demand_above_capacity_is_unassigned_with_reason() {
    let path = test_data("bad/demand_above_capacity.vrp");
    let o = backroads(&["solve", path.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(
        err.contains("unassigned 3: capacity: demand 25 exceeds the largest capacity 10"),
        "{err}"
    );
    assert!(err.contains("towns served 2"), "{err}");
}

#[test]
fn disconnected_road_graph_gives_unreachable_town() {
    let path = test_data("bad/disconnected/problem.json");
    let o = backroads(&["solve", path.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("unassigned B: unreachable"), "{err}");
    assert!(err.contains("towns served 1"), "{err}");
}

#[test]
fn bad_time_limit_is_rejected() {
    let path = test_data("cvrplib/X/X-n101-k25.vrp");
    let o = backroads(&["solve", path.to_str().unwrap(), "--time-limit", "-3"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(!stderr(&o).contains("panicked"));
}

#[test]
fn solve_writes_sol_and_json_that_check_accepts() {
    let dir = scratch("cli", "sol-and-json");
    let (sol, json) = (dir.join("out.sol"), dir.join("out.json"));
    let input = test_data("cvrplib/X/X-n101-k25.vrp");
    let o = backroads(&[
        "solve",
        input.to_str().unwrap(),
        "--seed",
        "7",
        "--threads",
        "2",
        "--sol",
        sol.to_str().unwrap(),
        "--out",
        json.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for file in [&sol, &json] {
        let c = backroads(&["check", input.to_str().unwrap(), file.to_str().unwrap()]);
        let out = String::from_utf8_lossy(&c.stdout);
        assert_eq!(c.status.code(), Some(0), "{out}");
        assert!(out.contains("feasible"), "{out}");
    }
    // A corrupted .sol (a customer visited twice) is reported infeasible.
    let text = std::fs::read_to_string(&sol).unwrap();
    let first = text.lines().next().unwrap().to_string();
    std::fs::write(&sol, format!("{text}{first}\n").replace("Route #1:", "Route #1:")).unwrap();
    let bad = std::fs::read_to_string(&sol).unwrap();
    let dup = bad.lines().filter(|l| l.starts_with("Route #1:")).count();
    assert_eq!(dup, 2);
    let c = backroads(&["check", input.to_str().unwrap(), sol.to_str().unwrap()]);
    assert_eq!(c.status.code(), Some(3), "{}", String::from_utf8_lossy(&c.stdout));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bundled_example_solves() {
    let path = example_path("jiangsu_anhui.json");
    let o = backroads(&["solve", path.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("towns served 1298"), "{err}");
}

#[test]
fn bundled_road_network_example_solves() {
    let path = example_path("north_bayreuth.json");
    let o = backroads(&["solve", path.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("towns served 70"), "{err}");
    assert!(err.contains("road network: 71 locations snapped"), "{err}");
}

#[test]
fn small_readme_example_reports_the_far_farm() {
    let path = example_path("small.json");
    let o = backroads(&["solve", path.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(
        err.contains("unassigned far-farm: shift: the round trip alone takes"),
        "{err}"
    );
    assert!(err.contains("towns served 6"), "{err}");
}

/// Copies two small X instances into `dir`.
fn two_instances(dir: &Path) {
    for name in ["X-n101-k25.vrp", "X-n143-k7.vrp"] {
        std::fs::copy(test_data(&format!("cvrplib/X/{name}")), dir.join(name)).unwrap();
    }
}

/// CSV records (header excluded) as field vectors.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("instance,n,bks,cost,gap_percent,time_s,feasible,routes")
    );
    lines.map(|l| l.split(',').map(str::to_string).collect()).collect()
}

#[test]
fn bench_folder_writes_csv_with_consistent_gaps() {
    let dir = scratch("cli", "bench-folder");
    let problems = dir.join("problems");
    std::fs::create_dir_all(&problems).unwrap();
    two_instances(&problems);
    let (bks, out) = (dir.join("my_bks.csv"), dir.join("out.csv"));
    std::fs::write(&bks, "instance,bks\nX-n101-k25,27591\nX-n143-k7,15700\n").unwrap();
    let o = backroads(&[
        "bench",
        problems.to_str().unwrap(),
        "--bks",
        bks.to_str().unwrap(),
        "--iterations",
        "50",
        "--threads",
        "2",
        "--csv",
        out.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{stdout}{}", stderr(&o));
    assert!(stdout.contains("| X-n101-k25 | 100 | 27591 |"), "{stdout}");
    assert!(stdout.contains("| X-n143-k7 | 142 | 15700 |"), "{stdout}");
    assert!(stdout.contains("mean gap "), "{stdout}");
    assert!(stdout.contains("mean time "), "{stdout}");

    let rows = csv_rows(&std::fs::read_to_string(&out).unwrap());
    let names: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(names, ["X-n101-k25", "X-n143-k7"], "sorted by name");
    for (r, (n, best)) in rows.iter().zip([(100, 27591.0), (142, 15700.0)]) {
        assert_eq!(r.len(), 8, "{r:?}");
        assert_eq!(r[1].parse::<usize>().unwrap(), n);
        assert_eq!(r[2].parse::<f64>().unwrap(), best);
        let cost: f64 = r[3].parse().unwrap();
        let gap: f64 = r[4].parse().unwrap();
        assert!(cost >= best, "{r:?}");
        assert!((gap - 100.0 * (cost - best) / best).abs() < 1e-3, "{r:?}");
        assert!(r[5].parse::<f64>().unwrap() >= 0.0, "{r:?}");
        assert_eq!(r[6], "yes", "{r:?}");
        assert!(r[7].parse::<usize>().unwrap() > 0, "{r:?}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bench_finds_bks_csv_in_the_folder_and_shows_missing_entries_as_dash() {
    let dir = scratch("cli", "bench-own-bks");
    two_instances(&dir);
    std::fs::write(dir.join("bks.csv"), "instance,bks\nX-n143-k7,15700\n").unwrap();
    let out = dir.join("out.csv");
    let o = backroads(&[
        "bench",
        dir.to_str().unwrap(),
        "--iterations",
        "50",
        "--csv",
        out.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{stdout}{}", stderr(&o));
    assert!(stdout.contains("| X-n101-k25 | 100 | - |"), "{stdout}");
    assert!(stdout.contains("| X-n143-k7 | 142 | 15700 |"), "{stdout}");
    assert!(stdout.contains("over 1 instances with a BKS"), "{stdout}");
    let rows = csv_rows(&std::fs::read_to_string(&out).unwrap());
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[0][2].as_str(), rows[0][4].as_str()), ("", ""), "{:?}", rows[0]);
    assert_eq!(rows[1][2], "15700");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bench_reports_bad_inputs_and_goes_on() {
    let dir = scratch("cli", "bench-bad");
    let garbage = dir.join("garbage.vrp");
    std::fs::write(&garbage, "this is not a VRPLIB file\n").unwrap();
    let missing = dir.join("missing.vrp");
    let good = test_data("cvrplib/X/X-n101-k25.vrp");
    let out = dir.join("out.csv");
    let o = backroads(&[
        "bench",
        missing.to_str().unwrap(),
        garbage.to_str().unwrap(),
        good.to_str().unwrap(),
        "--iterations",
        "50",
        "--csv",
        out.to_str().unwrap(),
    ]);
    let (stdout, err) = (String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert_eq!(o.status.code(), Some(1), "{stdout}{err}");
    assert!(!err.contains("panicked"), "{err}");
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 2, "{err}");
    assert!(errors[0].contains("missing.vrp"), "{err}");
    assert!(errors[1].contains("garbage.vrp"), "{err}");
    // The good instance still ran, with the BKS found beside its folder.
    assert!(stdout.contains("| X-n101-k25 | 100 | 27591 |"), "{stdout}");
    assert!(stdout.contains("2 failed"), "{stdout}");
    let rows = csv_rows(&std::fs::read_to_string(&out).unwrap());
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], "X-n101-k25");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn iteration_budget_gives_identical_routes_for_the_same_seed_and_threads() {
    let dir = scratch("cli", "repro");
    let vrp = test_data("cvrplib/X/X-n101-k25.vrp");
    let run = |name: &str, seed: &str| {
        let sol = dir.join(name);
        let o = backroads(&[
            "solve",
            vrp.to_str().unwrap(),
            "--iterations",
            "3000",
            "--seed",
            seed,
            "--threads",
            "2",
            "--best-known",
            "27591",
            "--sol",
            sol.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        std::fs::read_to_string(sol).unwrap()
    };
    let (a, b) = (run("a.sol", "5"), run("b.sol", "5"));
    assert_eq!(a, b, "same seed, threads and iterations must give the same routes");
    let cost = |s: &str| -> i64 {
        s.lines()
            .find_map(|l| l.strip_prefix("Cost "))
            .and_then(|c| c.trim().parse().ok())
            .expect("Cost line")
    };
    // Savings + 2-opt alone is ≈4% above the best known 27591 here.
    assert!(cost(&a) < 27591 * 102 / 100, "cost {}", cost(&a));
}

#[test]
fn generated_rural_instance_solves() {
    let dir = scratch("cli", "generate");
    let file = dir.join("rural.vrp");
    let o = backroads(&[
        "generate",
        "--towns",
        "500",
        "--seed",
        "3",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("NAME : rural-n500-s3\n"), "{}", &text[..80]);
    let o = backroads(&["solve", file.to_str().unwrap(), "--iterations", "200", "--quiet"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("towns served 500"), "{err}");
    let o = backroads(&["generate", "--towns", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).starts_with("error: "), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn generated_national_instance_solves_from_every_province() {
    let dir = scratch("cli", "generate-national");
    let file = dir.join("national.json");
    let f = file.to_str().unwrap();
    let o = backroads(&[
        "generate",
        "--towns",
        "900",
        "--provinces",
        "3",
        "--depots",
        "5",
        "--out",
        f,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = dir.join("solution.json");
    let o = backroads(&[
        "solve",
        f,
        "--iterations",
        "300",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("towns served 900"), "{err}");
    let solution: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let depots: std::collections::BTreeSet<&str> = solution["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["depot"].as_str().unwrap())
        .collect();
    for p in 1..=3 {
        assert!(depots.iter().any(|d| d.starts_with(&format!("p{p}-"))), "{depots:?}");
    }
    // Fewer depots than provinces, and --depots without --provinces, are usage errors.
    let o = backroads(&["generate", "--towns", "900", "--provinces", "3", "--depots", "2"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = backroads(&["generate", "--towns", "900", "--depots", "2"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bench_search_variant_flags_are_checked() {
    let vrp = test_data("cvrplib/X/X-n101-k25.vrp");
    let v = vrp.to_str().unwrap();
    let ok = backroads(&[
        "bench",
        v,
        "--iterations",
        "200",
        "--operators",
        "relocate,2-opt*",
        "--granularity",
        "5",
        "--temperature",
        "0.5,0.005",
        "--quiet",
    ]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    for (flag, value, needle) in [
        ("--operators", "relocate,oops", "unknown operator 'oops'"),
        ("--granularity", "0", "at least 1"),
        ("--temperature", "1", "two positive numbers"),
        ("--temperature", "0,0.1", "two positive numbers"),
        ("--temperature", "1,x,0.1", "two positive numbers"),
    ] {
        let o = backroads(&["bench", v, "--iterations", "10", flag, value]);
        assert_eq!(o.status.code(), Some(2), "{flag} {value}");
        assert!(stderr(&o).contains(needle), "{flag} {value}: {}", stderr(&o));
    }
}
