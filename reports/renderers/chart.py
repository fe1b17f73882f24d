"""The one chart of a report: cases by stage at the end of this month against last month."""

import io

import matplotlib

matplotlib.use("Agg")  # no display on servers and workers

from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from ..formatting import month, number  # noqa: E402
from ..metrics import STAGE_KEYS  # noqa: E402
from ..selectors import ReportFigures  # noqa: E402

LABELS = ["Tahap 1", "Tahap 2", "Tahap 3", "Mandiri", "Keluar"]
PREVIOUS_COLOUR, CURRENT_COLOUR = "#9fb8b5", "#0f766e"
NO_DATA = "Belum ada data"


def render_chart(figures: ReportFigures) -> bytes:
    """A PNG for an email column: 1040 x 680 px, drawn for about 600 px on a desktop and
    still legible at 330 px on a phone (hence its large type)."""
    fig = chart_figure(figures)
    try:
        out = io.BytesIO()
        fig.savefig(out, format="png", facecolor="white")
        return out.getvalue()
    finally:
        plt.close(fig)


def chart_figure(figures: ReportFigures) -> Figure:
    """The chart as a matplotlib figure (the caller closes it)."""
    previous = [figures.figures[k].previous for k in STAGE_KEYS]
    current = [figures.figures[k].current for k in STAGE_KEYS]
    fig, ax = plt.subplots(figsize=(5.2, 3.4), dpi=200)
    _draw(ax, figures, previous, current)
    fig.tight_layout()
    return fig


def _draw(ax, figures: ReportFigures, previous: list[int], current: list[int]) -> None:
    xs = range(len(LABELS))
    width = 0.38
    bars_prev = ax.bar([x - width / 2 for x in xs], previous, width, color=PREVIOUS_COLOUR,
                       label=month(figures.previous_period))  # fmt: skip
    bars_cur = ax.bar([x + width / 2 for x in xs], current, width, color=CURRENT_COLOUR,
                      label=month(figures.period))  # fmt: skip
    for bars in (bars_prev, bars_cur):
        ax.bar_label(bars, labels=[number(int(b.get_height())) for b in bars], fontsize=8, padding=2)
    ax.set_xticks(list(xs), LABELS, fontsize=11)
    _y_axis(ax, max(previous + current))
    ax.tick_params(axis="y", labelsize=9)
    ax.set_title("Kasus per tahap, akhir bulan", fontsize=12, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=9, frameon=False, loc="upper right", ncol=2)


def _y_axis(ax, top: int) -> None:
    """Whole numbers only (cases are counted): a fractional tick would print as a repeated
    0 or 1. With nothing to draw, the axis runs 0 to 1 and says so."""
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: number(int(round(v)))))
    if top == 0:
        ax.set_ylim(0, 1)
        ax.set_yticks([0, 1])
        ax.text(0.5, 0.5, NO_DATA, transform=ax.transAxes, ha="center", va="center", fontsize=11,
                color="#6b7280")  # fmt: skip
    else:
        ax.set_ylim(0, top * 1.3)  # room for the bar labels and the legend above the tallest bar
