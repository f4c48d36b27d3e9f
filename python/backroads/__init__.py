"""backroads: delivery routes for rural road networks (CVRP and variants).

Python bindings of the `backroads` Rust library. Problems and solutions are
plain dicts in the library's JSON model (the same JSON the ``backroads`` CLI
reads and writes)::

    import backroads

    solution = backroads.solve("examples/data/small.json", iterations=500, seed=3)
    print(solution["totals"]["distance"], len(solution["routes"]))
    report = backroads.check("examples/data/small.json", solution)
    assert report["feasible"]

A problem is given as a dict, as JSON text, or as a path (``str`` or
``os.PathLike``) to a ``.json``, CVRPLIB ``.vrp`` or Solomon ``.txt`` file.
Matrices inside a dict problem may be NumPy arrays (any object with a
``tolist()`` method). Errors are raised as :class:`BackroadsError`
subclasses carrying the library's message.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any, Callable, Dict, List, Mapping, Optional, Union

from . import _backroads
from ._backroads import (
    BackroadsError,
    FileRefusedError,
    InvalidConfigError,
    InvalidProblemError,
    IoError,
    LoadedProblem,
    ParseError,
    SolutionMismatchError,
)

__version__: str = _backroads.__version__

__all__ = [
    "solve",
    "check",
    "eta",
    "fit",
    "read_vrplib",
    "read_solomon",
    "generate_national",
    "load_problem",
    "improve_region",
    "LoadedProblem",
    "BackroadsError",
    "ParseError",
    "InvalidProblemError",
    "InvalidConfigError",
    "SolutionMismatchError",
    "IoError",
    "FileRefusedError",
    "__version__",
]

Problem = Union[Mapping[str, Any], str, "os.PathLike[str]"]
Solution = Union[Mapping[str, Any], str, "os.PathLike[str]"]
Executor = Callable[[List[str]], List[str]]


def _plain(value: Any) -> Any:
    """JSON fallback for objects ``json`` cannot encode: anything with a
    ``tolist()`` (NumPy arrays and scalars) becomes lists of numbers, with
    NaN and infinities as ``null`` (an unreachable pair in a matrix)."""
    tolist = getattr(value, "tolist", None)
    if not callable(tolist):
        raise TypeError(
            f"object of type {type(value).__name__} cannot be encoded as JSON"
        )
    return _finite(tolist())


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def _encode(document: Mapping[str, Any]) -> str:
    return json.dumps(document, default=_plain, allow_nan=False)


def _looks_like_json(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n").startswith("{")


def _source(what: str, value: Any) -> Dict[str, Any]:
    """``{"text": ...}`` or ``{"path": ...}`` for a dict, text or path: a
    ``str`` that starts with ``{`` or has a line break is text (JSON, or for
    a problem also VRPLIB or Solomon), any other ``str`` a path."""
    if isinstance(value, Mapping):
        return {"text": _encode(value)}
    if isinstance(value, os.PathLike):
        return {"path": os.fspath(value)}
    if isinstance(value, str):
        is_text = _looks_like_json(value) or "\n" in value
        return {"text": value} if is_text else {"path": value}
    raise TypeError(
        f"{what} must be a dict, JSON text or a path (str or os.PathLike), "
        f"not {type(value).__name__}"
    )


def _text_or_path(value: Any) -> Dict[str, Any]:
    """For the readers: a path-like or a one-line string is a path; a
    string with a line break is the file's text."""
    if isinstance(value, os.PathLike):
        return {"path": os.fspath(value)}
    if isinstance(value, str):
        return {"text": value} if "\n" in value else {"path": value}
    raise TypeError(
        f"expected a path (str or os.PathLike) or the file's text, not {type(value).__name__}"
    )


def _whole(name: str, value: Any, minimum: int) -> Optional[int]:
    if value is None:
        return None
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise InvalidConfigError(
            f"invalid solver configuration: {name} must be a whole number, got {value!r}"
        )
    value = value.__index__()
    if value < minimum or value >= 2**64:
        raise InvalidConfigError(
            f"invalid solver configuration: {name} must be at least {minimum}, got {value}"
        )
    return value


def solve(
    problem: Problem,
    *,
    time_limit: Optional[float] = None,
    iterations: Optional[int] = None,
    seed: int = 0,
    threads: Optional[int] = None,
    objective: str = "distance",
    on_progress: Optional[Callable[[Dict[str, Any]], Optional[bool]]] = None,
    region_towns: Optional[int] = None,
    decompose_above: Optional[int] = None,
    executor: Optional[Executor] = None,
    executor_parallelism: Optional[int] = None,
    initial: Optional[Solution] = None,
    change_penalty: float = 0.0,
) -> Dict[str, Any]:
    """Plan routes for ``problem`` and return the solution as a dict.

    The result is the JSON model that ``backroads solve --out`` writes:
    ``routes`` (vehicle type, depot, stops with arrival, start, departure and
    load, distance, duration, cost), ``unassigned`` towns with their reason,
    and ``totals``. A problem with ``horizon_days`` is planned over its days
    and returns the multi-day plan (``days``, ``patterns``, ``unassigned``,
    ``totals``, ``stats``). The solution is validated before it is returned.

    A problem with a ``state`` (the state of the day: vehicles on the road,
    towns done, fixed stops, locks, a vehicle down) is re-planned from it:
    the routes are those of the rest of the day, each vehicle on the road
    under its own id as ``vehicle_type``, and the result has a ``day`` field
    reporting each vehicle (status, done, fixed stops timed, where and when
    it is free). Give the plan the vehicles follow as ``initial`` to keep
    its vehicles' numbers.

    Args:
        problem: a dict in the JSON problem model, its JSON text (or a
            VRPLIB / Solomon file's text), or a path (``str``/``os.PathLike``)
            to a ``.json``, ``.vrp`` or Solomon ``.txt`` file. Files a JSON
            problem references (towns CSV, road network) are read only for a
            problem given as a path, relative to its folder.
        time_limit: wall-clock budget in seconds (best effort: results then
            depend on the machine).
        iterations: search steps; with it the same seed and thread count
            give the same routes. Neither set: 20,000 steps.
        seed: seed of the search.
        threads: worker threads (default one per core, at most 256).
        objective: ``"distance"`` (the problem as given) or ``"vehicles"``
            (fewest routes first, then distance).
        on_progress: called as ``on_progress({"best_cost", "iterations",
            "elapsed_s"})`` every few milliseconds of search (from the solver
            thread, with the GIL held only for the call); returning ``False``
            stops the search and the best routes so far are returned; an
            exception it raises stops the search and is re-raised. A
            multi-day problem reports the progress of its day solves.
        region_towns: target towns per region when the improvement phase is
            decomposed (default 2,000; 0 never decomposes).
        decompose_above: the improvement phase goes region by region when a
            depot has more towns than this (default 8,000). Each round splits
            every depot's routes into regions of nearby routes and improves
            each region as an independent task. (Fleets of one vehicle type,
            or one unlimited type per depot; mixed fleets are not decomposed.)
        executor: where the region tasks run (default: this process, on the
            solver's threads). Called as ``executor(tasks)`` once per round
            with the round's tasks as a list of JSON texts; it must return
            one result JSON per task, in order, each what
            :func:`improve_region` returns for it (e.g.
            ``[improve_region(problem, t) for t in tasks]``, or
            :class:`backroads.ray_executor.RayExecutor` on a Ray cluster).
            It is called from the solver thread with the GIL held only for
            the call; an exception it raises ends the solve and is re-raised;
            a wrong number of results is an :class:`InvalidConfigError`,
            malformed result JSON a :class:`ParseError`, a result that is not
            the task's towns in routes the vehicles can drive a
            :class:`SolutionMismatchError`. With ``iterations`` the routes
            are the same as without an executor. Progress is reported
            between rounds only.
        executor_parallelism: tasks the executor runs at a time (a
            time-limited round gives each task ``round × parallelism × its
            share of the towns`` seconds); default the executor's
            ``parallelism`` attribute if it has one, else 1.
        initial: a previous plan to start from (a warm start, as ``backroads
            solve --initial``): the dict :func:`solve` returned, a dict of
            sequences as :func:`eta` takes, its JSON text, or a path to such
            a file or a ``.sol``. Its routes, repaired where a rule no longer
            holds, replace the construction; towns the problem no longer has
            are left out. Single-day problems only.
        change_penalty: with ``initial``, what moving a town to another
            vehicle than the one it had costs, in the objective's units
            (money when vehicles have running costs, else distance); 0 (the
            default) lets the search move towns freely.

    The solve runs on a thread of its own with the GIL released: other
    Python threads keep running, and Ctrl-C (KeyboardInterrupt) in the main
    thread stops the search and is raised.

    Raises:
        ParseError: malformed JSON or instance file.
        InvalidProblemError: unknown or duplicate ids, invalid values.
        InvalidConfigError: unusable settings.
        IoError: a file that cannot be read.
    """
    if on_progress is not None and not callable(on_progress):
        raise TypeError("on_progress must be callable")
    if time_limit is not None:
        if isinstance(time_limit, bool):
            raise InvalidConfigError(
                "invalid solver configuration: time_limit must be a number of seconds"
            )
        try:
            time_limit = float(time_limit)
        except (TypeError, ValueError):
            raise InvalidConfigError(
                f"invalid solver configuration: time_limit must be a number of seconds, got {time_limit!r}"
            ) from None
    if executor is not None and not callable(executor):
        raise TypeError("executor must be callable (list of task JSON texts -> list of result JSON texts)")
    if executor_parallelism is None and executor is not None:
        executor_parallelism = getattr(executor, "parallelism", None)
    if not isinstance(objective, str):
        raise InvalidConfigError(
            f"invalid solver configuration: objective must be 'distance' or 'vehicles', got {objective!r}"
        )
    text = _backroads.solve(
        **_source("problem", problem),
        time_limit=time_limit,
        iterations=_whole("iterations", iterations, 0),
        seed=_whole("seed", seed, 0),
        threads=_whole("threads", threads, 0),
        objective=objective,
        on_progress=on_progress,
        region_towns=_whole("region_towns", region_towns, 0),
        decompose_above=_whole("decompose_above", decompose_above, 0),
        executor=executor,
        executor_parallelism=_whole("executor_parallelism", executor_parallelism, 1) or 1,
        **({} if initial is None else {f"initial_{k}": v for k, v in _source("initial", initial).items()}),
        change_penalty=float(change_penalty),
    )
    return json.loads(text)


def check(problem: Problem, solution: Solution) -> Dict[str, Any]:
    """Validate ``solution`` against ``problem``, as ``backroads check`` does.

    Every route is recomputed independently of the solver: each town served
    at most once, capacity, distance, shift, opening hours, fleet size, and
    every figure the solution states.

    Args:
        problem: dict, JSON text or path, as for :func:`solve`.
        solution: the dict :func:`solve` returned, its JSON text, or a path
            to a ``.json`` solution or a CVRPLIB ``.sol`` file (whose
            ``Cost`` line is compared too). For a multi-day problem: the
            multi-day plan.

    Returns:
        ``{"feasible": bool, "cost": int, "instance_cost": float,
        "routes": int, "violations": [str]}``: ``cost`` is the recomputed
        total distance (model units, as ``totals.distance``),
        ``instance_cost`` what the CLI prints (money when vehicles have
        running costs, else the distance in the instance's units).

    Raises:
        ParseError, InvalidProblemError, SolutionMismatchError, IoError.
    """
    return json.loads(
        _backroads.check(
            **{f"problem_{k}": v for k, v in _source("problem", problem).items()},
            **{f"solution_{k}": v for k, v in _source("solution", solution).items()},
        )
    )


def eta(problem: Problem, routes: Solution) -> Dict[str, Any]:
    """Plan mode, as ``backroads eta``: time routes given as sequences with
    the shortest legal schedule and name every rule they break, without
    optimising.

    Args:
        problem: dict, JSON text or path, as for :func:`solve`.
        routes: the dict :func:`solve` returned (its times are recomputed),
            a dict of sequences such as ``{"routes": [{"vehicle_type":
            "van", "stops": ["a", "b"]}]}`` (``vehicle_type`` may be left
            out with one type; optional ``reloads`` as ``[{"before_stop": 1,
            "depot": "d"}]``), its JSON text, or a path to such a file or a
            CVRPLIB ``.sol``.

    Returns:
        ``{"feasible": bool, "problem": str, "routes": [...], "totals":
        {...}, "not_in_plan": [str], "violations": [str]}``: ``routes`` as
        :func:`solve` writes them (every stop's ``arrival_s``, ``start_s``,
        ``departure_s`` and ``load_after``, breaks, reloads, distance and
        cost); ``not_in_plan`` the towns on no route (not violations).

    Raises:
        ParseError, InvalidProblemError, SolutionMismatchError (an unknown
        town, vehicle type or depot), IoError.
    """
    return json.loads(
        _backroads.eta(
            **{f"problem_{k}": v for k, v in _source("problem", problem).items()},
            **{f"routes_{k}": v for k, v in _source("routes", routes).items()},
        )
    )


def fit(problem: Problem, plan: Solution, town: Mapping[str, Any], top: int = 5) -> Dict[str, Any]:
    """Where a new order fits into the current plan, as ``backroads fit``.

    Every position of every route, and a vehicle of each type not on the
    road yet, is evaluated exactly by the route rule; the ``top`` cheapest
    feasible places are returned, or the reason there is none.

    Args:
        problem: dict, JSON text or path, as for :func:`solve`.
        plan: the routes, as for :func:`eta`.
        town: the new town as a dict of the JSON problem model (``id``,
            ``location``, ``demand``, ``windows``...).
        top: how many places to list (at least 1).

    Returns:
        ``{"town": str, "fits": bool, "options": [...], "reason": ...,
        "because": str}``: each option has ``vehicle_type``, ``vehicle``,
        ``route`` (index in the plan, ``None`` for a vehicle not on the
        road yet), ``position``, ``after``, ``before``, ``added_cost``,
        ``added_distance``, ``added_duration_s``, ``start_s``,
        ``schedule`` (the route with the town, timed) and ``moved`` (the
        stops whose service start changes); ``reason``/``because`` only
        when nothing takes the town.

    Raises:
        ParseError, InvalidProblemError (a bad town, an id the problem
        has, a travel matrix), SolutionMismatchError, IoError.
    """
    count = _whole("top", top, 1)
    return json.loads(
        _backroads.fit(
            _encode(town),
            count if count is not None else 5,
            **{f"problem_{k}": v for k, v in _source("problem", problem).items()},
            **{f"plan_{k}": v for k, v in _source("plan", plan).items()},
        )
    )


def read_vrplib(path_or_text: Union[str, "os.PathLike[str]"]) -> Dict[str, Any]:
    """Read a CVRPLIB / VRPLIB ``.vrp`` instance (CVRP, VRPTW and the
    variants the library reads) and return it in the JSON problem model.

    Args:
        path_or_text: a path (``os.PathLike``, or a ``str`` without a line
            break) or the file's text.

    Raises:
        ParseError, InvalidProblemError, IoError.
    """
    return json.loads(_backroads.read_vrplib(**_text_or_path(path_or_text)))


def read_solomon(path_or_text: Union[str, "os.PathLike[str]"]) -> Dict[str, Any]:
    """Read a Solomon VRPTW text instance (``VEHICLE`` / ``CUSTOMER``
    tables; distances in DIMACS tenths) and return it in the JSON problem
    model.

    Args:
        path_or_text: a path (``os.PathLike``, or a ``str`` without a line
            break) or the file's text.

    Raises:
        ParseError, InvalidProblemError, IoError.
    """
    return json.loads(_backroads.read_solomon(**_text_or_path(path_or_text)))


def load_problem(problem: Problem) -> LoadedProblem:
    """Read ``problem`` (anything :func:`solve` takes) and build its
    distance oracle once, for many :func:`improve_region` calls (the worker
    side of a decomposed solve). The GIL is released while it reads.

    Raises:
        ParseError, InvalidProblemError, IoError.
    """
    return _backroads.load_problem(**_source("problem", problem))


def improve_region(problem: Union[Problem, LoadedProblem], task: str) -> str:
    """Run one region task of a decomposed solve and return its result.

    This is what an ``executor`` of :func:`solve` runs for each task, here
    or on another machine that has the same problem: it improves the
    task's routes with one annealing chain under the task's seed and
    budget, so the same task gives the same result anywhere.

    Args:
        problem: the solve's problem: a :class:`LoadedProblem` (read once,
            see :func:`load_problem`), or anything :func:`solve` takes (read
            for this call alone).
        task: a task's JSON text, as the executor received it.

    Returns:
        The result's JSON text (``routes`` as problem town indices,
        ``iterations``, ``accepted``). The GIL is released while it runs.

    Raises:
        ParseError: malformed task JSON.
        SolutionMismatchError: a task naming a depot, vehicle type or town
            the problem does not have, or a town twice.
        InvalidConfigError: a task's budget or cooling out of range.
    """
    if not isinstance(task, str):
        raise TypeError(f"task must be the task's JSON text, not {type(task).__name__}")
    if isinstance(problem, LoadedProblem):
        return _backroads.improve_region(task, loaded=problem)
    return _backroads.improve_region(task, **_source("problem", problem))


def generate_national(
    towns: int,
    provinces: int,
    depots: Optional[int] = None,
    seed: int = 1,
    capacity: Optional[int] = None,
) -> str:
    """A generated national instance, as ``backroads generate --towns N
    --provinces P --depots D --seed S`` writes it: ``provinces`` rural
    regions sharing ``towns`` towns, ``depots`` regional depots (default
    one per province), one van type per depot with ``capacity`` (default
    200). Returns the JSON problem text (the same flags give the same text).

    Raises:
        InvalidProblemError: no province, fewer towns than provinces, fewer
            depots than provinces or more than towns, too many towns.
    """
    limits = (("towns", towns, 2**64), ("provinces", provinces, 2**64), ("depots", depots, 2**64),
              ("seed", seed, 2**64), ("capacity", capacity, 2**32))
    for name, value, limit in limits:
        if value is None:
            continue
        if isinstance(value, bool) or not hasattr(value, "__index__") or not 0 <= value.__index__() < limit:
            raise InvalidProblemError(
                f"national instance: {name} must be a whole number in 0..{limit}, got {value!r}"
            )
    return _backroads.generate_national(towns, provinces, depots=depots, seed=seed, capacity=capacity)


def _problem_text(problem: Problem) -> str:
    """``problem`` as one self-contained text (for executors shipping it to
    other machines): a dict as JSON, text as given, a file re-written as a
    JSON problem with the files it names inlined."""
    source = _source("problem", problem)
    if "text" in source:
        return str(source["text"])
    return _backroads.problem_json(path=source["path"])
