//! The quality harness: solve a folder of CVRPLIB `.vrp` files
//! ([`run_folder`], `backroads quality`) or any list of problem files and
//! folders ([`run_bench`], `backroads bench`) and compare each validated cost
//! with the best-known solution (BKS).
//!
//! gap % = 100 × (cost − BKS) / BKS, cost recomputed by the validator and
//! stated in the BKS's distance convention (the `convention` column of
//! `bks.csv`, see [`CostConvention`]): `nint` (or none) is the problem's own
//! integer cost; `exact` and `dimacs` are recomputed from the planar
//! coordinates of the same routes (for the VRPTW files read in DIMACS tenths,
//! `dimacs` is the cost / 10). The BKS's route count (`bks_routes`) is
//! reported beside the routes used.
//!
//! [`Objective::Vehicles`] (`--objective vehicles`) solves vehicles first
//! (see [`apply_objective`]); the reported cost never includes fixed costs.

use crate::distance::{TravelOracle, build_oracle};
use crate::error::{Error, Result};
use crate::io::{
    InputFormat, ReadOptions, clip, detect_format, dimacs_cost, exact_euclidean_cost, nint_cost, read_input_text,
    read_problem_file_with,
};
use crate::model::{Problem, Rounding};
use crate::solution::{Solution, validate};
use crate::solver::{Flow, Observer, SolveProgress, SolverConfig, Unobserved, solve_observed};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The distance convention a best-known cost is stated in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CostConvention {
    /// `nint`: the problem's own integer distances (CVRPLIB's rounded
    /// Euclidean for `EUC_2D` files): the validated cost as it is.
    Nint,
    /// `exact`: unrounded double-precision Euclidean distances between the
    /// planar coordinates (the SINTEF Solomon BKS), see
    /// [`exact_euclidean_cost`].
    Exact,
    /// `dimacs`: every arc truncated to one decimal (CVRPLIB's VRPTW BKS),
    /// see [`dimacs_cost`].
    Dimacs,
}

impl CostConvention {
    /// Parses a `convention` cell (case-insensitive).
    pub fn parse(s: &str) -> Option<CostConvention> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "nint" => CostConvention::Nint,
            "exact" => CostConvention::Exact,
            "dimacs" => CostConvention::Dimacs,
            _ => return None,
        })
    }

    /// The `bks.csv` spelling.
    pub fn name(self) -> &'static str {
        match self {
            CostConvention::Nint => "nint",
            CostConvention::Exact => "exact",
            CostConvention::Dimacs => "dimacs",
        }
    }

    /// The convention of a problem's own units, when it is one of these
    /// (`nint` problems have none: their units are any measure's own).
    pub fn of(rounding: Rounding) -> Option<CostConvention> {
        match rounding {
            Rounding::Nearest => None,
            Rounding::Exact => Some(CostConvention::Exact),
            Rounding::DimacsTenths => Some(CostConvention::Dimacs),
        }
    }

    /// The solution's total distance in this convention.
    pub fn cost(self, problem: &Problem, solution: &Solution, validated: i64) -> Result<f64> {
        match self {
            CostConvention::Nint if problem.rounding == Rounding::Nearest => Ok(validated as f64),
            CostConvention::Nint => nint_cost(problem, solution),
            CostConvention::Exact => exact_euclidean_cost(problem, solution),
            CostConvention::Dimacs => dimacs_cost(problem, solution),
        }
    }
}

/// One best-known solution of a `bks.csv` row.
#[derive(Debug, Clone, PartialEq)]
pub struct Bks {
    /// Best-known cost (`bks`).
    pub cost: f64,
    /// Routes of the best-known solution (`bks_routes`), if given.
    pub routes: Option<usize>,
    /// Distance convention of `cost` (`convention`), if given; none means
    /// the problem's own units, like `nint`.
    pub convention: Option<CostConvention>,
}

impl From<f64> for Bks {
    fn from(cost: f64) -> Bks {
        Bks {
            cost,
            routes: None,
            convention: None,
        }
    }
}

/// Best-known solutions by instance name.
pub type BksTable = HashMap<String, Bks>;

pub use crate::solver::objective::{Objective, apply_objective, vehicles_first_fixed_cost, without_fixed_cost};

