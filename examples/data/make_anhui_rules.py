#!/usr/bin/env python3
"""Writes anhui_all_rules.json (one day) and anhui_week.json (five days).

The towns are the Anhui rows of cn_jiangsu_anhui.csv (GeoNames, CC BY 4.0);
the depots sit at the Hefei, Anqing and Fuyang rows of jiangsu_anhui.json.
Everything else (fleet, demands, pickups, hours, releases, prizes, drops) is
synthetic, drawn with random.Random(2026) in id order, so the files are
reproducible: `python3 examples/data/make_anhui_rules.py`.
"""

import csv
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEPOTS = [
    ("dc-hefei", "Hefei", 117.28083, 31.86389),
    ("dc-anqing", "Anqing", 117.04723, 30.51365),
    ("dc-fuyang", "Fuyang", 115.81667, 32.9),
]
# EU driving rule: 45 min after 4 h 30 of driving.
EU_BREAK = {"after_driving_s": 16200, "length_s": 2700}
LUNCH = [["08:00", "12:00"], ["14:00", "18:00"]]


def towns():
    with open(HERE / "cn_jiangsu_anhui.csv", newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["admin1"].startswith("Anhui")]
    rows.sort(key=lambda r: int(r["id"]))
    return rows


def fleet():
    types = []
    for depot, name, _, _ in DEPOTS:
        city = depot.removeprefix("dc-")
        types.append({
            "id": f"truck-{city}", "depot": depot, "count": 8, "capacity": 90,
            "speed_kmh": 55, "max_duration_s": 39600,
            "fixed_cost": 150, "cost_per_km": 1.2, "cost_per_hour": 20,
            "breaks": [EU_BREAK],
        })
        van = {
            "id": f"van-{city}", "depot": depot, "count": 8, "capacity": 35,
            "speed_kmh": 75, "max_duration_s": 36000,
            "fixed_cost": 60, "cost_per_km": 0.6, "cost_per_hour": 18,
            "breaks": [EU_BREAK],
        }
        van.update({"reload_depots": [depot], "reload_time_s": 1200, "max_reloads": 2})
        types.append(van)
    return types


def problem(week):
    rng = random.Random(2026)
    out = []
    for i, r in enumerate(towns()):
        t = {
            "id": r["id"], "name": r["name"],
            "location": {"lon": float(r["lon"]), "lat": float(r["lat"])},
            "demand": rng.randint(3, 12), "service_time_s": 600,
        }
        lunch, farm = rng.random() < 1 / 3, rng.random() < 1 / 4
        released, hamlet = rng.random() < 1 / 5, rng.random() < 1 / 7
        if lunch:
            t["windows"] = LUNCH
        if farm:
            t["pickup"] = rng.randint(2, 6)
        if released:
            t["release"] = "10:00"
        if week:
            # Bigger places twice a week, at least a day apart.
            if t["demand"] >= 10:
                t["patterns"] = [[1, 3], [1, 4], [2, 4], [2, 5], [3, 5]]
            else:
                t["days"] = sorted(rng.sample(range(1, 6), 3))
        if hamlet:
            # Optional hamlets, worth 60 a drop.
            t["demand"] = rng.randint(1, 3)
            t["prize"] = 60
        out.append(t)
    p = {
        "name": "anhui-week" if week else "anhui-all-rules",
        "travel": {"kind": "haversine", "circuity": 1.3},
        "depots": [
            {"id": d, "name": n, "location": {"lon": lon, "lat": lat}, "hours": ["06:00", "20:00"]}
            for d, n, lon, lat in DEPOTS
        ],
        "towns": out,
        "fleet": fleet(),
    }
    if week:
        p = {"horizon_days": 5, **p}
    return p


for week, name in [(False, "anhui_all_rules.json"), (True, "anhui_week.json")]:
    with open(HERE / name, "w", encoding="utf-8") as f:
        json.dump(problem(week), f, ensure_ascii=False, indent=1)
        f.write("\n")
