"""Korean bylines and date lines give a text file its publication date (lang/en/page_layout.yaml,
the page layouts every language shares). The lines are invented."""

from __future__ import annotations

import pytest

from borderwatch.ingest import ReadOptions, read_input
from borderwatch.ingest.textfile import date_lines
from borderwatch.model import RawInput


@pytest.mark.parametrize(("head", "value"), [
    ("제목\n\n2017.05.27. 오후 2:19\n\n본문이다.", "2017-05-27"),
    ("온라인 예시일보 2011.10.05 11:25\n본문이다.", "2011-10-05"),
    ("입력 2016.11.29 (21:00)\n본문이다.", "2016-11-29"),
])
def test_korean_date_lines(head: str, value: str) -> None:
    assert [d.value for d in date_lines(head)][:1] == [value]


def test_korean_byline_gives_author_and_date() -> None:
    body = "국경, 밀수, 세관\n국경 세관이 다시 열렸다\n홍길동 | 2024-03-05 10:20\n\n신의주 세관이 다시 열렸다고 소식통이 전했다.\n"
    [rep] = read_input(RawInput(source="t.txt", data=body.encode("utf-8")), ReadOptions(), None)
    assert (rep.author, rep.published) == ("홍길동", "2024-03-05")
