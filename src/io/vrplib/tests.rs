use super::*;
use crate::model::{Location, MAX_TOWNS, PickupOrder, Travel, VehicleTypeSpec};
use std::fmt::Write as _;

const TINY: &str = "NAME : \ttiny\t\r\nCOMMENT : \t\"hand made\"\t\r\nTYPE : \tCVRP\t\r\nDIMENSION : \t4\t\r\n\
EDGE_WEIGHT_TYPE : \tEUC_2D\t\r\nCAPACITY : \t10\t\r\nNODE_COORD_SECTION\t\t\r\n1\t0\t0\r\n2\t3\t4\r\n3\t6\t8\r\n4\t-3\t-4\r\n\
DEMAND_SECTION\t\t\r\n1\t0\t\r\n2\t4\t\r\n3\t5\t\r\n4\t7\t\r\nDEPOT_SECTION\t\t\r\n\t1\t\r\n\t-1\t\r\nEOF\t\t\r\n";

fn parse_err(text: &str) -> (Option<usize>, String) {
    match read_vrp(text, "t.vrp") {
        Err(Error::Parse {
            source_name,
            line,
            message,
        }) => {
            assert_eq!(source_name, "t.vrp");
            (line, message)
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
}

#[test]
fn reads_euc2d_with_tabs_and_crlf() {
    let p = read_vrp(TINY, "tiny.vrp").unwrap();
    assert_eq!(p.name, "tiny");
    assert_eq!(p.depots.len(), 1);
    assert_eq!(p.depots[0].id, "1");
    let ids: Vec<&str> = p.towns.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["2", "3", "4"]);
    assert_eq!(p.towns.iter().map(|t| t.demand).collect::<Vec<_>>(), [4, 5, 7]);
    assert_eq!(p.towns[2].location, Location::Planar { x: -3.0, y: -4.0 });
    assert!(matches!(p.travel, Travel::Euclidean));
    assert_eq!(p.fleet.len(), 1);
    let v = &p.fleet[0];
    assert_eq!(
        (v.id.as_str(), v.capacity, v.count, v.max_distance, v.max_duration),
        ("vehicle", 10, None, None, None)
    );
    assert_eq!(v.speed_kmh, VRPLIB_SPEED_KMH);
}

#[test]
fn tolerates_missing_spaces_missing_eof_and_no_depot_section() {
    let text = "NAME:x\nDIMENSION:3\nCAPACITY :5\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 1 1\n3 2 2\n\
                DEMAND_SECTION\n1 0\n2 1\n3 1\n";
    let p = read_vrp(text, "x").unwrap();
    assert_eq!(p.towns.len(), 2);
    assert_eq!(p.fleet[0].capacity, 5);
    assert_eq!(p.depots[0].id, "1");
}

/// Reads `text` in the nearest-integer convention (the file kind's
/// default may be another).
fn read_nearest(text: &str) -> Problem {
    let options = ReadOptions {
        rounding: Some(Rounding::Nearest),
        ..ReadOptions::default()
    };
    read_vrp_with(text, "t", &options).unwrap()
}

#[test]
fn vehicles_distance_and_service_time() {
    let text = TINY.replace(
        "CAPACITY",
        "VEHICLES : 3\r\nDISTANCE : 200\r\nSERVICE_TIME : 10\r\nCAPACITY",
    );
    let p = read_nearest(&text);
    assert!(p.towns.iter().all(|t| t.service_time == 10));
    let v = &p.fleet[0];
    assert_eq!(v.count, Some(3));
    assert_eq!(v.max_distance, Some(200));
    // CVRPLIB's DISTANCE includes service: it also bounds the duration,
    // where 1 distance unit = 1 second.
    assert_eq!(v.max_duration, Some(200));
    assert_eq!(v.seconds_per_unit(), 1.0);

    let only_distance = TINY.replace("CAPACITY", "DISTANCE : 50.4\r\nCAPACITY");
    let p = read_nearest(&only_distance);
    assert_eq!((p.fleet[0].max_distance, p.fleet[0].max_duration), (Some(50), None));
    // By default a DISTANCE limit means exact distances: 1/10 000 units,
    // the limit rounded down, service times scaled alike.
    let p = read_vrp(&text, "t").unwrap();
    assert_eq!(p.rounding, Rounding::Exact);
    let v = &p.fleet[0];
    assert_eq!((v.max_distance, v.max_duration), (Some(2_000_000), Some(2_000_000)));
    assert!(p.towns.iter().all(|t| t.service_time == 100_000));
    let p = read_vrp(&only_distance, "t").unwrap();
    assert_eq!(p.fleet[0].max_distance, Some(504_000));
    assert!(p.towns.iter().all(|t| t.service_time == 0));

    let only_service = TINY.replace("CAPACITY", "SERVICE_TIME : 7\r\nCAPACITY");
    let p = read_vrp(&only_service, "t").unwrap();
    assert_eq!((p.fleet[0].max_distance, p.fleet[0].max_duration), (None, None));
    assert!(p.towns.iter().all(|t| t.service_time == 7));
}

#[test]
fn distance_with_service_time_is_checked_like_cvrplib() {
    use crate::distance::build_oracle;
    use crate::solution::{Plan, PlannedRoute, Solution, Violation, validate};
    // Route 1 -> 2 -> 3 -> 1 is 5 + 5 + 10 = 20 long, plus 2 x 10 service = 40.
    let text = TINY.replace("CAPACITY", "DISTANCE : 39\r\nSERVICE_TIME : 10\r\nCAPACITY");
    let p = read_nearest(&text);
    let oracle = build_oracle(&p).unwrap();
    let plan = Plan {
        routes: vec![
            PlannedRoute {
                vehicle_type: 0,
                towns: vec![0, 1],
                reloads: Vec::new(),
            },
            PlannedRoute {
                vehicle_type: 0,
                towns: vec![2],
                reloads: Vec::new(),
            },
        ],
        unassigned: vec![],
    };
    let s = Solution::from_plan(&p, oracle.as_ref(), &plan);
    let report = validate(&p, oracle.as_ref(), &s);
    assert!(
        report.violations.iter().any(|v| matches!(
            v,
            Violation::Duration {
                route: 0,
                duration_s: 40,
                limit: 39
            }
        )),
        "{:?}",
        report.violations
    );
    let text = TINY.replace("CAPACITY", "DISTANCE : 40\r\nSERVICE_TIME : 10\r\nCAPACITY");
    let p = read_nearest(&text);
    let s = Solution::from_plan(&p, oracle.as_ref(), &plan);
    assert!(validate(&p, oracle.as_ref(), &s).is_feasible());
}

/// A Golden-style file: real coordinates and a `DISTANCE` limit. Town 2
/// is 2.5 from the depot (exactly, in f64 too), town 3 is 10.4 away.
const GOLDEN_STYLE: &str = "NAME : g\nTYPE : CVRP\nDIMENSION : 3\nCAPACITY : 10\nDISTANCE : 20.5\n\
    EDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 1.5 2\n3 10.4 0\n\
    DEMAND_SECTION\n1 0\n2 1\n3 1\nDEPOT_SECTION\n1\n-1\nEOF\n";

#[test]
fn golden_style_file_under_each_convention() {
    use crate::distance::build_oracle;
    let with = |r: Option<Rounding>| {
        read_vrp_with(
            GOLDEN_STYLE,
            "g",
            &ReadOptions {
                rounding: r,
                ..ReadOptions::default()
            },
        )
        .unwrap()
    };
    let arc = |p: &Problem, t: usize| build_oracle(p).unwrap().distance(0, p.town_location(t));
    let default = with(None);
    assert_eq!(default.rounding, Rounding::Exact);
    let exact = with(Some(Rounding::Exact));
    assert_eq!(exact.fleet, default.fleet);
    assert_eq!(exact.fleet[0].max_distance, Some(205_000));
    assert_eq!((arc(&exact, 0), arc(&exact, 1)), (25_000, 104_000));
    let nearest = with(Some(Rounding::Nearest));
    assert_eq!(nearest.fleet[0].max_distance, Some(21)); // nint(20.5), as CVRPLIB
    assert_eq!((arc(&nearest, 0), arc(&nearest, 1)), (3, 10)); // nint(2.5) = 3
    let dimacs = with(Some(Rounding::DimacsTenths));
    assert_eq!(dimacs.fleet[0].max_distance, Some(205));
    assert_eq!((arc(&dimacs, 0), arc(&dimacs, 1)), (25, 104));
    // Integer coordinates without a limit (CVRPLIB X) stay nearest.
    assert_eq!(read_vrp(TINY, "t").unwrap().rounding, Rounding::Nearest);
    // Explicit weights and time windows have one convention each.
    let explicit = read_vrp_with(
        &explicit_text("LOWER_ROW", "1 2 4 3 5 6"),
        "m",
        &ReadOptions {
            rounding: Some(Rounding::Exact),
            ..ReadOptions::default()
        },
    );
    assert!(matches!(explicit, Err(Error::Parse { message, .. }) if message.contains("EXPLICIT")));
    // Exact fixed point needs coordinates within ±1e5.
    let far = GOLDEN_STYLE.replace("3 10.4 0", "3 200000.5 0");
    assert!(matches!(
        read_vrp_with(&far, "g", &ReadOptions { rounding: Some(Rounding::Exact), ..ReadOptions::default() }),
        Err(Error::Parse { message, .. }) if message.contains("nearest")
    ));
    assert_eq!(read_vrp(&far, "g").unwrap().rounding, Rounding::Nearest);
}

#[test]
fn exact_limit_refuses_what_nint_let_through() {
    use crate::distance::build_oracle;
    use crate::solution::{Plan, PlannedRoute, Solution, Violation, validate};
    let plan = |towns: Vec<usize>| Plan {
        routes: vec![PlannedRoute::new(0, towns)],
        unassigned: vec![],
    };
    let check = |p: &Problem, towns: Vec<usize>| {
        let oracle = build_oracle(p).unwrap();
        let s = Solution::from_plan(p, oracle.as_ref(), &plan(towns));
        validate(p, oracle.as_ref(), &s).violations
    };
    // Depot -> town 3 -> depot is 20.8 against DISTANCE 20.5: nint says
    // 20 <= 21, exact arithmetic says no.
    let nearest = read_vrp_with(
        GOLDEN_STYLE,
        "g",
        &ReadOptions {
            rounding: Some(Rounding::Nearest),
            ..ReadOptions::default()
        },
    )
    .unwrap();
    assert!(
        check(&nearest, vec![1])
            .iter()
            .all(|v| !matches!(v, Violation::Distance { .. }))
    );
    let exact = read_vrp(GOLDEN_STYLE, "g").unwrap();
    assert!(
        check(&exact, vec![1]).contains(&Violation::Distance {
            route: 0,
            distance: 208_000,
            limit: 205_000
        }),
        "{:?}",
        check(&exact, vec![1])
    );
    // A route exactly at the limit is feasible: 2 x 2.5 = 5 = DISTANCE.
    let at_limit = GOLDEN_STYLE.replace("DISTANCE : 20.5", "DISTANCE : 5");
    let p = read_vrp(&at_limit, "g").unwrap();
    let v = check(&p, vec![0]);
    assert!(v.iter().all(|v| !matches!(v, Violation::Distance { .. })), "{v:?}");
    let just_under = GOLDEN_STYLE.replace("DISTANCE : 20.5", "DISTANCE : 4.9999");
    let p = read_vrp(&just_under, "g").unwrap();
    assert!(
        check(&p, vec![0])
            .iter()
            .any(|v| matches!(v, Violation::Distance { .. }))
    );
}

fn explicit(format: &str, weights: &str, depot: usize) -> Problem {
    let text = format!(
        "NAME : m\nTYPE : CVRP\nDIMENSION : 4\nCAPACITY : 9\nEDGE_WEIGHT_TYPE : EXPLICIT\n\
         EDGE_WEIGHT_FORMAT : {format}\nEDGE_WEIGHT_SECTION\n{weights}\n\
         DEMAND_SECTION\n1 1\n2 1\n3 1\n4 1\nDEPOT_SECTION\n{depot}\n-1\nEOF\n"
    );
    read_vrp(&text, "m.vrp").unwrap_or_else(|e| panic!("{format}: {e}"))
}

fn matrix_of(p: &Problem) -> Vec<u32> {
    match &p.travel {
        Travel::Matrix {
            distances,
            durations: None,
        } => distances.iter().map(|d| d.unwrap()).collect(),
        other => panic!("expected a matrix, got {other:?}"),
    }
}

#[test]
fn all_explicit_formats_give_the_same_matrix() {
    let want: Vec<u32> = vec![0, 1, 2, 3, 1, 0, 4, 5, 2, 4, 0, 6, 3, 5, 6, 0];
    let cases = [
        ("FULL_MATRIX", "0 1 2 3\n1 0 4 5 2 4\n0 6 3 5 6 0"),
        ("LOWER_ROW", "1\n2 4\n3 5 6"),
        ("LOWER_DIAG_ROW", "0\n1 0\n2 4 0\n3 5 6 0"),
        ("UPPER_ROW", "1 2 3\n4 5\n6"),
        ("UPPER_DIAG_ROW", "0 1 2 3 0\n4 5 0 6 0"),
        ("LOWER_COL", "1 2 3\n4 5\n6"),
        ("LOWER_DIAG_COL", "0 1 2 3\n0 4 5\n0 6\n0"),
        ("UPPER_COL", "1\n2 4\n3 5 6"),
        ("UPPER_DIAG_COL", "0 1 0 2 4 0 3 5 6 0"),
    ];
    for (format, weights) in cases {
        let p = explicit(format, weights, 1);
        assert_eq!(matrix_of(&p), want, "{format}");
        assert_eq!(p.towns.len(), 3);
        assert_eq!(p.towns[0].location, Location::Planar { x: 0.0, y: 0.0 });
    }
}

#[test]
fn explicit_matrix_follows_depot_first_location_order() {
    let p = explicit("UPPER_ROW", "1 2 3 4 5 6", 3);
    assert_eq!(p.depots[0].id, "3");
    assert_eq!(
        p.towns.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        ["1", "2", "4"]
    );
    // Locations: node 3, 1, 2, 4.
    let d = matrix_of(&p);
    assert_eq!(&d[0..4], &[0, 2, 4, 6]);
    assert_eq!(&d[4..8], &[2, 0, 1, 3]);
}

#[test]
fn multi_depot_gets_one_vehicle_type_per_depot() {
    let text = TINY.replace("\t1\t\r\n\t-1", "1 4 -1");
    let p = read_vrp(&text, "t").unwrap();
    assert_eq!(p.depots.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), ["1", "4"]);
    assert_eq!(p.towns.len(), 2);
    assert_eq!(
        p.fleet.iter().map(|v| v.id.as_str()).collect::<Vec<_>>(),
        ["vehicle-1", "vehicle-4"]
    );
    assert_eq!(p.fleet[1].depot, 1);
}

