#!/usr/bin/env python3
"""Limited fleets side by side: backroads and PyVRP 0.14.1 on the same real-town problems.

  python3 benches/limited_fleet/side_by_side.py [--budgets 10 30] [--pyvrp-python PY]

Builds five problems from real towns (GeoNames rows of ../shared/data/towns/, or of the bundled
examples/data/cn_jiangsu_anhui.csv when that folder is absent): three depots picked at random, trucks
(90 units, 55 km/h, 11 h) and vans (35 units, 75 km/h, 10 h) with counts and money costs at each,
demands 3-12, 10 min service, opening hours (lunch closures on some), depots open 06:00-20:00. The
counts are short: neither solver can serve every town. The fifth is the first with one depot and
one van type (no money costs), the case a plain path would plan unlimited and then cut; the sixth
has vans on staggered shifts (06:00-14:00 and 12:00-20:00) and trucks with paid overtime, which
the copy of json_pyvrp.py gives PyVRP as tw_early/tw_late, max_overtime and unit_overtime_cost. Each
problem is solved by

* backroads: `backroads solve P --time-limit B --threads 2 --seed 1 --out OUT`, then `check`;
* PyVRP 0.14.1 (one thread, seed 1, same budget), through ../shared/tools/json_pyvrp.py run by
  PY (a venv with `pip install pyvrp==0.14.1`; a measuring tool, not a dependency of the crate).
  json_pyvrp.py gives PyVRP every required town as an optional client with backroads' pool penalty
  as its prize; this harness runs a copy in target/ whose penalty is backroads' present one (the
  same for every town, U, times 1 + priority), so both solvers weigh a town left out alike. Its
  `--checkable` plan is judged by `backroads check` too: route violations are counted (the reasons
  it states for towns PyVRP left out are placeholders and are not counted).

Prints one row per problem and budget: towns served and cost (money, or distance without money
costs) of each, and each plan's route
violations by `check`. Without json_pyvrp.py or PyVRP only backroads' columns are filled.
"""

import argparse
import csv
import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
OUT = ROOT / "target" / "limited_fleet"

# (name, towns file, admin1 prefix, seed, vehicles of each type per depot, lunch closures,
#  fleet: "mixed" trucks and vans at three depots, "one_type" one van type at one depot,
#  "shifts" trucks with overtime and vans on early and late shifts at three depots)
PROBLEMS = [
    ("jiangsu", "cn_jiangsu_anhui.csv", "Jiangsu", 1, 10, True, "mixed"),
    ("uttar_pradesh", "in_uttar_pradesh.csv", "", 2, 7, True, "mixed"),
    ("iowa", "us_iowa.csv", "", 3, 6, False, "mixed"),
    ("anhui", "cn_jiangsu_anhui.csv", "Anhui", 4, 5, True, "mixed"),
    ("jiangsu_one_type", "cn_jiangsu_anhui.csv", "Jiangsu", 1, 15, True, "one_type"),
    ("anhui_shifts", "cn_jiangsu_anhui.csv", "Anhui", 5, 4, True, "shifts"),
]


def towns_file(name):
    for folder in (SHARED / "data" / "towns", ROOT / "examples" / "data"):
        if (folder / name).exists():
            return folder / name
    return None


