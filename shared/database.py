"""Database access on SQLAlchemy Core: one engine (connection pool and dialect) per app, SQLite or PostgreSQL.

SQL is written once with `?` placeholders and runs as `text()` with bound parameters, or as a Core
expression (`lock_row` builds one); SQLAlchemy renders each for the dialect. Rows come back as plain
dicts. A statement outside a block autocommits on a pooled connection. Writes that must be atomic go
inside `with db.transaction():` — every call made on the same thread inside the block joins it, so
services compose without passing connections around.

There is no global lock: blocks of different threads and processes run at the same time. A block
whose write depends on a check (a limit, a free name, the current value of a column) makes that check
hold by a constraint (UNIQUE, ON CONFLICT), a conditional UPDATE (`... WHERE status = 'queued'`), or
by taking the row the check is about with `lock_row` first (SELECT ... FOR UPDATE on PostgreSQL;
SQLite's `BEGIN IMMEDIATE` already admits one writing block at a time). A refused write (IntegrityError)
ends a PostgreSQL block; code that catches one inside a block and goes on wraps it in `db.savepoint()`.
"""

import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, TypeGuard, TypeVar, cast, overload
from urllib.parse import unquote, urlsplit

import psycopg
import sqlalchemy as sa
from psycopg.adapt import Loader
from psycopg.types.string import TextLoader
from sqlalchemy import event, exc as sa_exc
from sqlalchemy.engine import URL, make_url

from config import ConfigurationError, Settings
from shared.errors import ValidationError
from shared.text_patterns import DOTALL, PatternMatch, compile_pattern


class IntegrityError(Exception):
    """A constraint (unique, foreign key, not null, check) refused the write."""


class DatabaseUnavailableError(Exception):
    """The database cannot be reached or opened."""


# SQLite: connections kept for reuse once released, at least (more are opened while more threads need one).
SQLITE_IDLE_CONNECTIONS = 16
# Drivers run in autocommit mode; a connection with this execution option is a block's, and its first
# statement is preceded by BEGIN (BEGIN IMMEDIATE on SQLite): SQLAlchemy's recipe for SQLite transactions.
_BLOCK = "because_future_block"

# A row as a dict of column → value; the value is whatever the column holds (text, number, bytes, NULL), so
# callers read it as the column they asked for.
Row = dict[str, Any]
# A statement: SQL text with `?` placeholders, or a SQLAlchemy Core expression.
Statement = str | sa.Executable
# One value bound to a `?` (a bool is stored as 0/1), and a statement's values in the order of its placeholders.
SqlValue = str | int | float | bytes | None
Params = Iterable[SqlValue]
_T = TypeVar("_T")


