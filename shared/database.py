"""Database access: one manager per app — SQLite (embedded default) or PostgreSQL (DATABASE_URL).

SQL is written once with `?` placeholders. Rows come back as plain dicts. Writes that must be
atomic go inside `with db.transaction():` — every call made on the same thread inside the block
joins that transaction, so services can compose without passing connections around. Both managers
have the same methods and semantics; `create_database(settings)` picks one.
"""
import sqlite3
import threading
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import psycopg
from psycopg.adapt import Loader
from psycopg.rows import dict_row
from psycopg.types.string import TextLoader
from psycopg_pool import ConnectionPool, PoolClosed, PoolTimeout

from config import ConfigurationError
from shared.errors import ValidationError
from shared.text_patterns import DOTALL, IGNORECASE, compile_pattern

_RETURNING = compile_pattern(r"\bRETURNING\b", IGNORECASE)


class IntegrityError(Exception):
    """A constraint (unique, foreign key, not null, check) refused the write."""


class DatabaseUnavailableError(Exception):
    """The database cannot be reached or opened."""


MAX_IDLE_CONNECTIONS = 16


class _Introspection:
    """What both managers share; each names its catalogue query and its driver's base error."""

    LIST_TABLES_SQL = ""
    DRIVER_ERROR = Exception

    def get_lastrowid(self):
        """Id of the last row inserted by execute_insert on this thread."""
        return getattr(self._local, "lastrowid", None)

    def table_exists(self, name):
        return name in self.get_tables()

    def get_tables(self):
        return [row["name"] for row in self.execute_query(self.LIST_TABLES_SQL, fetch_all=True)]

    def ping(self):
        """Raise DatabaseUnavailableError unless a trivial query succeeds."""
        try:
            self.execute_query("SELECT 1", fetch_one=True)
        except self.DRIVER_ERROR as exc:
            raise DatabaseUnavailableError(str(exc)) from exc


