"""Money and quantities in Korean text: "300만 원", "1만 2천 위안", "40~50만 원", "650여명".

Currencies, counters and qualifiers are data (data/lang/ko/money.yaml, units.yaml,
qualifiers.yaml). A plain 원 is decided KPW or KRW by a prefix ("북한 돈", "한화"), then by the
cues of its sentence (장마당, 환율…), then by the won amounts already decided in the report and
the report's own cues, then by the default (Korean-language press is South Korean). Dollar values
at the publication date come from values/usd.py, as for English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from borderwatch.data_models.ko import KoMoneyFile, KoParticlesFile, KoQualifiersFile, KoUnitsFile
from borderwatch.datafiles import load
from borderwatch.extract.ko.lexicon import KO, patterns_alt, sentence_span, words_alt
from borderwatch.extract.ko.numbers import numerals, parse_number, parse_range
from borderwatch.model import Amount, Document
from borderwatch.values.usd import to_usd

_WON = "won"
_RATE_BASE = "money.ko.rate_base"
_RESTATED = re.compile(r"\s?[(\[]\s?")  # between an amount and its restatement in brackets


@dataclass(frozen=True, slots=True)
class AmountRules:
    """money.yaml, units.yaml and qualifiers.yaml compiled."""

    money: re.Pattern[str]
    prefix_only: re.Pattern[str]
    quantity: re.Pattern[str]
    suffixes: dict[str, str]
    prefixes: list[tuple[re.Pattern[str], str]]
    kpw: re.Pattern[str]
    krw: re.Pattern[str]
    default_won: str
    rate_joiner: re.Pattern[str]
    per_unit: re.Pattern[str]
    counters: dict[str, str]
    percent: frozenset[str]
    not_after: dict[str, tuple[str, ...]]
    people_nouns: dict[str, str]
    people_after: re.Pattern[str]  # genitive (particles.yaml) then the noun it joins ("650여명의 탈북민")
    basis_after: re.Pattern[str]
    before: dict[str, str]
    after: dict[str, str]
    after_number: dict[str, str]


def _number_source() -> str:
    """A number or a range of two, with named groups lo/hi (range) or n (single)."""
    n = numerals()
    return rf"(?:(?P<lo>{n.number})\s?{n.range_marks}\s?(?P<hi>{n.number})|(?P<n>{n.number}))"


@cache
def amount_rules() -> AmountRules:
    """The Korean money and quantity rules, validated and compiled once."""
    money, units = load(KO + "money.yaml", KoMoneyFile), load(KO + "units.yaml", KoUnitsFile)
    quals = load(KO + "qualifiers.yaml", KoQualifiersFile)
    suffixes, prefixes = dict(money.suffixes), dict(money.prefixes)
    before, after, after_number = dict(quals.before), dict(quals.after), dict(quals.after_number)
    counters, percent = dict(units.counters), list(units.percent)
    not_won = "".join(re.escape(c) for c in money.won_not_before)
    num = _number_source()
    qb = rf"(?:(?P<qb>{words_alt(list(before))})\s?)?"
    yeo = rf"(?P<yeo>{words_alt(list(after_number))})?"
    qa = rf"(?:\s?(?P<qa>{words_alt(list(after))}))?"
    pre = rf"(?:(?P<pre>{patterns_alt('money.yaml', list(prefixes))})\s?)?"
    # after an open won (a suffix whose currency is "won"), none of won_not_before: one
    # fixed-width look-behind per won word
    after_won = "|".join(f"(?<={re.escape(w)})" for w, c in suffixes.items() if c == _WON) or "(?!)"
    money_rx = (rf"(?<![\w.,]){pre}{qb}{num}{yeo}\s?(?P<cur>{words_alt(list(suffixes))})"
                rf"(?!(?:{after_won})[{not_won}]){qa}")
    named_prefixes = [p for p, c in prefixes.items() if c not in (_WON,)]
    prefix_only = rf"(?P<pre>{patterns_alt('money.yaml', named_prefixes)})\s?{qb}{num}(?![\d.,])"
    unit_alt = words_alt(list(counters) + percent)
    native = words_alt(list(numerals().native))
    quantity = (rf"(?<![\w.,]){qb}(?:{num}|(?P<nat>{native})\s){yeo}\s?(?P<unit>{unit_alt})"
                rf"(?![A-Za-z]){qa}")
    return AmountRules(
        money=re.compile(money_rx),
        prefix_only=re.compile(prefix_only),
        quantity=re.compile(quantity),
        suffixes=suffixes,
        prefixes=[(re.compile(p.replace(" ", r"\s*")), c) for p, c in prefixes.items()],
        kpw=re.compile(patterns_alt("money.yaml", money.kpw_cues), re.I),
        krw=re.compile(patterns_alt("money.yaml", money.krw_cues), re.I),
        default_won=money.default_won,
        rate_joiner=re.compile(money.rate_joiner),
        per_unit=re.compile(money.per_unit + r"\s*$"),
        counters=counters,
        percent=frozenset(percent),
        not_after={k: tuple(v) for k, v in units.not_after.items()},
        people_nouns=dict(units.people_nouns),
        people_after=re.compile(rf"(?:{words_alt(load(KO + 'particles.yaml', KoParticlesFile).genitive)})"
                                r"\s?(\S+)"),
        basis_after=re.compile(units.basis_after or "(?!)"),
        before=before,
        after=after,
        after_number=after_number,
    )


def _values(m: re.Match[str]) -> tuple[float, float] | None:
    """(min, max) of a match's number or range."""
    if m.group("n"):
        v = parse_number(m.group("n"))
        return None if v is None else (v, v)
    return parse_range(m.group("lo"), m.group("hi"))