def make_problem(name, src, prefix, seed, per, lunch, kind):
    with open(src, encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["admin1"].startswith(prefix)]
    rows.sort(key=lambda r: int(r["id"]))
    rng = random.Random(seed)
    depots = rng.sample(rows, 3)
    towns = []
    for r in rows:
        if r in depots:
            continue
        t = {"id": r["id"], "location": {"lon": float(r["lon"]), "lat": float(r["lat"])},
             "demand": rng.randint(3, 12), "service_time_s": 600}
        if lunch and rng.random() < 1 / 3:
            t["windows"] = [["08:00", "12:00"], ["14:00", "18:00"]]
        elif rng.random() < 0.3:
            a = rng.choice([7, 8, 9, 10])
            t["windows"] = [[f"{a:02d}:00", f"{a + 6:02d}:00"]]
        towns.append(t)
    fleet = []
    for d in depots:
        fleet.append({"id": f"truck-{d['id']}", "depot": d["id"], "count": per, "capacity": 90,
                      "speed_kmh": 55, "max_duration_s": 39600, "fixed_cost": 150,
                      "cost_per_km": 1.2, "cost_per_hour": 20})
        fleet.append({"id": f"van-{d['id']}", "depot": d["id"], "count": per, "capacity": 35,
                      "speed_kmh": 75, "max_duration_s": 36000, "fixed_cost": 60,
                      "cost_per_km": 0.6, "cost_per_hour": 18})
    if kind == "shifts":
        # Staggered shifts: vans 06:00-14:00 and 12:00-20:00 (7 h each), trucks 11 h plus up
        # to 1 h of overtime at 30 an hour.
        fleet = []
        for d in depots:
            fleet.append({"id": f"truck-{d['id']}", "depot": d["id"], "count": per, "capacity": 90,
                          "speed_kmh": 55, "max_duration_s": 39600, "max_overtime_s": 3600,
                          "cost_per_overtime_hour": 30, "fixed_cost": 150, "cost_per_km": 1.2,
                          "cost_per_hour": 20})
            for shift in (["06:00", "14:00"], ["12:00", "20:00"]):
                fleet.append({"id": f"van-{shift[0][:2]}-{d['id']}", "depot": d["id"], "count": per,
                              "capacity": 35, "speed_kmh": 75, "shift": shift, "max_duration_s": 25200,
                              "fixed_cost": 60, "cost_per_km": 0.6, "cost_per_hour": 18})
    if kind == "one_type":
        # One depot, one van type, no money: the plain path's counts.
        depots = depots[:1]
        fleet = [{"id": "van", "depot": depots[0]["id"], "count": per, "capacity": 60,
                  "speed_kmh": 70, "max_duration_s": 36000}]
    return {"name": name, "travel": {"kind": "haversine", "circuity": 1.3},
            "depots": [{"id": d["id"], "location": {"lon": float(d["lon"]), "lat": float(d["lat"])},
                        "hours": ["06:00", "20:00"]} for d in depots],
            "towns": towns, "fleet": fleet}


def pyvrp_tool():
    """json_pyvrp.py with backroads' present pool penalty, written to target/, or None."""
    src = SHARED / "tools" / "json_pyvrp.py"
    if not src.exists():
        return None
    text = src.read_text(encoding="utf-8")
    old = "self.town_penalty = [self.unit_penalty * (1 + min(q, most)) for q in self.demand]"
    if old not in text:
        sys.exit(f"{src}: its pool penalty line changed; update this harness")
    text = text.replace(old, "self.town_penalty = [self.unit_penalty * (1 + p) for p in self.priority]")
    # backroads' vehicle rules PyVRP 0.14 has too: a type's working hours (within its depot's),
    # overtime beyond the shift at a cost, another end depot.
    anchor = '                kwargs["shift_duration"] = nint(float(v["max_duration_s"]))\n'
    if anchor not in text:
        sys.exit(f"{src}: its shift_duration line changed; update this harness")
    text = text.replace(anchor, anchor + (
        '            if v.get("shift"):\n'
        '                kwargs["tw_early"] = max(o, seconds(v["shift"][0]))\n'
        '                kwargs["tw_late"] = min(c, seconds(v["shift"][1]))\n'
        '            if float(v.get("max_overtime_s", 0)) > 0:\n'
        '                kwargs["max_overtime"] = nint(float(v["max_overtime_s"]))\n'
        '                kwargs["unit_overtime_cost"] = nint(float(v.get("cost_per_overtime_hour", 0))'
        ' * self.scale / 3600.0)\n'
        '            if v.get("end_depot"):\n'
        '                kwargs["end_depot"] = depot_ix[v["end_depot"]]\n'))
    # Priorities as backroads reads them (absent = 0).
    anchor = "self.demand = "
    i = text.index(anchor)
    line_end = text.index("\n", i)
    indent = text[text.rindex("\n", 0, i) + 1:i]
    text = (text[:line_end + 1] + f"{indent}self.priority = [int(t.get('priority', 0)) for t in towns]\n"
            + text[line_end + 1:])
    out = OUT / "json_pyvrp_priority.py"
    out.write_text(text, encoding="utf-8")
    return out


def objective(totals):
    """backroads' cost without prizes: money, or distance when no type costs money (as
    json_pyvrp.py's `cost=`)."""
    return totals["cost"] if totals["cost"] > 0 else float(totals["distance"])


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


def route_violations(check_out):
    lines = [l for l in check_out.splitlines() if l.startswith("violation:")]
    return sum(1 for l in lines if "stated reason" not in l)


