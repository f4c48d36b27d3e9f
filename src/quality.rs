//! The quality harness: solve a folder of CVRPLIB `.vrp` files and compare
//! each validated cost with the best-known solution (BKS).
//!
//! gap % = 100 × (cost − BKS) / BKS, cost recomputed by the validator.

use crate::distance::build_oracle;
use crate::error::{Error, Result};
use crate::io::read_problem_file;
use crate::solution::validate;
use crate::solver::{SolverConfig, solve_with_oracle};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// One instance's result.
#[derive(Debug, Clone, PartialEq)]
pub struct QualityRow {
    /// Instance name (file stem).
    pub instance: String,
    /// Number of towns.
    pub n: usize,
    /// Best-known cost, if listed.
    pub bks: Option<f64>,
    /// Validated cost.
    pub cost: i64,
    /// Routes used.
    pub routes: usize,
    /// Gap to the BKS in percent, if known.
    pub gap: Option<f64>,
    /// Wall time of the solve (oracle included), seconds.
    pub seconds: f64,
    /// Validator verdict.
    pub feasible: bool,
}

/// Reads `instance,bks` pairs from a CSV with those header names.
pub fn read_bks(path: &Path) -> Result<HashMap<String, f64>> {
    let name = path.display().to_string();
    let mut rdr = csv::Reader::from_path(path).map_err(|e| Error::parse(&name, None, e.to_string()))?;
    let headers = rdr
        .headers()
        .map_err(|e| Error::parse(&name, Some(1), e.to_string()))?
        .clone();
    let col = |h: &str| {
        headers
            .iter()
            .position(|x| x.eq_ignore_ascii_case(h))
            .ok_or_else(|| Error::parse(&name, Some(1), format!("missing column '{h}'")))
    };
    let (ci, cb) = (col("instance")?, col("bks")?);
    let mut out = HashMap::new();
    for (k, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| Error::parse(&name, Some(k + 2), e.to_string()))?;
        let bks = rec.get(cb).unwrap_or("").trim();
        let bks: f64 = bks
            .parse()
            .map_err(|_| Error::parse(&name, Some(k + 2), format!("bks '{bks}' is not a number")))?;
        out.insert(rec.get(ci).unwrap_or("").trim().to_string(), bks);
    }
    Ok(out)
}

/// Solves every `.vrp` in `dir` (smallest file first). BKS come from `bks`
/// or from a `bks.csv` one or two folders up; instances without one get no gap.
pub fn run_folder(dir: &Path, bks: Option<&Path>, config: &SolverConfig) -> Result<Vec<QualityRow>> {
    let bks_path: Option<PathBuf> = match bks {
        Some(p) => Some(p.to_path_buf()),
        None => [dir.join("../bks.csv"), dir.join("../../bks.csv")]
            .into_iter()
            .find(|p| p.is_file()),
    };
    let table = match &bks_path {
        Some(p) => read_bks(p)?,
        None => HashMap::new(),
    };
    let mut files: Vec<(u64, PathBuf)> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("vrp")))
        .map(|p| (std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0), p))
        .collect();
    files.sort();
    let mut rows = Vec::new();
    for (_, path) in files {
        let start = Instant::now();
        let problem = read_problem_file(&path)?;
        let oracle = build_oracle(&problem)?;
        let solved = solve_with_oracle(&problem, oracle.as_ref(), config)?;
        let seconds = start.elapsed().as_secs_f64();
        let report = validate(&problem, oracle.as_ref(), &solved.solution);
        let instance = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bks = table.get(&instance).copied();
        rows.push(QualityRow {
            n: problem.towns.len(),
            gap: bks.map(|b| 100.0 * (report.cost as f64 - b) / b),
            bks,
            cost: report.cost,
            routes: report.routes,
            seconds,
            feasible: report.is_feasible() && solved.solution.unassigned.is_empty(),
            instance,
        });
    }
    Ok(rows)
}

/// A Markdown table of the rows plus the mean gap.
pub fn markdown_table(rows: &[QualityRow]) -> String {
    let mut s = String::from("| instance | n | BKS | cost | routes | gap % | time s | feasible |\n");
    s.push_str("|---|---:|---:|---:|---:|---:|---:|---|\n");
    for r in rows {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {:.3} | {} |",
            r.instance,
            r.n,
            r.bks.map_or("-".into(), |b| format!("{b}")),
            r.cost,
            r.routes,
            r.gap.map_or("-".into(), |g| format!("{g:.2}")),
            r.seconds,
            if r.feasible { "yes" } else { "NO" }
        );
    }
    let gaps: Vec<f64> = rows.iter().filter_map(|r| r.gap).collect();
    if !gaps.is_empty() {
        let _ = writeln!(
            s,
            "\nmean gap {:.2} % over {} instances; total time {:.2} s",
            gaps.iter().sum::<f64>() / gaps.len() as f64,
            gaps.len(),
            rows.iter().map(|r| r.seconds).sum::<f64>()
        );
    }
    s
}
