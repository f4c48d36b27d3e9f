"""A national instance solved in process and on a Ray cluster, side by side.

    pip install "./python[ray]"     # from the repository root
    python python/examples/national_ray.py --towns 20000 --provinces 4 --depots 8 \\
        --time-limit 20 --decompose-above 1000

generates a national instance (``backroads.generate_national``), solves it
in this process (region tasks on the solver's threads) and with every
region task run as a Ray task (``backroads.ray_executor.RayExecutor``),
checks both solutions with ``backroads.check`` and prints a markdown table
of wall time, cost, routes and feasibility. Without ``--address`` Ray
starts a local cluster of ``--num-cpus`` CPUs; ``--address auto`` joins
the cluster this machine belongs to, ``--address ray://head:10001`` a
remote one through Ray Client (its workers need this package installed).

With ``--iterations N`` instead of a time limit both runs do the same
search steps and must give identical routes (the script says whether
they do); with a time limit each run gets the same wall time.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

import backroads


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--towns", type=int, default=20_000)
    parser.add_argument("--provinces", type=int, default=4)
    parser.add_argument("--depots", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1, help="generator and solver seed")
    budget = parser.add_mutually_exclusive_group()
    budget.add_argument("--time-limit", type=float, default=None, help="seconds per solve (default 20)")
    budget.add_argument("--iterations", type=int, default=None, help="search steps per solve (identical routes)")
    parser.add_argument("--threads", type=int, default=None, help="solver threads (default: one per core)")
    parser.add_argument("--region-towns", type=int, default=None, help="towns per region (default 2000)")
    parser.add_argument("--decompose-above", type=int, default=None,
                        help="decompose when a depot has more towns (default 8000)")
    parser.add_argument("--address", default=None,
                        help="ray.init(address=...): 'auto', 'ray://head:10001'; default a local cluster")
    parser.add_argument("--num-cpus", type=int, default=2, help="CPUs of the local cluster (without --address)")
    args = parser.parse_args(argv)
    if args.time_limit is None and args.iterations is None:
        args.time_limit = 20.0

    import ray
    from backroads.ray_executor import RayExecutor

    start = time.perf_counter()
    problem = backroads.generate_national(args.towns, args.provinces, depots=args.depots, seed=args.seed)
    print(f"generated {json.loads(problem)['name']} ({len(problem) / 1e6:.1f} MB of JSON) "
          f"in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    settings: Dict[str, Any] = dict(
        seed=args.seed,
        time_limit=args.time_limit,
        iterations=args.iterations,
        threads=args.threads,
        region_towns=args.region_towns,
        decompose_above=args.decompose_above,
    )

    rows: List[Tuple[str, float, Dict[str, Any], Dict[str, Any], str]] = []

    def run(name: str, executor: Optional[Callable[[List[str]], List[str]]], note: str) -> Dict[str, Any]:
        print(f"solving {name} ...", file=sys.stderr)
        t0 = time.perf_counter()
        solution = backroads.solve(problem, executor=executor, **settings)
        wall = time.perf_counter() - t0
        report = backroads.check(problem, solution)
        rows.append((name, wall, solution, report, note))
        return solution

    in_process = run("in process", None, f"{args.threads or 'all'} threads")

    t0 = time.perf_counter()
    if args.address:
        ray.init(address=args.address)
    else:
        ray.init(num_cpus=args.num_cpus, include_dashboard=False)
    ray_start = time.perf_counter() - t0
    try:
        t0 = time.perf_counter()
        ray_executor = RayExecutor(problem)
        put = time.perf_counter() - t0
        batches: List[int] = []

        def counted(tasks: List[str]) -> List[str]:
            batches.append(len(tasks))
            return ray_executor(tasks)

        counted.parallelism = ray_executor.parallelism  # type: ignore[attr-defined]
        via_ray = run("Ray", counted, "")
        cpus = ray_executor.parallelism
    finally:
        ray.shutdown()
    name, wall, solution, report, _ = rows[-1]
    rows[-1] = (name, wall, solution, report,
                f"{'local' if not args.address else args.address} cluster, {cpus} tasks at a time "
                f"(ray.init {ray_start:.1f} s, problem put {put:.2f} s, not counted); "
                f"{len(batches)} rounds, {sum(batches)} tasks")

    budget_text = f"--time-limit {args.time_limit:g}" if args.time_limit is not None else f"--iterations {args.iterations}"
    print(f"\n{json.loads(problem)['name']}, {budget_text}, seed {args.seed}\n")
    print("| executor | wall time | cost (distance) | routes | towns served | feasible | notes |")
    print("|---|---:|---:|---:|---:|---|---|")
    for name, wall, solution, report, note in rows:
        totals = solution["totals"]
        feasible_text = "yes" if report["feasible"] else "NO"
        print(f"| {name} | {wall:.1f} s | {totals['distance']:,} | {len(solution['routes']):,} "
              f"| {totals['towns_served']:,} | {feasible_text} | {note} |")
    if not batches:
        print("\nNo depot had more than the decompose_above threshold: nothing ran on Ray "
              "(lower --decompose-above).")
    same = in_process["routes"] == via_ray["routes"]
    print(f"\nidentical routes: {'yes' if same else 'no'}"
          + ("" if args.iterations is not None else " (time-limited runs differ; use --iterations to compare)"))
    feasible = all(report["feasible"] for _, _, _, report, _ in rows)
    if args.iterations is not None and not same:
        return 1
    return 0 if feasible else 1


if __name__ == "__main__":
    sys.exit(main())
