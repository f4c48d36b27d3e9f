"""Type stubs of the backroads package (see ``backroads/__init__.py``)."""

import os
from typing import Any, Callable, Dict, List, Mapping, Optional, Union

from ._backroads import (
    BackroadsError as BackroadsError,
    FileRefusedError as FileRefusedError,
    InvalidConfigError as InvalidConfigError,
    InvalidProblemError as InvalidProblemError,
    IoError as IoError,
    LoadedProblem as LoadedProblem,
    ParseError as ParseError,
    SolutionMismatchError as SolutionMismatchError,
)

__version__: str

Problem = Union[Mapping[str, Any], str, os.PathLike[str]]
Solution = Union[Mapping[str, Any], str, os.PathLike[str]]
Progress = Dict[str, Union[int, float]]
Executor = Callable[[List[str]], List[str]]

def solve(
    problem: Problem,
    *,
    time_limit: Optional[float] = None,
    iterations: Optional[int] = None,
    seed: int = 0,
    threads: Optional[int] = None,
    objective: str = "distance",
    on_progress: Optional[Callable[[Progress], Optional[bool]]] = None,
    region_towns: Optional[int] = None,
    decompose_above: Optional[int] = None,
    executor: Optional[Executor] = None,
    executor_parallelism: Optional[int] = None,
    initial: Optional[Solution] = None,
    change_penalty: float = 0.0,
) -> Dict[str, Any]:
    """Plan routes for ``problem``; returns the solution (or multi-day plan) dict."""

def check(problem: Problem, solution: Solution) -> Dict[str, Any]:
    """Validate ``solution``: ``{"feasible", "cost", "instance_cost", "routes", "violations"}``."""

def eta(problem: Problem, routes: Solution) -> Dict[str, Any]:
    """Plan mode: time given routes; ``{"feasible", "problem", "routes", "totals", "not_in_plan", "violations"}``."""

def fit(problem: Problem, plan: Solution, town: Mapping[str, Any], top: int = 5) -> Dict[str, Any]:
    """Where a new town fits: ``{"town", "fits", "options", "reason", "because"}``."""

def read_vrplib(path_or_text: Union[str, os.PathLike[str]]) -> Dict[str, Any]:
    """Read a CVRPLIB / VRPLIB ``.vrp`` instance into the JSON problem model."""

def read_solomon(path_or_text: Union[str, os.PathLike[str]]) -> Dict[str, Any]:
    """Read a Solomon VRPTW text instance into the JSON problem model."""

def load_problem(problem: Problem) -> LoadedProblem:
    """Read a problem and build its distance oracle once, for many :func:`improve_region` calls."""

def improve_region(problem: Union[Problem, LoadedProblem], task: str) -> str:
    """Run one region task (JSON) of a decomposed solve; returns the result JSON."""

def generate_national(
    towns: int,
    provinces: int,
    depots: Optional[int] = None,
    seed: int = 1,
    capacity: Optional[int] = None,
) -> str:
    """A generated national instance as JSON problem text."""

def _problem_text(problem: Problem) -> str:
    """The problem as one self-contained text (JSON, or VRPLIB/Solomon text as given)."""
