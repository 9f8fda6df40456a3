"""The load test (bench/load_test.py) in a short, bounded form: every answer correct, every try-on ends.

20 shoppers for 4 seconds against `python app.py` with the fake Gemini answering after 0.3 s: each
signs in, browses the wardrobe, starts at least one try-on and polls it. No 5xx, no transport error,
no unexpected answer, and every accepted try-on is done. Timings are reported by the full form, never
asserted here.
"""

from bench.load_test import api_with_delayed_gemini, run_load


def test_short_load_has_no_errors_and_loses_no_job(tmp_path):
    with api_with_delayed_gemini(tmp_path, gemini_delay=0.3) as (gemini, server):
        report = run_load(server.url, users=20, duration=4, poll_interval=0.2, drain=60)
    summary = report.summary()
    assert summary["errors"] == 0, summary["first_errors"]
    tryons = summary["tryons"]
    assert tryons["started"] >= 20 and tryons["lost"] == 0 and tryons["failed"] == 0
    assert tryons["done"] == tryons["started"] == gemini.request_count
    assert (
        summary["latency_ms"]["poll job"]["count"] > 0
        and summary["latency_ms"]["wardrobe items"]["count"] >= 20
    )