/// Solves `problem` under `objective` (it overrides `config.objective`):
/// see [`crate::solver::SolverConfig::objective`].
pub fn solve_with_objective(
    problem: &Problem,
    oracle: &dyn TravelOracle,
    config: &SolverConfig,
    objective: Objective,
    observer: &dyn Observer,
) -> Result<crate::solver::Solved> {
    let config = SolverConfig {
        objective,
        ..config.clone()
    };
    solve_observed(problem, oracle, &config, observer)
}

/// One instance's result.
#[derive(Debug, Clone, PartialEq)]
pub struct QualityRow {
    /// Instance name (file stem).
    pub instance: String,
    /// Number of towns.
    pub n: usize,
    /// Best-known cost, if listed.
    pub bks: Option<f64>,
    /// Routes of the best-known solution, if listed.
    pub bks_routes: Option<usize>,
    /// The convention of the BKS, in which `distance` is stated (none: the
    /// problem's own units).
    pub convention: Option<CostConvention>,
    /// Validated cost in the problem's units (tenths for VRPTW files).
    pub cost: i64,
    /// The same routes' distance in the BKS's convention (`cost` itself
    /// when there is none, or `nint`).
    pub distance: f64,
    /// Routes used.
    pub routes: usize,
    /// Gap of `distance` to the BKS in percent, if known.
    pub gap: Option<f64>,
    /// Wall time of the solve (oracle included), seconds.
    pub seconds: f64,
    /// Validator verdict.
    pub feasible: bool,
}

/// Reads `instance,bks` pairs from a CSV with those header names.
pub fn read_bks(path: &Path) -> Result<HashMap<String, f64>> {
    Ok(read_bks_table(path)?.into_iter().map(|(k, b)| (k, b.cost)).collect())
}

/// Reads a BKS CSV: columns `instance` and `bks` are required, `bks_routes`
/// (a whole number) and `convention` (`nint`, `exact` or `dimacs`) are
/// optional and may be empty. Errors name the file and line. The file may
/// be at most [`ReadOptions::max_solution_bytes`] (default limits).
pub fn read_bks_table(path: &Path) -> Result<BksTable> {
    read_bks_table_with(path, &ReadOptions::default())
}

/// [`read_bks_table`] with the given size limit.
pub fn read_bks_table_with(path: &Path, opts: &ReadOptions) -> Result<BksTable> {
    let name = path.display().to_string();
    let text = read_input_text(path, opts.max_solution_bytes)?;
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
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
    let cr = col("bks_routes").ok();
    let cc = col("convention").ok();
    let mut out = HashMap::new();
    for (k, rec) in rdr.records().enumerate() {
        let line = rec
            .as_ref()
            .ok()
            .and_then(|r| r.position())
            .map_or(k + 2, |p| p.line() as usize);
        let rec = rec.map_err(|e| Error::parse(&name, Some(line), e.to_string()))?;
        let bks = rec.get(cb).unwrap_or("").trim();
        let bks: f64 = match bks.parse::<f64>() {
            Ok(b) if b.is_finite() && b >= 0.0 => b,
            _ => {
                return Err(Error::parse(
                    &name,
                    Some(line),
                    format!("bks '{}' is not a finite, non-negative number", clip(bks)),
                ));
            }
        };
        let routes = match cr.and_then(|c| rec.get(c)).map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(r) => Some(r.parse::<usize>().map_err(|_| {
                Error::parse(
                    &name,
                    Some(line),
                    format!("bks_routes '{}' is not a whole number", clip(r)),
                )
            })?),
        };
        let convention = match cc.and_then(|c| rec.get(c)).map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(c) => Some(CostConvention::parse(c).ok_or_else(|| {
                Error::parse(
                    &name,
                    Some(line),
                    format!("convention '{}' is not one of nint, exact, dimacs", clip(c)),
                )
            })?),
        };
        out.insert(
            rec.get(ci).unwrap_or("").trim().to_string(),
            Bks {
                cost: bks,
                routes,
                convention,
            },
        );
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
        Some(p) => read_bks_table(p)?,
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
        .map(|(_, path)| run_instance(path, table.get(&instance_name(path)), config))
        .collect()
}