class Database:
    """The app's database: `execute_query`, `execute_insert`, `transaction()` and `lock_row` on one engine."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.dialect: str = engine.dialect.name  # "sqlite" or "postgresql"
        self._local = threading.local()
        self._turns = _WRITE_TURNS.get(engine)  # SQLite's write lock, waited for here (None on PostgreSQL)

    # --- connections -------------------------------------------------------------------------
    @contextmanager
    def _connection(self) -> Iterator[sa.Connection]:
        """The thread's block connection if it is in one; else, on SQLite, the thread's own connection until
        close_thread_connection (a SQLite connection costs nothing to hold), and on PostgreSQL a pooled one
        for the length of one statement (so a request waiting on a shop holds no server connection)."""
        if self.dialect == "sqlite":
            yield self._sqlite_connection()
            return
        pinned: sa.Connection | None = getattr(self._local, "conn", None)
        if pinned is not None:
            yield pinned
            return
        with _errors_mapped:
            conn = self.engine.connect()
        try:
            yield conn
        finally:
            conn.close()

    def _sqlite_connection(self) -> sa.Connection:
        """SQLite: the thread's block connection if it is in one, else its own (taken from the pool on its first
        statement, given back by close_thread_connection)."""
        conn: sa.Connection | None = getattr(self._local, "conn", None) or getattr(
            self._local, "thread_conn", None
        )
        if conn is None:
            with _errors_mapped:
                conn = self._local.thread_conn = self.engine.connect()
        return conn

    def close_thread_connection(self) -> None:
        """Give this thread's connection back to the pool (the end of a request or of a worker's loop)."""
        conn, self._local.thread_conn = getattr(self._local, "thread_conn", None), None
        if conn is not None:
            conn.close()

    def close_all(self) -> None:
        self.close_thread_connection()
        self.engine.dispose()
        self._local = threading.local()

    def get_tables(self) -> list[str]:
        with self._connection() as conn, _errors_mapped:
            return sorted(sa.inspect(conn).get_table_names())

    def table_exists(self, name: str) -> bool:
        return name in self.get_tables()

    def ping(self) -> None:
        """Raise DatabaseUnavailableError unless a trivial query succeeds (and, on SQLite, the file is still
        there: a connection already open keeps working on a deleted file)."""
        path = self.engine.url.database
        if self.dialect == "sqlite" and path not in (None, "", ":memory:") and not Path(path).exists():
            raise DatabaseUnavailableError(f"database file {path} is missing")
        try:
            self.execute_query("SELECT 1", fetch_one=True)
        except sa_exc.SQLAlchemyError as exc:
            raise DatabaseUnavailableError(str(exc)) from exc

    # --- statements --------------------------------------------------------------------------
    @overload
    def execute_query(
        self, sql: Statement, params: Params = (), *, fetch_one: Literal[True], fetch_all: bool = False
    ) -> Row | None: ...

    @overload
    def execute_query(
        self,
        sql: Statement,
        params: Params = (),
        fetch_one: Literal[False] = False,
        *,
        fetch_all: Literal[True],
    ) -> list[Row]: ...

    @overload
    def execute_query(
        self,
        sql: Statement,
        params: Params = (),
        fetch_one: Literal[False] = False,
        fetch_all: Literal[False] = False,
    ) -> int: ...

    def execute_query(
        self, sql: Statement, params: Params = (), fetch_one: bool = False, fetch_all: bool = False
    ) -> Row | list[Row] | int | None:
        """Run one statement (SQL text with `?` placeholders, or a Core expression).

        Returns a dict (fetch_one), a list of dicts (fetch_all) or the number of rows changed.
        """
        if self._on_driver(sql):  # the reads of every request: no context manager more than needed
            return self._driver_query(self._sqlite_connection(), sql, params, fetch_one, fetch_all)
        with self._connection() as conn:
            result = self._execute(conn, sql, params)
            if fetch_one:
                row = result.mappings().first() if result.returns_rows else None
                return dict(row) if row is not None else None
            if fetch_all:
                return [dict(row) for row in result.mappings()] if result.returns_rows else []
            return result.rowcount

    def execute_insert(self, sql: str, params: Params = ()) -> int | None:
        """Run an INSERT and return the new row's integer id (None for tables without an `id`)."""
        if self.dialect == "sqlite":
            with self._connection() as conn, self._driver_cursor(conn, sql, params) as cursor:
                return cursor.lastrowid
        row = self.execute_query(sql.rstrip().rstrip(";") + " RETURNING *", params, fetch_one=True)
        new_id: int | None = row.get("id") if row else None
        return new_id

    def lock_row(self, table: str, **where: str | int | float | None) -> Row | None:
        """The row of `table` whose columns equal `where`, locked until the block ends (None if there is none).

        Only inside `transaction()`: other blocks that lock or update the row wait until this one ends, so
        a check made after taking it still holds when the block writes.
        """
        if getattr(self._local, "conn", None) is None:
            raise RuntimeError("lock_row() is only meaningful inside db.transaction()")
        return self.execute_query(_lock_statement(table, tuple(where)), tuple(where.values()), fetch_one=True)

    def _on_driver(self, sql: Statement) -> TypeGuard[str]:
        """SQL text on SQLite runs on the driver's own cursor: its `?` placeholders are sqlite3's, and
        SQLAlchemy's statement and result machinery cost five times the query itself (a user lookup
        0.18 ms instead of 0.03; BENCHMARKS.md, "Read speed")."""
        return self.dialect == "sqlite" and isinstance(sql, str)

    @contextmanager
    def _driver_cursor(self, conn: sa.Connection, sql: str, params: Params) -> Iterator[sqlite3.Cursor]:
        """The sqlite3 cursor of one statement on the connection (its block's, if it is in one), closed when the
        with-block ends (_driver_execute, _driver_done)."""
        cursor = self._driver_execute(conn, sql, params)
        try:
            yield cursor
        finally:
            self._driver_done(cursor, sql)

    def _driver_execute(self, conn: sa.Connection, sql: str, params: Params) -> sqlite3.Cursor:
        """One statement run on the sqlite3 connection under conn when SQLite's write lock is free; the driver's
        errors as SQLAlchemy would have raised them, then as ours."""
        turns = self._turns
        assert turns is not None, "a SQLite engine made by sqlite_engine() has its write turns"
        values, driver = checked_params(params), _sqlite_driver(conn)
        with _errors_mapped:
            return turns.run(lambda: driver.execute(sql, values), sql, values)

    def _driver_done(self, cursor: sqlite3.Cursor, sql: str) -> None:
        """Close a statement's cursor. A write outside a block holds the write lock until its cursor closes (an
        UPDATE ... RETURNING until its rows are read), so that is when waiting writers are woken."""
        cursor.close()
        if getattr(self._local, "conn", None) is None and sql.lstrip()[:6].upper() != "SELECT":
            assert self._turns is not None
            self._turns.released()

    def _driver_query(
        self, conn: sa.Connection, sql: str, params: Params, fetch_one: bool, fetch_all: bool
    ) -> Row | list[Row] | int | None:
        """execute_query's answer for one statement run on the sqlite3 cursor."""
        cursor = self._driver_execute(conn, sql, params)
        try:
            if not (fetch_one or fetch_all):
                return cursor.rowcount
            if cursor.description is None:
                return None if fetch_one else []
            names = [column[0] for column in cursor.description]
            if fetch_one:
                row = cursor.fetchone()
                return dict(zip(names, row)) if row is not None else None
            return [dict(zip(names, row)) for row in cursor.fetchall()]
        except sqlite3.Error as exc:
            with _errors_mapped:
                raise sa_exc.DBAPIError.instance(sql, tuple(params), exc, sqlite3.Error) from exc
        finally:
            self._driver_done(cursor, sql)

    def _execute(self, conn: sa.Connection, sql: Statement, params: Params) -> sa.CursorResult[Any]:
        statement, values = _text(sql) if isinstance(sql, str) else sql, _bound(params)
        with _errors_mapped:
            return conn.execute(statement, values)

    # --- transactions ------------------------------------------------------------------------
    @contextmanager
    def savepoint(self) -> Iterator["Database"]:
        """Inside a block: statements whose failure the caller catches and goes on from. A refused write
        aborts a whole PostgreSQL transaction; under a savepoint only the savepoint's work is undone."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            raise RuntimeError("savepoint() is only meaningful inside db.transaction()")
        with _errors_mapped, conn.begin_nested():
            yield self

    @contextmanager
    def transaction_connection(self) -> Iterator[sa.Connection]:
        """The SQLAlchemy connection of a new block (for Alembic), committed when the with-block ends."""
        with self.transaction():
            yield self._local.conn

    @contextmanager
    def transaction(self) -> Iterator["Database"]:
        """Atomic block; nested blocks on the same thread join the outermost one."""
        if getattr(self._local, "conn", None) is not None:
            yield self
            return
        with _errors_mapped:
            conn = self.engine.connect().execution_options(**{_BLOCK: True})
        try:
            with _errors_mapped, conn.begin():
                self._local.conn = conn
                try:
                    yield self
                finally:
                    self._local.conn = None
        finally:
            conn.close()
            if self._turns is not None:
                self._turns.released()


class _WriteTurns:
    """Waiting for SQLite's write lock without SQLite's sleeps.

    SQLite's own busy handler polls a held lock with sleeps growing to 100 ms, so a writer queued behind a
    burst of others lost the lock for up to most of a second after it was free. Here connections have no
    busy timeout: a statement or BEGIN IMMEDIATE that finds the lock held waits until a writer of this
    process ends (it says so with `released`) or, for writers in other processes (nothing here hears them
    end), a pause that starts at FIRST_POLL_SECONDS and doubles up to POLL_SECONDS, and tries again, for up
    to the configured busy timeout; then the error is the one SQLite's handler gave. A fixed 5 ms pause let
    one process's writers hand the lock among themselves while the other's waited (a write of the other
    process holds it for a fraction of a millisecond): PUT /api/body-measurements on two gunicorn processes
    fell to a third of its rate (BENCHMARKS.md, "Read speed").
    """

    FIRST_POLL_SECONDS = 0.0002
    POLL_SECONDS = 0.005

    def __init__(self, timeout_seconds: float) -> None:
        self._timeout = timeout_seconds
        self._condition = threading.Condition()
        self._generation = 0  # writers ended so far

    def run(self, attempt: Callable[[], _T], sql: str, params: Sequence[object] = ()) -> _T:
        """attempt()'s result once the write lock let it run; sqlite3 errors as SQLAlchemy's DBAPIError."""
        deadline: float | None = None
        pause = self.FIRST_POLL_SECONDS
        while True:
            generation = self._generation
            try:
                return attempt()
            except sqlite3.OperationalError as exc:
                now = time.monotonic()
                deadline = deadline or now + self._timeout
                if getattr(exc, "sqlite_errorcode", 0) & 0xFF != sqlite3.SQLITE_BUSY or now >= deadline:
                    raise sa_exc.DBAPIError.instance(sql, params, exc, sqlite3.Error) from exc
            except sqlite3.Error as exc:
                raise sa_exc.DBAPIError.instance(sql, params, exc, sqlite3.Error) from exc
            with self._condition:
                if self._generation == generation:
                    self._condition.wait(min(pause, deadline - now))
            pause = min(2 * pause, self.POLL_SECONDS)

    def released(self) -> None:
        with self._condition:
            self._generation += 1
            self._condition.notify_all()


_WRITE_TURNS: weakref.WeakKeyDictionary[sa.Engine, _WriteTurns] = weakref.WeakKeyDictionary()  # SQLite's


class _ErrorsMapped:
    """SQLAlchemy's errors as ours: refused writes → IntegrityError; an unreachable database, a lost
    connection, an exhausted pool or a SQLite file locked past the busy timeout → DatabaseUnavailableError.
    A class rather than a @contextmanager generator: it wraps every statement, and costs a tenth of one."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, _type: object, exc: BaseException | None, _traceback: object) -> None:
        if isinstance(exc, sa_exc.IntegrityError):
            raise IntegrityError(str(exc.orig)) from exc
        if isinstance(exc, sa_exc.TimeoutError):
            raise DatabaseUnavailableError(f"No database connection available: {exc}") from exc
        if isinstance(exc, sa_exc.DBAPIError) and (exc.connection_invalidated or _unavailable(exc.orig)):
            raise DatabaseUnavailableError(str(exc.orig)) from exc


