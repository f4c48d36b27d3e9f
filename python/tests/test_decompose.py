"""Decomposed solves: region tasks through a Python executor, improve_region, generate_national."""

import json

import pytest

import backroads

# A national instance small enough for a test, decomposed by lowering the threshold:
# 3 depots of about 1,000 towns each, regions of about 300 towns.
SETTINGS = dict(iterations=6000, seed=5, threads=2, region_towns=300, decompose_above=500)


@pytest.fixture(scope="module")
def national():
    return backroads.generate_national(3000, 3, seed=1)


@pytest.fixture(scope="module")
def loaded(national):
    return backroads.load_problem(national)


@pytest.fixture(scope="module")
def in_process(national):
    return backroads.solve(national, **SETTINGS)


class Recorder:
    """An executor running each task here with improve_region, recording the batches."""

    def __init__(self, problem):
        self.problem = problem
        self.batches = []

    def __call__(self, tasks):
        self.batches.append(list(tasks))
        return [backroads.improve_region(self.problem, t) for t in tasks]


def towns_of(result_or_task):
    return sorted(t for route in json.loads(result_or_task)["routes"] for t in route)


def test_generate_national(national):
    problem = json.loads(national)
    assert problem["name"] == "national-n3000-p3-d3-s1"
    assert len(problem["towns"]) == 3000
    assert len(problem["depots"]) == 3
    assert len(problem["fleet"]) == 3
    assert backroads.generate_national(3000, 3, seed=1) == national
    assert backroads.generate_national(3000, 3, seed=2) != national
    eight = json.loads(backroads.generate_national(400, 4, depots=8, capacity=150))
    assert len(eight["depots"]) == 8
    assert {v["capacity"] for v in eight["fleet"]} == {150}


@pytest.mark.parametrize(
    "args, message",
    [
        (dict(towns=10, provinces=0), "provinces"),
        (dict(towns=2, provinces=3), "towns"),
        (dict(towns=10, provinces=2, depots=1), "depots"),
        (dict(towns=-1, provinces=2), "towns"),
        (dict(towns=10, provinces=2, capacity=2**40), "capacity"),
        (dict(towns=10, provinces=2, capacity=0), "capacity"),
        (dict(towns=10.5, provinces=2), "towns"),
    ],
)
def test_generate_national_refuses(args, message):
    with pytest.raises(backroads.InvalidProblemError, match=message):
        backroads.generate_national(**args)


def test_executor_gives_the_in_process_routes(national, loaded, in_process):
    executor = Recorder(loaded)
    via = backroads.solve(national, executor=executor, **SETTINGS)
    # Several rounds, each with several regions per depot.
    assert len(executor.batches) >= 2
    assert all(len(batch) > 3 for batch in executor.batches)
    for batch in executor.batches:
        towns = [t for task in batch for t in towns_of(task)]
        assert len(towns) == len(set(towns)) == 3000
        assert all(len(towns_of(task)) <= 300 for task in batch if len(json.loads(task)["routes"]) > 1)
    assert via["routes"] == in_process["routes"]
    assert via["totals"] == in_process["totals"]
    assert backroads.check(national, via)["feasible"]


def test_no_executor_call_without_decomposition(national):
    executor = Recorder(national)
    settings = dict(SETTINGS, iterations=500)
    backroads.solve(national, executor=executor, **dict(settings, region_towns=0))
    backroads.solve(national, executor=executor, **dict(settings, decompose_above=5000))
    assert executor.batches == []


def test_problem_file_shipped_as_text(national, in_process, tmp_path):
    path = tmp_path / "national.json"
    path.write_text(national)
    text = backroads._problem_text(path)
    assert json.loads(text)["name"] == "national-n3000-p3-d3-s1"
    executor = Recorder(backroads.load_problem(text))
    via = backroads.solve(path, executor=executor, **SETTINGS)
    assert executor.batches
    assert via["routes"] == in_process["routes"]


def test_improve_region(national, loaded):
    executor = Recorder(loaded)
    backroads.solve(national, executor=executor, **dict(SETTINGS, iterations=500))
    task = max(executor.batches[0], key=lambda t: len(towns_of(t)))
    result = backroads.improve_region(loaded, task)
    # The same task gives the same result, however the problem is given.
    assert backroads.improve_region(national, task) == result
    assert backroads.improve_region(json.loads(national), task) == result
    parsed = json.loads(result)
    assert set(parsed) == {"routes", "iterations", "accepted"}
    assert towns_of(result) == towns_of(task)
    assert parsed["iterations"] == json.loads(task)["iterations"] > 0


