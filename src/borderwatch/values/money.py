"""Money in running text: currency, range, qualifier, per-unit basis, conversions, won decisions.

Pure functions over strings. `find_money` finds every number that a currency spelling from
data/currencies.yaml stands before ("RMB 300,000", "$1,000", "KPW 5,000") or after
("40-50,000 yuan", "3.5 million won", "500,000 North Korean won"). Spellings that name more
than one currency ("won", "₩", "¥") leave `currency` None and set `ambiguous`; `decide_won` and
`decide_yen_sign` settle them from the sentence, in the order of the reference's rules.
`link_conversions` marks "RMB 300,000 (around USD 44,450)": the second restates the first.
Forms that need their neighbours: a rate's 1-unit base is no amount ("1 RMB equaling 880 KPW"),
a rate may take its currency from the subject ("the won was 635 to 1 RMB"), a bare number takes
the currency of the amount before it ("up from 4,800", "15 yuan to 20"), a price change is two
amounts ("rose from 4,000 to 5,500 won") and a range may repeat its currency ("$2.50 - $3.30").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from borderwatch.data_models.money import CurrenciesFile, WonMagnitude
from borderwatch.datafiles import DataError, load
from borderwatch.patterns import alternation, literal, longest_first
from borderwatch.values import SpanSet
from borderwatch.values.numbers import (
    ParsedRange,
    find_numbers,
    is_lone_word,
    norm_phrase,
    parse_range,
    qualifier_after,
    qualifier_before,
    vocab,
)
from borderwatch.values.quantities import per_basis, units

_FILE = "currencies.yaml"
# The function-word lists of currencies.yaml the patterns are built from.
_FUNCTION_WORDS = ("restatement_words", "restatement_abbreviations", "range_words", "change_from",
                   "time_leads", "contrast_links", "rate_per_words", "rate_one_words", "rate_link_adverbs")
_YEARLIKE = re.compile(r"(?:19|20)\d\d")
_WORD = r"[^\s,.;:()\[\]\d]+"  # a word in a rate statement's gap: no punctuation, no number
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"  # a number in digits
_SENTENCE_END = re.compile(r"[.!?;](?:\s|$)")
_NUMBER_BEFORE = re.compile(r"\d\s*$")  # "1 RMB": a currency after a number is no subject


@dataclass(frozen=True, slots=True)
class _Data:
    prefix: re.Pattern[str]
    suffix: re.Pattern[str]
    spelling: dict[str, str]  # lower-case spelling -> ISO code, or "?key" for an ambiguous one
    candidates: dict[str, tuple[str, ...]]
    won_context: dict[str, re.Pattern[str]]
    won_rates: dict[str, dict[str, tuple[tuple[float, float], ...]]]
    magnitude: WonMagnitude
    magnitude_cues: re.Pattern[str]
    yen_context: dict[str, re.Pattern[str]]
    rate_cues: re.Pattern[str]
    rate_cue_iso: dict[str, str]
    rate_gap: re.Pattern[str]  # text between a rate cue and the amount: a few words and a verb
    rate_max_gap: int
    per_currency: re.Pattern[str]
    per_currency_iso: dict[str, str]
    per_generic: re.Pattern[str]  # "to 1 RMB", "per one US dollar", "against the yuan"
    names: re.Pattern[str]  # a currency named as a noun ("the North Korean won was ...")
    rate_base_link: re.Pattern[str]
    bare_rate: re.Pattern[str]  # "635 to 1 RMB": a number with no currency of its own
    rate_subject_gap: int
    implicit_cue: re.Pattern[str]
    implicit_follow: re.Pattern[str]
    implicit_max_ratio: float
    changes_from: re.Pattern[str]
    # Between an amount and its restatement: "RMB 300,000 (around USD 44,450)", "…, or $1,400".
    conv_gap: re.Pattern[str]
    range_gap: re.Pattern[str]  # "300-400", "300 to 400"
    and_gap: re.Pattern[str]  # "and" of "between 300 and 400"
    between: re.Pattern[str]  # "between" before the first amount
    # "150,000 won in 2022 and 100,000 in 2021": a time or place phrase, then a link, then the number
    timed_gap: re.Pattern[str]
    to_sep: re.Pattern[str]  # "to" of "from 4,000 to 5,500": a change of price's two amounts


def _cue_regex(items: Iterable[str]) -> re.Pattern[str]:
    """Case-insensitive alternation of cue phrases as whole words."""
    alt = alternation(items, any_space=True)
    return re.compile(rf"(?<![\w$])(?:{alt})(?![\w-]|[.,]\d)", re.IGNORECASE)


def _spelling_alt(spellings: list[str]) -> str:
    """Alternation of currency spellings, each with the boundary its first character needs."""
    parts = []
    for s in longest_first(spellings):
        body = literal(s, any_space=True)
        parts.append(rf"(?<![\w])(?:{body})" if s[0].isalnum() else rf"(?<![A-Za-z$])(?:{body})")
    return "|".join(parts)


@cache
def data() -> _Data:
    """currencies.yaml, validated and compiled once."""
    raw = load(_FILE, CurrenciesFile)
    spelling: dict[str, str] = {}
    prefixes: list[str] = []
    suffixes: list[str] = []
    candidates: dict[str, tuple[str, ...]] = {}

    def add(sp: str, code: str, where: list[str]) -> None:
        """Register one spelling; the same spelling under two codes is a DataError."""
        key = norm_phrase(sp)
        if spelling.get(key, code) != code:
            raise DataError(f"{_FILE}: {code.lstrip('?')}: {sp!r} is also a spelling of {spelling[key].lstrip('?')}")
        spelling[key] = code
        where.append(sp)

    for code, e in raw.currencies.items():
        for sp in e.prefixes:
            add(sp, code, prefixes)
        for sp in e.suffixes:
            add(sp, code, suffixes)
    for key, a in raw.ambiguous.items():
        candidates[key] = tuple(a.candidates)
        for sp in a.prefixes:
            add(sp, f"?{key}", prefixes)
        for sp in a.suffixes:
            add(sp, f"?{key}", suffixes)
    rates = {other: {iso: tuple(rs) for iso, rs in by_iso.items()} for other, by_iso in raw.won_rates.items()}
    mag = raw.won_magnitude
    cues = raw.rate_cues
    per_cur = raw.per_currency
    verbs = alternation(raw.rate_verbs, any_space=True)
    per_alt = alternation([p for ps in per_cur.values() for p in ps], any_space=True)
    gap, subject_gap, ratio = raw.rate_max_gap, raw.rate_subject_gap, raw.implicit_max_ratio
    word_spellings = [sp for sp in suffixes + prefixes if sp[:1].isalpha()]
    names_alt = _spelling_alt(word_spellings)
    any_alt = _spelling_alt(suffixes + prefixes)
    words = {k: alternation(getattr(raw, k), any_space=True) for k in _FUNCTION_WORDS}
    unit_one = rf"(?:{words['rate_one_words']})"
    per_words = words["rate_per_words"]
    nv = vocab()
    links = alternation(raw.rate_base_links, any_space=True)
    followers = alternation(raw.implicit_followers, any_space=True)
    changes = alternation(raw.change_words, any_space=True)
    return _Data(
        prefix=re.compile(rf"(?:{_spelling_alt(prefixes)})\s{{0,2}}$", re.IGNORECASE),
        suffix=re.compile(rf"[\s-]{{0,2}}({_spelling_alt(suffixes)})(?![\w])(?!['’]t\b)", re.IGNORECASE),
        spelling=spelling,
        candidates=candidates,
        won_context={k: _cue_regex(v) for k, v in raw.won_context.items()},
        won_rates=rates,
        magnitude=mag,
        magnitude_cues=_cue_regex(mag.cue_words),
        yen_context={k: _cue_regex(v) for k, v in raw.yen_sign_context.items()},
        rate_cues=_cue_regex([p for ps in cues.values() for p in ps]),
        rate_cue_iso={norm_phrase(p): iso for iso, ps in cues.items() for p in ps},
        rate_gap=re.compile(rf"\s+(?:{_WORD}\s+){{0,3}}?(?:{verbs})(?:\s+{_WORD}){{0,2}}\s*", re.IGNORECASE),
        rate_max_gap=gap,
        per_currency=re.compile(rf"\s+({per_alt})(?![\w-])", re.IGNORECASE),
        per_currency_iso={norm_phrase(p): iso for iso, ps in per_cur.items() for p in ps},
        per_generic=re.compile(rf"\s+(?:{per_words})\s+{unit_one}\s*({any_alt})(?![\w])", re.IGNORECASE),
        names=re.compile(rf"(?:{names_alt})(?![\w])", re.IGNORECASE),
        rate_base_link=re.compile(rf"\s*(?:(?:{words['rate_link_adverbs']})\s+)?(?<![\w])(?:{links})(?![\w])\s*",
                                  re.IGNORECASE),
        bare_rate=re.compile(rf"(?<![\w$.,])({_NUM})\s+(?:{per_words})\s+{unit_one}\s*({any_alt})(?![\w])",
                             re.IGNORECASE),
        rate_subject_gap=subject_gap,
        implicit_cue=re.compile(rf"(?<![\w-])(?:{alternation(raw.implicit_cues, any_space=True)})\s+$",
                                re.IGNORECASE),
        implicit_follow=re.compile(rf"\s*(?:[,.;:)\]!?]|$|\s(?:{followers})(?![\w-]))", re.IGNORECASE),
        implicit_max_ratio=ratio,
        changes_from=re.compile(rf"(?<![\w-])(?:{changes})(?:\s+[^\s.;!?]+){{0,4}}?\s+(?:{words['change_from']})\s+$",
                                re.IGNORECASE),
        conv_gap=re.compile(rf"\s*(?:[(\[]|,?\s*(?:{words['restatement_words']})"
                            rf"|,?\s*(?:{words['restatement_abbreviations']}),?|[—–]|-{{1,2}}|=)\s*", re.IGNORECASE),
        range_gap=re.compile(rf"\s*(?:-|–|—|~|{words['range_words']})\s*", re.IGNORECASE),
        and_gap=re.compile(rf"\s+(?:{nv.range_closer})\s+", re.IGNORECASE),
        between=re.compile(rf"(?<![\w])(?:{nv.range_opener})\s+$", re.IGNORECASE),
        timed_gap=re.compile(rf"\s+(?:{words['time_leads']})\s+[^\s,.;:!?()]+(?:\s+[^\s,.;:!?()]+){{0,2}}?"
                             rf"\s*,?\s+(?:{words['contrast_links']})\s+$", re.IGNORECASE),
        to_sep=re.compile(rf"\s+(?:{words['range_words']})\s+", re.IGNORECASE),
    )


@dataclass(frozen=True, slots=True)
class MoneyMatch:
    """One amount of money as written; `currency` None while `ambiguous` names the open choice."""

    start: int
    end: int
    text: str
    min: float
    max: float
    currency: str | None
    ambiguous: str | None  # "won", "yen_sign" or None
    qualifier: str | None
    qual_start: int  # where the qualifier begins (== start when there is none)
    per: str | None
    per_end: int  # end of the per-unit basis (== end when there is none)
    rule: str

    @property
    def mid(self) -> float:
        """The midpoint of the range (the value used for conversions)."""
        return (self.min + self.max) / 2


def find_money(text: str) -> list[MoneyMatch]:
    """Every amount of money with a currency spelling before or after its number, then the forms
    that need their neighbours: rate bases dropped ("1 RMB equaling 880 KPW"), rates without a
    currency of their own ("the won was 635 to 1 RMB"), implicit currencies ("up from 4,800"),
    and ranges written with the currency twice ("15 yuan to 20 yuan", "$2.50 - $3.30")."""
    d = data()
    numbers = find_numbers(text)
    out: list[MoneyMatch] = []
    skip_until = 0
    for s, e, num in numbers:
        if s < skip_until:
            continue  # inside the basis of the amount before ("635 won to 1 RMB")
        pre = d.prefix.search(text, max(0, s - 12), s)
        suf = None if pre else d.suffix.match(text, e)
        if not pre and not suf:
            continue
        r = parse_range(num)
        if r is None or is_lone_word(num, r):
            continue
        if pre:
            code = d.spelling[norm_phrase(pre.group().strip())]
            start, end = pre.start(), e
        else:
            assert suf is not None  # no prefix, so the suffix matched (checked above)
            code = d.spelling[norm_phrase(suf.group(1))]
            start, end = s, suf.end()
            if r.first.prefix_only or r.last.prefix_only:
                continue
            if code == "?won" and _not_won_amount(num, r):
                continue
        ambiguous = code[1:] if code.startswith("?") else None
        q = qualifier_before(text, start)
        per, per_end = _per(text, end)
        qual = q[0] if q else None
        if qual is None:
            qa = qualifier_after(text, per_end)
            qual = qa[0] if qa else None
        form = "money.prefix" if pre else "money.suffix"
        rule = "money.range_borrowed" if r.borrowed else ("money.range" if r.min != r.max else form)
        cur = None if ambiguous else code
        qs = q[1] if q else start
        split = _change_split(text, s, num, r) if not pre and r.min != r.max else None
        if split:
            (a_start, a_end), b_start = split
            out.append(MoneyMatch(a_start, a_end, text[a_start:a_end], r.min, r.min, cur, ambiguous,
                                  qual, qs if q else a_start, None, a_end, "money.change_from"))
            out.append(MoneyMatch(b_start, end, text[b_start:end], r.max, r.max, cur, ambiguous,
                                  None, b_start, per, per_end, "money.change_from"))
        else:
            out.append(MoneyMatch(start, end, text[start:end], r.min, r.max, cur, ambiguous, qual,
                                  qs, per, per_end, rule))
        skip_until = per_end
    if not numbers:
        return out
    out = _drop_rate_bases(text, out)
    out = sorted(out + _bare_rates(text, out), key=lambda m: m.start)
    out = sorted(out + _implicit(text, out, numbers), key=lambda m: m.start)
    return _merge_ranges(text, out)


def _change_split(text: str, s: int, num: str, r: ParsedRange) -> tuple[tuple[int, int], int] | None:
    """'rose from 4,000 to 5,500 won': ((start, end) of the old price, start of the new one),
    or None when the range is a range ("between 4,000 and 5,500 won", "4,000-5,500 won")."""
    sep = data().to_sep.search(num)
    if sep is None or not data().changes_from.search(text, max(0, s - 80), s):
        return None
    return (s, s + sep.start()), s + sep.end()


def _key(m: MoneyMatch) -> str | None:
    """What two amounts must share to be one currency: the ISO code or the open choice."""
    return m.currency or (f"?{m.ambiguous}" if m.ambiguous else None)


def _drop_rate_bases(text: str, items: list[MoneyMatch]) -> list[MoneyMatch]:
    """'1 RMB equaling 880 KPW': drop the 1-unit base and give the other amount per = its currency."""
    d = data()
    out: list[MoneyMatch] = []
    i = 0
    while i < len(items):
        a = items[i]
        b = items[i + 1] if i + 1 < len(items) else None
        if (b is not None and a.min == a.max == 1 and a.currency and a.per is None and b.per is None
                and _key(b) != a.currency and d.rate_base_link.fullmatch(text, a.end, b.qual_start)):
            out.append(replace(b, per=a.currency))
            i += 2
            continue
        out.append(a)
        i += 1
    return out


def _bare_rates(text: str, items: list[MoneyMatch]) -> list[MoneyMatch]:
    """'the North Korean won was 635 to 1 RMB and 4,700 to 1 USD': rates whose number has no
    currency of its own take the currency named before them in the sentence."""
    d = data()
    taken = SpanSet((m.start, m.per_end) for m in items)
    out: list[MoneyMatch] = []
    for m in d.bare_rate.finditer(text):
        s, e = m.span(1)
        if taken.overlaps(s, m.end()):
            continue
        per = d.spelling[norm_phrase(m.group(2))]
        if per.startswith("?"):
            continue  # "to the won": the base must be one currency
        lo = max(0, s - d.rate_subject_gap)
        ends = list(_SENTENCE_END.finditer(text, lo, s))
        if ends:
            lo = ends[-1].end()
        subject = None
        for c in d.names.finditer(text, lo, s):
            code = d.spelling[norm_phrase(c.group())]
            if (code != per and not taken.overlaps(c.start(), c.start() + 1)
                    and not _NUMBER_BEFORE.search(text, max(0, c.start() - 12), c.start())):
                subject = code
        if subject is None:
            continue
        r = parse_range(m.group(1))
        if r is None:
            continue
        amb = subject[1:] if subject.startswith("?") else None
        out.append(MoneyMatch(s, e, text[s:e], r.min, r.max, None if amb else subject, amb, None, s,
                              per, m.end(), "money.rate_subject"))
        taken.add(s, m.end())
    return out


def _implicit(text: str, items: list[MoneyMatch], numbers: tuple[tuple[int, int, str], ...]) -> list[MoneyMatch]:
    """Bare numbers that share the currency of an amount just before them in the sentence: after
    a cue ("up from 4,800", "compared with 3,900"), or right after the amount ("15 yuan to 20",
    "between 15 yuan and 20")."""
    d = data()
    out: list[MoneyMatch] = []
    j = 0
    for s, e, num in numbers:
        while j < len(items) and items[j].end <= s:
            j += 1
        if j and any(m.start < e and s < m.per_end for m in items[max(0, j - 1):j + 1]):
            continue
        if j == 0 or not num[:1].isdigit() or _YEARLIKE.fullmatch(num.strip()):
            continue
        anchor = items[j - 1]
        if _key(anchor) is None or s - anchor.end > 150 or _SENTENCE_END.search(text, anchor.end, s):
            continue
        r = parse_range(num)
        if r is None or r.first.prefix_only or r.last.prefix_only or r.min <= 0:
            continue
        q = qualifier_before(text, s)
        qs = q[1] if q else s
        cued = d.implicit_cue.search(text, max(anchor.end, qs - 40), qs) or (
            qs >= anchor.per_end and d.timed_gap.fullmatch(text, anchor.per_end, qs))
        adjacent = qs >= anchor.per_end and (
            d.range_gap.fullmatch(text, anchor.per_end, qs)
            or (d.and_gap.fullmatch(text, anchor.per_end, qs)
                and d.between.search(text, max(0, anchor.qual_start - 10), anchor.qual_start)))
        if not cued and not adjacent:
            continue
        if not d.implicit_follow.match(text, e) or units().tail.match(text, e) or text[e:e + 1] == "%":
            continue
        ratio = r.min / anchor.mid if anchor.mid else 0
        if not (1 / d.implicit_max_ratio <= ratio <= d.implicit_max_ratio):
            continue
        per, per_end = _per(text, e)
        out.append(MoneyMatch(s, e, text[s:e], r.min, r.max, anchor.currency, anchor.ambiguous,
                              q[0] if q else None, qs, per, per_end, "money.implicit_currency"))
    return out


def _merge_ranges(text: str, items: list[MoneyMatch]) -> list[MoneyMatch]:
    """'15 yuan to 20 yuan', '$2.50 - $3.30', 'between 15 yuan and 20': one range, unless a change
    of price ("rose from 15 yuan to 20 yuan") makes them two amounts."""
    d = data()
    out: list[MoneyMatch] = []
    for b in items:
        a = out[-1] if out else None
        if (a is not None and a.per is None and _key(a) is not None and _key(a) == _key(b)
                and a.max < b.min and b.qual_start >= a.end and not (a.qualifier and b.qualifier)
                and (d.range_gap.fullmatch(text, a.end, b.qual_start)
                     or (d.and_gap.fullmatch(text, a.end, b.qual_start)
                         and d.between.search(text, max(0, a.qual_start - 10), a.qual_start)))
                and not d.changes_from.search(text, max(0, a.qual_start - 80), a.qual_start)):
            out[-1] = replace(a, end=b.end, text=text[a.start:b.end], max=b.max, per=b.per,
                              per_end=b.per_end, rule="money.range_joined")
            continue
        out.append(b)
    return out


def _not_won_amount(num_text: str, r: ParsedRange) -> bool:
    """'in 2019 won …', 'two won': a year or a small word number before 'won' is not money."""
    if r.min == r.max and r.first.plain and _YEARLIKE.fullmatch(num_text.strip()):
        return True
    return r.first.word and r.first.scale == 1 and r.last.scale == 1


def _per(text: str, end: int) -> tuple[str | None, int]:
    """The per-unit basis after an amount: a currency ("to the dollar" -> 'USD') or a unit."""
    d = data()
    m = d.per_currency.match(text, end)
    if m:
        return d.per_currency_iso[norm_phrase(m.group(1))], m.end()
    m = d.per_generic.match(text, end)
    if m and not d.spelling[norm_phrase(m.group(1))].startswith("?"):
        return d.spelling[norm_phrase(m.group(1))], m.end()
    pb = per_basis(text, end, 0)
    return (pb[0], pb[1]) if pb else (None, end)


def link_conversions(text: str, items: list[MoneyMatch]) -> list[int | None]:
    """For each amount, the index of the amount it restates in another currency, or None."""
    out: list[int | None] = [None] * len(items)
    for i in range(1, len(items)):
        a, b = items[i - 1], items[i]
        if out[i - 1] is not None:
            continue  # a restatement is not restated again
        lo, hi = a.per_end if a.per_end <= b.qual_start else a.end, b.qual_start
        if hi < lo or hi - lo > 12:
            continue
        if not data().conv_gap.fullmatch(text, lo, hi):
            continue
        same = a.currency is not None and a.currency == b.currency
        if not same and not (a.ambiguous and a.ambiguous == b.ambiguous):
            out[i] = i - 1
    return out


def _one_side(sentence: str, cues: dict[str, re.Pattern[str]]) -> str | None:
    """The one key whose cues occur in the sentence, or None when none or several do."""
    found = [k for k, pat in cues.items() if pat.search(sentence)]
    return found[0] if len(found) == 1 else None


@lru_cache(maxsize=256)
def _sentence_side(sentence: str, cues: str) -> str | None:
    """_one_side over a sentence with the named cue table, remembered: a sentence holding
    thousands of amounts is read once, not once per amount."""
    return _one_side(sentence, getattr(data(), cues))


def _by_rate(rate: float, other: str) -> str | None:
    """KPW or KRW from won per unit of `other` (USD, CNY), by the reference's rate ranges."""
    for iso, ranges in data().won_rates.get(other, {}).items():
        if any(lo <= rate <= hi for lo, hi in ranges):
            return iso
    return None


