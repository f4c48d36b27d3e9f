//! Fuzz-style property tests: no input makes a parser or the problem builder
//! panic, hang or allocate absurdly. Every reader must answer `Ok` or a typed
//! `Err`; whatever it accepts must then solve (or schedule and validate)
//! without panicking either.
//!
//! Inputs are arbitrary strings and bytes, token soups in each format's
//! vocabulary, and real files with random mutations (truncation, deleted,
//! duplicated and inserted lines, tokens replaced by nasty values, header
//! values and JSON fields changed or removed).

use backroads::distance::{RoadOracle, build_oracle};
use backroads::io::{TownCsvOptions, read_problem_json, read_sol, read_towns_csv, read_vrp};
use backroads::model::{DepotSpec, Location, Problem, ProblemSpec, TravelSpec, VehicleTypeSpec};
use backroads::solution::{Solution, validate};
use backroads::solver::{SolverConfig, solve};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Value, json};
use std::sync::OnceLock;

const X101_VRP: &str = include_str!("data/cvrplib/X/X-n101-k25.vrp");
const X101_SOL: &str = include_str!("data/cvrplib/X/X-n101-k25.sol");
const SMALL_JSON: &str = include_str!("../examples/data/small.json");
const NODES_CSV: &str = include_str!("data/bad/disconnected/nodes.csv");
const EDGES_CSV: &str = include_str!("data/bad/disconnected/edges.csv");

/// Number of cases: `base` (a quarter of it in unoptimised builds, which
/// run ~10x slower but also catch arithmetic overflow) times the
/// `FUZZ_SCALE` environment variable (default 1). For a longer hunt:
/// `FUZZ_SCALE=20 cargo test --test parsers_never_panic`.
fn cases(base: u32) -> u32 {
    let scale = std::env::var("FUZZ_SCALE")
        .ok()
        .and_then(|s| s.parse::<u32>().ok())
        .unwrap_or(1);
    let base = if cfg!(debug_assertions) { base / 4 } else { base };
    base.saturating_mul(scale.max(1))
}

fn config(base: u32) -> ProptestConfig {
    ProptestConfig {
        cases: cases(base),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Solving must not panic, whatever the outcome.
fn solve_quietly(p: &Problem) {
    if std::env::var_os("FUZZ_STATS").is_some() {
        eprintln!("solving {} towns", p.towns.len());
    }
    // A short search: the point is that nothing panics or hangs.
    let config = SolverConfig {
        iterations: Some(50),
        ..SolverConfig::default()
    };
    let _ = solve(p, &config);
}

fn x101() -> &'static Problem {
    static P: OnceLock<Problem> = OnceLock::new();
    P.get_or_init(|| read_vrp(X101_VRP, "X-n101-k25.vrp").expect("X-n101-k25 parses"))
}

// ---------------------------------------------------------------------------
// Nasty values and generic text mutations.

/// Tokens that have broken parsers before: non-numbers, overflowing and
/// boundary integers, non-finite and extreme floats, odd Unicode.
fn nasty_token() -> impl Strategy<Value = String> {
    let fixed = prop::sample::select(vec![
        "NaN",
        "nan",
        "inf",
        "-inf",
        "infinity",
        "+inf",
        "1e308",
        "-1e308",
        "1e309",
        "1e400",
        "1e-320",
        "-0",
        "0",
        "0.0",
        "1",
        "2",
        "3",
        "-1",
        "+1",
        ".",
        "-",
        "+",
        "",
        "e",
        "1e",
        "0x10",
        "18446744073709551615",
        "18446744073709551616",
        "99999999999999999999999999999",
        "4294967295",
        "4294967296",
        "2147483648",
        "2000000",
        "2000001",
        "2000002",
        "10000",
        "10001",
        "9223372036854775807",
        "-9223372036854775808",
        "1e9",
        "1e10",
        "1e12",
        "1e300",
        "-1e300",
        "\u{ff11}",
        "é",
        "\u{feff}",
        "EOF",
        "-1 -1",
        "1 2 3",
        ":",
        "#",
        "\"",
        ",",
        "\t",
        "\r",
    ])
    .prop_map(String::from);
    prop_oneof![
        4 => fixed,
        2 => any::<i64>().prop_map(|v| v.to_string()),
        1 => any::<u64>().prop_map(|v| v.to_string()),
        2 => any::<f64>().prop_map(|v| v.to_string()),
        1 => (0u32..200).prop_map(|v| v.to_string()),
        1 => "[ -~]{0,8}",
        1 => ".{0,4}",
    ]
}

#[derive(Debug, Clone)]
enum Mutation {
    /// Cut the text at a byte (moved back to a char boundary).
    Truncate(Index),
    DeleteLine(Index),
    DuplicateLine(Index),
    SwapLines(Index, Index),
    InsertLine(Index, String),
    /// Replace one token (run of characters other than whitespace and
    /// `,:"{}[]`) by another.
    ReplaceToken(Index, String),
}

fn mutation(line: impl Strategy<Value = String>) -> impl Strategy<Value = Mutation> {
    prop_oneof![
        1 => any::<Index>().prop_map(Mutation::Truncate),
        2 => any::<Index>().prop_map(Mutation::DeleteLine),
        2 => any::<Index>().prop_map(Mutation::DuplicateLine),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        2 => (any::<Index>(), line).prop_map(|(i, l)| Mutation::InsertLine(i, l)),
        5 => (any::<Index>(), nasty_token()).prop_map(|(i, t)| Mutation::ReplaceToken(i, t)),
    ]
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | ':' | '"' | '{' | '}' | '[' | ']')
}

