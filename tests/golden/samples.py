"""The bundled invented sample reports as fact sheets, keyed by the ids of their expected files."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from borderwatch.clean import make_document
from borderwatch.extract.pipeline import extract
from borderwatch.ingest import ReadOptions, read_input
from borderwatch.model import RawInput

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "reports"
EXPECTED = Path(__file__).resolve().parent / "expected"
SHEETS = Path(__file__).resolve().parent / "sheets"


def sample_id(path: Path, n: int, many: bool) -> str:
    """`file.txt` for single-report files, `file.jsonl#2` for the n-th record of a stream."""
    return f"{path.name}#{n}" if many else path.name


@cache
def sample_sheets() -> dict[str, dict]:
    """Fact sheets of every sample report (sources made relative so goldens are portable)."""
    out: dict[str, dict] = {}
    for path in sorted(EXAMPLES.iterdir()):
        if path.suffix == ".md" or path.name.startswith("."):
            continue
        raw = RawInput(source=f"examples/reports/{path.name}", data=path.read_bytes())
        reports = [r for r in read_input(raw, ReadOptions(), None) if hasattr(r, "body")]
        for n, rep in enumerate(reports, 1):
            sheet = extract(make_document(rep)).to_dict()
            out[sample_id(path, n, len(reports) > 1)] = sheet
    return out
