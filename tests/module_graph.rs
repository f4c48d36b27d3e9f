//! The crate's module graph: which top-level module of `src/` names which
//! other one through a `crate::` path (code, tests and doc links alike).
//! It must be acyclic, `model` must be a leaf above `error` (and the `text`
//! and `rng` helpers), and every reference must point down the layering of
//! DESIGN.md:
//!
//! ```text
//! error ← model ← distance ← route ← {solution, solver} ← horizon ← io ← planning ← {quality, generate} ← bin
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top-level modules, lowest layer first; a module may only name modules of
/// a strictly lower layer.
const LAYERS: &[&[&str]] = &[
    &["text", "rng"],
    &["error"],
    &["model"],
    &["distance"],
    &["route"],
    &["solution"],
    &["solver"],
    &["horizon"],
    &["io"],
    &["planning"],
    &["quality", "generate"],
];

/// What `model` may name.
const MODEL_MAY_USE: &[&str] = &["error", "text", "rng"];

type Graph = BTreeMap<String, BTreeMap<String, Vec<String>>>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The module path of a file below `src/`: `model/build.rs` → `[model, build]`.
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel.iter().map(|c| c.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_string());
    }
    parts
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn ident_at(s: &str) -> &str {
    let end = s.find(|c: char| !is_ident_char(c)).unwrap_or(s.len());
    &s[..end]
}

/// Top-level modules named in `text`: `crate::x`, `crate::{x, y::z}` and
/// `super::` chains that climb to the crate root from a file at `depth`.
fn references(text: &str, depth: usize) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (line_no, line) in text.lines().enumerate() {
        let line_no = line_no + 1;
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            let before_ok = rest[..i].chars().next_back().is_none_or(|c| !is_ident_char(c));
            let after = &rest[i + "crate::".len()..];
            if before_ok {
                if let Some(group) = after.strip_prefix('{') {
                    // Top-level names of the group: depth-0 identifiers.
                    let mut level = 0;
                    let mut at_name = true;
                    for (j, c) in group.char_indices() {
                        match c {
                            '{' => level += 1,
                            '}' if level == 0 => break,
                            '}' => level -= 1,
                            ',' if level == 0 => at_name = true,
                            c if at_name && level == 0 && is_ident_char(c) => {
                                out.push((ident_at(&group[j..]).to_string(), line_no));
                                at_name = false;
                            }
                            _ => {}
                        }
                    }
                } else {
                    let name = ident_at(after);
                    if !name.is_empty() {
                        out.push((name.to_string(), line_no));
                    }
                }
            }
            rest = after;
        }
        // `super::super::…::x` climbing out of the file's top-level module.
        let mut rest = line;
        while let Some(i) = rest.find("super::") {
            let before_ok = rest[..i].chars().next_back().is_none_or(|c| !is_ident_char(c));
            let mut tail = &rest[i..];
            let mut ups = 0;
            while let Some(t) = tail.strip_prefix("super::") {
                ups += 1;
                tail = t;
            }
            if before_ok && depth > 0 && ups >= depth {
                let name = ident_at(tail);
                if !name.is_empty() {
                    out.push((name.to_string(), line_no));
                }
            }
            rest = tail;
        }
    }
    out
}

/// `from → to → [file:line, …]` over `src/` (the binary excluded: it is
/// another crate).
fn graph(src: &Path) -> Graph {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let top: BTreeSet<String> = files
        .iter()
        .filter_map(|f| module_path(f.strip_prefix(src).unwrap()).first().cloned())
        .collect();
    let mut g = Graph::new();
    for f in &files {
        let rel = f.strip_prefix(src).unwrap();
        let path = module_path(rel);
        let Some(from) = path.first() else { continue }; // lib.rs
        if from == "bin" {
            continue;
        }
        let text = std::fs::read_to_string(f).unwrap();
        let node = g.entry(from.clone()).or_default();
        for (to, line) in references(&text, path.len()) {
            if &to != from && top.contains(&to) {
                node.entry(to).or_default().push(format!("{}:{line}", rel.display()));
            }
        }
    }
    g
}