#[test]
fn truncated_sections() {
    let (line, msg) = parse_err(&TINY.replace("4\t-3\t-4\r\n", ""));
    assert_eq!(line, Some(7));
    assert!(
        msg.contains("NODE_COORD_SECTION") && msg.contains("node 4 missing"),
        "{msg}"
    );

    let (line, msg) = parse_err(&TINY.replace("3\t5\t\r\n", ""));
    assert_eq!(line, Some(12));
    assert!(
        msg.contains("DEMAND_SECTION") && msg.contains("node 3 missing"),
        "{msg}"
    );

    let cut = &TINY[..TINY.find("DEMAND_SECTION").unwrap()];
    let (line, msg) = parse_err(cut);
    assert_eq!(line, None);
    assert!(msg.contains("DEMAND_SECTION missing"), "{msg}");

    let (line, msg) = parse_err(&explicit_text("LOWER_ROW", "1 2 4 3 5"));
    assert_eq!(line, Some(7));
    assert!(msg.contains("truncated") && msg.contains("5 of the 6"), "{msg}");
}

fn explicit_text(format: &str, weights: &str) -> String {
    format!(
        "NAME : m\nTYPE : CVRP\nDIMENSION : 4\nCAPACITY : 9\nEDGE_WEIGHT_TYPE : EXPLICIT\n\
         EDGE_WEIGHT_FORMAT : {format}\nEDGE_WEIGHT_SECTION\n{weights}\n\
         DEMAND_SECTION\n1 1\n2 1\n3 1\n4 1\nEOF\n"
    )
}

