"""Dashboard charts drawn server-side with matplotlib as SVG (no script in the page; the CSP forbids it).

Labels arrive translated from the caller. Japanese and Devanagari glyphs come from the IPA and Lohit fonts
through matplotlib's per-glyph font fallback; glyphs are drawn as paths (the default SVG font handling), so
the SVG shows the same everywhere without fonts on the viewer's machine.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")

from matplotlib import dates as mdates
from matplotlib import ticker
from matplotlib.figure import Figure

FONTS = ["DejaVu Sans", "IPAGothic", "IPAPGothic", "Lohit Devanagari"]
STATUS_COLOURS = {"not_started": "#b8c2cc", "limited": "#f2b134", "substantial": "#4f9dde", "complete": "#2e9e5b",
                  "on_hold": "#9b59b6", "dropped": "#d9534f"}
JP_COLOUR, IN_COLOUR = "#bc002d", "#ff9933"
SIZE = (6.4, 3.2)


def _figure(size: tuple[float, float] = SIZE) -> Figure:
    figure = Figure(figsize=size, dpi=100, layout="constrained")
    figure.set_facecolor("white")
    return figure


def _svg(figure: Figure, title: str) -> bytes:
    with matplotlib.rc_context({"font.family": FONTS, "svg.hashsalt": "kakehashi", "svg.fonttype": "path"}):
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata={"Title": title, "Date": None})
    return buffer.getvalue()


def _style(axes: object) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)  # type: ignore[attr-defined]


def progress_over_time(series: Sequence[tuple[dt.date, Decimal]], *, title: str, empty: str) -> bytes:
    """A line of the roll-up figure (percent) over time."""
    with matplotlib.rc_context({"font.family": FONTS}):
        figure = _figure()
        axes = figure.subplots()
        if series:
            days = mdates.date2num([day for day, _ in series])  # type: ignore[no-untyped-call]
            values = [float(value) for _, value in series]  # plotting only; the figures themselves stay Decimal
            axes.plot(days, values, color="#1f5fa8", marker="o", markersize=3, linewidth=2)
            axes.fill_between(days, values, color="#1f5fa8", alpha=0.08)
            axes.annotate(f"{values[-1]:.1f}%", (days[-1], values[-1]), textcoords="offset points", xytext=(4, 4))
            months = len({(day.year, day.month) for day, _ in series})
            axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))  # type: ignore[no-untyped-call]
            axes.xaxis.set_major_locator(mdates.MonthLocator(interval=max(1, -(-months // 5))))  # type: ignore[no-untyped-call]
            axes.tick_params(axis="x", labelsize=8)
        else:
            axes.text(0.5, 0.5, empty, ha="center", va="center", transform=axes.transAxes, color="#666")
        axes.set_ylim(0, 100)
        axes.set_ylabel("%")
        axes.set_title(title, loc="left", fontsize=11)
        axes.grid(axis="y", alpha=0.3)
        _style(axes)
        return _svg(figure, title)


def status_mix(counts: Mapping[str, int], labels: Mapping[str, str], *, title: str) -> bytes:
    """Horizontal bars: how many activities are in each status."""
    with matplotlib.rc_context({"font.family": FONTS}):
        figure = _figure()
        axes = figure.subplots()
        statuses = list(counts)
        axes.barh([labels.get(s, s) for s in statuses], [counts[s] for s in statuses],
                  color=[STATUS_COLOURS.get(s, "#888") for s in statuses])
        for index, status in enumerate(statuses):
            axes.text(counts[status], index, f" {counts[status]}", va="center", fontsize=9)
        axes.invert_yaxis()
        axes.set_title(title, loc="left", fontsize=11)
        axes.xaxis.set_major_locator(ticker.MaxNLocator(integer=True))
        _style(axes)
        return _svg(figure, title)


def overdue_actions(counts: Mapping[str, int], *, title: str, empty: str) -> bytes:
    """Bars: overdue action items per area (or per commitment)."""
    with matplotlib.rc_context({"font.family": FONTS}):
        figure = _figure()
        axes = figure.subplots()
        shown = {label: n for label, n in counts.items() if n}
        if shown:
            axes.barh(list(shown), list(shown.values()), color="#d9534f")
            axes.tick_params(axis="y", labelsize=7 if len(shown) > 4 else 8)
            axes.invert_yaxis()
            axes.xaxis.set_major_locator(ticker.MaxNLocator(integer=True))
        else:
            axes.text(0.5, 0.5, empty, ha="center", va="center", transform=axes.transAxes, color="#666")
            axes.set_yticks([])
        axes.set_title(title, loc="left", fontsize=11)
        _style(axes)
        return _svg(figure, title)


def spending(groups: Mapping[str, Mapping[str, Decimal]], kinds: Mapping[str, str], *, title: str, empty: str) -> bytes:
    """Planned and actual spending, one group per (side, currency) label, amounts in that currency."""
    with matplotlib.rc_context({"font.family": FONTS}):
        figure = _figure()
        if not groups:
            axes = figure.subplots()
            axes.text(0.5, 0.5, empty, ha="center", va="center", transform=axes.transAxes, color="#666")
            axes.set_axis_off()
            axes.set_title(title, loc="left", fontsize=11)
            return _svg(figure, title)
        panels = figure.subplots(1, len(groups), squeeze=False)[0]
        for axes, (label, values) in zip(panels, groups.items(), strict=True):
            colour = JP_COLOUR if label.startswith("JP") else IN_COLOUR
            axes.bar([kinds[k] for k in values], [float(v) for v in values.values()], color=[colour, "#555"][: len(values)])
            axes.set_title(label, fontsize=10)
            axes.ticklabel_format(axis="y", style="plain", useOffset=False)
            axes.yaxis.set_major_formatter(ticker.FuncFormatter(lambda x, _pos: f"{x:,.0f}"))
            _style(axes)
        figure.suptitle(title, x=0.02, ha="left", fontsize=11)
        return _svg(figure, title)
