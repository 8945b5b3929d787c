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


def test_processes_opening_a_new_store_at_once_apply_each_migration_once(tmp_path):
    """Two first ingests into a new database raced on migrations (issue 9): the set of applied
    versions is read again inside each migration's write transaction."""
    import subprocess
    import sys
    import time

    db = tmp_path / "race.db"
    start = time.time() + 2.0
    script = ("import sys, time; from borderwatch.store import open_db\n"
              f"time.sleep(max(0, {start} - time.time()))\n"
              "open_db(sys.argv[1]).close()\n")
    procs = [subprocess.Popen([sys.executable, "-c", script, str(db)], stderr=subprocess.PIPE, text=True)
             for _ in range(4)]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], errors
    import sqlite3

    c = sqlite3.connect(db)
    versions = [r[0] for r in c.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert versions == sorted(set(versions)) and len(versions) >= 9