#[test]
fn wrong_dimension() {
    // More rows than declared.
    let (line, msg) = parse_err(&TINY.replace("4\t-3\t-4\r\n", "4\t-3\t-4\r\n5\t1\t1\r\n"));
    assert_eq!(line, Some(12));
    assert!(msg.contains("out of range") && msg.contains("DIMENSION 4"), "{msg}");
    // Fewer declared than given.
    let (line, msg) = parse_err(&TINY.replace("DIMENSION : \t4", "DIMENSION : \t3"));
    assert_eq!(line, Some(11));
    assert!(msg.contains("node id 4"), "{msg}");
    // Duplicate id.
    let (line, msg) = parse_err(&TINY.replace("3\t6\t8", "2\t6\t8"));
    assert_eq!(line, Some(10));
    assert!(msg.contains("node 2 given twice (first on line 9)"), "{msg}");
    // Too many explicit weights.
    let (line, msg) = parse_err(&explicit_text("LOWER_ROW", "1 2 4\n3 5 6 7"));
    assert_eq!(line, Some(9));
    assert!(msg.contains("more than the 6 entries"), "{msg}");
}

#[test]
fn unsupported_types() {
    let (line, msg) = parse_err(&TINY.replace("EUC_2D", "GEO"));
    assert_eq!(line, Some(5));
    assert!(msg.contains("unsupported EDGE_WEIGHT_TYPE 'GEO'"), "{msg}");
    for t in ["ATT", "CEIL_2D"] {
        let (_, msg) = parse_err(&TINY.replace("EUC_2D", t));
        assert!(msg.contains("unsupported EDGE_WEIGHT_TYPE"), "{msg}");
    }
    let (line, msg) = parse_err(&TINY.replace("\tCVRP", "\tTSP"));
    assert_eq!(line, Some(3));
    assert!(msg.contains("unsupported TYPE 'TSP'"), "{msg}");
    let (line, msg) = parse_err(&explicit_text("FUNCTION", "1 2 3"));
    assert_eq!(line, Some(6));
    assert!(msg.contains("unsupported EDGE_WEIGHT_FORMAT 'FUNCTION'"), "{msg}");
    let (line, msg) = parse_err(&TINY.replace("DEPOT_SECTION", "PICKUP_SECTION"));
    assert_eq!(line, Some(17));
    assert!(msg.contains("unsupported section PICKUP_SECTION"), "{msg}");
}

