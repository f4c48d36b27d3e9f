//! The quality harness: solve a folder of CVRPLIB `.vrp` files
//! ([`run_folder`], `backroads quality`) or any list of problem files and
//! folders ([`run_bench`], `backroads bench`) and compare each validated cost
//! with the best-known solution (BKS).
//!
//! gap % = 100 × (cost − BKS) / BKS, cost recomputed by the validator.

use crate::distance::build_oracle;
use crate::error::{Error, Result};
use crate::io::read_problem_file;
use crate::solution::validate;
use crate::solver::{Flow, Observer, SolveProgress, SolverConfig, Unobserved, solve_observed};
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
    files
        .iter()
        .map(|(_, path)| run_instance(path, table.get(&instance_name(path)).copied(), config))
        .collect()
}

/// An instance's name: its file stem (`X-n101-k25` for `.../X-n101-k25.vrp`),
/// the key looked up in a BKS table.
pub fn instance_name(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Reads, solves and validates one problem file. The row's cost is the
/// validator's recomputed total distance; the gap is taken against `bks`
/// when it is given (and positive). The time covers reading, the distance
/// oracle and the solve.
pub fn run_instance(path: &Path, bks: Option<f64>, config: &SolverConfig) -> Result<QualityRow> {
    run_instance_observed(path, bks, config, &Unobserved)
}

/// [`run_instance`] with an observer of the solve's progress.
pub fn run_instance_observed(
    path: &Path,
    bks: Option<f64>,
    config: &SolverConfig,
    observer: &dyn Observer,
) -> Result<QualityRow> {
    let start = Instant::now();
    let problem = read_problem_file(path)?;
    let oracle = build_oracle(&problem)?;
    let solved = solve_observed(&problem, oracle.as_ref(), config, observer)?;
    let seconds = start.elapsed().as_secs_f64();
    let report = validate(&problem, oracle.as_ref(), &solved.solution);
    Ok(QualityRow {
        instance: instance_name(path),
        n: problem.towns.len(),
        gap: bks.filter(|&b| b > 0.0).map(|b| 100.0 * (report.cost as f64 - b) / b),
        bks,
        cost: report.cost,
        routes: report.routes,
        seconds,
        feasible: report.is_feasible() && solved.solution.unassigned.is_empty(),
    })
}

/// The header of [`markdown_table`] (two lines, newline-terminated).
pub fn markdown_header() -> &'static str {
    "| instance | n | BKS | cost | routes | gap % | time s | feasible |\n|---|---:|---:|---:|---:|---:|---:|---|\n"
}

/// One row of [`markdown_table`], newline-terminated; a missing BKS or gap
/// shows as `-`.
pub fn markdown_row(r: &QualityRow) -> String {
    format!(
        "| {} | {} | {} | {} | {} | {} | {:.3} | {} |\n",
        r.instance,
        r.n,
        r.bks.map_or("-".into(), |b| format!("{b}")),
        r.cost,
        r.routes,
        r.gap.map_or("-".into(), |g| format!("{g:.2}")),
        r.seconds,
        if r.feasible { "yes" } else { "NO" }
    )
}

/// A Markdown table of the rows plus the mean gap.
pub fn markdown_table(rows: &[QualityRow]) -> String {
    let mut s = String::from(markdown_header());
    for r in rows {
        s.push_str(&markdown_row(r));
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

/// What `backroads bench` did with one input.
#[derive(Debug)]
pub struct BenchRun {
    /// The problem file (or, for an input that could not be expanded, the
    /// folder or BKS file at fault).
    pub path: PathBuf,
    /// The validated result, or why there is none.
    pub result: Result<QualityRow>,
}

/// Problem files of a folder for `bench`: its `.vrp` and `.json` files
/// (not recursive), sorted by name.
pub fn problem_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .is_some_and(|x| x.eq_ignore_ascii_case("vrp") || x.eq_ignore_ascii_case("json"))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// The `bks.csv` that applies to problems in `dir` when none is named: the
/// first of `dir/bks.csv`, `dir/../bks.csv`, `dir/../../bks.csv` that exists.
pub fn find_bks(dir: &Path) -> Option<PathBuf> {
    [dir.join("bks.csv"), dir.join("../bks.csv"), dir.join("../../bks.csv")]
        .into_iter()
        .find(|p| p.is_file())
}

/// Runs `backroads bench`: solves the problem files and folders of `inputs`
/// one after another, in the order given (a folder stands for its
/// [`problem_files`]), and validates each solution.
///
/// BKS come from `bks` when given, else from the [`find_bks`] file of each
/// folder (of a file's own folder for a file input). An input that cannot be
/// read or solved, a folder without problem files, or an unreadable
/// discovered `bks.csv` becomes a failed [`BenchRun`] and the rest still
/// runs. `progress` sees each solve's progress (instance name, BKS, figures)
/// at every search epoch. `each` sees every run as it completes; its error
/// stops the bench. With `config.threads`, every instance (distance oracle
/// included) runs on a pool of that many threads.
pub fn run_bench(
    inputs: &[PathBuf],
    bks: Option<&HashMap<String, f64>>,
    config: &SolverConfig,
    progress: &(dyn Fn(&str, Option<f64>, &SolveProgress) + Sync),
    mut each: impl FnMut(&BenchRun) -> Result<()>,
) -> Result<Vec<BenchRun>> {
    let pool = match config.threads {
        None => None,
        Some(0) => return Err(Error::InvalidConfig("threads must be at least 1".into())),
        Some(n) => Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| Error::InvalidConfig(format!("cannot start {n} threads: {e}")))?,
        ),
    };
    let mut tables: HashMap<PathBuf, HashMap<String, f64>> = HashMap::new();
    let mut runs = Vec::new();
    let mut push = |run: BenchRun, runs: &mut Vec<BenchRun>| -> Result<()> {
        each(&run)?;
        runs.push(run);
        Ok(())
    };
    for input in inputs {
        let (files, dir) = if input.is_dir() {
            let listed = problem_files(input).and_then(|files| {
                if files.is_empty() {
                    let message = "no .vrp or .json problem files in this folder";
                    Err(Error::io(
                        input,
                        std::io::Error::new(std::io::ErrorKind::NotFound, message),
                    ))
                } else {
                    Ok(files)
                }
            });
            match listed {
                Ok(files) => (files, input.as_path()),
                Err(error) => {
                    push(
                        BenchRun {
                            path: input.clone(),
                            result: Err(error),
                        },
                        &mut runs,
                    )?;
                    continue;
                }
            }
        } else {
            let dir = input.parent().filter(|p| !p.as_os_str().is_empty());
            (vec![input.clone()], dir.unwrap_or(Path::new(".")))
        };
        let table = match bks {
            Some(t) => Some(t),
            None => match find_bks(dir) {
                None => None,
                Some(path) => {
                    if !tables.contains_key(&path) {
                        let table = match read_bks(&path) {
                            Ok(t) => t,
                            Err(error) => {
                                push(
                                    BenchRun {
                                        path: path.clone(),
                                        result: Err(error),
                                    },
                                    &mut runs,
                                )?;
                                HashMap::new()
                            }
                        };
                        tables.insert(path.clone(), table);
                    }
                    tables.get(&path)
                }
            },
        };
        for path in files {
            let best = table.and_then(|t| t.get(&instance_name(&path)).copied());
            let name = instance_name(&path);
            let observer = |p: &SolveProgress| {
                progress(&name, best, p);
                Flow::Continue
            };
            let result = match &pool {
                Some(pool) => pool.install(|| run_instance_observed(&path, best, config, &observer)),
                None => run_instance_observed(&path, best, config, &observer),
            };
            push(BenchRun { path, result }, &mut runs)?;
        }
    }
    Ok(runs)
}

