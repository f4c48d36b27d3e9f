"""Typed exceptions carrying the library's messages."""

import pytest

import backroads


def test_exception_hierarchy():
    for cls in (
        backroads.ParseError,
        backroads.InvalidProblemError,
        backroads.InvalidConfigError,
        backroads.SolutionMismatchError,
        backroads.IoError,
    ):
        assert issubclass(cls, backroads.BackroadsError)
        assert cls.__module__ == "backroads"
    assert issubclass(backroads.FileRefusedError, backroads.IoError)
    assert issubclass(backroads.BackroadsError, Exception)


def test_malformed_json_text():
    with pytest.raises(backroads.ParseError, match="line 1"):
        backroads.solve('{"depots": [', iterations=10)


def test_malformed_json_file(repo):
    with pytest.raises(backroads.ParseError, match="malformed.json"):
        backroads.solve(repo / "tests" / "data" / "bad" / "malformed.json", iterations=10)


def test_schema_error_names_the_field():
    with pytest.raises(backroads.ParseError, match="demnd"):
        backroads.solve(
            {
                "depots": [{"id": "D", "location": {"x": 0, "y": 0}}],
                "towns": [{"id": "A", "location": {"x": 1, "y": 0}, "demnd": 1}],
                "fleet": [{"id": "van", "depot": "D", "capacity": 10}],
            },
            iterations=10,
        )


def test_unknown_depot_id(repo):
    with pytest.raises(backroads.InvalidProblemError, match="unknown depot id 'Nowhere'"):
        backroads.solve(repo / "tests" / "data" / "bad" / "unknown_depot.json", iterations=10)


def test_invalid_values():
    with pytest.raises(backroads.InvalidProblemError, match="demand"):
        backroads.solve(
            {
                "depots": [{"id": "D", "location": {"x": 0, "y": 0}}],
                "towns": [{"id": "A", "location": {"x": 1, "y": 0}, "demand": -1}],
                "fleet": [{"id": "van", "depot": "D", "capacity": 10}],
            },
            iterations=10,
        )


def test_missing_file(tmp_path):
    missing = tmp_path / "nowhere.json"
    with pytest.raises(backroads.IoError, match="nowhere.json"):
        backroads.solve(missing)
    with pytest.raises(backroads.IoError):
        backroads.read_vrplib(tmp_path / "nowhere.vrp")
    with pytest.raises(backroads.IoError):
        backroads.check(missing, {"routes": []})


def test_directory_is_refused(tmp_path):
    with pytest.raises(backroads.FileRefusedError, match="not a regular file"):
        backroads.solve(tmp_path)


@pytest.mark.parametrize(
    "settings, message",
    [
        (dict(threads=0), "threads"),
        (dict(threads=-1), "threads"),
        (dict(objective="fastest"), "objective"),
        (dict(time_limit=-1.0), "time_limit"),
        (dict(time_limit=float("nan")), "time_limit"),
        (dict(time_limit="soon"), "time_limit"),
        (dict(iterations=-5), "iterations"),
        (dict(iterations=1.5), "iterations"),
        (dict(seed=True), "seed"),
    ],
)
def test_invalid_settings(small_path, settings, message):
    with pytest.raises(backroads.InvalidConfigError, match=message):
        backroads.solve(small_path, **settings)


def test_wrong_problem_type():
    with pytest.raises(TypeError, match="problem"):
        backroads.solve(42)


def test_dict_problem_reads_no_referenced_files():
    problem = {
        "towns_csv": {"path": "towns.csv"},
        "depots": [{"id": "D", "location": {"x": 0, "y": 0}}],
        "fleet": [{"id": "van", "depot": "D", "capacity": 10}],
    }
    with pytest.raises(backroads.FileRefusedError, match="without a folder"):
        backroads.solve(problem, iterations=10)