/// A cycle of the graph, if it has one.
fn cycle(g: &Graph) -> Option<Vec<String>> {
    fn visit(g: &Graph, n: &str, state: &mut BTreeMap<String, u8>, stack: &mut Vec<String>) -> Option<Vec<String>> {
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for m in g.get(n).into_iter().flat_map(|e| e.keys()) {
            match state.get(m.as_str()).copied().unwrap_or(0) {
                1 => {
                    let from = stack.iter().position(|x| x == m).unwrap_or(0);
                    let mut c = stack[from..].to_vec();
                    c.push(m.clone());
                    return Some(c);
                }
                0 => {
                    if let Some(c) = visit(g, m, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in g.keys() {
        if state.get(n.as_str()).copied().unwrap_or(0) == 0
            && let Some(c) = visit(g, n, &mut state, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// Every rule broken by the graph, one line each.
fn problems(g: &Graph) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(c) = cycle(g) {
        out.push(format!("cycle: {}", c.join(" → ")));
    }
    for (from, edges) in g {
        let Some(lf) = layer(from) else {
            out.push(format!("module '{from}' has no layer in LAYERS"));
            continue;
        };
        for (to, places) in edges {
            if from == "model" && !MODEL_MAY_USE.contains(&to.as_str()) {
                out.push(format!("model must be a leaf but names {to} at {}", places.join(", ")));
            }
            if layer(to).is_some_and(|lt| lt >= lf) {
                out.push(format!(
                    "{from} names {to} (not a lower layer) at {}",
                    places.join(", ")
                ));
            }
        }
    }
    out
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn the_module_graph_is_acyclic_and_layered() {
    let g = graph(&src());
    // The scan sees the crate: the big modules and their known edges.
    for m in ["model", "distance", "route", "solution", "solver", "horizon", "io"] {
        assert!(g.contains_key(m), "module {m} not found in {}", src().display());
    }
    assert!(
        g["solver"].contains_key("model") && g["io"].contains_key("model"),
        "{g:?}"
    );
    for (from, edges) in &g {
        eprintln!("{from} → {}", edges.keys().cloned().collect::<Vec<_>>().join(", "));
    }
    let bad = problems(&g);
    assert!(bad.is_empty(), "module graph:\n{}", bad.join("\n"));
}

#[test]
fn the_checker_finds_cycles_leaks_and_upward_references() {
    let edge = |g: &mut Graph, a: &str, b: &str| {
        g.entry(a.into())
            .or_default()
            .entry(b.into())
            .or_default()
            .push("x.rs:1".into());
        g.entry(b.into()).or_default();
    };
    let mut g = Graph::new();
    edge(&mut g, "distance", "model");
    edge(&mut g, "solver", "distance");
    assert!(problems(&g).is_empty(), "{:?}", problems(&g));
    edge(&mut g, "model", "solver");
    let bad = problems(&g);
    assert!(bad.iter().any(|p| p.starts_with("cycle:")), "{bad:?}");
    assert!(bad.iter().any(|p| p.starts_with("model must be a leaf")), "{bad:?}");
    let mut g = Graph::new();
    edge(&mut g, "route", "solution");
    assert!(problems(&g).iter().any(|p| p.contains("not a lower layer")));
    let mut g = Graph::new();
    edge(&mut g, "brand_new", "model");
    assert!(problems(&g).iter().any(|p| p.contains("no layer")));
}

#[test]
fn references_are_read_from_paths_groups_and_super_chains() {
    let names =
        |text: &str, depth: usize| -> Vec<String> { references(text, depth).into_iter().map(|r| r.0).collect() };
    assert_eq!(names("use crate::model::Problem;", 2), ["model"]);
    assert_eq!(
        names("use crate::{distance::TravelOracle, model::{A, B}, io};", 1),
        ["distance", "model", "io"]
    );
    assert_eq!(names("/// see [`crate::io::ReadOptions`]", 1), ["io"]);
    assert_eq!(names("x: &dyn crate::distance::TravelOracle,", 1), ["distance"]);
    assert!(names("let notcrate::model = 1;", 1).is_empty());
    assert_eq!(names("use super::super::solver::X;", 2), ["solver"]);
    assert!(names("use super::super::search::X;", 3).is_empty());
    assert_eq!(module_path(Path::new("model/build.rs")), ["model", "build"]);
    assert_eq!(module_path(Path::new("model/mod.rs")), ["model"]);
    assert_eq!(module_path(Path::new("error.rs")), ["error"]);
}
