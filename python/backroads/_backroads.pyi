"""Type stubs of the native module ``backroads._backroads`` (JSON text in, JSON text out)."""

import os
from typing import Any, Callable, Dict, Optional, Union

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
) -> str:
    """Solve a problem given as JSON text or a file path; returns the solution JSON."""

def check(
    problem_text: Optional[str] = None,
    problem_path: Optional[_Path] = None,
    solution_text: Optional[str] = None,
    solution_path: Optional[_Path] = None,
) -> str:
    """Validate a solution; returns the report as JSON."""

def read_vrplib(text: Optional[str] = None, path: Optional[_Path] = None) -> str:
    """Read a VRPLIB instance; returns the problem JSON."""

def read_solomon(text: Optional[str] = None, path: Optional[_Path] = None) -> str:
    """Read a Solomon VRPTW instance; returns the problem JSON."""
