"""Type stubs of the backroads package (see ``backroads/__init__.py``)."""

import os
from typing import Any, Callable, Dict, Mapping, Optional, Union

from ._backroads import (
    BackroadsError as BackroadsError,
    FileRefusedError as FileRefusedError,
    InvalidConfigError as InvalidConfigError,
    InvalidProblemError as InvalidProblemError,
    IoError as IoError,
    ParseError as ParseError,
    SolutionMismatchError as SolutionMismatchError,
)

__version__: str

Problem = Union[Mapping[str, Any], str, os.PathLike[str]]
Solution = Union[Mapping[str, Any], str, os.PathLike[str]]
Progress = Dict[str, Union[int, float]]

def solve(
    problem: Problem,
    *,
    time_limit: Optional[float] = None,
    iterations: Optional[int] = None,
    seed: int = 0,
    threads: Optional[int] = None,
    objective: str = "distance",
    on_progress: Optional[Callable[[Progress], Optional[bool]]] = None,
) -> Dict[str, Any]:
    """Plan routes for ``problem``; returns the solution (or multi-day plan) dict."""

def check(problem: Problem, solution: Solution) -> Dict[str, Any]:
    """Validate ``solution``: ``{"feasible", "cost", "instance_cost", "routes", "violations"}``."""

def read_vrplib(path_or_text: Union[str, os.PathLike[str]]) -> Dict[str, Any]:
    """Read a CVRPLIB / VRPLIB ``.vrp`` instance into the JSON problem model."""

def read_solomon(path_or_text: Union[str, os.PathLike[str]]) -> Dict[str, Any]:
    """Read a Solomon VRPTW text instance into the JSON problem model."""
