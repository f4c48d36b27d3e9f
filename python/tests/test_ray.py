"""Region tasks on a local Ray cluster (RayExecutor): the same routes as in process.

Skipped when ray is not installed; run_tests.sh (CI) installs it and sets
BACKROADS_REQUIRE_RAY=1, which makes a missing ray a failure.
"""

import json
import os

import pytest

import backroads

if os.environ.get("BACKROADS_REQUIRE_RAY") == "1":
    import ray
else:
    ray = pytest.importorskip("ray")

SETTINGS = dict(iterations=6000, seed=5, threads=2, region_towns=300, decompose_above=500)


@pytest.fixture(scope="module")
def cluster():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        yield
    finally:
        ray.shutdown()


@pytest.fixture(scope="module")
def national():
    return backroads.generate_national(3000, 3, seed=1)


def test_import_backroads_does_not_import_ray():
    import subprocess
    import sys

    code = "import sys, backroads; print('ray' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_ray_executor_gives_the_in_process_routes(cluster, national):
    from backroads.ray_executor import RayExecutor

    executor = RayExecutor(national)
    assert executor.parallelism == 2
    batches = []

    def counted(tasks):
        batches.append(len(tasks))
        return executor(tasks)

    via_ray = backroads.solve(national, executor=counted, executor_parallelism=2, **SETTINGS)
    in_process = backroads.solve(national, **SETTINGS)
    assert len(batches) >= 2 and min(batches) > 3
    assert via_ray["routes"] == in_process["routes"]
    assert via_ray["totals"] == in_process["totals"]
    report = backroads.check(national, via_ray)
    assert report["feasible"], report["violations"]
    # The executor's parallelism attribute is picked up by solve itself.
    again = backroads.solve(national, executor=executor, **dict(SETTINGS, iterations=1000))
    assert again["routes"] == backroads.solve(national, **dict(SETTINGS, iterations=1000))["routes"]


def test_worker_keeps_the_problem(cluster, national):
    from backroads import ray_executor

    ref = ray.put(national)
    first = ray_executor._problem([ref])
    assert isinstance(first, backroads.LoadedProblem)
    assert first.towns == 3000
    assert ray_executor._problem([ref]) is first
    other = ray.put(backroads.generate_national(300, 3, seed=2))
    assert ray_executor._problem([other]).towns == 300
    assert ray_executor._problem([ref]) is first


def test_task_error_reaches_the_caller(cluster, national):
    from backroads.ray_executor import RayExecutor

    # Tasks of the 3,000-town problem shipped with a 300-town one: the
    # worker's typed error comes back through Ray (as a RayTaskError that
    # is also the library's exception).
    executor = RayExecutor(backroads.generate_national(300, 3, seed=2))
    with pytest.raises(backroads.SolutionMismatchError, match="names town"):
        backroads.solve(national, executor=executor, **SETTINGS)


def test_ray_executor_settings(cluster, national):
    from backroads.ray_executor import RayExecutor

    assert RayExecutor(national, num_cpus=2).parallelism == 1
    assert RayExecutor(json.loads(national), parallelism=5).parallelism == 5
    with pytest.raises(backroads.InvalidConfigError, match="parallelism"):
        RayExecutor(national, parallelism=0)
    with pytest.raises(backroads.InvalidConfigError, match="num_cpus"):
        RayExecutor(national, num_cpus=0)
