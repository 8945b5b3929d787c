"""Server-rendered SVG charts: the events timeline and the brief's bars.

Pure functions from rows to an SVG string: no JavaScript, no fonts or files from outside, so the
workbench works offline. Every piece of text is XML-escaped on the way in (`esc`), links are built
by the caller's `link` function (the chart knows no URLs), and colours come from the event types
of `data/vocabularies.yaml`, validated at load.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from xml.sax.saxutils import escape

from borderwatch.model import EVENT_TYPES
from borderwatch.vocabularies import vocabularies

UNKNOWN_COLOUR = "#999999"
FONT = "font-family=\"system-ui, -apple-system, 'Segoe UI', 'Noto Sans', sans-serif\""
GRANULARITIES = ("week", "month")
MAX_X_LABELS = 14


@dataclass(frozen=True, slots=True)
class EventStyle:
    """How one event type is drawn: its colour, a short label, and a readable text colour on it."""

    type: str
    colour: str
    label: str

    @property
    def text_colour(self) -> str:
        """Black or white, whichever reads better on `colour` (WCAG relative luminance)."""
        r, g, b = (int(self.colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        lum = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
        return "#000000" if lum > 0.179 else "#ffffff"


@cache
def event_style() -> dict[str, EventStyle]:
    """Each event type's colour and label, in the vocabulary's order (data/vocabularies.yaml,
    validated when loaded)."""
    return {code: EventStyle(code, entry.colour.upper(), entry.label)
            for code, entry in vocabularies().event_types.items()}


def style_of(event_type: str | None) -> EventStyle:
    """The style of a type; an unknown or missing type gets neutral grey and its own name."""
    styles = event_style()
    if event_type is not None and event_type in styles:
        return styles[event_type]
    return EventStyle(event_type or "", UNKNOWN_COLOUR, event_type or "unknown")


def esc(value: object) -> str:
    """Text escaped for SVG element content and double-quoted attributes."""
    return escape(str(value), {'"': "&quot;", "'": "&#39;"})


def num(x: float) -> str:
    """A coordinate with at most one decimal, so the SVG stays small and diffable."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def nice_step(vmax: float, ticks: int = 5) -> float:
    """A 1-2-5 step giving about `ticks` gridlines up to vmax (axes humans can read)."""
    if vmax <= 0:
        return 1
    raw = vmax / ticks
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * mag:
            return float(max(1, m * mag))
    return float(max(1, 10 * mag))


def svg_open(width: int, height: int, label: str, font_size: int = 12, desc: str = "") -> str:
    """The root element: sized, scalable, labelled for screen readers (a title, and a
    description when given)."""
    desc_el = f"<desc>{esc(desc)}</desc>" if desc else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-label="{esc(label)}" {FONT} '
            f'font-size="{font_size}"><title>{esc(label)}</title>{desc_el}')


# --- timeline ---------------------------------------------------------------------------------

def period_start(day: date, granularity: str) -> date:
    """The first day of the week (Monday) or month containing `day`."""
    if granularity == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def next_period(start: date, granularity: str) -> date:
    """The start of the period after `start`."""
    if granularity == "week":
        return start + timedelta(days=7)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def period_label(start: date, granularity: str) -> str:
    """How a period is named under the axis: 'Jul 2022', or its Monday '11 Jul 2022'."""
    month = MONTHS[start.month - 1][:3]
    return f"{month} {start.year}" if granularity == "month" else f"{start.day} {month} {start.year}"


def period_name(start: date | str, granularity: str) -> str:
    """How a period is named in words (tooltips, the table): 'July 2022', 'Week of 11 Jul 2022'."""
    d = date.fromisoformat(start[:10]) if isinstance(start, str) else start
    if granularity == "month":
        return f"{MONTHS[d.month - 1]} {d.year}"
    return f"Week of {period_label(d, granularity)}"


# How many periods apart the axis names its dates, smallest first: regular steps (every
# quarter, every year), so the names fall on the same months or weeks whatever the span.
LABEL_STEPS = {"month": (1, 2, 3, 6, 12, 24, 60, 120), "week": (1, 2, 4, 8, 13, 26, 52, 104, 260)}
TIMELINE_FONT = 13  # user units: the page keeps the chart at least 0.93 of its width (12 px)