class DatabaseManager(_Introspection):
    """SQLite with WAL, foreign keys on and a busy timeout; safe across request and worker threads."""

    dialect = "sqlite"
    LIST_TABLES_SQL = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    DRIVER_ERROR = sqlite3.Error

    def __init__(self, path, busy_timeout_ms=10000):
        self.path = str(path)
        self.busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        self._all_connections = []
        self._idle = []  # connections released by finished requests, reused by the next ones
        self._lock = threading.Lock()
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)

    # --- connections -------------------------------------------------------------------------
    def connection(self):
        conn = getattr(self._local, "conn", None)
        if conn is None:
            with self._lock:
                conn = self._idle.pop() if self._idle else None
            if conn is None:
                conn = self._connect()
                with self._lock:
                    self._all_connections.append(conn)
            self._local.conn = conn
            self._local.depth = 0
        return conn

    def _connect(self):
        try:
            conn = sqlite3.connect(self.path, timeout=self.busy_timeout_ms / 1000,
                                   isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise DatabaseUnavailableError(str(exc)) from exc
        conn.row_factory = sqlite3.Row
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            conn.execute("PRAGMA foreign_keys = ON")
            self._use_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as exc:
            conn.close()
            raise DatabaseUnavailableError(str(exc)) from exc
        return conn

    def _use_wal(self, conn):
        """WAL is stored in the file, so only the first connection of a new database switches it. That
        switch needs the file to itself and SQLite answers "locked" at once instead of waiting out the busy
        timeout, so processes starting together on a new database retry here until the timeout."""
        deadline = time.monotonic() + self.busy_timeout_ms / 1000
        while True:
            try:
                if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() >= deadline:
                    raise
                time.sleep(0.01)

    def close_thread_connection(self):
        """Release this thread's connection (end of a request): kept for reuse, a few at most."""
        conn = getattr(self._local, "conn", None)
        if conn is not None and not getattr(self._local, "depth", 0):
            self._local.conn = None
            with self._lock:
                if len(self._idle) < MAX_IDLE_CONNECTIONS:
                    self._idle.append(conn)
                    return
                if conn in self._all_connections:
                    self._all_connections.remove(conn)
            conn.close()

    def ping(self):
        """A reused connection keeps working on a deleted file, so the file must also still be there."""
        if self.path != ":memory:" and not Path(self.path).exists():
            raise DatabaseUnavailableError(f"database file {self.path} is missing")
        super().ping()

    def close_all(self):
        with self._lock:
            conns, self._all_connections, self._idle = self._all_connections, [], []
        for conn in conns:
            try:
                conn.close()
            except sqlite3.Error:
                pass
        self._local = threading.local()

    # --- queries -----------------------------------------------------------------------------
    def execute_query(self, sql, params=(), fetch_one=False, fetch_all=False):
        """Run one statement. Returns a dict (fetch_one), a list of dicts (fetch_all) or the rowcount."""
        cursor = self._execute(sql, params)
        if fetch_one:
            row = cursor.fetchone()
            return dict(row) if row is not None else None
        if fetch_all:
            return [dict(row) for row in cursor.fetchall()]
        return cursor.rowcount

    def execute_insert(self, sql, params=()):
        """Run an INSERT and return the new row's integer id."""
        cursor = self._execute(sql, params)
        self._local.lastrowid = cursor.lastrowid
        return cursor.lastrowid

    def execute_many(self, sql, seq_of_params):
        with self.transaction():
            try:
                cursor = self.connection().executemany(sql, [checked_params(params) for params in seq_of_params])
            except sqlite3.IntegrityError as exc:
                raise IntegrityError(str(exc)) from exc
            return cursor.rowcount

    def execute_script(self, script):
        """Run several statements inside the current (or a new) transaction."""
        with self.transaction():
            conn = self.connection()
            for statement in split_sql_statements(script):
                try:
                    conn.execute(statement)
                except sqlite3.IntegrityError as exc:
                    raise IntegrityError(str(exc)) from exc

    def _execute(self, sql, params):
        try:
            return self.connection().execute(sql, checked_params(params))
        except sqlite3.IntegrityError as exc:
            raise IntegrityError(str(exc)) from exc
        except sqlite3.OperationalError as exc:
            if _unavailable(exc):
                raise DatabaseUnavailableError(str(exc)) from exc
            raise

    # --- transactions ------------------------------------------------------------------------
    @contextmanager
    def transaction(self):
        """Atomic block; nested blocks on the same thread join the outermost one."""
        conn = self.connection()
        depth = getattr(self._local, "depth", 0)
        if depth:
            self._local.depth = depth + 1
            try:
                yield self
            finally:
                self._local.depth = depth
            return
        try:
            conn.execute("BEGIN IMMEDIATE")  # take the write lock up front: no deadlock on upgrade
        except sqlite3.OperationalError as exc:
            if _unavailable(exc):
                raise DatabaseUnavailableError(str(exc)) from exc
            raise
        self._local.depth = 1
        try:
            yield self
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")
        finally:
            self._local.depth = 0


def _unavailable(exc):
    """A file that cannot be opened, or a write lock still held by another connection after the busy
    timeout: the request may succeed later (503 with Retry-After), unlike a broken statement."""
    return "unable to open" in str(exc) or getattr(exc, "sqlite_errorname", "") in ("SQLITE_BUSY", "SQLITE_LOCKED")


def split_sql_statements(script):
    """Split a migration script on semicolons that end a line (our migrations keep that style)."""
    statements, current = [], []
    for line in script.splitlines():
        stripped = line.strip()
        if stripped.startswith("--") and not current:
            continue
        current.append(line)
        if stripped.endswith(";"):
            statement = "\n".join(current).strip()
            if statement.rstrip(";").strip():
                statements.append(statement)
            current = []
    tail = "\n".join(current).strip()
    if tail:
        statements.append(tail)
    return statements


# Any constant shared by every process works; this one spells "BFwr" (Because Future, writes).
_WRITE_LOCK_KEY = 0x42467772


class _NumberLoader(Loader):
    """NUMERIC (what SUM and AVG return) as int or float, the numbers SQLite hands back."""

    def load(self, data):
        text = bytes(data).decode()
        try:
            return int(text)
        except ValueError:
            return float(text)


def _configure_connection(conn):
    # SQLite returns a DATE column as the text it stored; keep it text so JSON shows "1990-01-15".
    conn.adapters.register_loader("date", TextLoader)
    conn.adapters.register_loader("numeric", _NumberLoader)


class PostgresDatabaseManager(_Introspection):
    """PostgreSQL through a psycopg 3 connection pool, with the methods and semantics of DatabaseManager.

    Outside a transaction each statement borrows a pooled connection and autocommits. A
    `transaction()` pins one connection to the thread until the outermost block ends, and first
    takes a transaction-level advisory lock, so transaction blocks run one at a time across every
    process — the guarantee SQLite's `BEGIN IMMEDIATE` gives — and check-then-write logic is
    correct on both databases. Single statements outside blocks still run concurrently. Each
    statement inside a block runs under a savepoint, so a refused write (IntegrityError) that the
    caller catches leaves the rest of the block usable, as in SQLite.
    """

    dialect = "postgresql"
    LIST_TABLES_SQL = ("SELECT table_name AS name FROM information_schema.tables "
                       "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name")
    DRIVER_ERROR = psycopg.Error

    def __init__(self, url, pool_size=20, pool_timeout_seconds=10.0):
        self.url = url
        self.pool_size = pool_size
        self.pool_timeout_seconds = pool_timeout_seconds
        self._local = threading.local()
        self._pool = None
        self._lock = threading.Lock()

    # --- connections -------------------------------------------------------------------------
    def _get_pool(self):
        with self._lock:
            if self._pool is None:
                self._pool = ConnectionPool(
                    self.url, min_size=1, max_size=self.pool_size, timeout=self.pool_timeout_seconds,
                    kwargs={"autocommit": True, "row_factory": dict_row,
                            "connect_timeout": max(1, round(self.pool_timeout_seconds))},
                    configure=_configure_connection, open=False, name="because-future")
                self._pool.open(wait=False)
            return self._pool

    @contextmanager
    def _borrowed_connection(self):
        """The thread's transaction connection, or a pooled one for the length of one statement."""
        pinned = getattr(self._local, "conn", None)
        if pinned is not None:
            yield pinned
            return
        pool = self._get_pool()
        try:
            conn = pool.getconn()
        except (PoolTimeout, PoolClosed) as exc:
            raise DatabaseUnavailableError(f"No PostgreSQL connection available: {exc}") from exc
        try:
            yield conn
        finally:
            pool.putconn(conn)

    def close_thread_connection(self):
        """Nothing to release: connections go back to the pool after each statement or transaction."""

    def close_all(self):
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()
        self._local = threading.local()

    # --- queries -----------------------------------------------------------------------------
    def execute_query(self, sql, params=(), fetch_one=False, fetch_all=False):
        """Run one statement. Returns a dict (fetch_one), a list of dicts (fetch_all) or the rowcount."""
        def run(cursor):
            cursor.execute(to_pyformat(sql), _adapt_params(params), prepare=False)
            if fetch_one:
                return cursor.fetchone() if cursor.description else None
            if fetch_all:
                return cursor.fetchall() if cursor.description else []
            return cursor.rowcount
        return self._run(run)

    def execute_insert(self, sql, params=()):
        """Run an INSERT and return the new row's integer id (None for tables without an `id`)."""
        if not _RETURNING.search(sql):
            sql = sql.rstrip().rstrip(";") + " RETURNING *"
        rows = self._run(lambda cursor: cursor.execute(to_pyformat(sql), _adapt_params(params),
                                                       prepare=False).fetchall())
        self._local.lastrowid = rows[-1].get("id") if rows else None
        return self._local.lastrowid

    def execute_many(self, sql, seq_of_params):
        def run(cursor):
            cursor.executemany(to_pyformat(sql), [_adapt_params(params) for params in seq_of_params])
            return cursor.rowcount
        with self.transaction():
            return self._run(run)

    def execute_script(self, script):
        """Run several statements inside the current (or a new) transaction."""
        with self.transaction():
            for statement in split_sql_statements(script):
                self._run(lambda cursor: cursor.execute(statement, prepare=False))

    def _run(self, operation):
        """Call operation(cursor) on the right connection, under a savepoint inside a transaction."""
        with self._borrowed_connection() as conn, _driver_errors_mapped(conn), conn.cursor() as cursor:
            if getattr(self._local, "conn", None) is conn:
                with conn.transaction():
                    return operation(cursor)
            return operation(cursor)

    # --- transactions ------------------------------------------------------------------------
    @contextmanager
    def transaction(self):
        """Atomic block; nested blocks on the same thread join the outermost one."""
        if getattr(self._local, "conn", None) is not None:
            yield self
            return
        with self._borrowed_connection() as conn, _driver_errors_mapped(conn), conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK_KEY,))
            self._local.conn = conn
            try:
                yield self
            finally:
                self._local.conn = None