def same_towns(a, problem, checkable, name, budget):
    """backroads on exactly the towns PyVRP's plan serves, each required: served / cost."""
    plan = json.loads(checkable.read_text(encoding="utf-8"))
    served = {stop["town"] for route in plan["routes"] for stop in route["stops"]}
    subset = dict(problem, towns=[t for t in problem["towns"] if t["id"] in served])
    path = OUT / f"{name}-{budget}s.pyvrp-towns.json"
    path.write_text(json.dumps(subset), encoding="utf-8")
    out = OUT / f"{name}-{budget}s.pyvrp-towns.backroads.json"
    run([a.backroads, "solve", str(path), "--time-limit", budget, "--threads", "2", "--seed", "1",
         "--out", str(out), "--quiet"])
    sol = json.loads(out.read_text(encoding="utf-8"))
    ok = run([a.backroads, "check", str(path), str(out)]).returncode == 0
    return f"{sol['totals']['towns_served']} / {objective(sol['totals']):,.2f}" + ("" if ok else " INFEASIBLE")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--budgets", type=float, nargs="+", default=[10, 30])
    ap.add_argument("--pyvrp-python", default=os.environ.get("PYVRP_PYTHON", "python3"))
    ap.add_argument("--backroads", default=str(ROOT / "target" / "release" / "backroads"))
    ap.add_argument("--problems", nargs="*", help="only these problems (by name)")
    ap.add_argument("--same-towns", action="store_true",
                    help="also solve each problem with backroads on exactly the towns PyVRP served "
                         "(all required): the cost of the same service, apart from how many are served")
    a = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    tool = pyvrp_tool()
    if tool is None:
        print(f"note: {SHARED / 'tools' / 'json_pyvrp.py'} is absent: backroads only", file=sys.stderr)
    elif run([a.pyvrp_python, "-c", "import pyvrp"]).returncode != 0:
        print(f"note: {a.pyvrp_python} has no pyvrp (pip install pyvrp==0.14.1): backroads only",
              file=sys.stderr)
        tool = None
    same = a.same_towns and tool is not None
    print("| problem | towns | vehicles | budget | backroads served | backroads cost | check | "
          "PyVRP served | PyVRP cost | check (route violations) |"
          + (" backroads on PyVRP's towns: served / cost |" if same else ""))
    print("|---|---:|---:|---:|---:|---:|---|---:|---:|---|" + ("---:|" if same else ""))
    for name, file, prefix, seed, per, lunch, kind in PROBLEMS:
        if a.problems and name not in a.problems:
            continue
        src = towns_file(file)
        if src is None:
            print(f"note: {file} not found: {name} skipped", file=sys.stderr)
            continue
        problem = make_problem(name, src, prefix, seed, per, lunch, kind)
        path = OUT / f"{name}.json"
        path.write_text(json.dumps(problem), encoding="utf-8")
        for budget in a.budgets:
            b = f"{budget:g}"
            ours = OUT / f"{name}-{b}s.backroads.json"
            run([a.backroads, "solve", str(path), "--time-limit", b, "--threads", "2", "--seed", "1",
                 "--out", str(ours), "--quiet"])
            sol = json.loads(ours.read_text(encoding="utf-8"))
            checked = run([a.backroads, "check", str(path), str(ours)])
            ok = "feasible" if checked.returncode == 0 else "INFEASIBLE"
            row = [name, str(len(problem["towns"])), str(sum(v["count"] for v in problem["fleet"])), f"{b} s",
                   str(sol["totals"]["towns_served"]), f"{objective(sol['totals']):,.2f}", ok]
            if tool is not None:
                theirs = OUT / f"{name}-{b}s.pyvrp.json"
                checkable = OUT / f"{name}-{b}s.pyvrp-checkable.json"
                r = run([a.pyvrp_python, str(tool), "solve", str(path), "--budget", b, "--seed", "1",
                         "--out", str(theirs), "--checkable", str(checkable)])
                m = re.search(r"pyvrp cost=([0-9.]+)", r.stdout)
                left = re.search(r"unassigned=(\d+)", r.stdout)
                if m and left and checkable.exists():
                    c = run([a.backroads, "check", str(path), str(checkable)])
                    row += [str(len(problem["towns"]) - int(left.group(1))), f"{float(m.group(1)):,.2f}",
                            str(route_violations(c.stdout))]
                    if same:
                        row.append(same_towns(a, problem, checkable, name, b))
                else:
                    tail = (r.stdout + r.stderr).strip().splitlines()
                    row += ["failed", "", tail[-1] if tail else f"exit {r.returncode}"]
            else:
                row += ["", "", ""]
            print("| " + " | ".join(row) + " |", flush=True)


if __name__ == "__main__":
    main()