/// Byte ranges of the tokens of `text`.
fn tokens(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_separator(c), start) {
            (true, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(String::from).collect();
    match m {
        Mutation::Truncate(i) => {
            let mut end = i.index(text.len() + 1);
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            return text[..end].to_string();
        }
        Mutation::ReplaceToken(i, t) => {
            let toks = tokens(text);
            if toks.is_empty() {
                return t.clone();
            }
            let (a, b) = toks[i.index(toks.len())];
            return format!("{}{t}{}", &text[..a], &text[b..]);
        }
        _ if lines.is_empty() => {}
        Mutation::DeleteLine(i) => {
            lines.remove(i.index(lines.len()));
        }
        Mutation::DuplicateLine(i) => {
            let k = i.index(lines.len());
            let l = lines[k].clone();
            lines.insert(k, if l.ends_with('\n') { l } else { l + "\n" });
        }
        Mutation::SwapLines(a, b) => {
            let (a, b) = (a.index(lines.len()), b.index(lines.len()));
            lines.swap(a, b);
        }
        Mutation::InsertLine(i, l) => lines.insert(i.index(lines.len() + 1), format!("{l}\n")),
    }
    lines.concat()
}

fn mutate(text: &str, ms: &[Mutation]) -> String {
    ms.iter().fold(text.to_string(), |t, m| apply(&t, m))
}

// ---------------------------------------------------------------------------
// VRPLIB.

const VRP_KEYS: &[&str] = &[
    "NAME",
    "TYPE",
    "COMMENT",
    "DIMENSION",
    "CAPACITY",
    "EDGE_WEIGHT_TYPE",
    "EDGE_WEIGHT_FORMAT",
    "DISTANCE",
    "SERVICE_TIME",
    "VEHICLES",
    "NODE_COORD_TYPE",
];
const VRP_SECTIONS: &[&str] = &[
    "NODE_COORD_SECTION",
    "DISPLAY_DATA_SECTION",
    "DEMAND_SECTION",
    "DEPOT_SECTION",
    "EDGE_WEIGHT_SECTION",
    "EOF",
    "TIME_WINDOW_SECTION",
];
const FORMATS: &[&str] = &[
    "FULL_MATRIX",
    "LOWER_ROW",
    "LOWER_DIAG_ROW",
    "UPPER_ROW",
    "UPPER_DIAG_ROW",
    "LOWER_COL",
    "LOWER_DIAG_COL",
    "UPPER_COL",
    "UPPER_DIAG_COL",
    "FUNCTION",
    "",
];

/// A VRPLIB-looking line: a header, a section keyword or a data row.
fn vrp_line() -> impl Strategy<Value = String> {
    prop_oneof![
        (prop::sample::select(VRP_KEYS), nasty_token()).prop_map(|(k, v)| format!("{k} : {v}")),
        prop::sample::select(VRP_KEYS).prop_map(|k| format!("{k} : {}", ["EXPLICIT", "EUC_2D", "CVRP"][k.len() % 3])),
        prop::sample::select(FORMATS).prop_map(|f| format!("EDGE_WEIGHT_FORMAT : {f}")),
        prop::sample::select(VRP_SECTIONS).prop_map(String::from),
        prop::collection::vec(nasty_token(), 1..4).prop_map(|v| v.join(" ")),
        prop::collection::vec(0u32..120, 1..4).prop_map(|v| v
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join("\t")),
    ]
}

/// Sets header `key` (replacing its line, or adding one at the top).
fn set_header(text: &str, key: &str, value: &str) -> String {
    let mut out = String::new();
    let mut done = false;
    for l in text.split_inclusive('\n') {
        if !done && l.trim_start().starts_with(key) {
            out += &format!("{key} : {value}\n");
            done = true;
        } else {
            out += l;
        }
    }
    if done { out } else { format!("{key} : {value}\n{out}") }
}

fn header_value(key: &'static str) -> BoxedStrategy<(&'static str, String)> {
    let values: BoxedStrategy<String> = match key {
        "DIMENSION" => prop_oneof![
            3 => prop::sample::select(vec!["0", "1", "2", "3", "100", "101", "102", "10001", "2000001", "2000002",
                "99999999999999999999", "-1", "1.5"]).prop_map(String::from),
            1 => nasty_token(),
        ]
        .boxed(),
        "EDGE_WEIGHT_TYPE" => prop_oneof![
            prop::sample::select(vec!["EXPLICIT", "EUC_2D", "GEO", "ATT", ""]).prop_map(String::from),
            nasty_token(),
        ]
        .boxed(),
        "EDGE_WEIGHT_FORMAT" => prop::sample::select(FORMATS).prop_map(String::from).boxed(),
        _ => nasty_token().boxed(),
    };
    values.prop_map(move |v| (key, v)).boxed()
}

fn vrp_header_change() -> impl Strategy<Value = (&'static str, String)> {
    prop::sample::select(VRP_KEYS).prop_flat_map(header_value)
}

/// A small hand-built `EXPLICIT` instance with a random weight format and a
/// random number of (mostly sane) weights.
#[derive(Debug, Clone)]
struct Explicit {
    n: usize,
    format: &'static str,
    extra: i64,
    per_line: usize,
    weights: Vec<String>,
    demands: Vec<String>,
    capacity: String,
    depots: Option<Vec<String>>,
    coords: Option<(bool, Vec<(String, String)>)>,
    header_first: bool,
}

/// Sane values only: the nastiness comes from the mutations applied after.
fn explicit_case() -> impl Strategy<Value = Explicit> {
    (
        2usize..8,
        prop::sample::select(FORMATS),
        prop_oneof![8 => Just(0i64), 1 => -2i64..=2],
        1usize..12,
        prop::collection::vec(
            prop_oneof![6 => (0u32..1000).prop_map(|v| v.to_string()), 1 => (0.0..500.0f64).prop_map(|v| format!("{v:.2}"))],
            64,
        ),
        prop::collection::vec((0u32..30).prop_map(|v| v.to_string()), 8),
        (1u32..100).prop_map(|v| v.to_string()),
        prop::option::of(prop::collection::vec((1u32..4).prop_map(|v| v.to_string()), 1..3)),
        prop::option::of((
            any::<bool>(),
            prop::collection::vec(((-100i32..100).prop_map(|v| v.to_string()), (-100i32..100).prop_map(|v| v.to_string())), 8),
        )),
        any::<bool>(),
    )
        .prop_map(
            |(n, format, extra, per_line, weights, demands, capacity, depots, coords, header_first)| Explicit {
                n,
                format,
                extra,
                per_line,
                weights,
                demands,
                capacity,
                depots,
                coords,
                header_first,
            },
        )
}

fn format_count(format: &str, n: usize) -> usize {
    match format {
        "FULL_MATRIX" => n * n,
        "LOWER_ROW" | "UPPER_ROW" | "LOWER_COL" | "UPPER_COL" => n * (n - 1) / 2,
        _ => n * (n + 1) / 2,
    }
}

fn explicit_text(c: &Explicit) -> String {
    let count = (format_count(c.format, c.n) as i64 + c.extra).max(0) as usize;
    let mut head = format!(
        "NAME : e\nTYPE : CVRP\nDIMENSION : {}\nCAPACITY : {}\n",
        c.n, c.capacity
    );
    let ew = "EDGE_WEIGHT_TYPE : EXPLICIT\n".to_string() + &format!("EDGE_WEIGHT_FORMAT : {}\n", c.format);
    head = if c.header_first { ew + &head } else { head + &ew };
    let mut text = head + "EDGE_WEIGHT_SECTION\n";
    for k in 0..count {
        text += &c.weights[k % c.weights.len()];
        text.push(if (k + 1) % c.per_line == 0 { '\n' } else { ' ' });
    }
    text += "\n";
    if let Some((display, xy)) = &c.coords {
        text += if *display {
            "DISPLAY_DATA_SECTION\n"
        } else {
            "NODE_COORD_SECTION\n"
        };
        for v in 0..c.n {
            let (x, y) = &xy[v % xy.len()];
            text += &format!("{} {x} {y}\n", v + 1);
        }
    }
    text += "DEMAND_SECTION\n";
    for v in 0..c.n {
        text += &format!(
            "{} {}\n",
            v + 1,
            if v == 0 { "0" } else { &c.demands[v % c.demands.len()] }
        );
    }
    if let Some(d) = &c.depots {
        text += "DEPOT_SECTION\n";
        for t in d {
            text += &format!("{t}\n");
        }
        text += "-1\n";
    }
    text + "EOF\n"
}

/// Reads a `.vrp`; a problem it accepts must solve without panicking (when
/// small enough to keep the test fast).
fn check_vrp(text: &str) {
    if let Ok(p) = read_vrp(text, "fuzz")
        && p.towns.len() <= 120
    {
        solve_quietly(&p);
    }
}

// ---------------------------------------------------------------------------
// JSON problems.

#[derive(Debug, Clone)]
enum JsonMutation {
    /// Replace a number anywhere by a nasty value.
    SetNumber(Index, Value),
    /// Replace any node by a nasty value.
    SetNode(Index, Value),
    /// Copy one entity's id onto another (duplicates, dangling references).
    CopyId(Index, Index),
    RemoveField(Index),
    Travel(Value),
    /// Make every location planar with these coordinates.
    Planar(Value, Value),
    /// A text-level change after serialisation (numbers serde_json cannot hold).
    Text(Mutation),
}

fn nasty_json() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(vec![
            json!(-1),
            json!(0),
            json!(1),
            json!(-0.0),
            json!(0.4),
            json!(1e308),
            json!(-1e308),
            json!(1e-300),
            json!(1e9),
            json!(1e10),
            json!(4294967295u64),
            json!(4294967296u64),
            json!(u64::MAX),
            json!(i64::MIN),
            json!(i64::MAX),
            json!("12"),
            json!(""),
            json!("north"),
            json!(null),
            json!(true),
            json!([]),
            json!({}),
            json!({"x": 1, "y": 2}),
            json!({"lon": 200, "lat": 0}),
            json!({"lon": 11.5, "lat": 50}),
        ]),
        any::<f64>()
            .prop_filter("finite", |v| v.is_finite())
            .prop_map(|v| json!(v)),
        any::<i64>().prop_map(|v| json!(v)),
    ]
}

