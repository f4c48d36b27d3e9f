//! The native half of the `backroads` Python package (`backroads._backroads`).
//!
//! Thin glue: every function takes text (JSON, VRPLIB, Solomon) or a file
//! path, works with the GIL released, and returns JSON text that the Python half
//! (`backroads/__init__.py`) turns into dicts. Library errors become the
//! typed exceptions below, carrying the library's message.
//!
//! All solving goes through [`engine::plan`] and all checking through
//! [`engine::check`]: the only two places that call the planner
//! ([`backroads::plan_observed`]) and the validator. A decomposed solve's
//! region tasks may run through a Python callable ([`executor::PyExecutor`]),
//! and a worker runs one task with [`executor::LoadedProblem::improve`]
//! (the library's `improve_region`); the planner checks every result.

mod engine;
mod executor;

use backroads::Error;
use backroads::model::Problem;
use backroads::solver::{Decomposition, Executor, Flow, Objective, Observer, SolveProgress, SolverConfig};
use executor::{LoadedProblem, PyExecutor};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyRuntimeError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

create_exception!(
    backroads,
    BackroadsError,
    PyException,
    "Base class of every error backroads raises; the message is the library's."
);
create_exception!(
    backroads,
    ParseError,
    BackroadsError,
    "Malformed input text: JSON syntax or schema (with line and column), VRPLIB, Solomon or .sol files (with the line)."
);
create_exception!(
    backroads,
    InvalidProblemError,
    BackroadsError,
    "A problem that reads but cannot be planned: unknown or duplicate ids, negative or NaN values, zero capacities, \
     no towns, absurd sizes."
);
create_exception!(
    backroads,
    InvalidConfigError,
    BackroadsError,
    "An unusable solver setting: zero or too many threads, a negative time limit, an unknown objective."
);
create_exception!(
    backroads,
    SolutionMismatchError,
    BackroadsError,
    "A solution that does not fit its problem: unknown towns or vehicle types, a single-day solution for a \
     multi-day problem or the other way round."
);
create_exception!(
    backroads,
    IoError,
    BackroadsError,
    "A file that could not be read (missing, unreadable), with its path."
);
create_exception!(
    backroads,
    FileRefusedError,
    IoError,
    "A file refused before it is read: not a regular file, over its size limit, or outside the problem's folder."
);

/// The typed Python exception for a library error, with its message.
fn to_py_err(e: Error) -> PyErr {
    let msg = e.to_string();
    match e {
        Error::Io { .. } => IoError::new_err(msg),
        Error::FileRefused { .. } => FileRefusedError::new_err(msg),
        Error::Parse { .. } | Error::Json { .. } => ParseError::new_err(msg),
        Error::DuplicateId { .. }
        | Error::UnknownId { .. }
        | Error::InvalidValue { .. }
        | Error::InvalidProblem(_)
        | Error::FixedStopsInfeasible { .. }
        | Error::TooLarge { .. } => InvalidProblemError::new_err(msg),
        Error::InvalidConfig(_) => InvalidConfigError::new_err(msg),
        Error::SolutionMismatch(_) => SolutionMismatchError::new_err(msg),
        _ => BackroadsError::new_err(msg),
    }
}

/// Where an input comes from: JSON (or other) text, or a file.
enum Source {
    Text(String),
    File(PathBuf),
}

impl Source {
    /// Exactly one of `text` and `path`.
    fn new(what: &str, text: Option<String>, path: Option<PathBuf>) -> PyResult<Source> {
        match (text, path) {
            (Some(t), None) => Ok(Source::Text(t)),
            (None, Some(p)) => Ok(Source::File(p)),
            _ => Err(pyo3::exceptions::PyTypeError::new_err(format!(
                "give the {what} either as text or as a path, not both or neither"
            ))),
        }
    }
}

/// Reads a problem: text (JSON, whose referenced files are not read as it
/// has no folder; VRPLIB or Solomon, told by the content as for a file), or
/// a `.json`, VRPLIB `.vrp` or Solomon `.txt` file.
fn read_problem(source: &Source) -> backroads::Result<Problem> {
    use backroads::io::{self, InputFormat};
    match source {
        Source::Text(t) => match io::detect_format(std::path::Path::new("problem"), t) {
            Some(InputFormat::Vrplib) => io::read_vrp(t, "problem"),
            Some(InputFormat::Solomon) => io::read_solomon(t, "problem"),
            Some(InputFormat::Json) | None => io::read_problem_json(t, "problem", None),
        },
        Source::File(p) => io::read_problem_file(p),
    }
}