def decide_won(sentence: str, m: MoneyMatch, partner: MoneyMatch | None = None) -> tuple[str | None, str]:
    """KPW or KRW for a plain 'won' amount (currencies.md rules 2-5) and the rule that decided.

    A conversion next to the amount or a rate it states ("8,000 won to the dollar") outranks
    the place cues of its sentence: the rate says which won it is wherever it is spent."""
    d = data()
    rate_iso = None
    if partner is not None and partner.currency in d.won_rates and partner.mid > 0:
        rate_iso = _by_rate(m.mid / partner.mid, partner.currency)
    elif m.per in d.won_rates:
        rate_iso = _by_rate(m.mid, m.per)
    if rate_iso:
        return rate_iso, f"money.won_{rate_iso.lower()}_rate"
    side = _sentence_side(sentence, "won_context")
    if side:
        return side, f"money.won_{side.lower()}_context"
    mag = d.magnitude
    if (m.per in mag.per and mag.min <= m.mid <= mag.max
            and d.magnitude_cues.search(sentence)):
        iso = mag.currency
        return iso, f"money.won_{iso.lower()}_magnitude"
    return None, "money.won_undecided"


def decide_won_report(text: str) -> str | None:
    """KPW or KRW from the cues of a whole report, when they name one side only."""
    return _one_side(text, data().won_context)


def decide_yen_sign(sentence: str) -> tuple[str | None, str]:
    """JPY or CNY for '¥' from the sentence's cues; None when they do not decide."""
    side = _sentence_side(sentence, "yen_context")
    if side:
        return side, f"money.yen_sign_{side.lower()}_context"
    return None, "money.yen_sign_undecided"


def rate_cue_before(text: str, lo: int, start: int) -> str | None:
    """'the dollar fetched 8,000 won': the ISO code of the currency the amount is a rate for."""
    d = data()
    last = None
    for c in d.rate_cues.finditer(text, max(lo, start - d.rate_max_gap - 20), start):
        last = c
    if last is None or start - last.end() > d.rate_max_gap:
        return None
    if not d.rate_gap.fullmatch(text, last.end(), start):
        return None
    return d.rate_cue_iso.get(norm_phrase(last.group()))
