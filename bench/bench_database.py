"""Database benchmark: the same operations on SQLite and on PostgreSQL, through shared/database.py.

    eval "$(bash scripts/services.sh)"                 # PostgreSQL (and Redis) on 127.0.0.1
    .venv/bin/python bench/bench_database.py [--ops 2000]

PostgreSQL is benchmarked in a schema of its own on DATABASE_URL, dropped afterwards; without
DATABASE_URL only SQLite is measured. For each backend, on 1 and on 8 threads, operations/s of:
  * read:   one SELECT of a user by id (what every authenticated request does);
  * write:  one autocommitted UPDATE of a row by id;
  * block:  a transaction() that counts a user's rows and inserts one (check-then-write; SQLite
            serialises blocks, PostgreSQL runs them at once: bench/bench_transactions.py scales them).
"""

import argparse
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from shared.database import Database, postgres_engine, sqlite_engine  # noqa: E402
from tests.scale.backends import fresh_postgres_schema  # noqa: E402

SCHEMA = sa.MetaData()
sa.Table(
    "bench_users",
    SCHEMA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(255), nullable=False),
    sa.Column("visits", sa.Integer, nullable=False),
)
sa.Table(
    "bench_items",
    SCHEMA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, nullable=False, index=True),
    sa.Column("name", sa.Text, nullable=False),
)
USERS = 100


def prepare(db):
    SCHEMA.create_all(db.engine)
    with db.transaction():
        for n in range(USERS):
            db.execute_query(
                "INSERT INTO bench_users (email, visits) VALUES (?, 0)", (f"user{n}@example.com",)
            )


def read(db, n):
    db.execute_query(
        "SELECT id, email, visits FROM bench_users WHERE id = ?", (n % USERS + 1,), fetch_one=True
    )


def write(db, n):
    db.execute_query("UPDATE bench_users SET visits = visits + 1 WHERE id = ?", (n % USERS + 1,))


def block(db, n):
    user_id = n % USERS + 1
    with db.transaction():
        count = db.execute_query(
            "SELECT COUNT(*) AS n FROM bench_items WHERE user_id = ?", (user_id,), fetch_one=True
        )["n"]
        db.execute_insert("INSERT INTO bench_items (user_id, name) VALUES (?, ?)", (user_id, f"item {count}"))


def ops_per_second(db, operation, ops, threads):
    def run(offset):
        for n in range(offset, ops, threads):
            operation(db, n)
        db.close_thread_connection()

    workers = [threading.Thread(target=run, args=(offset,)) for offset in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return ops / (time.perf_counter() - started)


def measure(name, db, ops):
    prepare(db)
    for operation in (read, write, block):
        operation(db, 0)  # warm-up: connections opened, statements parsed once
        for threads in (1, 8):
            rate = ops_per_second(db, operation, ops, threads)
            print(f"| {name} | {operation.__name__} | {threads} | {rate:,.0f} |")
    db.close_all()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ops", type=int, default=2000)
    args = parser.parse_args()
    print(f"Python {platform.python_version()}, {os.cpu_count()} cores, {args.ops} operations per figure")
    print("| backend | operation | threads | ops/s |\n|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        measure("SQLite (WAL file)", Database(sqlite_engine(Path(folder) / "bench.db")), args.ops)
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgresql://", "postgres://")):
        with fresh_postgres_schema(url) as schema_url:
            measure("PostgreSQL 127.0.0.1", Database(postgres_engine(schema_url)), args.ops)
    else:
        print("PostgreSQL not measured: DATABASE_URL is not a postgresql:// URL (see scripts/services.sh)")


if __name__ == "__main__":
    main()
