//! The decomposed improvement phase: region by region, through the
//! in-process executor or any other `RegionExecutor`, reproducible, and
//! never trusting what an executor hands back.

use backroads::distance::{TravelOracle, build_oracle};
use backroads::generate::{NationalSpec, RuralSpec, rural_instance};
use backroads::io::read_vrp;
use backroads::model::Problem;
use backroads::solution::validate;
use backroads::solver::decompose::{RegionProgress, RegionResult, RegionTask, improve_region};
use backroads::solver::{Decomposition, Executor, Flow, RegionExecutor, SolverConfig, solve_with_oracle};
use backroads::{Error, Result};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

fn rural(towns: usize) -> Problem {
    read_vrp(&rural_instance(&RuralSpec::new(towns, 7)).unwrap(), "rural").unwrap()
}

/// Decomposed above 300 towns per depot, regions of about 120 towns.
fn config(iterations: u64, executor: Executor) -> SolverConfig {
    SolverConfig {
        iterations: Some(iterations),
        threads: Some(2),
        seed: 5,
        decomposition: Decomposition {
            region_towns: 120,
            above: 300,
            executor,
        },
        ..SolverConfig::default()
    }
}

fn routes_of(s: &backroads::solver::Solved) -> Vec<Vec<String>> {
    s.solution
        .routes
        .iter()
        .map(|r| r.stops.iter().map(|t| t.town.clone()).collect())
        .collect()
}

/// Runs tasks one after another through the public worker function,
/// counting them (as a remote executor would, minus the shipping: the
/// tasks and results go through their JSON form).
struct Sequential {
    tasks: AtomicUsize,
}

impl RegionExecutor for Sequential {
    fn parallelism(&self) -> usize {
        1
    }
    fn run(
        &self,
        problem: &Problem,
        oracle: &dyn TravelOracle,
        tasks: &[RegionTask],
        _progress: &(dyn Fn(RegionProgress) -> Flow + Sync),
    ) -> Result<Vec<RegionResult>> {
        self.tasks.fetch_add(tasks.len(), Ordering::Relaxed);
        tasks
            .iter()
            .map(|t| {
                let shipped = RegionTask::from_json(&t.to_json())?;
                assert_eq!(&shipped, t);
                let result = improve_region(problem, oracle, &shipped)?;
                RegionResult::from_json(&result.to_json())
            })
            .collect()
    }
}

#[test]
fn decomposed_search_is_reproducible_valid_and_improves() {
    let problem = rural(1_200);
    let oracle = build_oracle(&problem).unwrap();
    let first = solve_with_oracle(&problem, oracle.as_ref(), &config(0, Executor::InProcess)).unwrap();
    let a = solve_with_oracle(&problem, oracle.as_ref(), &config(3_000, Executor::InProcess)).unwrap();
    let b = solve_with_oracle(&problem, oracle.as_ref(), &config(3_000, Executor::InProcess)).unwrap();
    assert_eq!(routes_of(&a), routes_of(&b), "same seed and budget, same routes");
    let report = validate(&problem, oracle.as_ref(), &a.solution);
    assert!(report.is_feasible(), "{:?}", report.violations);
    assert!(a.solution.unassigned.is_empty());
    assert!(
        a.solution.totals.distance < first.solution.totals.distance,
        "{} !< {}",
        a.solution.totals.distance,
        first.solution.totals.distance
    );
    assert!(a.stats.iterations > 0);
}

#[test]
fn any_executor_gives_the_in_process_routes() {
    let problem = rural(900);
    let oracle = build_oracle(&problem).unwrap();
    let local = solve_with_oracle(&problem, oracle.as_ref(), &config(2_000, Executor::InProcess)).unwrap();
    let seq = Arc::new(Sequential {
        tasks: AtomicUsize::new(0),
    });
    let custom = Executor::Custom(seq.clone());
    let shipped = solve_with_oracle(&problem, oracle.as_ref(), &config(2_000, custom)).unwrap();
    assert!(seq.tasks.load(Ordering::Relaxed) >= 6, "the executor ran the regions");
    assert_eq!(routes_of(&local), routes_of(&shipped));
}

/// Hands back what it was given, altered by `tamper`.
struct Tampering(fn(&mut Vec<Vec<usize>>));

impl RegionExecutor for Tampering {
    fn parallelism(&self) -> usize {
        2
    }
    fn run(
        &self,
        _: &Problem,
        _: &dyn TravelOracle,
        tasks: &[RegionTask],
        _: &(dyn Fn(RegionProgress) -> Flow + Sync),
    ) -> Result<Vec<RegionResult>> {
        Ok(tasks
            .iter()
            .map(|t| {
                let mut routes = t.routes.clone();
                (self.0)(&mut routes);
                RegionResult {
                    routes,
                    iterations: 1,
                    accepted: 0,
                }
            })
            .collect())
    }
}