/// [`read_problem`], with a state of the day settled into the problem of
/// the rest of the day ([`backroads::settle_day`]).
fn read_day_problem(source: &Source) -> backroads::Result<(Problem, Option<backroads::SettledDay>)> {
    backroads::settle_day(read_problem(source)?)
}

/// Hands the solver's progress to a Python callable (with the GIL held only
/// for the call) and keeps the first exception it raises; stops the search
/// once the caller is interrupted.
struct PyObserver {
    callback: Option<Py<PyAny>>,
    error: Mutex<Option<PyErr>>,
    /// Set on a KeyboardInterrupt (Ctrl-C) of the caller.
    interrupted: AtomicBool,
}

impl Observer for PyObserver {
    fn progress(&self, p: &SolveProgress) -> Flow {
        if self.interrupted.load(Ordering::Relaxed) {
            return Flow::Stop;
        }
        let Some(callback) = &self.callback else {
            return Flow::Continue;
        };
        let mut error = self.error.lock().unwrap_or_else(|e| e.into_inner());
        if error.is_some() {
            return Flow::Stop;
        }
        Python::attach(|py| {
            let outcome = (|| {
                let d = PyDict::new(py);
                d.set_item("best_cost", p.best_cost)?;
                d.set_item("iterations", p.iterations)?;
                d.set_item("elapsed_s", p.elapsed.as_secs_f64())?;
                callback.call1(py, (d,))
            })();
            match outcome {
                // Only `False` itself stops: `None` (no return) goes on.
                Ok(r) if r.bind(py).is(PyBool::new(py, false).as_any()) => Flow::Stop,
                Ok(_) => Flow::Continue,
                Err(e) => {
                    *error = Some(e);
                    Flow::Stop
                }
            }
        })
    }
}

/// Stack of the thread a solve runs on (as a main thread's).
const WORKER_STACK: usize = 8 << 20;

/// How often a waiting caller lets Python handle signals.
const SIGNAL_POLL: Duration = Duration::from_millis(100);

/// Runs `work` on a thread of its own while this thread, with the GIL
/// released, waits for it, attaching every [`SIGNAL_POLL`] to let Python
/// run its signal handlers: a KeyboardInterrupt (Ctrl-C) sets `interrupted`,
/// which stops the search at its next step, and is raised once `work`
/// returns. (Only a call from the main thread sees signals.)
fn run_interruptible<T: Send>(
    py: Python<'_>,
    interrupted: &AtomicBool,
    work: impl FnOnce() -> T + Send,
) -> PyResult<T> {
    std::thread::scope(|scope| {
        let (tx, mut rx) = mpsc::channel();
        let worker = std::thread::Builder::new()
            .name("backroads-solve".into())
            .stack_size(WORKER_STACK)
            .spawn_scoped(scope, move || {
                // The receiver outlives the worker: sending cannot fail.
                let _ = tx.send(work());
            })
            .map_err(|e| PyRuntimeError::new_err(format!("cannot start the solver thread: {e}")))?;
        let mut signal: Option<PyErr> = None;
        loop {
            // A Receiver is not Sync: it moves into the detached closure and back.
            let (received, back) = py.detach(move || (rx.recv_timeout(SIGNAL_POLL), rx));
            rx = back;
            match received {
                Ok(value) => {
                    let _ = worker.join();
                    return match signal {
                        Some(e) => Err(e),
                        None => Ok(value),
                    };
                }
                Err(RecvTimeoutError::Timeout) => {
                    if signal.is_none()
                        && let Err(e) = py.check_signals()
                    {
                        interrupted.store(true, Ordering::Relaxed);
                        signal = Some(e);
                    }
                }
                // The worker panicked before sending: pass the panic on.
                Err(RecvTimeoutError::Disconnected) => match worker.join() {
                    Err(panic) => std::panic::resume_unwind(panic),
                    Ok(()) => unreachable!("the worker ended without sending its result"),
                },
            }
        }
    })
}

/// Longest time limit accepted, seconds (as the CLI's `--time-limit`).
const MAX_SECONDS: f64 = 1e9;

/// Solves a problem and returns the solution JSON (the plan JSON for a
/// problem with `horizon_days`). Give the problem as JSON `text` or as a file
/// `path`. `on_progress(dict)` sees `best_cost`, `iterations` and
/// `elapsed_s`; returning `False` stops the search (the best routes so far
/// are returned); an exception it raises stops the search and is re-raised.
/// The solve runs on a thread of its own with the GIL released; Ctrl-C
/// (KeyboardInterrupt) in the calling main thread stops it.
#[pyfunction]
#[pyo3(signature = (text=None, path=None, *, time_limit=None, iterations=None, seed=0, threads=None,
                    objective="distance", on_progress=None, region_towns=None, decompose_above=None,
                    executor=None, executor_parallelism=1, initial_text=None, initial_path=None, change_penalty=0.0))]