/// A matrix travel spec, mostly 9 × 9 (small.json's 2 depots + 7 towns)
/// with sane entries and unreachable (`null`) pairs, sometimes with one
/// nasty entry or a wrong shape.
fn matrix_value() -> impl Strategy<Value = Value> {
    let size = prop_oneof![6 => Just(9usize), 1 => 7usize..12];
    let entry = prop_oneof![8 => (0u32..5000).prop_map(|v| json!(v)), 1 => Just(Value::Null)];
    let matrix = (size.clone(), size)
        .prop_flat_map(move |(rows, cols)| prop::collection::vec(prop::collection::vec(entry.clone(), cols), rows));
    let nasty = prop::option::of((any::<Index>(), any::<Index>(), nasty_json()));
    (matrix.clone(), prop::option::of(matrix), nasty).prop_map(|(mut d, t, nasty)| {
        if let Some((i, j, v)) = nasty {
            let r = i.index(d.len());
            let row = &mut d[r];
            let k = j.index(row.len());
            row[k] = v;
        }
        match t {
            Some(t) => json!({"kind": "matrix", "distances": d, "durations": t}),
            None => json!({"kind": "matrix", "distances": d}),
        }
    })
}

fn travel_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!({"kind": "euclidean"})),
        nasty_json().prop_map(|c| json!({"kind": "haversine", "circuity": c})),
        Just(json!({"kind": "haversine"})),
        Just(json!({"kind": "road_network", "nodes_csv": "no/such/nodes.csv", "edges_csv": "no/such/edges.csv"})),
        Just(json!({"kind": "teleport"})),
        matrix_value(),
    ]
}

