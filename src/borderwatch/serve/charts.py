"""Server-rendered SVG charts: the events timeline and the brief's bars.

Pure functions from rows to an SVG string: no JavaScript, no fonts or files from outside, so the
workbench works offline. Every piece of text is XML-escaped on the way in (`esc`), links are built
by the caller's `link` function (the chart knows no URLs), and colours come from the shared
`data/event_style.yaml`, validated at load.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from borderwatch.datafiles import DataError, read_yaml
from borderwatch.model import EVENT_TYPES

STYLE_FILE = "event_style.yaml"
HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
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


def parse_event_style(raw: Any, source: str = STYLE_FILE) -> dict[str, EventStyle]:
    """Validate the parsed style file: every event type once, hex colours, non-empty labels."""
    types = raw.get("types") if isinstance(raw, Mapping) else None
    if not isinstance(types, Mapping) or not types:
        raise DataError(f"{source}: expected a non-empty 'types' mapping")
    unknown = sorted(set(types) - set(EVENT_TYPES))
    missing = [t for t in EVENT_TYPES if t not in types]
    if unknown or missing:
        raise DataError(f"{source}: unknown event types {unknown}, missing {missing}")
    out: dict[str, EventStyle] = {}
    for name in EVENT_TYPES:
        entry = types[name]
        colour = entry.get("colour") if isinstance(entry, Mapping) else None
        label = entry.get("label") if isinstance(entry, Mapping) else None
        if not isinstance(colour, str) or not HEX_COLOUR.match(colour):
            raise DataError(f"{source}: {name}: colour must be #RRGGBB, got {colour!r}")
        if not isinstance(label, str) or not label.strip():
            raise DataError(f"{source}: {name}: empty label")
        out[name] = EventStyle(name, colour.upper(), label.strip())
    return out


@cache
def event_style() -> dict[str, EventStyle]:
    """The shared per-type styles, loaded and validated once per process."""
    return parse_event_style(read_yaml(STYLE_FILE))


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


def svg_open(width: int, height: int, label: str) -> str:
    """The root element: sized, scalable, labelled for screen readers."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-label="{esc(label)}" {FONT} '
            f'font-size="12"><title>{esc(label)}</title>')


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


def period_label(start: date, granularity: str) -> str:
    """How a period is named on the axis and in tooltips: '2022-07' or '2022-07-11'."""
    return start.strftime("%Y-%m") if granularity == "month" else start.isoformat()


def fill_periods(starts: Sequence[date], granularity: str) -> list[date]:
    """Every period from the first to the last, so empty weeks or months show as gaps."""
    if not starts:
        return []
    cur, last, out = min(starts), max(starts), []
    while cur <= last:
        out.append(cur)
        cur = next_period(cur, granularity)
    return out


def _ordered_types(present: set[str]) -> list[str]:
    """Known types in contract order, then unknown ones alphabetically."""
    return [t for t in EVENT_TYPES if t in present] + sorted(present - set(EVENT_TYPES))


def timeline_svg(rows: Sequence[tuple[str, str, int]], granularity: str,
                 link: Callable[[str, str | None], str], width: int = 960,
                 height: int = 320) -> str:
    """Stacked bars of events per week or month by type, each segment a link to its events."""
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
    out = [svg_open(width, height, title)]
    if not counts:
        out.append(f'<text x="{width // 2}" y="{height // 2}" text-anchor="middle" fill="#555">'
                   "no events in this period</text></svg>")
        return "".join(out)

    periods = fill_periods(list(counts), granularity)
    types = _ordered_types({t for b in counts.values() for t in b})
    legend_rows = math.ceil(len(types) / max(1, (width - 60) // 150))
    left, right, top, bottom = 48, 12, 12, 34 + 18 * legend_rows
    plot_w, plot_h = width - left - right, height - top - bottom
    vmax = max(sum(b.values()) for b in counts.values())
    step = nice_step(vmax)
    ymax = step * math.ceil(vmax / step)
    scale = plot_h / ymax
    slot = plot_w / len(periods)
    bar_w = max(1.0, slot * 0.8)

    out.append('<g class="axis" fill="#555" stroke="none">')
    for i in range(int(ymax / step) + 1):
        v = i * step
        y = top + plot_h - v * scale
        out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{num(y)}" y2="{num(y)}" '
                   f'stroke="#e3e3e3"/><text x="{left - 6}" y="{num(y + 4)}" '
                   f'text-anchor="end">{v:g}</text>')
    every = max(1, math.ceil(len(periods) / MAX_X_LABELS))
    for i, p in enumerate(periods):
        if i % every == 0:
            x = left + slot * (i + 0.5)
            lab = period_label(p, granularity)
            out.append(f'<a href="{esc(link(p.isoformat(), None))}"><text x="{num(x)}" '
                       f'y="{top + plot_h + 16}" text-anchor="middle">{esc(lab)}</text></a>')
    out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" '
               f'y2="{top + plot_h}" stroke="#888"/></g><g class="bars">')

    for i, p in enumerate(periods):
        bucket = counts.get(p, {})
        x = left + slot * i + (slot - bar_w) / 2
        y = top + plot_h
        lab = period_label(p, granularity)
        for t in types:
            c = bucket.get(t, 0)
            if not c:
                continue
            h = c * scale
            y -= h
            st = style_of(t)
            out.append(f'<a href="{esc(link(p.isoformat(), t))}"><rect class="seg" '
                       f'x="{num(x)}" y="{num(y)}" width="{num(bar_w)}" height="{num(h)}" '
                       f'fill="{st.colour}"><title>{esc(f"{lab}: {st.label} {c}")}</title>'
                       "</rect></a>")
    out.append("</g>")
    out.append(_legend(types, left, top + plot_h + 30, width - left - right))
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


def bar_svg(items: Sequence[tuple[str, int, int | None]], link: Callable[[str], str],
            width: int = 480) -> str:
    """Horizontal bars (label, count, previous count) with the change, each bar a link."""
    row_h, left, right = 22, 150, 90
    height = max(40, row_h * len(items) + 10)
    out = [svg_open(width, height, "Counts against the previous period")]
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
                   f'<text x="{left - 6}" y="{y + 15}" text-anchor="end" fill="#333">'
                   f'{esc(st.label)}</text><rect x="{left}" y="{y + 3}" width="{num(w)}" '
                   f'height="{row_h - 6}" fill="{st.colour}"/>')
        if prev is not None and prev > 0:
            px = left + prev * scale
            out.append(f'<line class="prev" x1="{num(px)}" x2="{num(px)}" y1="{y + 1}" '
                       f'y2="{y + row_h - 1}" stroke="#333" stroke-dasharray="2 2"/>')
        d = delta_text(count, prev)
        colour = "#117733" if d.startswith("+") or d == "new" else (
            "#CC3311" if d.startswith("−") else "#555")
        out.append(f'<text x="{num(left + w + 6)}" y="{y + 15}" fill="#333">{count}'
                   f'<tspan dx="6" fill="{colour}">{esc(d)}</tspan></text></g></a>')
    out.append("</svg>")
    return "".join(out)
