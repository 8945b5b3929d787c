"""Invented one-sentence reports for the worker-pool tests, one of them carrying a marker that
a test-only hook in borderwatch.workers acts on (a worker that dies, or never finishes)."""

from pathlib import Path


def write_fined_reports(folder: Path, n: int, marker: str, at: int) -> None:
    """n small invented reports r00.txt...; report `at` ends with `marker`."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        tail = f" {marker}" if i == at else ""
        (folder / f"r{i:02d}.txt").write_text(
            f"Invented report {i}.\n\nGuards in Musan fined a trader {700 + i} yuan on Tuesday for"
            f" carrying phones across the Tumen, a source in the county said.{tail}\n",
            encoding="utf-8")