const TINY_TW: &str = "NAME : tw\nTYPE : VRPTW\nDIMENSION : 4\nVEHICLES : 2\nCAPACITY : 10\nSERVICE_TIME : 3\n\
EDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 3 4\n3 1 1\n4 0 2\nDEMAND_SECTION\n1 0\n2 5\n3 5\n4 4\n\
TIME_WINDOW_SECTION\n1 0 1000\n2 10 20\n3 0 900\n4 50 300\nDEPOT_SECTION\n1\n-1\nEOF\n";

#[test]
fn reads_time_windows_in_tenths() {
    use crate::model::Window;
    let p = read_vrp(TINY_TW, "tw.vrp").unwrap();
    assert_eq!(p.depots[0].hours, Window { open: 0, close: 10_000 });
    assert_eq!(p.towns[0].windows, vec![Window { open: 100, close: 200 }]);
    assert!(p.towns.iter().all(|t| t.service_time == 30));
    assert_eq!((p.fleet[0].count, p.fleet[0].capacity), (Some(2), 10));
    match &p.travel {
        Travel::Matrix {
            distances,
            durations: Some(durations),
        } => {
            // (0,0)-(3,4) = 5 -> 50; (3,4)-(1,1) = 3.606 -> 36.
            assert_eq!((distances[1], distances[4 + 2]), (Some(50), Some(36)));
            assert_eq!(distances, durations);
        }
        other => panic!("{other:?}"),
    }
    // Per-node service times override SERVICE_TIME; no TYPE is needed.
    let text = TINY_TW.replace("TYPE : VRPTW\n", "").replace(
        "DEPOT_SECTION",
        "SERVICE_TIME_SECTION\n1 0\n2 1\n3 2\n4 3.5\nDEPOT_SECTION",
    );
    let p = read_vrp(&text, "tw.vrp").unwrap();
    assert_eq!(p.towns.iter().map(|t| t.service_time).collect::<Vec<_>>(), [10, 20, 35]);
}