def _qualifier(rules: AmountRules, m: re.Match[str]) -> str | None:
    """The match's qualifier: the word before, the 여 suffix, or the word after."""
    if m.group("qb"):
        return rules.before[m.group("qb")]
    if m.groupdict().get("yeo"):
        return rules.after_number[m.group("yeo")]
    if m.groupdict().get("qa"):
        return rules.after[m.group("qa")]
    if m.groupdict().get("lo"):
        return "range"
    return None


def _prefix_currency(rules: AmountRules, prefix: str | None) -> str | None:
    """The currency a prefix names ("북한 돈" -> KPW)."""
    if not prefix:
        return None
    for rx, code in rules.prefixes:
        if rx.fullmatch(prefix):
            return code
    return None


def _won_by_cues(rules: AmountRules, text: str) -> str | None:
    """KPW or KRW when `text` has cues of one side only."""
    kp, kr = bool(rules.kpw.search(text)), bool(rules.krw.search(text))
    if kp != kr:
        return "KPW" if kp else "KRW"
    return None


@dataclass(slots=True)
class _Money:
    start: int
    end: int
    lo: float
    hi: float
    currency: str | None
    qualifier: str | None
    per: str | None
    rule: str


def _find_money(doc: Document, rules: AmountRules) -> list[_Money]:
    """Every money amount, with an open won still None."""
    text = doc.text
    found: list[_Money] = []
    taken: list[tuple[int, int]] = []
    for m in rules.money.finditer(text):
        values = _values(m)
        if values is None:
            continue
        code: str | None = rules.suffixes[m.group("cur")]
        pre = _prefix_currency(rules, m.group("pre"))
        rule = "money.ko.suffix"
        if code == _WON:
            code = pre if pre in ("KPW", "KRW") else None
            rule = "money.ko.won_prefix" if code else "money.ko.won"
        start = m.start("pre") if m.group("pre") else m.start("qb") if m.group("qb") else (
            m.start("n") if m.group("n") else m.start("lo"))
        found.append(_Money(start, m.end("cur"), *values, code, _qualifier(rules, m), None, rule))
        taken.append((m.start(), m.end()))
    for m in rules.prefix_only.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        values = _values(m)
        named = _prefix_currency(rules, m.group("pre"))
        if values is None or named is None:
            continue
        found.append(_Money(m.start(), m.end(), *values, named, _qualifier(rules, m), None,
                            "money.ko.prefix"))
    found.sort(key=lambda x: x.start)
    return found


def _decide_won(doc: Document, rules: AmountRules, items: list[_Money]) -> None:
    """Open wons decided by their restatement, their sentence, then by the report (see the
    module docstring). A won restated in South Korean won just after it ("20,800원(한국원 약
    2,617)") is the North's."""
    for x, y in zip(items, items[1:]):
        if (x.currency is None and y.currency == "KRW" and y.rule != "money.ko.won_sentence"
                and _RESTATED.fullmatch(doc.text[x.end:y.start])):
            x.currency, x.rule = "KPW", "money.ko.won_restated"
    for x in items:
        if x.currency is None:
            lo, hi = sentence_span(doc, x.start)
            code = _won_by_cues(rules, doc.text[lo:hi])
            if code:
                x.currency, x.rule = code, "money.ko.won_sentence"
    decided = {x.currency for x in items if x.rule in ("money.ko.won_sentence", "money.ko.won_restated")}
    report = decided.pop() if len(decided) == 1 else _won_by_cues(rules, doc.text)
    for x in items:
        if x.currency is None:
            x.currency, x.rule = (report, "money.ko.won_report") if report else (
                rules.default_won, "money.ko.won_default")