_errors_mapped = _ErrorsMapped()  # holds no state: one for every statement of every thread


def _unavailable(error: BaseException | None) -> bool:
    """A file that cannot be opened, a write lock still held by another connection after the busy timeout,
    a server that cannot be reached: the request may succeed later (503 with Retry-After)."""
    if isinstance(error, sqlite3.OperationalError):
        return "unable to open" in str(error) or getattr(error, "sqlite_errorname", "") in (
            "SQLITE_BUSY",
            "SQLITE_LOCKED",
        )
    return isinstance(error, psycopg.OperationalError)


# A quoted literal, quoted identifier or comment (copied as they are), or a `?`.
_SQL_TOKENS = compile_pattern(r"'[^']*'|\"[^\"]*\"|--[^\n]*|/\*.*?\*/|\?", DOTALL)


@lru_cache(maxsize=2048)
def _text(sql: str) -> sa.TextClause:
    """`?` placeholders as SQLAlchemy's named ones (:p1, :p2, ...), in a text() built once per SQL string.

    A colon inside a literal or comment is escaped, so text() never reads `'10:30'` as a parameter.
    """
    count = 0

    def replace(match: PatternMatch[str]) -> str:
        nonlocal count
        if match.group(0) != "?":
            return match.group(0).replace(":", "\\:")
        count += 1
        return f":p{count}"

    statement = sa.text(_SQL_TOKENS.sub(replace, sql))
    if set(statement._bindparams) != {f"p{n}" for n in range(1, count + 1)}:
        raise ValueError(f"SQL may name parameters only with ?, not with :name: {sql}")
    return statement


