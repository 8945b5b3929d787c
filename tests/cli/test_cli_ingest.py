"""End-to-end through the CLI: ingest, duplicates, bad input, search/list/show/stats."""

import json
import shutil
import sqlite3

import pytest

from ..conftest import EXAMPLES, bw_json, run_bw

GOOD = (
    "Invented example report for borderwatch tests.\n\n"
    "Customs officers in Sinuiju began weighing every sack of rice that crosses the bridge, a "
    "trader told the newsroom. Prices in the market rose after the rule came in.\n\n"
    "Read in Korean\n"
)


def test_ingest_seed_keeps_tags_and_caption_as_metadata_and_drops_boilerplate(tmp_path, seed_path):
    db = tmp_path / "s.db"
    p = run_bw("ingest", str(seed_path), db=db)
    assert p.returncode == 0, p.stderr
    assert "stored 1" in p.stderr
    hits = bw_json("search", "Nampo", db=db)
    assert hits["total"] == 1
    r = bw_json("show", hits["results"][0]["id"], db=db)
    assert r["tags"] == ["border", "china", "north korea", "dprk", "defectors", "defections", "remittance"]
    assert r["captions"] == ["A marker delineating the border between China and North Korea (Wikimedia Commons)"]
    assert r["text"].startswith("Previously locked down Chinese cities")
    for junk in ("Read in Korean", "Please direct any comments", "Wikimedia Commons", "defections. remittance"):
        assert junk not in r["text"]
    assert r["text"].rstrip().endswith("re-emerged because of North Korea.”")


def test_ingest_same_file_twice_and_a_copy_elsewhere_store_one_report(tmp_path):
    a = tmp_path / "in" / "a.txt"
    a.parent.mkdir()
    a.write_text(GOOD)
    db = tmp_path / "d.db"
    assert run_bw("ingest", str(a), db=db).returncode == 0
    again = run_bw("ingest", str(a), db=db)
    assert again.returncode == 0 and "unchanged 1" in again.stderr
    b = tmp_path / "in" / "b.txt"
    b.write_text(GOOD.replace("\n", "\r\n"))
    third = run_bw("ingest", str(b), db=db)
    assert "duplicate 1" in third.stderr and "stored 0" in third.stderr
    assert bw_json("stats", db=db)["reports"] == 1
    shown = bw_json("show", bw_json("list", db=db)["reports"][0]["id"], db=db)
    assert sorted(shown["sources"]) == sorted([str(a), str(b)])


