"""backroads.eta: plan mode on the solver's own answer and on hand edits."""

import json

import pytest

import backroads


@pytest.fixture
def solved(small_path):
    return backroads.solve(small_path, seed=3, iterations=500, threads=1)


def test_own_answer_gets_the_same_times(small_path, solved, tmp_path):
    report = backroads.eta(small_path, solved)
    assert report["feasible"], report["violations"]
    assert report["routes"] == solved["routes"]
    assert sorted(report["not_in_plan"]) == sorted(u["town"] for u in solved["unassigned"])
    # As JSON text and as a file too.
    assert backroads.eta(small_path, json.dumps(solved)) == report
    path = tmp_path / "routes.json"
    path.write_text(json.dumps(solved))
    assert backroads.eta(str(small_path), path) == report


def test_sequences_overloading_a_van_name_capacity(small_path, solved):
    # Every served town on one north van: 66 units on a van of 40.
    towns = [s["town"] for r in solved["routes"] for s in r["stops"]]
    assert sum(r["load"] for r in solved["routes"]) > 40
    report = backroads.eta(small_path, {"routes": [{"vehicle_type": "van-north", "stops": towns}]})
    assert not report["feasible"]
    assert any("capacity" in v for v in report["violations"]), report["violations"]
    # Timed all the same, every stop in the order given.
    assert [s["town"] for s in report["routes"][0]["stops"]] == towns
    starts = [s["start_s"] for s in report["routes"][0]["stops"]]
    assert starts == sorted(starts)


def test_unknown_town_is_a_mismatch(small_path):
    with pytest.raises(backroads.SolutionMismatchError, match="atlantis"):
        backroads.eta(small_path, {"routes": [{"vehicle_type": "van-north", "stops": ["atlantis"]}]})


def test_fit_lists_places_and_says_why_not(small_path, solved):
    town = {"id": "new-shop", "location": {"lon": 11.55, "lat": 49.98}, "demand": 5, "service_time_s": 300}
    report = backroads.fit(small_path, solved, town, top=3)
    assert report["fits"] and report["town"] == "new-shop"
    assert 1 <= len(report["options"]) <= 3
    costs = [o["added_cost"] for o in report["options"]]
    assert costs == sorted(costs)
    best = report["options"][0]
    assert best["schedule"]["stops"][best["position"]]["town"] == "new-shop"
    # Too big for every van: the reason says so.
    big = backroads.fit(small_path, solved, dict(town, demand=500))
    assert not big["fits"] and big["options"] == []
    assert big["reason"]["kind"] == "demand_exceeds_capacity"
    with pytest.raises(backroads.InvalidProblemError, match="already has"):
        backroads.fit(small_path, solved, dict(town, id="theta"))


def test_warm_start_from_a_previous_plan(small_path, solved):
    again = backroads.solve(small_path, seed=3, iterations=100, threads=1, initial=solved)
    assert backroads.check(small_path, again)["feasible"]
    assert again["totals"]["towns_served"] >= solved["totals"]["towns_served"]
    # Towns the problem no longer has are left out, not refused.
    edited = json.loads(json.dumps(solved))
    edited["routes"][0]["stops"].append({"town": "atlantis"})
    assert backroads.solve(small_path, iterations=0, threads=1, initial=edited)["totals"]["towns_served"] >= 1


def test_change_penalty_keeps_every_town_on_its_vehicle(small_path, solved):
    again = backroads.solve(small_path, seed=1, iterations=300, threads=1, initial=solved, change_penalty=1e6)
    where = lambda s: {x["town"]: (r["vehicle_type"], r["vehicle"]) for r in s["routes"] for x in r["stops"]}
    before, after = where(solved), where(again)
    assert all(after.get(t) == v for t, v in before.items())
    with pytest.raises(backroads.InvalidConfigError, match="change_penalty"):
        backroads.solve(small_path, iterations=0, initial=solved, change_penalty=-1)
    # As the CLI and the service: a change penalty needs a previous plan.
    with pytest.raises(backroads.InvalidConfigError, match="previous plan"):
        backroads.solve(small_path, iterations=0, change_penalty=10)


def test_replan_from_the_state_of_the_day(repo):
    data = repo / "examples" / "data"
    problem = json.loads((data / "anhui_replan_11h.json").read_text())
    morning = json.loads((data / "anhui_morning.json").read_text())
    plan = backroads.solve(problem, seed=1, iterations=300, threads=1, initial=morning, change_penalty=1000)
    report = plan["day"]
    done = {t for v in problem["state"]["vehicles"] for t in v.get("done", [])}
    served = {s["town"] for r in plan["routes"] for s in r["stops"]}
    assert not done & served
    down = [v["id"] for v in report["vehicles"] if v["status"] == "down"]
    told_down = [
        f'{v["vehicle_type"]}#{v["vehicle"]}' for v in problem["state"]["vehicles"] if v.get("unavailable_from") == "11:00"
    ]
    assert told_down and down == told_down
    assert all(r["vehicle_type"] not in down for r in plan["routes"])
    # Each working vehicle's route starts where its fixed stops leave it.
    free_at = {v["id"]: v["free_at"] for v in report["vehicles"] if v["status"] == "working"}
    for r in plan["routes"]:
        if r["vehicle_type"] in free_at:
            assert r["depot"] == free_at[r["vehicle_type"]]
    # The re-plan checks against the same problem, settled the same way.
    assert backroads.check(problem, plan)["feasible"]


def test_fixed_stops_that_break_a_rule_are_refused(small_path):
    problem = json.loads(small_path.read_text())
    town = problem["towns"][0]
    town["windows"] = [["00:00", "00:01"]]
    van = problem["fleet"][0]
    problem["state"] = {
        "now": "10:00",
        "vehicles": [{"vehicle_type": van["id"], "vehicle": 0, "fixed": [town["id"]]}],
    }
    with pytest.raises(backroads.InvalidProblemError, match="fixed stops of vehicle"):
        backroads.solve(problem, iterations=10, threads=1)
