"""A batch partition's Parquet rows rebuild the very fact sheets `extract` prints, and
partitions of JSON Lines and Parquet inputs name their reports as `extract` of the whole file
does. In process, no cluster: `run_partition` is what each Dask worker runs."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from tests.examples import examples

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
ds = pytest.importorskip("pyarrow.dataset")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from borderwatch.batch import partitions  # noqa: E402
from borderwatch.batch.job import run_partition  # noqa: E402
from borderwatch.batch.output import markers  # noqa: E402
from borderwatch.batch.tables import FACT_TABLES, SCHEMAS, Rows, document_of, month_of, sheet_of  # noqa: E402
from borderwatch.clean import make_document  # noqa: E402
from borderwatch.extract.pipeline import extract_report  # noqa: E402
from borderwatch.extract.run import extract_sources  # noqa: E402
from borderwatch.extract.sections import SECTION_CHARS, SectionedSheet  # noqa: E402
from borderwatch.ingest import ReadOptions  # noqa: E402
from borderwatch.model import Failure, Report  # noqa: E402

from ..conftest import EXAMPLES  # noqa: E402

OPTIONS = ReadOptions(fetch_pages=False)


def read_back(out: Path) -> dict[str, dict]:
    """Every report of a batch output folder as its fact sheet's dict, by source, read the way
    a user would: each table's folder opened as a Hive-partitioned dataset."""
    facts: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for table in FACT_TABLES:
        if (out / table).exists():
            for r in ds.dataset(out / table, partitioning="hive").to_table().to_pylist():
                facts[r["report_id"]][table].append(r)
    return {r["source"]: sheet_of(document_of(r), r["topics"], facts[r["report_id"]]).to_dict()
            for r in ds.dataset(out / "reports", partitioning="hive").to_table().to_pylist()}


def run_all(sources: list[str], out: Path, size: int) -> list[Failure]:
    failures = []
    for p in partitions.plan(sources, size):
        if isinstance(p, Failure):
            failures.append(p)
        else:
            run_partition(p, str(out), OPTIONS)
    return failures


def test_batch_tables_rebuild_the_sheets_extract_prints(tmp_path):
    files = sorted(str(p) for p in EXAMPLES.iterdir() if "feed" not in p.name)  # feeds may fetch
    run_all(files, tmp_path, size=3)
    want = {d["document"]["source"]: d for d in extract_sources(files, OPTIONS) if isinstance(d, dict)}
    got = read_back(tmp_path)
    assert set(got) == set(want) and len(want) > 10
    for source, sheet in want.items():
        assert json.dumps(got[source], sort_keys=True) == json.dumps(sheet, sort_keys=True), source


def test_batch_every_fact_row_carries_its_report_and_span(tmp_path):
    run_all([str(EXAMPLES / "dandong_customs_crackdown.txt")], tmp_path, size=10)
    (report,) = ds.dataset(tmp_path / "reports", partitioning="hive").to_table().to_pylist()
    text = report["text"]
    for table in ("places", "goods", "amounts", "dates", "sources", "events"):
        rows = ds.dataset(tmp_path / table, partitioning="hive").to_table().to_pylist()
        assert rows, table
        for r in rows:
            assert r["report_id"] == report["report_id"]
            if table == "events":
                assert r["trigger"] == text[r["start"]:r["end"]]
            else:
                assert r["text"] == text[r["start"]:r["end"]], (table, r)
            assert r["month"] == month_of(report["published"])


def test_batch_every_partition_writes_its_tables_with_the_declared_schema(tmp_path):
    run_all([str(EXAMPLES)], tmp_path, size=4)
    for m in markers(str(tmp_path)):
        for rel in m["files"]:
            table = rel.split("/", 1)[0]
            assert pq.read_schema(tmp_path / rel).remove_metadata() == SCHEMAS[table], rel


def test_batch_a_long_report_is_written_section_by_section_and_rebuilt_whole(corpus):
    text = "\n\n".join(corpus.report(i)[2] for i in range(60))
    assert len(text) > SECTION_CHARS
    doc = make_document(Report(source="invented-long.txt", body=text, format="text",
                               published="2024-05-01"))
    sheet = extract_report(doc)
    assert isinstance(sheet, SectionedSheet)
    rows = Rows("p")
    rows.add_report(doc, sheet, "v")
    parts = list(sheet.sections())
    sheet.discard()
    tables = {t: arrow.to_pylist() for t, _, arrow in rows.tables()}
    facts = {t: tables.get(t, []) for t in FACT_TABLES}
    (report,) = tables["reports"]
    rebuilt = sheet_of(document_of(report), report["topics"], facts).to_dict()
    for key, attr in (("mentions", "mentions"), ("amounts", "amounts"), ("dates", "dates"),
                      ("attributions", "attributions"), ("events", "events")):
        assert rebuilt[key] == [f.to_dict() for part in parts for f in getattr(part, attr)], key
    assert rebuilt["topics"] == list(sheet.topics)


def _records(n: int) -> list[dict]:
    """Invented records, one a report."""
    return [{"title": f"Invented brief {i}", "published": f"2024-0{1 + i % 3}-1{i % 9}",
             "text": f"Traders in Hyesan said the price of rice rose to KPW {5000 + i} per kilogram"
                     f" in brief {i}, a source told the outlet."} for i in range(n)]


