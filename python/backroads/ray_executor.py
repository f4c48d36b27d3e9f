"""Region tasks of a decomposed solve on a Ray cluster (``pip install backroads[ray]``).

A big plan's improvement phase goes region by region (see
:func:`backroads.solve`: ``region_towns``, ``decompose_above``); with
``executor=RayExecutor(problem)`` every round's regions run as Ray tasks::

    import ray
    import backroads
    from backroads.ray_executor import RayExecutor

    ray.init(address="auto")            # or ray.init(num_cpus=2) for a local cluster
    problem = backroads.generate_national(200_000, provinces=10, depots=20)
    solution = backroads.solve(problem, time_limit=600, executor=RayExecutor(problem))

What travels: the problem once, as JSON text in Ray's object store
(``ray.put``); each task is a small JSON text (its routes as town indices,
budget, seed, search parameters) and so is its result. A worker process
reads the problem the first time one of its tasks needs it and keeps it
(with its distance oracle) for the next tasks. The driver checks every
result (the task's towns, routes the vehicles can drive) before merging.

Workers need this package installed (the same version as the driver's),
e.g. in the nodes' image or with ``ray.init(runtime_env={"pip": [...]})``.
This module imports ``ray``; ``import backroads`` alone never does.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Dict, List, Optional

import ray

import backroads

__all__ = ["RayExecutor"]

# Problems a worker process keeps (newest last), keyed by their object ref.
_KEEP = 2
_loaded: "OrderedDict[str, backroads.LoadedProblem]" = OrderedDict()
_lock = threading.Lock()


def _problem(holder: List[Any]) -> backroads.LoadedProblem:
    """The problem behind ``holder[0]`` (an object ref), read once per worker process."""
    ref = holder[0]
    key = ref.hex()
    with _lock:
        loaded = _loaded.get(key)
        if loaded is None:
            loaded = backroads.load_problem(ray.get(ref))
            _loaded[key] = loaded
            while len(_loaded) > _KEEP:
                _loaded.popitem(last=False)
        else:
            _loaded.move_to_end(key)
    return loaded


def _improve(holder: List[Any], task: str) -> str:
    """One region task on a worker (the body of the Ray task)."""
    return backroads.improve_region(_problem(holder), task)


class RayExecutor:
    """An ``executor`` for :func:`backroads.solve` running region tasks as Ray tasks.

    Args:
        problem: the problem the solve gets (a dict, JSON/VRPLIB/Solomon text
            or a path; a file is re-written as one self-contained JSON
            problem). It is put in the object store once, here.
        parallelism: tasks running at a time (what a time-limited solve
            shares a round's wall time by); default the cluster's CPUs
            (``ray.cluster_resources()["CPU"]``) divided by ``num_cpus``.
        num_cpus: CPUs each task reserves (Ray's ``num_cpus`` option).

    Call ``ray.init(...)`` first (Ray starts a local cluster otherwise).
    """

    def __init__(
        self,
        problem: backroads.Problem,
        *,
        parallelism: Optional[int] = None,
        num_cpus: float = 1,
    ) -> None:
        if not num_cpus > 0:
            raise backroads.InvalidConfigError(
                f"invalid solver configuration: num_cpus must be positive, got {num_cpus!r}"
            )
        self._ref = ray.put(backroads._problem_text(problem))
        self._task = ray.remote(num_cpus=num_cpus)(_improve)
        if parallelism is None:
            # (Looked up: ray.cluster_resources is untyped, and this module is mypy --strict clean.)
            resources: Dict[str, float] = getattr(ray, "cluster_resources")()
            cpus = float(resources.get("CPU", 1))
            parallelism = max(1, int(cpus // num_cpus))
        if isinstance(parallelism, bool) or not isinstance(parallelism, int) or parallelism < 1:
            raise backroads.InvalidConfigError(
                f"invalid solver configuration: parallelism must be a whole number >= 1, got {parallelism!r}"
            )
        self.parallelism: int = parallelism

    def __call__(self, tasks: List[str]) -> List[str]:
        """Runs a batch of task JSONs as Ray tasks; their result JSONs in order."""
        # The ref inside a list is passed as a ref (not fetched), so a
        # worker reads the problem only when it has not kept it.
        holder = [self._ref]
        refs = [self._task.remote(holder, task) for task in tasks]
        try:
            results: List[str] = ray.get(refs)
        except BaseException:
            # The solve ends: the batch's other tasks are not needed.
            for ref in refs:
                try:
                    ray.cancel(ref)
                except Exception:
                    pass
            raise
        return results