fn json_mutation() -> impl Strategy<Value = JsonMutation> {
    let coord = prop_oneof![
        3 => (-1000.0..1000.0f64).prop_map(|v| json!(v)),
        1 => prop::sample::select(vec![json!(1e9), json!(-1e9), json!(1.000001e9), json!(1e10), json!(1e300), json!(-1e308)]),
    ];
    prop_oneof![
        4 => (any::<Index>(), nasty_json()).prop_map(|(i, v)| JsonMutation::SetNumber(i, v)),
        2 => (any::<Index>(), nasty_json()).prop_map(|(i, v)| JsonMutation::SetNode(i, v)),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| JsonMutation::CopyId(a, b)),
        2 => any::<Index>().prop_map(JsonMutation::RemoveField),
        2 => travel_value().prop_map(JsonMutation::Travel),
        1 => (coord.clone(), coord).prop_map(|(x, y)| JsonMutation::Planar(x, y)),
        2 => mutation(nasty_token()).prop_map(JsonMutation::Text),
    ]
}

/// JSON pointers of every node of `v`, depth first.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                pointers(c, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                pointers(c, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

fn apply_json(v: &mut Value, m: &JsonMutation) {
    let mut all = Vec::new();
    pointers(v, String::new(), &mut all);
    let pick = |ps: &[String], i: &Index| (!ps.is_empty()).then(|| ps[i.index(ps.len())].clone());
    match m {
        JsonMutation::SetNumber(i, new) => {
            let nums: Vec<String> = all
                .iter()
                .filter(|p| v.pointer(p).is_some_and(Value::is_number))
                .cloned()
                .collect();
            if let Some(p) = pick(&nums, i)
                && let Some(slot) = v.pointer_mut(&p)
            {
                *slot = new.clone();
            }
        }
        JsonMutation::SetNode(i, new) => {
            if let Some(p) = pick(&all, i)
                && let Some(slot) = v.pointer_mut(&p)
            {
                *slot = new.clone();
            }
        }
        JsonMutation::CopyId(a, b) => {
            let ids: Vec<String> = all
                .iter()
                .filter(|p| (p.ends_with("/id") || p.ends_with("/depot")) && v.pointer(p).is_some_and(Value::is_string))
                .cloned()
                .collect();
            if let (Some(from), Some(to)) = (pick(&ids, a), pick(&ids, b)) {
                let id = v.pointer(&from).cloned().unwrap_or(Value::Null);
                if let Some(slot) = v.pointer_mut(&to) {
                    *slot = id;
                }
            }
        }
        JsonMutation::RemoveField(i) => {
            let fields: Vec<String> = all
                .iter()
                .filter(|p| p.rsplit('/').next().is_some_and(|k| k.parse::<usize>().is_err()) && !p.is_empty())
                .cloned()
                .collect();
            if let Some(p) = pick(&fields, i)
                && let Some((parent, key)) = p.rsplit_once('/')
                && let Some(Value::Object(o)) = v.pointer_mut(parent)
            {
                o.remove(&key.replace("~1", "/").replace("~0", "~"));
            }
        }
        JsonMutation::Travel(t) => {
            if let Value::Object(o) = v {
                o.insert("travel".into(), t.clone());
            }
        }
        JsonMutation::Planar(x, y) => {
            for (k, p) in all.iter().filter(|p| p.ends_with("/location")).enumerate() {
                // Spread the towns: the first at (x, y), the others nearby.
                let (dx, dy) = ((k % 3) as f64 * 100.0, (k / 3) as f64 * 100.0);
                let at = |c: &Value, d: f64| c.as_f64().map_or(c.clone(), |c| json!(c - d));
                if let Some(slot) = v.pointer_mut(p) {
                    *slot = json!({"x": at(x, dx), "y": at(y, dy)});
                }
            }
            // Planar locations default to Euclidean travel.
            if let Value::Object(o) = v {
                o.remove("travel");
            }
        }
        JsonMutation::Text(_) => {}
    }
}