#[test]
fn time_window_errors_name_the_line() {
    let (line, msg) = parse_err(&TINY_TW.replace("4 50 300", "4 350 300"));
    assert_eq!(line, Some(22));
    assert!(
        msg.contains("node 4") && msg.contains("closes before it opens"),
        "{msg}"
    );
    let (line, msg) = parse_err(&TINY_TW.replace("2 10 20", "2 ten 20"));
    assert_eq!(line, Some(20));
    assert!(msg.contains("'ten' is not a number"), "{msg}");
    let (line, msg) = parse_err(&TINY_TW.replace("2 10 20", "2 -10 20"));
    assert_eq!(line, Some(20));
    assert!(msg.contains("ready time -10"), "{msg}");
    let (line, msg) = parse_err(&TINY_TW.replace("3 0 900\n", ""));
    assert_eq!(line, Some(18));
    assert!(
        msg.contains("TIME_WINDOW_SECTION is truncated") && msg.contains("node 3 missing"),
        "{msg}"
    );
    let (line, msg) = parse_err(&TINY_TW.replace("3 0 900", "2 0 900"));
    assert_eq!(line, Some(21));
    assert!(msg.contains("node 2 given twice"), "{msg}");
    let cut = TINY_TW.replace("TIME_WINDOW_SECTION\n1 0 1000\n2 10 20\n3 0 900\n4 50 300\n", "");
    let (line, msg) = parse_err(&cut);
    assert_eq!(line, None);
    assert!(msg.contains("needs a TIME_WINDOW_SECTION"), "{msg}");
    let (_, msg) = parse_err(&TINY_TW.replace("CAPACITY", "DISTANCE : 50\nCAPACITY"));
    assert!(msg.contains("DISTANCE is not supported"), "{msg}");
    let (line, msg) = parse_err(&TINY_TW.replace("1\n-1", "1 2\n-1"));
    assert_eq!(line, Some(23));
    assert!(msg.contains("exactly one depot"), "{msg}");
    let (line, msg) = parse_err(&TINY_TW.replace("2 3 4", "2 3e8 4"));
    assert_eq!(line, Some(10));
    assert!(msg.contains("-1e8..=1e8"), "{msg}");
    assert!(matches!(
        read_vrp(&TINY_TW.replace("DIMENSION : 4", "DIMENSION : 100000"), "x"),
        Err(Error::TooLarge { value: 100_000, .. })
    ));
    let text = TINY_TW
        .replace("TYPE : VRPTW\n", "")
        .replace("DIMENSION : 4", "DIMENSION : 100000");
    assert!(matches!(
        read_vrp(&text, "x"),
        Err(Error::TooLarge { value: 100_000, .. })
    ));
}

