"""Money, quantities and percentages of a document, with currencies decided and USD values.

The parsers (parsers/money.py, quantities.py) find amounts in the text; this module adds what
needs the document: the sentence that decides "won" (KPW or KRW) or "¥", restatements in
another currency ("RMB 300,000 (around USD 44,450)" -> conversion_of), exchange-rate
statements ("the dollar fetched 8,000 won" -> per "USD"), and the dollar value at the
publication date (values/usd.py). A "won" its sentence leaves open follows the report
(its other won amounts, else its cues). Quantities are read against the report too: counts whose
noun is elsewhere, "N others", and a count told again taking its first mention's unit.
Numbers inside date phrases ("July 11 people",
"in 2019 won") are never amounts. Money and percent spans leave the qualifier outside the text
("at least" + "RMB 300,000"), quantity spans include it ("over 50 fever cases"), as the fact-sheet
contract shows.
"""

from __future__ import annotations

from dataclasses import replace

from borderwatch.model import Amount, Document
from borderwatch.values import SpanSet
from borderwatch.values.dates import date_spans
from borderwatch.values.money import (
    MoneyMatch,
    decide_won,
    decide_won_report,
    decide_yen_sign,
    find_money,
    link_conversions,
    rate_cue_before,
)
from borderwatch.values.quantities import (
    QuantityMatch,
    back_reference_before,
    find_counts_elsewhere,
    find_percents,
    find_quantities,
)
from borderwatch.values.usd import to_usd

_WON = frozenset({"KPW", "KRW"})
_BASIS_GAP = 20  # characters between an amount and its basis: " for each ", " per "
_CONTEXT = 300  # characters either side used as the "sentence" when a document has none


def _sentence(doc: Document, pos: int) -> tuple[int, int]:
    """Bounds of the sentence holding `pos` (a window when the document has no sentences)."""
    if doc.sentences:
        s = doc.sentences[doc.sentence_at(pos)]
        if s.start <= pos <= s.end:
            return s.start, s.end
    return max(0, pos - _CONTEXT), min(len(doc.text), pos + _CONTEXT)


def _decide(doc: Document, items: list[MoneyMatch], conv: list[int | None]) -> list[tuple[MoneyMatch, str]]:
    """Each amount with per-unit bases shared across conversions and currencies decided.

    A plain "won" is decided by its sentence first (decide_won: a conversion or a rate before a
    place cue); one its sentence leaves open follows the report: the won amounts decided in it
    when they all agree, else the report's own cues when they name one side only."""
    text = doc.text
    partner: dict[int, int] = {}
    for i, j in enumerate(conv):
        if j is not None:
            partner[i], partner[j] = j, i
            a, b = items[j], items[i]
            if a.per is None and b.per is not None:
                items[j] = replace(a, per=b.per)  # "RMB 10,000 [around USD 1,400] a day"
            elif b.per is None and a.per is not None:
                items[i] = replace(b, per=a.per)
    out: list[tuple[MoneyMatch, str]] = []
    for i, m in enumerate(items):
        rules = ["money.conversion"] if conv[i] is not None else []
        rules.append(m.rule)
        lo, hi = _sentence(doc, m.start)
        sentence = text[lo:hi]
        if (m.ambiguous == "won" or m.currency in _WON) and m.per is None and i not in partner:
            iso = rate_cue_before(text, lo, m.start)
            if iso:
                m = replace(m, per=iso)
                rules.append("money.exchange_rate")
        if m.ambiguous == "won":
            p = items[partner[i]] if i in partner else None
            cur, rule = decide_won(sentence, m, p)
            m = replace(m, currency=cur)
            rules.append(rule)
        elif m.ambiguous == "yen_sign":
            cur, rule = decide_yen_sign(sentence)
            m = replace(m, currency=cur)
            rules.append(rule)
        out.append((m, "+".join(rules)))
    open_won = [i for i, (m, _) in enumerate(out) if m.ambiguous == "won" and m.currency is None]
    if open_won:
        decided = {m.currency for m, _ in out if m.currency in _WON}
        if len(decided) == 1:
            cur, rule = decided.pop(), "money.won_report_amounts"
        else:
            cur, rule = (decide_won_report(text), "money.won_report_context") if not decided else (None, "")
        if cur:
            for i in open_won:
                m, r = out[i]
                out[i] = (replace(m, currency=cur), f"{r}+{rule}")
    return out


