"""backroads.solve: inputs, settings, the CLI round trip, multi-day plans."""

import json
import os
import subprocess
from pathlib import Path

import pytest

import backroads

SETTINGS = dict(seed=3, iterations=500, threads=1)


def test_solve_path_dict_and_json_text_agree(small_path):
    by_path = backroads.solve(small_path, **SETTINGS)
    by_str_path = backroads.solve(str(small_path), **SETTINGS)
    problem = json.loads(small_path.read_text())
    by_dict = backroads.solve(problem, **SETTINGS)
    by_text = backroads.solve(small_path.read_text(), **SETTINGS)
    assert by_path == by_str_path == by_dict == by_text
    assert by_path["problem"] == "two-valleys"
    totals = by_path["totals"]
    assert totals["towns_served"] == 6
    assert totals["towns_unassigned"] == 1
    assert by_path["unassigned"][0]["town"] == "far-farm"
    assert sum(r["distance"] for r in by_path["routes"]) == totals["distance"]


def test_same_settings_same_routes(small_path):
    a = backroads.solve(small_path, **SETTINGS)
    b = backroads.solve(small_path, **SETTINGS)
    assert a == b


def test_round_trip_against_cli(cli, small_path, tmp_path):
    out = tmp_path / "cli.json"
    run = subprocess.run(
        [str(cli), "solve", str(small_path), "--seed", "3", "--iterations", "500",
         "--threads", "1", "--quiet", "--out", str(out)],
        capture_output=True, text=True,
    )
    # Exit 3: solved, but some towns are unassigned (far-farm is out of reach).
    assert run.returncode in (0, 3), run.stderr
    from_cli = json.loads(out.read_text())
    from_python = backroads.solve(small_path, **SETTINGS)
    assert from_python["routes"] == from_cli["routes"]
    assert from_python["totals"] == from_cli["totals"]
    assert from_python["unassigned"] == from_cli["unassigned"]
    assert from_python == from_cli
    # And the CLI's file checks as feasible from Python, as a path and as a dict.
    assert backroads.check(small_path, out)["feasible"]
    assert backroads.check(small_path, from_cli)["violations"] == []


def test_objective_vehicles(small_path):
    by_vehicles = backroads.solve(small_path, objective="vehicles", **SETTINGS)
    by_distance = backroads.solve(small_path, objective="distance", **SETTINGS)
    assert by_vehicles["totals"]["vehicles_used"] <= by_distance["totals"]["vehicles_used"]
    assert backroads.check(small_path, by_vehicles)["feasible"]


def numpy():
    """numpy, or a skip; run_tests.sh (CI) sets BACKROADS_REQUIRE_NUMPY=1 to make it a failure."""
    if os.environ.get("BACKROADS_REQUIRE_NUMPY") == "1":
        import numpy

        return numpy
    return pytest.importorskip("numpy")


def test_numpy_matrix_problem():
    np = numpy()
    points = np.array([[0, 0], [10, 0], [10, 5], [0, 12], [-7, -3], [3, 9]], dtype=float)
    distances = np.rint(np.linalg.norm(points[:, None, :] - points[None, :, :], axis=-1))
    durations = distances * 60.0
    problem = {
        "name": "numpy",
        "travel": {"kind": "matrix", "distances": distances, "durations": durations},
        "depots": [{"id": "d", "location": {"x": 0.0, "y": 0.0}}],
        "towns": [
            {"id": f"t{i}", "location": {"x": float(x), "y": float(y)}, "demand": np.int64(3)}
            for i, (x, y) in enumerate(points[1:], start=1)
        ],
        "fleet": [{"id": "van", "depot": "d", "count": 3, "capacity": 9}],
    }
    solution = backroads.solve(problem, **SETTINGS)
    assert solution["totals"]["towns_served"] == 5
    # Distances are the matrix's: recompute every route from it.
    index = {"d": 0, **{f"t{i}": i for i in range(1, 6)}}
    for route in solution["routes"]:
        stops = [0] + [index[s["town"]] for s in route["stops"]] + [0]
        assert route["distance"] == sum(int(distances[a, b]) for a, b in zip(stops, stops[1:]))
        assert route["load"] <= 9
    assert backroads.check(problem, solution)["feasible"]