def test_ingest_bad_inputs_each_get_one_line_and_the_batch_goes_on(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "01_good.txt").write_text(GOOD)
    (folder / "02_empty.txt").write_bytes(b"")
    (folder / "03_binary.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "04_broken.json").write_text('{"text": "Trucks crossed the bridge at Manpo.", "title": ')
    (folder / "05_good.json").write_text(json.dumps({
        "text": "Invented: traders in Hyesan said rice prices fell after the harvest.",
        "title": "Rice falls", "published": "2023-10-02", "outlet": "Daily NK"}))
    (folder / "06_big.txt").write_text("word " * 5000)
    db = tmp_path / "m.db"
    p = run_bw("ingest", str(folder), "--max-bytes", "20000", db=db)
    assert p.returncode == 1
    errors = [ln for ln in p.stderr.splitlines() if ln.startswith("error:")]
    named = {name for name in ("02_empty", "03_binary", "04_broken", "06_big")
             for ln in errors if name in ln}
    assert named == {"02_empty", "03_binary", "04_broken", "06_big"}
    assert all(ln.count("\n") == 0 and len(ln) < 400 for ln in errors)
    stats = bw_json("stats", db=db)
    assert stats["reports"] == 2
    assert stats["failures"] == 4
    reasons = " ".join(f["reason"] for f in stats["recent_failures"])
    assert "empty" in reasons and "too large" in reasons


def test_ingest_from_stdin(tmp_path):
    db = tmp_path / "i.db"
    p = run_bw("ingest", "-", "--published", "2022-03-01", "--outlet", "Test Outlet",
               db=db, input=GOOD.encode())
    assert p.returncode == 0, p.stderr
    r = bw_json("list", db=db)["reports"][0]
    assert r["outlet"] == "Test Outlet" and r["published"] == "2022-03-01"


def test_ingest_database_from_environment_variable(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text(GOOD)
    db = tmp_path / "env.db"
    p = run_bw("ingest", str(a), env={"BORDERWATCH_DB": str(db)})
    assert p.returncode == 0, p.stderr
    assert db.exists()
    assert bw_json("stats", db=db)["reports"] == 1


def test_read_commands_on_a_missing_database_say_so(tmp_path):
    for cmd in (["search", "rice"], ["list"], ["stats"], ["show", "abcd1234"]):
        p = run_bw(*cmd, db=tmp_path / "nope.db")
        assert p.returncode != 0
        assert "no database at" in p.stderr and "Traceback" not in p.stderr
    assert not (tmp_path / "nope.db").exists()


def test_search_with_a_bad_query_explains(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text(GOOD)
    db = tmp_path / "q.db"
    run_bw("ingest", str(a), db=db)
    p = run_bw("search", '"unclosed', db=db)  # a stray quote is text (issue 8)
    assert p.returncode == 0 and "match" in p.stdout and "Traceback" not in p.stderr
    p = run_bw("search", "AND OR", db=db)
    assert p.returncode != 0 and "nothing to search for" in p.stderr and "Traceback" not in p.stderr


def test_demo_examples_all_ingest_without_failures(tmp_path):
    if not EXAMPLES.exists():
        pytest.skip("no examples")
    db = tmp_path / "demo.db"
    p = run_bw("ingest", str(EXAMPLES), db=db)
    assert p.returncode == 0, p.stderr
    stats = bw_json("stats", db=db)
    assert stats["reports"] >= 12 and stats["failures"] == 0
    encodings = {r[0] for r in sqlite3.connect(db).execute("SELECT encoding FROM reports")}
    assert {"utf-8", "euc-kr"} <= encodings
    copy = tmp_path / "copy"
    shutil.copytree(EXAMPLES, copy)
    again = run_bw("ingest", str(copy), db=db)
    assert again.returncode == 0
    assert bw_json("stats", db=db)["reports"] == stats["reports"]


# --- issue 9, item 5: file names and folders never stop a run --------------------------------

def test_file_names_that_are_not_utf8_or_hold_a_newline_are_stored_and_named_on_one_line(tmp_path):
    import os

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD)
    bad = os.path.join(os.fsencode(folder), b"b\xff\xfe.txt")
    with open(bad, "wb") as fh:
        fh.write(b"Invented example report for borderwatch tests.\n\nGuards in Hyesan fined three "
                 b"smugglers 500 yuan each on Tuesday, a resident said. Copper was seized.\n")
    (folder / "empty\nname.txt").write_bytes(b"")  # fails: empty file, named on one line
    db = tmp_path / "d.db"
    p = run_bw("ingest", str(folder), db=db)
    assert p.returncode == 1, p.stderr  # one failure, the rest stored
    assert "Traceback" not in p.stderr and "stored 2" in p.stderr
    [line] = [ln for ln in p.stderr.splitlines() if ln.startswith("error:")]
    assert line.endswith("empty\\nname.txt: empty file")
    conn = sqlite3.connect(db)
    sources = sorted(r[0] for r in conn.execute("SELECT source FROM reports"))
    assert sources[1].endswith("b\\xff\\xfe.txt")
    failed = [r[0] for r in conn.execute("SELECT source FROM failures")]
    assert failed == [str(folder / "empty\nname.txt")]
    again = run_bw("ingest", str(folder), db=db)  # a rerun passes the same files, no traceback
    assert "Traceback" not in again.stderr and "unchanged 2" in again.stderr


def test_a_folder_that_cannot_be_listed_is_a_failure_and_the_walk_goes_on(tmp_path, monkeypatch):
    import os

    from borderwatch.ingest.sources import walk_folder

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("x")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text("x")
    (tmp_path / "c.txt").write_text("x")
    real = os.scandir

    def scandir(path):
        if str(path).endswith("/a"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    out = list(walk_folder(str(tmp_path)))
    failures = [o for o in out if not isinstance(o, str)]
    assert [(f.source, f.reason) for f in failures] == [(str(tmp_path / "a"), "cannot read folder: Permission denied")]
    assert [o for o in out if isinstance(o, str)] == [str(tmp_path / "c.txt"), str(tmp_path / "b" / "two.txt")]
