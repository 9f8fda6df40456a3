"""Timing helper shared by the benchmarks."""

import statistics
import time


def timed(call, runs):
    """(median, p95) in milliseconds of `runs` calls."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def cpu_ms(call, runs):
    """Median CPU milliseconds of this thread over `runs` calls: on a shared machine, time spent waiting
    for a core is not counted (wall time there measures the neighbours)."""
    return cpu_and_wall_ms(call, runs)[0]


def cpu_and_wall_ms(call, runs):
    """(median CPU ms of this thread, median wall ms) over `runs` calls."""
    cpu, wall = [], []
    for _ in range(runs):
        started, started_wall = time.thread_time(), time.perf_counter()
        call()
        cpu.append((time.thread_time() - started) * 1000)
        wall.append((time.perf_counter() - started_wall) * 1000)
    return statistics.median(cpu), statistics.median(wall)


def best_cpu_per_call(cases, calls, rounds):
    """{label: the best, over `rounds`, of the process's CPU seconds per call} of each case's `calls` calls,
    the cases run in turn each round, so a slower moment of a shared machine hits every case alike."""
    best = dict.fromkeys(cases, float("inf"))
    for _ in range(rounds):
        for label, call in cases.items():
            started = time.process_time()
            for _ in range(calls):
                call()
            best[label] = min(best[label], (time.process_time() - started) / calls)
    return best