def test_numpy_nan_is_an_unreachable_pair():
    np = numpy()
    distances = np.array([[0.0, 4.0, np.nan], [4.0, 0.0, np.nan], [np.nan, np.nan, 0.0]])
    problem = {
        "travel": {"kind": "matrix", "distances": distances},
        "depots": [{"id": "d", "location": {"x": 0, "y": 0}}],
        "towns": [
            {"id": "near", "location": {"x": 4, "y": 0}, "demand": 1},
            {"id": "island", "location": {"x": 9, "y": 9}, "demand": 1},
        ],
        "fleet": [{"id": "van", "depot": "d", "capacity": 5}],
    }
    solution = backroads.solve(problem, **SETTINGS)
    assert [u["town"] for u in solution["unassigned"]] == ["island"]
    assert solution["totals"]["distance"] == 8


def test_multi_day_plan(repo):
    week = repo / "examples" / "data" / "iowa_week.json"
    plan = backroads.solve(week, seed=1, iterations=200, threads=1)
    assert "days" in plan and "routes" not in plan
    assert len(plan["days"]) == json.loads(week.read_text())["horizon_days"]
    report = backroads.check(week, plan)
    assert report["feasible"], report["violations"]
    assert report["routes"] == plan["totals"]["routes"]
    assert report["cost"] == plan["totals"]["distance"]
    with pytest.raises(backroads.InvalidConfigError, match="multi-day"):
        backroads.solve(week, objective="vehicles", iterations=10)


def test_multi_day_progress_and_stop(repo):
    week = repo / "examples" / "data" / "iowa_week.json"
    calls = []

    def stop(p):
        calls.append(p)
        return False

    plan = backroads.solve(week, seed=1, time_limit=60, threads=1, on_progress=stop)
    assert calls
    assert backroads.check(week, plan)["feasible"]


def test_road_network_problem_reads_its_files_from_its_folder(repo):
    path = repo / "examples" / "data" / "north_bayreuth.json"
    solution = backroads.solve(path, seed=1, iterations=300, threads=2)
    assert solution["totals"]["towns_served"] > 0
    assert backroads.check(path, solution)["feasible"]
    # The same problem as a dict has no folder: its CSVs are refused.
    with pytest.raises(backroads.FileRefusedError, match="nodes.csv"):
        backroads.solve(json.loads(path.read_text()), iterations=10)


def test_vehicle_shift_stops_overtime_and_route_ends_pass_through(small_path):
    """Every vehicle rule of the JSON model reaches the planner from Python."""
    problem = json.loads(small_path.read_text())
    van = dict(problem["fleet"][0])
    problem["fleet"] = [
        dict(van, id="early", count=2, shift=["06:00", "14:00"], max_stops=2),
        dict(van, id="courier", count=2, open=True),
    ]
    plan = backroads.solve(problem, **SETTINGS)
    assert plan["totals"]["towns_served"] >= 1
    for route in plan["routes"]:
        if route["vehicle_type"] == "early":
            assert len(route["stops"]) <= 2
            assert 6 * 3600 <= route["start_s"] and route["end_s"] <= 14 * 3600
        else:
            assert route["open"] is True
            assert route["end_s"] == route["stops"][-1]["departure_s"]
    report = backroads.check(problem, plan)
    assert report["feasible"], report
    bad = dict(van, id="bad", shift=["10:00", "09:00"])  # ends before it starts
    with pytest.raises(backroads.InvalidProblemError, match="shift"):
        backroads.solve(dict(problem, fleet=[bad]), **SETTINGS)


def test_capacity_dimensions_pass_through(small_path):
    """capacity/demand as lists: every dimension kept, stated per route and checked."""
    problem = json.loads(small_path.read_text())
    for town in problem["towns"]:
        town["demand"] = [town.get("demand", 0), 2]
    for van in problem["fleet"]:
        van["capacity"] = [van["capacity"], 4]
    plan = backroads.solve(problem, **SETTINGS)
    assert plan["routes"]
    for route in plan["routes"]:
        assert route["loads"] == [route["load"], 2 * len(route["stops"])]
        assert route["loads"][1] <= 4
    assert backroads.check(problem, plan)["feasible"]
    with pytest.raises(backroads.InvalidProblemError, match="capacity"):
        problem["fleet"][0]["capacity"] = [40]
        backroads.solve(problem, **SETTINGS)