#[allow(clippy::too_many_arguments)]
fn solve(
    py: Python<'_>,
    text: Option<String>,
    path: Option<PathBuf>,
    time_limit: Option<f64>,
    iterations: Option<u64>,
    seed: u64,
    threads: Option<usize>,
    objective: &str,
    on_progress: Option<Py<PyAny>>,
    region_towns: Option<usize>,
    decompose_above: Option<usize>,
    executor: Option<Py<PyAny>>,
    executor_parallelism: usize,
    initial_text: Option<String>,
    initial_path: Option<PathBuf>,
    change_penalty: f64,
) -> PyResult<String> {
    if !(change_penalty.is_finite() && change_penalty >= 0.0) {
        return Err(InvalidConfigError::new_err(format!(
            "invalid solver configuration: change_penalty must be a finite cost of at least 0, got {change_penalty}"
        )));
    }
    let source = Source::new("problem", text, path)?;
    let initial = match (initial_text, initial_path) {
        (None, None) => None,
        (t, p) => Some(Source::new("initial plan", t, p)?),
    };
    if change_penalty > 0.0 && initial.is_none() {
        return Err(InvalidConfigError::new_err(
            "invalid solver configuration: change_penalty applies to a solve from a previous plan (initial_text or initial_path)",
        ));
    }
    let time_limit = match time_limit {
        Some(t) if !(0.0..=MAX_SECONDS).contains(&t) => {
            return Err(InvalidConfigError::new_err(format!(
                "invalid solver configuration: time_limit must be a number of seconds within 0..={MAX_SECONDS}, got {t}"
            )));
        }
        t => t.map(Duration::from_secs_f64),
    };
    let objective: Objective = objective
        .parse()
        .map_err(|e: String| InvalidConfigError::new_err(format!("invalid solver configuration: {e}")))?;
    if executor_parallelism == 0 {
        return Err(InvalidConfigError::new_err(
            "invalid solver configuration: executor_parallelism must be at least 1",
        ));
    }
    let regions = executor.map(|callable| Arc::new(PyExecutor::new(callable, executor_parallelism)));
    let defaults = Decomposition::default();
    let config = SolverConfig {
        seed,
        threads,
        time_limit,
        iterations,
        objective,
        decomposition: Decomposition {
            region_towns: region_towns.unwrap_or(defaults.region_towns),
            above: decompose_above.unwrap_or(defaults.above),
            executor: match &regions {
                Some(e) => Executor::Custom(e.clone()),
                None => Executor::InProcess,
            },
        },
        ..SolverConfig::default()
    };
    let observer = PyObserver {
        callback: on_progress,
        error: Mutex::new(None),
        interrupted: AtomicBool::new(false),
    };
    let result = run_interruptible(py, &observer.interrupted, || {
        let (problem, day) = read_day_problem(&source)?;
        // The distance oracle (parallel Dijkstra on a road network) on the
        // configured threads too, as `backroads::plan` builds it.
        let oracle = match backroads::solver::thread_pool(config.threads)? {
            Some(pool) => pool.install(|| backroads::distance::build_oracle(&problem)),
            None => backroads::distance::build_oracle(&problem),
        }?;
        let mut config = config.clone();
        if let Some(initial) = &initial {
            config.initial = Some(Arc::new(engine::initial_plan(&problem, day.as_ref(), initial)?));
            config.change_penalty = change_penalty;
        }
        let json = engine::plan(&problem, oracle.as_ref(), &config, &observer)?;
        match &day {
            Some(day) => Ok(day.report.add_to(&json)?),
            None => Ok(json),
        }
    })?;
    if let Some(e) = observer.error.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(e);
    }
    // The executor's own exception, rather than the library error it ended the solve with.
    if let Some(e) = regions.and_then(|r| r.error.lock().unwrap_or_else(|e| e.into_inner()).take()) {
        return Err(e);
    }
    result.map_err(engine_err)
}

/// Reads a problem (JSON text or a file path, as [`solve`] takes it) and
/// builds its distance oracle once, for many [`improve_region`] calls.
#[pyfunction]
#[pyo3(signature = (text=None, path=None))]
fn load_problem(py: Python<'_>, text: Option<String>, path: Option<PathBuf>) -> PyResult<LoadedProblem> {
    let source = Source::new("problem", text, path)?;
    py.detach(|| LoadedProblem::load(read_day_problem(&source)?.0))
        .map_err(to_py_err)
}

