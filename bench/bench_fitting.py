"""Fitting benchmark: the fit engine alone and the two endpoints in-process (SQLite, built-in charts).

    .venv/bin/python bench/bench_fitting.py [--runs 2000]

Measures per call, p50/p95 in milliseconds:
  * fit_engine.recommend over the built-in women's dresses chart (8 sizes x 3 zones);
  * GET /api/fitting/size-recommendation?category=dresses through the Flask test client
    (auth, measurements read from SQLite, chart choice, JSON);
  * POST /api/fitting/check without a size (every size checked plus the recommendation).
"""

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from bench.timing import timed  # noqa: E402
from features.fitting import fit_engine, size_charts  # noqa: E402
from tests.helpers import app_settings, sign_up  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2000)
    runs = parser.parse_args().runs

    chart = size_charts.library_charts(group="dresses", gender="women")[0]
    body = fit_engine.Body(
        values={"breast_circumference": 95, "waist_circumference": 77, "hip_circumference": 101}
    )
    garment = fit_engine.Garment("dresses", 2)
    engine_p50, engine_p95 = timed(
        lambda: fit_engine.recommend(sizes=chart["sizes"], body=body, garment=garment), runs
    )

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(app_settings(folder, database="bench.db", LOG_TO_FILES=False, LOG_LEVEL="WARNING"))
        client = app.test_client()
        user = sign_up(client, gender="female")
        client.post(
            "/api/body-measurements",
            headers=user["headers"],
            json={"breast_circumference": 95, "waist_circumference": 77, "hip_circumference": 101},
        )

        def recommend():
            assert (
                client.get(
                    "/api/fitting/size-recommendation?category=dresses", headers=user["headers"]
                ).status_code
                == 200
            )

        def check_all():
            assert (
                client.post(
                    "/api/fitting/check", headers=user["headers"], json={"category": "dresses"}
                ).status_code
                == 200
            )

        endpoint_runs = max(runs // 4, 50)
        recommend_p50, recommend_p95 = timed(recommend, endpoint_runs)
        check_p50, check_p95 = timed(check_all, endpoint_runs)
        app.extensions["db"].close_all()

    print(
        f"fit_engine.recommend (8 sizes x 3 zones), {runs} runs: p50 {engine_p50:.3f} ms, p95 {engine_p95:.3f} ms"
    )
    print(
        f"GET /api/fitting/size-recommendation, {endpoint_runs} runs: p50 {recommend_p50:.2f} ms, "
        f"p95 {recommend_p95:.2f} ms"
    )
    print(
        f"POST /api/fitting/check (all sizes), {endpoint_runs} runs: p50 {check_p50:.2f} ms, p95 {check_p95:.2f} ms"
    )


if __name__ == "__main__":
    main()
