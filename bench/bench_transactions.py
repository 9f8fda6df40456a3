"""Transaction blocks per second on PostgreSQL from 1, 2 and 4 processes, through the app's database layer.

    .venv/bin/python bench/bench_transactions.py [--seconds 5] [--threads 1] [--rounds 3] [--wait-ms 0] [--repo PATH]

DATABASE_URL (else scripts/services.sh) names the PostgreSQL server; the bench works in a schema of its
own, dropped afterwards. Each process opens the database the way the app does (`create_database` of
--repo's shared/database.py, default this checkout, so an older commit can be measured the same way)
and runs THREADS threads, each repeating the block every check-then-write of the app has the shape of:

    with db.transaction():
        SELECT ... FROM bench_users WHERE id = ? FOR UPDATE      -- the row the check is about
        SELECT COUNT(*) ... FROM bench_items WHERE user_id = ?   -- the check
        INSERT INTO bench_items ...                              -- the write
        SELECT pg_sleep(WAIT_MS / 1000)                          -- only with --wait-ms

on one of USERS users chosen at random. On loopback a round trip costs ~0.1 ms and the blocks are bound by
the machine's CPU; --wait-ms keeps each block open that much longer on the server, as round trips over a
real network (~0.5 ms each, five per block) or a slower statement would. The figure is blocks committed
per second by all processes together, the median of the rounds. Blocks on different users share nothing,
so they should scale with processes until the machine's cores are busy; blocks on the same user wait for
each other's row lock.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
USERS = 1000
PROCESS_COUNTS = (1, 2, 4)


def run_child(url, threads, seconds, wait_ms, start_file):
    """One benchmark process: THREADS threads doing blocks for SECONDS after start_file appears; prints the count."""
    from shared.database import create_database

    db = create_database(
        SimpleNamespace(
            DATABASE_URL=url,
            DATABASE_PATH="",
            DATABASE_BUSY_TIMEOUT_MS=10000,
            DATABASE_POOL_SIZE=threads,
            DATABASE_POOL_TIMEOUT_SECONDS=30.0,
        )
    )
    db.execute_query("SELECT 1", fetch_one=True)  # the pool is open before the clock starts
    counts = [0] * threads
    print("ready", flush=True)
    while not Path(start_file).exists():
        time.sleep(0.001)
    deadline = time.monotonic() + seconds

    def work(slot):
        chooser = random.Random(os.getpid() * 100 + slot)
        while time.monotonic() < deadline:
            user_id = chooser.randrange(USERS) + 1
            with db.transaction():
                db.execute_query(
                    "SELECT id FROM bench_users WHERE id = ? FOR UPDATE", (user_id,), fetch_one=True
                )
                count = db.execute_query(
                    "SELECT COUNT(*) AS n FROM bench_items WHERE user_id = ?", (user_id,), fetch_one=True
                )["n"]
                db.execute_query(
                    "INSERT INTO bench_items (user_id, name) VALUES (?, ?)", (user_id, f"item {count}")
                )
                if wait_ms:
                    db.execute_query("SELECT pg_sleep(?)", (wait_ms / 1000,), fetch_one=True)
            counts[slot] += 1

    workers = [threading.Thread(target=work, args=(slot,)) for slot in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    db.close_all()
    print(sum(counts), flush=True)


def blocks_per_second(schema_url, repo, processes, threads, seconds, wait_ms):
    import psycopg

    with psycopg.connect(schema_url, autocommit=True) as admin:
        admin.execute("TRUNCATE bench_items")
    with tempfile.TemporaryDirectory() as folder:
        start_file = Path(folder) / "go"
        env = {**os.environ, "PYTHONPATH": str(repo)}
        command = [
            sys.executable,
            __file__,
            "--child",
            schema_url,
            str(threads),
            str(seconds),
            str(wait_ms),
            str(start_file),
        ]
        children = [
            subprocess.Popen(command, cwd=repo, env=env, stdout=subprocess.PIPE, text=True)
            for _ in range(processes)
        ]
        for child in children:
            if child.stdout.readline().strip() != "ready":
                raise RuntimeError("a benchmark process did not start")
        start_file.touch()
        total = sum(int(child.communicate(timeout=seconds + 120)[0].strip()) for child in children)
    return total / seconds


def admin_url():
    if os.environ.get("DATABASE_URL", "").startswith(("postgresql://", "postgres://")):
        return os.environ["DATABASE_URL"]
    found = subprocess.run(["bash", "scripts/services.sh", "urls"], cwd=ROOT, capture_output=True, text=True)
    urls = dict(
        line.removeprefix("export ").split("=", 1) for line in found.stdout.splitlines() if "=" in line
    )
    if "DATABASE_URL" not in urls:
        raise SystemExit('PostgreSQL is not running: eval "$(bash scripts/services.sh)", or set DATABASE_URL')
    return urls["DATABASE_URL"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--threads", type=int, default=1, help="threads per process")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--wait-ms", type=float, default=0, help="server-side wait inside each block")
    parser.add_argument(
        "--repo", type=Path, default=ROOT, help="checkout whose shared/database.py is measured"
    )
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import psycopg

    from tests.scale.backends import fresh_postgres_schema

    with fresh_postgres_schema(admin_url()) as schema_url:
        with psycopg.connect(schema_url, autocommit=True) as admin:
            admin.execute("CREATE TABLE bench_users (id BIGSERIAL PRIMARY KEY, email TEXT NOT NULL)")
            admin.execute(
                "CREATE TABLE bench_items (id BIGSERIAL PRIMARY KEY, user_id BIGINT NOT NULL, "
                "name TEXT NOT NULL)"
            )
            admin.execute("CREATE INDEX idx_bench_items_user ON bench_items (user_id)")
            admin.execute(
                "INSERT INTO bench_users (email) SELECT 'user' || n || '@example.com' "
                "FROM generate_series(1, %s) AS n",
                (USERS,),
            )
        rates = {count: [] for count in PROCESS_COUNTS}
        for _ in range(options.rounds):
            for count in PROCESS_COUNTS:
                rates[count].append(
                    blocks_per_second(
                        schema_url,
                        options.repo.resolve(),
                        count,
                        options.threads,
                        options.seconds,
                        options.wait_ms,
                    )
                )
    print(
        f"{options.repo.resolve()}: {options.threads} threads per process, wait {options.wait_ms:g} ms per "
        f"block, {options.rounds} rounds of {options.seconds:g} s, medians"
    )
    print("| processes | blocks/s | per process |\n|---|---|---|")
    for count, values in rates.items():
        median = statistics.median(values)
        print(f"| {count} | {median:,.0f} | {median / count:,.0f} |")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        run_child(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), sys.argv[6])
    else:
        main()
