"""One contract, two databases: every test runs on SQLite and on PostgreSQL (when the server is configured).

The SQL here is the SQL the features write: `?` placeholders, LIKE with ESCAPE, COUNT(*) AS n,
LIMIT ? OFFSET ?, INTEGER 0/1 flags, ISO text dates — and it must mean the same thing on both.
"""

import threading
import time

import pytest
import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from shared.database import IntegrityError

SCHEMA = sa.MetaData()
sa.Table(
    "items",
    SCHEMA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False, unique=True),
    sa.Column("note", sa.Text),
    sa.Column("price", sa.Double),
    sa.Column("is_sale", sa.Integer, nullable=False, server_default=sa.text("0")),
    sa.Column("born", sa.Date),
)
sa.Table(
    "jobs",
    SCHEMA,
    sa.Column("job_id", sa.String(20), primary_key=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("worker", sa.String(20)),
)
sa.Table("counters", SCHEMA, sa.Column("name", sa.String(20), primary_key=True))


@pytest.fixture
def items_db(db):
    SCHEMA.create_all(db.engine)
    db.execute_query("INSERT INTO counters (name) VALUES ('items')")
    return db


def _add(db, name, **values):
    columns = ["name", *values]
    return db.execute_insert(
        f"INSERT INTO items ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
        (name, *values.values()),
    )


def _count(db, table="items"):
    return db.execute_query(f"SELECT COUNT(*) AS n FROM {table}", fetch_one=True)["n"]


def test_placeholders_leave_quoted_question_marks_and_percent_signs_alone(items_db):
    for name in ("50% off", "what?", "a_b", "plain"):
        _add(items_db, name, note="why?")
    literal = items_db.execute_query("SELECT name FROM items WHERE name LIKE '%?%'", fetch_all=True)
    assert literal == [{"name": "what?"}]
    escaped = items_db.execute_query(
        "SELECT name FROM items WHERE LOWER(name) LIKE ? ESCAPE '\\' ORDER BY name",
        ("%\\%%",),
        fetch_all=True,
    )
    assert escaped == [{"name": "50% off"}]
    mixed = items_db.execute_query(
        "SELECT COUNT(*) AS n FROM items WHERE note = 'why?' AND name <> ?", ("plain",), fetch_one=True
    )
    assert mixed == {"n": 3}
    page = items_db.execute_query(
        "SELECT name FROM items ORDER BY id LIMIT ? OFFSET ?", (2, 1), fetch_all=True
    )
    assert [row["name"] for row in page] == ["what?", "a_b"]


def test_inserts_return_ids_and_queries_return_the_documented_shapes(items_db):
    first = _add(items_db, "one")
    second = _add(items_db, "two")
    assert isinstance(first, int) and second > first
    assert (
        items_db.execute_query("SELECT * FROM items WHERE id = ?", (first,), fetch_one=True)["name"] == "one"
    )
    assert items_db.execute_query("SELECT * FROM items WHERE id = ?", (-1,), fetch_one=True) is None
    assert items_db.execute_query("SELECT * FROM items WHERE id = ?", (-1,), fetch_all=True) == []
    assert items_db.execute_query("UPDATE items SET note = ? WHERE id IN (?, ?)", ("x", first, second)) == 2
    items_db.execute_insert("INSERT INTO jobs (job_id, status) VALUES (?, ?)", ("job-1", "queued"))
    assert items_db.execute_query("SELECT status FROM jobs WHERE job_id = ?", ("job-1",), fetch_one=True) == {
        "status": "queued"
    }
    assert _count(items_db, "jobs") == 1


def test_values_come_back_as_sqlite_stores_them(items_db):
    _add(items_db, "coat", price=89.5, is_sale=True, born="1990-01-15")
    _add(items_db, "hat", price=10.5, is_sale=False)
    row = items_db.execute_query(
        "SELECT price, is_sale, born FROM items WHERE name = ?", ("coat",), fetch_one=True
    )
    assert row == {"price": 89.5, "is_sale": 1, "born": "1990-01-15"}
    totals = items_db.execute_query(
        "SELECT SUM(is_sale) AS sales, SUM(price) AS total FROM items", fetch_one=True
    )
    assert totals == {"sales": 1, "total": 100.0}
    assert isinstance(totals["sales"], int)


def test_refused_write_raises_integrity_error_and_a_caught_one_under_a_savepoint_keeps_the_block(items_db):
    _add(items_db, "taken")
    with pytest.raises(IntegrityError):
        _add(items_db, "taken")
    with items_db.transaction():
        _add(items_db, "before")
        with pytest.raises(IntegrityError), items_db.savepoint():
            _add(items_db, "taken")
        _add(items_db, "after")
    names = {row["name"] for row in items_db.execute_query("SELECT name FROM items", fetch_all=True)}
    assert names == {"taken", "before", "after"}


def test_an_exception_rolls_back_the_whole_block_including_nested_ones(items_db):
    with pytest.raises(RuntimeError), items_db.transaction():
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


def test_blocks_of_other_threads_run_meanwhile(items_db):
    """No global lock: while one block waits, other blocks that touch other rows begin and commit."""
    inside, release = threading.Event(), threading.Event()

    def slow_block():
        with items_db.transaction():
            _add(items_db, "slow")
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=slow_block)
    thread.start()
    assert inside.wait(10)
    if items_db.dialect == "postgresql":
        with items_db.transaction():
            _add(items_db, "quick")
        assert _count(items_db) == 1  # "quick" committed while "slow" is still open
    release.set()
    thread.join(10)
    assert _count(items_db) == (2 if items_db.dialect == "postgresql" else 1)


