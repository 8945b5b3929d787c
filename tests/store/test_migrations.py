"""Migrations: applied on open, recorded, idempotent, and an old database upgrades in place."""

import sqlite3

from borderwatch.store import open_db
from borderwatch.store.migrate import _statements, available_migrations, current_version


def test_migrations_new_database_gets_every_migration(tmp_path):
    conn = open_db(tmp_path / "a.db")
    latest = available_migrations()[-1][0]
    assert current_version(conn) == latest
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_migrations_reopen_applies_nothing(tmp_path):
    open_db(tmp_path / "a.db").close()
    conn = open_db(tmp_path / "a.db")
    rows = conn.execute("SELECT version FROM schema_migrations").fetchall()
    assert len(rows) == len(available_migrations())


def test_migrations_old_database_upgrades_in_place_keeping_rows(tmp_path):
    """Build a database at the first version only, put a row in, then open it normally."""
    path = tmp_path / "old.db"
    raw = sqlite3.connect(path, isolation_level=None)
    current_version(raw)
    version, name, sql = available_migrations()[0]
    for st in _statements(sql):
        raw.execute(st)
    raw.execute("INSERT INTO schema_migrations VALUES (?, ?, 'then')", (version, name))
    raw.execute("INSERT INTO runs(started_at, command) VALUES ('2020-01-01', 'old run')")
    raw.close()
    conn = open_db(path)
    assert current_version(conn) == available_migrations()[-1][0]
    assert conn.execute("SELECT command FROM runs").fetchone()[0] == "old run"


def test_migrations_statement_splitter_keeps_trigger_bodies_whole():
    sql = "CREATE TABLE a(x);\nCREATE TRIGGER t AFTER INSERT ON a BEGIN\n  SELECT 1;\n  SELECT 2;\nEND;\n"
    parts = _statements(sql)
    assert len(parts) == 2
    assert parts[1].startswith("CREATE TRIGGER") and parts[1].endswith("END;")
