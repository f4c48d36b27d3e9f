"""Writes anhui_replan_11h.json: anhui_all_rules.json at 11:00, from the morning plan
anhui_morning.json (`backroads solve examples/data/anhui_all_rules.json --threads 2 --out
examples/data/anhui_morning.json`): the state of every vehicle that has left, five new orders, one
cancellation and one van down. Run from the repository root:

    python3 examples/data/make_replan_11h.py

Deterministic (no randomness): the choices below are rules over the plan and the towns file.
"""

import csv
import json
import math
from pathlib import Path

HERE = Path(__file__).parent
NOW = 11 * 3600


def clock(s):
    return f"{s // 3600:02d}:{s // 60 % 60:02d}"


def main():
    problem = json.loads((HERE / "anhui_all_rules.json").read_text())
    plan = json.loads((HERE / "anhui_morning.json").read_text())
    towns = {t["id"]: t for t in problem["towns"]}

    vehicles = []
    for route in plan["routes"]:
        if route["start_s"] > NOW:
            continue  # still at its depot: the re-plan may use it from 11:00
        stops = route["stops"]
        reloads = {r["before_stop"]: r for r in route.get("reloads", [])}
        done, collected, reloads_done = [], 0, 0
        state = {"vehicle_type": route["vehicle_type"], "vehicle": route["vehicle"], "started": clock(route["start_s"])}
        previous = route["depot"]
        position = None
        for i, stop in enumerate(stops):
            reload = reloads.get(i)
            if reload is not None and reload["arrival_s"] <= NOW:
                previous, collected = reload["depot"], 0
                if reload["departure_s"] <= NOW:
                    reloads_done += 1
                else:
                    position = {"at": reload["depot"]}
                    break
            if stop["departure_s"] <= NOW or stop["arrival_s"] <= NOW:
                # Served, or being served: done.
                done.append(stop["town"])
                collected += towns[stop["town"]].get("pickup", 0)
                previous = stop["town"]
                continue
            leg_start = reload["departure_s"] if reload is not None and reload["arrival_s"] <= NOW else (
                stops[i - 1]["departure_s"] if i > 0 else route["start_s"])
            progress = max(0.0, min(1.0, (NOW - leg_start) / max(1, stop["arrival_s"] - leg_start)))
            position = {"between": [previous, stop["town"]], "progress": round(progress, 2)}
            # The driver was told the stop after the next one too.
            nxt = stops[i + 1]["town"] if i + 1 < len(stops) and (i + 1) not in reloads else None
            if nxt is not None:
                state["fixed"] = [nxt]
            break
        if position is None:
            position = {"at": previous} if previous != route["depot"] or done else None
        if position is not None:
            state["position"] = position
        if done:
            state["done"] = done
        if collected:
            state["collected"] = collected
        if reloads_done:
            state["reloads_done"] = reloads_done
        vehicles.append((route, state))

    # One van down: the van on the road with the most stops still to make.
    def left(rs):
        route, state = rs
        return len(route["stops"]) - len(state.get("done", []))

    down_route, down = max((rs for rs in vehicles if rs[0]["vehicle_type"].startswith("van")), key=left)
    down["unavailable_from"] = clock(NOW)
    down.pop("fixed", None)

    # One cancellation: the first town (by id) that no vehicle has done or was told, among those the
    # morning plan serves.
    told = set()
    for _, s in vehicles:
        told.update(s.get("done", []))
        told.update(s.get("fixed", []))
        if "between" in s.get("position", {}):
            told.add(s["position"]["between"][1])
        if "at" in s.get("position", {}):
            told.add(s["position"]["at"])
    served = sorted(stop["town"] for r in plan["routes"] for stop in r["stops"])
    cancelled = next(t for t in served if t not in told)
    problem["towns"] = [t for t in problem["towns"] if t["id"] != cancelled]

    # Five new orders: the five Jiangsu towns nearest the Hefei depot (real rows of the towns file).
    hefei = next(d for d in problem["depots"] if d["id"] == "dc-hefei")["location"]
    with open(HERE / "cn_jiangsu_anhui.csv", newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["admin1"].startswith("Jiangsu")]

    def km(r):
        dlat = math.radians(float(r["lat"]) - hefei["lat"])
        dlon = math.radians(float(r["lon"]) - hefei["lon"]) * math.cos(math.radians(hefei["lat"]))
        return 6371 * math.hypot(dlat, dlon)

    for r in sorted(rows, key=km)[:5]:
        problem["towns"].append({
            "id": r["id"], "name": r["name"],
            "location": {"lon": float(r["lon"]), "lat": float(r["lat"])},
            "demand": 6, "service_time_s": 600, "windows": [["12:00", "18:00"]],
        })

    problem["name"] = "anhui-all-rules at 11:00"
    problem["state"] = {"now": clock(NOW), "vehicles": [s for _, s in vehicles]}
    (HERE / "anhui_replan_11h.json").write_text(json.dumps(problem, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(vehicles)} vehicles on the road, {down['vehicle_type']}#{down['vehicle']} down, "
          f"cancelled {cancelled}, 5 new orders")


if __name__ == "__main__":
    main()