def _link_rates_and_units(doc: Document, rules: AmountRules, items: list[_Money]) -> None:
    """"1위안 대 1천3백원": the second is per CNY; "쌀 1kg당 6,000원": per kg."""
    text = doc.text
    for a, b in zip(items, items[1:]):
        if rules.rate_joiner.fullmatch(text[a.end:b.start]) and a.currency != b.currency:
            b.per = a.currency
            if a.lo == a.hi == 1:
                a.rule = _RATE_BASE  # "1위안" of "1위안 대 1천3백원" is the rate's unit, no amount
    for x in items:
        if x.per is None:
            pm = rules.per_unit.search(text[max(0, x.start - 20):x.start])
            if pm:
                x.per = pm.group(1)


def _unit(rules: AmountRules, doc: Document, m: re.Match[str]) -> str | None:
    """The English unit of a quantity match, None when the counter is not a count here."""
    word = m.group("unit")
    follow = doc.text[m.end("unit"):m.end("unit") + 6].lstrip()
    if any(follow.startswith(w) for w in rules.not_after.get(word, ())):
        return None
    unit = rules.counters.get(word)
    if unit == "people":
        before = doc.text[max(0, m.start() - 12):m.start()].rstrip().split()
        after = rules.people_after.match(doc.text[m.end("unit"):m.end("unit") + 12])
        for noun, named in rules.people_nouns.items():
            if (before and before[-1].endswith(noun)) or (after and after.group(1).startswith(noun)):
                return named
    return unit


def _quantities(doc: Document, rules: AmountRules, blocked: list[tuple[int, int]]) -> list[Amount]:
    """Counts, measures and percentages outside money spans."""
    out: list[Amount] = []
    for m in rules.quantity.finditer(doc.text):
        if any(s < m.end() and m.start() < e for s, e in blocked) or rules.basis_after.match(doc.text, m.end()):
            continue
        if m.group("nat"):
            v = float(numerals().native[m.group("nat")])
            values: tuple[float, float] | None = (v, v)
        else:
            values = _values(m)
        unit = _unit(rules, doc, m)
        if values is None or (unit is None and m.group("unit") not in rules.percent):
            continue
        if m.group("unit") in rules.percent:
            kind, unit = "percent", "percent"
        else:
            kind = "quantity"
        people = rules.counters.get(m.group("unit")) == "people"
        out.append(Amount(kind, m.group(0), m.start(), m.end(), values[0], values[1], unit=unit,
                          qualifier=_qualifier(rules, m),
                          rule=f"{kind}.ko.counter" + (".people" if people else "")))
    return out


def _same_people(found: list[Amount]) -> list[Amount]:
    """A count of people told again takes the most specific unit any of its mentions has
    ("탈북민 650여명" ... "650여명의 탈북민들": defectors both times), so a fact is one fact."""
    specific: dict[tuple[float | None, float | None], str] = {}
    for a in found:
        if a.kind == "quantity" and a.unit not in (None, "people") and a.rule.endswith("people"):
            specific.setdefault((a.min, a.max), a.unit)
    return [replace(a, unit=specific[(a.min, a.max)])
            if a.unit == "people" and (a.min, a.max) in specific else a for a in found]


def _without_title_repeats(doc: Document, found: list[Amount]) -> list[Amount]:
    """Amounts of the headline that the body states again ("…수수료 30%까지 올라" over "…수수료가
    30%까지 올랐다"): one fact, kept where the body tells it."""
    if not doc.title or not doc.text.startswith(doc.title):
        return found
    end = len(doc.title)

    def key(a: Amount) -> tuple:
        return (a.kind, a.min, a.max, a.currency, a.unit)

    body = {key(a) for a in found if a.start >= end}
    return [a for a in found if a.start >= end or key(a) not in body]


def find_amounts_ko(doc: Document, dates: list[tuple[int, int]]) -> list[Amount]:
    """Every money amount and quantity of a Korean report, in text order; `dates` are spans of
    date phrases, never amounts."""
    rules = amount_rules()
    money = [x for x in _find_money(doc, rules)
             if not any(s < x.end and x.start < e for s, e in dates)]
    _decide_won(doc, rules, money)
    _link_rates_and_units(doc, rules, money)
    money = [x for x in money if x.rule != _RATE_BASE]
    out: list[Amount] = []
    for x in money:
        usd, rate_date = to_usd((x.lo + x.hi) / 2, x.currency, doc.published)
        out.append(Amount("money", doc.text[x.start:x.end], x.start, x.end, x.lo, x.hi,
                          currency=x.currency, qualifier=x.qualifier, per=x.per, usd=usd,
                          usd_rate_date=rate_date, rule=x.rule))
    blocked = [(x.start, x.end) for x in money] + list(dates)
    out += _same_people(_quantities(doc, rules, blocked))
    out.sort(key=lambda a: a.start)
    return _without_title_repeats(doc, out)
