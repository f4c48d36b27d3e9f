"""backroads.check on good and tampered solutions."""

import copy
import json

import pytest

import backroads


@pytest.fixture
def solved(small_path):
    return backroads.solve(small_path, seed=3, iterations=500, threads=1)


def test_good_solution_is_feasible(small_path, solved, tmp_path):
    report = backroads.check(small_path, solved)
    assert report == {
        "feasible": True,
        "cost": solved["totals"]["distance"],
        "instance_cost": float(solved["totals"]["distance"]),
        "routes": len(solved["routes"]),
        "violations": [],
    }
    # As JSON text and as a file too.
    assert backroads.check(small_path, json.dumps(solved)) == report
    path = tmp_path / "solution.json"
    path.write_text(json.dumps(solved))
    assert backroads.check(str(small_path), str(path)) == report


def test_removed_stop_is_a_violation(small_path, solved):
    tampered = copy.deepcopy(solved)
    route = next(r for r in tampered["routes"] if len(r["stops"]) >= 2)
    removed = route["stops"].pop(0)
    report = backroads.check(small_path, tampered)
    assert not report["feasible"]
    assert report["violations"]
    text = " ".join(report["violations"])
    assert removed["town"] in text


def test_stated_figure_is_recomputed(small_path, solved):
    tampered = copy.deepcopy(solved)
    tampered["totals"]["distance"] -= 1
    report = backroads.check(small_path, tampered)
    assert not report["feasible"]
    assert report["cost"] == solved["totals"]["distance"]


def test_unknown_town_is_a_mismatch_or_violation(small_path, solved):
    tampered = copy.deepcopy(solved)
    tampered["routes"][0]["stops"][0]["town"] = "atlantis"
    try:
        report = backroads.check(small_path, tampered)
    except backroads.SolutionMismatchError as e:
        assert "atlantis" in str(e)
    else:
        assert not report["feasible"]
        assert "atlantis" in " ".join(report["violations"])


def test_sol_file_and_its_cost_line(repo, tmp_path):
    vrp = repo / "tests" / "data" / "cvrplib" / "X" / "X-n101-k25.vrp"
    sol = repo / "tests" / "data" / "cvrplib" / "X" / "X-n101-k25.sol"
    report = backroads.check(vrp, sol)
    assert report["feasible"], report["violations"]
    wrong = tmp_path / "wrong.sol"
    lines = [l for l in sol.read_text().splitlines() if not l.startswith("Cost")]
    wrong.write_text("\n".join(lines + ["Cost 1"]) + "\n")
    report = backroads.check(vrp, wrong)
    assert not report["feasible"]
    assert any("stated cost" in v for v in report["violations"])


def test_multi_day_plan_for_single_day_problem(small_path):
    with pytest.raises(backroads.SolutionMismatchError, match="multi-day"):
        backroads.check(small_path, {"days": [], "patterns": []})