fn mutated_json(ms: &[JsonMutation]) -> String {
    let mut v: Value = serde_json::from_str(SMALL_JSON).expect("small.json is JSON");
    let mut text_ms = Vec::new();
    for m in ms {
        match m {
            JsonMutation::Text(t) => text_ms.push(t.clone()),
            m => apply_json(&mut v, m),
        }
    }
    mutate(&serde_json::to_string_pretty(&v).unwrap_or_default(), &text_ms)
}

fn check_json(text: &str) {
    match read_problem_json(text, "fuzz", None) {
        Ok(p) => solve_quietly(&p),
        Err(e) if std::env::var_os("FUZZ_STATS").is_some() => eprintln!("rejected: {e}"),
        Err(_) => {}
    }
}

// ---------------------------------------------------------------------------
// Towns CSV and road networks.

fn csv_line() -> impl Strategy<Value = String> {
    prop::collection::vec(nasty_token(), 1..9).prop_map(|v| v.join(","))
}

/// A well-formed towns CSV (required columns under random aliases, some
/// optional ones, shuffled), then mutated.
fn towns_csv_soup() -> impl Strategy<Value = String> {
    let columns = (
        prop::sample::select(vec!["id", "ID", " Id "]),
        prop::sample::select(vec!["lat", "latitude", "LAT"]),
        prop::sample::select(vec!["lon", "lng", "longitude"]),
        prop::sample::subsequence(vec!["name", "demand", "service_time_s", "population", "admin1"], 0..5),
        any::<bool>(),
    )
        .prop_map(|(id, lat, lon, rest, minutes)| {
            let mut c = vec![id, lat, lon];
            c.extend(rest.into_iter().map(|r| {
                if r == "service_time_s" && minutes {
                    "service_min"
                } else {
                    r
                }
            }));
            c
        })
        .prop_shuffle();
    let row = (0u32..1000, -90.0..=90.0f64, -180.0..=180.0f64, 0u32..40, 0u32..900);
    (
        columns,
        prop::collection::vec(row, 1..10),
        prop::collection::vec(mutation(csv_line()), 0..3),
    )
        .prop_map(|(cols, rows, ms)| {
            let mut text = cols.join(",") + "\n";
            for (id, lat, lon, demand, service) in rows {
                let cells: Vec<String> = cols
                    .iter()
                    .map(|c| match c.trim().to_ascii_lowercase().as_str() {
                        "id" => format!("t{id}"),
                        "lat" | "latitude" => lat.to_string(),
                        "lon" | "lng" | "longitude" => lon.to_string(),
                        "demand" => demand.to_string(),
                        "service_time_s" | "service_min" => service.to_string(),
                        _ => "x".to_string(),
                    })
                    .collect();
                text += &cells.join(",");
                text += "\n";
            }
            mutate(&text, &ms)
        })
}