@contextmanager
def _driver_errors_mapped(conn):
    """psycopg's errors as ours: refused writes → IntegrityError, a lost connection → DatabaseUnavailableError."""
    try:
        yield
    except psycopg.IntegrityError as exc:
        raise IntegrityError(str(exc)) from exc
    except psycopg.OperationalError as exc:
        if conn.broken or conn.closed:
            raise DatabaseUnavailableError(str(exc)) from exc
        raise


# A quoted literal, quoted identifier or comment (copied as they are), a `?`, or a lone `%`.
_SQL_TOKENS = compile_pattern(r"'[^']*'|\"[^\"]*\"|--[^\n]*|/\*.*?\*/|\?|%", DOTALL)


@lru_cache(maxsize=1024)
def to_pyformat(sql):
    """Our `?` placeholders as psycopg's `%s`; every literal `%` doubled, since psycopg formats the text."""
    def replace(match):
        token = match.group(0)
        if token == "?":
            return "%s"
        return token.replace("%", "%%")
    return _SQL_TOKENS.sub(replace, sql)


def _adapt_params(params):
    # Booleans live in INTEGER 0/1 columns; PostgreSQL, unlike SQLite, will not store True there.
    return tuple(int(value) if isinstance(value, bool) else value for value in checked_params(params))


