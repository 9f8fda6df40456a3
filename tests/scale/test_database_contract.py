"""One contract, two databases: every test runs on SQLite and on PostgreSQL (when the server is configured).

The SQL here is the SQL the features write: `?` placeholders, LIKE with ESCAPE, COUNT(*) AS n,
LIMIT ? OFFSET ?, INTEGER 0/1 flags, ISO text dates — and it must mean the same thing on both.
"""
import threading
import time

import pytest

from migrations.migration_manager import translate_for_dialect
from shared.database import IntegrityError

SCHEMA = """
CREATE TABLE items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR(50) NOT NULL UNIQUE,
    note TEXT,
    price REAL,
    is_sale INTEGER NOT NULL DEFAULT 0,
    born DATE
);
CREATE TABLE jobs (
    job_id VARCHAR(20) PRIMARY KEY,
    status VARCHAR(20) NOT NULL,
    worker VARCHAR(20)
);
"""


@pytest.fixture
def items_db(db):
    db.execute_script(translate_for_dialect(SCHEMA, db.dialect))
    return db


def _add(db, name, **values):
    columns = ["name", *values]
    return db.execute_insert(f"INSERT INTO items ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
                             (name, *values.values()))


def _count(db, table="items"):
    return db.execute_query(f"SELECT COUNT(*) AS n FROM {table}", fetch_one=True)["n"]


def test_placeholders_leave_quoted_question_marks_and_percent_signs_alone(items_db):
    for name in ("50% off", "what?", "a_b", "plain"):
        _add(items_db, name, note="why?")
    literal = items_db.execute_query("SELECT name FROM items WHERE name LIKE '%?%'", fetch_all=True)
    assert literal == [{"name": "what?"}]
    escaped = items_db.execute_query("SELECT name FROM items WHERE LOWER(name) LIKE ? ESCAPE '\\' ORDER BY name",
                                     ("%\\%%",), fetch_all=True)
    assert escaped == [{"name": "50% off"}]
    mixed = items_db.execute_query("SELECT COUNT(*) AS n FROM items WHERE note = 'why?' AND name <> ?", ("plain",),
                                   fetch_one=True)
    assert mixed == {"n": 3}
    page = items_db.execute_query("SELECT name FROM items ORDER BY id LIMIT ? OFFSET ?", (2, 1), fetch_all=True)
    assert [row["name"] for row in page] == ["what?", "a_b"]


def test_inserts_return_ids_and_queries_return_the_documented_shapes(items_db):
    first = _add(items_db, "one")
    second = _add(items_db, "two")
    assert isinstance(first, int) and second > first
    assert items_db.get_lastrowid() == second
    assert items_db.execute_query("SELECT * FROM items WHERE id = ?", (first,), fetch_one=True)["name"] == "one"
    assert items_db.execute_query("SELECT * FROM items WHERE id = ?", (-1,), fetch_one=True) is None
    assert items_db.execute_query("SELECT * FROM items WHERE id = ?", (-1,), fetch_all=True) == []
    assert items_db.execute_query("UPDATE items SET note = ? WHERE id IN (?, ?)", ("x", first, second)) == 2
    items_db.execute_insert("INSERT INTO jobs (job_id, status) VALUES (?, ?)", ("job-1", "queued"))
    assert items_db.execute_query("SELECT status FROM jobs WHERE job_id = ?", ("job-1",), fetch_one=True) == {
        "status": "queued"}
    assert items_db.execute_many("INSERT INTO jobs (job_id, status) VALUES (?, ?)",
                                 [(f"job-{n}", "queued") for n in range(2, 5)]) == 3
    assert _count(items_db, "jobs") == 4


def test_values_come_back_as_sqlite_stores_them(items_db):
    _add(items_db, "coat", price=89.5, is_sale=True, born="1990-01-15")
    _add(items_db, "hat", price=10.5, is_sale=False)
    row = items_db.execute_query("SELECT price, is_sale, born FROM items WHERE name = ?", ("coat",), fetch_one=True)
    assert row == {"price": 89.5, "is_sale": 1, "born": "1990-01-15"}
    totals = items_db.execute_query("SELECT SUM(is_sale) AS sales, SUM(price) AS total FROM items", fetch_one=True)
    assert totals == {"sales": 1, "total": 100.0}
    assert isinstance(totals["sales"], int)


def test_refused_write_raises_integrity_error_and_a_caught_one_keeps_the_block_usable(items_db):
    _add(items_db, "taken")
    with pytest.raises(IntegrityError):
        _add(items_db, "taken")
    with items_db.transaction():
        _add(items_db, "before")
        with pytest.raises(IntegrityError):
            _add(items_db, "taken")
        _add(items_db, "after")
    names = {row["name"] for row in items_db.execute_query("SELECT name FROM items", fetch_all=True)}
    assert names == {"taken", "before", "after"}


def test_an_exception_rolls_back_the_whole_block_including_nested_ones(items_db):
    with pytest.raises(RuntimeError):
        with items_db.transaction():
            _add(items_db, "outer")
            with items_db.transaction():
                _add(items_db, "inner")
            raise RuntimeError("abort")
    assert _count(items_db) == 0
    with items_db.transaction():
        _add(items_db, "outer")
        with items_db.transaction():
            _add(items_db, "inner")
    assert _count(items_db) == 2


def test_other_threads_see_a_block_only_once_it_commits(items_db):
    inserted, release = threading.Event(), threading.Event()

    def writer():
        with items_db.transaction():
            _add(items_db, "pending")
            inserted.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    assert inserted.wait(10)
    assert _count(items_db) == 0
    release.set()
    thread.join(10)
    assert _count(items_db) == 1


def test_check_then_write_blocks_do_not_overshoot_a_limit_under_concurrency(items_db):
    limit, attempts = 3, 8
    barrier = threading.Barrier(attempts)

    def add_if_room(n):
        barrier.wait()
        with items_db.transaction():
            if _count(items_db) < limit:
                time.sleep(0.02)  # widen the window in which an unserialised block would overshoot
                _add(items_db, f"item-{n}")

    threads = [threading.Thread(target=add_if_room, args=(n,)) for n in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert _count(items_db) == limit


def test_each_queued_job_is_claimed_by_exactly_one_worker(items_db):
    job_ids = [f"job-{n:02d}" for n in range(30)]
    items_db.execute_many("INSERT INTO jobs (job_id, status) VALUES (?, 'queued')", [(job,) for job in job_ids])
    claims = {}
    barrier = threading.Barrier(4)

    def worker(name):
        barrier.wait()
        for job in job_ids:
            if items_db.execute_query("UPDATE jobs SET status = 'running', worker = ? "
                                      "WHERE job_id = ? AND status = 'queued'", (name, job)) == 1:
                claims.setdefault(job, []).append(name)

    threads = [threading.Thread(target=worker, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(claims) == job_ids and all(len(names) == 1 for names in claims.values())
    stored = items_db.execute_query("SELECT job_id, worker FROM jobs WHERE status = 'running'", fetch_all=True)
    assert {row["job_id"]: [row["worker"]] for row in stored} == claims


def test_a_failing_script_leaves_nothing_behind(items_db):
    with pytest.raises(Exception):
        items_db.execute_script("CREATE TABLE extra (id INTEGER);\nINSERT INTO nowhere VALUES (1);\n")
    assert not items_db.table_exists("extra")
    assert {"items", "jobs"} <= set(items_db.get_tables()) and items_db.table_exists("items")
    items_db.ping()