fn check_towns_csv(bytes: &[u8]) {
    let Ok(towns) = read_towns_csv(bytes, "fuzz.csv", &TownCsvOptions::default()) else {
        return;
    };
    // Whatever the reader accepts must build into a problem or be refused.
    let spec = ProblemSpec {
        name: "csv".into(),
        depots: vec![DepotSpec {
            id: "depot".into(),
            name: String::new(),
            location: towns[0].location,
            hours: None,
        }],
        towns,
        fleet: vec![VehicleTypeSpec {
            max_duration_s: Some(36_000.0),
            speed_kmh: 50.0,
            ..VehicleTypeSpec::new("van", "depot", 50.0)
        }],
        travel: Some(TravelSpec::Haversine { circuity: 1.2 }),
        ..ProblemSpec::default()
    };
    if let Ok(p) = Problem::from_spec(spec) {
        solve_quietly(&p);
    }
}

fn check_network(nodes: &str, edges: &str, extra: (f64, f64)) {
    let Ok(net) = backroads::io::read_road_csv(nodes.as_bytes(), "nodes.csv", edges.as_bytes(), "edges.csv") else {
        return;
    };
    let locations = [
        Location::Geo { lon: 11.5, lat: 50.0 },
        Location::Geo { lon: 11.71, lat: 50.1 },
        Location::Geo {
            lon: extra.0,
            lat: extra.1,
        },
    ];
    if let Ok(o) = RoadOracle::new(&net, &locations) {
        use backroads::distance::TravelOracle;
        for a in 0..3 {
            for b in 0..3 {
                let _ = (o.distance(a, b), o.duration(a, b));
            }
        }
    }
}

// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(4096))]

    #[test]
    fn vrp_arbitrary_text(text in ".{0,400}") {
        check_vrp(&text);
    }

    #[test]
    fn vrp_token_soup(lines in prop::collection::vec(vrp_line(), 0..30)) {
        check_vrp(&lines.join("\n"));
    }

    #[test]
    fn sol_arbitrary_and_soup(
        text in prop_oneof![
            ".{0,300}".boxed(),
            prop::collection::vec(
                prop_oneof![
                    (nasty_token(), prop::collection::vec(prop_oneof![(0u32..110).prop_map(|v| v.to_string()), nasty_token()], 0..12))
                        .prop_map(|(k, c)| format!("Route #{k}: {}", c.join(" "))),
                    nasty_token().prop_map(|c| format!("Cost {c}")),
                    nasty_token(),
                ],
                0..8,
            )
            .prop_map(|l| l.join("\n"))
            .boxed(),
        ]
    ) {
        check_sol(&text);
    }

    #[test]
    fn json_arbitrary_text(text in ".{0,300}") {
        check_json(&text);
    }

    #[test]
    fn towns_csv_arbitrary(
        bytes in prop::collection::vec(any::<u8>(), 0..300),
        text in ".{0,300}",
        soup in towns_csv_soup(),
    ) {
        check_towns_csv(&bytes);
        check_towns_csv(text.as_bytes());
        check_towns_csv(soup.as_bytes());
    }

    #[test]
    fn network_arbitrary(nodes in ".{0,200}", edges in ".{0,200}") {
        check_network(&nodes, &edges, (11.6, 50.05));
        check_network(NODES_CSV, &edges, (11.6, 50.05));
        check_network(&nodes, EDGES_CSV, (11.6, 50.05));
    }
}

