"""Type stubs of the native module ``backroads._backroads`` (JSON text in, JSON text out)."""

import os
from typing import Any, Callable, Dict, List, Optional, Union

_Path = Union[str, os.PathLike[str]]

__version__: str

class BackroadsError(Exception):
    """Base class of every error backroads raises; the message is the library's."""

class ParseError(BackroadsError):
    """Malformed input text (JSON, VRPLIB, Solomon, .sol), with line and column when known."""

class InvalidProblemError(BackroadsError):
    """A problem that reads but cannot be planned (unknown or duplicate ids, invalid values)."""

class InvalidConfigError(BackroadsError):
    """An unusable solver setting."""

class SolutionMismatchError(BackroadsError):
    """A solution that does not fit its problem."""

class IoError(BackroadsError):
    """A file that could not be read, with its path."""

class FileRefusedError(IoError):
    """A file refused before it is read (not regular, too large, outside the problem's folder)."""

class LoadedProblem:
    """A problem read once, with its distance oracle (opaque)."""

    @property
    def towns(self) -> int: ...
    @property
    def depots(self) -> int: ...

def solve(
    text: Optional[str] = None,
    path: Optional[_Path] = None,
    *,
    time_limit: Optional[float] = None,
    iterations: Optional[int] = None,
    seed: int = 0,
    threads: Optional[int] = None,
    objective: str = "distance",
    on_progress: Optional[Callable[[Dict[str, Any]], Any]] = None,
    region_towns: Optional[int] = None,
    decompose_above: Optional[int] = None,
    executor: Optional[Callable[[List[str]], List[str]]] = None,
    executor_parallelism: int = 1,
    initial_text: Optional[str] = None,
    initial_path: Optional[_Path] = None,
    change_penalty: float = 0.0,
) -> str:
    """Solve a problem given as JSON text or a file path; returns the solution JSON."""

def check(
    problem_text: Optional[str] = None,
    problem_path: Optional[_Path] = None,
    solution_text: Optional[str] = None,
    solution_path: Optional[_Path] = None,
) -> str:
    """Validate a solution; returns the report as JSON."""

def eta(
    problem_text: Optional[str] = None,
    problem_path: Optional[_Path] = None,
    routes_text: Optional[str] = None,
    routes_path: Optional[_Path] = None,
) -> str:
    """Plan mode: time given routes; returns the report as JSON."""

def fit(
    town: str,
    top: int,
    problem_text: Optional[str] = None,
    problem_path: Optional[_Path] = None,
    plan_text: Optional[str] = None,
    plan_path: Optional[_Path] = None,
) -> str:
    """Where a new town fits; returns the report as JSON."""

def read_vrplib(text: Optional[str] = None, path: Optional[_Path] = None) -> str:
    """Read a VRPLIB instance; returns the problem JSON."""

def read_solomon(text: Optional[str] = None, path: Optional[_Path] = None) -> str:
    """Read a Solomon VRPTW instance; returns the problem JSON."""

def load_problem(text: Optional[str] = None, path: Optional[_Path] = None) -> LoadedProblem:
    """Read a problem and build its oracle once."""

def improve_region(
    task: str,
    *,
    loaded: Optional[LoadedProblem] = None,
    text: Optional[str] = None,
    path: Optional[_Path] = None,
) -> str:
    """Run one region task (JSON); returns the result JSON."""

def problem_json(text: Optional[str] = None, path: Optional[_Path] = None) -> str:
    """The problem as one self-contained JSON problem text."""

def generate_national(
    towns: int,
    provinces: int,
    depots: Optional[int] = None,
    seed: int = 1,
    capacity: Optional[int] = None,
) -> str:
    """A generated national instance as JSON problem text."""