#[test]
fn bad_numbers() {
    let (line, msg) = parse_err(&TINY.replace("3\t5\t", "3\t-5\t"));
    assert_eq!(line, Some(15));
    assert!(msg.contains("negative demand -5 for node 3"), "{msg}");
    let (line, msg) = parse_err(&TINY.replace("3\t6\t8", "3\tsix\t8"));
    assert_eq!(line, Some(10));
    assert!(msg.contains("x coordinate") && msg.contains("'six'"), "{msg}");
    let (line, msg) = parse_err(&TINY.replace("3\t5\t", "3\t5kg\t"));
    assert_eq!(line, Some(15));
    assert!(msg.contains("demand") && msg.contains("5kg"), "{msg}");
    let (line, msg) = parse_err(&TINY.replace("DIMENSION : \t4", "DIMENSION : \tfour"));
    assert_eq!(line, Some(4));
    assert!(msg.contains("DIMENSION 'four'"), "{msg}");
    let (line, msg) = parse_err(&TINY.replace("\t1\t\r\n\t-1", "\tx\t\r\n\t-1"));
    assert_eq!(line, Some(18));
    assert!(msg.contains("expected a data row of DEPOT_SECTION"), "{msg}");
    let (line, msg) = parse_err(&TINY.replace("\t1\t\r\n\t-1", "\t7\t\r\n\t-1"));
    assert_eq!(line, Some(18));
    assert!(msg.contains("node id 7 is out of range"), "{msg}");
    let (line, msg) = parse_err(&explicit_text("LOWER_ROW", "1 2 4\n3 x 6"));
    assert_eq!(line, Some(9));
    assert!(msg.contains("'x' is not a number"), "{msg}");
    let (line, msg) = parse_err(&TINY.replace("EOF", "1 2 3"));
    assert_eq!(line, Some(20));
    assert!(msg.contains("-1"), "{msg}");
    let (line, msg) = parse_err(&TINY.replace("NODE_COORD_SECTION", "5 5\r\nNODE_COORD_SECTION"));
    assert_eq!(line, Some(7));
    assert!(msg.contains("outside of any section"), "{msg}");
}

#[test]
fn capacity_missing_or_not_positive() {
    let (line, msg) = parse_err(&TINY.replace("CAPACITY : \t10\t\r\n", ""));
    assert_eq!(line, None);
    assert!(msg.contains("CAPACITY missing"), "{msg}");
    for bad in ["0", "-3"] {
        let (line, msg) = parse_err(&TINY.replace("CAPACITY : \t10", &format!("CAPACITY : {bad}")));
        assert_eq!(line, Some(6));
        assert!(msg.contains("CAPACITY must be positive"), "{msg}");
    }
    let (line, msg) = parse_err(&TINY.replace("CAPACITY : \t10", "CAPACITY : lots"));
    assert_eq!(line, Some(6));
    assert!(msg.contains("CAPACITY"), "{msg}");
}

#[test]
fn coordinates_beyond_1e9_are_refused_with_their_line() {
    let (line, msg) = parse_err(&TINY.replace("3\t6\t8", "3\t1e300\t8"));
    assert_eq!(line, Some(10));
    assert!(msg.contains("x coordinate 1e300 is outside"), "{msg}");
    let (line, msg) = parse_err(&TINY.replace("4\t-3\t-4", "4\t-3\t-1000000001"));
    assert_eq!(line, Some(11));
    assert!(msg.contains("y coordinate"), "{msg}");
    let p = read_vrp(&TINY.replace("3\t6\t8", "3\t1e9\t-1e9"), "t").unwrap();
    assert_eq!(p.towns[1].location, Location::Planar { x: 1e9, y: -1e9 });
    // Display-only coordinates of an EXPLICIT file too.
    let text = explicit_text("LOWER_ROW", "1 2 4 3 5 6").replace(
        "DEMAND_SECTION",
        "DISPLAY_DATA_SECTION\n1 0 0\n2 0 0\n3 inf 0\n4 0 0\nDEMAND_SECTION",
    );
    let (line, msg) = parse_err(&text);
    assert_eq!(line, Some(12));
    assert!(msg.contains("DISPLAY_DATA_SECTION x coordinate"), "{msg}");
}

#[test]
fn many_depots_read_in_linear_time() {
    // 50,000 depots: a scan for repeats per depot, then per vehicle type
    // in the builder, made this quadratic (seconds to minutes).
    let (n, k) = (100_001, 50_000);
    let mut text = format!("DIMENSION : {n}\nCAPACITY : 5\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n");
    for v in 1..=n {
        let _ = writeln!(text, "{v} {v} 0");
    }
    text += "DEMAND_SECTION\n";
    for v in 1..=n {
        let _ = writeln!(text, "{v} 1");
    }
    text += "DEPOT_SECTION\n";
    for v in (1..=k).rev() {
        let _ = writeln!(text, "{v}");
    }
    let start = std::time::Instant::now();
    let p = read_vrp(&format!("{text}-1\n"), "t").unwrap();
    assert_eq!((p.depots.len(), p.fleet.len(), p.towns.len()), (k, k, n - k));
    assert_eq!(p.fleet[k - 1].depot, k - 1);
    assert!(start.elapsed().as_secs_f64() < 3.0, "{:?}", start.elapsed());
    let (line, msg) = parse_err(&format!("{text}7\n-1\n").replace("DIMENSION", "NAME : t\nDIMENSION"));
    assert_eq!(line, Some(2 * n + k + 8));
    assert!(msg.contains("depot 7 listed twice (first on line"), "{msg}");
}