def _label_step(periods: int, label_px: float, room: float, granularity: str) -> int:
    """The smallest regular step at which the axis's names do not run into each other."""
    fits = max(1, int(room // label_px))
    need = math.ceil(periods / fits)
    return next((k for k in LABEL_STEPS[granularity] if k >= need), need)


def _named(start: date, granularity: str, every: int) -> bool:
    """Whether the axis names this period at a step of `every`: months on round months (every
    quarter, January and July, January), weeks of 13 and more on the first Monday of such a
    month, shorter steps of weeks counted from a fixed Monday."""
    months = start.year * 12 + start.month - 1
    if granularity == "month":
        return months % every == 0
    if every >= 13:
        return start.day <= 7 and months % (every * 12 // 52) == 0
    return (start.toordinal() // 7) % every == 0


def fill_periods(starts: Sequence[date], granularity: str) -> list[date]:
    """Every period from the first to the last, so empty weeks or months show as gaps."""
    if not starts:
        return []
    cur, last, out = min(starts), max(starts), []
    while cur <= last:
        out.append(cur)
        cur = next_period(cur, granularity)
    return out


def ordered_types(present: set[str]) -> list[str]:
    """Known types in contract order, then unknown ones alphabetically."""
    return [t for t in EVENT_TYPES if t in present] + sorted(present - set(EVENT_TYPES))


def timeline_svg(rows: Sequence[tuple[str, str, int]], granularity: str,
                 link: Callable[[str, str | None], str], width: int = 960,
                 height: int = 320, legend: bool = True) -> str:
    """Stacked bars of incidents per week or month by type, each segment a link to its
    incidents, each date under the axis a link to its period's; empty periods stay as gaps.
    `legend=False` leaves the swatches to the page (which lays them out in HTML)."""
    if granularity not in GRANULARITIES:
        raise ValueError(f"granularity must be one of {GRANULARITIES}, got {granularity!r}")
    counts: dict[date, dict[str, int]] = {}
    for start, etype, count in rows:
        if count <= 0:
            continue
        p = period_start(date.fromisoformat(start[:10]), granularity)
        bucket = counts.setdefault(p, {})
        bucket[etype] = bucket.get(etype, 0) + int(count)
    title = f"Incidents per {granularity} by type"
    types = ordered_types({t for b in counts.values() for t in b})
    legend_rows = math.ceil(len(types) / max(1, (width - 60) // 150)) if legend else 0
    left, right, top, bottom = 48, 12, 26, 30 + (18 * legend_rows + 10 if legend else 0)
    out = [svg_open(width, height, title, TIMELINE_FONT,
                    "Bars: incidents of each type in the period, stacked; a gap: none." if counts else "")]
    if not counts:
        out.append(f'<text x="{width // 2}" y="{height // 2}" text-anchor="middle" fill="#555">'
                   "no incidents in this period</text></svg>")
        return "".join(out)

    periods = fill_periods(list(counts), granularity)
    plot_w, plot_h = width - left - right, height - top - bottom
    vmax = max(sum(b.values()) for b in counts.values())
    step = nice_step(vmax)
    ymax = step * math.ceil(vmax / step)
    scale = plot_h / ymax
    slot = plot_w / len(periods)
    bar_w = max(1.0, slot * 0.8)

    out.append(f'<g class="axis" fill="#555" stroke="none"><text x="{left - 6}" y="{top - 12}" '
               f'fill="#333">incidents</text>')
    for i in range(int(ymax / step) + 1):
        v = i * step
        y = top + plot_h - v * scale
        out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{num(y)}" y2="{num(y)}" '
                   f'stroke="#e3e3e3"/><text x="{left - 6}" y="{num(y + 4)}" '
                   f'text-anchor="end">{v:g}</text>')
    label_px = TIMELINE_FONT * 0.6 * len(period_label(periods[0], granularity)) + 14
    every = _label_step(len(periods), label_px, plot_w, granularity)
    for i, p in enumerate(periods):
        if _named(p, granularity, every) or len(periods) == 1:
            x = left + slot * (i + 0.5)
            anchor = "middle"
            if x - label_px / 2 < 0:  # the first or last name stays inside the chart
                x, anchor = max(x - slot / 2, 2.0), "start"
            elif x + label_px / 2 > width:
                x, anchor = min(x + slot / 2, width - 2.0), "end"
            lab = period_label(p, granularity)
            out.append(f'<a href="{esc(link(p.isoformat(), None))}"><line x1="{num(left + slot * (i + 0.5))}" '
                       f'x2="{num(left + slot * (i + 0.5))}" y1="{top + plot_h}" y2="{top + plot_h + 4}" '
                       f'stroke="#888"/><text x="{num(x)}" y="{top + plot_h + 18}" '
                       f'text-anchor="{anchor}">{esc(lab)}</text></a>')
    out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" '
               f'y2="{top + plot_h}" stroke="#888"/></g><g class="bars">')

    for i, p in enumerate(periods):
        bucket = counts.get(p, {})
        x = left + slot * i + (slot - bar_w) / 2
        y = top + plot_h
        name = period_name(p, granularity)
        for t in types:
            c = bucket.get(t, 0)
            if not c:
                continue
            h = c * scale
            y -= h
            st = style_of(t)
            out.append(f'<a href="{esc(link(p.isoformat(), t))}"><rect class="seg" '
                       f'x="{num(x)}" y="{num(y)}" width="{num(bar_w)}" height="{num(h)}" '
                       f'fill="{st.colour}"><title>{esc(f"{name}: {st.label} {c}")}</title>'
                       "</rect></a>")
    out.append("</g>")
    if legend:
        out.append(_legend(types, left, top + plot_h + 44, width - left - right))
    out.append("</svg>")
    return "".join(out)


def _legend(types: Sequence[str], x0: float, y0: float, avail: float, col_w: int = 150) -> str:
    """Swatch and label per type, in rows of as many columns as fit."""
    cols = max(1, int(avail // col_w))
    parts = ['<g class="legend" fill="#333">']
    for i, t in enumerate(types):
        st = style_of(t)
        x, y = x0 + (i % cols) * col_w, y0 + (i // cols) * 18
        parts.append(f'<g class="legend-item"><rect x="{num(x)}" y="{num(y - 10)}" width="12" '
                     f'height="12" fill="{st.colour}"/><text x="{num(x + 17)}" y="{num(y)}">'
                     f"{esc(st.label)}</text></g>")
    parts.append("</g>")
    return "".join(parts)


# --- brief bars -------------------------------------------------------------------------------

def delta_text(count: int, previous: int | None) -> str:
    """The change against the previous period: '+3', '−2', '±0', 'new', or '' when unknown."""
    if previous is None:
        return ""
    if previous == 0 and count > 0:
        return "new"
    d = count - previous
    return f"+{d}" if d > 0 else ("±0" if d == 0 else f"−{-d}")


# The brief's bars are drawn narrow with large text: at 390 px the card is about 320 px wide, so
# a 360-unit chart scales by ~0.9 and its 14-unit text stays at least 12 px on screen.
BAR_WIDTH, BAR_FONT = 360, 14


def bar_svg(items: Sequence[tuple[str, int, int | None]], link: Callable[[str], str],
            width: int = BAR_WIDTH) -> str:
    """Horizontal bars (label, count, previous count) with the change, each bar a link; the
    previous period's count is a dashed line across the bar."""
    row_h, left, right = 28, 132, 70
    height = max(40, row_h * len(items) + 10)
    desc = ("Bars: this period; dashed lines: the period before."
            if any(p is not None for _, _, p in items) else "Bars: this period.")
    out = [svg_open(width, height, "Incidents by type against the previous period", BAR_FONT, desc)]
    if not items:
        out.append(f'<text x="{width // 2}" y="24" text-anchor="middle" fill="#555">'
                   "no events in this period</text></svg>")
        return "".join(out)
    vmax = max(max(c, p or 0) for _, c, p in items) or 1
    scale = (width - left - right) / vmax
    for i, (label, count, prev) in enumerate(items):
        st = style_of(label)
        y = 5 + i * row_h
        w = max(1.0, count * scale) if count else 0
        tip = f"{st.label}: {count}" + ("" if prev is None else f" (previous {prev})")
        out.append(f'<a href="{esc(link(label))}"><g class="bar"><title>{esc(tip)}</title>'
                   f'<text x="{left - 6}" y="{y + 18}" text-anchor="end" fill="#333">'
                   f'{esc(st.label)}</text><rect x="{left}" y="{y + 4}" width="{num(w)}" '
                   f'height="{row_h - 8}" fill="{st.colour}"/>')
        if prev is not None and prev > 0:
            px = left + prev * scale
            out.append(f'<line class="prev" x1="{num(px)}" x2="{num(px)}" y1="{y + 1}" '
                       f'y2="{y + row_h - 1}" stroke="#333" stroke-width="2" stroke-dasharray="2 2"/>')
        d = delta_text(count, prev)
        colour = "#117733" if d.startswith("+") or d == "new" else (
            "#CC3311" if d.startswith("−") else "#555")
        out.append(f'<text x="{num(left + max(w, (prev or 0) * scale) + 6)}" y="{y + 18}" fill="#333">{count}'
                   f'<tspan dx="5" fill="{colour}">{esc(d)}</tspan></text></g></a>')
    out.append("</svg>")
    return "".join(out)


# --- series over time (prices, exchange rates) -----------------------------------------------

SERIES_COLOURS = ("#1F5FA8", "#CC3311", "#117733", "#AA4499", "#EE7733", "#332288", "#44AA99",
                  "#882255")  # colour-blind-safe, in the order series are drawn
SERIES_WIDTH, SERIES_HEIGHT, SERIES_FONT = 560, 300, 14


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    """One dated value: its day (YYYY, YYYY-MM or YYYY-MM-DD), value, optional range and link."""

    day: str
    value: float
    tip: str
    href: str | None = None
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True, slots=True)
class Series:
    """A named line or set of dots; `line` joins the points in date order."""

    label: str
    points: tuple[SeriesPoint, ...]
    colour: str = SERIES_COLOURS[0]
    line: bool = False
    hollow: bool = False  # reference values: an open ring, reports' values: a filled dot


def day_position(day: str) -> date:
    """Where a dated value stands on a time axis: a day at itself, a month or year at its
    middle (a price seen "in 2020" is not drawn on 1 January)."""
    parts = day.split("-")
    y = int(parts[0])
    if len(parts) == 3:
        return date(y, int(parts[1]), int(parts[2]))
    if len(parts) == 2:
        return date(y, int(parts[1]), 15)
    return date(y, 7, 1)


def fmt_value(v: float) -> str:
    """An axis or tooltip number: thousands separated, cents below 100, no trailing zeros."""
    if abs(v) >= 100 or v == int(v):
        return f"{v:,.0f}"
    return f"{v:,.2f}"


def _time_ticks(d0: date, d1: date, max_ticks: int = 6) -> list[tuple[date, str]]:
    """Year ticks for long spans, else month ticks, thinned to at most `max_ticks`."""
    if (d1 - d0).days > 700:
        ticks = [(date(y, 1, 1), str(y)) for y in range(d0.year + 1, d1.year + 1)] or [(d0, str(d0.year))]
    else:
        ticks = []
        cur = date(d0.year, d0.month, 1)
        while cur <= d1:
            if cur >= d0:
                ticks.append((cur, cur.strftime("%Y-%m")))
            cur = next_period(cur, "month")
        ticks = ticks or [(d0, d0.strftime("%Y-%m"))]
    every = max(1, math.ceil(len(ticks) / max_ticks))
    return ticks[::every]


def series_svg(series: Sequence[Series], title: str, unit: str, width: int = SERIES_WIDTH,
               height: int = SERIES_HEIGHT) -> str:
    """Values over time: one colour per series, dots that link to where the value was read
    (a range drawn as a bar through its dot), an optional line, a y axis in `unit`, and a
    legend. Every point is a `<circle class="pt">` with a tooltip."""
    pts = [p for s in series for p in s.points]
    out = [svg_open(width, height, title, SERIES_FONT,
                    f"{len(pts)} values over time, in {unit}; the table beside lists each.")]
    if not pts:
        out.append(f'<text x="{width // 2}" y="{height // 2}" text-anchor="middle" fill="#555">'
                   "no values in this period</text></svg>")
        return "".join(out)
    legend_h = 22 * len(series)
    left, right, top, bottom = 70, 16, 26, 34 + legend_h
    plot_w, plot_h = width - left - right, height - top - bottom
    days = [day_position(p.day) for p in pts]
    d0, d1 = min(days), max(days)
    if (d1 - d0).days < 60:  # one or a few close points: a readable window around them
        d0, d1 = d0 - timedelta(days=30), d1 + timedelta(days=30)
    span = (d1 - d0).days
    vmax = max(max(p.value, p.high or p.value) for p in pts)
    step = nice_step(vmax)
    if vmax < 5:  # cents: a finer step than nice_step's whole numbers
        step = max(vmax / 5, 0.01)
    ymax = step * math.ceil(vmax / step) if vmax > 0 else 1
    x = lambda d: left + plot_w * (d - d0).days / span  # noqa: E731
    y = lambda v: top + plot_h - plot_h * v / ymax  # noqa: E731

    out.append(f'<text x="{left}" y="{top - 10}" fill="#333">{esc(unit)}</text>')
    out.append('<g class="axis" fill="#555">')
    for i in range(round(ymax / step) + 1):
        v = i * step
        out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{num(y(v))}" y2="{num(y(v))}" '
                   f'stroke="#e3e3e3"/><text x="{left - 6}" y="{num(y(v) + 5)}" '
                   f'text-anchor="end">{esc(fmt_value(v))}</text>')
    for d, lab in _time_ticks(d0, d1):
        out.append(f'<line x1="{num(x(d))}" x2="{num(x(d))}" y1="{top + plot_h}" '
                   f'y2="{top + plot_h + 5}" stroke="#888"/><text x="{num(x(d))}" '
                   f'y="{top + plot_h + 21}" text-anchor="middle">{esc(lab)}</text>')
    out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}" '
               f'stroke="#888"/></g>')
    for s in series:
        ordered = sorted(s.points, key=lambda p: day_position(p.day))
        out.append(f'<g class="series" data-label="{esc(s.label)}">')
        if s.line and len(ordered) > 1:
            path = " ".join(f"{num(x(day_position(p.day)))},{num(y(p.value))}" for p in ordered)
            out.append(f'<polyline points="{path}" fill="none" stroke="{s.colour}" '
                       f'stroke-width="1.5" stroke-opacity="0.7"/>')
        for p in ordered:
            px = num(x(day_position(p.day)))
            mark = []
            if p.low is not None and p.high is not None and p.high > p.low:
                mark.append(f'<line x1="{px}" x2="{px}" y1="{num(y(p.high))}" y2="{num(y(p.low))}" '
                            f'stroke="{s.colour}" stroke-width="3"/>')
            fill = "#ffffff" if s.hollow else s.colour
            mark.append(f'<circle class="pt" cx="{px}" cy="{num(y(p.value))}" r="5" fill="{fill}" '
                        f'stroke="{s.colour}" stroke-width="2"><title>{esc(p.tip)}</title></circle>')
            body = "".join(mark)
            out.append(f'<a href="{esc(p.href)}">{body}</a>' if p.href else body)
        out.append("</g>")
    out.append('<g class="legend" fill="#333">')
    for i, s in enumerate(series):
        ly = top + plot_h + 34 + 22 * i + 10
        fill = "#ffffff" if s.hollow else s.colour
        out.append(f'<circle cx="{left + 6}" cy="{ly - 5}" r="5" fill="{fill}" stroke="{s.colour}" '
                   f'stroke-width="2"/><text x="{left + 18}" y="{ly}">{esc(s.label)}</text>')
    out.append("</g></svg>")
    return "".join(out)