proptest! {
    #![proptest_config(config(2048))]

    #[test]
    fn explicit_instances(
        c in explicit_case(),
        ms in prop_oneof![Just(vec![]), prop::collection::vec(mutation(vrp_line()), 1..3)],
    ) {
        check_vrp(&mutate(&explicit_text(&c), &ms));
    }

    #[test]
    fn sol_mutated(ms in prop::collection::vec(mutation(nasty_token().prop_map(|t| format!("Route #1: {t}"))), 1..4)) {
        check_sol(&mutate(X101_SOL, &ms));
    }

    #[test]
    fn json_mutated(ms in prop::collection::vec(json_mutation(), 1..4)) {
        check_json(&mutated_json(&ms));
    }

    #[test]
    fn network_mutated(
        node_ms in prop::collection::vec(mutation(csv_line()), 0..3),
        edge_ms in prop::collection::vec(mutation(csv_line()), 0..3),
        lon in -180.0..=180.0f64,
        lat in -90.0..=90.0f64,
    ) {
        check_network(&mutate(NODES_CSV, &node_ms), &mutate(EDGES_CSV, &edge_ms), (lon, lat));
    }
}

proptest! {
    // Mutations of a real 101-node instance: an accepted one is solved in full.
    #![proptest_config(config(768))]

    #[test]
    fn vrp_mutated(
        ms in prop::collection::vec(mutation(vrp_line()), 0..3),
        header in prop::option::of(vrp_header_change()),
    ) {
        let mut text = mutate(X101_VRP, &ms);
        if let Some((key, value)) = header {
            text = set_header(&text, key, &value);
        }
        check_vrp(&text);
    }
}

fn check_sol(text: &str) {
    let p = x101();
    static ORACLE: OnceLock<Box<dyn backroads::distance::TravelOracle>> = OnceLock::new();
    let oracle = ORACLE.get_or_init(|| build_oracle(p).expect("oracle"));
    if let Ok(sol) = read_sol(text, "fuzz", p) {
        if std::env::var_os("FUZZ_STATS").is_some() {
            eprintln!("solving .sol");
        }
        let s = Solution::from_plan(p, oracle.as_ref(), &sol.plan);
        let _ = validate(p, oracle.as_ref(), &s);
    }
}

/// The unmodified inputs are accepted (the mutations start from valid files).
#[test]
fn bases_are_valid() {
    assert!(read_vrp(X101_VRP, "x").is_ok());
    assert!(read_sol(X101_SOL, "x", x101()).is_ok());
    assert!(read_problem_json(SMALL_JSON, "x", None).is_ok());
    assert!(backroads::io::read_road_csv(NODES_CSV.as_bytes(), "n", EDGES_CSV.as_bytes(), "e").is_ok());
    let c = Explicit {
        n: 4,
        format: "LOWER_ROW",
        extra: 0,
        per_line: 3,
        weights: (1..=6).map(|v| v.to_string()).collect(),
        demands: vec!["1".into()],
        capacity: "9".into(),
        depots: None,
        coords: None,
        header_first: false,
    };
    assert!(read_vrp(&explicit_text(&c), "e").is_ok(), "{}", explicit_text(&c));
}

/// A `.sol` route through many unreachable legs: scheduling and validating
/// sum `UNREACHABLE` (i64::MAX / 16) per leg, which overflows after 16 legs
/// (a panic in debug builds, wrapped garbage totals in release).
/// The sums are in `src/solution/{schedule,validate}.rs`.
#[test]
fn sol_with_many_unreachable_legs_does_not_overflow() {
    let text = r#"{"travel": {"kind": "matrix", "distances": [[0, 5, null], [5, 0, null], [null, null, 0]]},
        "depots": [{"id": "d", "location": {"x": 0, "y": 0}}],
        "towns": [{"id": "a", "location": {"x": 1, "y": 1}, "demand": 1},
                  {"id": "b", "location": {"x": 1, "y": 1}, "demand": 1}],
        "fleet": [{"id": "v", "depot": "d", "capacity": 100}]}"#;
    let p = read_problem_json(text, "m.json", None).unwrap();
    let oracle = build_oracle(&p).unwrap();
    let sol = read_sol(&format!("Route #1: {}\n", "1 2 ".repeat(20)), "s.sol", &p).unwrap();
    let s = Solution::from_plan(&p, oracle.as_ref(), &sol.plan);
    let report = validate(&p, oracle.as_ref(), &s);
    assert!(!report.is_feasible());
}