/// An instance's name: its file stem (`X-n101-k25` for `.../X-n101-k25.vrp`),
/// the key looked up in a BKS table.
pub fn instance_name(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Reads, solves and validates one problem file with the distance
/// objective. The row's cost is the validator's recomputed total distance;
/// its `distance` restates it in the BKS's convention, and the gap is taken
/// against `bks` when it is given (and positive). The time covers reading,
/// the distance oracle and the solve.
pub fn run_instance(path: &Path, bks: Option<&Bks>, config: &SolverConfig) -> Result<QualityRow> {
    run_instance_observed(
        path,
        bks,
        config,
        Objective::Distance,
        &ReadOptions::default(),
        &Unobserved,
    )
}

/// [`run_instance`] with an objective (see [`apply_objective`]), reader
/// options (limits, confinement and the distance convention) and an
/// observer of the solve's progress (whose `best_cost` excludes the
/// vehicles-first fixed cost, see [`without_fixed_cost`]).
pub fn run_instance_observed(
    path: &Path,
    bks: Option<&Bks>,
    config: &SolverConfig,
    objective: Objective,
    read: &ReadOptions,
    observer: &dyn Observer,
) -> Result<QualityRow> {
    let start = Instant::now();
    let problem = read_problem_file_with(path, read)?;
    let oracle = build_oracle(&problem)?;
    let convention = bks.and_then(|b| b.convention);
    let best = bks.map(|b| b.cost);
    if problem.horizon_days.is_some() {
        // A multi-day problem is planned as one, all its days together.
        if objective != Objective::Distance {
            return Err(Error::InvalidConfig(
                "multi-day problems are planned with the distance objective only".into(),
            ));
        }
        if convention.is_some_and(|c| c != CostConvention::Nint) {
            return Err(Error::InvalidConfig(
                "multi-day plans are costed in the problem's own units: a BKS convention other than nint does not apply"
                    .into(),
            ));
        }
        let plan = crate::horizon::plan_horizon_with_oracle(&problem, oracle.as_ref(), config)?;
        let report = crate::horizon::validate_horizon(&problem, oracle.as_ref(), &plan);
        let distance = report.cost as f64;
        return Ok(QualityRow {
            instance: instance_name(path),
            n: problem.towns.len(),
            gap: best.filter(|&b| b > 0.0).map(|b| 100.0 * (distance - b) / b),
            bks: best,
            bks_routes: bks.and_then(|b| b.routes),
            convention,
            cost: report.cost,
            distance,
            routes: report.routes,
            seconds: start.elapsed().as_secs_f64(),
            feasible: report.is_feasible() && plan.unassigned.is_empty(),
        });
    }
    let solved = solve_with_objective(&problem, oracle.as_ref(), config, objective, observer)?;
    let seconds = start.elapsed().as_secs_f64();
    let report = validate(&problem, oracle.as_ref(), &solved.solution);
    // Without a stated convention, the BKS is in the problem's own units.
    let convention = convention.or(CostConvention::of(problem.rounding));
    let distance = match convention {
        Some(c) => c.cost(&problem, &solved.solution, report.cost)?,
        None => report.cost as f64,
    };
    Ok(QualityRow {
        instance: instance_name(path),
        n: problem.towns.len(),
        gap: best.filter(|&b| b > 0.0).map(|b| 100.0 * (distance - b) / b),
        bks: best,
        bks_routes: bks.and_then(|b| b.routes),
        convention,
        cost: report.cost,
        distance,
        routes: report.routes,
        seconds,
        feasible: report.is_feasible() && solved.solution.unassigned.is_empty(),
    })
}

/// The header of [`markdown_table`] (two lines, newline-terminated).
pub fn markdown_header() -> &'static str {
    "| instance | n | BKS | cost | routes | BKS routes | gap % | time s | feasible | convention |\n\
     |---|---:|---:|---:|---:|---:|---:|---:|---|---|\n"
}

/// The row's distance as shown: whole for the problem's own units, two
/// decimals for `exact`, one for `dimacs`.
fn shown_distance(r: &QualityRow) -> String {
    match r.convention {
        None | Some(CostConvention::Nint) => r.cost.to_string(),
        Some(CostConvention::Exact) => format!("{:.2}", r.distance),
        Some(CostConvention::Dimacs) => format!("{:.1}", r.distance),
    }
}

