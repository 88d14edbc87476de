"""Charts as PNG: places per field of education (or per specialty), stacked per level.

A `Chart` is plain data (title, bar labels, one series per level), already in the user's
language; `render` draws it with matplotlib. matplotlib is imported only when a chart is
first drawn, so the bot's start-up and memory do not pay for it until someone asks, and
each chart is drawn once per process (the Telegram side also reuses the uploaded file's
file_id). The PNG carries its title, language and labels as text metadata.
"""

from __future__ import annotations

import io
import textwrap
import threading
from dataclasses import dataclass
from functools import lru_cache

# One colour per level (workers, mid-level, post-secondary), readable for colour-blind eyes.
COLOURS = ("#1b6ca8", "#f0a202", "#7a9e3a", "#888888")
LABEL_WIDTH = 38
_lock = threading.Lock()


@dataclass(frozen=True)
class Chart:
    """A horizontal stacked bar chart: one bar per label, one segment per series."""

    title: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[int, ...]], ...]
    axis: str
    note: str = ""
    language: str = "en"
    name: str = "chart"  # for a file name: "fields", "top"

    @property
    def totals(self) -> tuple[int, ...]:
        return tuple(
            sum(values[i] for _name, values in self.series) for i in range(len(self.labels))
        )

    def metadata(self) -> dict[str, str]:
        """What the PNG says about itself (title, language, every label and legend)."""
        legend = [name for name, _values in self.series]
        return {
            "Title": self.title,
            "Language": self.language,
            "Description": "; ".join([*self.labels, *legend, self.axis, self.note]),
            "Software": "mamandyq (matplotlib)",
        }


def _wrap(label: str) -> str:
    return "\n".join(textwrap.wrap(label, LABEL_WIDTH, max_lines=2, placeholder="…"))


@lru_cache(maxsize=64)
def render(chart: Chart) -> bytes:
    """The chart as a PNG (drawn once per chart and process)."""
    with _lock:  # matplotlib's font cache and text layout are not made for threads
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        height = 1.6 + 0.5 * len(chart.labels)
        figure = Figure(figsize=(9, height), dpi=120)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        positions = list(range(len(chart.labels)))
        left = [0] * len(chart.labels)
        for (name, values), colour in zip(chart.series, COLOURS, strict=False):
            axes.barh(positions, values, left=left, color=colour, label=name, height=0.7)
            left = [a + b for a, b in zip(left, values, strict=True)]
        for position, total in zip(positions, chart.totals, strict=True):
            axes.text(total, position, f" {total}", va="center", fontsize=9)
        axes.set_yticks(positions, [_wrap(label) for label in chart.labels], fontsize=9)
        axes.invert_yaxis()
        axes.set_xlabel(chart.axis)
        axes.set_xlim(0, max(chart.totals, default=1) * 1.12 + 1)
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(loc="lower right", fontsize=9, frameon=False)
        figure.suptitle(_wrap_title(chart.title), fontsize=12, x=0.01, ha="left")
        if chart.note:
            figure.text(0.01, 0.005, chart.note, fontsize=7.5, color="#555555", va="bottom")
        figure.tight_layout(rect=(0, 0.03 if chart.note else 0, 1, 1))
        out = io.BytesIO()
        figure.savefig(out, format="png", metadata=chart.metadata())
        return out.getvalue()


def _wrap_title(title: str) -> str:
    return "\n".join(textwrap.wrap(title, 80))
