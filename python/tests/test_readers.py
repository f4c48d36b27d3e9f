"""VRPLIB and Solomon readers return the JSON problem model."""

import pytest

import backroads


def test_read_vrplib_path_and_text(repo):
    path = repo / "tests" / "data" / "cvrplib" / "X" / "X-n101-k25.vrp"
    problem = backroads.read_vrplib(path)
    assert problem == backroads.read_vrplib(str(path))
    assert problem == backroads.read_vrplib(path.read_text())
    assert problem["name"] == "X-n101-k25"
    assert len(problem["towns"]) == 100
    assert len(problem["depots"]) == 1
    assert problem["fleet"][0]["capacity"] == 206
    # The dict solves and checks like the file.
    solution = backroads.solve(problem, seed=1, iterations=200, threads=1)
    assert solution["totals"]["towns_served"] == 100
    assert backroads.check(problem, solution)["feasible"]


def test_read_solomon_path_and_text(repo):
    path = repo / "tests" / "data" / "solomon" / "solomon100" / "C101.txt"
    problem = backroads.read_solomon(path)
    assert problem == backroads.read_solomon(path.read_text())
    assert problem["name"] == "C101"
    assert len(problem["towns"]) == 100
    assert problem["fleet"][0]["count"] == 25
    assert problem["fleet"][0]["capacity"] == 200
    assert problem["towns"][0]["windows"]
    # solve reads the .txt by its content, as the CLI does.
    solution = backroads.solve(path, seed=1, iterations=200, threads=1)
    assert solution["totals"]["towns_served"] == 100


def test_reader_errors():
    with pytest.raises(backroads.ParseError):
        backroads.read_vrplib("NAME : x\nDIMENSION : banana\n")
    with pytest.raises(backroads.ParseError):
        backroads.read_solomon("C101\n\nVEHICLE\nNUMBER CAPACITY\n")
    with pytest.raises(TypeError):
        backroads.read_vrplib(3)


def test_solve_takes_instance_text(repo):
    vrp = repo / "tests" / "data" / "cvrplib" / "X" / "X-n101-k25.vrp"
    txt = repo / "tests" / "data" / "solomon" / "solomon100" / "C101.txt"
    settings = dict(seed=1, iterations=100, threads=1)
    assert backroads.solve(vrp.read_text(), **settings) == backroads.solve(vrp, **settings)
    by_text = backroads.solve(txt.read_text(), **settings)
    assert by_text["totals"] == backroads.solve(txt, **settings)["totals"]
