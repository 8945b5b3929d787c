"""Korean page furniture removed by data (data/boilerplate.yaml): skip links, share buttons,
audio players, bylines, copyright notices and related-article blocks. The page is invented."""

from __future__ import annotations

from borderwatch.clean.boilerplate import strip_boilerplate

PAGE = ("본문 바로가기\n\n국경 세관 다시 열려\n\n0:00 / 0:00\n\n신의주 세관이 다시 열렸다고 한다.\n\n"
        "홍길동 기자 hong@example.org\n공유\n【관련기사】\n<북한내부> 다른 이야기\n"
        "Copyright ⓒ 예시일보 무단전재 및 재배포 금지")


def test_korean_boilerplate_lines_and_tail_removed() -> None:
    body, removed = strip_boilerplate(PAGE)
    assert " ".join(body.split()) == "국경 세관 다시 열려 신의주 세관이 다시 열렸다고 한다."
    assert "공유" in removed and "【관련기사】" in removed


def test_korean_sentence_with_reporter_word_is_kept() -> None:
    text = "이 소식은 현지 기자가 전했다고 한다."
    assert strip_boilerplate(text)[0].strip() == text