/// Improves one region of a decomposed solve: `task` is a region task's
/// JSON (as a solve's executor receives it), the problem a
/// [`LoadedProblem`], JSON text or a file path. Returns the result's JSON.
/// The GIL is released while it runs.
#[pyfunction]
#[pyo3(signature = (task, *, loaded=None, text=None, path=None))]
fn improve_region(
    py: Python<'_>,
    task: String,
    loaded: Option<Py<LoadedProblem>>,
    text: Option<String>,
    path: Option<PathBuf>,
) -> PyResult<String> {
    match loaded {
        Some(loaded) => {
            if text.is_some() || path.is_some() {
                return Err(pyo3::exceptions::PyTypeError::new_err(
                    "give the problem once: loaded, text or path",
                ));
            }
            let loaded = loaded.get();
            py.detach(|| loaded.improve(&task)).map_err(to_py_err)
        }
        None => {
            let source = Source::new("problem", text, path)?;
            py.detach(|| LoadedProblem::load(read_day_problem(&source)?.0)?.improve(&task))
                .map_err(to_py_err)
        }
    }
}

/// The problem (JSON text or a file path) written as one self-contained JSON
/// problem: files a JSON problem names (towns CSV) and VRPLIB or Solomon
/// text become the JSON model, to ship to machines without those files. A
/// loaded road network cannot be written (InvalidProblemError).
#[pyfunction]
#[pyo3(signature = (text=None, path=None))]
fn problem_json(py: Python<'_>, text: Option<String>, path: Option<PathBuf>) -> PyResult<String> {
    let source = Source::new("problem", text, path)?;
    py.detach(|| backroads::io::write_problem_json(&read_problem(&source)?))
        .map_err(to_py_err)
}

/// A national instance (as `backroads generate --provinces`): `towns` over
/// `provinces` rural regions with `depots` regional depots (default one per
/// province), as JSON problem text.
#[pyfunction]
#[pyo3(signature = (towns, provinces, depots=None, seed=1, capacity=None))]
fn generate_national(
    py: Python<'_>,
    towns: usize,
    provinces: usize,
    depots: Option<usize>,
    seed: u64,
    capacity: Option<u32>,
) -> PyResult<String> {
    let spec = backroads::generate::NationalSpec {
        towns,
        provinces,
        depots: depots.unwrap_or(provinces),
        seed,
        capacity: capacity.unwrap_or(backroads::generate::RuralSpec::DEFAULT_CAPACITY),
    };
    py.detach(|| {
        let mut out = Vec::new();
        backroads::generate::write_national_instance(&spec, &mut out)?;
        String::from_utf8(out).map_err(|e| Error::InvalidProblem(format!("generated text is not UTF-8: {e}")))
    })
    .map_err(to_py_err)
}

/// Checks a solution against its problem and returns the report as JSON:
/// `feasible`, `cost` (the recomputed total distance, model units),
/// `instance_cost` (what `backroads check` prints: money when vehicles have
/// running costs, else the distance in the instance's units), `routes`,
/// `violations` (text). The problem and the solution are each text or a
/// file path (the solution may be a CVRPLIB `.sol`, whose `Cost` line is
/// compared too).
#[pyfunction]
#[pyo3(signature = (problem_text=None, problem_path=None, solution_text=None, solution_path=None))]
fn check(
    py: Python<'_>,
    problem_text: Option<String>,
    problem_path: Option<PathBuf>,
    solution_text: Option<String>,
    solution_path: Option<PathBuf>,
) -> PyResult<String> {
    let problem = Source::new("problem", problem_text, problem_path)?;
    let solution = Source::new("solution", solution_text, solution_path)?;
    py.detach(|| {
        let (problem, _) = read_day_problem(&problem)?;
        let oracle = backroads::distance::build_oracle(&problem)?;
        engine::check(&problem, oracle.as_ref(), &solution)
    })
    .map_err(engine_err)
}

