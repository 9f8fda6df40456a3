"""Database access: one DatabaseManager per app, one connection per thread.

SQL is written once with `?` placeholders. Rows come back as plain dicts. Writes that must be
atomic go inside `with db.transaction():` — every call made on the same thread inside the block
joins that transaction, so services can compose without passing connections around.
"""
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path


class IntegrityError(Exception):
    """A constraint (unique, foreign key, not null, check) refused the write."""


class DatabaseUnavailableError(Exception):
    """The database cannot be reached or opened."""


class DatabaseManager:
    """SQLite with WAL, foreign keys on and a busy timeout; safe across request and worker threads."""

    dialect = "sqlite"

    def __init__(self, path, busy_timeout_ms=10000):
        self.path = str(path)
        self.busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        self._all_connections = []
        self._lock = threading.Lock()
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)

    # --- connections -------------------------------------------------------------------------
    def connection(self):
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
            self._local.depth = 0
            with self._lock:
                self._all_connections.append(conn)
        return conn

    def _connect(self):
        try:
            conn = sqlite3.connect(self.path, timeout=self.busy_timeout_ms / 1000,
                                   isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise DatabaseUnavailableError(str(exc)) from exc
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        return conn

    def close_thread_connection(self):
        conn = getattr(self._local, "conn", None)
        if conn is not None and not getattr(self._local, "depth", 0):
            self._local.conn = None
            with self._lock:
                if conn in self._all_connections:
                    self._all_connections.remove(conn)
            conn.close()

    def close_all(self):
        with self._lock:
            conns, self._all_connections = self._all_connections, []
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

    def get_lastrowid(self):
        """Id of the last row inserted by execute_insert on this thread."""
        return getattr(self._local, "lastrowid", None)

    def execute_many(self, sql, seq_of_params):
        with self.transaction():
            try:
                cursor = self.connection().executemany(sql, list(seq_of_params))
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
            return self.connection().execute(sql, tuple(params))
        except sqlite3.IntegrityError as exc:
            raise IntegrityError(str(exc)) from exc
        except sqlite3.OperationalError as exc:
            if "unable to open" in str(exc):
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
        conn.execute("BEGIN IMMEDIATE")  # take the write lock up front: no deadlock on upgrade
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

    # --- introspection -----------------------------------------------------------------------
    def table_exists(self, name):
        return name in self.get_tables()

    def get_tables(self):
        rows = self.execute_query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            fetch_all=True)
        return [row["name"] for row in rows]

    def ping(self):
        """Raise DatabaseUnavailableError unless a trivial query succeeds."""
        try:
            self.execute_query("SELECT 1", fetch_one=True)
        except sqlite3.Error as exc:
            raise DatabaseUnavailableError(str(exc)) from exc


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


def create_database(settings):
    """The DatabaseManager chosen by configuration."""
    return DatabaseManager(settings.DATABASE_PATH, settings.DATABASE_BUSY_TIMEOUT_MS)


def get_db():
    """The current app's database (controllers and middleware only)."""
    from flask import current_app
    return current_app.extensions["db"]