/// One line for a failed bench run: the error, prefixed with the file when
/// the error does not already name it.
pub fn describe_failure(path: &Path, error: &Error) -> String {
    let shown = path.display().to_string();
    let message = error.to_string();
    if message.contains(&shown) {
        message
    } else {
        format!("{shown}: {message}")
    }
}

/// The closing lines of the bench table: mean gap over the instances with a
/// BKS (`-` when none has one), mean time over the solved instances, and
/// how many inputs failed.
pub fn bench_summary(runs: &[BenchRun]) -> String {
    let rows: Vec<&QualityRow> = runs.iter().filter_map(|r| r.result.as_ref().ok()).collect();
    let gaps: Vec<f64> = rows.iter().filter_map(|r| r.gap).collect();
    let mut s = String::from("\n");
    if gaps.is_empty() {
        s.push_str("mean gap - (no instance with a BKS)");
    } else {
        let mean = gaps.iter().sum::<f64>() / gaps.len() as f64;
        let _ = write!(s, "mean gap {mean:.2} % over {} instances with a BKS", gaps.len());
    }
    if rows.is_empty() {
        s.push_str("; mean time -");
    } else {
        let mean = rows.iter().map(|r| r.seconds).sum::<f64>() / rows.len() as f64;
        let _ = write!(s, "; mean time {mean:.3} s over {} instances", rows.len());
    }
    let failed = runs.len() - rows.len();
    if failed > 0 {
        let _ = write!(s, "; {failed} failed");
    }
    s.push('\n');
    s
}

/// A CSV file of bench rows, written row by row (each row is flushed, so an
/// interrupted bench keeps what finished). Columns: `instance, n, bks, cost,
/// gap_percent, time_s, feasible, routes`; a missing BKS or gap is an empty
/// field, `feasible` is `yes` or `no`.
pub struct CsvReport {
    path: PathBuf,
    writer: csv::Writer<std::fs::File>,
}

impl CsvReport {
    /// Creates (or truncates) `path` and writes the header.
    pub fn create(path: &Path) -> Result<Self> {
        let writer = csv::Writer::from_path(path).map_err(|e| csv_error(path, e))?;
        let mut report = CsvReport {
            path: path.to_path_buf(),
            writer,
        };
        report.write_record(&[
            "instance",
            "n",
            "bks",
            "cost",
            "gap_percent",
            "time_s",
            "feasible",
            "routes",
        ])?;
        Ok(report)
    }

    /// Appends one row.
    pub fn write_row(&mut self, r: &QualityRow) -> Result<()> {
        self.write_record(&[
            r.instance.clone(),
            r.n.to_string(),
            r.bks.map(|b| b.to_string()).unwrap_or_default(),
            r.cost.to_string(),
            r.gap.map(|g| format!("{g:.4}")).unwrap_or_default(),
            format!("{:.3}", r.seconds),
            (if r.feasible { "yes" } else { "no" }).to_string(),
            r.routes.to_string(),
        ])
    }

    fn write_record<S: AsRef<[u8]>>(&mut self, fields: &[S]) -> Result<()> {
        self.writer.write_record(fields).map_err(|e| csv_error(&self.path, e))?;
        self.writer.flush().map_err(|e| Error::io(&self.path, e))
    }
}

fn csv_error(path: &Path, e: csv::Error) -> Error {
    let message = e.to_string();
    match e.into_kind() {
        csv::ErrorKind::Io(e) => Error::io(path, e),
        _ => Error::parse(&path.display().to_string(), None, message),
    }
}
