"""Server-side SVG charts for the organiser's dashboard (matplotlib, no pyplot state, no scripts)."""

from __future__ import annotations

import io

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

# Latin, Japanese and Devanagari labels: matplotlib falls back along this list glyph by glyph.
FONTS = ["DejaVu Sans", "IPAGothic", "Lohit Devanagari"]
COLOURS = ["#0b5cad", "#1a7f37", "#d4a72c", "#b42318", "#57606a", "#8250df"]


def bar_chart(labels: list[str], values: list[float], *, caption: str = "", horizontal: bool = False,
              limits: list[float | None] | None = None) -> bytes:
    """A small bar chart as SVG bytes; `limits` draws a capacity marker over each bar when given."""
    figure = Figure(figsize=(6.4, 2.8 if not horizontal else 0.4 * max(len(labels), 3) + 0.8), dpi=100)
    axes = figure.add_subplot()
    positions = list(range(len(labels)))
    colours = [COLOURS[i % len(COLOURS)] for i in positions]
    if horizontal:
        axes.barh(positions, values, color=colours)
        axes.set_yticks(positions, labels, fontfamily=FONTS)
        axes.invert_yaxis()
    else:
        axes.bar(positions, values, color=colours if len(labels) <= len(COLOURS) else COLOURS[0])
        axes.set_xticks(positions, labels, fontfamily=FONTS, rotation=45 if len(labels) > 6 else 0,
                        ha="right" if len(labels) > 6 else "center", fontsize=8 if len(labels) > 6 else 10)
        for x, limit in zip(positions, limits or [], strict=False):
            if limit is not None:
                axes.hlines(limit, x - 0.4, x + 0.4, colors="#b42318", linewidth=1.5)
    value_axis = axes.xaxis if horizontal else axes.yaxis
    value_axis.set_major_locator(MaxNLocator(integer=True))  # counts: whole numbers, never below zero
    if horizontal:
        axes.set_xlim(left=0)
    else:
        axes.set_ylim(bottom=0)
    if caption:
        axes.set_title(caption, fontfamily=FONTS, fontsize=10)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()