def checked_params(params):
    """The statement's parameters as a tuple; a NUL character in text is refused (400) on both databases.

    PostgreSQL cannot hold NUL in text at all, not even to compare it; SQLite refuses it too, so a
    client sending one gets the same answer from either.
    """
    params = tuple(params)
    if any(isinstance(value, str) and "\x00" in value for value in params):
        raise ValidationError("Text may not contain NUL (\\x00) characters")
    return params


def sqlite_path_from_url(url):
    """`sqlite:///relative.db` → relative.db, `sqlite:////abs/path.db` → /abs/path.db."""
    return unquote(urlsplit(url).path[1:]) or ":memory:"


def create_database(settings):
    """The database manager chosen by configuration: DATABASE_URL when set, else the DATABASE_PATH file."""
    url = settings.DATABASE_URL.strip()
    if not url:
        return DatabaseManager(settings.DATABASE_PATH, settings.DATABASE_BUSY_TIMEOUT_MS)
    scheme = url.partition(":")[0].lower()
    if scheme in ("postgresql", "postgres"):
        return PostgresDatabaseManager(url, settings.DATABASE_POOL_SIZE, settings.DATABASE_POOL_TIMEOUT_SECONDS)
    if scheme == "sqlite":
        return DatabaseManager(sqlite_path_from_url(url), settings.DATABASE_BUSY_TIMEOUT_MS)
    raise ConfigurationError(f"DATABASE_URL must start with postgresql://, postgres:// or sqlite:///, "
                             f"not {scheme}://")


def get_db():
    """The current app's database (controllers and middleware only)."""
    from flask import current_app
    return current_app.extensions["db"]
