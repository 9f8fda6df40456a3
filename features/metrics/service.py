"""Prometheus metrics computed from the database at scrape time.

Every API process and every RQ worker writes its jobs and AI usage to the one database, so whichever
process answers a scrape reports the whole deployment: no prometheus_client multiprocess directory
(which only sees processes on its own machine and keeps files of dead ones), no counters that restart
with a process. Counters come from `tryon_usage`, which keeps a row per try-on when jobs are deleted,
so they only grow; gauges (jobs by status and failure code, queue depth) from `tryon_jobs`.
"""

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from shared.database import Database

# Seconds a job spent in AI calls (the body, the try-on, a retry after a 404).
LATENCY_BUCKETS = (1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0)
_TOKEN_KINDS = ("prompt", "output", "thought")


def render(*, db: Database) -> bytes:
    """The metrics in Prometheus' text format."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_DatabaseCollector(db))
    return generate_latest(registry)


class _DatabaseCollector(Collector):
    def __init__(self, db: Database) -> None:
        self._db = db

    def collect(self) -> Iterator[Metric]:
        yield from self._jobs()
        yield from self._usage()
        yield self._latency()

    def _jobs(self) -> tuple[GaugeMetricFamily, GaugeMetricFamily]:
        rows = self._db.execute_query(
            "SELECT status, error_code, COUNT(*) AS n FROM tryon_jobs GROUP BY status, error_code",
            fetch_all=True,
        )
        jobs = GaugeMetricFamily(
            "tryon_jobs", "Try-on jobs stored, by status and failure code", labels=["status", "code"]
        )
        depth = GaugeMetricFamily("tryon_queue_depth", "Try-on jobs waiting for a worker")
        waiting = 0
        for row in rows:
            jobs.add_metric([row["status"], row["error_code"] or ""], row["n"])
            waiting += row["n"] if row["status"] == "queued" else 0
        depth.add_metric([], waiting)
        return jobs, depth

    def _usage(self) -> tuple[CounterMetricFamily, CounterMetricFamily, CounterMetricFamily]:
        rows = self._db.execute_query(
            "SELECT provider, model, COUNT(*) AS generations, SUM(cost_usd) AS cost, "
            "SUM(prompt_tokens) AS prompt, SUM(output_tokens) AS output, SUM(thought_tokens) AS thought "
            "FROM tryon_usage WHERE calls > 0 GROUP BY provider, model",
            fetch_all=True,
        )
        generations = CounterMetricFamily(
            "tryon_generations", "Try-ons that called an AI model, by model", labels=["provider", "model"]
        )
        cost = CounterMetricFamily(
            "tryon_estimated_cost_usd",
            "Estimated cost of the AI calls (GEMINI_PRICES), by model",
            labels=["provider", "model"],
        )
        tokens = CounterMetricFamily(
            "tryon_tokens", "Tokens of the AI calls, by model and kind", labels=["provider", "model", "kind"]
        )
        for row in rows:
            labels = [row["provider"] or "", row["model"] or ""]
            generations.add_metric(labels, row["generations"])
            cost.add_metric(labels, float(row["cost"] or 0))
            for kind in _TOKEN_KINDS:
                tokens.add_metric([*labels, kind], row[kind] or 0)
        return generations, cost, tokens

    def _latency(self) -> HistogramMetricFamily:
        buckets = ", ".join(
            f"SUM(CASE WHEN model_seconds <= {bound!r} THEN 1 ELSE 0 END) AS le_{index}"
            for index, bound in enumerate(LATENCY_BUCKETS)
        )
        rows = self._db.execute_query(
            f"SELECT model, COUNT(*) AS n, SUM(model_seconds) AS total, {buckets} FROM tryon_usage "
            "WHERE calls > 0 AND model_seconds IS NOT NULL GROUP BY model",
            fetch_all=True,
        )
        latency = HistogramMetricFamily(
            "tryon_model_seconds", "Seconds each try-on spent waiting for the AI model", labels=["model"]
        )
        for row in rows:
            latency.add_metric(
                [row["model"] or ""],
                [
                    *((f"{bound:g}", row[f"le_{index}"]) for index, bound in enumerate(LATENCY_BUCKETS)),
                    ("+Inf", row["n"]),
                ],
                float(row["total"] or 0),
            )
        return latency