def test_check_then_write_blocks_that_lock_the_checked_row_do_not_overshoot_a_limit(items_db):
    limit, attempts = 3, 8
    barrier = threading.Barrier(attempts)

    def add_if_room(n):
        barrier.wait()
        with items_db.transaction():
            assert items_db.lock_row("counters", name="items") == {"name": "items"}
            if _count(items_db) < limit:
                time.sleep(0.02)  # widen the window in which an unlocked block would overshoot
                _add(items_db, f"item-{n}")

    threads = [threading.Thread(target=add_if_room, args=(n,)) for n in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert _count(items_db) == limit


def test_each_queued_job_is_claimed_by_exactly_one_worker(items_db):
    job_ids = [f"job-{n:02d}" for n in range(30)]
    for job in job_ids:
        items_db.execute_query("INSERT INTO jobs (job_id, status) VALUES (?, 'queued')", (job,))
    claims = {}
    barrier = threading.Barrier(4)

    def worker(name):
        barrier.wait()
        for job in job_ids:
            if (
                items_db.execute_query(
                    "UPDATE jobs SET status = 'running', worker = ? WHERE job_id = ? AND status = 'queued'",
                    (name, job),
                )
                == 1
            ):
                claims.setdefault(job, []).append(name)

    threads = [threading.Thread(target=worker, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(claims) == job_ids and all(len(names) == 1 for names in claims.values())
    stored = items_db.execute_query(
        "SELECT job_id, worker FROM jobs WHERE status = 'running'", fetch_all=True
    )
    assert {row["job_id"]: [row["worker"]] for row in stored} == claims


def test_lock_row_outside_a_block_is_a_mistake(items_db):
    with pytest.raises(RuntimeError, match="inside db.transaction"):
        items_db.lock_row("counters", name="items")
    with items_db.transaction():
        assert items_db.lock_row("counters", name="none") is None


def test_a_failing_block_with_ddl_leaves_nothing_behind(items_db):
    with pytest.raises(sa_exc.DBAPIError), items_db.transaction():
        items_db.execute_query("CREATE TABLE extra (id INTEGER)")
        items_db.execute_query("INSERT INTO nowhere VALUES (1)")
    assert not items_db.table_exists("extra")
    assert {"items", "jobs"} <= set(items_db.get_tables()) and items_db.table_exists("items")
    items_db.ping()
