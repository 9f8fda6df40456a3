"""Which database a configuration gets, and what an unreachable PostgreSQL looks like (no server needed)."""

import socket

import pytest

from app import create_app
from config import ConfigurationError, Settings
from shared.database import Database, DatabaseUnavailableError, _text, create_database, postgres_engine
from tests.helpers import app_settings


def _settings(**values):
    return Settings.from_env(env={key: str(value) for key, value in values.items()})


def _closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_database_url_wins_over_database_path(tmp_path):
    path = tmp_path / "embedded.db"
    embedded = create_database(_settings(DATABASE_PATH=path))
    assert embedded.dialect == "sqlite" and embedded.engine.url.database == str(path)
    for url in ("postgresql://bf:secret@db.internal:5432/bf", "postgres://bf@db.internal/bf"):
        database = create_database(_settings(DATABASE_PATH=path, DATABASE_URL=url, DATABASE_POOL_SIZE=7))
        assert database.dialect == "postgresql" and database.engine.url.drivername == "postgresql+psycopg"
        assert database.engine.url.host == "db.internal" and database.engine.pool.size() == 7
    from_url = create_database(
        _settings(DATABASE_PATH=path, DATABASE_URL=f"sqlite:///{tmp_path}/from-url.db")
    )
    assert from_url.dialect == "sqlite" and from_url.engine.url.database == f"{tmp_path}/from-url.db"


def test_unknown_database_scheme_refuses_to_start(tmp_path):
    with pytest.raises(ConfigurationError, match="DATABASE_URL"):
        create_app(app_settings(tmp_path, LOG_TO_FILES=False, DATABASE_URL="mysql://bf@localhost/bf"))


def test_question_marks_become_bound_parameters_only_outside_quotes_and_comments():
    sql = "SELECT '?', \"odd?col\", 'it''s 100% at 10:30' FROM t /* why? */ WHERE a LIKE ? AND b = ? -- really?\n"
    compiled = _text(sql).compile(dialect=postgres_engine("postgresql://bf@db.internal/bf").dialect)
    assert str(compiled) == (
        "SELECT '?', \"odd?col\", 'it''s 100%% at 10:30' FROM t /* why? */ WHERE a LIKE "
        "%(p1)s AND b = %(p2)s -- really?\n"
    )
    with pytest.raises(ValueError, match=":name"):
        _text("SELECT * FROM t WHERE a = :a")


def test_unreachable_postgresql_is_database_unavailable(tmp_path):
    url = f"postgresql://bf:secret@127.0.0.1:{_closed_port()}/bf"
    database = Database(postgres_engine(url, pool_timeout_seconds=0.5))
    with pytest.raises(DatabaseUnavailableError):
        database.ping()
    with pytest.raises(DatabaseUnavailableError):
        database.execute_query("SELECT 1", fetch_one=True)
    database.close_all()
    with pytest.raises(DatabaseUnavailableError):
        create_app(
            app_settings(tmp_path, LOG_TO_FILES=False, DATABASE_URL=url, DATABASE_POOL_TIMEOUT_SECONDS=0.5)
        )
