"""The progress callback, stopping early, errors raised in it, the GIL."""

import signal
import subprocess
import sys
import threading
import time

import pytest

import backroads


def test_progress_callback_is_called(small_path):
    seen = []
    solution = backroads.solve(small_path, seed=1, iterations=2000, threads=1, on_progress=seen.append)
    assert seen, "the callback was never called"
    for p in seen:
        assert set(p) == {"best_cost", "iterations", "elapsed_s"}
        assert isinstance(p["best_cost"], int)
        assert isinstance(p["iterations"], int)
        assert isinstance(p["elapsed_s"], float)
    assert [p["iterations"] for p in seen] == sorted(p["iterations"] for p in seen)
    assert seen[-1]["best_cost"] >= solution["totals"]["distance"]


def test_returning_none_or_true_goes_on(small_path):
    calls = []

    def keep_going(p):
        calls.append(p)
        return True if len(calls) % 2 else None

    backroads.solve(small_path, seed=1, iterations=2000, threads=1, on_progress=keep_going)
    assert len(calls) > 1


def test_returning_false_stops_early(small_path):
    calls = []

    def stop(p):
        calls.append(p)
        return False

    start = time.monotonic()
    # Without the stop this would run for the whole time limit.
    solution = backroads.solve(small_path, seed=1, time_limit=30, threads=1, on_progress=stop)
    assert time.monotonic() - start < 15
    assert len(calls) == 1
    # The best routes so far are still a valid solution.
    assert solution["routes"]
    assert backroads.check(small_path, solution)["feasible"]


class Boom(Exception):
    pass


def test_exception_in_callback_is_reraised(small_path):
    calls = []

    def explode(p):
        calls.append(p)
        raise Boom("progress went wrong")

    start = time.monotonic()
    with pytest.raises(Boom, match="progress went wrong"):
        backroads.solve(small_path, seed=1, time_limit=30, threads=2, on_progress=explode)
    assert time.monotonic() - start < 15
    assert len(calls) == 1


def test_callback_must_be_callable(small_path):
    with pytest.raises(TypeError):
        backroads.solve(small_path, iterations=10, on_progress=42)


def test_gil_is_released_while_solving(small_path):
    """A Python thread keeps running while a time-limited solve runs."""
    ticks = []
    done = threading.Event()

    def count():
        while not done.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.001)

    thread = threading.Thread(target=count)
    thread.start()
    try:
        start = time.monotonic()
        backroads.solve(small_path, seed=1, time_limit=1.0, threads=1)
        end = time.monotonic()
    finally:
        done.set()
        thread.join()
    assert end - start >= 0.5
    # Ticks strictly inside the solve, away from its edges: the thread ran
    # while the solver was busy.
    inside = [t for t in ticks if start + 0.2 < t < end - 0.2]
    assert inside, "the Python thread made no progress while solving"


def test_solves_in_parallel_threads(small_path):
    results = [None, None]

    def run(i):
        results[i] = backroads.solve(small_path, seed=3, iterations=500, threads=1)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results[0] == results[1] is not None


INTERRUPT = r"""
import os, signal, sys, time
import backroads

sent = []

def ctrl_c_once_solving(progress):
    # From the solver's thread: Python handles the signal in the main thread,
    # which waits for the solve.
    if not sent:
        sent.append(progress)
        os.kill(os.getpid(), signal.SIGINT)

start = time.monotonic()
try:
    backroads.solve(sys.argv[1], seed=1, time_limit=60, threads=1, on_progress=ctrl_c_once_solving)
except KeyboardInterrupt:
    print("interrupted after %.1f s" % (time.monotonic() - start))
    sys.exit(0)
print("not interrupted")
sys.exit(1)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_stops_the_solve(small_path):
    run = subprocess.run(
        [sys.executable, "-c", INTERRUPT, str(small_path)],
        capture_output=True, text=True, timeout=50,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "interrupted after" in run.stdout
    assert float(run.stdout.split()[2]) < 10
