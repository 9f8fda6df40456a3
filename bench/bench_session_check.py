"""What checking the session costs every authenticated request: the auth decorators' one statement with and
without the sessions join, on SQLite, counted in CPU time (another process taking the cores does not move it).

    .venv/bin/python bench/bench_session_check.py [--calls 5000] [--rounds 7] [--sessions 50]

The user has `--sessions` sessions, so the join finds its row among others. Best of the rounds, in µs per
statement; a profile read costs about 300 µs of CPU in all (bench_request_cpu.py).
"""

import argparse
import secrets
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import create_app, shutdown_app  # noqa: E402  (after the path is set, as a script)
from bench.timing import best_cpu_per_call  # noqa: E402
from features.users import model as user_model  # noqa: E402
from tests.helpers import app_settings  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--sessions", type=int, default=50)
    options = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-session-check-")
    app = create_app(app_settings(folder, database="bench.db"))
    try:
        print(f"µs of CPU per statement, best of {options.rounds} rounds of {options.calls}")
        for label, microseconds in measure(app, options).items():
            print(f"  {label}: {microseconds:.1f}")
    finally:
        shutdown_app(app)


def measure(app, options):
    client = app.test_client()
    account = {"email": "bench@example.com", "password": secrets.token_urlsafe(12)}
    signed_up = client.post("/api/create-account", json=account).get_json()["data"]
    for _ in range(options.sessions - 1):
        client.post("/api/login", json=account)
    db, userid, session_id = app.extensions["db"], signed_up["user"]["userid"], signed_up["session_id"]
    cases = {
        "users row alone (before sessions)": lambda: user_model.get_by_userid(db, userid),
        "users row + session (a token with a session)": lambda: user_model.get_signed_in(
            db, userid, session_id
        ),
        "users row + no session (a token from before)": lambda: user_model.get_signed_in(db, userid, None),
    }
    best = best_cpu_per_call(cases, options.calls, options.rounds)
    return {label: seconds * 1e6 for label, seconds in best.items()}


if __name__ == "__main__":
    main()