def _is_money_basis(text: str, q: QuantityMatch, money: list[tuple[MoneyMatch, str]]) -> bool:
    """True when `q` is the per-unit basis of an amount just before it ("20,000 yuan for each
    100 kilogram bag"): it is already that amount's `per`, not a quantity of its own."""
    return any(m.per and q.per and 0 <= q.start - m.end <= _BASIS_GAP and m.per.endswith(q.per)
               and not any(c in ".;!?" for c in text[m.end:q.start]) for m, _ in money)


def _nested(a: str, b: str) -> bool:
    """'workers' and 'North Korean workers': one unit's words inside the other's (not 'Chinese
    workers' and 'North Korean workers', two groups)."""
    wa, wb = set(a.lower().split()), set(b.lower().split())
    return wa <= wb or wb <= wa


def _same_counts(doc: Document, found: list[QuantityMatch]) -> list[QuantityMatch]:
    """Quantities read against the report: "140,000 others" counts what the count before it in
    the sentence counts (without one it is dropped), and a count repeated later ("the same three
    laborers", "these seven people") takes the unit of its first mention, so a fact is one fact."""
    text = doc.text
    out: list[QuantityMatch] = []
    for q in found:
        if q.kind != "quantity":
            out.append(q)
            continue
        if q.base == "others":
            lo, _ = _sentence(doc, q.start)
            prev = [p for p in out if p.kind == "quantity" and p.start >= lo and p.base != "others"]
            if not prev:
                continue
            q = replace(q, unit=prev[-1].unit, base=prev[-1].base)
        first = next((p for p in out if p.kind == "quantity" and (p.min, p.max) == (q.min, q.max)
                      and p.unit != q.unit and ((p.base == q.base and _nested(p.unit, q.unit)) or (
                          back_reference_before(text, q.start) and "people" in (p.base, q.base)))), None)
        if first is not None:
            q = replace(q, unit=first.unit)
        out.append(q)
    return out


def find_amounts(doc: Document) -> list[Amount]:
    """Every amount in the document, in text order; conversion_of indexes this list."""
    text = doc.text
    dates = SpanSet((d.start, d.end) for d in date_spans(text))
    money = [m for m in find_money(text) if not dates.overlaps(m.start, m.end)]
    conv = link_conversions(text, money)
    decided = _decide(doc, money, conv)
    taken = SpanSet((m.start, m.end) for m, _ in decided)
    others = [q for q in find_quantities(text) + find_percents(text)
              if not taken.overlaps(q.start, q.end) and not dates.overlaps(q.start, q.end)
              and not _is_money_basis(text, q, decided)]
    blocked = tuple((m.start, m.per_end) for m, _ in decided) + tuple((d.start, d.end) for d in date_spans(text))
    others = _same_counts(doc, sorted(others + find_counts_elsewhere(text, others, blocked),
                                      key=lambda q: q.start))
    rows: list[tuple[int, str, int]] = [(m.start, "m", i) for i, (m, _) in enumerate(decided)]
    rows += [(q.start, "q", i) for i, q in enumerate(others)]
    rows.sort()
    new_index = {i: n for n, (_, kind, i) in enumerate(rows) if kind == "m"}
    out: list[Amount] = []
    for _, kind, i in rows:
        if kind == "q":
            q = others[i]
            out.append(Amount(q.kind, q.text, q.start, q.end, q.min, q.max, unit=q.unit,
                              qualifier=q.qualifier, per=q.per, rule=q.rule))
            continue
        m, rule = decided[i]
        of = conv[i]
        usd, rate_date = to_usd(m.mid, m.currency, doc.published)
        out.append(Amount("money", m.text, m.start, m.end, m.min, m.max, currency=m.currency,
                          qualifier=m.qualifier, per=m.per, usd=usd, usd_rate_date=rate_date,
                          conversion_of=new_index[of] if of is not None else None,
                          rule=rule))
    return out