@lru_cache(maxsize=256)
def _lock_statement(table: str, columns: tuple[str, ...]) -> sa.Select[Any]:
    """SELECT * FROM table WHERE column = :p1 ... FOR UPDATE (SQLite has no FOR UPDATE: its dialect leaves
    it out, and BEGIN IMMEDIATE already excludes every other writer)."""
    rows = sa.table(table, *(sa.column(name) for name in columns))
    return (
        sa.select(sa.literal_column("*"))
        .select_from(rows)
        .where(*(rows.c[name] == sa.bindparam(f"p{n}") for n, name in enumerate(columns, start=1)))
        .with_for_update()
    )


def _bound(params: Params) -> dict[str, SqlValue]:
    # Booleans live in INTEGER 0/1 columns; PostgreSQL, unlike SQLite, will not store True there.
    return {
        f"p{n}": int(value) if isinstance(value, bool) else value
        for n, value in enumerate(checked_params(params), start=1)
    }


def checked_params(params: Params) -> tuple[SqlValue, ...]:
    """The statement's parameters as a tuple; a NUL character in text is refused (400) on both databases.

    PostgreSQL cannot hold NUL in text at all, not even to compare it; SQLite refuses it too, so a
    client sending one gets the same answer from either.
    """
    params = tuple(params)
    if any(isinstance(value, str) and "\x00" in value for value in params):
        raise ValidationError("Text may not contain NUL (\\x00) characters")
    return params