def test_improve_region_errors(national, loaded):
    executor = Recorder(loaded)
    backroads.solve(national, executor=executor, **dict(SETTINGS, iterations=500))
    task = json.loads(executor.batches[0][0])
    with pytest.raises(backroads.ParseError, match="region task"):
        backroads.improve_region(loaded, '{"depot": 0')
    with pytest.raises(backroads.SolutionMismatchError, match="depot 99"):
        backroads.improve_region(loaded, json.dumps(dict(task, depot=99)))
    with pytest.raises(backroads.SolutionMismatchError, match="town 3000"):
        backroads.improve_region(loaded, json.dumps(dict(task, routes=[[3000]])))
    twice = task["routes"][0][:1] * 2
    with pytest.raises(backroads.SolutionMismatchError, match="twice"):
        backroads.improve_region(loaded, json.dumps(dict(task, routes=[twice])))
    with pytest.raises(backroads.InvalidConfigError, match="cooling"):
        backroads.improve_region(loaded, json.dumps(dict(task, cooling=[0.0, 2.0])))
    with pytest.raises(TypeError):
        backroads.improve_region(loaded, task)


class Boom(Exception):
    pass


def test_exception_in_executor_is_reraised(national):
    calls = []

    def explode(tasks):
        calls.append(tasks)
        raise Boom("the cluster is down")

    with pytest.raises(Boom, match="the cluster is down"):
        backroads.solve(national, executor=explode, **SETTINGS)
    assert len(calls) == 1


def test_bad_executor_results_are_typed_errors(national, loaded):
    good = Recorder(loaded)

    def too_few(tasks):
        return good(tasks)[1:]

    def malformed(tasks):
        return ['{"routes": [[1, 2]' for _ in tasks]

    def towns_dropped(tasks):
        results = [json.loads(r) for r in good(tasks)]
        results[0]["routes"][0].pop()
        return [json.dumps(r) for r in results]

    def not_a_list(tasks):
        return "[]"

    with pytest.raises(backroads.InvalidConfigError, match="returned .* results for .* tasks"):
        backroads.solve(national, executor=too_few, **SETTINGS)
    with pytest.raises(backroads.ParseError, match="region result"):
        backroads.solve(national, executor=malformed, **SETTINGS)
    with pytest.raises(backroads.SolutionMismatchError, match="not the same towns"):
        backroads.solve(national, executor=towns_dropped, **SETTINGS)
    with pytest.raises(TypeError):
        backroads.solve(national, executor=not_a_list, **SETTINGS)


def test_executor_settings(national):
    with pytest.raises(TypeError, match="executor"):
        backroads.solve(national, executor=42, **SETTINGS)

    class NoCores:
        parallelism = 0

        def __call__(self, tasks):
            return []

    with pytest.raises(backroads.InvalidConfigError, match="executor_parallelism"):
        backroads.solve(national, executor=NoCores(), **SETTINGS)
    with pytest.raises(backroads.InvalidConfigError, match="region_towns"):
        backroads.solve(national, **dict(SETTINGS, region_towns=-1))
    with pytest.raises(backroads.InvalidConfigError, match="decompose_above"):
        backroads.solve(national, **dict(SETTINGS, decompose_above=1.5))


def test_time_limited_solve_through_an_executor(national, loaded):
    executor = Recorder(loaded)
    executor.parallelism = 2
    settings = dict(SETTINGS, iterations=None, time_limit=4.0)
    solution = backroads.solve(national, executor=executor, **settings)
    assert executor.batches
    tasks = [json.loads(t) for batch in executor.batches for t in batch]
    # Time-limited tasks carry seconds (a share of round × parallelism), no step budget.
    assert all(t["iterations"] is None and 0 <= t["seconds"] <= 4.0 for t in tasks)
    assert any(t["seconds"] > 0 for t in tasks)
    assert solution["totals"]["towns_served"] == 3000
    assert backroads.check(national, solution)["feasible"]


def test_improve_region_releases_the_gil(national, loaded):
    import threading
    import time

    executor = Recorder(loaded)
    backroads.solve(national, executor=executor, **dict(SETTINGS, iterations=500))
    task = json.dumps(dict(json.loads(executor.batches[0][0]), iterations=None, seconds=1.0))
    ticks = []
    done = threading.Event()

    def count():
        while not done.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.001)

    thread = threading.Thread(target=count)
    thread.start()
    try:
        start = time.monotonic()
        result = backroads.improve_region(loaded, task)
        end = time.monotonic()
    finally:
        done.set()
        thread.join()
    assert towns_of(result) == towns_of(task)
    assert end - start >= 0.8
    assert [t for t in ticks if start + 0.2 < t < end - 0.2], "the Python thread made no progress"