/// One row of [`markdown_table`], newline-terminated; a missing BKS, BKS
/// route count, gap or convention shows as `-`. `cost` is the distance in
/// the BKS's convention.
pub fn markdown_row(r: &QualityRow) -> String {
    format!(
        "| {} | {} | {} | {} | {} | {} | {} | {:.3} | {} | {} |\n",
        r.instance,
        r.n,
        r.bks.map_or("-".into(), |b| format!("{b}")),
        shown_distance(r),
        r.routes,
        r.bks_routes.map_or("-".into(), |b| b.to_string()),
        r.gap.map_or("-".into(), |g| format!("{g:.2}")),
        r.seconds,
        if r.feasible { "yes" } else { "NO" },
        r.convention.map_or("-", CostConvention::name),
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

/// Problem files of a folder for `bench`: its `.vrp` and `.json` files and
/// the `.txt` files in the Solomon layout (not recursive), sorted by name.
pub fn problem_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.extension().is_some_and(|x| {
                    x.eq_ignore_ascii_case("vrp")
                        || x.eq_ignore_ascii_case("json")
                        || (x.eq_ignore_ascii_case("txt") && is_solomon_file(p))
                })
        })
        .collect();
    files.sort();
    Ok(files)
}

/// True if the first 4 KB of the file are in the Solomon layout.
fn is_solomon_file(path: &Path) -> bool {
    use std::io::Read as _;
    let mut head = Vec::with_capacity(4096);
    let read = std::fs::File::open(path).and_then(|f| f.take(4096).read_to_end(&mut head));
    read.is_ok() && detect_format(path, &String::from_utf8_lossy(&head)) == Some(InputFormat::Solomon)
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
/// at every search epoch (the BKS only when it is in the problem's own units,
/// i.e. without a convention or `nint`, since the progress is in those
/// units; the fixed cost of [`Objective::Vehicles`] taken out). `each` sees
/// every run as it completes; its error stops the bench. With
/// `config.threads`, every instance (distance oracle included) runs on a
/// pool of that many threads. Problems and discovered BKS tables are read
/// with `read`.
pub fn run_bench(
    inputs: &[PathBuf],
    bks: Option<&BksTable>,
    config: &SolverConfig,
    objective: Objective,
    read: &ReadOptions,
    progress: &(dyn Fn(&str, Option<f64>, &SolveProgress) + Sync),
    mut each: impl FnMut(&BenchRun) -> Result<()>,
) -> Result<Vec<BenchRun>> {
    let pool = crate::solver::thread_pool(config.threads)?;
    let mut tables: HashMap<PathBuf, BksTable> = HashMap::new();
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
                    let message = "no .vrp, .json or Solomon .txt problem files in this folder";
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
                        let table = match read_bks_table_with(&path, read) {
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
            let name = instance_name(&path);
            let best = table.and_then(|t| t.get(&name));
            let in_units = best
                .filter(|b| matches!(b.convention, None | Some(CostConvention::Nint)))
                .map(|b| b.cost);
            let observer = |p: &SolveProgress| {
                progress(&name, in_units, p);
                Flow::Continue
            };
            let result = match &pool {
                Some(pool) => pool.install(|| run_instance_observed(&path, best, config, objective, read, &observer)),
                None => run_instance_observed(&path, best, config, objective, read, &observer),
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
/// field, `feasible` is `yes` or `no`, `cost` is in the BKS's convention
/// (four decimals for `exact` and `dimacs`).
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

    /// Appends one row (`cost` in the BKS's convention, as in the table).
    pub fn write_row(&mut self, r: &QualityRow) -> Result<()> {
        let cost = match r.convention {
            None | Some(CostConvention::Nint) => r.cost.to_string(),
            Some(_) => format!("{:.4}", r.distance),
        };
        self.write_record(&[
            r.instance.clone(),
            r.n.to_string(),
            r.bks.map(|b| b.to_string()).unwrap_or_default(),
            cost,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn solomon_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/solomon")
    }

    /// The BKS reader goes through the input guards of `io` (moved here
    /// from io's own file tests, which may not name this module).
    #[test]
    fn bks_tables_are_refused_like_every_input() {
        use crate::error::{Error, FileRefusal};
        let dir = std::env::temp_dir().join(format!("backroads-quality-bks-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for special in [PathBuf::from("/dev/zero"), dir.clone()] {
            match read_bks_table(&special) {
                Err(Error::FileRefused {
                    reason: FileRefusal::NotRegular,
                    ..
                }) => {}
                other => panic!("{}: {other:?}", special.display()),
            }
        }
        let big = dir.join("big.csv");
        std::fs::File::create(&big)
            .unwrap()
            .set_len(ReadOptions::default().max_solution_bytes + 1)
            .unwrap();
        assert!(matches!(
            read_bks_table(&big),
            Err(Error::FileRefused {
                reason: FileRefusal::TooLarge { .. },
                ..
            })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn bks_table_reads_routes_and_conventions() {
        let t = read_bks_table(&solomon_dir().join("bks.csv")).unwrap();
        assert_eq!(
            t["C101"],
            Bks {
                cost: 828.94,
                routes: Some(10),
                convention: Some(CostConvention::Exact)
            }
        );
        assert_eq!(t["R1_10_1"].convention, Some(CostConvention::Dimacs));
        assert_eq!(t["R1_10_1"].routes, Some(95));
        assert_eq!(read_bks(&solomon_dir().join("bks.csv")).unwrap()["R201"], 1252.37);

        let dir = std::env::temp_dir().join(format!("backroads-bks-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("bks.csv");
        std::fs::write(&path, "instance,bks,convention\nA,1,nint\nB,2,\nC,3,rounded\n").unwrap();
        match read_bks_table(&path) {
            Err(Error::Parse { line, message, .. }) => {
                assert_eq!(line, Some(4));
                assert!(message.contains("convention 'rounded'"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        std::fs::write(&path, "instance,bks\nA,1\n").unwrap();
        assert_eq!(read_bks_table(&path).unwrap()["A"], Bks::from(1.0));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn vehicles_first_fixed_cost_dominates_every_distance() {
        let mut p = crate::io::read_problem_file(&solomon_dir().join("solomon100/R201.txt")).unwrap();
        let oracle = build_oracle(&p).unwrap();
        assert_eq!(apply_objective(&mut p, oracle.as_ref(), Objective::Distance), None);
        assert_eq!(p.fleet[0].fixed_cost, 0);
        let fixed = apply_objective(&mut p, oracle.as_ref(), Objective::Vehicles).unwrap();
        assert_eq!(p.fleet[0].fixed_cost, fixed);
        // 100 round trips of at most 2 × 10 × 71 tenths (the square is 0..70).
        assert!(fixed > 100 && fixed < 100 * 1500, "{fixed}");
        // One route per town is the longest sensible plan; it is below the fixed cost.
        let singles: i64 = (0..p.towns.len())
            .map(|t| 2 * oracle.distance(0, p.town_location(t)))
            .sum();
        assert!(singles < fixed);
        let progress = SolveProgress {
            best_cost: 4 * fixed + 12_345,
            iterations: 1,
            elapsed: std::time::Duration::ZERO,
        };
        assert_eq!(without_fixed_cost(&progress, Some(fixed)).best_cost, 12_345);
        assert_eq!(without_fixed_cost(&progress, None), progress);
    }

    #[test]
    fn bench_reports_solomon_in_the_bks_convention() {
        let dir = solomon_dir();
        let table = read_bks_table(&dir.join("bks.csv")).unwrap();
        let config = SolverConfig {
            iterations: Some(300),
            seed: 1,
            threads: Some(2),
            ..SolverConfig::default()
        };
        for objective in [Objective::Distance, Objective::Vehicles] {
            let runs = run_bench(
                &[dir.join("solomon100")],
                Some(&table),
                &config,
                objective,
                &ReadOptions::default(),
                &|_, best, p| {
                    assert_eq!(best, None, "the progress is in tenths, the BKS is not");
                    if objective == Objective::Vehicles {
                        assert!(p.best_cost < 100_000, "{}", p.best_cost);
                    }
                },
                |_| Ok(()),
            )
            .unwrap();
            let rows: Vec<&QualityRow> = runs.iter().map(|r| r.result.as_ref().unwrap()).collect();
            let names: Vec<&str> = rows.iter().map(|r| r.instance.as_str()).collect();
            assert_eq!(names, ["C101", "R101", "R201", "RC101"]);
            for r in rows {
                assert!(r.feasible, "{r:?}");
                assert_eq!(r.convention, Some(CostConvention::Exact));
                assert_eq!(r.bks_routes, table[&r.instance].routes);
                assert!(r.distance >= r.cost as f64 / 10.0, "{r:?}");
                assert!(r.distance < r.cost as f64 / 10.0 + 20.0, "{r:?}");
                let gap = 100.0 * (r.distance - r.bks.unwrap()) / r.bks.unwrap();
                assert!((r.gap.unwrap() - gap).abs() < 1e-9);
                let row = markdown_row(r);
                assert!(
                    row.contains(&format!("| {:.2} |", r.distance)) && row.ends_with("| exact |\n"),
                    "{row}"
                );
            }
        }
    }
}