def test_batch_json_lines_partitions_name_reports_by_their_line_in_the_file(tmp_path):
    path = tmp_path / "briefs.jsonl"
    lines = [json.dumps(r) for r in _records(7)]
    lines[4] = '{"text": "broken'  # line 5 is malformed
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    plan = [p for p in partitions.plan([str(path)], 3) if isinstance(p, partitions.Partition)]
    assert [(p.kind, p.first) for p in plan] == [("lines", 1), ("lines", 4), ("lines", 7)]
    out = tmp_path / "out"
    run_all([str(path)], out, size=3)
    want = {d["document"]["source"]: d for d in extract_sources([str(path)], OPTIONS) if isinstance(d, dict)}
    assert read_back(out) == want
    failed = ds.dataset(out / "failures").to_table().to_pylist()
    assert [f["source"] for f in failed] == [f"{path}:5"]


def test_batch_parquet_inputs_are_read_by_row_group_and_named_by_row(tmp_path):
    records = _records(10)
    src = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist(records), src, row_group_size=4)
    plan = [p for p in partitions.plan([str(src)], 3) if isinstance(p, partitions.Partition)]
    assert [(p.group, p.start, p.stop, p.first) for p in plan] == [
        (0, 0, 3, 1), (0, 3, 4, 4), (1, 0, 3, 5), (1, 3, 4, 8), (2, 0, 2, 9)]
    out = tmp_path / "out"
    run_all([str(src)], out, size=3)
    same = tmp_path / "same.jsonl"
    same.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    want = {d["document"]["source"].replace(str(same), str(src)): d["topics"]
            for d in extract_sources([str(same)], OPTIONS) if isinstance(d, dict)}
    got = read_back(out)
    assert sorted(got) == sorted(f"{src}:{n}" for n in range(1, 11))
    assert {s: d["topics"] for s, d in got.items()} == want


def test_batch_a_split_partition_covers_its_inputs_one_each(tmp_path):
    path = tmp_path / "b.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in _records(5)), encoding="utf-8")
    (p,) = [p for p in partitions.plan([str(path)], 10) if isinstance(p, partitions.Partition)]
    parts = partitions.split(p)
    assert [q.first for q in parts] == [1, 2, 3, 4, 5]
    assert [q.id for q in parts] == [f"{p.id}-{k}" for k in range(5)]
    data = path.read_bytes()
    assert b"".join(data[q.start:q.stop] for q in parts) == data
    assert [partitions.label(q) for q in parts] == [f"{path}:{n}" for n in range(1, 6)]


@settings(max_examples=examples(60), deadline=None)
@given(lines=st.lists(st.binary(max_size=30).map(lambda b: b.replace(b"\n", b"")), max_size=40),
       size=st.integers(1, 7), trailing=st.booleans())
def test_batch_line_ranges_cover_the_file_in_order_at_most_size_lines_each(tmp_path_factory, lines, size, trailing):
    path = tmp_path_factory.mktemp("lines") / "x.jsonl"
    data = b"\n".join(lines) + (b"\n" if trailing and lines else b"")
    path.write_bytes(data)
    ranges = [w for _, w in partitions._line_ranges(str(path), size)]
    assert b"".join(data[w["start"]:w["stop"]] for w in ranges) == data
    for w in ranges:
        chunk = data[w["start"]:w["stop"]]
        assert w["first"] == data[:w["start"]].count(b"\n") + 1
        # lines end at b"\n" only, as JSON Lines does (splitlines() would also cut at \r)
        count = chunk.count(b"\n") + (0 if chunk.endswith(b"\n") else 1)
        assert 0 < count <= size or chunk == b""


def test_batch_plan_names_a_missing_source_and_a_url_as_failures(tmp_path):
    out = list(partitions.plan([str(tmp_path / "nothing-here"), "https://example.org/a"], 10))
    assert all(isinstance(f, Failure) for f in out) and len(out) == 2
    assert "no such file" in out[0].reason and "URLs" in out[1].reason


def test_batch_month_of():
    assert month_of("2024-03-05") == "2024-03"
    assert month_of(None) == month_of("") == "unknown"


BLOCKED = ("import sys\n"
           "for name in ('dask', 'distributed', 'pyarrow'):\n"
           "    sys.modules[name] = None  # as if the scale extra were not installed\n"
           "from borderwatch.cli import main\n"
           "main(sys.argv[1:])\n")


def test_batch_without_the_scale_extra_says_how_to_install_it_and_the_rest_runs(tmp_path):
    import subprocess
    import sys

    def bw(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", BLOCKED, *args], capture_output=True,
                              text=True, timeout=120)

    p = bw("batch", str(EXAMPLES), "--out", str(tmp_path / "out"))
    assert p.returncode == 1
    assert "pip install 'borderwatch[scale]'" in p.stderr and "dask, distributed, pyarrow" in p.stderr
    assert not (tmp_path / "out").exists()
    p = bw("extract", str(EXAMPLES / "dandong_customs_crackdown.txt"), "--format", "jsonl")
    assert p.returncode == 0 and json.loads(p.stdout)["events"]