#[test]
fn results_that_lose_add_or_overload_towns_are_refused() {
    let problem = rural(900);
    let oracle = build_oracle(&problem).unwrap();
    let tampers: [fn(&mut Vec<Vec<usize>>); 4] = [
        |r| {
            r[0].pop();
        },
        |r| {
            let twice = r[0][0];
            r[0].push(twice);
        },
        |r| r[0].push(usize::MAX),
        // One route with every town: over capacity.
        |r| {
            let all: Vec<usize> = r.drain(..).flatten().collect();
            r.push(all);
        },
    ];
    for tamper in tampers {
        let cfg = config(500, Executor::Custom(Arc::new(Tampering(tamper))));
        match solve_with_oracle(&problem, oracle.as_ref(), &cfg) {
            Err(Error::SolutionMismatch(m)) => assert!(m.contains("region result"), "{m}"),
            other => panic!(
                "expected a refused region result, got {:?}",
                other.map(|s| s.solution.totals.distance)
            ),
        }
    }
    // Handing back the input unchanged is fine (and changes nothing).
    let cfg = config(500, Executor::Custom(Arc::new(Tampering(|_| {}))));
    let same = solve_with_oracle(&problem, oracle.as_ref(), &cfg).unwrap();
    assert!(validate(&problem, oracle.as_ref(), &same.solution).is_feasible());
}

#[test]
fn bad_tasks_get_typed_errors() {
    let problem = rural(50);
    let oracle = build_oracle(&problem).unwrap();
    let task = RegionTask {
        depot: 0,
        vehicle_type: 0,
        routes: vec![vec![0, 1, 2], vec![3, 4]],
        seed: 1,
        iterations: Some(50),
        seconds: None,
        cooling: (0.0, 1.0),
        dense_matrix_limit: 4000,
        search: Default::default(),
        first_descent: true,
    };
    let ok = improve_region(&problem, oracle.as_ref(), &task).unwrap();
    let mut towns: Vec<usize> = ok.routes.concat();
    towns.sort_unstable();
    assert_eq!(towns, vec![0, 1, 2, 3, 4]);
    let broken = [
        RegionTask {
            depot: 9,
            ..task.clone()
        },
        RegionTask {
            vehicle_type: 3,
            ..task.clone()
        },
        RegionTask {
            routes: vec![vec![0, 1], vec![1]],
            ..task.clone()
        },
        RegionTask {
            routes: vec![vec![50]],
            ..task.clone()
        },
        RegionTask {
            seconds: Some(f64::NAN),
            ..task.clone()
        },
        RegionTask {
            cooling: (0.5, 2.0),
            ..task.clone()
        },
    ];
    for t in broken {
        assert!(
            matches!(
                improve_region(&problem, oracle.as_ref(), &t),
                Err(Error::SolutionMismatch(_) | Error::InvalidConfig(_))
            ),
            "{t:?}"
        );
    }
    // A vehicle type of another depot.
    let spec = NationalSpec {
        towns: 40,
        provinces: 2,
        depots: 2,
        seed: 1,
        capacity: 200,
    };
    let national = Problem::from_spec(spec.problem_spec().unwrap()).unwrap();
    assert_eq!((national.fleet[0].depot, national.fleet[1].depot), (0, 1));
    let national_oracle = build_oracle(&national).unwrap();
    let foreign = RegionTask {
        vehicle_type: 1,
        ..task.clone()
    };
    assert!(
        matches!(
            improve_region(&national, national_oracle.as_ref(), &foreign),
            Err(Error::SolutionMismatch(m)) if m.contains("vehicle type of depot 1")
        ),
        "{foreign:?}"
    );
    let own = RegionTask { depot: 1, ..foreign };
    assert!(improve_region(&national, national_oracle.as_ref(), &own).is_ok());
    assert!(matches!(
        RegionTask::from_json("{\"depot\": 0}"),
        Err(Error::Json { .. })
    ));
    assert!(matches!(RegionResult::from_json("[1, 2]"), Err(Error::Json { .. })));
}

#[test]
fn an_observer_stops_a_decomposed_search() {
    let problem = rural(900);
    let oracle = build_oracle(&problem).unwrap();
    let calls = AtomicUsize::new(0);
    let stop_at_once = |_: &backroads::solver::SolveProgress| {
        calls.fetch_add(1, Ordering::Relaxed);
        Flow::Stop
    };
    let cfg = config(1_000_000, Executor::InProcess);
    let s = backroads::solver::solve_observed(&problem, oracle.as_ref(), &cfg, &stop_at_once).unwrap();
    assert!(calls.load(Ordering::Relaxed) >= 1);
    assert!(
        s.stats.iterations < 100_000,
        "{} steps after a stop",
        s.stats.iterations
    );
    assert!(validate(&problem, oracle.as_ref(), &s.solution).is_feasible());
}

#[test]
fn a_national_instance_is_decomposed_per_depot_region() {
    let spec = NationalSpec {
        towns: 2_400,
        provinces: 3,
        depots: 6,
        seed: 11,
        capacity: 200,
    };
    let problem = backroads::model::Problem::from_spec(spec.problem_spec().unwrap()).unwrap();
    let oracle = build_oracle(&problem).unwrap();
    let seq = Arc::new(Sequential {
        tasks: AtomicUsize::new(0),
    });
    let cfg = SolverConfig {
        decomposition: Decomposition {
            region_towns: 150,
            above: 200,
            executor: Executor::Custom(seq.clone()),
        },
        ..config(2_000, Executor::InProcess)
    };
    let s = solve_with_oracle(&problem, oracle.as_ref(), &cfg).unwrap();
    assert!(seq.tasks.load(Ordering::Relaxed) >= 12);
    let report = validate(&problem, oracle.as_ref(), &s.solution);
    assert!(report.is_feasible(), "{:?}", report.violations);
    assert!(s.solution.unassigned.is_empty());
}
