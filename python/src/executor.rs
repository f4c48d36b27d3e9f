//! Region tasks of a decomposed solve run by a Python callable
//! ([`PyExecutor`]), and the worker side: a problem read once
//! ([`LoadedProblem`]) that [`backroads::solver::decompose::improve_region`]
//! runs tasks against.

use backroads::distance::TravelOracle;
use backroads::model::Problem;
use backroads::solver::decompose::{RegionProgress, RegionResult, RegionTask};
use backroads::solver::{Flow, RegionExecutor};
use backroads::{Error, Result};
use pyo3::prelude::*;
use std::sync::Mutex;

/// Runs each batch of region tasks through a Python callable: it gets the
/// tasks as a list of JSON texts ([`RegionTask::to_json`]) and returns the
/// results as JSON texts ([`RegionResult::to_json`]) in the same order. The
/// GIL is taken only for the call. An exception the callable raises is kept
/// (the first one) and ends the solve; the caller re-raises it.
pub struct PyExecutor {
    callable: Py<PyAny>,
    parallelism: usize,
    /// The first exception the callable raised.
    pub error: Mutex<Option<PyErr>>,
}

impl PyExecutor {
    /// `callable(list[str]) -> list[str]`, running `parallelism` tasks at a time.
    pub fn new(callable: Py<PyAny>, parallelism: usize) -> PyExecutor {
        PyExecutor {
            callable,
            parallelism: parallelism.max(1),
            error: Mutex::new(None),
        }
    }
}

impl RegionExecutor for PyExecutor {
    fn parallelism(&self) -> usize {
        self.parallelism
    }

    fn run(
        &self,
        _problem: &Problem,
        _oracle: &dyn TravelOracle,
        tasks: &[RegionTask],
        _progress: &(dyn Fn(RegionProgress) -> Flow + Sync),
    ) -> Result<Vec<RegionResult>> {
        if self.error.lock().unwrap_or_else(|e| e.into_inner()).is_some() {
            return Err(raised());
        }
        let texts: Vec<String> = tasks.iter().map(RegionTask::to_json).collect();
        let returned = Python::attach(|py| {
            self.callable
                .call1(py, (texts,))
                .and_then(|out| out.extract::<Vec<String>>(py))
        });
        let returned = match returned {
            Ok(r) => r,
            Err(e) => {
                self.error.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert(e);
                return Err(raised());
            }
        };
        if returned.len() != tasks.len() {
            return Err(Error::InvalidConfig(format!(
                "the region executor returned {} results for {} tasks",
                returned.len(),
                tasks.len()
            )));
        }
        returned.iter().map(|text| RegionResult::from_json(text)).collect()
    }
}

/// What [`PyExecutor::run`] returns when the callable raised (the caller
/// raises the callable's own exception instead).
fn raised() -> Error {
    Error::InvalidConfig("the region executor raised an exception".into())
}

/// A problem read once, with its distance oracle, for many region tasks
/// (the worker side of a decomposed solve). Opaque to Python.
#[pyclass(frozen, module = "backroads")]
pub struct LoadedProblem {
    pub problem: Problem,
    pub oracle: Box<dyn TravelOracle>,
}

#[pymethods]
impl LoadedProblem {
    /// Towns in the problem.
    #[getter]
    fn towns(&self) -> usize {
        self.problem.towns.len()
    }

    /// Depots in the problem.
    #[getter]
    fn depots(&self) -> usize {
        self.problem.depots.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "<backroads.LoadedProblem {:?}: {} towns, {} depots>",
            self.problem.name,
            self.problem.towns.len(),
            self.problem.depots.len()
        )
    }
}

impl LoadedProblem {
    /// Reads the problem and builds its oracle.
    pub fn load(problem: Problem) -> Result<LoadedProblem> {
        let oracle = backroads::distance::build_oracle(&problem)?;
        Ok(LoadedProblem { problem, oracle })
    }

    /// Runs one task (JSON) and returns its result (JSON).
    pub fn improve(&self, task: &str) -> Result<String> {
        let task = RegionTask::from_json(task)?;
        backroads::solver::decompose::improve_region(&self.problem, self.oracle.as_ref(), &task).map(|r| r.to_json())
    }
}