#[test]
fn absurd_dimension_is_too_large() {
    for dim in ["1000000000000", "99999999999999999999999999"] {
        let text = format!(
            "NAME : x\nDIMENSION : {dim}\nCAPACITY : 1\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n1 0 0\n"
        );
        match read_vrp(&text, "x") {
            Err(Error::TooLarge { value, limit, .. }) => {
                assert!(value >= 1_000_000_000_000);
                assert_eq!(limit, MAX_TOWNS as u64 + 1);
            }
            other => panic!("expected TooLarge, got {other:?}"),
        }
    }
    // EXPLICIT is capped lower, whichever header comes first.
    let text = "EDGE_WEIGHT_TYPE : EXPLICIT\nDIMENSION : 50000\n";
    assert!(matches!(
        read_vrp(text, "x"),
        Err(Error::TooLarge { value: 50_000, .. })
    ));
    let text = "DIMENSION : 50000\nEDGE_WEIGHT_TYPE : EXPLICIT\n";
    assert!(matches!(
        read_vrp(text, "x"),
        Err(Error::TooLarge { value: 50_000, .. })
    ));
}

#[test]
fn corrupted_input_never_panics() {
    let explicit = explicit_text("UPPER_DIAG_ROW", "0 1 2 3 0\n4 5 0 6 0");
    for base in [TINY.to_string(), explicit] {
        for cut in 0..base.len() {
            if base.is_char_boundary(cut) {
                let _ = read_vrp(&base[..cut], "cut");
            }
        }
        let bytes = base.as_bytes();
        for i in 0..bytes.len() {
            for c in [b'-', b'9', b':', b' ', b'\n', b'x', b'0'] {
                let mut m = bytes.to_vec();
                m[i] = c;
                if let Ok(text) = String::from_utf8(m) {
                    let _ = read_vrp(&text, "mutated");
                }
            }
        }
    }
}

#[test]
fn write_then_read_round_trip() {
    let text = TINY.replace(
        "CAPACITY",
        "VEHICLES : 3\r\nDISTANCE : 200\r\nSERVICE_TIME : 10\r\nCAPACITY",
    );
    let p = read_vrp(&text, "t").unwrap();
    let out = write_vrp(&p).unwrap();
    let q = read_vrp(&out, "out").unwrap();
    assert_eq!(q.name, p.name);
    assert_eq!(q.towns, p.towns);
    assert_eq!(q.depots, p.depots);
    assert_eq!(q.fleet, p.fleet);
    // Non-integral coordinates survive too.
    let p = crate::model::ProblemBuilder::new("f")
        .depot("d", Location::Planar { x: 0.25, y: -1e-7 })
        .town("a", Location::Planar { x: 1.0 / 3.0, y: 1e9 }, 2.0, 0.0)
        .vehicle_type(VehicleTypeSpec {
            id: "v".into(),
            depot: "d".into(),
            count: None,
            capacity: (5.0).into(),
            speed_kmh: 60.0,
            ..VehicleTypeSpec::default()
        })
        .build()
        .unwrap();
    let q = read_vrp(&write_vrp(&p).unwrap(), "f").unwrap();
    assert_eq!(q.locations(), p.locations());
}

#[test]
fn writer_refuses_what_vrplib_cannot_say() {
    let p = read_vrp(&explicit_text("LOWER_ROW", "1 2 4 3 5 6"), "m").unwrap();
    assert!(matches!(write_vrp(&p), Err(Error::InvalidProblem(m)) if m.contains("Euclidean")));
    let p = read_vrp(&TINY.replace("\t1\t\r\n\t-1", "1 4 -1"), "t").unwrap();
    assert!(matches!(write_vrp(&p), Err(Error::InvalidProblem(m)) if m.contains("depot")));
    // Rules the format has no words for are refused, not dropped.
    let base = read_vrp(TINY, "t").unwrap();
    let mut windows = base.clone();
    windows.towns[0].windows = vec![crate::model::Window { open: 0, close: 100 }];
    let mut prize = base.clone();
    prize.towns[1].prize = Some(3.0);
    let mut breaks = base.clone();
    breaks.fleet[0].fixed_cost = 10;
    for (p, word) in [(windows, "opening hours"), (prize, "optional"), (breaks, "money")] {
        assert!(
            matches!(write_vrp(&p), Err(Error::InvalidProblem(ref m)) if m.contains(word)),
            "{word}: {:?}",
            write_vrp(&p)
        );
    }
}

