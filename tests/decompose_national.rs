//! A national instance (one unlimited van type per depot) is decomposed once
//! a depot is over the threshold, and an embedder's executor running every
//! task from its JSON gives the in-process routes.

use backroads::distance::TravelOracle;
use backroads::generate::{NationalSpec, write_national_instance};
use backroads::model::Problem;
use backroads::solver::decompose::{RegionProgress, RegionResult, RegionTask, improve_region};
use backroads::solver::{Decomposition, Executor, Flow, RegionExecutor, SolverConfig};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs tasks one by one, each through its JSON, counting them.
#[derive(Default)]
struct Serial {
    tasks: AtomicUsize,
}

impl RegionExecutor for Serial {
    fn parallelism(&self) -> usize {
        1
    }

    fn run(
        &self,
        problem: &Problem,
        oracle: &dyn TravelOracle,
        tasks: &[RegionTask],
        _progress: &(dyn Fn(RegionProgress) -> Flow + Sync),
    ) -> backroads::Result<Vec<RegionResult>> {
        self.tasks.fetch_add(tasks.len(), Ordering::Relaxed);
        tasks
            .iter()
            .map(|t| {
                let shipped = RegionTask::from_json(&t.to_json())?;
                let result = improve_region(problem, oracle, &shipped)?;
                RegionResult::from_json(&result.to_json())
            })
            .collect()
    }
}

#[test]
fn national_instance_is_decomposed_and_any_executor_gives_the_same_routes() {
    let spec = NationalSpec {
        towns: 2_000,
        provinces: 2,
        depots: 2,
        seed: 1,
        capacity: 200,
    };
    let mut json = Vec::new();
    write_national_instance(&spec, &mut json).unwrap();
    let problem = backroads::io::read_problem_json(std::str::from_utf8(&json).unwrap(), "national", None).unwrap();
    assert!(problem.fleet.len() > 1, "a van type per depot");
    let config = |executor| SolverConfig {
        seed: 3,
        iterations: Some(3_000),
        threads: Some(2),
        decomposition: Decomposition {
            region_towns: 200,
            above: 400,
            executor,
        },
        ..SolverConfig::default()
    };
    let in_process = backroads::plan(&problem, &config(Executor::InProcess)).unwrap();
    let serial = Arc::new(Serial::default());
    let shipped = backroads::plan(&problem, &config(Executor::Custom(serial.clone()))).unwrap();
    // Every depot's ~1,000 towns in regions of about 200, for several rounds.
    assert!(
        serial.tasks.load(Ordering::Relaxed) > 20,
        "{} tasks",
        serial.tasks.load(Ordering::Relaxed)
    );
    assert_eq!(shipped.to_json(), in_process.to_json());
    let oracle = backroads::distance::build_oracle(&problem).unwrap();
    let report = shipped.check(&problem, oracle.as_ref());
    assert!(report.violations.is_empty(), "{:?}", report.violations);

    // Below the threshold the executor is not asked.
    let idle = Arc::new(Serial::default());
    let mut below = config(Executor::Custom(idle.clone()));
    below.decomposition.above = 2_000;
    backroads::plan(&problem, &below).unwrap();
    assert_eq!(idle.tasks.load(Ordering::Relaxed), 0);
}