/// Plan mode: times routes given as sequences (`routes`: a solution JSON,
/// a JSON of sequences or a CVRPLIB `.sol`; text or a file path) with the
/// shortest legal schedule and returns the report as JSON: `feasible`,
/// `routes` (every stop's arrival, start, departure and load), `totals`,
/// `not_in_plan`, `violations`.
#[pyfunction]
#[pyo3(signature = (problem_text=None, problem_path=None, routes_text=None, routes_path=None))]
fn eta(
    py: Python<'_>,
    problem_text: Option<String>,
    problem_path: Option<PathBuf>,
    routes_text: Option<String>,
    routes_path: Option<PathBuf>,
) -> PyResult<String> {
    let problem = Source::new("problem", problem_text, problem_path)?;
    let routes = Source::new("routes", routes_text, routes_path)?;
    py.detach(|| {
        let (problem, _) = read_day_problem(&problem)?;
        let oracle = backroads::distance::build_oracle(&problem)?;
        engine::eta(&problem, oracle.as_ref(), &routes)
    })
    .map_err(engine_err)
}

/// Where a new town (`town`: JSON of the problem model) fits into the
/// routes of a plan (text or a file path, as for `eta`): the `top`
/// cheapest feasible places, or why there is none, as JSON.
#[pyfunction]
#[pyo3(signature = (town, top, problem_text=None, problem_path=None, plan_text=None, plan_path=None))]
fn fit(
    py: Python<'_>,
    town: String,
    top: usize,
    problem_text: Option<String>,
    problem_path: Option<PathBuf>,
    plan_text: Option<String>,
    plan_path: Option<PathBuf>,
) -> PyResult<String> {
    let problem = Source::new("problem", problem_text, problem_path)?;
    let plan = Source::new("plan", plan_text, plan_path)?;
    py.detach(|| {
        let (problem, _) = read_day_problem(&problem)?;
        engine::fit(&problem, &plan, &town, top)
    })
    .map_err(engine_err)
}

/// Reads a CVRPLIB / VRPLIB `.vrp` (text, or a file path) and returns the
/// problem as JSON (the JSON problem model).
#[pyfunction]
#[pyo3(signature = (text=None, path=None))]
fn read_vrplib(py: Python<'_>, text: Option<String>, path: Option<PathBuf>) -> PyResult<String> {
    let source = Source::new("VRPLIB instance", text, path)?;
    py.detach(|| {
        let problem = match &source {
            Source::Text(t) => backroads::io::read_vrp(t, "vrplib"),
            Source::File(p) => backroads::io::read_vrp_file(p),
        }?;
        backroads::io::write_problem_json(&problem)
    })
    .map_err(to_py_err)
}

/// Reads a Solomon VRPTW text (`VEHICLE` / `CUSTOMER` tables; text, or a
/// file path) and returns the problem as JSON (the JSON problem model).
#[pyfunction]
#[pyo3(signature = (text=None, path=None))]
fn read_solomon(py: Python<'_>, text: Option<String>, path: Option<PathBuf>) -> PyResult<String> {
    let source = Source::new("Solomon instance", text, path)?;
    py.detach(|| {
        let problem = match &source {
            Source::Text(t) => backroads::io::read_solomon(t, "solomon"),
            Source::File(p) => backroads::io::read_solomon_file(p),
        }?;
        backroads::io::write_problem_json(&problem)
    })
    .map_err(to_py_err)
}

/// An engine failure as a Python exception.
fn engine_err(e: engine::Failure) -> PyErr {
    match e {
        engine::Failure::Library(e) => to_py_err(e),
        engine::Failure::Internal(msg) => BackroadsError::new_err(msg),
    }
}

/// The native part of the `backroads` package: solve, check and read
/// rural vehicle-routing problems (see `backroads` for the Python API).
#[pymodule]
fn _backroads(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(solve, m)?)?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(eta, m)?)?;
    m.add_function(wrap_pyfunction!(fit, m)?)?;
    m.add_function(wrap_pyfunction!(read_vrplib, m)?)?;
    m.add_function(wrap_pyfunction!(read_solomon, m)?)?;
    m.add_function(wrap_pyfunction!(load_problem, m)?)?;
    m.add_function(wrap_pyfunction!(improve_region, m)?)?;
    m.add_function(wrap_pyfunction!(problem_json, m)?)?;
    m.add_function(wrap_pyfunction!(generate_national, m)?)?;
    m.add_class::<LoadedProblem>()?;
    m.add("BackroadsError", py.get_type::<BackroadsError>())?;
    m.add("ParseError", py.get_type::<ParseError>())?;
    m.add("InvalidProblemError", py.get_type::<InvalidProblemError>())?;
    m.add("InvalidConfigError", py.get_type::<InvalidConfigError>())?;
    m.add("SolutionMismatchError", py.get_type::<SolutionMismatchError>())?;
    m.add("IoError", py.get_type::<IoError>())?;
    m.add("FileRefusedError", py.get_type::<FileRefusedError>())?;
    Ok(())
}