/// PyVRP's dialect with two capacity dimensions: a column per dimension
/// in the demand, pickup and per-vehicle capacity sections.
const TWO_DIMENSIONS: &str = "NAME : kg-m3\nTYPE : CVRP\nDIMENSION : 4\nVEHICLES : 2\nEDGE_WEIGHT_TYPE : EUC_2D\n\
    NODE_COORD_SECTION\n1 0 0\n2 3 4\n3 6 8\n4 -3 -4\nDEMAND_SECTION\n1 0 0\n2 4 2\n3 5 1\n4 0 0\n\
    BACKHAUL_SECTION\n1 0 0\n2 0 0\n3 0 0\n4 1 3\nCAPACITY_SECTION\n1 10 5\n2 10 5\n\
    DEPOT_SECTION\n1\n-1\nEOF\n";

#[test]
fn reads_several_capacity_dimensions_in_pyvrp_dialect() {
    let p = read_vrp(TWO_DIMENSIONS, "t.vrp").unwrap();
    assert_eq!(p.dimensions(), 2);
    assert_eq!(p.fleet.len(), 1);
    assert_eq!((p.fleet[0].capacity, p.fleet[0].extra_capacity.clone()), (10, vec![5]));
    assert_eq!(p.fleet[0].count, Some(2));
    let amounts: Vec<_> = p
        .towns
        .iter()
        .map(|t| (t.demand, t.extra_demand[0], t.pickup, t.extra_pickup[0]))
        .collect();
    assert_eq!(amounts, vec![(4, 2, 0, 0), (5, 1, 0, 0), (0, 0, 1, 3)]);
}

#[test]
fn several_dimension_errors_name_the_line() {
    let cases = [
        // A row with a column fewer than the first.
        (
            TWO_DIMENSIONS.replace("3 5 1\n", "3 5\n"),
            Some(14),
            "1 demand column here, 2 on line 12",
        ),
        // Five columns: at most four dimensions.
        (
            TWO_DIMENSIONS.replace("2 4 2\n", "2 4 2 1 1 1\n"),
            Some(13),
            "1 to 4 demand columns",
        ),
        // Capacities of one dimension for demands of two.
        (
            TWO_DIMENSIONS.replace("1 10 5\n2 10 5", "1 10\n2 10"),
            Some(21),
            "vehicle 1 has 1 capacity columns, DEMAND_SECTION 2",
        ),
        // Pickups of one dimension.
        (
            TWO_DIMENSIONS.replace(
                "BACKHAUL_SECTION\n1 0 0\n2 0 0\n3 0 0\n4 1 3",
                "BACKHAUL_SECTION\n1 0\n2 0\n3 0\n4 1",
            ),
            Some(16),
            "BACKHAUL_SECTION has 1 pickup columns, DEMAND_SECTION 2",
        ),
    ];
    for (text, line, words) in cases {
        let (at, msg) = parse_err(&text);
        assert!(msg.contains(words), "{words}: {msg}");
        assert_eq!(at, line, "{msg}");
    }
    // A plain CVRP (one CAPACITY) with two demand columns.
    let plain = "NAME : p\nDIMENSION : 3\nCAPACITY : 10\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n1 0 0\n\
                 2 3 4\n3 6 8\nDEMAND_SECTION\n1 0 0\n2 4 1\n3 5 1\nEOF\n";
    let (at, msg) = parse_err(plain);
    assert!(
        msg.contains("2 demand columns") && msg.contains("CAPACITY_SECTION"),
        "{msg}"
    );
    assert_eq!(at, Some(9));
    // One CAPACITY for the per-vehicle dialect with two columns.
    let header = TWO_DIMENSIONS
        .replace("CAPACITY_SECTION\n1 10 5\n2 10 5\n", "")
        .replace("VEHICLES : 2", "VEHICLES : 2\nCAPACITY : 10");
    let (_, msg) = parse_err(&header);
    assert!(msg.contains("CAPACITY gives one capacity dimension"), "{msg}");
}

#[test]
fn several_dimensions_and_pickups_round_trip() {
    let p = read_vrp(TWO_DIMENSIONS, "t.vrp").unwrap();
    let out = write_vrp(&p).unwrap();
    assert!(out.contains("CAPACITY_SECTION\n1 10 5\n2 10 5\n"), "{out}");
    let q = read_vrp(&out, "out.vrp").unwrap();
    assert_eq!(q.towns, p.towns);
    assert_eq!(q.fleet, p.fleet);
    // Deliveries first is PyVRP's VRPB.
    let mut ordered = p.clone();
    ordered.pickup_order = PickupOrder::DeliveriesFirst;
    let out = write_vrp(&ordered).unwrap();
    assert!(out.contains("TYPE : VRPB"), "{out}");
    assert_eq!(
        read_vrp(&out, "b.vrp").unwrap().pickup_order,
        PickupOrder::DeliveriesFirst
    );
    // Per-vehicle capacities need a count.
    let mut unlimited = p.clone();
    unlimited.fleet[0].count = None;
    assert!(matches!(write_vrp(&unlimited), Err(Error::InvalidProblem(m)) if m.contains("count")));
}