# --- engines ---------------------------------------------------------------------------------------
def sqlite_engine(
    path: str | Path, busy_timeout_ms: int = 10000, idle_connections: int = SQLITE_IDLE_CONNECTIONS
) -> sa.Engine:
    """A SQLite file with WAL, foreign keys on and a busy timeout; a block starts with BEGIN IMMEDIATE.

    `idle_connections`: as many as the process has threads that may each hold one (a connection beyond it is
    closed when released and opened again by the next thread: four statements and a file open, ~1 ms)."""
    path = str(path)
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(
        URL.create("sqlite", database=path),
        pool_size=idle_connections,
        max_overflow=-1,
        connect_args={"timeout": 0, "check_same_thread": False},
    )
    turns = _WRITE_TURNS[engine] = _WriteTurns(busy_timeout_ms / 1000)

    @event.listens_for(engine, "connect")
    def configure(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None  # autocommit: the driver never opens transactions by itself
        dbapi_connection.execute("PRAGMA busy_timeout = 0")  # waits for the write lock are _WriteTurns'
        dbapi_connection.execute("PRAGMA foreign_keys = ON")
        _use_wal(dbapi_connection, busy_timeout_ms)
        dbapi_connection.execute("PRAGMA synchronous = NORMAL")

    # The write lock is taken up front, so a block that reads before it writes never deadlocks on the upgrade.
    @event.listens_for(engine, "begin")
    def begin(conn: sa.Connection) -> None:
        if conn.get_execution_options().get(_BLOCK):
            driver = _sqlite_driver(conn)
            turns.run(lambda: driver.execute("BEGIN IMMEDIATE"), "BEGIN IMMEDIATE")

    return engine


def _sqlite_driver(conn: sa.Connection) -> sqlite3.Connection:
    """The sqlite3 connection under a connection of a SQLite engine (SQLAlchemy types it as any driver's)."""
    return cast(sqlite3.Connection, conn.connection.driver_connection)


def _begin_blocks_with(engine: sa.Engine, statement: str) -> None:
    @event.listens_for(engine, "begin")
    def begin(conn: sa.Connection) -> None:
        if conn.get_execution_options().get(_BLOCK):
            conn.exec_driver_sql(statement)


def _use_wal(dbapi_connection: sqlite3.Connection, busy_timeout_ms: int) -> None:
    """WAL is stored in the file, so only the first connection of a new database switches it. That
    switch needs the file to itself and SQLite answers "locked" at once instead of waiting out the busy
    timeout, so processes starting together on a new database retry here until the timeout."""
    deadline = time.monotonic() + busy_timeout_ms / 1000
    while True:
        try:
            if dbapi_connection.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                dbapi_connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


class _NumberLoader(Loader):
    """NUMERIC (what SUM and AVG return) as int or float, the numbers SQLite hands back."""

    def load(self, data: bytes | bytearray | memoryview) -> int | float:
        text = bytes(data).decode()
        try:
            return int(text)
        except ValueError:
            return float(text)


def postgres_engine(url: str, pool_size: int = 20, pool_timeout_seconds: float = 10.0) -> sa.Engine:
    """PostgreSQL through psycopg 3: at most pool_size connections; waiting longer than the timeout for one
    is DatabaseUnavailableError (503)."""
    engine = sa.create_engine(
        make_url(url).set(drivername="postgresql+psycopg"),
        pool_size=pool_size,
        max_overflow=0,
        pool_timeout=pool_timeout_seconds,
        # No server-side prepared statements: a migration run by another process may change a table's columns.
        connect_args={"connect_timeout": max(1, round(pool_timeout_seconds)), "prepare_threshold": None},
    )

    @event.listens_for(engine, "connect")
    def configure(dbapi_connection: psycopg.Connection[Any], _record: object) -> None:
        dbapi_connection.autocommit = True
        # SQLite returns a DATE column as the text it stored; keep it text so JSON shows "1990-01-15".
        dbapi_connection.adapters.register_loader("date", TextLoader)
        dbapi_connection.adapters.register_loader("numeric", _NumberLoader)

    _begin_blocks_with(engine, "BEGIN")
    return engine


def sqlite_path_from_url(url: str) -> str:
    """`sqlite:///relative.db` → relative.db, `sqlite:////abs/path.db` → /abs/path.db."""
    return unquote(urlsplit(url).path[1:]) or ":memory:"


def create_engine(settings: Settings) -> sa.Engine:
    """The engine chosen by configuration: DATABASE_URL when set, else the DATABASE_PATH file."""
    url = settings.DATABASE_URL.strip()
    if not url:
        return sqlite_engine(
            settings.DATABASE_PATH, settings.DATABASE_BUSY_TIMEOUT_MS, _sqlite_threads(settings)
        )
    scheme = url.partition(":")[0].lower()
    if scheme in ("postgresql", "postgres"):
        return postgres_engine(
            "postgresql" + url[len(scheme) :],
            settings.DATABASE_POOL_SIZE,
            settings.DATABASE_POOL_TIMEOUT_SECONDS,
        )
    if scheme == "sqlite":
        return sqlite_engine(
            sqlite_path_from_url(url), settings.DATABASE_BUSY_TIMEOUT_MS, _sqlite_threads(settings)
        )
    raise ConfigurationError(
        f"DATABASE_URL must start with postgresql://, postgres:// or sqlite:///, not {scheme}://"
    )


def _sqlite_threads(settings: Settings) -> int:
    """Threads of one process that use the database at once: the server's and the try-on workers'."""
    return max(SQLITE_IDLE_CONNECTIONS, settings.SERVER_THREADS + settings.TRYON_WORKERS)


def create_database(settings: Settings) -> Database:
    """The app's Database on the engine chosen by configuration."""
    return Database(create_engine(settings))


def get_db() -> Database:
    """The current app's database (controllers and middleware only)."""
    from flask import current_app

    db: Database = current_app.extensions["db"]
    return db
